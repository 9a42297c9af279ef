/**
 * 联动优势 魔方 sandbox twin: `POST /sandbox/umf-mofun/in-pay-client/api/activescan` and
 * `…/apisync`, speaking 联动优势 魔方's document as written (docs/providers/umf-mofun.md) — the form field
 * `context` holding the JSON request, SHA1withRSA both ways (our requests verified with the
 * merchant's PUBLIC key over `k=v`, its answers signed with the platform PRIVATE key over the
 * `|`-joined values) — and keeping its own orders.
 *
 * It enforces the seed's field rules on what PayQR sends (required fields, lengths, payType and
 * apiVersion enumerations, partnerOrderId unique per subMerId, amount digits, reqDate/reqTime
 * formats and freshness, the notifyUrl character rule, known proxyId/subMerId), answers a sign
 * error on a wrong signature, and on Pay posts the 3.1 notification (JSON, `k=v` signature) on
 * UMF's schedule — immediately, +30 s, +300 s, +1800 s — until it reads a reply with
 * `retCode` 0000 that verifies with the merchant's public key.
 *
 * Every answer is signed (seed: sign M), refusals included. Assumed where the seed is silent
 * (kept here and in status.ts): the error codes, the apisync answer's fields, that the order
 * lapses expairTime after creation (the seed counts from the payer's password keyboard, which a
 * simulator cannot see), that declines are not notified, the 10 s reply timeout and the 15 min
 * reqDate/reqTime tolerance. UMF has no close and no refund API: neither is simulated.
 */
import type { KeyObject } from 'node:crypto';
import { beijingCompact, beijingDate, beijingTime, parseBeijingCompact } from '../../core/clock';
import type { Channel } from '../../core/domain';
import { randomString } from '../../core/random';
import { dataObject } from '../../core/strict-json';
import { withAddedField, type PayerDecision, type ProviderSimulator, type SimulatorDeps, type TamperMode } from '../../sandbox/hub';
import { copyStringValues, jsonAnswer, jsonObjectOf, parseOrReject, SimulatorRejection } from '../simulator-kit';
import { umfSigned } from '../umf/signature';
import { UMF_MOFUN_FORMS, verifyUmfMofunSignature } from './signature';
import { UMF_MOFUN_ACK_OK, UMF_MOFUN_RET_OK, type UmfMofunCode, type UmfMofunSyncCode } from './status';
import {
  decodeUmfMofunContext,
  UMF_MOFUN_ACTIVESCAN_PATH,
  UMF_MOFUN_APISYNC_PATH,
  UMF_MOFUN_EXPAIR_DEFAULT_S,
  UMF_MOFUN_EXPAIR_MAX_S,
  UMF_MOFUN_EXPAIR_MIN_S,
  UMF_MOFUN_NOTIFY_FUN_CODE,
  umfMofunActivescanRequestSchema,
  umfMofunApisyncRequestSchema,
  umfMofunNotifyUrlProblem,
  type UmfMofunActivescanRequest,
  type UmfMofunApisyncRequest,
  type UmfMofunNotification,
  type UmfMofunPayType,
} from './wire';

/** 3.1交易结果通知: retries immediately, +30 s, +300 s, +1800 s (docs/providers/umf-mofun.md) */
export const UMF_MOFUN_NOTIFY_SCHEDULE_MS: readonly number[] = [0, 30_000, 300_000, 1_800_000];
/** how long UMF waits for our reply (assumed; the seed is silent) */
export const UMF_MOFUN_NOTIFY_TIMEOUT_MS = 10_000;
/** reqDate/reqTime further than this from the platform clock are refused (assumed) */
export const UMF_MOFUN_CLOCK_TOLERANCE_MS = 15 * 60_000;

export interface UmfMofunSimulatorOptions {
  proxyId: string;
  subMerId: string;
  /** verifies PayQR's requests and its notification replies */
  merchantPublicKey: KeyObject;
  /** signs answers and notifications, as UMF's platform certificate's key */
  platformPrivateKey: KeyObject;
  /** shown on the payer page */
  merchantName?: string;
}

export type UmfMofunSimOrderState = 'pending' | 'paid' | 'failed' | 'closed';

