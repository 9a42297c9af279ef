/**
 * Pure mappings between PayQR's types and 超赢's wire fields (docs/providers/chaoying.md). No I/O, no
 * clock, no randomness: the connector passes in the nonce and the signature verdict it computed on
 * the raw map. Every function here is table-tested in transform.test.ts.
 */
import { beijingCompact, parseBeijingCompact } from '../../core/clock';
import type { Channel, Scene } from '../../core/domain';
import { invalidRequest } from '../../core/errors';
import { isJsonObject, parseJson } from '../../core/strict-json';
import { stringFields } from '../notification';
import {
  NotSupportedError,
  type CreatePaymentInput,
  type CreatePaymentResult,
  type PayerAction,
  type ProviderPaymentState,
  type ProviderPaymentStatus,
  type QueryRef,
} from '../types';
import type { ChaoyingSignatureCheck } from './signature';
import { CHAOYING_STATE_OK, chaoyingCode, chaoyingIsOk, chaoyingPayStatus, chaoyingTradeState } from './status';
import {
  CHAOYING_CLOSE_METHOD,
  CHAOYING_OUT_TRADE_NO,
  CHAOYING_QUERY_METHOD,
  type ChaoyingCloseRequest,
  type ChaoyingPreOrderMethod,
  type ChaoyingPreOrderRequest,
  type ChaoyingQueryRequest,
  type ChaoyingResponse,
  type ChaoyingTradeType,
} from './wire';

/** Our identity at 超赢: from configuration. */
export interface ChaoyingMerchant {
  agentId: string;
  mchId: string;
  /** 调用方产品名称 */
  pid: string;
  /** default WeChat AppId for JSPAY when the payer does not bring one */
  subAppId?: string;
}

export type ChaoyingPreOrderParams = Omit<ChaoyingPreOrderRequest, 'sign'>;
export type ChaoyingQueryParams = Omit<ChaoyingQueryRequest, 'sign'>;
export type ChaoyingCloseParams = Omit<ChaoyingCloseRequest, 'sign'>;

/** seed 公共请求参数 method: PreOrder_WECHAT-微信，PreOrder_ALIPAY-支付宝，PreOrder_ECNY-数币 */
const METHOD_BY_CHANNEL: Record<Channel, ChaoyingPreOrderMethod | undefined> = {
  wechat: 'PreOrder_WECHAT',
  alipay: 'PreOrder_ALIPAY',
  ecny: 'PreOrder_ECNY',
  unionpay: undefined,
};

/**
 * seed trade_type: NATIVE-原生扫码支付 (our `qr`), JSPAY-服务窗支付 (our `jsapi`). `h5` is a NATIVE pre-order
 * whose `code_url` the mobile browser opens: Alipay's `https://qr.alipay.com/…` and e-CNY's
 * `https://qr.pbcdci.cn/…` hand over to the wallet app (docs/providers/README.md "In-app
 * invocation": e-CNY "show or open code_url"). WeChat's `weixin://wxpay/…` cannot be opened from a
 * browser, so WeChat has no h5 here.
 */
const TRADE_TYPE_BY_SCENE: Record<Scene, ChaoyingTradeType | undefined> = {
  qr: 'NATIVE',
  jsapi: 'JSPAY',
  h5: 'NATIVE',
  micropay: undefined,
};

export function chaoyingMethodFor(channel: Channel): ChaoyingPreOrderMethod {
  const m = METHOD_BY_CHANNEL[channel];
  if (!m) throw new NotSupportedError('chaoying', `the ${channel} channel`);
  return m;
}

export function chaoyingTradeTypeFor(channel: Channel, scene: Scene): ChaoyingTradeType {
  const t = TRADE_TYPE_BY_SCENE[scene];
  // e-CNY in-app (JSPAY) is not described by the seed beyond its title; WeChat has no h5 link.
  if (!t || (channel === 'ecny' && scene === 'jsapi') || (channel === 'wechat' && scene === 'h5')) {
    throw new NotSupportedError('chaoying', `${channel} × ${scene}`);
  }
  return t;
}

/** Body is 商品描述; 128 characters is WeChat's limit (assumed for 超赢). */
const BODY_MAX = 128;

