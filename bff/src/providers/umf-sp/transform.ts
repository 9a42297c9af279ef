/**
 * Pure mappings between PayQR's types and 联动优势 服务商平台's wire fields (docs/providers/umf-sp.md). No I/O, no
 * clock, no randomness: the connector passes in the time an answer arrived and the signature
 * verdict it computed on the raw map. Every function here is table-tested in transform.test.ts.
 */
import { detectAuthCodeChannel } from '../../core/auth-code';
import { beijingCompact, parseBeijingCompact } from '../../core/clock';
import type { Channel } from '../../core/domain';
import { invalidRequest } from '../../core/errors';
import { maskCode } from '../../core/log';
import {
  NotSupportedError,
  type CreatePaymentInput,
  type CreatePaymentResult,
  type ProviderPaymentState,
  type ProviderPaymentStatus,
  type QueryRef,
} from '../types';
import { umfGoodsInfo } from '../umf/wire';
import type { UmfSpSignatureCheck } from './signature';
import { UMF_SP_RESP_OK, umfSpOrigRespCode, umfSpRespCode } from './status';
import {
  UMF_SP_GOODS_INFO_MAX,
  UMF_SP_ORDER_TYPE_BY_CHANNEL,
  UMF_SP_OUR_ORDER_NO,
  umfSpBackUrlProblem,
  type UmfSpMicropayRequest,
  type UmfSpOrderRefRequest,
  type UmfSpOrderType,
  type UmfSpResponse,
} from './wire';

/** Our identity at 联动优势: from configuration. */
export interface UmfSpMerchant {
  /** 代理商编号 (服务商), e.g. Y000000001 */
  acqSpId: string;
  /** 商户号, e.g. 30000064 */
  acqMerId: string;
  /** 商品ID (seed: M, 16): one fixed id for every sale (PAYQR_UMF_SP_GOODS_ID) */
  goodsId: string;
}

export type UmfSpMicropayParams = Omit<UmfSpMicropayRequest, 'signature'>;
export type UmfSpOrderRefParams = Omit<UmfSpOrderRefRequest, 'signature'>;

export function umfSpOrderTypeFor(channel: Channel): UmfSpOrderType {
  const t = UMF_SP_ORDER_TYPE_BY_CHANNEL[channel];
  if (!t) throw new NotSupportedError('umf-sp', `the ${channel} channel`);
  return t;
}

/**
 * Why the payer's code must not be sent, or undefined (seed authCode: WeChat 18 digits starting
 * 10–15, Alipay 16–24 digits starting 25–30, UnionPay 19 digits starting 62 — core/auth-code), and
 * the code must belong to the attempt's channel (the seed's orderType).
 */
export function authCodeProblem(authCode: string | undefined, channel: Channel): string | undefined {
  if (authCode === undefined || authCode === '') return 'authCode: required for micropay (the code scanned from the payer’s wallet)';
  if (authCode !== authCode.trim()) return 'authCode: surrounding whitespace (pass the code exactly as scanned, trimmed)';
  const detected = detectAuthCodeChannel(authCode);
  if (!detected.ok) return detected.message;
  if (detected.channel !== channel) return `authCode: a ${detected.channel} code cannot pay through the ${channel} channel`;
  return undefined;
}

/**
 * The micropay request (请求参数), without `signature`. The payer's code must have passed
 * {@link authCodeProblem} first. `backUrl` is left out (with the reason in `backUrlDropped`) when
 * our notify URL breaks the seed's character rule: the result is still established by queries —
 * the seed itself asks integrators to rely on "3.4订单状态同步".
 */
