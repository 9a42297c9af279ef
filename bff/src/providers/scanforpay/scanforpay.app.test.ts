/**
 * The whole product with scanforpay routed in (PAYQR_ROUTING), over real loopback HTTP: a yen
 * store (PAYQR_SCANFORPAY_CURRENCY=JPY) takes a JPY order end to end — attempt, payer page,
 * the simulator's notification to /api/notify/scanforpay, the ledger — and an order in another
 * currency is not routed to it. Uses the registry plus this module, so it runs whether or not
 * the registry lists scanforpay yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app';
import { modulesWith, startTestApp, type TestApp } from '../testing/app-env';
import { scanforpayModule } from './module';

const API_KEY = 'sk_test_scanforpay_0123456789abcdef';

describe('PayQR with scanforpay (JPY store), end to end over HTTP', () => {
  let t: TestApp;
  let app: App;

  beforeAll(async () => {
    t = await startTestApp({
      apiKey: API_KEY,
      modules: modulesWith(scanforpayModule),
      dataDirPrefix: 'payqr-scanforpay-',
      env: { PAYQR_ROUTING: 'wechat:qr=scanforpay;alipay:qr=scanforpay', PAYQR_SCANFORPAY_CURRENCY: 'JPY' },
    });
    app = t.app;
  });
  afterAll(() => t.close());

  let n = 0;
  const api = <T = any>(method: string, p: string, auth?: string, body?: unknown) => t.api<T>(method, p, auth, body);
  const newOrder = async (over: Record<string, unknown>) => {
    const r = await api('POST', '/api/orders', API_KEY, { merchantOrderId: `SFP-${Date.now()}-${++n}`, subject: '抹茶 Matcha', ...over });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json as { id: string; clientSecret: string };
  };

  it('a JPY order: attempt → pay on the payer page → the signed notification settles it → paid', async () => {
    const o = await newOrder({ amount: 2000, currency: 'JPY' });
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'alipay', scene: 'qr' });
    expect(a.status, JSON.stringify(a.json)).toBe(201);
    expect(a.json).toMatchObject({ provider: 'scanforpay', channel: 'alipay', scene: 'qr', status: 'pending' });
    expect(a.json.qr.content).toMatch(new RegExp(`^${t.url}/sandbox/pay/`));
    const page = await fetch(a.json.qr.content);
    expect(await page.text()).toContain('JPY 2000');
    const paid = await fetch(a.json.qr.content, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'pay' }) });
    expect(paid.status).toBe(200);
    const after = await api('GET', `/api/orders/${o.id}?wait=10`, o.clientSecret);
    expect(after.json).toMatchObject({ status: 'paid', amount: 2000, currency: 'JPY', channel: 'alipay', attempt: { status: 'paid' } });
    const notes = await app.ledger.notifications.list({ orderId: o.id });
    expect(notes.map((x) => x.outcome)).toContain('applied');
  });

  it('an order in another currency is not routed to a JPY store', async () => {
    const o = await newOrder({ amount: 1999, currency: 'CNY' });
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel: 'wechat', scene: 'qr' });
    expect(a.status).toBeGreaterThanOrEqual(400);
    expect(a.status).toBe(422);
    expect(a.json.error).toMatchObject({ code: 'channel_unavailable', message: expect.stringMatching(/for CNY/) });
  });
});
