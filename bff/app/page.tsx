/**
 * `/`: in sandbox mode, the demo shop (three teas; "Buy" creates the order on the server);
 * in live mode, only a note that the BFF runs — a live deployment has no demo shop.
 */
import { getApp } from '../src/next/app-instance';
import { demoOptionFields, formatCny, parseDemoOptions, PRODUCTS } from '../src/shop/catalog';
import s from './shop/shop.module.css';
import { ShopHeader } from './shop/shop-header';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function Home({ searchParams }: { searchParams: SearchParams }) {
  const app = await getApp();
  if (app.config.mode !== 'sandbox') {
    return (
      <main className={s.narrow}>
        <h1 className={s.title}>PayQR</h1>
        <p>
          The BFF is running. Health: <a href="/api/health">/api/health</a> · Widget: <a href="/widget/pay-qr.js">/widget/pay-qr.js</a>
        </p>
      </main>
    );
  }
  const options = parseDemoOptions(await searchParams);
  const fields = demoOptionFields(options);

  return (
    <div className={s.page}>
      <ShopHeader />
      <main className={s.main}>
        <section className={s.hero}>
          <h1 className={s.heroTitle}>好茶，扫码即付</h1>
          <p className={s.heroText}>
            Pick a tea and pay with WeChat Pay, Alipay, UnionPay or e-CNY. The order is created on the server; the
            payment code comes from the PayQR sandbox.
          </p>
        </section>
        <ul className={s.grid}>
          {PRODUCTS.map((p) => (
            <li key={p.id}>
              <article className={s.card} aria-labelledby={`product-${p.id}`}>
                <div className={`${s.art} ${s[`tone_${p.tone}`]}`} aria-hidden="true">
                  <span className={s.cup} />
                  <span className={s.leafA} />
                  <span className={s.leafB} />
                </div>
                <div className={s.cardBody}>
                  <h2 id={`product-${p.id}`} className={s.cardTitle}>
                    {p.name}
                  </h2>
                  <p className={s.cardEn}>{p.nameEn}</p>
                  <p className={s.cardMeta}>
                    {p.origin} · {p.weight}
                  </p>
                  <p className={s.cardNotes}>{p.notes}</p>
                  <div className={s.cardBuy}>
                    <span className={s.price}>{formatCny(p.amount)}</span>
                    <form method="post" action="/shop/checkout">
                      <input type="hidden" name="product" value={p.id} />
                      {fields.map(([k, v]) => (
                        <input key={k} type="hidden" name={k} value={v} />
                      ))}
                      <button type="submit" className={s.button}>
                        购买 Buy
                      </button>
                    </form>
                  </div>
                </div>
              </article>
            </li>
          ))}
        </ul>
        {fields.length > 0 ? (
          <p className={s.note}>
            Demo options: {fields.map(([k, v]) => `${k}=${v}`).join(' · ')}
          </p>
        ) : null}
        <footer className={s.footer}>
          <p>
            Demo options (sandbox only): <code>?channels=wechat+alipay</code> · <code>?lang=en</code> ·{' '}
            <code>?ttl=10</code> (seconds a payment code lives)
          </p>
          <p>
            <a href="/sandbox">Sandbox simulators</a> · <a href="/api/health">Health</a> ·{' '}
            <a href="/widget/pay-qr.js">Widget</a>
          </p>
        </footer>
      </main>
    </div>
  );
}
