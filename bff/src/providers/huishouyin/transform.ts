/**
 * Pure mappings between PayQR's types and 汇收银's wire fields (docs/providers/huishouyin.md). No I/O,
 * no clock, no randomness: the connector passes in the answer it parsed (exact JSON) and the
 * signature verdict it computed on it. Table-tested in transform.test.ts.
 */
import { detectAuthCodeChannel } from '../../core/auth-code';
import type { Channel } from '../../core/domain';
import { invalidRequest, PayQrError } from '../../core/errors';
import { parseForm } from '../../core/form';
import { isJsonObject, parseExactJson, scalarText, stringifyExactJson, type ExactJson, type ExactJsonObject } from '../../core/strict-json';
import {
  NotSupportedError,
  type CreatePaymentInput,
  type CreatePaymentResult,
  type ProviderPaymentState,
  type ProviderPaymentStatus,
  type QueryRef,
} from '../types';
import { fenToYuan, yuanToFen } from './amount';
import type { HuishouyinAnswerSignature } from './signature';
import { huishouyinCode, huishouyinOrderStatus, huishouyinPayType, huishouyinProgress, HUISHOUYIN_PAY_TYPES } from './status';
import type { HuishouyinAnswer, HuishouyinOrderParams, HuishouyinPayParams, HuishouyinStoreInfo } from './wire';

/** Our identity at 汇收银: from configuration. */
export interface HuishouyinMerchant {
  appId: string;
  /** sent as store_info when configured (店铺信息预留域) */
  storeInfo?: HuishouyinStoreInfo;
}

/** PayQR's rule for order_id (the seed allows 128; attempts use 5–32 letters and digits). */
export const HUISHOUYIN_ORDER_ID = /^[A-Za-z0-9]{5,32}$/;

/** pay_type 0 WeChat / 1 Alipay: the wallets 汇收银 takes a payer's code from (no UnionPay). */
const SUPPORTED_CHANNELS: ReadonlySet<Channel> = new Set(Object.values(HUISHOUYIN_PAY_TYPES));

export function toPayParams(input: CreatePaymentInput, merchant: HuishouyinMerchant): HuishouyinPayParams {
  if (input.scene !== 'micropay') throw new NotSupportedError('huishouyin', `the ${input.scene} scene (cashier scans the payer's code only)`);
  if (!SUPPORTED_CHANNELS.has(input.channel)) throw new NotSupportedError('huishouyin', `the ${input.channel} channel (pay_type 0 WeChat / 1 Alipay only)`);
  if (input.money.currency !== 'CNY') throw new NotSupportedError('huishouyin', `charging in ${input.money.currency} (CNY only)`);
  if (!HUISHOUYIN_ORDER_ID.test(input.outTradeNo)) {
    throw invalidRequest(`huishouyin order_id must be 5–32 letters and digits, got ${JSON.stringify(input.outTradeNo)}`);
  }
  if (!Number.isSafeInteger(input.money.amount) || input.money.amount <= 0) throw invalidRequest('amount must be a positive integer of fen');
  const payCode = input.authCode?.trim();
  if (!payCode) throw new PayQrError(400, 'invalid_auth_code', "authCode: the payer's code (付款码) is required for micropay");
  const detected = detectAuthCodeChannel(payCode);
  if (!detected.ok) throw new PayQrError(400, 'invalid_auth_code', detected.message);
  if (detected.channel !== input.channel) {
    throw new PayQrError(400, 'invalid_auth_code', `authCode: this is a ${detected.channel} code, but the attempt is for ${input.channel}`);
  }
  const params: HuishouyinPayParams = {
    app_id: merchant.appId,
    sign_type: 'MD5',
    order_id: input.outTradeNo,
    pay_code: payCode,
    total_amount: fenToYuan(input.money.amount),
  };
  const store = merchant.storeInfo && Object.fromEntries(Object.entries(merchant.storeInfo).filter(([, v]) => v !== undefined && v !== ''));
  if (store && Object.keys(store).length) params.store_info = store;
  return params;
}

export function toOrderParams(ref: Pick<QueryRef, 'outTradeNo'>, merchant: HuishouyinMerchant): HuishouyinOrderParams {
  return { app_id: merchant.appId, sign_type: 'MD5', order_id: ref.outTradeNo };
}

// ---- answers → status ---------------------------------------------------------------------

/** A voucher_list entry (seed "voucher_list 结构"), money in fen; `raw` keeps the entry as received. */
export interface HuishouyinVoucher {
  id?: string;
  name?: string;
  activityId?: string;
  scope?: string;
  type?: string;
  amount?: number;
  merchantContribute?: number;
  otherContribute?: number;
  purchaseAntContribute?: number;
  raw: string;
}

