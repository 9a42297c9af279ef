/**
 * Pure mappings between PayQR's types and 联动优势 魔方's wire fields (docs/providers/umf-mofun.md).
 * No I/O, no clock, no randomness: the connector passes in "now" and the
 * signature verdict it computed on the raw map. Every function here is table-tested in
 * transform.test.ts.
 */
import { beijingCompact, beijingDate, beijingTime, parseBeijingCompact } from '../../core/clock';
import type { Channel, Scene } from '../../core/domain';
import { invalidRequest } from '../../core/errors';
import {
  NotSupportedError,
  type Capability,
  type CreatePaymentInput,
  type CreatePaymentResult,
  type PayerAction,
  type ProviderPaymentState,
  type ProviderPaymentStatus,
  type QueryRef,
} from '../types';
import { umfGoodsInfo } from '../umf/wire';
import type { UmfMofunSignatureCheck } from './signature';
import { UMF_MOFUN_ACK_OK, UMF_MOFUN_ACK_REJECTED, UMF_MOFUN_RET_OK, umfMofunCode, umfMofunSyncState, umfMofunTradeState } from './status';
import {
  UMF_MOFUN_API_VERSION,
  UMF_MOFUN_EXPAIR_MAX_S,
  UMF_MOFUN_EXPAIR_MIN_S,
  UMF_MOFUN_GOODS_INFO_MAX,
  UMF_MOFUN_NOTIFY_FUN_CODE,
  UMF_MOFUN_PARTNER_ORDER_ID,
  umfMofunNotifyUrlProblem,
  type UmfMofunActivescanRequest,
  type UmfMofunActivescanResponse,
  type UmfMofunApisyncRequest,
  type UmfMofunApisyncResponse,
  type UmfMofunNotifyAck,
  type UmfMofunPayType,
} from './wire';

/** Our identity at 联动优势: from configuration. */
export interface UmfMofunMerchant {
  /** 集成商ID (proxyId, 4): "同魔方平台登录账号" */
  proxyId: string;
  /** 商户号 (subMerId, 8): 联动平台分配 */
  subMerId: string;
}

export type UmfMofunActivescanParams = Omit<UmfMofunActivescanRequest, 'sign'>;
export type UmfMofunApisyncParams = Omit<UmfMofunApisyncRequest, 'sign'>;
export type UmfMofunNotifyAckFields = Omit<UmfMofunNotifyAck, 'sign'>;

/** seed payType: WX 微信, AL 支付宝, YL 银联二维码 */
const PAY_TYPE_BY_CHANNEL: Record<Channel, UmfMofunPayType | undefined> = {
  wechat: 'WX',
  alipay: 'AL',
  unionpay: 'YL',
  ecny: undefined,
};

/**
 * What activescan serves. `qr`: the payer scans `feeUrl` (seed: 缴费二维码地址) with WeChat,
 * Alipay or a UnionPay wallet.
 *
 * UnionPay also serves `h5` and `jsapi` with the same order: a UnionPay `feeUrl` is an https
 * link (`https://qr.95516.com/…`) that 云闪付 and the banks' UnionPay apps register as a
 * universal link, so inside a UnionPay app (our `jsapi`: the page already runs in the wallet)
 * or in a mobile browser (`h5`) the payer opens it as a link instead of scanning it — we hand
 * it over as `{kind: 'h5', url}` (our reading; the seed only describes scanning). WeChat's
 * `weixin://` code and Alipay's QR page cannot be opened that way from a browser, so they are
 * QR-only here.
 */
export const UMF_MOFUN_CAPABILITIES: readonly Capability[] = [
  { channel: 'wechat', scene: 'qr' },
  { channel: 'alipay', scene: 'qr' },
  { channel: 'unionpay', scene: 'qr' },
  { channel: 'unionpay', scene: 'h5' },
  { channel: 'unionpay', scene: 'jsapi' },
];

export function umfMofunPayTypeFor(channel: Channel, scene: Scene): UmfMofunPayType {
  const payType = PAY_TYPE_BY_CHANNEL[channel];
  if (!payType || !UMF_MOFUN_CAPABILITIES.some((c) => c.channel === channel && c.scene === scene)) {
    throw new NotSupportedError('umf-mofun', `${channel} × ${scene}`);
  }
  return payType;
}

