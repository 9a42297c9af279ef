import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../ledger/testing';
import { ScriptedConnector, testContext } from '../payments/testing';
import { createHandlers } from './handlers';
import { createRouter } from './router';
import { createWebhookDispatcher } from '../webhooks/dispatcher';
import { createWidgetFiles } from './widget-files';

const API_KEY = 'sk_test_0123456789abcdefghijklmnop';

describe('HTTP API', () => {
  let t: TestLedger;
  let fetchApp: (req: Request) => Promise<Response>;
  let widgetDir: string;

  beforeEach(async () => {
    t = await openTestLedger('sqlite');
    const ctx = testContext(t.ledger, t.clock, t.random, [new ScriptedConnector('chaoying')]);
    widgetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-widget-'));
    fs.writeFileSync(path.join(widgetDir, 'pay-qr.js'), 'export {};');
    fs.writeFileSync(path.join(widgetDir, 'pay-scan.js'), 'export {};');
    fs.writeFileSync(path.join(widgetDir, 'qr-code-B7x_9aQz.js'), 'export {};');
    fetchApp = createRouter(
      createHandlers({
        ctx,
        ledger: t.ledger,
        allowedOrigins: ['https://shop.example'],
        hub: undefined,
        widgetFiles: createWidgetFiles({ distDir: widgetDir, archiveDir: undefined, clock: t.clock, log: ctx.log }),
        log: ctx.log,
        operator: { webhooks: createWebhookDispatcher({ ledger: t.ledger, clock: t.clock, random: t.random, fetch, log: ctx.log, secret: 'whsec_test_0123456789' }), defaultWebhookUrl: undefined, console: undefined },
      }),
    );
  });
  afterEach(async () => {
    await t.cleanup();
    fs.rmSync(widgetDir, { recursive: true, force: true });
  });

  const call = (method: string, p: string, opts: { auth?: string; body?: unknown; origin?: string } = {}) => {
    const headers = new Headers();
    if (opts.auth) headers.set('authorization', `Bearer ${opts.auth}`);
    if (opts.origin) headers.set('origin', opts.origin);
    if (opts.body !== undefined) headers.set('content-type', 'application/json');
    return fetchApp(new Request(`http://payqr.test${p}`, { method, headers, body: opts.body === undefined ? null : JSON.stringify(opts.body) }));
  };

  async function newOrder() {
    const res = await call('POST', '/api/orders', { auth: API_KEY, body: { merchantOrderId: 'A10001', amount: 1999, subject: 'Tea' } });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; clientSecret: string };
  }

  it('creates orders only with the API key; errors carry code, message and requestId', async () => {
    const none = await call('POST', '/api/orders', { body: { merchantOrderId: 'A1', amount: 1, subject: 's' } });
    expect(none.status).toBe(401);
    const body = (await none.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.requestId).toMatch(/^req_/);
    expect(none.headers.get('x-request-id')).toBe(body.error.requestId);
    const bad = await call('POST', '/api/orders', { auth: API_KEY, body: { merchantOrderId: 'A1', amount: '19.99', subject: 's' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^amount: /);
    const o = await newOrder();
    expect(o.clientSecret).toMatch(/^cs_/);
  });

  it('reads an order with its client secret or the API key; wrong or missing credentials reveal nothing', async () => {
    const o = await newOrder();
    expect((await call('GET', `/api/orders/${o.id}`, { auth: o.clientSecret })).status).toBe(200);
    expect((await call('GET', `/api/orders/${o.id}`, { auth: API_KEY })).status).toBe(200);
    expect((await call('GET', `/api/orders/${o.id}`)).status).toBe(401);
    const wrong = await call('GET', `/api/orders/${o.id}`, { auth: 'cs_wrong' });
    const missing = await call('GET', `/api/orders/ord_${'x'.repeat(24)}`, { auth: 'cs_wrong' });
    expect(wrong.status).toBe(404);
    expect(missing.status).toBe(404);
    const a = (await wrong.json()) as { error: { message: string } };
    const b = (await missing.json()) as { error: { message: string } };
    expect(a.error.message).toBe(b.error.message);
  });

  it('the widget endpoints answer CORS for allowed origins only; shop endpoints never', async () => {
    const o = await newOrder();
    const allowed = await call('GET', `/api/orders/${o.id}`, { auth: o.clientSecret, origin: 'https://shop.example' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const other = await call('GET', `/api/orders/${o.id}`, { auth: o.clientSecret, origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetchApp(
      new Request(`http://payqr.test/api/orders/${o.id}/attempts`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
      }),
    );
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const shop = await call('POST', '/api/orders', { auth: API_KEY, origin: 'https://shop.example', body: { merchantOrderId: 'B1', amount: 1, subject: 's' } });
    expect(shop.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('creates an attempt with the client secret and returns the QR content', async () => {
    const o = await newOrder();
    const res = await call('POST', `/api/orders/${o.id}/attempts`, { auth: o.clientSecret, body: { channel: 'wechat', scene: 'qr' } });
    expect(res.status).toBe(201);
    const a = (await res.json()) as { outTradeNo: string; qr: { content: string }; serverTime: string };
    expect(a.outTradeNo).toBe('A1000101');
    expect(a.qr.content).toContain('A1000101');
    const bad = await call('POST', `/api/orders/${o.id}/attempts`, { auth: o.clientSecret, body: { channel: 'paypal' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^channel: one of wechat, alipay, unionpay, ecny/);
  });

  it('passes the raw notification body to the provider and returns its exact ack', async () => {
    const o = await newOrder();
    const a = (await (await call('POST', `/api/orders/${o.id}/attempts`, { auth: o.clientSecret, body: { channel: 'wechat' } })).json()) as { outTradeNo: string };
    const res = await fetchApp(
      new Request('http://payqr.test/api/notify/chaoying', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `sig=valid&no=${a.outTradeNo}&amount=1999`,
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('success');
    expect((await call('GET', `/api/orders/${o.id}`, { auth: API_KEY }).then((r) => r.json()) as { status: string }).status).toBe('paid');
    expect((await fetchApp(new Request('http://payqr.test/api/notify/paypal', { method: 'POST', body: 'x' }))).status).toBe(404);
  });

  it('cancels with the API key only', async () => {
    const o = await newOrder();
    expect((await call('POST', `/api/orders/${o.id}/cancel`, { auth: o.clientSecret })).status).toBe(401);
    const res = await call('POST', `/api/orders/${o.id}/cancel`, { auth: API_KEY });
    expect(((await res.json()) as { status: string }).status).toBe('canceled');
  });

  it('serves the widget with CORS, and nothing outside its folder', async () => {
    const res = await call('GET', '/widget/pay-qr.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect((await call('GET', '/widget/..%2Fsecrets.js')).status).toBe(404);
  });

  it('caches the entries briefly (their names stay across releases) and only hashed chunks for good', async () => {
    for (const entry of ['pay-qr.js', 'pay-scan.js']) {
      const res = await call('GET', `/widget/${entry}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control'), entry).toBe('public, max-age=300');
    }
    const chunk = await call('GET', '/widget/qr-code-B7x_9aQz.js');
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('reports health with database reachability', async () => {
    const res = await call('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { dialect: 'sqlite', status: 'ok' } });
  });

  it('unknown paths are 404 and wrong methods 405', async () => {
    expect((await call('GET', '/api/nope')).status).toBe(404);
    expect((await call('DELETE', '/api/orders')).status).toBe(405);
  });
});
