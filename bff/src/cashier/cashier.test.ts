/**
 * The demo till's server side against the whole product over loopback HTTP, on both micropay
 * providers: the scan endpoint (what `<pay-scan>` talks to) calls PayQR with the API key and
 * answers the element's JSON contract for every sandbox outcome; PayQR's refusals pass through;
 * the payer's code is never logged whole. Also the pure mapping and the sale form.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PayQr, type Attempt, type Order } from '@payqr/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app';
import { loadConfig } from '../config/load';
import { memoryLogger } from '../core/log';
import { PROVIDER_MODULES } from '../providers/registry';
import { startLoopbackServer, type LoopbackServer } from '../providers/testing/loopback';
import { SANDBOX_AUTH_CODES } from '../sandbox/micropay-outcomes';
import { saleFromForm } from './sale';
import { createScanEndpoint } from './scan-endpoint';
import { scanStateOf, type ScanState } from './scan-state';

const API_KEY = 'sk_test_cashier_0123456789abcdef0123';

describe('scanStateOf', () => {
  const order: Order = {
    id: 'ord_aaaaaaaaaaaaaaaaaaaaaaaa',
    merchantOrderId: 'TILL-1',
    status: 'open',
    amount: 1999,
    currency: 'CNY',
    subject: '午市套餐',
    expiresAt: '2030-01-01T00:00:00.000Z',
    channels: [],
    channelsByScene: {},
    version: 3,
    serverTime: '2030-01-01T00:00:00.000Z',
  };
  const attempt = (a: Partial<Attempt>): Attempt => ({
    id: 'att_1',
    outTradeNo: 'T1x01',
    provider: 'umf-sp',
    channel: 'wechat',
    scene: 'micropay',
    status: 'pending',
    expiresAt: '2030-01-01T00:00:00.000Z',
    ...a,
  });

  it('an order without a scan (or with a QR attempt only) has no scan', () => {
    expect(scanStateOf(order)).toEqual({ order: { id: order.id, status: 'open', amount: 1999, currency: 'CNY', subject: '午市套餐' } });
    expect(scanStateOf({ ...order, attempt: attempt({ scene: 'qr' }) }).scan).toBeUndefined();
  });

  it.each([
    [{ status: 'pending', progress: 'password_entry' }, { status: 'pending', progress: 'password_entry' }],
    [{ status: 'pending' }, { status: 'pending', progress: 'paying' }],
    [{ status: 'paid' }, { status: 'paid' }],
    [{ status: 'failed', failure: { code: '51', message: '余额不足' } }, { status: 'failed', reason: { code: '51', message: '余额不足' } }],
    [{ status: 'failed', failure: { code: 'REVERSED', message: 'QUERY_DEADLINE' } }, { status: 'reversed', reason: { code: 'REVERSED', message: 'QUERY_DEADLINE' } }],
    [{ status: 'failed', failure: { code: 'REVERSED_REFUNDED', message: 'ATTEMPT_EXPIRED' } }, { status: 'reversed', reason: { code: 'REVERSED_REFUNDED', message: 'ATTEMPT_EXPIRED' } }],
    [{ status: 'failed', failure: { code: 'REVERSING', message: 'QUERY_DEADLINE' } }, { status: 'reversed', reason: { code: 'REVERSING', message: 'QUERY_DEADLINE' } }],
    [{ status: 'closed' }, { status: 'reversed', reason: { code: 'CLOSED', message: 'closed' } }],
  ] as Array<[Partial<Attempt>, Partial<NonNullable<ScanState['scan']>>]>)('attempt %j → scan %j', (a, scan) => {
    expect(scanStateOf(order, attempt(a)).scan).toEqual({ id: 'att_1', channel: 'wechat', ...scan });
  });

  it('drops a channel <pay-scan> does not know', () => {
    expect(scanStateOf(order, attempt({ channel: 'ecny' })).scan).toEqual({ id: 'att_1', status: 'pending', progress: 'paying' });
  });
});

describe('saleFromForm', () => {
  const form = (fields: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.set(k, v);
    return f;
  };

  it('a basket, or a typed amount converted exactly to fen', () => {
    expect(saleFromForm(form({ basket: 'lunch' }))).toMatchObject({ ok: true, body: { amount: 4250, subject: '午市套餐', currency: 'CNY' } });
    expect(saleFromForm(form({ amount: '19.99' }))).toMatchObject({ ok: true, body: { amount: 1999 } });
    expect(saleFromForm(form({ amount: '0.1' }))).toMatchObject({ ok: true, body: { amount: 10 } });
  });

  it('refuses amounts that are not money', () => {
    for (const amount of ['', 'abc', '1.999', '-5', '0', '100000.00']) expect(saleFromForm(form({ amount })).ok, amount).toBe(false);
  });

  it('a sandbox scan deadline becomes the attempt TTL; every order number is new', () => {
    const a = saleFromForm(form({ basket: 'coffee', scanDeadline: '10' }));
    const b = saleFromForm(form({ basket: 'coffee', scanDeadline: '3' }));
    expect(a.ok && a.body.attemptTtlSeconds).toBe(10);
    expect(b.ok && b.body.attemptTtlSeconds).toBeUndefined();
    expect(a.ok && b.ok && a.body.merchantOrderId !== b.body.merchantOrderId).toBe(true);
  });
});

describe.each([
  ['umf-sp', undefined],
  ['huishouyin', 'wechat:micropay=huishouyin;alipay:micropay=huishouyin'],
])('the scan endpoint over HTTP, micropay by %s', (provider, routing) => {
  let server: LoopbackServer;
  let app: App;
  let dataDir: string;
  let payqr: PayQr;
  let endpoint: ReturnType<typeof createScanEndpoint>;
  const appLog = memoryLogger();
  const tillLog = memoryLogger();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-cashier-'));
    let current: App | undefined;
    server = await startLoopbackServer((req) => (current ? current.fetch(req) : new Response('starting', { status: 503 })));
    const config = loadConfig(
      {
        PORT: String(server.port),
        PAYQR_PUBLIC_URL: server.url,
        PAYQR_DATA_DIR: dataDir,
        PAYQR_API_KEY: API_KEY,
        PAYQR_SANDBOX_TIME_SCALE: '0.01',
        PAYQR_SWEEP_INTERVAL_MS: '100',
        PAYQR_ROUTING: routing,
      },
      PROVIDER_MODULES,
    );
    app = await createApp(config, { log: appLog });
    current = app;
    app.startBackground();
    payqr = new PayQr({ baseUrl: server.url, apiKey: API_KEY });
    endpoint = createScanEndpoint({ payqr, log: tillLog, sandbox: true });
  });
  afterAll(async () => {
    await app.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let n = 0;
  const newOrder = async (extra: { attemptTtlSeconds?: number } = {}) =>
    payqr.orders.create({ merchantOrderId: `TILL-${provider}-${Date.now()}-${++n}`, amount: 4250, subject: '午市套餐', ...extra });
  const post = async (order: string, authCode: string, headers: Record<string, string> = {}) => {
    const res = await endpoint.POST(
      new Request('http://till.test/cashier/api/scan', {
        method: 'POST',
        headers: { 'content-type': 'application/json', host: 'till.test', ...headers },
        body: JSON.stringify({ order, authCode }),
      }),
    );
    return { status: res.status, json: (await res.json()) as ScanState & { error?: { code: string; message: string } } };
  };
  const get = async (order: string, wait = 0) => {
    const res = await endpoint.GET(new Request(`http://till.test/cashier/api/scan?order=${order}&wait=${wait}`));
    return { status: res.status, json: (await res.json()) as ScanState };
  };
  /** what <pay-scan> does while pending: long-poll until the scan is final */
  const settle = async (order: string) => {
    let state = (await get(order)).json;
    const end = Date.now() + 15_000;
    while (state.scan?.status === 'pending' && Date.now() < end) state = (await get(order, 2)).json;
    return state;
  };
  const wechat = SANDBOX_AUTH_CODES.wechat;

  it('…00 paid at once: the POST answers paid, and the order is paid', async () => {
    const o = await newOrder();
    const r = await post(o.id, wechat.paid);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      order: { id: o.id, status: 'paid', amount: 4250, currency: 'CNY', subject: '午市套餐' },
      scan: { id: expect.stringMatching(/^att_/), status: 'paid', channel: 'wechat' },
    });
    const attempt = (await payqr.orders.retrieve(o.id)).attempt!;
    expect(attempt.provider).toBe(provider);
  });

  it('…02 password entry, then paid; …06 password entry, then the payer cancels: failed', async () => {
    const a = await newOrder();
    const first = await post(a.id, SANDBOX_AUTH_CODES.alipay.password);
    expect(first.status).toBe(200);
    expect(['pending', 'paid']).toContain(first.json.scan!.status);
    expect(await settle(a.id)).toMatchObject({ order: { status: 'paid' }, scan: { status: 'paid', channel: 'alipay' } });

    const b = await newOrder();
    await post(b.id, wechat.canceled);
    expect(await settle(b.id)).toMatchObject({ order: { status: 'open' }, scan: { status: 'failed', reason: { code: expect.any(String), message: expect.any(String) } } });
  });

  it('…03 refused: failed with the provider\'s reason, and the order stays open for the next scan', async () => {
    const o = await newOrder();
    const r = await post(o.id, wechat.failed);
    expect(r.json).toMatchObject({ order: { status: 'open' }, scan: { status: 'failed', channel: 'wechat' } });
    expect(r.json.scan!.reason!.message).toMatch(/余额不足|insufficient/);
    expect((await post(o.id, wechat.paid)).json).toMatchObject({ order: { status: 'paid' }, scan: { status: 'paid' } });
  });

  it('…04 unknown: pending, then reversed when the scan\'s deadline (the order\'s attempt TTL) passes', async () => {
    // longer than PayQR's 5 s micropay hold, so the POST still answers pending
    const o = await newOrder({ attemptTtlSeconds: 8 });
    const r = await post(o.id, wechat.unknown);
    expect(r.json.scan).toMatchObject({ status: 'pending', progress: 'paying' });
    const end = Date.now() + 20_000;
    let state = r.json;
    while (state.scan?.status === 'pending' && Date.now() < end) state = (await get(o.id, 2)).json;
    expect(state).toMatchObject({ order: { status: 'open' }, scan: { status: 'reversed', reason: { code: expect.stringMatching(/^REVERS/) } } });
  }, 30_000);

  it('…05 already paid at the provider: paid', async () => {
    const o = await newOrder();
    await post(o.id, wechat.alreadyPaid);
    expect(await settle(o.id)).toMatchObject({ order: { status: 'paid' }, scan: { status: 'paid' } });
  });

  it('passes PayQR\'s refusals through: a code no wallet issues (400), a paid order (409)', async () => {
    const o = await newOrder();
    const bad = await post(o.id, '99345678901234567');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('matches no wallet') });
    await post(o.id, wechat.paid);
    const again = await post(o.id, SANDBOX_AUTH_CODES.alipay.paid);
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: 'order_not_payable' });
  });

  it('checks its input, refuses cross-site posts, and answers 502 (not the key\'s problem) when PayQR refuses the key', async () => {
    const o = await newOrder();
    expect((await post('ord_nope', wechat.paid)).status).toBe(400);
    expect((await post(o.id, '')).status).toBe(400);
    expect((await post(o.id, wechat.paid, { origin: 'https://evil.example' })).status).toBe(403);
    const plain = await endpoint.POST(new Request('http://till.test/cashier/api/scan', { method: 'POST', body: `order=${o.id}&authCode=${wechat.paid}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expect(plain.status).toBe(415);
    expect((await get('ord_nope')).status).toBe(400);
    const wrongKey = createScanEndpoint({ payqr: new PayQr({ baseUrl: server.url, apiKey: 'sk_wrong_000000000000000000000' }), log: memoryLogger(), sandbox: true });
    const res = await wrongKey.POST(
      new Request('http://till.test/cashier/api/scan', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order: o.id, authCode: wechat.paid }) }),
    );
    expect(res.status).toBe(502);
    expect(JSON.stringify(await res.json())).not.toContain('sk_');
    const live = createScanEndpoint({ payqr, log: memoryLogger(), sandbox: false });
    expect((await live.GET(new Request(`http://till.test/cashier/api/scan?order=${o.id}`))).status).toBe(404);
  });

  it('answers 502 payqr_unavailable when PayQR cannot be reached or is not PayQR, without details', async () => {
    const o = await newOrder();
    const closed = await startLoopbackServer(() => new Response('x'));
    await closed.close();
    const notPayQr = await startLoopbackServer(() => new Response('<html>a proxy page</html>', { status: 200 }));
    try {
      for (const baseUrl of [closed.url, notPayQr.url]) {
        const log = memoryLogger();
        const till = createScanEndpoint({ payqr: new PayQr({ baseUrl, apiKey: API_KEY, maxRetries: 0 }), log, sandbox: true });
        const res = await till.GET(new Request(`http://till.test/cashier/api/scan?order=${o.id}`));
        expect(res.status, baseUrl).toBe(502);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payqr_unavailable');
        expect(log.lines.join('\n')).toContain('PayQR unavailable');
      }
    } finally {
      await notPayQr.close();
    }
  });

  it('never logs a payer\'s code whole, here or in PayQR', async () => {
    const all = [...appLog.lines, ...tillLog.lines].join('\n');
    expect(tillLog.lines.some((l) => l.includes('scanned'))).toBe(true);
    for (const wallet of Object.values(SANDBOX_AUTH_CODES)) for (const code of Object.values(wallet)) expect(all).not.toContain(code);
  });
});
