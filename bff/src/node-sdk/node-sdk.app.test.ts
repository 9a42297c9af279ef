/**
 * @payqr/node against the real PayQR: the whole app in this process on loopback HTTP (sandbox,
 * simulators, dispatcher), every SDK call, its typed errors with the request id the server
 * logged, and the webhooks the dispatcher sends verified with `constructEvent`.
 * The retry rules are exercised here where the server's behaviour is what justifies them: an
 * answer lost after the server acted (create and cancel are repeated and converge; micropay is
 * not, because the scan went through). The transport's own cases: packages/node/src/client.test.ts.
 */
import {
  PayQr,
  PayQrAuthenticationError,
  PayQrConflictError,
  PayQrConnectionError,
  PayQrInvalidRequestError,
  PayQrNotFoundError,
  PayQrSignatureVerificationError,
  PayQrTimeoutError,
  webhooks,
  type Order,
  type PayQrEvent,
} from '@payqr/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../providers/testing/app-env';
import { startLoopbackServer, type LoopbackServer } from '../providers/testing/loopback';
import { SANDBOX_AUTH_CODES } from '../sandbox/micropay-outcomes';

const API_KEY = 'sk_test_node_sdk_0123456789abcdef';
const WEBHOOK_SECRET = 'whsec_node_sdk_0123456789abcdef';

let t: TestApp;
let receiver: LoopbackServer;
let payqr: PayQr;
const events: PayQrEvent[] = [];
const refusedDeliveries: string[] = [];
/** every response the SDK saw: method, path, status, x-request-id */
const seen: Array<{ method: string; path: string; status: number; requestId: string | null }> = [];

/** every request the SDK sent: `METHOD /path` */
const sent: string[] = [];

const recording: typeof fetch = async (input, init) => {
  sent.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
  const res = await fetch(input, init);
  seen.push({ method: init?.method ?? 'GET', path: new URL(String(input)).pathname, status: res.status, requestId: res.headers.get('x-request-id') });
  return res;
};

