/**
 * scanforpay sandbox twin: `POST /sandbox/scanforpay/api/offline/create` and
 * `POST /sandbox/scanforpay/api/common/payQuery`, speaking its document as written
 * (docs/providers/scanforpay.md) — the JSON
 * envelope both ways, SHA-256 over the exact `request` text we sent (checked on the received
 * substring) and over the exact `response` text it serialises once — and keeping its own orders.
 *
 * It enforces the seed's field rules on what PayQR sends (header: ISO +08:00 requestTime,
 * SHA256, 1.0, UUID reqMsgId; body: storeNo ≤15, partnerOrderNo ≤32 and unique (code 31),
 * wallet Wechat|Alipay, orderAmount a positive JSON integer, orderTitle ≤100, operatorId /
 * terminalNo ≤20, notifyUrl ≤200 and a URL, it_b_pay / qr_code_it_b_pay format and range with
 * decimals refused), a known partnerNo and storeNo, and answers code 8 on a wrong signature.
 * The QR content is the hub's payer page; Pay posts the notification envelope to notifyUrl until
 * it reads exactly `success`.
 *
 * Answer convention: once the partnerNo is known, every answer is signed with its key (the
 * seed's failure example is signed too); a request it cannot attribute to a partner (not JSON,
 * unknown partnerNo) gets an unsigned envelope with code 2.
 *
 * Assumed where the seed is silent (kept here and in status.ts / expiry.ts): code 2 for invalid
 * requests; payQuery's shape (the notification's fields); the notification envelope (header as
 * the answers', body storeNo/partnerOrderNo/orderNo/wallet/orderAmount/currency/status/payTime);
 * notifications on success only (seed: 支付成功后会通知) on the schedule below; it_b_pay windows
 * starting at creation (the sandbox cannot see the scan); an unpaid order whose QR lapsed still
 * answers status 0 (the seed has no "closed" status).
 */
import { beijingCompact, beijingIso } from '../../core/clock';
import { randomString } from '../../core/random';
import { withAddedField, type GatewayFaultContext, type PayerDecision, type ProviderSimulator, type SimulatorDeps, type TamperMode } from '../../sandbox/hub';
import { parseOrReject, SimulatorRejection } from '../simulator-kit';
import { envelopeText, openEnvelope, sealEnvelope, verifyEnvelope } from './envelope';
import { parseExpiry, simulatedLapse, type ParsedExpiry } from './expiry';
import { SCANFORPAY_SIGN_TYPE } from './signature';
import { SCANFORPAY_CODE_OK, SCANFORPAY_INVALID_REQUEST_CODE, type ScanforpayCode, type ScanforpayPayStatus } from './status';
import { channelForWallet, uuidV4 } from './transform';
import {
  SCANFORPAY_CREATE_PATH,
  SCANFORPAY_QUERY_PATH,
  SCANFORPAY_VERSION,
  scanforpayCreateBodySchema,
  scanforpayQueryBodySchema,
  scanforpayRequestHeaderSchema,
  type ScanforpayWallet,
} from './wire';

/**
 * Notification retries (our choice: the seed gives no schedule): immediately, then after 15 s,
 * 30 s, 3 min, 10 min, 30 min and 1 h — seven tries over about 1 h 44 min — until the answer is
 * exactly `success`.
 */
export const SCANFORPAY_NOTIFY_SCHEDULE_MS: readonly number[] = [0, 15_000, 30_000, 180_000, 600_000, 1_800_000, 3_600_000];
/** Per try (our choice). */
export const SCANFORPAY_NOTIFY_TIMEOUT_MS = 5_000;

export interface ScanforpaySimulatorOptions {
  partnerNo: string;
  storeNo: string;
  signKey: string;
  /** the store's currency: orderAmount is in its minor unit */
  currency: string;
  /** shown on the payer page */
  merchantName?: string;
}

export type ScanforpaySimOrderState = 'pending' | 'paid' | 'failed' | 'refunded';

