/**
 * 超赢 sandbox twin: `POST /sandbox/chaoying/v2/UnifiedPay/Gateway`, speaking 超赢's document as
 * written (docs/providers/chaoying.md) — form request, flat JSON answer, MD5 with the merchant key
 * both ways — and keeping its own orders. It enforces the seed's field rules on what PayQR sends
 * (required fields per method and trade_type, out_trade_no 5–32 alphanumerics unique per merchant,
 * total_fee a positive integer of fen, notify_url without a query string, yyyyMMddHHmmss times,
 * known agent_id/mch_id), answers 20002 on a wrong signature, and on Pay posts the seed's form
 * notification to notify_url on the seed's schedule until it reads exactly `success`.
 *
 * Answers follow one convention (the seed defines `state` as the *communication* status):
 * a request the gateway rejects outright (unknown merchant, missing/invalid field, bad
 * signature) gets `state=FAIL` + `code` + `msg`, unsigned; everything processed gets
 * `state=SUCCESS` with `code`/`trade_state` and is signed with the merchant key.
 *
 * Assumed where the seed is silent (kept here and in status.ts): orderquery/close shapes, the
 * not-found code 10002, a 2 h default lifetime without time_expire, e-CNY being QR-only, the
 * same out_trade_no with the same order details being answered idempotently while unpaid.
 */
import { beijingCompact, parseBeijingCompact } from '../../core/clock';
import type { Channel } from '../../core/domain';
import { describeZodIssues } from '../../core/errors';
import { parseForm } from '../../core/form';
import { randomString } from '../../core/random';
import { parseJson } from '../../core/strict-json';
import { withAddedField, type PayerDecision, type ProviderSimulator, type SimulatorDeps, type TamperMode } from '../../sandbox/hub';
import { WECHAT_BRIDGE_FIELDS, WECHAT_PAY_SIGNED_FIELDS, type HasWallet, type WalletLookup } from '../../sandbox/wallet/types';
import { signedFields } from '../notification';
import { jsonAnswer, parseOrReject, SimulatorRejection } from '../simulator-kit';
import { timingSafeEqualString } from '../../crypto/digest';
import { chaoyingSign, verifyChaoyingSignature } from './signature';
import { CHAOYING_ORDER_NOT_FOUND_CODE, type ChaoyingCode } from './status';
import {
  CHAOYING_CLOSE_METHOD,
  CHAOYING_GATEWAY_PATH,
  CHAOYING_NOTIFY_TRADE_TYPES,
  CHAOYING_PREORDER_METHODS,
  CHAOYING_QUERY_METHOD,
  chaoyingCloseRequestSchema,
  chaoyingGoodsDetailSchema,
  chaoyingPreOrderRequestSchema,
  chaoyingQueryRequestSchema,
  type ChaoyingPreOrderMethod,
  type ChaoyingPreOrderRequest,
} from './wire';

/** seed 结果通知: 通知频率为 0/15s/15s/15s/30s/3m/3m/30m/30m/30m/30m/1h */
export const CHAOYING_NOTIFY_SCHEDULE_MS: readonly number[] = [
  0, 15_000, 15_000, 15_000, 30_000, 180_000, 180_000, 1_800_000, 1_800_000, 1_800_000, 1_800_000, 3_600_000,
];
/** seed: 超过3秒后返回时，平台认为通知失败 */
export const CHAOYING_NOTIFY_TIMEOUT_MS = 3_000;

export interface ChaoyingSimulatorOptions {
  agentId: string;
  mchId: string;
  key: string;
  /** shown on the payer page */
  merchantName?: string;
  /** send a `pay_result≠0` notification when the payer declines; default true */
  notifyDeclines?: boolean;
  /** lifetime without time_expire (assumed: WeChat's 2 h default) */
  defaultTtlMs?: number;
}

export type ChaoyingSimOrderState = 'pending' | 'paid' | 'failed' | 'closed' | 'revoked' | 'refunded';

