/**
 * Pure mappings between PayQR's types and scanforpay's wire (docs/providers/scanforpay.md). No I/O,
 * no clock, no randomness: the connector passes in the time, the reqMsgId and the signature verdict
 * it computed on the exact received text. Table-tested in transform.test.ts.
 */
import { beijingIso } from '../../core/clock';
import type { Channel, Scene } from '../../core/domain';
import { invalidRequest } from '../../core/errors';
import { minorUnitExponent, type Money } from '../../core/money';
import type { Random } from '../../core/random';
import {
  NotSupportedError,
  type CreatePaymentInput,
  type CreatePaymentResult,
  type OutTradeNoRule,
  type ProviderPaymentState,
  type ProviderPaymentStatus,
  type QueryRef,
} from '../types';
import { expiryFor, type ScanforpayExpiry } from './expiry';
import { SCANFORPAY_SIGN_TYPE, type ScanforpaySignatureCheck } from './signature';
import { SCANFORPAY_CODE_OK, scanforpayCode, scanforpayPayStatus } from './status';
import {
  SCANFORPAY_MAX_ORDER_AMOUNT,
  SCANFORPAY_NOTIFY_URL_MAX,
  SCANFORPAY_ORDER_TITLE_MAX,
  SCANFORPAY_PARTNER_ORDER_NO_MAX,
  SCANFORPAY_VERSION,
  type ScanforpayCreateBody,
  type ScanforpayNotification,
  type ScanforpayQueryBody,
  type ScanforpayRequest,
  type ScanforpayRequestHeader,
  type ScanforpayResponse,
  type ScanforpayWallet,
} from './wire';

/** Our identity at scanforpay: from configuration. */
export interface ScanforpayMerchant {
  /** header.partnerNo: the partner (integrator) account the signKey belongs to */
  partnerNo: string;
  /** body.storeNo, 由scanforpay分配: the store that takes the money; our merchant id */
  storeNo: string;
  /** the store's currency (ISO 4217): orderAmount is in its minor unit */
  currency: string;
}

/**
 * The partnerOrderNo we generate: the seed gives String(32) and an example
 * `p20180725175352983070`; letters and digits only keeps clear of any character rule.
 */
export const SCANFORPAY_OUT_TRADE_NO_RULE: OutTradeNoRule = { minLength: 1, maxLength: SCANFORPAY_PARTNER_ORDER_NO_MAX, pattern: /^[A-Za-z0-9]+$/ };

/** seed wallet: Wechat 微信支付, Alipay 支付宝. */
const WALLET_BY_CHANNEL: Record<Channel, ScanforpayWallet | undefined> = {
  wechat: 'Wechat',
  alipay: 'Alipay',
  unionpay: undefined,
  ecny: undefined,
};

/** Transaction QR only (the document's title): the payer scans the code we show. */
export function scanforpayWalletFor(channel: Channel, scene: Scene): ScanforpayWallet {
  const wallet = WALLET_BY_CHANNEL[channel];
  if (!wallet) throw new NotSupportedError('scanforpay', `the ${channel} channel`);
  if (scene !== 'qr') throw new NotSupportedError('scanforpay', `${channel} × ${scene} (Transaction QR only)`);
  return wallet;
}

export function channelForWallet(wallet: ScanforpayWallet): Channel {
  return wallet === 'Wechat' ? 'wechat' : 'alipay';
}

/**
 * Money → orderAmount. Seed 交易金额: "交易币种的最小单位 — 人民币100表示100分=1元；日元100表示100日元":
 * an integer of the *store currency's* minor unit, which is exactly how PayQR keeps money, so
 * the number passes through unchanged (JPY 2000 → 2000, CNY ¥19.99 → 1999) once we know the
 * currency is the store's and the amount fits the seed's `int`.
 */
export function toOrderAmount(money: Money, storeCurrency: string): number {
  if (money.currency !== storeCurrency) {
    throw new NotSupportedError('scanforpay', `charging in ${money.currency}: this store settles in ${storeCurrency} only`);
  }
  minorUnitExponent(storeCurrency); // throws for a currency we cannot express in minor units
  if (!Number.isSafeInteger(money.amount) || money.amount <= 0) throw invalidRequest(`amount must be a positive integer of ${storeCurrency} minor units`);
  if (money.amount > SCANFORPAY_MAX_ORDER_AMOUNT) throw invalidRequest(`scanforpay orderAmount is an int: at most ${SCANFORPAY_MAX_ORDER_AMOUNT}`);
  return money.amount;
}

/** orderAmount (as the provider reports it) → our Money in the reported currency. */
export function fromOrderAmount(orderAmount: number, currency: string): Money {
  if (!Number.isSafeInteger(orderAmount) || orderAmount < 0) throw new Error(`not a minor-unit amount: ${orderAmount}`);
  minorUnitExponent(currency);
  return { amount: orderAmount, currency };
}