export interface ScanforpaySimOrder {
  partnerOrderNo: string;
  storeNo: string;
  orderNo: string;
  wallet: ScanforpayWallet;
  orderAmount: number;
  currency: string;
  orderTitle?: string;
  operatorId?: string;
  terminalNo?: string;
  notifyUrl?: string;
  /** the expiry field that decided the lapse, as sent (`qr_code_it_b_pay=10m`), or the default */
  expiry: string;
  state: ScanforpaySimOrderState;
  createdAt: number;
  /** when the QR stops being payable */
  lapsesAt: number;
  payTime?: number;
  sessionId: string;
  qrcode: string;
}

export interface ScanforpaySimulator extends ProviderSimulator {
  order(partnerOrderNo: string): Readonly<ScanforpaySimOrder> | undefined;
  orders(): ReadonlyArray<Readonly<ScanforpaySimOrder>>;
  /** Test helper: a paid order becomes refunded (payQuery status 3). */
  refund(partnerOrderNo: string): boolean;
}

const STATUS_OF: Record<ScanforpaySimOrderState, ScanforpayPayStatus> = { pending: 0, paid: 1, failed: 2, refunded: 3 };
const DIGITS = '0123456789';

type Take = GatewayFaultContext['take'];
type Body = Record<string, unknown>;
interface Envelope {
  header: Body;
  body: Body;
}

class Rejection extends SimulatorRejection<ScanforpayCode> {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function createScanforpaySimulator(opts: ScanforpaySimulatorOptions, deps: SimulatorDeps): ScanforpaySimulator {
  const { hub, clock, random } = deps;
  const log = deps.log.child('sim');
  const orders = new Map<string, ScanforpaySimOrder>();
  const orderNos = new Set<string>();

  const header = (): Body => ({ partnerNo: opts.partnerNo, respTime: beijingIso(clock.now()), signType: SCANFORPAY_SIGN_TYPE, version: SCANFORPAY_VERSION, reqMsgId: uuidV4(random) });
  /** Our answer: the `response` value serialised once and signed with the partner's key. */
  const signed = (body: Body) => sealEnvelope('response', { header: header(), body }, opts.signKey);
  /** For requests we cannot attribute to a partner: no key to sign with. */
  const unsigned = (code: ScanforpayCode, msg: string) =>
    envelopeText('response', JSON.stringify({ header: { respTime: beijingIso(clock.now()), signType: SCANFORPAY_SIGN_TYPE, version: SCANFORPAY_VERSION }, body: { code, msg } }), undefined);

  // ---- notifications ---------------------------------------------------------------------

  function notificationBody(o: ScanforpaySimOrder): Body {
    return {
      storeNo: o.storeNo,
      partnerOrderNo: o.partnerOrderNo,
      orderNo: o.orderNo,
      wallet: o.wallet,
      orderAmount: o.orderAmount,
      currency: o.currency,
      status: STATUS_OF[o.state],
      payTime: beijingIso(o.payTime ?? clock.now()),
    };
  }

  /** The `tamperNotifications` fault, for every TamperMode (sandbox/faults.ts). */
  function tamper(text: string, mode: TamperMode): string | undefined {
    const opened = openEnvelope(text, 'response');
    if (!opened.ok || !isObject(opened.value) || !isObject(opened.value.body) || typeof opened.signature !== 'string') return undefined;
    const value = opened.value as unknown as Envelope;
    const amount = Number(value.body.orderAmount);
    const otherAmount = amount > 1 ? 1 : 2;
    const storeNo = String(value.body.storeNo ?? '');
    const otherStore = `${storeNo.slice(0, -1)}${storeNo.endsWith('9') ? '8' : '9'}`;
    const withBody = (patch: Body): Envelope => ({ header: value.header, body: { ...value.body, ...patch } });
    switch (mode) {
      case 'amount':
        // altered after signing: the old signature stays
        return envelopeText('response', JSON.stringify(withBody({ orderAmount: otherAmount })), opened.signature);
      case 'strip-signature':
        return envelopeText('response', opened.valueText, undefined);
      case 'resigned-amount':
        return sealEnvelope('response', withBody({ orderAmount: otherAmount }), opts.signKey).text;
      case 'resigned-merchant':
        return sealEnvelope('response', withBody({ storeNo: otherStore }), opts.signKey).text;
      case 'resigned-order':
        return sealEnvelope('response', withBody({ partnerOrderNo: `X${randomString(random, 20)}` }), opts.signKey).text;
      // beside "response" and "signature": outside the signed text
      case 'added-field':
        return withAddedField(text, 'json', 'notifyTime', '2018-07-25T17:54:11+08:00');
      case 'added-proto-field':
        return withAddedField(text, 'json', '__proto__', 'x');
    }
  }