export interface ChaoyingSimOrder {
  method: ChaoyingPreOrderMethod;
  tradeType: 'NATIVE' | 'JSPAY';
  outTradeNo: string;
  mchId: string;
  totalFee: number;
  body: string;
  notifyUrl?: string;
  attach?: string;
  deviceInfo?: string;
  subAppId?: string;
  buyerId?: string;
  buyerLogonId?: string;
  state: ChaoyingSimOrderState;
  createdAt: number;
  expiresAt: number;
  transactionId: string;
  outTransactionId?: string;
  timeEnd?: number;
  sessionId: string;
  payerUrl: string;
  fingerprint: string;
  /** WeChat JSPAY: the `package` value of pay_info (`prepay_id=wx…`), what the wallet pays */
  prepayPackage?: string;
  /** the success answer, replayed for an idempotent repeat */
  answer?: Record<string, string>;
}

export interface ChaoyingSimulator extends ProviderSimulator, HasWallet {
  order(outTradeNo: string): Readonly<ChaoyingSimOrder> | undefined;
  orders(): ReadonlyArray<Readonly<ChaoyingSimOrder>>;
  /** Test helper: a paid order becomes refunded (query: pay_status 0, trade_state REFUND). */
  refund(outTradeNo: string): boolean;
}

const CHANNEL_BY_METHOD: Record<ChaoyingPreOrderMethod, Channel> = {
  PreOrder_WECHAT: 'wechat',
  PreOrder_ALIPAY: 'alipay',
  PreOrder_ECNY: 'ecny',
};

/** How each order state is reported by orderquery (assumed shape; see status.ts). */
const QUERY_VIEW: Record<ChaoyingSimOrderState, { code: ChaoyingCode; trade_state: string; pay_status: string; msg: string }> = {
  pending: { code: '10003', trade_state: 'NEED_QUERY', pay_status: '3', msg: '订单未支付' },
  paid: { code: '10000', trade_state: 'SUCCESS', pay_status: '1', msg: '支付成功' },
  failed: { code: '10006', trade_state: 'FAIL', pay_status: '2', msg: '支付失败' },
  closed: { code: '10004', trade_state: 'FAIL', pay_status: '5', msg: '订单已关闭' },
  revoked: { code: '10005', trade_state: 'FAIL', pay_status: '4', msg: '订单已撤销' },
  refunded: { code: '10000', trade_state: 'REFUND', pay_status: '0', msg: '转入退款' },
};

const DIGITS = '0123456789';
type Answer = Record<string, string>;

class Rejection extends SimulatorRejection<ChaoyingCode> {}

