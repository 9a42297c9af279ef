/**
 * The whole product with umf-sp serving micropay (the sandbox's default routing), over real
 * loopback HTTP: a cashier posts the payer's code to /api/orders/{id}/micropay and gets the result
 * the sandbox outcome table dictates — paid at once, paid after the payer's password (the
 * simulator's signed notification reaches /api/notify/umf-sp and settles it), refused, or pending
 * until the shop cancels (a reverse at UMF). Uses the registry plus this module, so it runs whether
 * or not the registry lists umf-sp yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_AUTH_CODES } from '../../sandbox/micropay-outcomes';
import { modulesWith, startTestApp, type TestApp } from '../testing/app-env';
import type { UmfSpSimulator } from './simulator';
import { umfSpModule } from './module';

const API_KEY = 'sk_test_umfsp_0123456789abcdef0123';

describe('PayQR with umf-sp (micropay), end to end over HTTP', () => {
  let t: TestApp;
  let sim: UmfSpSimulator;

  beforeAll(async () => {
    // keep a handle on the simulator the app registers, to look at its orders
    const modules = modulesWith(umfSpModule, (s: UmfSpSimulator) => (sim = s));
    t = await startTestApp({ apiKey: API_KEY, modules, dataDirPrefix: 'payqr-umfsp-' });
    expect(t.app.config.routing['wechat:micropay']?.[0]).toBe('umf-sp');
  });
  afterAll(() => t.close());

  let n = 0;
  const api = <T = any>(method: string, p: string, body?: unknown) => t.api<T>(method, p, API_KEY, body);
  const newOrder = async () => {
    const r = await api('POST', '/api/orders', { merchantOrderId: `UMFSP-${Date.now()}-${++n}`, amount: 1999, subject: '一杯咖啡', currency: 'CNY' });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json as { id: string };
  };
  const scan = (orderId: string, authCode: string) => api('POST', `/api/orders/${orderId}/micropay`, { authCode });

  it('…00: paid at once, signed answer, no notification needed', async () => {
    const o = await newOrder();
    const r = await scan(o.id, SANDBOX_AUTH_CODES.wechat.paid);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ status: 'paid', attempt: { provider: 'umf-sp', channel: 'wechat', scene: 'micropay', status: 'paid' } });
    expect((await api('GET', `/api/orders/${o.id}`)).json).toMatchObject({ status: 'paid', amount: 1999 });
    expect(sim.order(r.json.attempt.outTradeNo)).toMatchObject({ state: 'paid', txnAmt: 1999, orderType: 'wechat', authCode: '1345…6700' });
  });

  it('…02 (password entry): the notification of the late payment settles the order', async () => {
    const o = await newOrder();
    const r = await scan(o.id, SANDBOX_AUTH_CODES.alipay.password);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(['paid', 'pending']).toContain(r.json.status);
    const after = await api('GET', `/api/orders/${o.id}?wait=10`);
    expect(after.json).toMatchObject({ status: 'paid', channel: 'alipay' });
    const notes = await t.app.ledger.notifications.list({ orderId: o.id });
    expect(notes.map((x) => x.outcome)).toContain('applied');
  });

  it('…03: the wallet refuses, the cashier hears failed', async () => {
    const o = await newOrder();
    const r = await scan(o.id, SANDBOX_AUTH_CODES.unionpay.failed);
    expect(r.json).toMatchObject({ status: 'failed', attempt: { provider: 'umf-sp', channel: 'unionpay', status: 'failed' } });
    expect((await api('GET', `/api/orders/${o.id}`)).json).toMatchObject({ status: 'open' });
  });

  it('…04: pending while unknown; cancelling the order reverses it at UMF, and it can never be paid', async () => {
    const o = await newOrder();
    const r = await scan(o.id, SANDBOX_AUTH_CODES.wechat.unknown);
    expect(r.json).toMatchObject({ status: 'pending' });
    const outTradeNo = r.json.attempt.outTradeNo as string;
    const c = await api('POST', `/api/orders/${o.id}/cancel`);
    expect(c.status, JSON.stringify(c.json)).toBe(200);
    const end = Date.now() + 5000;
    while (sim.order(outTradeNo)?.state !== 'revoked' && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    expect(sim.order(outTradeNo)).toMatchObject({ state: 'revoked', refunded: false });
    expect((await api('GET', `/api/orders/${o.id}`)).json).toMatchObject({ status: 'canceled' });
  });

  it('a malformed code never reaches UMF', async () => {
    const o = await newOrder();
    const before = sim.orders().length;
    const r = await scan(o.id, '99345678901234567');
    expect(r.status).toBe(400);
    expect(sim.orders()).toHaveLength(before);
  });
});