  function notify(o: ScanforpaySimOrder): void {
    // seed: notifyUrl 如果不填，则支付成功不会进行通知; and only success is notified.
    if (!o.notifyUrl || o.state !== 'paid') return;
    hub.deliver({
      provider: 'scanforpay',
      outTradeNo: o.partnerOrderNo,
      url: o.notifyUrl,
      contentType: 'application/json; charset=utf-8',
      body: signed(notificationBody(o)).text,
      schedule: SCANFORPAY_NOTIFY_SCHEDULE_MS,
      tryTimeoutMs: SCANFORPAY_NOTIFY_TIMEOUT_MS,
      // docs/providers/scanforpay.md: reply plain `success`; anything else is retried.
      isAck: (status, text) => status >= 200 && status < 300 && text === 'success',
      tamper,
    });
  }

  function onPayerAction(o: ScanforpaySimOrder, action: 'pay' | 'decline'): PayerDecision {
    if (o.state !== 'pending') return { refused: `订单状态为 ${o.state}，不能${action === 'pay' ? '支付' : '操作'}。The order is ${o.state}.` };
    if (clock.now() >= o.lapsesAt) return { refused: '二维码已过期。The QR code has expired.' };
    o.state = action === 'pay' ? 'paid' : 'failed';
    if (action === 'pay') o.payTime = clock.now();
    log.info(action === 'pay' ? 'paid' : 'declined', { outTradeNo: o.partnerOrderNo, orderNo: o.orderNo });
    notify(o);
    return undefined;
  }

  // ---- endpoints -------------------------------------------------------------------------

  function expiryOf(field: 'it_b_pay' | 'qr_code_it_b_pay', text: string | undefined): ParsedExpiry | undefined {
    if (text === undefined) return undefined;
    const r = parseExpiry(field, text);
    if (!r.ok) throw new Rejection(SCANFORPAY_INVALID_REQUEST_CODE, r.reason);
    return r.value;
  }

  function newOrderNo(): string {
    // like the seed's 2018072517535241: Beijing time, then digits; unique in this simulator
    for (;;) {
      const no = `${beijingCompact(clock.now())}${randomString(random, 6, DIGITS)}`;
      if (!orderNos.has(no)) {
        orderNos.add(no);
        return no;
      }
    }
  }

