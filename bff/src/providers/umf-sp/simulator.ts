/**
 * 联动优势 服务商平台 sandbox twin: `POST /sandbox/umf-sp/pay/{micropay,queryOrder,cancelOrder,closeOrder}`,
 * speaking its document as written (docs/providers/umf-sp.md) — JSON request signed by the merchant
 * (SHA1withRSA over `k=v&`, field `signature`), JSON answer signed by the platform key over the
 * `|`-joined values — and keeping its own orders. It enforces the seed's field rules on what PayQR
 * sends (required fields, lengths, the orderType enumeration, the authCode rule of that orderType,
 * backUrl's character rule, orderNo unique per acqMerId, known acqSpId/acqMerId) and verifies our
 * signature with the merchant's public key. Every answer, rejections included, is signed (the
 * seed's answer table has `signature` as mandatory).
 *
 * The payer's code decides what happens (sandbox/micropay-outcomes.ts, by its last two digits):
 *
 * | code ends | micropay answers              | then                                                      | notification |
 * |-----------|-------------------------------|-----------------------------------------------------------|--------------|
 * | 00 (else) | `00` paid                     | —                                                         | none (seed: a synchronous success is not notified) |
 * | 01        | `02` paying                   | paid after scale(5 s)                                     | paid         |
 * | 02        | `62` entering password        | paid after scale(10 s)                                    | paid         |
 * | 03        | `51` 余额不足 (failed)          | —                                                         | none         |
 * | 04        | `04` unknown                  | stays "paying" (query origRespCode 02) until reversed/closed | none      |
 * | 05        | `94` 订单已支付                 | the order is paid (query: 00)                             | none         |
 * | 06        | `62` entering password        | failed after scale(10 s) (`01` the payer cancelled)       | failed       |
 *
 * Deterministic races: a pending order's final moment is `finalAt = receipt + hub.scale(N s)` on
 * the simulator's clock. Every request first brings the order up to date with that clock (now ≥
 * finalAt → final), then acts. So a reverse or close at now < finalAt wins for good (the order is
 * revoked/closed and the timer finds nothing to do — it can never be paid later), while one at
 * now ≥ finalAt finds the payment made: a reverse then refunds it (answer `00`, origRespCode `00`),
 * a close is refused (`40`). The timer applies the same rule at finalAt, so the notification goes
 * out on time even when nobody asks.
 *
 * Notifications (assumed shape, wire.ts): a form POST to backUrl signed over `k=v&` with field
 * `sign`, re-sent until the reply is JSON with `respCode` `00` (and, when the reply carries a
 * `signature`, it must verify with the merchant key), on 魔方's documented schedule (assumed for
 * this sibling product): immediately, +30 s, +300 s, +1800 s.
 *
 * Assumed where the seed is silent (here and in status.ts): every code but 00/02/62/04 and the
 * query/cancel/close shapes; a cancel of an order UMF never saw answers `25` but remembers the
 * number, so a late micropay under it is refused (`94`) instead of taking money.
 */
import type { KeyObject } from 'node:crypto';
import { beijingCompact, beijingDate, parseBeijingCompact } from '../../core/clock';
import { maskCode } from '../../core/log';
import { randomString } from '../../core/random';
import { dataObject } from '../../core/strict-json';
import { withAddedField, type ProviderSimulator, type SimulatorDeps, type TamperMode } from '../../sandbox/hub';
import { micropayScenario, type MicropayScenario } from '../../sandbox/micropay-outcomes';
import { copyStringValues, jsonAnswer, jsonObjectOf, parseOrReject, readJsonObject, SimulatorRejection } from '../simulator-kit';
import { umfSigned } from '../umf/signature';
import { UMF_SP_FORMS, verifyUmfSpSignature } from './signature';
import { UMF_SP_RESP_CODES, type UmfSpOrigRespCode, type UmfSpRespCode, UMF_SP_ORIG_RESP_CODES } from './status';
import {
  UMF_SP_PATHS,
  umfSpAuthCodeRule,
  umfSpBackUrlProblem,
  umfSpMicropayRequestSchema,
  umfSpOrderRefRequestSchema,
  type UmfSpCall,
  type UmfSpMicropayRequest,
  type UmfSpOrderRefRequest,
  type UmfSpOrderType,
} from './wire';

