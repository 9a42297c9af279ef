import { PayQrError, type Order } from '@payqr/node';
import type { Metadata } from 'next';
import { tillBackend } from '../../src/cashier/backend';
import { BASKETS } from '../../src/cashier/sale';
import { SANDBOX_AUTH_CODES } from '../../src/sandbox/micropay-outcomes';
import styles from './cashier.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'PayQR 收银台 · sandbox cashier' };

type Search = Promise<Record<string, string | string[] | undefined>>;

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** The sandbox table (bff/src/sandbox/micropay-outcomes.ts): last two digits → what the till shows. */
const OUTCOMES = [
  { key: 'paid', ends: '00', outcome: '立即成功 paid at once', till: '收款成功' },
  { key: 'paying', ends: '01', outcome: '支付中，5 秒后成功 paying, paid after 5 s', till: '支付中… → 收款成功' },
  { key: 'password', ends: '02', outcome: '用户输密码，10 秒后成功 password entry, paid after 10 s', till: '用户输入密码中… → 收款成功' },
  { key: 'failed', ends: '03', outcome: '立即失败（余额不足）refused: insufficient balance', till: '收款失败 + 原因' },
  { key: 'unknown', ends: '04', outcome: '结果未知，到期撤销 unknown until the deadline, then reversed', till: '支付中… → 交易已撤销' },
  { key: 'alreadyPaid', ends: '05', outcome: '此单已支付 the provider says "already paid"', till: '收款成功' },
  { key: 'canceled', ends: '06', outcome: '输密码后用户取消 password entry, then the payer cancels', till: '用户输入密码中… → 收款失败' },
] as const;
const WALLETS = [
  ['wechat', '微信'],
  ['alipay', '支付宝'],
  ['unionpay', '云闪付'],
] as const;

export default async function CashierPage({ searchParams }: { searchParams: Search }) {
  const query = await searchParams;
  const one = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : '');
  const lang = /^(zh-CN|zh-TW|en)$/.test(one('lang')) ? one('lang') : 'zh-CN';
  const till = await tillBackend();

  if (!till.sandbox) {
    return (
      <main className={styles.main}>
        <h1>PayQR 收银台</h1>
        <p>The demo cashier has no cashier login, so it runs in sandbox mode only.</p>
      </main>
    );
  }

  let order: Order | undefined;
  let problem = one('error');
  const orderId = one('order');
  if (/^ord_[a-z0-9]{24}$/.test(orderId)) {
    try {
      order = await till.payqr.orders.retrieve(orderId);
    } catch (err) {
      problem = err instanceof PayQrError ? `PayQR: ${err.message}` : '无法加载订单';
    }
  }
  const scale = till.timeScale;

  return (
    <main className={styles.main}>
      <header className={styles.top}>
        <h1>
          PayQR 收银台 <span className={styles.badge}>sandbox</span>
        </h1>
        <p className={styles.muted}>
          扫顾客的付款码收款（微信 / 支付宝 / 云闪付）。浏览器只和本店服务器的 <code>/cashier/api/scan</code> 通信，API 密钥只在服务器上。
        </p>
      </header>

      <div className={styles.grid}>
        <section className={styles.panel} aria-labelledby="sale-title">
          <h2 id="sale-title">新订单 New sale</h2>
          <form method="post" action="/cashier/api/orders" className={styles.sale}>
            <input type="hidden" name="lang" value={lang} />
            <div className={styles.baskets} role="group" aria-label="常用商品 Baskets">
              {Object.entries(BASKETS).map(([id, b]) => (
                <button key={id} type="submit" name="basket" value={id} className={styles.basket}>
                  <span>{b.subject}</span>
                  <strong>{yuan(b.amount)}</strong>
                </button>
              ))}
            </div>
            <label htmlFor="sale-amount">金额（元）Amount</label>
            <div className={styles.row}>
              <input id="sale-amount" name="amount" inputMode="decimal" autoComplete="off" placeholder="19.99" pattern="\d{1,5}(\.\d{1,2})?" />
              <button type="submit" className={styles.primary}>
                收款 Charge
              </button>
            </div>
            <details className={styles.details}>
              <summary>沙箱选项 Sandbox options</summary>
              <label htmlFor="sale-deadline">单次扫码时限（秒）Scan deadline, s</label>
              <input id="sale-deadline" name="scanDeadline" inputMode="numeric" autoComplete="off" placeholder="60" />
              <p className={styles.muted}>
                结果未知的扫码在时限到达时撤销。默认由服务商的 60 秒时限决定；填 10 可以不用等一分钟就看到“交易已撤销”。
              </p>
            </details>
          </form>
          {problem ? (
            <p className={styles.problem} role="alert">
              {problem}
            </p>
          ) : null}
          {order ? (
            <dl className={styles.facts}>
              <dt>订单</dt>
              <dd>
                <code>{order.id}</code>
              </dd>
              <dt>商户单号</dt>
              <dd>
                <code>{order.merchantOrderId}</code>
              </dd>
              <dt>商品</dt>
              <dd>{order.subject}</dd>
            </dl>
          ) : null}
          {order ? (
            <p className={styles.next}>
              <a href={`/cashier${lang === 'zh-CN' ? '' : `?lang=${lang}`}`}>下一单 Next sale</a>
            </p>
          ) : null}
        </section>

        <section className={styles.panel} aria-label="收款 Scan">
          {order ? (
            <pay-scan action="/cashier/api/scan" order={order.id} amount={order.amount} currency={order.currency} lang={lang} camera />
          ) : (
            <p className={styles.empty}>先在左边创建订单，再扫顾客的付款码。Create a sale first, then scan the customer&apos;s code.</p>
          )}
          <h3 className={styles.logTitle}>事件 Events</h3>
          <till-log />
        </section>
      </div>

      <section className={styles.panel} aria-labelledby="codes-title">
        <h2 id="codes-title">沙箱付款码 Sandbox payment codes</h2>
        <p className={styles.muted}>
          付款码的最后两位决定结果（umf-sp 与 huishouyin 相同）。点“扫码”模拟扫码枪（一串快速按键 + 回车），或复制号码粘贴到付款码输入框后按回车。时间按
          PAYQR_SANDBOX_TIME_SCALE = {scale} 缩放。
        </p>
        <div className={styles.scroll}>
          <table className={styles.codes}>
            <thead>
              <tr>
                <th scope="col">尾号</th>
                <th scope="col">结果 Outcome</th>
                <th scope="col">收银员看到 The till shows</th>
                {WALLETS.map(([w, name]) => (
                  <th key={w} scope="col">
                    {name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {OUTCOMES.map((o) => (
                <tr key={o.key}>
                  <th scope="row">…{o.ends}</th>
                  <td>{o.outcome}</td>
                  <td>{o.till}</td>
                  {WALLETS.map(([w, name]) => {
                    const code = SANDBOX_AUTH_CODES[w][o.key];
                    return (
                      <td key={w}>
                        <code className={styles.code}>{code}</code>
                        <button type="button" className={styles.scan} data-scan-code={code} aria-label={`扫码 ${name} …${o.ends}`} disabled={!order}>
                          扫码
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <script type="module" src="/widget/pay-scan.js" />
      <script type="module" src="/cashier/till.js" />
    </main>
  );
}