  function create(body: unknown, take: Take) {
    const b = parseOrReject(scanforpayCreateBodySchema, body, SCANFORPAY_INVALID_REQUEST_CODE, 'body');
    if (b.storeNo !== opts.storeNo) throw new Rejection(SCANFORPAY_INVALID_REQUEST_CODE, `门店不存在 unknown storeNo ${b.storeNo}`);
    if (b.notifyUrl !== undefined) {
      let u: URL | undefined;
      try {
        u = new URL(b.notifyUrl);
      } catch {
        u = undefined;
      }
      if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw new Rejection(SCANFORPAY_INVALID_REQUEST_CODE, 'notifyUrl 不是有效的 http(s) 地址');
    }
    // Both are checked (each has its own rules); qr_code_it_b_pay wins when both are given.
    const itBPay = expiryOf('it_b_pay', b.it_b_pay);
    const qrCodeItBPay = expiryOf('qr_code_it_b_pay', b.qr_code_it_b_pay);
    if (orders.has(b.partnerOrderNo)) throw new Rejection(31, `订单重复 duplicate partnerOrderNo ${b.partnerOrderNo}`);

    const now = clock.now();
    const lapsesAt = simulatedLapse(now, { it_b_pay: itBPay, qr_code_it_b_pay: qrCodeItBPay });
    const order: ScanforpaySimOrder = {
      partnerOrderNo: b.partnerOrderNo,
      storeNo: b.storeNo,
      orderNo: newOrderNo(),
      wallet: b.wallet,
      orderAmount: b.orderAmount,
      currency: opts.currency,
      ...(b.orderTitle !== undefined ? { orderTitle: b.orderTitle } : {}),
      ...(b.operatorId !== undefined ? { operatorId: b.operatorId } : {}),
      ...(b.terminalNo !== undefined ? { terminalNo: b.terminalNo } : {}),
      ...(b.notifyUrl !== undefined ? { notifyUrl: b.notifyUrl } : {}),
      expiry: b.qr_code_it_b_pay !== undefined ? `qr_code_it_b_pay=${b.qr_code_it_b_pay}` : b.it_b_pay !== undefined ? `it_b_pay=${b.it_b_pay}` : 'it_b_pay=3m (default)',
      state: 'pending',
      createdAt: now,
      lapsesAt,
      sessionId: '',
      qrcode: '',
    };
    const session = hub.openPayerSession({
      provider: 'scanforpay',
      outTradeNo: order.partnerOrderNo,
      money: { amount: order.orderAmount, currency: order.currency },
      subject: order.orderTitle || order.partnerOrderNo,
      channel: channelForWallet(order.wallet),
      scene: 'qr',
      merchantId: order.storeNo,
      ...(opts.merchantName ? { merchantName: opts.merchantName } : {}),
      expiresAt: lapsesAt,
      onPay: () => onPayerAction(order, 'pay'),
      onDecline: () => onPayerAction(order, 'decline'),
    });
    order.sessionId = session.id;
    order.qrcode = session.url;
    orders.set(order.partnerOrderNo, order);
    log.info('created', { outTradeNo: order.partnerOrderNo, orderNo: order.orderNo, wallet: order.wallet, expiry: order.expiry });

    // The order exists either way; code 21 leaves the merchant to find out (our NEED_QUERY).
    if (take('needQuery')) return signed({ code: 21, msg: '结果未知，请查询 result unknown', partnerOrderNo: order.partnerOrderNo });
    const answer: Body = {
      code: SCANFORPAY_CODE_OK,
      msg: 'success',
      orderNo: order.orderNo,
      partnerOrderNo: order.partnerOrderNo,
      qrcode: order.qrcode,
      // The seed's images are pages showing the code (mobilecodec …/show.htm?…&picSize=S): the payer page serves.
      qrcodeImageS: `${order.qrcode}?picSize=S`,
      qrcodeImageM: `${order.qrcode}?picSize=M`,
      qrcodeImageL: `${order.qrcode}?picSize=L`,
    };
    return maybeTamper(answer, take);
  }

  function orderView(o: ScanforpaySimOrder): Body {
    const lapsed = o.state === 'pending' && clock.now() >= o.lapsesAt;
    return {
      code: SCANFORPAY_CODE_OK,
      msg: lapsed ? '未支付，二维码已过期' : 'success',
      storeNo: o.storeNo,
      partnerOrderNo: o.partnerOrderNo,
      orderNo: o.orderNo,
      wallet: o.wallet,
      status: STATUS_OF[o.state],
      orderAmount: o.orderAmount,
      currency: o.currency,
      ...(o.payTime !== undefined ? { payTime: beijingIso(o.payTime) } : {}),
    };
  }

  function query(body: unknown, take: Take) {
    const b = parseOrReject(scanforpayQueryBodySchema, body, SCANFORPAY_INVALID_REQUEST_CODE, 'body');
    if (b.storeNo !== opts.storeNo) throw new Rejection(SCANFORPAY_INVALID_REQUEST_CODE, `门店不存在 unknown storeNo ${b.storeNo}`);
    if (take('needQuery')) return signed({ code: 21, msg: '结果未知，请稍后查询 result unknown', partnerOrderNo: b.partnerOrderNo });
    const o = orders.get(b.partnerOrderNo);
    if (!o) return maybeTamper({ code: 30, msg: '订单不存在', partnerOrderNo: b.partnerOrderNo }, take);
    return maybeTamper(orderView(o), take);
  }