export function toMicropayParams(
  input: CreatePaymentInput,
  merchant: UmfSpMerchant,
): { params: UmfSpMicropayParams; backUrlDropped?: string } {
  if (input.scene !== 'micropay') throw new NotSupportedError('umf-sp', `the ${input.scene} scene (micropay only: the cashier scans the payer’s code)`);
  if (input.money.currency !== 'CNY') throw new NotSupportedError('umf-sp', `charging in ${input.money.currency} (CNY only)`);
  if (!UMF_SP_OUR_ORDER_NO.test(input.outTradeNo)) {
    throw invalidRequest(`umf-sp orderNo must be 5–32 letters and digits, got ${JSON.stringify(input.outTradeNo)}`);
  }
  if (!Number.isSafeInteger(input.money.amount) || input.money.amount <= 0 || String(input.money.amount).length > 13) {
    throw invalidRequest('amount must be a positive integer of fen (at most 13 digits: seed txnAmt)');
  }
  const orderType = umfSpOrderTypeFor(input.channel);
  if (!input.authCode) throw invalidRequest('authCode: required for micropay');
  const goodsInfo = umfGoodsInfo(input.subject, input.outTradeNo, UMF_SP_GOODS_INFO_MAX);
  const params: UmfSpMicropayParams = {
    // seed orderTime yyyyMMddHHmmss, GMT+8: the attempt's creation time (taken from the injected
    // clock by the use case), so that queries can send the very same value.
    orderTime: beijingCompact(input.createdAt),
    acqSpId: merchant.acqSpId,
    acqMerId: merchant.acqMerId,
    orderNo: input.outTradeNo,
    txnAmt: String(input.money.amount),
    orderType,
    authCode: input.authCode,
    goodsId: merchant.goodsId,
    goodsInfo,
  };
  const problem = umfSpBackUrlProblem(input.notifyUrl);
  if (problem) return { params, backUrlDropped: `backUrl ${problem}` };
  params.backUrl = input.notifyUrl;
  return { params };
}

/** queryOrder / cancelOrder / closeOrder (docs/providers/umf-sp.md; `orderTime` assumed, see wire.ts). */
export function toOrderRefParams(ref: Pick<QueryRef, 'outTradeNo' | 'createdAt'>, merchant: UmfSpMerchant): UmfSpOrderRefParams {
  return { acqSpId: merchant.acqSpId, acqMerId: merchant.acqMerId, orderNo: ref.outTradeNo, orderTime: beijingCompact(ref.createdAt) };
}

const FEN = /^(?:0|[1-9]\d{0,12})$/;
const fen = (v: string | undefined): number | undefined => (v !== undefined && FEN.test(v) ? Number(v) : undefined);

function parseTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  try {
    const ms = parseBeijingCompact(text);
    return beijingCompact(ms) === text ? ms : undefined;
  } catch {
    return undefined;
  }
}

const describe = (r: Pick<UmfSpResponse, 'respCode' | 'respMsg' | 'origRespCode' | 'origRespMsg'>) =>
  `respCode=${r.respCode}${r.respMsg ? ` ${r.respMsg}` : ''}${r.origRespCode !== undefined ? ` origRespCode=${r.origRespCode}${r.origRespMsg ? ` ${r.origRespMsg}` : ''}` : ''}`;

