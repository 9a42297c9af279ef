/**
 * What the demo shop shows about an order: the server's view, re-read after every widget
 * event (never taken from the event itself).
 */
import type { Order } from '@payqr/node';

export interface ShopOrderState {
  id: string;
  merchantOrderId: string;
  status: Order['status'];
  amount: number;
  currency: string;
  subject: string;
  expiresAt: string;
  paidAt: string | null;
  channel: string | null;
  provider: string | null;
  outTradeNo: string | null;
  attemptStatus: string | null;
  /** sandbox only: the current QR's content, the URL of the simulator's payer page */
  payerUrl: string | null;
}

export function shopOrderState(view: Order, sandbox: boolean): ShopOrderState {
  const a = view.attempt;
  return {
    id: view.id,
    merchantOrderId: view.merchantOrderId,
    status: view.status,
    amount: view.amount,
    currency: view.currency,
    subject: view.subject,
    expiresAt: view.expiresAt,
    paidAt: view.paidAt ?? null,
    channel: view.channel ?? null,
    provider: a?.provider ?? null,
    outTradeNo: a?.outTradeNo ?? null,
    attemptStatus: a?.status ?? null,
    payerUrl: sandbox && view.status === 'open' && a?.status === 'pending' && a.qr ? a.qr.content : null,
  };
}
