/**
 * Provider order numbers (`out_trade_no`): "业务订单号+请求序号" — the merchant's order number
 * plus the attempt's sequence (超赢 seed, 商户单号生成), within the provider's length and
 * character rules. Pure functions.
 */
import { createHash } from 'node:crypto';
import type { OutTradeNoRule } from '../providers/types';

/** Longest base we keep readable; leaves room for a sequence inside every provider's 32. */
export const MAX_BASE_LENGTH = 26;

/**
 * The alphanumeric base of an order's provider numbers: the merchant order id with
 * separators removed ("A-10001" → "A10001"); ids that are empty or too long after that
 * become a stable 20-character digest instead.
 */
export function tradeNoBase(merchantOrderId: string): string {
  const plain = merchantOrderId.replace(/[^A-Za-z0-9]/g, '');
  if (plain.length >= 1 && plain.length <= MAX_BASE_LENGTH) return plain;
  const digest = BigInt(`0x${createHash('sha256').update(merchantOrderId).digest('hex')}`).toString(36);
  return `H${digest.slice(0, 19).toUpperCase()}`;
}

/** base + zero-padded sequence (at least 2 digits, more to reach the provider's minimum). */
export function outTradeNo(base: string, seq: number, rule: OutTradeNoRule): string {
  const width = Math.max(2, rule.minLength - base.length);
  const value = `${base}${String(seq).padStart(width, '0')}`;
  if (value.length > rule.maxLength || !rule.pattern.test(value)) {
    throw new Error(`out_trade_no ${value} breaks the provider's rule (${rule.minLength}–${rule.maxLength}, ${rule.pattern})`);
  }
  return value;
}