/** 魔方 3.1's retry schedule (doc there, assumed for 服务商平台): immediately, +30 s, +300 s, +1800 s. */
export const UMF_SP_NOTIFY_SCHEDULE_MS: readonly number[] = [0, 30_000, 300_000, 1_800_000];
/** per try (assumed) */
export const UMF_SP_NOTIFY_TIMEOUT_MS = 5_000;

export interface UmfSpSimulatorOptions {
  acqSpId: string;
  acqMerId: string;
  /** verifies our requests (and the signature on our notification replies) */
  merchantPublicKey: KeyObject;
  /** signs the answers and notifications (UMF's key; the connector pins its public half) */
  platformPrivateKey: KeyObject;
}

export type UmfSpSimOrderState = 'paying' | 'password' | 'paid' | 'failed' | 'closed' | 'revoked';

export interface UmfSpSimOrder {
  orderNo: string;
  acqSpId: string;
  acqMerId: string;
  orderType: UmfSpOrderType;
  txnAmt: number;
  goodsId: string;
  goodsInfo: string;
  backUrl?: string;
  /** as received (yyyyMMddHHmmss) */
  orderTime: string;
  /** simulator clock ms when received */
  createdAt: number;
  /** masked: the simulator never keeps a whole payer code */
  authCode: string;
  scenario: MicropayScenario['kind'];
  state: UmfSpSimOrderState;
  /** pending orders with a scheduled end */
  finalAt?: number;
  final?: 'paid' | 'failed';
  transactionId: string;
  paySeq?: string;
  depBankSeq?: string;
  payTime?: number;
  /** the failure's respCode/respMsg */
  failCode?: UmfSpRespCode;
  /** paid, then reversed: the reverse refunded it */
  refunded: boolean;
  notified: boolean;
}

export interface UmfSpSimulator extends ProviderSimulator {
  order(orderNo: string): Readonly<UmfSpSimOrder> | undefined;
  orders(): ReadonlyArray<Readonly<UmfSpSimOrder>>;
}

const ORIG_BY_STATE: Record<UmfSpSimOrderState, UmfSpOrigRespCode> = {
  paying: '02',
  password: '62',
  paid: '00',
  failed: '06',
  closed: '03',
  revoked: '04',
};

const CALL_BY_PATH = new Map<string, UmfSpCall>(Object.entries(UMF_SP_PATHS).map(([call, path]) => [path, call as UmfSpCall]));
const DIGITS = '0123456789';
type Answer = Record<string, string>;
type Take = (f: 'needQuery' | 'tamperResponses') => boolean;

class Rejection extends SimulatorRejection<UmfSpRespCode> {}