export interface UmfMofunSimOrder {
  partnerOrderId: string;
  subMerId: string;
  proxyId: string;
  payType: UmfMofunPayType;
  /** fen */
  amount: number;
  goodsInfo?: string;
  notifyUrl?: string;
  /** the request's reqDate: the date apisync knows the order under */
  orderDate: string;
  /** expairTime as applied (seconds, 300 when out of range or absent) */
  expairTime: number;
  state: UmfMofunSimOrderState;
  createdAt: number;
  expiresAt: number;
  tradeNo: string;
  platDate: string;
  paidAt?: number;
  sessionId: string;
  payerUrl: string;
}

export interface UmfMofunSimulator extends ProviderSimulator {
  order(partnerOrderId: string): Readonly<UmfMofunSimOrder> | undefined;
  orders(): ReadonlyArray<Readonly<UmfMofunSimOrder>>;
}

const CHANNEL_BY_PAY_TYPE: Record<UmfMofunPayType, Channel> = { WX: 'wechat', AL: 'alipay', YL: 'unionpay' };

/** How each order state is reported by apisync (status.ts, assumed beyond 0000 and 01–03). */
const SYNC_VIEW: Record<UmfMofunSimOrderState, { retCode: typeof UMF_MOFUN_RET_OK | UmfMofunSyncCode; retMsg: string }> = {
  pending: { retCode: '01000000', retMsg: '订单待支付' },
  paid: { retCode: UMF_MOFUN_RET_OK, retMsg: '支付成功' },
  failed: { retCode: '05000000', retMsg: '支付失败' },
  closed: { retCode: '04000000', retMsg: '订单已关闭' },
};

const DIGITS = '0123456789';
type Answer = Record<string, string>;
type Take = (f: 'needQuery' | 'tamperResponses') => boolean;

class Rejection extends SimulatorRejection<UmfMofunCode> {}