export function createChaoyingSimulator(opts: ChaoyingSimulatorOptions, deps: SimulatorDeps): ChaoyingSimulator {
  const { hub, clock, random } = deps;
  const log = deps.log.child('sim');
  const orders = new Map<string, ChaoyingSimOrder>();
  const ttl = opts.defaultTtlMs ?? 2 * 3600_000;
  const notifyDeclines = opts.notifyDeclines ?? true;
  const orderKey = (mchId: string, outTradeNo: string) => `${mchId}:${outTradeNo}`;
  const nonce = () => randomString(random, 32);
  const signed = (a: Answer): Answer => ({ ...a, sign: chaoyingSign(a, opts.key) });
  const reject = (code: ChaoyingCode, msg: string): Answer => ({ state: 'FAIL', code, msg });

  /** Unpaid orders past their expiry are closed (what the wallets do). */
  function refresh(o: ChaoyingSimOrder): ChaoyingSimOrder {
    if (o.state === 'pending' && clock.now() >= o.expiresAt) {
      o.state = 'closed';
      hub.closePayerSession(o.sessionId);
    }
    return o;
  }

  // ---- notifications ---------------------------------------------------------------------

  function notificationFields(o: ChaoyingSimOrder): Answer {
    const paid = o.state === 'paid';
    const f: Answer = {
      state: 'SUCCESS',
      result_code: 'SUCCESS',
      mch_id: o.mchId,
      pay_result: paid ? '0' : '1',
      out_trade_no: o.outTradeNo,
      transaction_id: o.transactionId,
      fee_type: 'CNY',
      total_fee: String(o.totalFee),
      time_end: beijingCompact(o.timeEnd ?? clock.now()),
      trade_type: CHAOYING_NOTIFY_TRADE_TYPES[o.method][o.tradeType],
      nonce_str: nonce(),
    };
    if (o.outTransactionId) f.out_transaction_id = o.outTransactionId;
    if (o.deviceInfo) f.device_info = o.deviceInfo;
    if (o.attach) f.attach = o.attach;
    if (o.method === 'PreOrder_WECHAT') {
      f.bank_type = 'CFT';
      if (o.subAppId) f.sub_appid = o.subAppId;
      if (o.buyerId) f.sub_openid = o.buyerId;
    } else if (o.method === 'PreOrder_ALIPAY') {
      f.bank_type = 'ALIPAYACCOUNT';
      // 支付宝通知: buyer_user_id 必填
      f.buyer_user_id = o.buyerId ?? `2088${randomString(random, 12, DIGITS)}`;
      if (o.buyerLogonId) f.buyer_logon_id = o.buyerLogonId;
      if (paid) f.invoice_amount = String(o.totalFee);
    }
    return f;
  }

  const encode = (fields: Answer) => new URLSearchParams(fields).toString();

  /** The `tamperNotifications` fault (sandbox/faults.ts TamperMode). */
  function tamper(body: string, mode: TamperMode): string {
    const f = Object.fromEntries(new URLSearchParams(body)) as Answer;
    const otherAmount = (v: string | undefined) => (Number(v) > 1 ? '1' : '2');
    switch (mode) {
      case 'amount':
        return encode({ ...f, total_fee: otherAmount(f.total_fee) });
      case 'strip-signature': {
        const { sign: _dropped, ...rest } = f;
        return encode(rest);
      }
      case 'resigned-amount':
        return encode(signed({ ...withoutSign(f), total_fee: otherAmount(f.total_fee) }));
      case 'resigned-merchant':
        return encode(signed({ ...withoutSign(f), mch_id: `${f.mch_id ?? ''}9`.slice(-32) }));
      case 'resigned-order':
        return encode(signed({ ...withoutSign(f), out_trade_no: `X${randomString(random, 20)}` }));
      case 'added-field':
        return withAddedField(body, 'form', 'coupon_fee', '1');
      case 'added-proto-field':
        return withAddedField(body, 'form', '__proto__', 'x');
    }
  }

  function notify(o: ChaoyingSimOrder): void {
    if (!o.notifyUrl) return;
    if (o.state === 'failed' && !notifyDeclines) return;
    hub.deliver({
      provider: 'chaoying',
      outTradeNo: o.outTradeNo,
      url: o.notifyUrl,
      contentType: 'application/x-www-form-urlencoded',
      body: encode(signed(notificationFields(o))),
      schedule: CHAOYING_NOTIFY_SCHEDULE_MS,
      tryTimeoutMs: CHAOYING_NOTIFY_TIMEOUT_MS,
      // seed 后台通知结果反馈: only the plain string "success" stops the retries.
      isAck: (status, text) => status >= 200 && status < 300 && text === 'success',
      tamper,
    });
  }

  function onPayerAction(o: ChaoyingSimOrder, action: 'pay' | 'decline'): PayerDecision {
    refresh(o);
    if (o.state !== 'pending') return { refused: `订单状态为 ${QUERY_VIEW[o.state].msg}，不能${action === 'pay' ? '支付' : '操作'}。The order is ${o.state}.` };
    o.state = action === 'pay' ? 'paid' : 'failed';
    o.timeEnd = clock.now();
    if (action === 'pay') {
      // 第三方订单号: the wallet's own transaction number
      o.outTransactionId =
        o.method === 'PreOrder_WECHAT'
          ? `42000${randomString(random, 23, DIGITS)}`
          : o.method === 'PreOrder_ALIPAY'
            ? `${beijingCompact(clock.now()).slice(0, 8)}2200${randomString(random, 16, DIGITS)}`
            : `ECNY${randomString(random, 24, DIGITS)}`;
    }
    log.info(action === 'pay' ? 'paid' : 'declined', { outTradeNo: o.outTradeNo });
    notify(o);
    return undefined;
  }

  // ---- the sandbox wallet's side (sandbox/wallet) ------------------------------------------

  /** WeChat's JSAPI paySign: the five signed bridge fields, MD5 with the key (the sandbox uses the merchant key). */
  function wechatPaySign(fields: Readonly<Record<string, unknown>>): string {
    return chaoyingSign(Object.fromEntries(WECHAT_PAY_SIGNED_FIELDS.map((k) => [k, fields[k]])), opts.key);
  }

  const payable = (o: ChaoyingSimOrder | undefined, what: string): WalletLookup => {
    if (!o) return { ok: false, reason: `${what}: 订单不存在 no such order` };
    refresh(o);
    if (o.state !== 'pending') return { ok: false, reason: `${what}: 订单${QUERY_VIEW[o.state].msg} (${o.state})` };
    return { ok: true, sessionId: o.sessionId };
  };

  function walletWechatPay(params: Readonly<Record<string, unknown>>): WalletLookup {
    const keys = Object.keys(params).sort();
    const expected = [...WECHAT_BRIDGE_FIELDS].sort();
    if (keys.join() !== expected.join() || keys.some((k) => typeof params[k] !== 'string' || params[k] === '')) {
      return { ok: false, reason: `调用支付JSAPI缺少参数: getBrandWCPayRequest takes exactly ${WECHAT_BRIDGE_FIELDS.join(', ')} (got ${keys.join(', ') || 'nothing'})` };
    }
    const order = [...orders.values()].find((o) => o.prepayPackage !== undefined && o.prepayPackage === params.package);
    if (!order) return { ok: false, reason: `package ${String(params.package)}: 预支付交易单不存在 unknown prepay_id` };
    if (params.appId !== order.subAppId) return { ok: false, reason: '支付验证签名失败: appId 与下单 sub_appid 不一致' };
    if (params.signType !== 'MD5') return { ok: false, reason: `signType ${String(params.signType)}: the sandbox signs MD5` };
    if (!timingSafeEqualString(String(params.paySign).toUpperCase(), wechatPaySign(params))) return { ok: false, reason: '支付验证签名失败 paySign does not verify' };
    return payable(order, 'getBrandWCPayRequest');
  }

  function walletAlipayTradePay(params: Readonly<Record<string, unknown>>): WalletLookup {
    const tradeNo = params.tradeNO;
    if (typeof tradeNo !== 'string' || tradeNo === '') return { ok: false, reason: 'tradePay: tradeNO missing' };
    const order = [...orders.values()].find((o) => o.method === 'PreOrder_ALIPAY' && o.tradeType === 'JSPAY' && o.transactionId === tradeNo);
    return payable(order, `tradePay ${tradeNo}`);
  }

  // ---- gateway methods -------------------------------------------------------------------

  function checkTime(name: string, v: string | undefined): number | undefined {
    if (v === undefined) return undefined;
    let ms: number;
    try {
      ms = parseBeijingCompact(v);
    } catch {
      throw new Rejection('20004', `${name} 格式错误，应为 yyyyMMddHHmmss`);
    }
    if (beijingCompact(ms) !== v) throw new Rejection('20004', `${name} 不是有效时间: ${v}`);
    return ms;
  }

  function preOrder(fields: Answer, take: (f: 'needQuery' | 'tamperResponses') => boolean): Answer {
    const req = parseOrReject<ChaoyingPreOrderRequest, ChaoyingCode>(chaoyingPreOrderRequestSchema.strict(), fields, '20004');
    const channel = CHANNEL_BY_METHOD[req.method];
    if (req.trade_type === 'APP' || req.trade_type === 'APP_BANK') throw new Rejection('20004', `trade_type ${req.trade_type} 未在沙箱中实现 (not simulated)`);
    const tradeType = req.trade_type;
    // v2: product_id — trade_type=NATIVE，此参数必传; 支付宝: trade_type=JSPAY时，此参数必传
    if (!req.product_id && (tradeType === 'NATIVE' || req.method === 'PreOrder_ALIPAY')) throw new Rejection('20004', `trade_type=${tradeType} 时 product_id 必传`);
    if (tradeType === 'JSPAY') {
      if (req.method === 'PreOrder_ECNY') throw new Rejection('20004', '数币暂不支持 JSPAY (assumed)');
      if (req.method === 'PreOrder_WECHAT' && (!req.sub_appid || !req.buyer_id)) throw new Rejection('20004', 'trade_type=JSPAY 时 sub_appid 和 buyer_id 必传');
      if (req.method === 'PreOrder_ALIPAY' && !req.buyer_id && !req.buyer_logon_id) throw new Rejection('20004', 'trade_type=JSPAY 时 buyer_id 和 buyer_logon_id 不能同时为空');
    }
    if (req.method === 'PreOrder_ECNY' && req.goods_tag) throw new Rejection('20004', 'goods_tag: 数币该字段不传');
    if (req.notify_url !== undefined) {
      let u: URL;
      try {
        u = new URL(req.notify_url);
      } catch {
        throw new Rejection('20004', 'notify_url 不是有效的URL');
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Rejection('20004', 'notify_url 必须是 http(s) 地址');
      if (req.notify_url.includes('?') || req.notify_url.includes('#')) throw new Rejection('20004', 'notify_url 不能携带参数 (no query string)');
    }
    if (req.goods_detail !== undefined) {
      let parsed: unknown;
      try {
        parsed = parseJson(req.goods_detail);
      } catch (e) {
        throw new Rejection('20004', `goods_detail 必须是 JSON Array (${(e as Error).message})`);
      }
      const g = chaoyingGoodsDetailSchema.safeParse(parsed);
      if (!g.success) throw new Rejection('20004', `goods_detail: ${describeZodIssues(g.error.issues)}`);
    }
    const now = clock.now();
    const start = checkTime('time_start', req.time_start);
    let expire = checkTime('time_expire', req.time_expire);
    // 支付宝: 交易起始时间与交易结束时间需要同时传入才会生效
    if (req.method === 'PreOrder_ALIPAY' && (start === undefined) !== (expire === undefined)) expire = undefined;
    if (start !== undefined && expire !== undefined && expire <= start) throw new Rejection('20004', 'time_expire 必须晚于 time_start');
    if (expire !== undefined && expire <= now) throw new Rejection('20004', 'time_expire 已过期');

    const fingerprint = JSON.stringify([req.method, tradeType, req.total_fee, req.body, req.notify_url ?? '', req.time_expire ?? '', req.sub_appid ?? '', req.buyer_id ?? '']);
    const key = orderKey(req.mch_id, req.out_trade_no);
    const existing = orders.get(key);
    if (existing) {
      refresh(existing);
      // The same request again (a retry after a lost answer) gets the same answer while unpaid;
      // anything else with a used number is refused (seed: out_trade_no 不重复).
      if (existing.fingerprint === fingerprint && existing.state === 'pending' && existing.answer) return existing.answer;
      return signed({ state: 'SUCCESS', code: '20004', trade_state: 'FAIL', msg: '商户订单号重复 out_trade_no already used', mch_id: req.mch_id, out_trade_no: req.out_trade_no, nonce_str: nonce() });
    }

    const expiresAt = expire ?? now + ttl;
    const order: ChaoyingSimOrder = {
      method: req.method,
      tradeType,
      outTradeNo: req.out_trade_no,
      mchId: req.mch_id,
      totalFee: Number(req.total_fee),
      body: req.body,
      ...(req.notify_url ? { notifyUrl: req.notify_url } : {}),
      ...(req.attach ? { attach: req.attach } : {}),
      ...(req.device_info ? { deviceInfo: req.device_info } : {}),
      ...(req.sub_appid ? { subAppId: req.sub_appid } : {}),
      ...(req.buyer_id ? { buyerId: req.buyer_id } : {}),
      ...(req.buyer_logon_id ? { buyerLogonId: req.buyer_logon_id } : {}),
      state: 'pending',
      createdAt: now,
      expiresAt,
      transactionId: `${beijingCompact(now).slice(0, 8)}${randomString(random, 22, DIGITS)}`,
      sessionId: '',
      payerUrl: '',
      fingerprint,
    };
    const session = hub.openPayerSession({
      provider: 'chaoying',
      outTradeNo: order.outTradeNo,
      money: { amount: order.totalFee, currency: 'CNY' },
      subject: order.body,
      channel,
      scene: tradeType === 'NATIVE' ? 'qr' : 'jsapi',
      merchantId: order.mchId,
      ...(opts.merchantName ? { merchantName: opts.merchantName } : {}),
      expiresAt,
      onPay: () => onPayerAction(order, 'pay'),
      onDecline: () => onPayerAction(order, 'decline'),
    });
    order.sessionId = session.id;
    order.payerUrl = session.url;
    orders.set(key, order);
    log.info('pre-order', { outTradeNo: order.outTradeNo, method: order.method, tradeType });

    if (take('needQuery')) {
      // seed: 交易状态为"NEED_QUERY"时 … 调用订单查询. The order exists; the caller must find out.
      return signed({ state: 'SUCCESS', code: '10001', trade_state: 'NEED_QUERY', msg: '交易状态未知，请查询', mch_id: order.mchId, out_trade_no: order.outTradeNo, nonce_str: nonce() });
    }
    const answer: Answer = { state: 'SUCCESS', code: '10000', trade_state: 'SUCCESS', msg: 'SUCCESS', mch_id: order.mchId, out_trade_no: order.outTradeNo, nonce_str: nonce() };
    if (tradeType === 'NATIVE') {
      answer.code_url = session.url;
    } else if (req.method === 'PreOrder_WECHAT') {
      // 微信 pay_info: the JSAPI parameters for getBrandWCPayRequest, as 超赢 passes them through.
      // Key order as in the seed's example; `status` and `callback_url` ride along (超赢 adds
      // them), but paySign signs only what getBrandWCPayRequest verifies (WeChat's rule).
      const payInfo: Answer = {
        appId: req.sub_appid ?? '',
        timeStamp: String(Math.floor(now / 1000)),
        status: '0',
        signType: 'MD5',
        package: `prepay_id=wx${beijingCompact(now)}${randomString(random, 18, '0123456789abcdef')}`,
        callback_url: '',
        nonceStr: randomString(random, 32),
      };
      payInfo.paySign = wechatPaySign(payInfo);
      order.prepayPackage = payInfo.package;
      answer.pay_info = JSON.stringify(payInfo);
      answer.appid = req.sub_appid ?? '';
      answer.sub_openid = req.buyer_id ?? '';
      answer.token_id = randomString(random, 33, '0123456789abcdef');
    } else {
      // 支付宝 pay_info: {"tradeNO": …} for AlipayJSBridge tradePay; pay_url "仅作为参考": the sandbox payer page.
      answer.pay_info = JSON.stringify({ tradeNO: order.transactionId });
      answer.pay_url = session.url;
    }
    order.answer = signed(answer);
    return maybeTamper(order.answer, take);
  }

  function maybeTamper(answer: Answer, take: (f: 'needQuery' | 'tamperResponses') => boolean): Answer {
    if (!take('tamperResponses')) return answer;
    // Altered after signing: the signature no longer matches (a proxy, or a forged answer).
    if (answer.code_url) return { ...answer, code_url: 'https://qr.attacker.invalid/pay' };
    if (answer.pay_status !== undefined && answer.pay_status !== '1') return { ...answer, pay_status: '1', trade_state: 'SUCCESS', code: '10000' };
    if (answer.total_fee !== undefined) return { ...answer, total_fee: String(Number(answer.total_fee) + 100) };
    return { ...answer, msg: `${answer.msg ?? ''} (tampered)` };
  }

  function findOrder(mchId: string, outTradeNo: string): ChaoyingSimOrder | undefined {
    const o = orders.get(orderKey(mchId, outTradeNo));
    return o ? refresh(o) : undefined;
  }

  function orderView(o: ChaoyingSimOrder): Answer {
    const v = QUERY_VIEW[o.state];
    const a: Answer = {
      state: 'SUCCESS',
      code: v.code,
      trade_state: v.trade_state,
      msg: v.msg,
      pay_status: v.pay_status,
      mch_id: o.mchId,
      out_trade_no: o.outTradeNo,
      transaction_id: o.transactionId,
      fee_type: 'CNY',
      total_fee: String(o.totalFee),
      trade_type: CHAOYING_NOTIFY_TRADE_TYPES[o.method][o.tradeType],
      nonce_str: nonce(),
    };
    if (o.outTransactionId) a.out_transaction_id = o.outTransactionId;
    if (o.timeEnd !== undefined) a.time_end = beijingCompact(o.timeEnd);
    if (o.attach) a.attach = o.attach;
    return a;
  }

  const notFound = (mchId: string, outTradeNo: string): Answer =>
    signed({ state: 'SUCCESS', code: CHAOYING_ORDER_NOT_FOUND_CODE, trade_state: 'FAIL', msg: '订单不存在 order not found', mch_id: mchId, out_trade_no: outTradeNo, nonce_str: nonce() });

  function query(fields: Answer, take: (f: 'needQuery' | 'tamperResponses') => boolean): Answer {
    const req = parseOrReject(chaoyingQueryRequestSchema.strict(), fields, '20004');
    const o = findOrder(req.mch_id, req.out_trade_no);
    return maybeTamper(o ? signed(orderView(o)) : notFound(req.mch_id, req.out_trade_no), take);
  }

  function close(fields: Answer, take: (f: 'needQuery' | 'tamperResponses') => boolean): Answer {
    const req = parseOrReject(chaoyingCloseRequestSchema.strict(), fields, '20004');
    const o = findOrder(req.mch_id, req.out_trade_no);
    if (!o) return maybeTamper(notFound(req.mch_id, req.out_trade_no), take);
    let answer: Answer;
    switch (o.state) {
      case 'pending':
        o.state = 'closed';
        hub.closePayerSession(o.sessionId);
        log.info('closed', { outTradeNo: o.outTradeNo });
        answer = { ...orderView(o), code: '10000', trade_state: 'SUCCESS', msg: '关闭成功' };
        break;
      case 'closed':
      case 'revoked':
        answer = { ...orderView(o), trade_state: 'SUCCESS' };
        break;
      case 'paid':
      case 'refunded':
        answer = { ...orderView(o), code: '20004', trade_state: 'FAIL', msg: '订单已支付，不能关闭 already paid' };
        break;
      case 'failed':
        answer = { ...orderView(o), trade_state: 'FAIL', msg: '订单支付失败，无需关闭' };
        break;
    }
    return maybeTamper(signed(answer), take);
  }

  async function gateway(req: Request): Promise<Response> {
    return hub.withGatewayFaults('chaoying', req, async (faults) => {
      const contentType = req.headers.get('content-type') ?? '';
      const text = await req.text();
      if (!contentType.includes('application/x-www-form-urlencoded')) {
        return jsonAnswer(reject('20004', `请使用 application/x-www-form-urlencoded 提交 (got ${contentType || 'no content-type'})`));
      }
      const form = parseForm(text);
      if (!form.ok) return jsonAnswer(reject('20004', `参数重复 ${form.reason}`));
      // Empty values are "not sent" (they are not signed either).
      const fields = signedFields(form.fields);
      try {
        const method = fields.method;
        if (!method) throw new Rejection('20004', '缺少参数 method');
        if (!fields.agent_id) throw new Rejection('20004', '缺少参数 agent_id');
        if (fields.agent_id !== opts.agentId) throw new Rejection('20004', `代理商不存在 unknown agent_id ${fields.agent_id}`);
        if (!fields.mch_id) throw new Rejection('20004', '缺少参数 mch_id');
        if (fields.mch_id !== opts.mchId) throw new Rejection('20004', `商户不存在 unknown mch_id ${fields.mch_id}`);
        const check = verifyChaoyingSignature(fields, opts.key);
        if (check === 'missing') throw new Rejection('20004', '缺少参数 sign');
        if (check === 'invalid') throw new Rejection('20002', '签名错误 sign error');
        if ((CHAOYING_PREORDER_METHODS as readonly string[]).includes(method)) return jsonAnswer(preOrder(fields, faults.take));
        if (method === CHAOYING_QUERY_METHOD) return jsonAnswer(query(fields, faults.take));
        if (method === CHAOYING_CLOSE_METHOD) return jsonAnswer(close(fields, faults.take));
        throw new Rejection('20004', `method 不支持: ${method}`);
      } catch (e) {
        if (e instanceof SimulatorRejection) {
          log.info('rejected', { method: fields.method, outTradeNo: fields.out_trade_no, code: e.code, msg: e.message });
          return jsonAnswer(reject(e.code, e.message));
        }
        throw e;
      }
    });
  }

  return {
    id: 'chaoying',
    async handle(req, subpath) {
      if (subpath !== CHAOYING_GATEWAY_PATH) {
        return new Response(`Not Found: ${subpath} (the 超赢 simulator serves POST ${CHAOYING_GATEWAY_PATH})`, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      }
      if (req.method !== 'POST') return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } });
      return gateway(req);
    },
    order: (outTradeNo) => {
      const o = orders.get(orderKey(opts.mchId, outTradeNo));
      return o ? { ...refresh(o) } : undefined;
    },
    orders: () => [...orders.values()].map((o) => ({ ...refresh(o) })),
    wallet: { wechatPay: walletWechatPay, alipayTradePay: walletAlipayTradePay },
    refund(outTradeNo) {
      const o = orders.get(orderKey(opts.mchId, outTradeNo));
      if (!o || refresh(o).state !== 'paid') return false;
      o.state = 'refunded';
      return true;
    },
  };
}

function withoutSign(f: Answer): Answer {
  const { sign: _sign, ...rest } = f;
  return rest;
}