/** Cut to at most `max` UTF-16 units (Java's String length) without splitting a character. */
export function truncateText(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/** A random (v4) UUID from the injected Random: header.reqMsgId. */
export function uuidV4(random: Random): string {
  const b = random.bytes(16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(b).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function toRequestHeader(merchant: Pick<ScanforpayMerchant, 'partnerNo'>, now: number, reqMsgId: string): ScanforpayRequestHeader {
  return { requestTime: beijingIso(now), partnerNo: merchant.partnerNo, signType: SCANFORPAY_SIGN_TYPE, version: SCANFORPAY_VERSION, reqMsgId };
}

/**
 * The create request (seed 业务请求数据), and the expiry it carries. `now` is the clock at the
 * moment of the call: the QR's window is the attempt's remaining lifetime (expiry.ts).
 */
export function toCreateRequest(
  input: CreatePaymentInput,
  merchant: ScanforpayMerchant,
  ctx: { now: number; reqMsgId: string },
): { request: ScanforpayRequest<ScanforpayCreateBody>; expiry: ScanforpayExpiry } {
  const wallet = scanforpayWalletFor(input.channel, input.scene);
  const orderAmount = toOrderAmount(input.money, merchant.currency);
  const rule = SCANFORPAY_OUT_TRADE_NO_RULE;
  if (input.outTradeNo.length > rule.maxLength || !rule.pattern.test(input.outTradeNo)) {
    throw invalidRequest(`scanforpay partnerOrderNo must be 1–32 letters and digits, got ${JSON.stringify(input.outTradeNo)}`);
  }
  if (input.notifyUrl.length > SCANFORPAY_NOTIFY_URL_MAX) {
    throw invalidRequest(`scanforpay notifyUrl is at most ${SCANFORPAY_NOTIFY_URL_MAX} characters (PAYQR_PUBLIC_URL is too long)`);
  }
  const expiry = expiryFor(ctx.now, input.expiresAt);
  const body: ScanforpayCreateBody = {
    storeNo: merchant.storeNo,
    partnerOrderNo: input.outTradeNo,
    wallet,
    orderAmount,
  };
  const title = truncateText(input.subject.trim(), SCANFORPAY_ORDER_TITLE_MAX);
  if (title) body.orderTitle = title;
  // notifyUrl: 如果不填，则支付成功不会进行通知 — always sent.
  body.notifyUrl = input.notifyUrl;
  body[expiry.field] = expiry.value;
  return { request: { header: toRequestHeader(merchant, ctx.now, ctx.reqMsgId), body }, expiry };
}

export function toQueryRequest(
  ref: Pick<QueryRef, 'outTradeNo'>,
  merchant: ScanforpayMerchant,
  ctx: { now: number; reqMsgId: string },
): ScanforpayRequest<ScanforpayQueryBody> {
  return { header: toRequestHeader(merchant, ctx.now, ctx.reqMsgId), body: { storeNo: merchant.storeNo, partnerOrderNo: ref.outTradeNo } };
}

const describe = (body: { code: number; msg?: string | undefined }) => `code=${body.code}${body.msg ? ` msg=${body.msg}` : ''}`;

const unverified = (signature: ScanforpaySignatureCheck) => (signature === 'missing' ? 'missing_signature' : 'bad_signature');

/**
 * The create answer → our result. `signature` is the verdict on the exact received text.
 * Only a verified code 1 about our order, from our partner, with a `qrcode`, is `created`.
 */
export function fromCreateResponse(
  res: ScanforpayResponse,
  signature: ScanforpaySignatureCheck,
  ctx: { outTradeNo: string; partnerNo: string },
): CreatePaymentResult {
  const { body, header } = res;
  const entry = scanforpayCode(body.code);
  const failed = (): CreatePaymentResult => ({ outcome: 'failed', code: String(body.code), message: body.msg ?? describe(body) });

  if (signature !== 'valid') {
    if (body.code !== SCANFORPAY_CODE_OK && entry?.finalForCreate) return failed();
    return { outcome: 'unknown', reason: `${unverified(signature)} on ${describe(body)}` };
  }
  if (header.partnerNo !== undefined && header.partnerNo !== ctx.partnerNo) return { outcome: 'unknown', reason: `answer for another partner (partnerNo ${header.partnerNo})` };
  if (body.partnerOrderNo !== undefined && body.partnerOrderNo !== ctx.outTradeNo) {
    return { outcome: 'unknown', reason: `answer for another order (partnerOrderNo ${body.partnerOrderNo})` };
  }
  switch (entry?.create ?? 'failed') {
    case 'created':
      if (!body.qrcode) return { outcome: 'unknown', reason: `code 1 without a qrcode (${describe(body)})` };
      return { outcome: 'created', action: { kind: 'qr', content: body.qrcode }, ...(body.orderNo ? { providerTradeNo: body.orderNo } : {}) };
    case 'unknown':
      return { outcome: 'unknown', reason: `result unknown (${describe(body)})` };
    case 'failed':
      return failed();
  }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;

/** payTime: ISO 8601 with its offset, like respTime (assumed) → epoch ms. */
export function parseIsoTime(text: string | undefined): number | undefined {
  if (!text || !ISO_TIME.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

interface StatusFields {
  storeNo?: string | undefined;
  orderNo?: string | undefined;
  wallet?: string | undefined;
  orderAmount?: number | undefined;
  currency?: string | undefined;
  payTime?: string | undefined;
}

/**
 * Fields common to a query answer and a notification → our status. The currency is the one the
 * provider states, else the store's (orderAmount is always in the store currency's minor unit).
 */
function statusFields(state: ProviderPaymentState, outTradeNo: string, f: StatusFields, storeCurrency: string): ProviderPaymentStatus {
  const paidAt = state === 'paid' || state === 'refunded' ? parseIsoTime(f.payTime) : undefined;
  return {
    state,
    outTradeNo,
    ...(f.orderAmount !== undefined ? { amount: f.orderAmount } : {}),
    currency: f.currency || storeCurrency,
    ...(f.storeNo ? { merchantId: f.storeNo } : {}),
    ...(f.orderNo ? { providerTradeNo: f.orderNo } : {}),
    ...(paidAt !== undefined ? { paidAt } : {}),
    ...(f.wallet ? { extra: { wallet: f.wallet } } : {}),
  };
}

/**
 * The payQuery answer → status. Only a verified answer about our order is believed; code 1 then
 * `status` decides (and "paid" must carry orderAmount so the ledger can match it); code 30 is
 * not_found; anything else says nothing (`unknown`).
 */
export function fromQueryResponse(
  res: ScanforpayResponse,
  signature: ScanforpaySignatureCheck,
  ref: Pick<QueryRef, 'outTradeNo'>,
  merchant: Pick<ScanforpayMerchant, 'partnerNo' | 'currency'>,
): ProviderPaymentStatus {
  const { body, header } = res;
  const base = { outTradeNo: ref.outTradeNo, providerCode: `code=${body.code}`, ...(body.msg ? { providerMessage: body.msg } : {}) };
  if (signature !== 'valid') return { ...base, state: 'unknown', providerMessage: `unverified answer (${unverified(signature)}): ${describe(body)}` };
  if (header.partnerNo !== undefined && header.partnerNo !== merchant.partnerNo) {
    return { ...base, state: 'unknown', providerMessage: `answer for another partner (partnerNo ${header.partnerNo})` };
  }
  if (body.partnerOrderNo !== undefined && body.partnerOrderNo !== ref.outTradeNo) {
    return { ...base, state: 'unknown', providerMessage: `answer for another order (partnerOrderNo ${body.partnerOrderNo})` };
  }
  if (body.code !== SCANFORPAY_CODE_OK) return { ...base, state: scanforpayCode(body.code)?.query ?? 'unknown' };

  let state = scanforpayPayStatus(body.status) ?? 'unknown';
  let message = body.msg;
  if (body.status === undefined || scanforpayPayStatus(body.status) === undefined) message = `unexpected status ${body.status ?? '(none)'}: ${describe(body)}`;
  if (state === 'paid' && body.orderAmount === undefined) {
    state = 'unknown';
    message = `paid without orderAmount: ${describe(body)}`;
  }
  return {
    ...statusFields(state, ref.outTradeNo, body, merchant.currency),
    providerCode: `status=${body.status ?? ''}`,
    ...(message ? { providerMessage: message } : {}),
  };
}

/**
 * A verified notification → status, or why it cannot be used. The seed notifies successes
 * (支付成功后会通知); other `status` values are mapped by the payQuery table all the same.
 */
export function fromNotification(
  n: ScanforpayNotification,
  merchant: Pick<ScanforpayMerchant, 'partnerNo' | 'currency'>,
): { status: ProviderPaymentStatus } | { malformed: string } {
  const { body, header } = n;
  if (!body.partnerOrderNo) return { malformed: 'no partnerOrderNo' };
  // The key is the partner's, so this cannot happen short of a provider bug; never guess.
  if (header.partnerNo !== undefined && header.partnerNo !== merchant.partnerNo) return { malformed: `notification for another partner (partnerNo ${header.partnerNo})` };
  const state = scanforpayPayStatus(body.status) ?? 'unknown';
  if (state === 'paid' && body.orderAmount === undefined) return { malformed: 'paid notification without orderAmount' };
  return {
    status: {
      ...statusFields(state, body.partnerOrderNo, body, merchant.currency),
      providerCode: `status=${body.status}`,
    },
  };
}
