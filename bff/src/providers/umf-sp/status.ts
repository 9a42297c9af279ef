/**
 * 联动优势 服务商平台 status tables (docs/providers/umf-sp.md "Status codes"). The document has `respCode`
 * `00` (成功) and `02` (交易结果未明: query), and `62` (entering password) and `04` (unknown) for micropay
 * and the query's `origRespCode` values. Every other code below is **assumed** — UMF's codes are
 * the two-digit UnionPay family (00, 62 …), so we use that family's meanings (03 invalid merchant,
 * 12 invalid transaction, 14 invalid card/code, 25 record not found, 40 function not supported, 51
 * insufficient funds, 63 security violation, 94 duplicate, 96 system malfunction, 98 timeout) —
 * kept in this one file so a corrected table is a local change.
 *
 * Exhaustive by construction:
 * - micropay: a listed code says paid / failed / unknown; an unlisted one is a clear failure
 *   (备注: "other codes are clear failures (a new order number is needed to retry)").
 *   Only `00` is ever success.
 * - query: `respCode` `00` only says the query worked; the order's state is `origRespCode`. An
 *   unlisted `respCode` or `origRespCode` is `unknown`, never a final state we would act on.
 */
import type { PayerProgress, ProviderPaymentState } from '../types';

/** seed: 返回码（00）为成功 */
export const UMF_SP_RESP_OK = '00';

export type UmfSpCodeMeaning =
  | 'ok'
  | 'refused'
  | 'paying'
  | 'merchant_error'
  | 'unknown'
  | 'param_error'
  | 'auth_code_error'
  | 'not_found'
  | 'not_allowed'
  | 'insufficient_balance'
  | 'password_entry'
  | 'sign_error'
  | 'duplicate_order'
  | 'system_error'
  | 'timeout';

export interface UmfSpCodeInfo {
  meaning: UmfSpCodeMeaning;
  /** what UMF says, for logs and the simulator's respMsg */
  label: string;
  /** what a micropay answer with this code means for the attempt */
  micropay: 'paid' | 'failed' | 'unknown';
  progress?: PayerProgress;
  /** what a query / cancel / close answer with this respCode says about the order (`00`: read origRespCode) */
  query: ProviderPaymentState | 'see_orig';
}

/**
 * `respCode` of every call. `micropay: 'failed'` only where the code says the payment cannot have
 * happened (being wrong costs one rescan with a new order number, never money); a duplicate order
 * number is `unknown` — an order with that number exists and only a query can say whether it is
 * ours and paid (the connector queries at once).
 */
export const UMF_SP_RESP_CODES = {
  '00': { meaning: 'ok', label: '成功', micropay: 'paid', query: 'see_orig' },
  /** assumed: a generic refusal by the wallet (also: the payer cancelled) */
  '01': { meaning: 'refused', label: '交易失败', micropay: 'failed', query: 'unknown' },
  /** 备注: 02 交易结果未明（支付结果未知）: query. Read as "paying". */
  '02': { meaning: 'paying', label: '支付中，请查询', micropay: 'unknown', progress: 'paying', query: 'unknown' },
  /** assumed: unknown acqSpId / acqMerId, or the merchant may not use this orderType */
  '03': { meaning: 'merchant_error', label: '商户不存在或无权限', micropay: 'failed', query: 'unknown' },
  /** 04 unknown → query. No progress: nothing says the payer is at work. */
  '04': { meaning: 'unknown', label: '交易状态未知，请查询', micropay: 'unknown', query: 'unknown' },
  /** assumed: a field breaks the rules (missing, too long, bad enum …) */
  '12': { meaning: 'param_error', label: '参数错误', micropay: 'failed', query: 'unknown' },
  /** assumed: the payer's code is malformed, expired or used */
  '14': { meaning: 'auth_code_error', label: '付款码无效', micropay: 'failed', query: 'unknown' },
  /** assumed: query / cancel / close of an order UMF does not have */
  '25': { meaning: 'not_found', label: '原交易不存在', micropay: 'failed', query: 'not_found' },
  /** assumed: the order's state does not allow it (close of a paid order, cancel after the day) */
  '40': { meaning: 'not_allowed', label: '当前订单状态不允许该操作', micropay: 'failed', query: 'unknown' },
  /** assumed: insufficient balance */
  '51': { meaning: 'insufficient_balance', label: '余额不足', micropay: 'failed', query: 'unknown' },
  /** 62 the payer is entering the password → query */
  '62': { meaning: 'password_entry', label: '用户输入密码中', micropay: 'unknown', progress: 'password_entry', query: 'unknown' },
  /** assumed: UMF could not verify our signature */
  '63': { meaning: 'sign_error', label: '签名错误', micropay: 'failed', query: 'unknown' },
  /** assumed: the order number was used before (e.g. this order is already paid) → query */
  '94': { meaning: 'duplicate_order', label: '订单号重复或订单已支付', micropay: 'unknown', query: 'unknown' },
  /** assumed: UMF's own failure says nothing about the payment → query */
  '96': { meaning: 'system_error', label: '系统异常，请查询', micropay: 'unknown', query: 'unknown' },
  /** assumed: UMF timed out towards the wallet → query */
  '98': { meaning: 'timeout', label: '交易超时，请查询', micropay: 'unknown', query: 'unknown' },
} as const satisfies Record<string, UmfSpCodeInfo>;
export type UmfSpRespCode = keyof typeof UMF_SP_RESP_CODES;

const UNLISTED: UmfSpCodeInfo = { meaning: 'refused', label: '未知返回码', micropay: 'failed', query: 'unknown' };

/** The table's entry; an unlisted code is a micropay failure and says nothing to a query. */
export function umfSpRespCode(code: string | undefined): UmfSpCodeInfo & { listed: boolean } {
  if (code !== undefined && Object.hasOwn(UMF_SP_RESP_CODES, code)) return { ...UMF_SP_RESP_CODES[code as UmfSpRespCode], listed: true };
  return { ...UNLISTED, listed: false };
}

/**
 * queryOrder `origRespCode` (docs/providers/umf-sp.md): `00` paid, `02` paying, `03` closed, `04` revoked,
 * `06` failed. `62` (entering the password, the micropay code) is **assumed** to appear here too
 * while the payer types it; it is read as pending either way. Unlisted → `unknown`.
 * A revoked order that had been paid was refunded by the reverse: still `closed` (not paid).
 */
export const UMF_SP_ORIG_RESP_CODES = {
  '00': { state: 'paid', label: '支付成功' },
  '02': { state: 'pending', progress: 'paying', label: '支付中' },
  '62': { state: 'pending', progress: 'password_entry', label: '用户输入密码中' },
  '03': { state: 'closed', label: '订单已关闭' },
  '04': { state: 'closed', label: '订单已撤销' },
  '06': { state: 'failed', label: '支付失败' },
} as const satisfies Record<string, { state: ProviderPaymentState; progress?: PayerProgress; label: string }>;
export type UmfSpOrigRespCode = keyof typeof UMF_SP_ORIG_RESP_CODES;

export function umfSpOrigRespCode(code: string | undefined): { state: ProviderPaymentState; progress?: PayerProgress; label: string } | undefined {
  return code !== undefined && Object.hasOwn(UMF_SP_ORIG_RESP_CODES, code) ? UMF_SP_ORIG_RESP_CODES[code as UmfSpOrigRespCode] : undefined;
}