beforeAll(async () => {
  // The shop's webhook endpoint, verifying with the SDK exactly as the README shows.
  receiver = await startLoopbackServer(async (req) => {
    const raw = await req.text();
    try {
      events.push(webhooks.constructEvent(raw, req.headers.get('payqr-signature'), WEBHOOK_SECRET));
      return new Response('ok');
    } catch (err) {
      if (err instanceof PayQrSignatureVerificationError) {
        refusedDeliveries.push(err.code);
        return new Response(err.code, { status: 400 });
      }
      throw err;
    }
  });
  t = await startTestApp({
    apiKey: API_KEY,
    env: { PAYQR_WEBHOOK_URL: `${receiver.url}/hooks/payqr`, PAYQR_WEBHOOK_SECRET: WEBHOOK_SECRET },
    dataDirPrefix: 'payqr-node-sdk-',
  });
  payqr = new PayQr({ apiKey: API_KEY, baseUrl: t.url, fetch: recording });
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

let n = 0;
const merchantOrderId = () => `SDK-${Date.now().toString(36)}-${++n}`;
const newOrder = (extra: { attemptTtlSeconds?: number } = {}) => payqr.orders.create({ merchantOrderId: merchantOrderId(), amount: 1999, subject: '乌龙茶 250g', ...extra });

/** What <pay-qr> does with the client secret, then the payer presses Pay on the sandbox payer page. */
async function qrAttempt(orderId: string, clientSecret: string): Promise<string> {
  const a = await t.api('POST', `/api/orders/${orderId}/attempts`, clientSecret, { channel: 'wechat', scene: 'qr' });
  expect(a.status, JSON.stringify(a.json)).toBe(201);
  return a.json.qr.content as string;
}
async function pay(payerUrl: string) {
  const res = await fetch(payerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'pay' }) });
  expect(res.status).toBe(200);
}
async function caught(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    return err as Error & { status?: number; code: string; requestId?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a rejection');
}
const lastSeen = (path: string) => [...seen].reverse().find((s) => s.path === path);

describe('orders.create', () => {
  it('twice with the same body: the same order, each time with a client secret the widget can use', async () => {
    const params = { merchantOrderId: merchantOrderId(), amount: 4250, subject: '午市套餐', metadata: { table: 7, note: '少辣' } };
    const first = await payqr.orders.create(params);
    const second = await payqr.orders.create({ ...params });
    expect(second.id).toBe(first.id);
    expect(first).toMatchObject({ merchantOrderId: params.merchantOrderId, status: 'open', amount: 4250, currency: 'CNY', subject: '午市套餐', metadata: params.metadata });
    expect(first.clientSecret).toMatch(/^cs_/);
    expect(second.clientSecret).not.toBe(first.clientSecret);
    for (const secret of [first.clientSecret, second.clientSecret]) expect((await t.api('GET', `/api/orders/${first.id}`, secret)).status).toBe(200);
  });

  it('the same merchantOrderId with another body: PayQrConflictError naming the existing order, with the request id', async () => {
    const o = await newOrder();
    const err = await caught(payqr.orders.create({ merchantOrderId: o.merchantOrderId, amount: 1, subject: '乌龙茶 250g' }));
    expect(err).toBeInstanceOf(PayQrConflictError);
    expect(err).toMatchObject({ status: 409, code: 'conflict', details: { orderId: o.id } });
    expect(err.requestId).toMatch(/^req_/);
    expect(err.requestId).toBe(lastSeen('/api/orders')!.requestId);
  });

  it('a bad field: PayQrInvalidRequestError that names it', async () => {
    const err = await caught(payqr.orders.create({ merchantOrderId: 'bad id!', amount: 19.99, subject: 'x' }));
    expect(err).toBeInstanceOf(PayQrInvalidRequestError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(err.message).toMatch(/merchantOrderId/);
    expect(err.message).toMatch(/amount/);
  });
});

describe('orders.retrieve', () => {
  it('wait: returns when the order is paid, not at the end of the wait', async () => {
    const o = await newOrder();
    const payerUrl = await qrAttempt(o.id, o.clientSecret);
    const before = await payqr.orders.retrieve(o.id);
    expect(before).toMatchObject({ status: 'open', attempt: { status: 'pending', scene: 'qr', channel: 'wechat' } });

    // PayQR's long-poll waits on the ledger's change feed: count when it is holding this order
    const feed = t.app.ledger.feed;
    const next = feed.next.bind(feed);
    let holding = 0;
    let after: Order;
    feed.next = (orderId, ms, signal) => {
      if (orderId === o.id) holding++;
      return next(orderId, ms, signal);
    };
    try {
      const started = Date.now();
      const waiting = payqr.orders.retrieve(o.id, { wait: 25, since: before.version });
      await expect.poll(() => holding).toBeGreaterThan(0);
      await pay(payerUrl);
      after = await waiting;
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(after).toMatchObject({ status: 'paid', channel: 'wechat', attempt: { status: 'paid', id: before.attempt!.id } });
      expect(after.version).toBeGreaterThan(before.version);
      expect(after.attempt!.outTradeNo).toBe(before.attempt!.outTradeNo);
    } finally {
      feed.next = next;
    }

    // …and the webhook arrived, signed, verified by constructEvent, typed
    await expect.poll(() => events.find((e) => e.type === 'order.paid' && e.data.id === o.id), { timeout: 10_000 }).toBeTruthy();
    const event = events.find((e) => e.type === 'order.paid' && e.data.id === o.id)!;
    if (event.type !== 'order.paid') throw new Error('narrowed above');
    expect(event.data).toMatchObject({ merchantOrderId: o.merchantOrderId, amount: 1999, currency: 'CNY', status: 'paid' });
    expect(event.data.attempt).toMatchObject({ id: after.attempt!.id, outTradeNo: after.attempt!.outTradeNo, status: 'paid', amount: 1999 });
    expect(refusedDeliveries).toEqual([]);
  }, 40_000);

  it('an order that does not exist, and a wrong key: typed errors with the request id PayQR logged', async () => {
    const missing = await caught(payqr.orders.retrieve('ord_000000000000000000000000'));
    expect(missing).toBeInstanceOf(PayQrNotFoundError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    expect(missing.requestId).toMatch(/^req_/);
    expect(missing.requestId).toBe(lastSeen('/api/orders/ord_000000000000000000000000')!.requestId);

    const o = await newOrder();
    const wrong = new PayQr({ apiKey: 'sk_wrong_000000000000000000000000', baseUrl: t.url, fetch: recording });
    const denied = await caught(wrong.orders.create({ merchantOrderId: merchantOrderId(), amount: 1, subject: 'x' }));
    expect(denied).toBeInstanceOf(PayQrAuthenticationError);
    expect(denied).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(denied.requestId).toBe(lastSeen('/api/orders')!.requestId);
    expect(denied.message).not.toContain('sk_wrong');
    // a wrong key reading an order looks like no order at all (PayQR reveals nothing)
    expect(await caught(wrong.orders.retrieve(o.id))).toBeInstanceOf(PayQrNotFoundError);
  });
});

describe('orders.cancel', () => {
  it('cancels an open order; a second cancel answers the same (why the SDK may repeat it); the webhook says canceled', async () => {
    const o = await newOrder();
    await qrAttempt(o.id, o.clientSecret);
    const canceled = await payqr.orders.cancel(o.id);
    expect(canceled).toMatchObject({ id: o.id, status: 'canceled', attempt: { status: 'closed' } });
    const again = await payqr.orders.cancel(o.id);
    expect(again).toMatchObject({ id: o.id, status: 'canceled', version: canceled.version });
    await expect.poll(() => events.some((e) => e.type === 'order.canceled' && e.data.id === o.id), { timeout: 10_000 }).toBe(true);
    expect(events.filter((e) => e.type === 'order.canceled' && e.data.id === o.id)).toHaveLength(1);
  });

  it('a paid order: PayQrConflictError order_not_payable, every time', async () => {
    const o = await newOrder();
    await pay(await qrAttempt(o.id, o.clientSecret));
    await payqr.orders.retrieve(o.id, { wait: 10 });
    for (let i = 0; i < 2; i++) {
      const err = await caught(payqr.orders.cancel(o.id));
      expect(err).toBeInstanceOf(PayQrConflictError);
      expect(err).toMatchObject({ status: 409, code: 'order_not_payable' });
    }
  });
});

describe('orders.micropay (sandbox codes: the last two digits choose the outcome)', () => {
  const wechat = SANDBOX_AUTH_CODES.wechat;

  it('…00 paid at once', async () => {
    const o = await newOrder();
    const r = await payqr.orders.micropay(o.id, { authCode: wechat.paid });
    expect(r).toMatchObject({ status: 'paid', attempt: { scene: 'micropay', channel: 'wechat', status: 'paid' } });
    expect(r.serverTime).toMatch(/Z$/);
    expect((await payqr.orders.retrieve(o.id)).status).toBe('paid');
  });

  it('…03 refused: failed with the provider\'s reason, the order still open', async () => {
    const o = await newOrder();
    const r = await payqr.orders.micropay(o.id, { authCode: SANDBOX_AUTH_CODES.alipay.failed });
    expect(r).toMatchObject({ status: 'failed', attempt: { channel: 'alipay', status: 'failed' } });
    expect(r.attempt.failure?.message).toMatch(/余额不足|insufficient/);
    expect((await payqr.orders.retrieve(o.id)).status).toBe('open');
  });

  it('…04 unknown: pending (paying) past PayQR\'s hold, then reversed at the scan\'s deadline — followed with retrieve({ wait, since })', async () => {
    const o = await newOrder({ attemptTtlSeconds: 8 });
    const r = await payqr.orders.micropay(o.id, { authCode: wechat.unknown });
    expect(r).toMatchObject({ status: 'pending', progress: 'paying', attempt: { status: 'pending', progress: 'paying' } });
    let order = await payqr.orders.retrieve(o.id);
    const end = Date.now() + 25_000;
    while (order.attempt?.status === 'pending' && Date.now() < end) order = await payqr.orders.retrieve(o.id, { wait: 5, since: order.version });
    expect(order).toMatchObject({ status: 'open', attempt: { id: r.attempt.id, status: 'failed', failure: { code: expect.stringMatching(/^REVERS/) } } });
  }, 40_000);

  it('a code no wallet issues: PayQrInvalidRequestError; a paid order: PayQrConflictError', async () => {
    const o = await newOrder();
    const bad = await caught(payqr.orders.micropay(o.id, { authCode: '99345678901234567' }));
    expect(bad).toBeInstanceOf(PayQrInvalidRequestError);
    expect(bad.message).toMatch(/matches no wallet/);
    await payqr.orders.micropay(o.id, { authCode: wechat.paid });
    const again = await caught(payqr.orders.micropay(o.id, { authCode: SANDBOX_AUTH_CODES.unionpay.paid }));
    expect(again).toBeInstanceOf(PayQrConflictError);
    expect(again).toMatchObject({ code: 'order_not_payable', requestId: expect.stringMatching(/^req_/) });
  });
});

describe('when the answer is lost after PayQR acted', () => {
  /** A fetch that lets the request reach PayQR, then loses the answer for the first `drops` calls to `path`. */
  const losing = (path: RegExp, drops: number) => {
    const calls: string[] = [];
    const f: typeof fetch = async (input, init) => {
      const p = new URL(String(input)).pathname;
      calls.push(p);
      const res = await fetch(input, init);
      if (path.test(p) && drops > 0) {
        drops--;
        await res.arrayBuffer();
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      }
      return res;
    };
    return { fetch: f, calls };
  };

  it('create is repeated and PayQR answers the order it already made: one order', async () => {
    const lossy = losing(/^\/api\/orders$/, 1);
    const c = new PayQr({ apiKey: API_KEY, baseUrl: t.url, fetch: lossy.fetch });
    const id = merchantOrderId();
    const order = await c.orders.create({ merchantOrderId: id, amount: 880, subject: '龙井 50g' });
    expect(lossy.calls).toEqual(['/api/orders', '/api/orders']);
    const same = await payqr.orders.create({ merchantOrderId: id, amount: 880, subject: '龙井 50g' });
    expect(same.id).toBe(order.id);
    const rows = await t.app.ledger.db.selectFrom('orders').select('id').where('merchant_order_id', '=', id).execute();
    expect(rows).toEqual([{ id: order.id }]);
  });

  it('cancel is repeated and answers the canceled order', async () => {
    const o = await newOrder();
    const lossy = losing(/\/cancel$/, 1);
    const canceled = await new PayQr({ apiKey: API_KEY, baseUrl: t.url, fetch: lossy.fetch }).orders.cancel(o.id);
    expect(canceled.status).toBe('canceled');
    expect(lossy.calls.filter((p) => p.endsWith('/cancel'))).toHaveLength(2);
  });

  it('micropay is not repeated: the scan went through, and retrieve says so', async () => {
    const o = await newOrder();
    const lossy = losing(/\/micropay$/, 1);
    const err = await caught(new PayQr({ apiKey: API_KEY, baseUrl: t.url, fetch: lossy.fetch }).orders.micropay(o.id, { authCode: SANDBOX_AUTH_CODES.wechat.paid }));
    expect(err).toBeInstanceOf(PayQrConnectionError);
    expect(lossy.calls).toEqual([`/api/orders/${o.id}/micropay`]);
    expect(await payqr.orders.retrieve(o.id)).toMatchObject({ status: 'paid', attempt: { scene: 'micropay', status: 'paid' } });
  });

  it('a micropay that outlives the timeout is a PayQrTimeoutError, not repeated; the scan is still running at PayQR', async () => {
    const o = await newOrder({ attemptTtlSeconds: 30 });
    const err = await caught(payqr.orders.micropay(o.id, { authCode: SANDBOX_AUTH_CODES.wechat.unknown }, { timeoutMs: 1000 }));
    expect(err).toBeInstanceOf(PayQrTimeoutError);
    expect(err.status).toBeUndefined();
    expect(sent.filter((x) => x === `POST /api/orders/${o.id}/micropay`)).toHaveLength(1);
    const order = await payqr.orders.retrieve(o.id);
    expect(order.attempt).toMatchObject({ scene: 'micropay', status: 'pending' });
    await payqr.orders.cancel(o.id);
  });
});
