'use client';
/**
 * The order page's live panels: the server's view of the order and, in sandbox mode, the link
 * to the current QR's payer page. Re-read from the server on every widget event — the events
 * only say "look again", never what to show.
 */
import { useEffect, useRef, useState } from 'react';
import type { ShopOrderState } from '../../../../src/shop/state';
import { beijingTime, CHANNEL_LABEL, STATUS_LABEL } from '../../labels';
import s from '../../shop.module.css';

const EVENTS = ['pay-qr-status-change', 'pay-qr-paid', 'pay-qr-expired', 'pay-qr-cancel', 'pay-qr-failed'];

export function LiveOrder({ initial, publicUrl }: { initial: ShopOrderState; publicUrl: string }) {
  const [state, setState] = useState(initial);
  const seq = useRef(0);

  useEffect(() => {
    const refresh = async () => {
      const mine = ++seq.current;
      try {
        const res = await fetch(`/shop/orders/${initial.id}/state`, { cache: 'no-store' });
        if (!res.ok) return;
        const next = (await res.json()) as ShopOrderState;
        if (mine === seq.current) setState(next);
      } catch {
        /* the widget shows network trouble; the next event tries again */
      }
    };
    for (const e of EVENTS) document.addEventListener(e, refresh);
    return () => {
      for (const e of EVENTS) document.removeEventListener(e, refresh);
    };
  }, [initial.id]);

  const paid = state.status === 'paid';
  return (
    <>
      <section aria-labelledby="server-view" className={`${s.panel} ${paid ? s.panelPaid : ''}`}>
        <h2 id="server-view" className={s.panelTitle}>
          服务器上的订单 <span className={s.muted}>Order as the server sees it</span>
        </h2>
        <dl className={s.facts}>
          <dt>
            状态 <small>Status</small>
          </dt>
          <dd>
            <span className={`${s.pill} ${s[`pill_${state.status}`] ?? ''}`}>
              {state.status} · {STATUS_LABEL[state.status] ?? state.status}
            </span>
          </dd>
          <dt>
            支付时间 <small>Paid at</small>
          </dt>
          <dd>{beijingTime(state.paidAt)}</dd>
          <dt>
            渠道 <small>Channel</small>
          </dt>
          <dd>{state.channel ? (CHANNEL_LABEL[state.channel] ?? state.channel) : '—'}</dd>
          <dt>
            服务商 <small>Provider</small>
          </dt>
          <dd>{state.provider ?? '—'}</dd>
          <dt>
            商户订单号 <small>out_trade_no</small>
          </dt>
          <dd className={s.mono}>{state.outTradeNo ?? '—'}</dd>
          <dt>
            PayQR 订单 <small>Order</small>
          </dt>
          <dd className={s.mono}>{state.id}</dd>
        </dl>
      </section>
      {state.status === 'open' ? (
        <section aria-labelledby="sandbox-pay" className={s.panel}>
          <h2 id="sandbox-pay" className={s.panelTitle}>
            沙箱付款 <span className={s.muted}>Where to pay (sandbox)</span>
          </h2>
          {state.payerUrl ? (
            <>
              <p className={s.small}>
                二维码里是模拟器付款页的地址。用同一网络里的手机扫码，或在这里打开：
                <br />
                The code holds the simulator&apos;s payer page. Scan it with a phone on the same network, or open it here:
              </p>
              <p>
                <a className={s.payerLink} href={state.payerUrl} target="_blank" rel="noreferrer">
                  打开付款页 Open the payer page ↗
                </a>
              </p>
              <p className={`${s.small} ${s.mono} ${s.break}`}>{state.payerUrl}</p>
            </>
          ) : (
            <p className={s.small}>
              选择支付方式后，这里会出现付款页链接。Choose a payment method; the payer page&apos;s link shows up here.
            </p>
          )}
          <p className={s.small}>
            手机扫码需要能访问 <code className={s.mono}>{publicUrl}</code>（PAYQR_PUBLIC_URL）。
          </p>
        </section>
      ) : null}
    </>
  );
}
