/**
 * 汇收银 sandbox twin: `POST /sandbox/huishouyin/pay/{qrcode,check,cancel,close}`, speaking
 * its document as written (docs/providers/huishouyin.md) — a JSON request signed with the (assumed)
 * MD5 rule, a `{code, msg, data}`
 * JSON answer with yuan amounts as JSON numbers (`11.00`), unsigned like the seed's answers — and
 * keeping its own orders.
 *
 * Field rules enforced on what PayQR sends (seed 请求参数): app_id (≤ 32, known: else 3000),
 * sign (≤ 32; verified: 2000 on mismatch), sign_type `MD5`|`RSA` (RSA is not simulated), order_id
 * (≤ 128, unique: a repeat with the same code and amount is answered idempotently — 1003 once
 * paid —, anything else is refused), pay_code (a WeChat or Alipay payer's code, core/auth-code),
 * total_amount (a positive yuan decimal, ≤ 2 decimals, string or JSON number), store_info and
 * goods_list by their structures; an unknown field is refused.
 *
 * Outcomes follow the shared sandbox table `micropayScenario(pay_code)` exactly
 * (sandbox/micropay-outcomes.ts, by the code's last two digits):
 *   …00 paid at once                    → 1000, order_status 1
 *   …01 paying, paid after 5 s (scaled) → 1000, order_status 0 (progress paying)
 *   …02 password entry, paid after 10 s → 1002, order_status 0 (progress password_entry)
 *   …03 failed at once                  → 1000, order_status -1, msg 支付失败：…
 *   …04 unknown forever                 → 1000, order_status -10; pay/check then says 0 (支付中) for
 *                                         good, until pay/cancel (→ 5) or pay/close (→ 4)
 *   …05 already paid                    → 1003 订单已支付, data {} (the order reads paid on pay/check)
 *   …06 password entry, then cancelled  → 1002, order_status 0, failed (-1) after 10 s
 *
 * Vouchers (sandbox rule, so that the three amounts differ): when total_amount ≥ 100.00, a 1.00
 * 联富通 member coupon lowers payable_amount (total − 1.00) and a 0.50 wallet voucher, listed in
 * voucher_list, lowers real_amount (payable − 0.50). Below 100.00 all three are equal once paid.
 * real_amount is 0 until paid (seed: 如果未支付成功 real_amount 返回 0).
 *
 * Assumed where the seed is silent (kept here and in status.ts / wire.ts): the shapes of
 * pay/check, pay/cancel and pay/close; codes 4000 (order not found) and 4001 (parameter error);
 * cancel of a paid order refunds it ("refunds when paid") → order_status 2; close
 * of a paid order is refused with 1003; and the webhook, below.
 *
 * Webhook (assumed: the document does not describe it beyond "it carries no signature"):
 * there is no notify field in the request, so the URL is the merchant's setting in 汇收银's
 * backend (`notifyUrl` here). When an order becomes paid (1) or failed (-1) — at once or later —
 * the simulator POSTs the JSON fields of a pay/check `data` plus `app_id`, unsigned, on
 * {@link HUISHOUYIN_NOTIFY_SCHEDULE_MS}, until the answer's body is `success`.
 */
import { createHash } from 'node:crypto';
import { detectAuthCodeChannel } from '../../core/auth-code';
import { maskCode } from '../../core/log';
import { randomString } from '../../core/random';
import { micropayScenario } from '../../sandbox/micropay-outcomes';
import { withAddedField, type ProviderSimulator, type SimulatorDeps, type TamperMode } from '../../sandbox/hub';
import { parseOrReject, SimulatorRejection } from '../simulator-kit';
import { fenToYuan, yuanToFen } from './amount';
import { isJsonObject, JsonNumberText, parseExactJson, scalarText, stringifyExactJson, type ExactJson, type ExactJsonObject, type JsonWritable } from '../../core/strict-json';
import { huishouyinSign, verifyHuishouyinSign } from './signature';
import { HUISHOUYIN_NOT_FOUND, HUISHOUYIN_ORDER_STATUS, HUISHOUYIN_PARAM_ERROR, type HuishouyinCode, type HuishouyinOrderStatus } from './status';
import {
  HUISHOUYIN_PATHS,
  huishouyinOrderRequestSchema,
  huishouyinPayRequestSchema,
  type HuishouyinOperation,
  type HuishouyinPayRequest,
} from './wire';