  /** The `tamperResponses` fault: the answer is altered after signing (a proxy, a forgery). */
  function maybeTamper(body: Body, take: Take) {
    const sealed = signed(body);
    if (!take('tamperResponses')) return sealed;
    const value = JSON.parse(sealed.valueText) as Envelope;
    let altered: Body;
    if (typeof body.qrcode === 'string') altered = { ...body, qrcode: 'https://qr.attacker.invalid/pay' };
    else if (body.status !== undefined && body.status !== 1) altered = { ...body, status: 1, payTime: beijingIso(clock.now()) };
    else if (typeof body.orderAmount === 'number') altered = { ...body, orderAmount: body.orderAmount + 100 };
    else altered = { ...body, code: SCANFORPAY_CODE_OK, msg: 'success' };
    return { text: envelopeText('response', JSON.stringify({ ...value, body: altered }), sealed.signature) };
  }

  function process(path: string, contentType: string, text: string, take: Take): string {
    if (!contentType.includes('application/json')) return unsigned(SCANFORPAY_INVALID_REQUEST_CODE, `请使用 application/json 提交 (got ${contentType || 'no content-type'})`);
    const opened = openEnvelope(text, 'request');
    if (!opened.ok) return unsigned(SCANFORPAY_INVALID_REQUEST_CODE, `请求报文格式错误: ${opened.reason}`);
    const value = opened.value;
    if (!isObject(value) || !isObject(value.header) || !isObject(value.body)) return unsigned(SCANFORPAY_INVALID_REQUEST_CODE, '请求报文格式错误: request 需要 header 和 body 对象');
    if (value.header.partnerNo !== opts.partnerNo) return unsigned(SCANFORPAY_INVALID_REQUEST_CODE, `合作方不存在 unknown partnerNo ${JSON.stringify(value.header.partnerNo ?? null)}`);
    // From here the partner is known: every answer is signed with its key.
    try {
      const check = verifyEnvelope(opened, opts.signKey);
      if (check !== 'valid') throw new Rejection(8, check === 'missing' ? '签名错误: 缺少 signature' : '签名错误 signature invalid');
      parseOrReject(scanforpayRequestHeaderSchema, value.header, SCANFORPAY_INVALID_REQUEST_CODE, 'header');
      return (path === SCANFORPAY_CREATE_PATH ? create(value.body, take) : query(value.body, take)).text;
    } catch (e) {
      if (e instanceof SimulatorRejection) {
        log.info('rejected', { path, outTradeNo: value.body.partnerOrderNo, code: e.code, msg: e.message });
        return signed({ code: e.code, msg: e.message }).text;
      }
      throw e;
    }
  }

  return {
    id: 'scanforpay',
    async handle(req, subpath) {
      if (subpath !== SCANFORPAY_CREATE_PATH && subpath !== SCANFORPAY_QUERY_PATH) {
        return new Response(`Not Found: ${subpath} (the scanforpay simulator serves POST ${SCANFORPAY_CREATE_PATH} and ${SCANFORPAY_QUERY_PATH})`, {
          status: 404,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });
      }
      if (req.method !== 'POST') return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } });
      return hub.withGatewayFaults('scanforpay', req, async (faults) => {
        const text = await req.text();
        const answer = process(subpath, req.headers.get('content-type') ?? '', text, faults.take);
        return new Response(answer, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
      });
    },
    order: (partnerOrderNo) => {
      const o = orders.get(partnerOrderNo);
      return o ? { ...o } : undefined;
    },
    orders: () => [...orders.values()].map((o) => ({ ...o })),
    refund(partnerOrderNo) {
      const o = orders.get(partnerOrderNo);
      if (!o || o.state !== 'paid') return false;
      o.state = 'refunded';
      return true;
    },
  };
}