const fenOf = (v: ExactJson | undefined): number | undefined => {
  const t = scalarText(v);
  return t === undefined ? undefined : yuanToFen(t);
};

function readVoucher(v: ExactJson): HuishouyinVoucher {
  if (!isJsonObject(v)) return { raw: stringifyExactJson(v) };
  const out: HuishouyinVoucher = { raw: stringifyExactJson(v) };
  const text = { id: 'id', name: 'name', activityId: 'activity_id', scope: 'scope', type: 'type' } as const;
  for (const [ours, wire] of Object.entries(text) as Array<[keyof typeof text, string]>) {
    const t = scalarText(v[wire]);
    if (t !== undefined && t !== '') out[ours] = t;
  }
  const money = { amount: 'amount', merchantContribute: 'merchant_contribute', otherContribute: 'other_contribute', purchaseAntContribute: 'purchase_ant_contribute' } as const;
  for (const [ours, wire] of Object.entries(money) as Array<[keyof typeof money, string]>) {
    const fen = fenOf(v[wire]);
    if (fen !== undefined) out[ours] = fen;
  }
  return out;
}

/**
 * `data` of a pay/check answer (or a pay/qrcode answer, or a webhook) → status, about `outTradeNo`.
 * `total_amount` is the amount matched against the order; `payable_amount` (after 联富通 member
 * coupons) and `real_amount` (after wallet vouchers; 0 while unpaid) and the vouchers are
 * recorded in `extra`. "paid" without a readable `total_amount` cannot be matched, so it is
 * reported as `unknown`.
 */