/** Assumed webhook schedule (provider time, scaled by the hub): 0, 15 s, 30 s, 3 min, 10 min, 30 min, 1 h. */
export const HUISHOUYIN_NOTIFY_SCHEDULE_MS: readonly number[] = [0, 15_000, 30_000, 180_000, 600_000, 1_800_000, 3_600_000];
/** Assumed per-try timeout of the webhook. */
export const HUISHOUYIN_NOTIFY_TIMEOUT_MS = 3_000;

/** Sandbox voucher rule (see file comment), in fen. */
export const SANDBOX_VOUCHER_THRESHOLD = 10_000;
export const SANDBOX_MEMBER_COUPON = 100;
export const SANDBOX_WALLET_VOUCHER = 50;

export interface HuishouyinSimulatorOptions {
  appId: string;
  appSecret: string;
  /**
   * The webhook URL as configured in 汇收银's merchant backend; none → no webhook. A function
   * (order_id → URL) lets tests route each order's webhook to its own receiver path; the real
   * gateway has one URL per merchant.
   */
  notifyUrl?: string | ((orderId: string) => string | undefined);
  /**
   * Sign answers with a top-level `sign` (same rule). The seed's answers are unsigned, so the
   * default is false; true exercises the connector's verification and the `tamperResponses` fault
   * (which an unsigned protocol cannot express: nothing would tell the alteration apart).
   */
  signAnswers?: boolean;
}

export interface HuishouyinSimOrder {
  orderId: string;
  appId: string;
  /** masked: the full payer's code is never kept in a view */
  payCode: string;
  payType: '0' | '1';
  totalFen: number;
  payableFen: number;
  /** what the payer pays once paid (real_amount reads 0 before) */
  realFen: number;
  status: HuishouyinOrderStatus;
  /** order_status 0 while the wallet waits for the payer's password (answers 1002) */
  waitingForPayer: boolean;
  tradeNo: string;
  createdAt: number;
  /** when a paying order becomes final, and what it becomes */
  finalAt?: number;
  finalStatus?: '1' | '-1';
  msg: string;
  storeInfo?: Record<string, string>;
}

export interface HuishouyinSimulator extends ProviderSimulator {
  order(orderId: string): Readonly<HuishouyinSimOrder> | undefined;
  orders(): ReadonlyArray<Readonly<HuishouyinSimOrder>>;
  /** Test helper: a paid order becomes refunded (order_status 2). */
  refund(orderId: string): boolean;
}

interface SimOrder extends HuishouyinSimOrder {
  fingerprint: string;
}

type Answer = { code: HuishouyinCode; msg: string; data: JsonWritable };

class Rejection extends SimulatorRejection<HuishouyinCode> {}

const num = (text: string) => new JsonNumberText(text);
const yuan = (fen: number) => num(fen === 0 ? '0' : fenToYuan(fen));
const DIGITS = '0123456789';
const MAX_BODY_CHARS = 64 * 1024;
/** order_status values meaning the money was taken at some point (amounts and vouchers apply) */
const WAS_PAID: ReadonlySet<HuishouyinOrderStatus> = new Set(['1', '2', '3', '-2', '-3']);