/** What an answer or a notification says about one order → the fields every status carries. */
function orderFields(
  state: ProviderPaymentState,
  f: Pick<UmfSpResponse, 'orderNo' | 'txnAmt' | 'acqMerId' | 'transactionId' | 'paySeq' | 'depBankSeq' | 'platDate' | 'orderType'>,
  outTradeNo: string,
): ProviderPaymentStatus {
  const amount = fen(f.txnAmt);
  const extra: Record<string, unknown> = {};
  // seed paySeq: 支付流水号（条形码）— should UMF echo the payer's code there, keep only a masked
  // copy: a whole payer code never reaches the ledger or the logs.
  if (f.paySeq) extra.paySeq = detectAuthCodeChannel(f.paySeq).ok ? maskCode(f.paySeq) : f.paySeq;
  if (f.depBankSeq) extra.depBankSeq = f.depBankSeq;
  if (f.platDate) extra.platDate = f.platDate;
  if (f.orderType) extra.orderType = f.orderType;
  return {
    state,
    outTradeNo,
    ...(amount !== undefined ? { amount } : {}),
    currency: 'CNY',
    ...(f.acqMerId ? { merchantId: f.acqMerId } : {}),
    ...(f.transactionId ? { providerTradeNo: f.transactionId } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

/**
 * The micropay answer → our result. `signature` is the verdict on the raw map; nothing in an
 * answer that failed verification is believed (→ `unknown`, the query decides). A verified
 * answer: `00` paid (with `txnAmt`, else unknown), `02`/`62`/`04` and the other "query" codes
 * unknown with the payer's progress, every other code a clear failure. `receivedAt` (the
 * injected clock when the answer arrived) is the paid time: the seed's answer carries only
 * `platDate`, and the payment completed during this call.
 */
export function fromMicropayResponse(
  res: UmfSpResponse,
  signature: UmfSpSignatureCheck,
  ctx: { outTradeNo: string; receivedAt: number },
): CreatePaymentResult {
  if (signature !== 'valid') {
    return { outcome: 'unknown', reason: `${signature === 'missing' ? 'missing_signature' : 'bad_signature'} on ${describe(res)}` };
  }
  if (res.orderNo !== undefined && res.orderNo !== '' && res.orderNo !== ctx.outTradeNo) {
    return { outcome: 'unknown', reason: `answer for another order (orderNo ${res.orderNo})` };
  }
  const code = umfSpRespCode(res.respCode);
  switch (code.micropay) {
    case 'paid': {
      const status = orderFields('paid', res, ctx.outTradeNo);
      if (status.amount === undefined) return { outcome: 'unknown', reason: `paid without a usable txnAmt (${JSON.stringify(res.txnAmt ?? null)}): query` };
      return {
        outcome: 'paid',
        status: { ...status, paidAt: ctx.receivedAt, providerCode: `respCode=${res.respCode}`, ...(res.respMsg ? { providerMessage: res.respMsg } : {}) },
      };
    }
    case 'unknown':
      return { outcome: 'unknown', reason: describe(res), ...(code.progress ? { progress: code.progress } : {}) };
    case 'failed':
      return { outcome: 'failed', code: res.respCode, message: res.respMsg || code.label };
  }
}

/**
 * The queryOrder answer → status. Only a verified answer about our order (and our merchant, when
 * it says) is believed. `respCode` `00`: `origRespCode` decides; `25`: not found; anything else
 * says nothing about the order (`unknown`). "paid" additionally needs `txnAmt`, so the amount can
 * be matched against our ledger.
 */
export function fromQueryResponse(
  res: UmfSpResponse,
  signature: UmfSpSignatureCheck,
  ref: Pick<QueryRef, 'outTradeNo'>,
  merchant: Pick<UmfSpMerchant, 'acqMerId'>,
): ProviderPaymentStatus {
  const base = { outTradeNo: ref.outTradeNo, providerCode: `respCode=${res.respCode}`, providerMessage: describe(res) };
  if (signature !== 'valid') return { ...base, state: 'unknown', providerMessage: `unverified answer (${signature} signature): ${describe(res)}` };
  if (res.orderNo !== undefined && res.orderNo !== '' && res.orderNo !== ref.outTradeNo) {
    return { ...base, state: 'unknown', providerMessage: `answer for another order (orderNo ${res.orderNo})` };
  }
  if (res.acqMerId !== undefined && res.acqMerId !== '' && res.acqMerId !== merchant.acqMerId) {
    return { ...base, state: 'unknown', providerMessage: `answer for another merchant (acqMerId ${res.acqMerId})` };
  }
  const code = umfSpRespCode(res.respCode);
  if (code.query !== 'see_orig') return { ...base, state: code.query };
  const orig = umfSpOrigRespCode(res.origRespCode);
  if (!orig) return { ...base, state: 'unknown', providerMessage: `unlisted origRespCode: ${describe(res)}` };
  const status = orderFields(orig.state, res, ref.outTradeNo);
  if (orig.state === 'paid' && status.amount === undefined) {
    return { ...base, state: 'unknown', providerMessage: `paid without a usable txnAmt: ${describe(res)}` };
  }
  const paidAt = orig.state === 'paid' ? parseTime(res.payTime) : undefined;
  return {
    ...status,
    ...(paidAt !== undefined ? { paidAt } : {}),
    ...('progress' in orig ? { progress: orig.progress } : {}),
    providerCode: `origRespCode=${res.origRespCode}`,
    providerMessage: describe(res),
  };
}

/**
 * A cancelOrder / closeOrder answer, verified: did UMF confirm it, and what was the order before?
 * `origRespCode` `00` on a confirmed cancel means it had been paid and the reverse refunded it.
 */
export type UmfSpChangeAnswer =
  | { kind: 'confirmed'; wasPaid: boolean; detail: string }
  | { kind: 'not_found'; detail: string }
  | { kind: 'not_confirmed'; detail: string };

export function fromChangeResponse(
  res: UmfSpResponse,
  signature: UmfSpSignatureCheck,
  ref: Pick<QueryRef, 'outTradeNo'>,
): UmfSpChangeAnswer {
  if (signature !== 'valid') return { kind: 'not_confirmed', detail: `unverified answer (${signature} signature): ${describe(res)}` };
  if (res.orderNo !== undefined && res.orderNo !== '' && res.orderNo !== ref.outTradeNo) {
    return { kind: 'not_confirmed', detail: `answer for another order (orderNo ${res.orderNo})` };
  }
  if (res.respCode === UMF_SP_RESP_OK) return { kind: 'confirmed', wasPaid: res.origRespCode === '00', detail: describe(res) };
  if (umfSpRespCode(res.respCode).meaning === 'not_found') return { kind: 'not_found', detail: describe(res) };
  return { kind: 'not_confirmed', detail: describe(res) };
}

/** The payment a confirmed reverse refunded, as far as the answer tells (for CloseResult.alreadyPaid). */
export function refundedPaymentOf(res: UmfSpResponse, ref: Pick<QueryRef, 'outTradeNo'>): ProviderPaymentStatus {
  return {
    ...orderFields('paid', res, ref.outTradeNo),
    ...(parseTime(res.payTime) !== undefined ? { paidAt: parseTime(res.payTime) } : {}),
    providerCode: `origRespCode=${res.origRespCode ?? ''}`,
    providerMessage: `${describe(res)} (paid, then refunded by the reverse)`,
  };
}

/**
 * A verified notification's fields → status, or why it cannot be used. `respCode` is the
 * payment's result in micropay's table (assumed, see wire.ts): `00` paid (needs `txnAmt`), a
 * "query" code pending, a failure code failed.
 */
export function fromNotification(fields: Readonly<Record<string, string>>): { status: ProviderPaymentStatus } | { malformed: string } {
  const outTradeNo = fields.orderNo;
  if (!outTradeNo) return { malformed: 'no orderNo' };
  if (!fields.respCode) return { malformed: 'no respCode' };
  const code = umfSpRespCode(fields.respCode);
  const state: ProviderPaymentState = code.micropay === 'paid' ? 'paid' : code.micropay === 'unknown' ? 'pending' : 'failed';
  const status = orderFields(state, fields, outTradeNo);
  if (state === 'paid' && status.amount === undefined) {
    return { malformed: `paid notification without a usable txnAmt (${JSON.stringify(fields.txnAmt ?? null)})` };
  }
  const paidAt = state === 'paid' ? parseTime(fields.payTime) : undefined;
  return {
    status: {
      ...status,
      ...(paidAt !== undefined ? { paidAt } : {}),
      ...(state === 'pending' && code.progress ? { progress: code.progress } : {}),
      providerCode: `respCode=${fields.respCode}`,
      providerMessage: fields.respMsg || code.label,
    },
  };
}
