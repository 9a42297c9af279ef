/**
 * The whole product in one process, over real loopback HTTP: the shop server's API calls,
 * the connector talking to the chaoying simulator, the payer page, the simulator's
 * notification coming back to /api/notify/chaoying, status sync and the ledger.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from './app';
import { startTestApp, type TestApp } from './providers/testing/app-env';

const API_KEY = 'sk_test_app_0123456789abcdefghij';

describe('PayQR in sandbox mode, end to end over HTTP', () => {
  let t: TestApp;
  let app: App;

  beforeAll(async () => {
    t = await startTestApp({ apiKey: API_KEY });
    app = t.app;
  });
  afterAll(() => t.close());
  beforeEach(() => app.hub?.faults.clear());

  let n = 0;
  const api = <T = any>(method: string, p: string, auth?: string, body?: unknown) => t.api<T>(method, p, auth, body);
  const newOrder = async (over: Record<string, unknown> = {}) => {
    const r = await api('POST', '/api/orders', API_KEY, { merchantOrderId: `T-${Date.now()}-${++n}`, amount: 1999, subject: '乌龙茶 Oolong tea', ...over });
    expect(r.status).toBe(201);
    return r.json as { id: string; clientSecret: string };
  };
  const pay = async (payerUrl: string, action: 'pay' | 'decline' = 'pay') => {
    const res = await fetch(payerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action }) });
    expect(res.status).toBe(200);
  };

  it('create order → attempt → pay on the payer page → the notification settles it → paid', async () => {
    const o = await newOrder();
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'wechat', scene: 'qr' });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({ provider: 'chaoying', channel: 'wechat', scene: 'qr', status: 'pending' });
    expect(a.json.qr.content).toMatch(new RegExp(`^${t.url}/sandbox/pay/`));
    await pay(a.json.qr.content);
    const after = await api('GET', `/api/orders/${o.id}?wait=10`, o.clientSecret);
    expect(after.json).toMatchObject({ status: 'paid', channel: 'wechat', attempt: { status: 'paid' } });
    const events = await app.ledger.events.list(o.id);
    expect(events.map((e) => e.type)).toEqual(['order.paid']);
    const notes = await app.ledger.notifications.list({ orderId: o.id });
    expect(notes.map((x) => x.outcome)).toEqual(['applied']);
  });

  it('duplicated notifications are acked and change nothing', async () => {
    app.hub!.faults.set('chaoying', { duplicateNotifications: 4 });
    const o = await newOrder();
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'alipay' });
    await pay(a.json.qr.content);
    await api('GET', `/api/orders/${o.id}?wait=10`, o.clientSecret);
    await waitFor(async () => (await app.ledger.notifications.list({ orderId: o.id })).length >= 5);
    const outcomes = (await app.ledger.notifications.list({ orderId: o.id })).map((x) => x.outcome);
    expect(outcomes.filter((x) => x === 'applied')).toHaveLength(1);
    expect(outcomes.filter((x) => x === 'duplicate').length).toBeGreaterThanOrEqual(4);
    expect((await app.ledger.events.list(o.id)).map((e) => e.type)).toEqual(['order.paid']);
  });

  it('a tampered notification is refused; the poll-triggered query still finds the payment', async () => {
    app.hub!.faults.set('chaoying', { tamperNotifications: true, tamperMode: 'amount' });
    const o = await newOrder();
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'wechat' });
    await pay(a.json.qr.content);
    await waitFor(async () => (await app.ledger.notifications.list({ orderId: o.id })).length >= 1);
    expect((await app.ledger.notifications.list({ orderId: o.id }))[0]?.outcome).toBe('bad_signature');
    expect((await api('GET', `/api/orders/${o.id}`, o.clientSecret)).json.status).toBe('open');
    // ≥ 5 s without an accepted notification: the watching poll queries the provider
    const after = await api('GET', `/api/orders/${o.id}?wait=10`, o.clientSecret);
    expect(after.json.status).toBe('paid');
  }, 20_000);

  it('a correctly signed notification with &__proto__=x appended is refused with the provider\'s "fail" and settles nothing', async () => {
    app.hub!.faults.set('chaoying', { tamperNotifications: true, tamperMode: 'added-proto-field' });
    const o = await newOrder();
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'wechat' });
    await pay(a.json.qr.content);
    const delivery = () => app.hub!.deliveries('chaoying').find((d) => d.outTradeNo === a.json.outTradeNo);
    await waitFor(async () => (delivery()?.attempts.length ?? 0) >= 1 && delivery()!.attempts[0]!.status !== undefined);
    expect(delivery()!.body).not.toContain('__proto__');
    expect(delivery()!.attempts[0]).toMatchObject({ tampered: 'added-proto-field', status: 200, responseText: 'fail', acked: false });
    await waitFor(async () => (await app.ledger.notifications.list({ orderId: o.id })).length >= 1);
    expect((await app.ledger.notifications.list({ orderId: o.id }))[0]?.outcome).toBe('bad_signature');
    expect((await api('GET', `/api/orders/${o.id}`, o.clientSecret)).json.status).toBe('open');
  });

  it('switching channel closes the previous attempt, at the simulator too', async () => {
    const o = await newOrder();
    const first = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'wechat' });
    const second = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'alipay' });
    expect(second.status).toBe(201);
    const attempts = await app.ledger.attempts.list(o.id);
    expect(attempts.map((x) => [x.out_trade_no, x.status, x.provider_close])).toEqual([
      [first.json.outTradeNo, 'closed', 'done'],
      [second.json.outTradeNo, 'pending', null],
    ]);
    // the simulator refuses to take money on the closed order's payer page
    const res = await fetch(first.json.qr.content, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"pay"}' });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('declining on the payer page fails the attempt; the order stays open for another try', async () => {
    const o = await newOrder();
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'ecny' });
    await pay(a.json.qr.content, 'decline');
    await waitFor(async () => (await app.ledger.attempts.get(a.json.id))?.status === 'failed');
    const view = await api('GET', `/api/orders/${o.id}`, o.clientSecret);
    expect(view.json).toMatchObject({ status: 'open', attempt: { status: 'failed' } });
  });

  it('NEED_QUERY at creation: the attempt is queried on schedule and the next provider serves the payer', async () => {
    app.hub!.faults.set('chaoying', { needQuery: 1 });
    const o = await newOrder();
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'wechat' });
    expect(a.status).toBe(201);
    expect(a.json.provider).toBe('umf-mofun');
    const [unknown, served] = await app.ledger.attempts.list(o.id);
    // the unanswered chaoying attempt was superseded: closed at chaoying so it can never be paid
    expect(unknown).toMatchObject({ provider: 'chaoying', status: 'closed' });
    expect(unknown?.query_deadline_at).not.toBeNull();
    expect(served?.id).toBe(a.json.id);
    // the QR of the served attempt pays through umf-mofun's simulator and notification
    await pay(a.json.qr.content);
    expect((await api('GET', `/api/orders/${o.id}?wait=10`, o.clientSecret)).json).toMatchObject({ status: 'paid', attempt: { provider: 'umf-mofun' } });
  });

  it('NEED_QUERY with no other provider for the channel answers 503; a retry works', async () => {
    app.hub!.faults.set('chaoying', { needQuery: 1 });
    const o = await newOrder();
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'ecny' });
    expect(a.status).toBe(503);
    expect(a.json.error.code).toBe('provider_unavailable');
    const again = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'ecny' });
    expect(again.status).toBe(201);
  });

  it('an order expires at its time: attempt closed at the provider, order expired', async () => {
    const o = await newOrder({ expiresInSeconds: 60 });
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'wechat' });
    // move the order's expiry into the past rather than waiting a minute
    await app.ledger.db.updateTable('orders').set({ expires_at: Date.now() - 1 }).where('id', '=', o.id).execute();
    await waitFor(async () => (await app.ledger.orders.get(o.id))?.status === 'expired');
    expect((await app.ledger.attempts.get(a.json.id))?.status).toBe('closed');
    expect((await app.ledger.events.list(o.id)).map((e) => e.type)).toEqual(['order.expired']);
  });

  it('server-sent events push the status now and on every change', async () => {
    const o = await newOrder();
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'wechat' });
    const ctl = new AbortController();
    const res = await fetch(`${t.url}/api/orders/${o.id}/events?secret=${o.clientSecret}`, { signal: ctl.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const statuses: string[] = [];
    let buf = '';
    const read = async (until: string) => {
      while (!statuses.includes(until)) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += new TextDecoder().decode(value);
        for (const m of buf.matchAll(/event: status\nid: \d+\ndata: (.*)\n\n/g)) statuses.push(JSON.parse(m[1]!).status);
        buf = buf.slice(buf.lastIndexOf('\n\n') + 2);
      }
    };
    await read('open');
    await pay(a.json.qr.content);
    await read('paid');
    ctl.abort();
    expect(statuses[0]).toBe('open');
    expect(statuses.at(-1)).toBe('paid');
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}