export function toPreOrderParams(input: CreatePaymentInput, merchant: ChaoyingMerchant, nonce: string): ChaoyingPreOrderParams {
  if (input.money.currency !== 'CNY') throw new NotSupportedError('chaoying', `charging in ${input.money.currency} (CNY only)`);
  if (!CHAOYING_OUT_TRADE_NO.test(input.outTradeNo)) {
    throw invalidRequest(`chaoying out_trade_no must be 5–32 letters and digits, got ${JSON.stringify(input.outTradeNo)}`);
  }
  if (!Number.isSafeInteger(input.money.amount) || input.money.amount <= 0) throw invalidRequest('amount must be a positive integer of fen');
  if (input.expiresAt <= input.createdAt) throw invalidRequest('expiresAt must be after createdAt');
  if (/[?#]/.test(input.notifyUrl)) throw invalidRequest('chaoying notify_url must not carry a query string (seed: 不能携带参数)');
  const method = chaoyingMethodFor(input.channel);
  const tradeType = chaoyingTradeTypeFor(input.channel, input.scene);
  const body = Array.from(input.subject.trim()).slice(0, BODY_MAX).join('') || input.outTradeNo;

  const params: ChaoyingPreOrderParams = {
    method,
    agent_id: merchant.agentId,
    pid: merchant.pid,
    version: '1.0',
    nonce_str: nonce,
    mch_id: merchant.mchId,
    body,
    out_trade_no: input.outTradeNo,
    total_fee: String(input.money.amount),
    // Alipay section: 交易起始时间与交易结束时间需要同时传入才会生效 — so always both, GMT+8.
    time_start: beijingCompact(input.createdAt),
    time_expire: beijingCompact(input.expiresAt),
    notify_url: input.notifyUrl,
    trade_type: tradeType,
    // v2: trade_type=NATIVE，此参数必传; the Alipay section asks for it with JSPAY too. It is the
    // merchant's own product id inside the QR: the attempt's order number serves.
    product_id: input.outTradeNo,
  };
  if (input.clientIp) params.mch_create_ip = input.clientIp;

  if (tradeType === 'JSPAY') {
    if (input.channel === 'wechat') {
      // sub_appid: trade_type=JSPAY…此参数必传; buyer_id: 在sub_appid下…取得的买家sub_openid，JSPAY必传
      const appId = input.payer?.appId ?? merchant.subAppId;
      if (!appId) throw invalidRequest('WeChat JSAPI through chaoying needs the AppId (configure PAYQR_CHAOYING_SUB_APPID)');
      if (!input.payer?.openid) throw invalidRequest("WeChat JSAPI needs the payer's openid under that AppId");
      params.sub_appid = appId;
      params.buyer_id = input.payer.openid;
    } else {
      // Alipay: buyer_id 和 buyer_logon_id 不能同时为空
      if (!input.payer?.buyerId && !input.payer?.buyerLogonId) throw invalidRequest("Alipay JSAPI needs the payer's buyer id (2088…) or logon id");
      if (input.payer.buyerId) params.buyer_id = input.payer.buyerId;
      if (input.payer.buyerLogonId) params.buyer_logon_id = input.payer.buyerLogonId;
    }
  }
  return params;
}

export function toQueryParams(ref: Pick<QueryRef, 'outTradeNo'>, merchant: ChaoyingMerchant, nonce: string): ChaoyingQueryParams {
  return {
    method: CHAOYING_QUERY_METHOD,
    agent_id: merchant.agentId,
    pid: merchant.pid,
    version: '1.0',
    nonce_str: nonce,
    mch_id: merchant.mchId,
    out_trade_no: ref.outTradeNo,
  };
}

export function toCloseParams(ref: Pick<QueryRef, 'outTradeNo'>, merchant: ChaoyingMerchant, nonce: string): ChaoyingCloseParams {
  return { ...toQueryParams(ref, merchant, nonce), method: CHAOYING_CLOSE_METHOD };
}

/**
 * `pay_info`: a JSON string to hand to the wallet bridge unchanged (docs/providers/README.md "In-app
 * invocation": keep `timeStamp` vs `timestamp`, `appId` vs `appid` exactly as sent). Non-string
 * values become their JSON text so the record stays string → string.
 */
export function parsePayInfo(text: string): Record<string, string> | undefined {
  let parsed;
  try {
    parsed = parseJson(text);
  } catch {
    return undefined;
  }
  return isJsonObject(parsed) ? stringFields(parsed) : undefined;
}

const describe = (r: ChaoyingResponse) =>
  `state=${r.state}${r.code !== undefined ? ` code=${r.code}` : ''}${r.trade_state !== undefined ? ` trade_state=${r.trade_state}` : ''}${r.msg ? ` msg=${r.msg}` : ''}`;

/**
 * The pre-order answer → our result. `signature` is the verdict on the raw map.
 * Trust rules: only a SUCCESS answer with a valid signature can yield `created`; an answer
 * whose signature is present but wrong is `unknown` (someone altered it — query instead); an
 * unsigned failure is believed only for the codes that cannot have created a payable order.
 */
export function fromPreOrderResponse(
  res: ChaoyingResponse,
  signature: ChaoyingSignatureCheck,
  ctx: { outTradeNo: string; merchantId: string; scene: Scene },
): CreatePaymentResult {
  const code = chaoyingCode(res.code);
  const tradeState = chaoyingTradeState(res.trade_state);
  const failed = (): CreatePaymentResult => ({ outcome: 'failed', code: res.code ?? res.trade_state ?? res.state, message: res.msg ?? describe(res) });

  if (res.state !== CHAOYING_STATE_OK) {
    if (signature === 'invalid') return { outcome: 'unknown', reason: `bad_signature on a failure answer (${describe(res)})` };
    if (code?.finalForCreate) return failed();
    return { outcome: 'unknown', reason: `communication error: ${describe(res)}` };
  }
  if (signature !== 'valid') return { outcome: 'unknown', reason: `${signature === 'missing' ? 'missing_signature' : 'bad_signature'} on ${describe(res)}` };
  if (res.mch_id !== undefined && res.mch_id !== ctx.merchantId) return { outcome: 'unknown', reason: `answer for another merchant (mch_id ${res.mch_id})` };
  if (res.out_trade_no !== undefined && res.out_trade_no !== ctx.outTradeNo) {
    return { outcome: 'unknown', reason: `answer for another order (out_trade_no ${res.out_trade_no})` };
  }

  switch (tradeState) {
    case 'need_query':
      return { outcome: 'unknown', reason: `NEED_QUERY (${describe(res)})` };
    case 'fail':
      if (code?.meaning === 'paying' || code?.meaning === 'unpaid') return { outcome: 'unknown', reason: describe(res) };
      return failed();
    case 'success': {
      if (res.code !== undefined && code?.meaning !== 'ok') return { outcome: 'unknown', reason: `unexpected code with trade_state SUCCESS: ${describe(res)}` };
      let action: PayerAction | undefined;
      if (ctx.scene === 'qr' && res.code_url) action = { kind: 'qr', content: res.code_url };
      if (ctx.scene === 'h5' && res.code_url) action = { kind: 'h5', url: res.code_url };
      if (ctx.scene === 'jsapi' && res.pay_info) {
        const params = parsePayInfo(res.pay_info);
        if (params) action = { kind: 'jsapi', params };
      }
      if (!action) return { outcome: 'unknown', reason: `accepted without ${ctx.scene === 'jsapi' ? 'a JSON pay_info' : 'code_url'}` };
      return { outcome: 'created', action };
    }
    case 'refund':
    case undefined:
      return { outcome: 'unknown', reason: `unexpected answer: ${describe(res)}` };
  }
}

const FEN = /^\d{1,13}$/;

function parseTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  try {
    return parseBeijingCompact(text);
  } catch {
    return undefined;
  }
}

/** Fields common to a query answer and a notification → the status we report. */
function statusFields(
  state: ProviderPaymentState,
  f: { out_trade_no?: string | undefined; total_fee?: string | undefined; fee_type?: string | undefined; mch_id?: string | undefined; transaction_id?: string | undefined; time_end?: string | undefined; out_transaction_id?: string | undefined; trade_type?: string | undefined },
  fallbackOutTradeNo: string,
): ProviderPaymentStatus {
  const amount = f.total_fee !== undefined && FEN.test(f.total_fee) ? Number(f.total_fee) : undefined;
  const paidAt = state === 'paid' || state === 'refunded' ? parseTime(f.time_end) : undefined;
  const extra: Record<string, unknown> = {};
  if (f.out_transaction_id) extra.outTransactionId = f.out_transaction_id;
  if (f.trade_type) extra.tradeType = f.trade_type;
  return {
    state,
    outTradeNo: f.out_trade_no ?? fallbackOutTradeNo,
    ...(amount !== undefined ? { amount } : {}),
    currency: f.fee_type || 'CNY',
    ...(f.mch_id ? { merchantId: f.mch_id } : {}),
    ...(f.transaction_id ? { providerTradeNo: f.transaction_id } : {}),
    ...(paidAt !== undefined ? { paidAt } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

/**
 * The (assumed) orderquery answer → status. Only a signed SUCCESS answer about our order is
 * believed; `pay_status` decides, then `trade_state`, then `code`. "paid" additionally needs
 * `total_fee` so that the amount can be matched against our ledger.
 */
export function fromQueryResponse(res: ChaoyingResponse, signature: ChaoyingSignatureCheck, ref: Pick<QueryRef, 'outTradeNo'>): ProviderPaymentStatus {
  const base = { outTradeNo: ref.outTradeNo, providerCode: res.code ?? res.state, ...(res.msg ? { providerMessage: res.msg } : {}) };
  if (signature !== 'valid') {
    return { ...base, state: 'unknown', providerMessage: `unverified answer (${signature} signature): ${describe(res)}` };
  }
  if (res.state !== CHAOYING_STATE_OK) return { ...base, state: 'unknown', providerMessage: describe(res) };
  if (res.out_trade_no !== undefined && res.out_trade_no !== ref.outTradeNo) {
    return { ...base, state: 'unknown', providerMessage: `answer for another order (out_trade_no ${res.out_trade_no})` };
  }
  const tradeState = chaoyingTradeState(res.trade_state);
  let state: ProviderPaymentState =
    chaoyingPayStatus(res.pay_status) ?? (tradeState === 'refund' ? 'refunded' : tradeState === 'need_query' ? 'unknown' : (chaoyingCode(res.code)?.query ?? 'unknown'));
  let message = res.msg;
  if (state === 'paid' && (res.total_fee === undefined || !FEN.test(res.total_fee))) {
    state = 'unknown';
    message = `paid without a usable total_fee: ${describe(res)}`;
  }
  return {
    ...statusFields(state, res, ref.outTradeNo),
    outTradeNo: ref.outTradeNo,
    providerCode: res.pay_status !== undefined ? `pay_status=${res.pay_status}` : (res.code ?? res.state),
    ...(message ? { providerMessage: message } : {}),
  };
}

/**
 * A verified notification's fields → status, or why it cannot be used.
 * state/result_code not OK → `unknown` (it says nothing), OK with `pay_result=0` → paid,
 * OK with another `pay_result` or a failed `result_code` → failed.
 */
export function fromNotification(fields: Readonly<Record<string, string>>): { status: ProviderPaymentStatus } | { malformed: string } {
  const outTradeNo = fields.out_trade_no;
  if (!outTradeNo) return { malformed: 'no out_trade_no' };
  let state: ProviderPaymentState;
  if (!chaoyingIsOk(fields.state)) state = 'unknown';
  else if (!chaoyingIsOk(fields.result_code)) state = 'failed';
  else if (fields.pay_result === '0') state = 'paid';
  else if (fields.pay_result !== undefined && fields.pay_result !== '') state = 'failed';
  else state = 'unknown';
  if (state === 'paid' && (fields.total_fee === undefined || !FEN.test(fields.total_fee))) {
    return { malformed: `paid notification without a usable total_fee (${JSON.stringify(fields.total_fee ?? null)})` };
  }
  return {
    status: {
      ...statusFields(state, fields, outTradeNo),
      providerCode: `pay_result=${fields.pay_result ?? ''}`,
      providerMessage: `state=${fields.state ?? ''} result_code=${fields.result_code ?? ''}`,
    },
  };
}