export function statusFromData(data: ExactJsonObject, outTradeNo: string, answer: { code?: string; msg?: string } = {}): ProviderPaymentStatus {
  const orderStatus = scalarText(data.order_status);
  const entry = huishouyinOrderStatus(orderStatus);
  let state: ProviderPaymentState = entry?.state ?? 'unknown';
  let message = answer.msg ?? entry?.label;
  const totalAmount = fenOf(data.total_amount);
  if (state === 'paid' && totalAmount === undefined) {
    state = 'unknown';
    message = `paid without a readable total_amount (${stringifyExactJson(data.total_amount ?? null)})`;
  }
  if (orderStatus !== undefined && !entry) message = `unlisted order_status ${orderStatus}${answer.msg ? `: ${answer.msg}` : ''}`;

  const extra: Record<string, unknown> = {};
  if (totalAmount !== undefined) extra.totalAmount = totalAmount;
  const payable = fenOf(data.payable_amount);
  if (payable !== undefined) extra.payableAmount = payable;
  const real = fenOf(data.real_amount);
  if (real !== undefined) extra.realAmount = real;
  if (Array.isArray(data.voucher_list) && data.voucher_list.length) extra.vouchers = data.voucher_list.map(readVoucher);
  const payType = huishouyinPayType(scalarText(data.pay_type));
  if (payType) extra.payType = payType;

  const tradeNo = scalarText(data.trade_no);
  const appId = scalarText(data.app_id);
  return {
    state,
    outTradeNo,
    ...(totalAmount !== undefined ? { amount: totalAmount, currency: 'CNY' } : {}),
    ...(appId ? { merchantId: appId } : {}),
    ...(tradeNo ? { providerTradeNo: tradeNo } : {}),
    providerCode: orderStatus !== undefined ? `order_status=${orderStatus}` : `code=${answer.code ?? ''}`,
    ...(message ? { providerMessage: message } : {}),
    ...(state === 'pending' ? { progress: huishouyinProgress(answer.code) } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

const describe = (a: HuishouyinAnswer) => {
  const os = scalarText(a.data.order_status);
  return `code=${a.code}${os !== undefined ? ` order_status=${os}` : ''}${a.msg ? ` msg=${a.msg}` : ''}`;
};

/**
 * Any answer about one order (pay/check, and the confirmations of pay/cancel and pay/close) →
 * status. An answer whose `sign` is present but wrong is never believed; one about another
 * order_id neither.
 */
export function statusFromAnswer(a: HuishouyinAnswer, signature: HuishouyinAnswerSignature, ref: Pick<QueryRef, 'outTradeNo'>): ProviderPaymentStatus {
  const base = { outTradeNo: ref.outTradeNo, providerCode: `code=${a.code}`, ...(a.msg ? { providerMessage: a.msg } : {}) };
  if (signature === 'invalid') return { ...base, state: 'unknown', providerMessage: `bad_signature: answer ignored (${describe(a)})` };
  const meaning = huishouyinCode(a.code)?.meaning;
  if (meaning === 'not_found') return { ...base, state: 'not_found' };
  if (meaning !== 'ok' && meaning !== 'waiting_for_payer') return { ...base, state: 'unknown', providerMessage: describe(a) };
  const orderId = scalarText(a.data.order_id);
  if (orderId !== undefined && orderId !== ref.outTradeNo) return { ...base, state: 'unknown', providerMessage: `answer for another order (order_id ${orderId})` };
  // 1002 without data: still waiting for the payer.
  if (meaning === 'waiting_for_payer' && a.data.order_status === undefined) return { ...base, state: 'pending', progress: 'password_entry' };
  return statusFromData(a.data, ref.outTradeNo, a);
}

/** The pay call's reading: a create result, or "already paid" (1003), which pay/check must confirm. */
export type PayAnswerReading = CreatePaymentResult | { outcome: 'already_paid'; message: string };

/**
 * The pay/qrcode answer → our result (docs/providers/README.md "Micropay (cashier) state machine":
 * paid | failed | unknown(paying / password entry / timeout)).
 *
 * - 2000 / 3000: refused before any wallet saw it → failed.
 * - 1003: the order_id was paid before → confirm with pay/check (the answer may carry no data).
 * - 1002, or order_status 0: the payer has not finished → unknown with progress, query.
 * - order_status 1 → paid; -1, 4, 5 → failed (a new order_id is needed to retry).
 * - anything else (-10, refund states, unlisted codes, a wrong sign, another order_id) → unknown.
 */
export function fromPayAnswer(a: HuishouyinAnswer, signature: HuishouyinAnswerSignature, ctx: { outTradeNo: string }): PayAnswerReading {
  if (signature === 'invalid') return { outcome: 'unknown', reason: `bad_signature on ${describe(a)}` };
  const code = huishouyinCode(a.code);
  if (code?.finalForCreate) return { outcome: 'failed', code: a.code, message: a.msg ?? describe(a) };
  if (code?.meaning === 'already_paid') return { outcome: 'already_paid', message: a.msg ?? describe(a) };
  if (code?.meaning !== 'ok' && code?.meaning !== 'waiting_for_payer') return { outcome: 'unknown', reason: describe(a) };
  const status = statusFromAnswer(a, signature, ctx);
  switch (status.state) {
    case 'paid':
      return { outcome: 'paid', status };
    case 'pending':
      return { outcome: 'unknown', reason: describe(a), progress: status.progress ?? 'paying' };
    case 'failed':
    case 'closed':
      return { outcome: 'failed', code: status.providerCode ?? a.code, message: a.msg ?? status.providerMessage ?? describe(a) };
    case 'unknown':
    case 'refunded':
    case 'not_found':
      return { outcome: 'unknown', reason: status.providerMessage && status.state === 'unknown' ? `${status.providerMessage} (${describe(a)})` : describe(a) };
  }
}

// ---- the webhook ----------------------------------------------------------------------------

/**
 * The webhook body → the status it *claims* (never trusted: it carries no signature). The seed
 * does not describe the webhook; accepted shapes (assumed): a JSON object with the fields of an
 * answer's `data` (`order_id`, `order_status`, `total_amount` …), the same wrapped as
 * `{code, msg, data}`, or the same fields as a form. Unusable without an `order_id`.
 */
export function fromNotification(text: string): { status: ProviderPaymentStatus } | { malformed: string } {
  const trimmed = text.trim();
  if (!trimmed) return { malformed: 'empty body' };
  let fields: ExactJsonObject;
  if (trimmed.startsWith('{')) {
    let parsed: ExactJson;
    try {
      parsed = parseExactJson(trimmed);
    } catch (e) {
      return { malformed: `body starts like JSON but is not JSON: ${(e as Error).message}` };
    }
    if (!isJsonObject(parsed)) return { malformed: 'JSON body is not an object' };
    fields = parsed.order_id === undefined && isJsonObject(parsed.data) ? parsed.data : parsed;
  } else {
    const form = parseForm(trimmed);
    if (!form.ok) return { malformed: form.reason };
    fields = form.fields;
  }
  const orderId = scalarText(fields.order_id);
  if (!orderId) return { malformed: 'no order_id' };
  if (orderId.length > 128) return { malformed: 'order_id longer than 128 characters' };
  return { status: statusFromData(fields, orderId) };
}
