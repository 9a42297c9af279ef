/**
 * The demo shop's order page: the amount and subject from the server, `<pay-qr>` for this
 * order (endpoint = this very origin), and the live panels.
 */
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { optionsFromMetadata } from '../../../../src/shop/catalog';
import { shopOrderState } from '../../../../src/shop/state';
import { CHANNEL_LABEL } from '../../labels';
import { readCheckout, requestOrigin, shopBackend } from '../../server';
import s from '../../shop.module.css';
import { ShopHeader } from '../../shop-header';
import { LiveOrder } from './live-order';

export const dynamic = 'force-dynamic';

export const metadata = { title: '结账 Checkout · 一叶茶铺' };

function formatAmount(amount: number, currency: string): string {
  return currency === 'CNY' ? `¥${(amount / 100).toFixed(2)}` : `${currency} ${amount}`;
}

export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const shop = await shopBackend();
  if (!shop) notFound();
  const { id } = await params;
  const found = await readCheckout(shop, id);

  if (!found) {
    return (
      <div className={s.page}>
        <main className={s.narrow}>
          <h1 className={s.title}>找不到这个结账 · Checkout not found</h1>
          <p>这个订单不存在，或属于另一个浏览器。This order does not exist or belongs to another browser.</p>
          <p>
            <Link href="/">← 回到商店 Back to the shop</Link>
          </p>
        </main>
      </div>
    );
  }

  const { view, secret } = found;
  const opts = optionsFromMetadata(view.metadata);
  const endpoint = await requestOrigin();
  const state = shopOrderState(view, true);

  return (
    <div className={s.page}>
      <ShopHeader />
      <main className={s.checkout}>
        <div className={s.checkoutMain}>
          <h1 className={s.title}>结账 Checkout</h1>
          <div className={s.summary}>
            <div>
              <div className={s.summarySubject}>{view.subject}</div>
              <div className={s.muted}>
                订单 {view.merchantOrderId}
                {opts.channels ? ` · ${opts.channels.map((c) => CHANNEL_LABEL[c]?.split(' ')[0] ?? c).join(' / ')}` : ''}
              </div>
            </div>
            <div className={s.summaryAmount}>{formatAmount(view.amount, view.currency)}</div>
          </div>
          <div className={s.widgetBox}>
            <pay-qr
              endpoint={endpoint}
              order={view.id}
              secret={secret}
              {...(opts.channels ? { channels: opts.channels.join(' ') } : {})}
              {...(opts.lang ? { lang: opts.lang } : {})}
            ></pay-qr>
          </div>
          <p className={s.back}>
            <Link href="/">← 继续购物 Continue shopping</Link>
          </p>
        </div>
        <aside className={s.checkoutSide}>
          <LiveOrder initial={state} publicUrl={shop.publicUrl} />
        </aside>
      </main>
      <script type="module" src="/widget/pay-qr.js"></script>
    </div>
  );
}