export function createUmfSpSimulator(opts: UmfSpSimulatorOptions, deps: SimulatorDeps): UmfSpSimulator {
  const { hub, clock, random } = deps;
  const log = deps.log.child('sim');
  const orders = new Map<string, UmfSpSimOrder>();
  /** numbers reversed before UMF saw them: a late micropay under one is refused */
  const tombstones = new Set<string>();
  const timers = new Map<string, AbortController>();
  const orderKey = (acqMerId: string, orderNo: string) => `${acqMerId}:${orderNo}`;

  const signedAnswer = (a: Answer): Answer => umfSigned(a, UMF_SP_FORMS.response, opts.platformPrivateKey);
  const head = (code: UmfSpRespCode, msg?: string): Answer => ({ respCode: code, respMsg: msg ?? UMF_SP_RESP_CODES[code].label, platDate: beijingDate(clock.now()) });

  // ---- order life ------------------------------------------------------------------------

  function finalize(o: UmfSpSimOrder): void {
    if ((o.state !== 'paying' && o.state !== 'password') || !o.final) return;
    stopTimer(o);
    if (o.final === 'paid') markPaid(o, o.finalAt ?? clock.now());
    else {
      o.state = 'failed';
      o.failCode = '01';
    }
    log.info(`final: ${o.state}`, { orderNo: o.orderNo });
    notify(o);
  }

  /** Brings a pending order up to date with the clock (see the file comment: deterministic races). */
  function refresh(o: UmfSpSimOrder): UmfSpSimOrder {
    if (o.finalAt !== undefined && clock.now() >= o.finalAt) finalize(o);
    return o;
  }

  function markPaid(o: UmfSpSimOrder, at: number): void {
    o.state = 'paid';
    o.payTime = at;
    o.paySeq = `${beijingCompact(at)}${randomString(random, 12, DIGITS)}`;
    // 第三方流水号: the wallet's own transaction number
    o.depBankSeq =
      o.orderType === 'wechat'
        ? `42000${randomString(random, 23, DIGITS)}`
        : o.orderType === 'alipay'
          ? `${beijingDate(at)}2200${randomString(random, 16, DIGITS)}`
          : `${beijingCompact(at)}${randomString(random, 12, DIGITS)}`;
  }

  function stopTimer(o: UmfSpSimOrder): void {
    const key = orderKey(o.acqMerId, o.orderNo);
    timers.get(key)?.abort();
    timers.delete(key);
  }

  function schedule(o: UmfSpSimOrder): void {
    if (o.finalAt === undefined) return;
    const key = orderKey(o.acqMerId, o.orderNo);
    const ctl = new AbortController();
    timers.set(key, ctl);
    clock.sleep(Math.max(0, o.finalAt - clock.now()), ctl.signal).then(
      () => {
        timers.delete(key);
        finalize(o);
      },
      () => undefined,
    );
  }

  // ---- notifications ---------------------------------------------------------------------

  function notificationFields(o: UmfSpSimOrder): Answer {
    const paid = o.state === 'paid';
    const code: UmfSpRespCode = paid ? '00' : (o.failCode ?? '01');
    const f: Answer = {
      acqSpId: o.acqSpId,
      acqMerId: o.acqMerId,
      orderNo: o.orderNo,
      orderTime: o.orderTime,
      orderType: o.orderType,
      txnAmt: String(o.txnAmt),
      transactionId: o.transactionId,
      respCode: code,
      respMsg: paid ? '支付成功' : code === '01' ? '用户取消支付' : UMF_SP_RESP_CODES[code].label,
    };
    if (paid) {
      if (o.paySeq) f.paySeq = o.paySeq;
      if (o.depBankSeq) f.depBankSeq = o.depBankSeq;
      if (o.payTime !== undefined) f.payTime = beijingCompact(o.payTime);
    }
    return f;
  }

  const signedNotification = (f: Answer): Answer => umfSigned(f, UMF_SP_FORMS.notify, opts.platformPrivateKey);
  const encode = (fields: Answer) => new URLSearchParams(fields).toString();
  const withoutSign = (f: Answer): Answer => Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'sign'));

  /** The `tamperNotifications` fault (sandbox/faults.ts TamperMode). */
  function tamper(body: string, mode: TamperMode): string {
    const f = Object.fromEntries(new URLSearchParams(body)) as Answer;
    const otherAmount = (v: string | undefined) => (Number(v) > 1 ? '1' : '2');
    switch (mode) {
      case 'amount':
        return encode({ ...f, txnAmt: otherAmount(f.txnAmt) });
      case 'strip-signature':
        return encode(withoutSign(f));
      case 'resigned-amount':
        return encode(signedNotification({ ...withoutSign(f), txnAmt: otherAmount(f.txnAmt) }));
      case 'resigned-merchant':
        return encode(signedNotification({ ...withoutSign(f), acqMerId: f.acqMerId === '99999999' ? '88888888' : '99999999' }));
      case 'resigned-order':
        return encode(signedNotification({ ...withoutSign(f), orderNo: `X${randomString(random, 20)}` }));
      case 'added-field':
        return withAddedField(body, 'form', 'merPriv', 'x');
      case 'added-proto-field':
        return withAddedField(body, 'form', '__proto__', 'x');
    }
  }

  /** Our reply: JSON with respCode 00; a `signature`, when present, must verify with the merchant key. */
  function isAck(status: number, text: string): boolean {
    if (status < 200 || status >= 300) return false;
    const r = jsonObjectOf(text);
    if (!r || r.respCode !== '00') return false;
    return r.signature === undefined || verifyUmfSpSignature(r, 'ack', opts.merchantPublicKey) === 'valid';
  }

  function notify(o: UmfSpSimOrder): void {
    if (!o.backUrl || o.notified) return;
    o.notified = true;
    hub.deliver({
      provider: 'umf-sp',
      outTradeNo: o.orderNo,
      url: o.backUrl,
      contentType: 'application/x-www-form-urlencoded',
      body: encode(signedNotification(notificationFields(o))),
      schedule: UMF_SP_NOTIFY_SCHEDULE_MS,
      tryTimeoutMs: UMF_SP_NOTIFY_TIMEOUT_MS,
      isAck,
      tamper,
    });
  }

  // ---- gateway calls ---------------------------------------------------------------------

  function checkTime(v: string): number {
    let ms: number;
    try {
      ms = parseBeijingCompact(v);
    } catch {
      throw new Rejection('12', 'orderTime 格式错误，应为 yyyyMMddHHmmss');
    }
    if (beijingCompact(ms) !== v) throw new Rejection('12', `orderTime 不是有效时间: ${v}`);
    return ms;
  }

  /** The fields every answer about an order carries. */
  function orderView(o: UmfSpSimOrder): Answer {
    const a: Answer = {
      orderNo: o.orderNo,
      transactionId: o.transactionId,
      txnAmt: String(o.txnAmt),
    };
    if (o.state === 'paid' || o.refunded) {
      if (o.paySeq) a.paySeq = o.paySeq;
      if (o.depBankSeq) a.depBankSeq = o.depBankSeq;
    }
    return a;
  }

  /** queryOrder / cancelOrder / closeOrder answers add the original order's state (assumed shape). */
  function origView(o: UmfSpSimOrder, orig: UmfSpOrigRespCode = ORIG_BY_STATE[o.state]): Answer {
    const a: Answer = {
      ...orderView(o),
      acqSpId: o.acqSpId,
      acqMerId: o.acqMerId,
      orderType: o.orderType,
      orderTime: o.orderTime,
      origRespCode: orig,
      origRespMsg: UMF_SP_ORIG_RESP_CODES[orig].label,
    };
    if ((o.state === 'paid' || o.refunded) && o.payTime !== undefined) a.payTime = beijingCompact(o.payTime);
    return a;
  }

  function micropay(fields: Answer, take: Take): Answer {
    const req = parseOrReject<UmfSpMicropayRequest, UmfSpRespCode>(umfSpMicropayRequestSchema, fields, '12');
    checkTime(req.orderTime);
    if (req.backUrl !== undefined) {
      const problem = umfSpBackUrlProblem(req.backUrl);
      if (problem) throw new Rejection('12', `backUrl ${problem}`);
    }
    const rule = umfSpAuthCodeRule(req.orderType);
    if (!rule.pattern.test(req.authCode)) throw new Rejection('14', `付款码与订单类型不符 authCode does not fit orderType ${req.orderType} (${rule.rule})`);
    const key = orderKey(req.acqMerId, req.orderNo);
    if (orders.has(key) || tombstones.has(key)) throw new Rejection('94', '订单号重复 orderNo already used');

    const now = clock.now();
    const scenario = micropayScenario(req.authCode);
    const o: UmfSpSimOrder = {
      orderNo: req.orderNo,
      acqSpId: req.acqSpId,
      acqMerId: req.acqMerId,
      orderType: req.orderType,
      txnAmt: Number(req.txnAmt),
      goodsId: req.goodsId,
      goodsInfo: req.goodsInfo,
      ...(req.backUrl ? { backUrl: req.backUrl } : {}),
      orderTime: req.orderTime,
      createdAt: now,
      authCode: maskCode(req.authCode),
      scenario: scenario.kind,
      state: 'paying',
      transactionId: `${beijingDate(now)}${randomString(random, 18, DIGITS)}`,
      refunded: false,
      notified: false,
    };
    orders.set(key, o);
    let answer: Answer;
    switch (scenario.kind) {
      case 'paid':
        markPaid(o, now);
        answer = { ...head('00', '支付成功'), ...orderView(o) };
        break;
      case 'paying':
        o.state = scenario.passwordEntry ? 'password' : 'paying';
        o.final = scenario.final;
        o.finalAt = now + hub.scale(scenario.finalAfterMs);
        schedule(o);
        answer = { ...head(scenario.passwordEntry ? '62' : '02'), ...orderView(o) };
        break;
      case 'failed':
        o.state = 'failed';
        o.failCode = '51';
        answer = { ...head('51', `${UMF_SP_RESP_CODES['51'].label} (${scenario.reason})`), ...orderView(o) };
        break;
      case 'unknown':
        // never final: PayQR's deadline reverses it
        answer = { ...head('04'), ...orderView(o) };
        break;
      case 'already_paid':
        markPaid(o, now);
        answer = { ...head('94', '订单已支付 order already paid'), ...orderView(o) };
        break;
    }
    log.info('micropay', { orderNo: o.orderNo, orderType: o.orderType, authCode: o.authCode, scenario: scenario.kind, respCode: answer.respCode });
    // seed: 02 交易结果未明 — the order follows its scenario, the answer just does not say.
    if (take('needQuery')) answer = { ...head('04'), ...orderView(o) };
    return answer;
  }

  function findOrder(req: UmfSpOrderRefRequest): UmfSpSimOrder | undefined {
    const o = orders.get(orderKey(req.acqMerId, req.orderNo));
    if (!o) return undefined;
    // orderTime (assumed): when sent, it names the original order's day.
    if (req.orderTime !== undefined && req.orderTime.slice(0, 8) !== o.orderTime.slice(0, 8)) return undefined;
    return refresh(o);
  }

  function query(fields: Answer): Answer {
    const req = parseOrReject<UmfSpOrderRefRequest, UmfSpRespCode>(umfSpOrderRefRequestSchema, fields, '12');
    if (req.orderTime !== undefined) checkTime(req.orderTime);
    const o = findOrder(req);
    if (!o) return { ...head('25'), orderNo: req.orderNo };
    return { ...head('00', '查询成功'), ...origView(o) };
  }

  function cancel(fields: Answer): Answer {
    const req = parseOrReject<UmfSpOrderRefRequest, UmfSpRespCode>(umfSpOrderRefRequestSchema, fields, '12');
    if (req.orderTime !== undefined) checkTime(req.orderTime);
    const o = findOrder(req);
    if (!o) {
      tombstones.add(orderKey(req.acqMerId, req.orderNo));
      return { ...head('25'), orderNo: req.orderNo };
    }
    const before = ORIG_BY_STATE[o.state];
    switch (o.state) {
      case 'paying':
      case 'password':
        stopTimer(o);
        o.state = 'revoked';
        log.info('reversed before the payer finished', { orderNo: o.orderNo });
        return { ...head('00', '撤销成功'), ...origView(o, before) };
      case 'paid':
        // docs/providers/umf-sp.md: 撤销 is for same-day micropay only
        if (beijingDate(clock.now()) !== beijingDate(o.createdAt)) {
          return { ...head('40', '仅支持当日交易撤销 only same-day orders can be reversed'), ...origView(o) };
        }
        o.state = 'revoked';
        o.refunded = true;
        log.info('reversed a paid order: refunded', { orderNo: o.orderNo });
        return { ...head('00', '撤销成功，已退款'), ...origView(o, before) };
      case 'failed':
        return { ...head('00', '原交易失败，无需撤销'), ...origView(o) };
      case 'closed':
        return { ...head('00', '订单已关闭'), ...origView(o) };
      case 'revoked':
        // idempotent: the same reverse again is confirmed again
        return { ...head('00', '订单已撤销'), ...origView(o) };
    }
  }

  function close(fields: Answer): Answer {
    const req = parseOrReject<UmfSpOrderRefRequest, UmfSpRespCode>(umfSpOrderRefRequestSchema, fields, '12');
    if (req.orderTime !== undefined) checkTime(req.orderTime);
    const o = findOrder(req);
    if (!o) return { ...head('25'), orderNo: req.orderNo };
    const before = ORIG_BY_STATE[o.state];
    switch (o.state) {
      case 'paying':
      case 'password':
        stopTimer(o);
        o.state = 'closed';
        log.info('closed', { orderNo: o.orderNo });
        return { ...head('00', '关单成功'), ...origView(o, before) };
      case 'paid':
        return { ...head('40', '订单已支付，不能关闭 already paid: reverse it instead'), ...origView(o) };
      case 'failed':
        return { ...head('00', '原交易失败，无需关闭'), ...origView(o) };
      case 'closed':
        return { ...head('00', '订单已关闭'), ...origView(o) };
      case 'revoked':
        return { ...head('00', '订单已撤销'), ...origView(o) };
    }
  }

  function maybeTamper(answer: Answer, take: Take): Answer {
    if (!take('tamperResponses')) return answer;
    // Altered after signing: the signature no longer matches (a proxy, or a forged answer).
    if (answer.origRespCode !== undefined && answer.origRespCode !== '00') return { ...answer, origRespCode: '00' };
    if (answer.respCode !== '00') return { ...answer, respCode: '00' };
    if (answer.txnAmt !== undefined) return { ...answer, txnAmt: String(Number(answer.txnAmt) + 100) };
    return { ...answer, respMsg: `${answer.respMsg ?? ''} (tampered)` };
  }

  async function gateway(req: Request, call: UmfSpCall): Promise<Response> {
    return hub.withGatewayFaults('umf-sp', req, async (faults) => {
      const contentType = req.headers.get('content-type') ?? '';
      const text = await req.text();
      const fields = dataObject<string>();
      try {
        if (!contentType.includes('application/json')) throw new Rejection('12', `请使用 application/json 提交 (got ${contentType || 'no content-type'})`);
        const body = readJsonObject(text);
        if ('problem' in body) throw new Rejection('12', `报文必须是 JSON 对象 (a JSON object): ${body.problem}`);
        const nonString = copyStringValues(body.object, fields);
        if (nonString !== undefined) throw new Rejection('12', `参数 ${nonString} 必须是字符串`);
        if (!fields.acqSpId) throw new Rejection('12', '缺少参数 acqSpId');
        if (fields.acqSpId !== opts.acqSpId) throw new Rejection('03', `代理商不存在 unknown acqSpId ${fields.acqSpId}`);
        if (!fields.acqMerId) throw new Rejection('12', '缺少参数 acqMerId');
        if (fields.acqMerId !== opts.acqMerId) throw new Rejection('03', `商户不存在 unknown acqMerId ${fields.acqMerId}`);
        const check = verifyUmfSpSignature(fields, 'request', opts.merchantPublicKey);
        if (check === 'missing') throw new Rejection('12', '缺少参数 signature');
        if (check === 'invalid') throw new Rejection('63', '签名错误 signature does not verify with the merchant key');
        let answer: Answer;
        switch (call) {
          case 'micropay':
            answer = micropay(fields, faults.take);
            break;
          case 'query':
            answer = query(fields);
            break;
          case 'cancel':
            answer = cancel(fields);
            break;
          case 'close':
            answer = close(fields);
            break;
        }
        return jsonAnswer(maybeTamper(signedAnswer(answer), faults.take));
      } catch (e) {
        if (e instanceof SimulatorRejection) {
          log.info('rejected', { call, orderNo: fields.orderNo, code: e.code, msg: e.message });
          return jsonAnswer(signedAnswer({ ...head(e.code, e.message), ...(fields.orderNo ? { orderNo: fields.orderNo } : {}) }));
        }
        throw e;
      }
    });
  }

  return {
    id: 'umf-sp',
    async handle(req, subpath) {
      const call = CALL_BY_PATH.get(subpath);
      if (!call) {
        const served = Object.values(UMF_SP_PATHS).join(', ');
        return new Response(`Not Found: ${subpath} (the 联动优势 服务商平台 simulator serves POST ${served})`, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      }
      if (req.method !== 'POST') return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } });
      return gateway(req, call);
    },
    order(orderNo) {
      const o = orders.get(orderKey(opts.acqMerId, orderNo));
      return o ? { ...refresh(o) } : undefined;
    },
    orders: () => [...orders.values()].map((o) => ({ ...refresh(o) })),
  };
}