export function createHuishouyinSimulator(opts: HuishouyinSimulatorOptions, deps: SimulatorDeps): HuishouyinSimulator {
  const { hub, clock, random } = deps;
  const log = deps.log.child('sim');
  const orders = new Map<string, SimOrder>();
  const signAnswers = opts.signAnswers ?? false;

  // ---- order state ---------------------------------------------------------------------------

  /** A paying order whose time has come becomes final (lazily on every access, and by its timer). */
  function refresh(o: SimOrder): SimOrder {
    if (o.status === '0' && o.finalAt !== undefined && o.finalStatus && clock.now() >= o.finalAt) {
      o.status = o.finalStatus;
      o.waitingForPayer = false;
      o.msg = o.finalStatus === '1' ? '支付成功' : '支付失败：用户取消支付';
      delete o.finalAt;
      delete o.finalStatus;
      log.info(o.status === '1' ? 'paid' : 'failed', { orderId: o.orderId });
      notify(o);
    }
    return o;
  }

  /**
   * The wallet finishes on its own: a timer makes it happen (and sends the webhook) even if
   * nobody asks; every access also settles it lazily. A timer may wake a little before the
   * clock reads the due time, so it re-arms for the remainder instead of giving up.
   */
  function settleWhenDue(o: SimOrder): void {
    if (o.finalAt === undefined) return;
    const left = o.finalAt - clock.now();
    if (left > 0) void clock.sleep(left).then(() => settleWhenDue(o));
    else refresh(o);
  }

  function vouchers(o: SimOrder): JsonWritable[] {
    if (o.totalFen < SANDBOX_VOUCHER_THRESHOLD) return [];
    const v = SANDBOX_WALLET_VOUCHER;
    const common = { id: `SBX${o.tradeNo.slice(-25)}`, scope: '1', amount: yuan(v), merchant_contribute: yuan(v), other_contribute: num('0.00') };
    return o.payType === '1'
      ? [{ ...common, name: '沙箱支付宝立减0.50元', purchase_ant_contribute: num('0.00') }]
      : [{ ...common, name: '沙箱微信立减0.50元', activity_id: `SBXACT${o.tradeNo.slice(-20)}`, type: 'COUPON' }];
  }

  /** `data` of an answer about `o` (seed 响应参数), amounts as yuan JSON numbers. */
  function orderData(o: SimOrder, statusOverride?: HuishouyinOrderStatus): ExactJsonObject {
    const wasPaid = WAS_PAID.has(o.status) && statusOverride === undefined;
    return {
      trade_no: o.tradeNo,
      order_id: o.orderId,
      pay_type: num(o.payType),
      order_status: num(statusOverride ?? o.status),
      total_amount: yuan(o.totalFen),
      payable_amount: yuan(o.payableFen),
      real_amount: wasPaid ? yuan(o.realFen) : num('0'),
      voucher_list: (wasPaid ? vouchers(o) : []) as ExactJson[],
    };
  }

  const view = (o: SimOrder): HuishouyinSimOrder => {
    const { fingerprint: _f, ...rest } = refresh(o);
    return { ...rest };
  };

  // ---- webhook -------------------------------------------------------------------------------

  /** The `tamperNotifications` fault. There is no signature to strip or forge: any change is a "re-signed" one. */
  function tamper(body: string, mode: TamperMode): string | undefined {
    const f = parseExactJson(body);
    if (!isJsonObject(f)) return undefined;
    switch (mode) {
      case 'strip-signature':
        return undefined; // nothing to strip: the genuine body goes out (the hub logs it)
      case 'amount':
      case 'resigned-amount': {
        const fen = yuanToFen(scalarText(f.total_amount)) ?? 0;
        return stringifyExactJson({ ...f, total_amount: yuan(fen > 1 ? 1 : 2) });
      }
      case 'resigned-merchant':
        return stringifyExactJson({ ...f, app_id: `${scalarText(f.app_id) ?? ''}X`.slice(-32) });
      case 'resigned-order':
        return stringifyExactJson({ ...f, order_id: `X${randomString(random, 20)}` });
      case 'added-field':
        return withAddedField(body, 'json', 'attach', 'x');
      case 'added-proto-field':
        return withAddedField(body, 'json', '__proto__', 'x');
    }
  }

  function notify(o: SimOrder): void {
    const url = typeof opts.notifyUrl === 'function' ? opts.notifyUrl(o.orderId) : opts.notifyUrl;
    if (!url) return;
    hub.deliver({
      provider: 'huishouyin',
      outTradeNo: o.orderId,
      url,
      contentType: 'application/json; charset=utf-8',
      body: stringifyExactJson({ app_id: o.appId, ...orderData(o) }),
      schedule: HUISHOUYIN_NOTIFY_SCHEDULE_MS,
      tryTimeoutMs: HUISHOUYIN_NOTIFY_TIMEOUT_MS,
      isAck: (status, text) => status >= 200 && status < 300 && text.trim() === 'success',
      tamper,
    });
  }

  // ---- operations ----------------------------------------------------------------------------

  const ok = (o: SimOrder, msg = o.msg): Answer => ({ code: o.waitingForPayer && o.status === '0' ? '1002' : '1000', msg, data: orderData(o) });
  const notFound = (): Answer => ({ code: HUISHOUYIN_NOT_FOUND, msg: '订单不存在', data: {} });

  function pay(body: ExactJsonObject, take: (f: 'needQuery' | 'tamperResponses') => boolean): Answer {
    const req = parseOrReject<HuishouyinPayRequest, HuishouyinCode>(huishouyinPayRequestSchema, body, HUISHOUYIN_PARAM_ERROR);
    const code = detectAuthCodeChannel(req.pay_code);
    if (!code.ok) throw new Rejection(HUISHOUYIN_PARAM_ERROR, `付款码无效 ${code.message}`);
    if (code.channel !== 'wechat' && code.channel !== 'alipay') throw new Rejection(HUISHOUYIN_PARAM_ERROR, '仅支持微信或支付宝付款码 (WeChat or Alipay codes only)');
    const totalFen = yuanToFen(req.total_amount) as number; // the schema checked it
    const fingerprint = createHash('sha256').update(JSON.stringify([req.pay_code, totalFen])).digest('hex');

    const existing = orders.get(req.order_id);
    if (existing) {
      refresh(existing);
      if (existing.fingerprint !== fingerprint) throw new Rejection(HUISHOUYIN_PARAM_ERROR, `订单号重复 order_id ${req.order_id} already used`);
      // The same call again (a retry after a lost answer): paid → 1003; still open → its state.
      if (existing.status === '1' || existing.status === '-2') return { code: '1003', msg: '订单已支付', data: {} };
      if (existing.status === '0' || existing.status === '-10') return ok(existing);
      throw new Rejection(HUISHOUYIN_PARAM_ERROR, `订单号重复 order_id ${req.order_id} is ${HUISHOUYIN_ORDER_STATUS[existing.status].label}`);
    }

    const now = clock.now();
    const member = totalFen >= SANDBOX_VOUCHER_THRESHOLD ? SANDBOX_MEMBER_COUPON : 0;
    const wallet = totalFen >= SANDBOX_VOUCHER_THRESHOLD ? SANDBOX_WALLET_VOUCHER : 0;
    const o: SimOrder = {
      orderId: req.order_id,
      appId: req.app_id,
      payCode: maskCode(req.pay_code),
      payType: code.channel === 'wechat' ? '0' : '1',
      totalFen,
      payableFen: totalFen - member,
      realFen: totalFen - member - wallet,
      status: '0',
      waitingForPayer: false,
      tradeNo: `${now}${randomString(random, 12, DIGITS)}`,
      createdAt: now,
      msg: '支付中',
      ...(req.store_info ? { storeInfo: Object.fromEntries(Object.entries(req.store_info).filter((e): e is [string, string] => typeof e[1] === 'string')) } : {}),
      fingerprint,
    };
    orders.set(o.orderId, o);

    const scenario = micropayScenario(req.pay_code);
    log.info('pay', { orderId: o.orderId, payCode: o.payCode, amount: fenToYuan(totalFen), scenario: scenario.kind });
    let answer: Answer;
    switch (scenario.kind) {
      case 'paid':
        o.status = '1';
        o.msg = '支付成功';
        notify(o);
        answer = ok(o);
        break;
      case 'paying': {
        o.waitingForPayer = scenario.passwordEntry;
        o.msg = scenario.passwordEntry ? '等待用户输入密码' : '支付中';
        o.finalStatus = scenario.final === 'paid' ? '1' : '-1';
        const wait = hub.scale(scenario.finalAfterMs);
        o.finalAt = now + wait;
        settleWhenDue(o);
        answer = ok(o);
        break;
      }
      case 'failed':
        o.status = '-1';
        o.msg = `支付失败：${scenario.reason === 'insufficient balance' ? '余额不足' : scenario.reason}`;
        notify(o);
        answer = ok(o);
        break;
      case 'unknown':
        // The pay call gets no result from the wallet (-10 未知); the order then sits in
        // 支付中 (0) for good — never final — until pay/cancel or pay/close.
        o.msg = '支付中';
        answer = { code: '1000', msg: '交易结果未知，请查询', data: orderData(o, '-10') };
        break;
      case 'already_paid':
        // "the code was used for this order before": it is paid, and this call is the repeat.
        o.status = '1';
        o.msg = '支付成功';
        answer = { code: '1003', msg: '订单已支付', data: {} };
        break;
    }
    if (take('needQuery')) {
      // The order is processed as above; the answer only says "unknown, query".
      return { code: '1000', msg: '交易结果未知，请查询', data: orderData(o, '-10') };
    }
    return answer;
  }

  /** An order the payer has not finished ends here (5 revoked, 4 closed): its timer finds nothing left to do. */
  function endUnfinished(o: SimOrder, status: '5' | '4', msg: string): void {
    o.status = status;
    o.waitingForPayer = false;
    delete o.finalAt;
    delete o.finalStatus;
    o.msg = msg;
  }

  function findOrder(orderId: string): SimOrder | undefined {
    const o = orders.get(orderId);
    return o ? refresh(o) : undefined;
  }

  function check(body: ExactJsonObject): Answer {
    const req = parseOrReject(huishouyinOrderRequestSchema, body, HUISHOUYIN_PARAM_ERROR);
    const o = findOrder(req.order_id);
    return o ? ok(o) : notFound();
  }

  function cancel(body: ExactJsonObject): Answer {
    const req = parseOrReject(huishouyinOrderRequestSchema, body, HUISHOUYIN_PARAM_ERROR);
    const o = findOrder(req.order_id);
    if (!o) return notFound();
    switch (o.status) {
      case '0':
      case '-10':
        endUnfinished(o, '5', '已撤销');
        log.info('cancelled', { orderId: o.orderId });
        return ok(o, '撤销成功');
      case '1':
      case '-2':
        // docs/providers/huishouyin.md: cancel "refunds when paid"
        o.status = '2';
        o.msg = '已撤销并退款';
        log.info('cancelled after payment: refunded', { orderId: o.orderId });
        return ok(o, '撤销成功，已退款');
      case '5':
      case '2':
        return ok(o, '订单已撤销'); // idempotent
      case '3':
      case '-3':
      case '4':
      case '-1':
        return ok(o, `订单${HUISHOUYIN_ORDER_STATUS[o.status].label}，无需撤销`);
    }
  }

  function close(body: ExactJsonObject): Answer {
    const req = parseOrReject(huishouyinOrderRequestSchema, body, HUISHOUYIN_PARAM_ERROR);
    const o = findOrder(req.order_id);
    if (!o) return notFound();
    switch (o.status) {
      case '0':
      case '-10':
        endUnfinished(o, '4', '已关闭');
        log.info('closed', { orderId: o.orderId });
        return ok(o, '关闭成功');
      case '4':
        return ok(o, '订单已关闭');
      case '5':
      case '-1':
        return ok(o, `订单${HUISHOUYIN_ORDER_STATUS[o.status].label}，无需关闭`);
      case '1':
      case '2':
      case '3':
      case '-2':
      case '-3':
        return { code: '1003', msg: '订单已支付，不能关闭', data: orderData(o) };
    }
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  function answerText(a: Answer, take: (f: 'needQuery' | 'tamperResponses') => boolean): string {
    const fields = { code: num(a.code), msg: a.msg, data: a.data };
    if (!signAnswers) return stringifyExactJson(fields);
    const signed: Record<string, JsonWritable> = { ...fields, sign: huishouyinSign(fields, opts.appSecret) };
    if (take('tamperResponses')) {
      // Altered after signing (a proxy, or a forged answer): the sign no longer matches.
      const data = isJsonObject(a.data as ExactJson) ? (a.data as ExactJsonObject) : {};
      if (data.order_status !== undefined && scalarText(data.order_status) !== '1') signed.data = { ...data, order_status: num('1') };
      else signed.msg = `${a.msg} (tampered)`;
    }
    return stringifyExactJson(signed);
  }

  async function gateway(req: Request, op: HuishouyinOperation): Promise<Response> {
    return hub.withGatewayFaults('huishouyin', req, async (faults) => {
      const respond = (a: Answer) => new Response(answerText(a, faults.take), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
      const reject = (code: HuishouyinCode, msg: string) => new Response(stringifyExactJson({ code: num(code), msg, data: {} }), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
      const contentType = req.headers.get('content-type') ?? '';
      const text = await req.text();
      if (!contentType.includes('application/json')) return reject(HUISHOUYIN_PARAM_ERROR, `请使用 application/json 提交 (got ${contentType || 'no content-type'})`);
      if (text.length > MAX_BODY_CHARS) return reject(HUISHOUYIN_PARAM_ERROR, '请求过大');
      let body: ExactJson;
      try {
        body = parseExactJson(text);
      } catch (e) {
        return reject(HUISHOUYIN_PARAM_ERROR, `请求不是有效的 JSON: ${(e as Error).message}`);
      }
      if (!isJsonObject(body)) return reject(HUISHOUYIN_PARAM_ERROR, '请求必须是 JSON 对象');
      try {
        const appId = scalarText(body.app_id);
        if (!appId) throw new Rejection(HUISHOUYIN_PARAM_ERROR, '缺少参数 app_id');
        if (appId !== opts.appId) throw new Rejection('3000', 'APPID错误');
        if (body.sign_type === 'RSA') throw new Rejection(HUISHOUYIN_PARAM_ERROR, 'sign_type RSA 未在沙箱中实现 (not simulated)');
        const signature = verifyHuishouyinSign(body, opts.appSecret);
        if (signature === 'missing') throw new Rejection(HUISHOUYIN_PARAM_ERROR, '缺少参数 sign');
        if (signature === 'invalid') throw new Rejection('2000', '签名错误');
        switch (op) {
          case 'pay':
            return respond(pay(body, faults.take));
          case 'check':
            return respond(check(body));
          case 'cancel':
            return respond(cancel(body));
          case 'close':
            return respond(close(body));
        }
      } catch (e) {
        if (e instanceof SimulatorRejection) {
          log.info('rejected', { op, orderId: scalarText(body.order_id), code: e.code, msg: e.message });
          return reject(e.code, e.message);
        }
        throw e;
      }
    });
  }

  const OPS = new Map<string, HuishouyinOperation>(Object.entries(HUISHOUYIN_PATHS).map(([op, path]) => [path, op as HuishouyinOperation]));

  return {
    id: 'huishouyin',
    async handle(req, subpath) {
      const op = OPS.get(subpath);
      if (!op) {
        return new Response(`Not Found: ${subpath} (the 汇收银 simulator serves POST ${[...OPS.keys()].join(', ')})`, {
          status: 404,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });
      }
      if (req.method !== 'POST') return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } });
      return gateway(req, op);
    },
    order(orderId) {
      const o = orders.get(orderId);
      return o ? view(o) : undefined;
    },
    orders: () => [...orders.values()].map(view),
    refund(orderId) {
      const o = orders.get(orderId);
      if (!o || refresh(o).status !== '1') return false;
      o.status = '2';
      o.msg = '全部退款';
      return true;
    },
  };
}
