/**
 * 联动优势 魔方 status tables. The seed's 返回码 points at a 全局参数说明 page it does not
 * include, so apart from `0000` (ok) and the apisync "still paying" codes (docs/providers/umf-mofun.md),
 * every code below is **assumed** — kept here, in one file, so a corrected table is a local
 * change. Exhaustive by construction: anything unlisted is `unknown`, never success and never
 * a final state we would act on.
 */
import type { ProviderPaymentState } from '../types';

/** retCode `0000` = ok (activescan: order created; apisync: paid) */
export const UMF_MOFUN_RET_OK = '0000';

export type UmfMofunCodeMeaning =
  | 'ok'
  | 'param_error'
  | 'sign_error'
  | 'merchant_error'
  | 'duplicate_order'
  | 'order_not_found'
  | 'processing'
  | 'system_busy';

/**
 * Error / result codes of activescan and apisync (assumed, UMF-style 8 digits).
 * - `create`: what an activescan answer with this code means for the attempt. `failed` only
 *   where the code says no payable order can exist (being wrong costs one retry with a new
 *   order number, never money); a duplicate order number is `unknown` — an order with that
 *   number exists, and only the query can say whether it is ours and paid.
 * - `query`: what an apisync answer with this code says about the order. An error about our
 *   request (bad signature, busy…) says nothing about the order: `unknown`.
 */
export const UMF_MOFUN_CODES = {
  '0000': { meaning: 'ok', create: 'created', query: 'paid' },
  '00001001': { meaning: 'param_error', create: 'failed', query: 'unknown' },
  '00001002': { meaning: 'sign_error', create: 'failed', query: 'unknown' },
  '00001003': { meaning: 'merchant_error', create: 'failed', query: 'unknown' },
  '00001004': { meaning: 'duplicate_order', create: 'unknown', query: 'unknown' },
  '00001005': { meaning: 'order_not_found', create: 'unknown', query: 'not_found' },
  /** the NEED_QUERY equivalent: accepted, result not known yet */
  '00009998': { meaning: 'processing', create: 'unknown', query: 'unknown' },
  '00009999': { meaning: 'system_busy', create: 'unknown', query: 'unknown' },
} as const satisfies Record<string, { meaning: UmfMofunCodeMeaning; create: 'created' | 'failed' | 'unknown'; query: ProviderPaymentState }>;
export type UmfMofunCode = keyof typeof UMF_MOFUN_CODES;

export function umfMofunCode(code: string | undefined): (typeof UMF_MOFUN_CODES)[UmfMofunCode] | undefined {
  return code !== undefined && Object.hasOwn(UMF_MOFUN_CODES, code) ? UMF_MOFUN_CODES[code as UmfMofunCode] : undefined;
}

/**
 * apisync ("2.6订单状态同步") order states (docs/providers/umf-mofun.md): `0000` paid;
 * `01000000` / `02000000` / `03000000` still paying; "others after that = closed or failed".
 *
 * Our reading of "others after that" (assumed): the codes of the same family — two digits then
 * `000000` — numbered after 03 are final, unpaid states; we name `04000000` (closed: the order
 * lapsed after expairTime) and `05000000` (payment failed), and read any later member of the
 * family as closed. Codes outside the family (the error codes above, or anything else) are
 * never read as final: a "system busy" must not close an order that may still be paid.
 */
export const UMF_MOFUN_SYNC_STATES = {
  '01000000': { state: 'pending', label: '待支付 (created, unpaid)' },
  '02000000': { state: 'pending', label: '支付中 (paying)' },
  '03000000': { state: 'pending', label: '等待用户确认 (waiting for the payer)' },
  '04000000': { state: 'closed', label: '订单已关闭 (lapsed)' },
  '05000000': { state: 'failed', label: '支付失败 (failed)' },
} as const satisfies Record<string, { state: ProviderPaymentState; label: string }>;
export type UmfMofunSyncCode = keyof typeof UMF_MOFUN_SYNC_STATES;

const SYNC_FAMILY = /^(\d{2})000000$/;

/** retCode of an apisync answer → the order's state (see the tables above). */
export function umfMofunSyncState(retCode: string | undefined): ProviderPaymentState {
  if (retCode === undefined) return 'unknown';
  if (retCode === UMF_MOFUN_RET_OK) return 'paid';
  if (Object.hasOwn(UMF_MOFUN_SYNC_STATES, retCode)) return UMF_MOFUN_SYNC_STATES[retCode as UmfMofunSyncCode].state;
  const family = SYNC_FAMILY.exec(retCode);
  if (family && Number(family[1]) > 3) return 'closed';
  return umfMofunCode(retCode)?.query ?? 'unknown';
}

/**
 * 3.1 notification `tradeState` (docs/providers/umf-mofun.md): `TRADE_SUCCESS` (= paid). The others are
 * assumed (Alipay-style names); an unlisted value is `unknown`, so a verified notification with
 * a state we do not know only makes the poller look.
 */
export const UMF_MOFUN_TRADE_STATES = {
  TRADE_SUCCESS: 'paid',
  TRADE_FAIL: 'failed',
  TRADE_CLOSED: 'closed',
  WAIT_BUYER_PAY: 'pending',
} as const satisfies Record<string, ProviderPaymentState>;
export type UmfMofunTradeState = keyof typeof UMF_MOFUN_TRADE_STATES;

export function umfMofunTradeState(v: string | undefined): ProviderPaymentState {
  return v !== undefined && Object.hasOwn(UMF_MOFUN_TRADE_STATES, v) ? UMF_MOFUN_TRADE_STATES[v as UmfMofunTradeState] : 'unknown';
}

/**
 * Our reply's retCode: `0000` received (doc); a rejection is any other code (UMF retries).
 * `9999` is our choice (assumed).
 */
export const UMF_MOFUN_ACK_OK = '0000';
export const UMF_MOFUN_ACK_REJECTED = '9999';