export function createUmfMofunSimulator(opts: UmfMofunSimulatorOptions, deps: SimulatorDeps): UmfMofunSimulator {
  const { hub, clock, random } = deps;
  const log = deps.log.child('sim');
  const orders = new Map<string, UmfMofunSimOrder>();
  const orderKey = (subMerId: string, partnerOrderId: string) => `${subMerId}:${partnerOrderId}`;
  /** answers: values only, `|`-joined, platform key */
  const signed = (a: Answer): Answer => umfSigned(a, UMF_MOFUN_FORMS.pipe, opts.platformPrivateKey);

  /** Unpaid orders past expairTime can no longer be paid (seed: 超时之后,用户无法继续支付). */
  function refresh(o: UmfMofunSimOrder): UmfMofunSimOrder {
    if (o.state === 'pending' && clock.now() >= o.expiresAt) {
      o.state = 'closed';
      hub.closePayerSession(o.sessionId);
    }
    return o;
  }

  // ---- notifications (3.1) --------------------------------------------------------------

  function notificationFields(o: UmfMofunSimOrder): Omit<UmfMofunNotification, 'sign'> {
    const paidAt = o.paidAt ?? clock.now();
    return {
      funCode: UMF_MOFUN_NOTIFY_FUN_CODE,
      subMerId: o.subMerId,
      proxyId: o.proxyId,
      partnerOrderId: o.partnerOrderId,
      orderDate: o.orderDate,
      amount: String(o.amount),
      payType: o.payType,
      tradeState: 'TRADE_SUCCESS',
      tradeNo: o.tradeNo,
      platDate: o.platDate,
      payDate: beijingDate(paidAt),
      payTime: beijingTime(paidAt),
    };
  }

  /** notifications: `k=v`, platform key */
  const signedNotification = (f: Answer): string => JSON.stringify(umfSigned(f, UMF_MOFUN_FORMS.kv, opts.platformPrivateKey));

  /** The `tamperNotifications` fault (sandbox/faults.ts TamperMode): every mode is expressible. */
  function tamper(body: string, mode: TamperMode): string {
    const f = JSON.parse(body) as Answer;
    const { sign: _sign, ...unsigned } = f;
    const otherAmount = (v: string | undefined) => (Number(v) > 1 ? '1' : '2');
    switch (mode) {
      case 'amount':
        return JSON.stringify({ ...f, amount: otherAmount(f.amount) });
      case 'strip-signature':
        return JSON.stringify(unsigned);
      case 'resigned-amount':
        return signedNotification({ ...unsigned, amount: otherAmount(unsigned.amount) });
      case 'resigned-merchant':
        return signedNotification({ ...unsigned, subMerId: `${unsigned.subMerId ?? ''}9`.slice(-8) });
      case 'resigned-order':
        return signedNotification({ ...unsigned, partnerOrderId: `X${randomString(random, 20)}` });
      case 'added-field':
        return withAddedField(body, 'json', 'memo', 'x');
      case 'added-proto-field':
        return withAddedField(body, 'json', '__proto__', 'x');
    }
  }

  /**
   * Our reply must be JSON `{funCode, reqDate, reqTime, partnerOrderId, orderDate, retCode,
   * retMsg, sign}` with retCode 0000, about this order, and signed by the merchant over the
   * `|`-joined values; anything else is retried.
   */
  function isAck(o: UmfMofunSimOrder, status: number, text: string): boolean {
    if (status < 200 || status >= 300) return false;
    const r = jsonObjectOf(text);
    if (!r || verifyUmfMofunSignature(r, 'pipe', opts.merchantPublicKey) !== 'valid') return false;
    if (r.retCode !== UMF_MOFUN_ACK_OK || r.funCode !== UMF_MOFUN_NOTIFY_FUN_CODE || r.partnerOrderId !== o.partnerOrderId) return false;
    return r.orderDate === undefined || r.orderDate === o.orderDate;
  }

  function notify(o: UmfMofunSimOrder): void {
    if (!o.notifyUrl) return;
    hub.deliver({
      provider: 'umf-mofun',
      outTradeNo: o.partnerOrderId,
      url: o.notifyUrl,
      contentType: 'application/json; charset=utf-8',
      body: signedNotification(notificationFields(o)),
      schedule: UMF_MOFUN_NOTIFY_SCHEDULE_MS,
      tryTimeoutMs: UMF_MOFUN_NOTIFY_TIMEOUT_MS,
      isAck: (status, text) => isAck(o, status, text),
      tamper,
    });
  }

  function onPayerAction(o: UmfMofunSimOrder, action: 'pay' | 'decline'): PayerDecision {
    refresh(o);
    if (o.state !== 'pending') return { refused: `${SYNC_VIEW[o.state].retMsg}，不能${action === 'pay' ? '支付' : '操作'}。The order is ${o.state}.` };
    o.state = action === 'pay' ? 'paid' : 'failed';
    if (action === 'pay') {
      o.paidAt = clock.now();
      notify(o);
    }
    log.info(action === 'pay' ? 'paid' : 'declined', { outTradeNo: o.partnerOrderId });
    return undefined;
  }

  // ---- gateway ----------------------------------------------------------------------------

  function checkRequestTime(reqDate: string, reqTime: string): void {
    const text = `${reqDate}${reqTime}`;
    let ms: number;
    try {
      ms = parseBeijingCompact(text);
    } catch {
      throw new Rejection('00001001', 'reqDate/reqTime 格式错误，应为 yyyyMMdd / HHmmss');
    }
    if (beijingCompact(ms) !== text) throw new Rejection('00001001', `reqDate/reqTime 不是有效时间: ${reqDate} ${reqTime}`);
    if (Math.abs(ms - clock.now()) > UMF_MOFUN_CLOCK_TOLERANCE_MS) {
      throw new Rejection('00001001', `reqDate/reqTime 与平台时间相差过大 (GMT+8 expected, platform time ${beijingCompact(clock.now())})`);
    }
  }

  /** seed expairTime: 当传递小于300秒或大于1800秒或不传递时系统默认为300秒 */
  const appliedExpair = (v: string | undefined): number => {
    const n = v === undefined ? NaN : Number(v);
    return Number.isFinite(n) && n >= UMF_MOFUN_EXPAIR_MIN_S && n <= UMF_MOFUN_EXPAIR_MAX_S ? n : UMF_MOFUN_EXPAIR_DEFAULT_S;
  };

  function maybeTamper(answer: Answer, take: Take): Answer {
    if (!take('tamperResponses')) return answer;
    // Altered after signing: the signature no longer matches (a proxy, or a forged answer).
    if (answer.feeUrl) return { ...answer, feeUrl: 'https://qr.attacker.invalid/pay' };
    if (answer.retCode !== UMF_MOFUN_RET_OK) return { ...answer, retCode: UMF_MOFUN_RET_OK, retMsg: '支付成功' };
    if (answer.amount !== undefined) return { ...answer, amount: String(Number(answer.amount) + 100) };
    return { ...answer, Memo: `${answer.Memo ?? ''} (tampered)` };
  }

  function activescan(fields: Answer, take: Take): Answer {
    const req = parseOrReject<UmfMofunActivescanRequest, UmfMofunCode>(umfMofunActivescanRequestSchema, fields, '00001001');
    checkRequestTime(req.reqDate, req.reqTime);
    if (req.notifyUrl !== undefined) {
      const problem = umfMofunNotifyUrlProblem(req.notifyUrl);
      if (problem) throw new Rejection('00001001', `notifyUrl ${problem}`);
    }
    const key = orderKey(req.subMerId, req.partnerOrderId);
    const existing = orders.get(key);
    if (existing) {
      // seed partnerOrderId 商户的支付订单号: one order per number and merchant.
      return signed({ retCode: '00001004', Memo: '商户订单号重复 partnerOrderId already used', partnerOrderId: req.partnerOrderId, feeUrl: '' });
    }

    const now = clock.now();
    const expairTime = appliedExpair(req.expairTime);
    const order: UmfMofunSimOrder = {
      partnerOrderId: req.partnerOrderId,
      subMerId: req.subMerId,
      proxyId: req.proxyId,
      payType: req.payType,
      amount: Number(req.amount),
      ...(req.goodsInfo ? { goodsInfo: req.goodsInfo } : {}),
      ...(req.notifyUrl ? { notifyUrl: req.notifyUrl } : {}),
      orderDate: req.reqDate,
      expairTime,
      state: 'pending',
      createdAt: now,
      expiresAt: now + expairTime * 1000,
      tradeNo: `${beijingDate(now)}${randomString(random, 8, DIGITS)}`,
      platDate: beijingDate(now),
      sessionId: '',
      payerUrl: '',
    };
    const session = hub.openPayerSession({
      provider: 'umf-mofun',
      outTradeNo: order.partnerOrderId,
      money: { amount: order.amount, currency: 'CNY' },
      subject: order.goodsInfo ?? order.partnerOrderId,
      channel: CHANNEL_BY_PAY_TYPE[order.payType],
      scene: 'qr',
      merchantId: order.subMerId,
      ...(opts.merchantName ? { merchantName: opts.merchantName } : {}),
      expiresAt: order.expiresAt,
      onPay: () => onPayerAction(order, 'pay'),
      onDecline: () => onPayerAction(order, 'decline'),
    });
    order.sessionId = session.id;
    order.payerUrl = session.url;
    orders.set(key, order);
    log.info('activescan', { outTradeNo: order.partnerOrderId, payType: order.payType, expairTime });

    const common: Answer = { Memo: '成功', tradeNo: order.tradeNo, platDate: order.platDate, amount: String(order.amount), payType: order.payType, partnerOrderId: order.partnerOrderId };
    if (take('needQuery')) {
      // The order exists but the answer does not say so: the caller must find out by apisync.
      return signed({ ...common, retCode: '00009998', Memo: '交易处理中，请稍后查询订单状态', feeUrl: '' });
    }
    // seed feeUrl 缴费二维码地址: the sandbox payer page.
    return maybeTamper(signed({ ...common, retCode: UMF_MOFUN_RET_OK, feeUrl: session.url }), take);
  }

  function apisync(fields: Answer, take: Take): Answer {
    const req = parseOrReject<UmfMofunApisyncRequest, UmfMofunCode>(umfMofunApisyncRequestSchema, fields, '00001001');
    const found = orders.get(orderKey(req.subMerId, req.partnerOrderId));
    // The order is known under its date: another orderDate does not find it (assumed).
    const o = found && found.orderDate === req.orderDate ? refresh(found) : undefined;
    if (!o) return maybeTamper(signed({ retCode: '00001005', retMsg: '订单不存在 order not found', partnerOrderId: req.partnerOrderId, orderDate: req.orderDate }), take);
    const view = SYNC_VIEW[o.state];
    const answer: Answer = {
      retCode: view.retCode,
      retMsg: view.retMsg,
      subMerId: o.subMerId,
      proxyId: o.proxyId,
      partnerOrderId: o.partnerOrderId,
      orderDate: o.orderDate,
      amount: String(o.amount),
      payType: o.payType,
      tradeNo: o.tradeNo,
      platDate: o.platDate,
    };
    if (o.paidAt !== undefined) {
      answer.payDate = beijingDate(o.paidAt);
      answer.payTime = beijingTime(o.paidAt);
    }
    return maybeTamper(signed(answer), take);
  }

  async function gateway(req: Request, subpath: string): Promise<Response> {
    return hub.withGatewayFaults('umf-mofun', req, async (faults) => {
      const contentType = req.headers.get('content-type') ?? '';
      const text = await req.text();
      const reject = (code: UmfMofunCode, msg: string, partnerOrderId?: string) =>
        jsonAnswer(signed({ retCode: code, [subpath === UMF_MOFUN_ACTIVESCAN_PATH ? 'Memo' : 'retMsg']: msg, ...(partnerOrderId ? { partnerOrderId } : {}) }));
      if (!contentType.includes('application/x-www-form-urlencoded')) {
        return reject('00001001', `请使用 application/x-www-form-urlencoded 提交 context (got ${contentType || 'no content-type'})`);
      }
      const decoded = decodeUmfMofunContext(text);
      if ('problem' in decoded) return reject('00001001', decoded.problem);
      const fields = dataObject<string>();
      const nonString = copyStringValues(decoded.fields, fields);
      if (nonString !== undefined) return reject('00001001', `参数 ${nonString} 必须是字符串 (every value is a JSON string)`);
      try {
        if (!fields.proxyId) throw new Rejection('00001001', '缺少参数 proxyId');
        if (fields.proxyId !== opts.proxyId) throw new Rejection('00001003', `集成商不存在 unknown proxyId ${fields.proxyId}`);
        if (!fields.subMerId) throw new Rejection('00001001', '缺少参数 subMerId');
        if (fields.subMerId !== opts.subMerId) throw new Rejection('00001003', `商户不存在 unknown subMerId ${fields.subMerId}`);
        const check = verifyUmfMofunSignature(fields, 'kv', opts.merchantPublicKey);
        if (check === 'missing') throw new Rejection('00001001', '缺少参数 sign');
        if (check === 'invalid') throw new Rejection('00001002', '验签失败 sign error');
        return jsonAnswer(subpath === UMF_MOFUN_ACTIVESCAN_PATH ? activescan(fields, faults.take) : apisync(fields, faults.take));
      } catch (e) {
        if (e instanceof SimulatorRejection) {
          log.info('rejected', { path: subpath, outTradeNo: fields.partnerOrderId, code: e.code, msg: e.message });
          return reject(e.code, e.message, fields.partnerOrderId);
        }
        throw e;
      }
    });
  }

  return {
    id: 'umf-mofun',
    async handle(req, subpath) {
      if (subpath !== UMF_MOFUN_ACTIVESCAN_PATH && subpath !== UMF_MOFUN_APISYNC_PATH) {
        return new Response(`Not Found: ${subpath} (the 联动优势 魔方 simulator serves POST ${UMF_MOFUN_ACTIVESCAN_PATH} and ${UMF_MOFUN_APISYNC_PATH})`, {
          status: 404,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });
      }
      if (req.method !== 'POST') return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } });
      return gateway(req, subpath);
    },
    order: (partnerOrderId) => {
      const o = orders.get(orderKey(opts.subMerId, partnerOrderId));
      return o ? { ...refresh(o) } : undefined;
    },
    orders: () => [...orders.values()].map((o) => ({ ...refresh(o) })),
  };
}
