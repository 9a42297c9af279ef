/**
 * The whole product with scanforpay routed in (PAYQR_ROUTING), over real loopback HTTP: a yen
 * store (PAYQR_SCANFORPAY_CURRENCY=JPY) takes a JPY order end to end — attempt, payer page,
 * the simulator's notification to /api/notify/scanforpay, the ledger — and an order in another
 * currency is not routed to it. Uses the registry plus this module, so it runs whether or not
 * the registry lists scanforpay yet.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../app';
import { loadConfig } from '../../config/load';
import { createLogger } from '../../core/log';
import { PROVIDER_MODULES } from '../registry';
import { startLoopbackServer, type LoopbackServer } from '../testing/loopback';
import { scanforpayModule } from './module';

const API_KEY = 'sk_test_scanforpay_0123456789abcdef';

describe('PayQR with scanforpay (JPY store), end to end over HTTP', () => {
  let server: LoopbackServer;
  let app: App;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-scanforpay-'));
    let current: App | undefined;
    server = await startLoopbackServer((req) => (current ? current.fetch(req) : new Response('starting', { status: 503 })));
    const modules = [...PROVIDER_MODULES.filter((m) => m.id !== 'scanforpay'), scanforpayModule];
    const config = loadConfig(
      {
        PORT: String(server.port),
        PAYQR_PUBLIC_URL: server.url,
        PAYQR_DATA_DIR: dataDir,
        PAYQR_API_KEY: API_KEY,
        PAYQR_SANDBOX_TIME_SCALE: '0.01',
        PAYQR_SWEEP_INTERVAL_MS: '100',
        PAYQR_ROUTING: 'wechat:qr=scanforpay;alipay:qr=scanforpay',
        PAYQR_SCANFORPAY_CURRENCY: 'JPY',
      },
      modules,
    );
    app = await createApp(config, { log: createLogger({ level: 'error' }) });
    current = app;
    app.startBackground();
  });
  afterAll(async () => {
    await app.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let n = 0;
  const api = async <T = any>(method: string, p: string, auth?: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${server.url}${p}`, {
      method,
      headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : null,
    });
    return { status: res.status, json: (await res.json()) as T };
  };
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
    expect(a.json.qr.content).toMatch(new RegExp(`^${server.url}/sandbox/pay/`));
    const page = await fetch(a.json.qr.content);
    expect(await page.text()).toContain('JPY 2000');
    const paid = await fetch(a.json.qr.content, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'pay' }) });
    expect(paid.status).toBe(200);
    const after = await api('GET', `/api/orders/${o.id}?wait=10`, o.clientSecret);
    expect(after.json).toMatchObject({ status: 'paid', amount: 2000, currency: 'JPY', channel: 'alipay', attempt: { status: 'paid' } });
    const notes = await app.ledger.listNotifications({ orderId: o.id });
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
