/**
 * scanforpay status tables (响应数据 "code … 1:成功 其他为交易失败", its failure example code 30
 * 订单不存在, and docs/providers/scanforpay.md "Status codes" for the rest). Exhaustive: every known value is
 * listed with what it means for us; anything unlisted is never success.
 */
import type { ProviderPaymentState } from '../types';

/** `body.code` 1: 成功 */
export const SCANFORPAY_CODE_OK = 1;

export type ScanforpayCodeMeaning = 'ok' | 'invalid_request' | 'signature_invalid' | 'result_unknown' | 'order_not_found' | 'duplicate_order';

/**
 * `body.code` → meaning.
 * - `create`: what a *verified* create answer with this code means (seed: 其他为交易失败, so an
 *   unlisted code is `failed` too).
 * - `finalForCreate`: a create answered with this code certainly created no payable order, so
 *   the attempt is `failed` even when the answer is unsigned or its signature does not match
 *   (being wrong costs one retry with a new partnerOrderNo, never money). Otherwise an
 *   unverifiable answer is `unknown` and the query decides.
 * - `query`: what a payQuery answered with this code says about the order (`ok`: see status).
 */
export const SCANFORPAY_CODES = {
  1: { meaning: 'ok', create: 'created', finalForCreate: false, query: 'unknown' },
  /**
   * assumed: the seed lists no code for a malformed request (missing field, bad length, unknown
   * store). The simulator answers 2; any reading of it is "nothing was created".
   */
  2: { meaning: 'invalid_request', create: 'failed', finalForCreate: true, query: 'unknown' },
  /** 签名错误: the request was refused before anything was created */
  8: { meaning: 'signature_invalid', create: 'failed', finalForCreate: true, query: 'unknown' },
  /** 结果未知: the order may exist (our NEED_QUERY): query on the schedule */
  21: { meaning: 'result_unknown', create: 'unknown', finalForCreate: false, query: 'unknown' },
  /** 订单不存在 (seed failure example) */
  30: { meaning: 'order_not_found', create: 'failed', finalForCreate: false, query: 'not_found' },
  /**
   * 订单重复: the partnerOrderNo was used before. We never resend a create (every attempt has its
   * own number), so the order it names is not this attempt's: failed, and never queried as ours.
   */
  31: { meaning: 'duplicate_order', create: 'failed', finalForCreate: true, query: 'unknown' },
} as const satisfies Record<number, { meaning: ScanforpayCodeMeaning; create: 'created' | 'failed' | 'unknown'; finalForCreate: boolean; query: ProviderPaymentState }>;
export type ScanforpayCode = keyof typeof SCANFORPAY_CODES;

/** What the simulator answers for requests it cannot accept (assumed, see code 2). */
export const SCANFORPAY_INVALID_REQUEST_CODE: ScanforpayCode = 2;

export function scanforpayCode(code: number): (typeof SCANFORPAY_CODES)[ScanforpayCode] | undefined {
  return Object.hasOwn(SCANFORPAY_CODES, code) ? SCANFORPAY_CODES[code as ScanforpayCode] : undefined;
}

/** payQuery `body.status` (docs/providers/scanforpay.md): 0 unpaid, 1 paid, 2 failed, 3 refunded. */
export const SCANFORPAY_PAY_STATUS = {
  0: 'pending',
  1: 'paid',
  2: 'failed',
  3: 'refunded',
} as const satisfies Record<number, ProviderPaymentState>;
export type ScanforpayPayStatus = keyof typeof SCANFORPAY_PAY_STATUS;

export function scanforpayPayStatus(status: number | undefined): ProviderPaymentState | undefined {
  return status !== undefined && Object.hasOwn(SCANFORPAY_PAY_STATUS, status) ? SCANFORPAY_PAY_STATUS[status as ScanforpayPayStatus] : undefined;
}
