/**
 * The demo till's "new sale" form → the body of `POST /api/orders`, which the till's SERVER sends
 * (the browser only says which basket or how much; the order is created server-side).
 */
import { randomBytes } from 'node:crypto';
import type { CreateOrderParams } from '@payqr/node';
import { decimalToMinor } from '../core/money';

export const BASKETS = {
  coffee: { subject: '美式咖啡 ×2', amount: 3600 },
  lunch: { subject: '午市套餐', amount: 4250 },
  groceries: { subject: '生鲜一篮', amount: 12880 },
} as const;
export type BasketId = keyof typeof BASKETS;

export type Sale = { ok: true; body: CreateOrderParams } | { ok: false; message: string };

/** `basket=coffee`, or `amount=19.99` (yuan); `scanDeadline` (sandbox, seconds) caps one scan's life. */
export function saleFromForm(form: FormData): Sale {
  const basket = String(form.get('basket') ?? '');
  const amountText = String(form.get('amount') ?? '').trim();
  let amount: number;
  let subject: string;
  if (basket in BASKETS) {
    ({ amount, subject } = BASKETS[basket as BasketId]);
  } else {
    try {
      amount = decimalToMinor(amountText, 'CNY');
    } catch {
      return { ok: false, message: '金额格式不对：例如 19.99' };
    }
    if (amount < 1 || amount > 99_999_99) return { ok: false, message: '金额须在 0.01 到 99999.99 之间' };
    subject = '收银台收款';
  }
  const body: CreateOrderParams = {
    merchantOrderId: `TILL-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
    amount,
    currency: 'CNY',
    subject,
    metadata: { source: 'demo-cashier' },
  };
  // PayQR reverses a scan still unknown when its attempt expires; the provider's own
  // deadline (60 s) applies anyway. Shorter here only to try the reverse without waiting.
  const deadline = Number(form.get('scanDeadline') ?? '');
  if (Number.isInteger(deadline) && deadline >= 5 && deadline <= 600) body.attemptTtlSeconds = deadline;
  return { ok: true, body };
}
