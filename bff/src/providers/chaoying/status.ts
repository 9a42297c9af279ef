/**
 * 超赢 status tables (响应结果 "详见参数规定"; the 参数规定 appendix itself is not in the
 * document we have: docs/providers/chaoying.md "Status codes"). Exhaustive: every known value is
 * listed with what it means for us, and anything unlisted is `unknown` — never success.
 */
import type { ProviderPaymentState } from '../types';

/** `state`: communication status. Anything else than SUCCESS means the request was not processed normally. */
export const CHAOYING_STATE_OK = 'SUCCESS';

export type ChaoyingCodeMeaning = 'ok' | 'paying' | 'unpaid' | 'closed' | 'revoked' | 'pay_error' | 'not_found' | 'sign_error' | 'param_error';

/**
 * `code` → meaning, for the pre-order, the query and close.
 * - `finalForCreate`: a create answered with this code certainly did not produce a payable order
 *   (so the attempt is `failed`, even when the answer is unsigned: being wrong costs one retry
 *   with a new out_trade_no, never money).
 */
export const CHAOYING_CODES = {
  /** the call succeeded; for a query the trade's state is in `pay_status` (never "paid" by itself) */
  '10000': { meaning: 'ok', query: 'unknown', finalForCreate: false },
  '10001': { meaning: 'paying', query: 'pending', finalForCreate: false },
  /**
   * assumed: the seed's table skips 10002 and says nothing about "order does not exist" for the
   * (assumed) orderquery. We read 10002 as ORDER_NOT_EXIST. Both plausible readings (not found /
   * failed) are non-paid finals, so a misreading can never settle an order.
   */
  '10002': { meaning: 'not_found', query: 'not_found', finalForCreate: false },
  '10003': { meaning: 'unpaid', query: 'pending', finalForCreate: false },
  '10004': { meaning: 'closed', query: 'closed', finalForCreate: false },
  '10005': { meaning: 'revoked', query: 'closed', finalForCreate: false },
  '10006': { meaning: 'pay_error', query: 'failed', finalForCreate: true },
  '20002': { meaning: 'sign_error', query: 'unknown', finalForCreate: true },
  '20004': { meaning: 'param_error', query: 'unknown', finalForCreate: true },
} as const satisfies Record<string, { meaning: ChaoyingCodeMeaning; query: ProviderPaymentState; finalForCreate: boolean }>;
export type ChaoyingCode = keyof typeof CHAOYING_CODES;

/** The simulator's not-found answer uses the same assumed code. */
export const CHAOYING_ORDER_NOT_FOUND_CODE: ChaoyingCode = '10002';

export function chaoyingCode(code: string | undefined): (typeof CHAOYING_CODES)[ChaoyingCode] | undefined {
  return code !== undefined && Object.hasOwn(CHAOYING_CODES, code) ? CHAOYING_CODES[code as ChaoyingCode] : undefined;
}

/** `trade_state`: SUCCESS | FAIL | NEED_QUERY | REFUND. */
export const CHAOYING_TRADE_STATES = {
  SUCCESS: 'success',
  FAIL: 'fail',
  /** seed: 网络异常、超时或交易状态为"NEED_QUERY"时 … 调用订单查询 */
  NEED_QUERY: 'need_query',
  REFUND: 'refund',
} as const;
export type ChaoyingTradeState = keyof typeof CHAOYING_TRADE_STATES;

export function chaoyingTradeState(v: string | undefined): (typeof CHAOYING_TRADE_STATES)[ChaoyingTradeState] | undefined {
  return v !== undefined && Object.hasOwn(CHAOYING_TRADE_STATES, v) ? CHAOYING_TRADE_STATES[v as ChaoyingTradeState] : undefined;
}

/** Query `pay_status` (assumed, docs/providers/chaoying.md): 1 paid, 2 failed, 3 paying, 4 revoked, 5 closed, 0 refund. */
export const CHAOYING_PAY_STATUS = {
  '0': 'refunded',
  '1': 'paid',
  '2': 'failed',
  '3': 'pending',
  '4': 'closed',
  '5': 'closed',
} as const satisfies Record<string, ProviderPaymentState>;
export type ChaoyingPayStatus = keyof typeof CHAOYING_PAY_STATUS;

export function chaoyingPayStatus(v: string | undefined): ProviderPaymentState | undefined {
  return v !== undefined && Object.hasOwn(CHAOYING_PAY_STATUS, v) ? CHAOYING_PAY_STATUS[v as ChaoyingPayStatus] : undefined;
}

/**
 * Notification success: the seed's table says "state和trade_state都为0" (SwiftPass wording)
 * while its examples carry `state=SUCCESS&result_code=SUCCESS`; both spellings are accepted
 * (the fields are signed, so this leniency is not a trust question). `pay_result` `0` = paid.
 */
export function chaoyingIsOk(v: string | undefined): boolean {
  return v === 'SUCCESS' || v === '0';
}