/** How the payer acts on `feeUrl` in each scene (see {@link UMF_MOFUN_CAPABILITIES}). */
export function umfMofunPayerAction(scene: Scene, feeUrl: string): PayerAction | undefined {
  if (scene === 'qr') return { kind: 'qr', content: feeUrl };
  if ((scene === 'h5' || scene === 'jsapi') && /^https?:\/\//i.test(feeUrl)) return { kind: 'h5', url: feeUrl };
  return undefined;
}

/**
 * `expairTime` in seconds, from the attempt's own lifetime, clamped into [300, 1800]: the seed
 * says UMF treats anything outside that range (or nothing) as 300 s, so we send what it will
 * actually apply. An attempt shorter than 300 s is still closed on time — by PayQR: the
 * sweeper closes the attempt at its own expiry, and since UMF has no close API the order then
 * lapses at UMF on its own (see {@link umfMofunOrderLapsed}).
 */
export function umfMofunExpairSeconds(createdAt: number, expiresAt: number): number {
  const seconds = Math.floor((expiresAt - createdAt) / 1000);
  return Math.min(UMF_MOFUN_EXPAIR_MAX_S, Math.max(UMF_MOFUN_EXPAIR_MIN_S, seconds));
}

/**
 * When an unpaid order can no longer be paid at UMF, counted from the attempt's creation.
 * The seed: "订单有效时间从调起用户密码键盘开始算起，超时之后,用户无法继续支付" — the window runs
 * from the moment the payer's password keyboard opens, which we cannot observe. So we bound it
 * by the longest QR life we ever ask for (1800 s) plus one more full payment window (1800 s):
 * a payer who scans in the last second still has expairTime to finish (assumed reading).
 */
export const UMF_MOFUN_LAPSE_AFTER_MS = 2 * UMF_MOFUN_EXPAIR_MAX_S * 1000;

export function umfMofunOrderLapsed(createdAt: number, now: number): boolean {
  return now >= createdAt + UMF_MOFUN_LAPSE_AFTER_MS;
}

/**
 * The order date(s) apisync may know the order under. `orderDate` is the attempt's creation
 * date in GMT+8; the activescan call goes out a moment later with its own `reqDate`, so an
 * attempt created in the last minute before Beijing midnight may be filed under the next day:
 * the connector then asks for both (a not-found on the first date is not final).
 */
export const UMF_MOFUN_CREATE_SLACK_MS = 60_000;

export function umfMofunOrderDates(createdAt: number): string[] {
  const first = beijingDate(createdAt);
  const next = beijingDate(createdAt + UMF_MOFUN_CREATE_SLACK_MS);
  return next === first ? [first] : [first, next];
}

/** goodsInfo: the subject, trimmed, cut (by whole characters) to fit 128 UTF-8 bytes (umf/wire.ts). */
export function umfMofunGoodsInfo(subject: string, fallback: string): string {
  return umfGoodsInfo(subject, fallback, UMF_MOFUN_GOODS_INFO_MAX);
}

export function toActivescanParams(input: CreatePaymentInput, merchant: UmfMofunMerchant, now: number): UmfMofunActivescanParams {
  if (input.money.currency !== 'CNY') throw new NotSupportedError('umf-mofun', `charging in ${input.money.currency} (seed: 是人民币)`);
  if (!UMF_MOFUN_PARTNER_ORDER_ID.test(input.outTradeNo)) {
    throw invalidRequest(`umf-mofun partnerOrderId must be 1–32 letters and digits, got ${JSON.stringify(input.outTradeNo)}`);
  }
  const amount = input.money.amount;
  if (!Number.isSafeInteger(amount) || amount <= 0 || String(amount).length > 13) throw invalidRequest('amount must be a positive integer of fen (at most 13 digits)');
  if (input.expiresAt <= input.createdAt) throw invalidRequest('expiresAt must be after createdAt');
  const urlProblem = umfMofunNotifyUrlProblem(input.notifyUrl);
  if (urlProblem) throw invalidRequest(`umf-mofun notifyUrl ${urlProblem} (the notifyUrl rule, docs/providers/umf-mofun.md): check PAYQR_PUBLIC_URL`);
  const payType = umfMofunPayTypeFor(input.channel, input.scene);

  return {
    partnerOrderId: input.outTradeNo,
    subMerId: merchant.subMerId,
    amount: String(amount),
    payType,
    proxyId: merchant.proxyId,
    apiVersion: UMF_MOFUN_API_VERSION,
    reqDate: beijingDate(now),
    reqTime: beijingTime(now),
    // seed goodsInfo: "可上送商品描述、商户订单号等信息，用户付款成功后会在微信账单页面展示"
    goodsInfo: umfMofunGoodsInfo(input.subject, input.outTradeNo),
    expairTime: String(umfMofunExpairSeconds(input.createdAt, input.expiresAt)),
    notifyUrl: input.notifyUrl,
  };
}

export function toApisyncParams(ref: Pick<QueryRef, 'outTradeNo'>, merchant: UmfMofunMerchant, orderDate: string): UmfMofunApisyncParams {
  return {
    subMerId: merchant.subMerId,
    proxyId: merchant.proxyId,
    partnerOrderId: ref.outTradeNo,
    orderDate,
    apiVersion: UMF_MOFUN_API_VERSION,
  };
}

const FEN = /^(0|[1-9]\d{0,12})$/;

/** The wire's `amount` (fen as a decimal string) → integer fen, exactly; undefined when unusable. */
export function parseUmfMofunAmount(text: string | undefined): number | undefined {
  return text !== undefined && FEN.test(text) ? Number(text) : undefined;
}

const message = (r: { Memo?: string | undefined; retMsg?: string | undefined }) => r.Memo ?? r.retMsg ?? '';
const describe = (r: { retCode: string; Memo?: string | undefined; retMsg?: string | undefined }) => `retCode=${r.retCode}${message(r) ? ` ${message(r)}` : ''}`;
const signatureWord = (s: UmfMofunSignatureCheck) => (s === 'missing' ? 'missing_signature' : 'bad_signature');

/**
 * The activescan answer → our result. `signature` is the verdict on the raw map.
 * Trust rules: nothing in an answer whose signature does not verify is believed (`unknown`,
 * the query settles it); a verified `0000` is `created` only if it is about our order, our
 * amount and our pay type and carries a usable `feeUrl`; a verified refusal is `failed` only
 * for the codes that cannot have left a payable order (status.ts).
 */
export function fromActivescanResponse(
  res: UmfMofunActivescanResponse,
  signature: UmfMofunSignatureCheck,
  ctx: { outTradeNo: string; amount: number; payType: UmfMofunPayType; scene: Scene },
): CreatePaymentResult {
  if (signature !== 'valid') return { outcome: 'unknown', reason: `${signatureWord(signature)} on ${describe(res)}` };
  if (res.partnerOrderId && res.partnerOrderId !== ctx.outTradeNo) {
    return { outcome: 'unknown', reason: `answer for another order (partnerOrderId ${res.partnerOrderId})` };
  }
  if (res.retCode === UMF_MOFUN_RET_OK) {
    if (res.amount !== undefined && parseUmfMofunAmount(res.amount) !== ctx.amount) {
      return { outcome: 'unknown', reason: `accepted with another amount (${res.amount} ≠ ${ctx.amount})` };
    }
    if (res.payType !== undefined && res.payType !== '' && res.payType !== ctx.payType) {
      return { outcome: 'unknown', reason: `accepted with another payType (${res.payType} ≠ ${ctx.payType})` };
    }
    // seed feeUrl: "成功时返回内容，失败返回空字符串"
    if (!res.feeUrl) return { outcome: 'unknown', reason: 'accepted without a feeUrl' };
    const action = umfMofunPayerAction(ctx.scene, res.feeUrl);
    if (!action) return { outcome: 'unknown', reason: `feeUrl cannot be opened as a link in the ${ctx.scene} scene` };
    return { outcome: 'created', action, ...(res.tradeNo ? { providerTradeNo: res.tradeNo } : {}) };
  }
  if (umfMofunCode(res.retCode)?.create === 'failed') return { outcome: 'failed', code: res.retCode, message: message(res) || describe(res) };
  return { outcome: 'unknown', reason: describe(res) };
}

function parsePaidAt(date: string | undefined, time: string | undefined): number | undefined {
  if (!date || !time) return undefined;
  const text = `${date}${time}`;
  try {
    const ms = parseBeijingCompact(text);
    return beijingCompact(ms) === text ? ms : undefined;
  } catch {
    return undefined;
  }
}

type OrderFields = Partial<Record<'partnerOrderId' | 'amount' | 'subMerId' | 'tradeNo' | 'payDate' | 'payTime' | 'payType' | 'platDate' | 'orderDate', string | undefined>>;

/** Fields common to an apisync answer and a notification → the status we report. */
function statusFields(state: ProviderPaymentState, f: OrderFields, fallbackOutTradeNo: string): ProviderPaymentStatus {
  const amount = parseUmfMofunAmount(f.amount);
  const paidAt = state === 'paid' ? parsePaidAt(f.payDate, f.payTime) : undefined;
  const extra: Record<string, unknown> = {};
  if (f.payType) extra.payType = f.payType;
  if (f.platDate) extra.platDate = f.platDate;
  if (f.orderDate) extra.orderDate = f.orderDate;
  return {
    state,
    outTradeNo: f.partnerOrderId || fallbackOutTradeNo,
    ...(amount !== undefined ? { amount } : {}),
    // seed amount: 是人民币，且以分为单位
    currency: 'CNY',
    ...(f.subMerId ? { merchantId: f.subMerId } : {}),
    ...(f.tradeNo ? { providerTradeNo: f.tradeNo } : {}),
    ...(paidAt !== undefined ? { paidAt } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

/**
 * The apisync answer → status. Only a verified answer about our order is believed; the
 * retCode decides (status.ts); "paid" additionally needs a usable `amount` so that it can be
 * matched against our ledger.
 */
export function fromApisyncResponse(res: UmfMofunApisyncResponse, signature: UmfMofunSignatureCheck, ref: Pick<QueryRef, 'outTradeNo'>): ProviderPaymentStatus {
  const base = { outTradeNo: ref.outTradeNo, providerCode: res.retCode };
  if (signature !== 'valid') return { ...base, state: 'unknown', providerMessage: `unverified answer (${signatureWord(signature)}): ${describe(res)}` };
  if (res.partnerOrderId && res.partnerOrderId !== ref.outTradeNo) {
    return { ...base, state: 'unknown', providerMessage: `answer for another order (partnerOrderId ${res.partnerOrderId})` };
  }
  let state = umfMofunSyncState(res.retCode);
  let note = message(res);
  if (state === 'paid' && parseUmfMofunAmount(res.amount) === undefined) {
    state = 'unknown';
    note = `paid without a usable amount: ${describe(res)}`;
  }
  return {
    ...statusFields(state, res, ref.outTradeNo),
    outTradeNo: ref.outTradeNo,
    providerCode: res.retCode,
    ...(note ? { providerMessage: note } : {}),
  };
}

/**
 * A verified notification's fields → status, or why it cannot be used. `tradeState` decides
 * (status.ts); a paid notification must carry a usable `amount`.
 */
export function fromNotification(fields: Readonly<Record<string, string>>): { status: ProviderPaymentStatus } | { malformed: string } {
  const outTradeNo = fields.partnerOrderId;
  if (!outTradeNo) return { malformed: 'no partnerOrderId' };
  if (fields.funCode !== undefined && fields.funCode !== UMF_MOFUN_NOTIFY_FUN_CODE) return { malformed: `funCode ${fields.funCode} is not ${UMF_MOFUN_NOTIFY_FUN_CODE}` };
  const state = umfMofunTradeState(fields.tradeState);
  if (state === 'paid' && parseUmfMofunAmount(fields.amount) === undefined) {
    return { malformed: `paid notification without a usable amount (${JSON.stringify(fields.amount ?? null)})` };
  }
  return { status: { ...statusFields(state, fields, outTradeNo), providerCode: `tradeState=${fields.tradeState ?? ''}` } };
}

/**
 * Our reply to a 3.1 notification, unsigned (the connector signs it with the merchant key over
 * the `|` form).
 * - accepted: `{funCode, reqDate, reqTime, partnerOrderId, orderDate, retCode: "0000", retMsg}`,
 *   times GMT+8 from the clock; `orderDate` is the one the notification carried.
 * - rejected: `{funCode, retCode, retMsg}` only. Its one job is not to be an acknowledgement
 *   (UMF retries on anything but a signed 0000); carrying no time and no order makes it the
 *   same bytes every time, so operators and tests recognise it exactly.
 */
export function toNotifyAck(kind: 'accepted' | 'rejected', ctx: { outTradeNo?: string | undefined; orderDate?: string | undefined; now: number }): UmfMofunNotifyAckFields {
  if (kind === 'rejected') return { funCode: UMF_MOFUN_NOTIFY_FUN_CODE, retCode: UMF_MOFUN_ACK_REJECTED, retMsg: '处理失败' };
  return {
    funCode: UMF_MOFUN_NOTIFY_FUN_CODE,
    reqDate: beijingDate(ctx.now),
    reqTime: beijingTime(ctx.now),
    ...(ctx.outTradeNo ? { partnerOrderId: ctx.outTradeNo } : {}),
    ...(ctx.orderDate ? { orderDate: ctx.orderDate } : {}),
    retCode: UMF_MOFUN_ACK_OK,
    retMsg: '成功',
  };
}
