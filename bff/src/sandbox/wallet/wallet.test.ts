/**
 * The sandbox wallet over the real app (loopback HTTP): what a fake bridge posts, what it does
 * to the order through the chaoying simulator, and the bridges script itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../app';
import { loadConfig } from '../../config/load';
import { createLogger } from '../../core/log';
import { PROVIDER_MODULES } from '../../providers/registry';
import { startLoopbackServer, type LoopbackServer } from '../../providers/testing/loopback';

const API_KEY = 'sk_test_wallet_0123456789abcdef';

describe('sandbox wallet', () => {
  let server: LoopbackServer;
  let app: App;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-wallet-'));
    let current: App | undefined;
    server = await startLoopbackServer((req) => (current ? current.fetch(req) : new Response('starting', { status: 503 })));
    const config = loadConfig(
      { PORT: String(server.port), PAYQR_PUBLIC_URL: server.url, PAYQR_DATA_DIR: dataDir, PAYQR_API_KEY: API_KEY, PAYQR_SANDBOX_TIME_SCALE: '0.01', PAYQR_SWEEP_INTERVAL_MS: '100' },
      PROVIDER_MODULES,
    );
    app = await createApp(config, { log: createLogger({ level: 'error' }), env: {} });
    current = app;
    app.startBackground();
  });
  afterAll(async () => {
    await app.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let n = 0;
  const api = async <T = any>(method: string, p: string, auth: string, body?: unknown) => {
    const res = await fetch(`${server.url}${p}`, { method, headers: { authorization: `Bearer ${auth}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : null });
    return { status: res.status, json: (await res.json()) as T };
  };
  const attempt = async (channel: 'wechat' | 'alipay') => {
    const o = (await api('POST', '/api/orders', API_KEY, { merchantOrderId: `WAL-${Date.now()}-${++n}`, amount: 1999, subject: 'Tea' })).json as { id: string; clientSecret: string };
    const payer = channel === 'wechat' ? { openid: 'oSandboxUser000000000000000A' } : { buyerId: '2088000000000001' };
    const a = await api('POST', `/api/orders/${o.id}/attempts`, o.clientSecret, { channel, scene: 'jsapi', ...payer });
    expect(a.status).toBe(201);
    return { order: o, attempt: a.json as { outTradeNo: string; jsapi: Record<string, string> } };
  };
  /** what the fake bridge posts: the params exactly as the page gave them */
  const wallet = async (kind: 'wechat' | 'alipay', body: unknown) => {
    const res = await fetch(`${server.url}/sandbox/wallet/${kind}/pay`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://shop.example' }, body: JSON.stringify(body) });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    return { status: res.status, json: (await res.json()) as Record<string, string> };
  };
  const six = (j: Record<string, string>) => ({ appId: j.appId, timeStamp: j.timeStamp, nonceStr: j.nonceStr, package: j.package, signType: j.signType, paySign: j.paySign });
  const status = async (o: { id: string; clientSecret: string }, wait = 0) => (await api('GET', `/api/orders/${o.id}${wait ? `?wait=${wait}` : ''}`, o.clientSecret)).json as { status: string; attempt?: { status: string } };
  const session = (outTradeNo: string) => app.hub!.findPayerSession('chaoying', outTradeNo)!;

  it('WeChat ok: the six bridge fields verify, the order is paid by the notification, err_msg …:ok', async () => {
    const { order, attempt: a } = await attempt('wechat');
    expect((await wallet('wechat', { params: six(a.jsapi), choice: 'ok' })).json).toEqual({ err_msg: 'get_brand_wcpay_request:ok' });
    expect(session(a.outTradeNo).state).toBe('paid');
    expect((await status(order, 10)).status).toBe('paid');
  });

  it('WeChat cancel leaves the order payable; fail declines it', async () => {
    const c = await attempt('wechat');
    expect((await wallet('wechat', { params: six(c.attempt.jsapi), choice: 'cancel' })).json).toEqual({ err_msg: 'get_brand_wcpay_request:cancel' });
    expect(session(c.attempt.outTradeNo).state).toBe('open');
    const f = await attempt('wechat');
    expect((await wallet('wechat', { params: six(f.attempt.jsapi), choice: 'fail' })).json).toMatchObject({ err_msg: 'get_brand_wcpay_request:fail' });
    expect(session(f.attempt.outTradeNo).state).toBe('declined');
    await expect.poll(async () => (await status(f.order)).attempt?.status, { timeout: 5000 }).toBe('failed');
  });

  it('WeChat: the whole pay_info, a renamed field or a tampered paySign fail in the wallet, and pay nothing', async () => {
    const { attempt: a } = await attempt('wechat');
    const { timeStamp, ...rest } = six(a.jsapi);
    for (const params of [a.jsapi, { ...rest, timestamp: timeStamp }, { ...six(a.jsapi), paySign: '0'.repeat(32) }]) {
      const r = await wallet('wechat', { params, choice: 'ok' });
      expect(r.json.err_msg).toBe('get_brand_wcpay_request:fail');
      expect(r.json.err_desc).toBeTruthy();
    }
    expect(session(a.outTradeNo).state).toBe('open');
    expect((await wallet('wechat', { params: six(a.jsapi), choice: 'maybe' })).status).toBe(400);
  });

  it('Alipay 9000 pays; 6001 and 6002 leave it; 4000 declines', async () => {
    const paid = await attempt('alipay');
    expect((await wallet('alipay', { params: paid.attempt.jsapi, choice: '9000' })).json).toMatchObject({ resultCode: '9000' });
    expect(session(paid.attempt.outTradeNo).state).toBe('paid');
    const left = await attempt('alipay');
    expect((await wallet('alipay', { params: left.attempt.jsapi, choice: '6001' })).json).toMatchObject({ resultCode: '6001' });
    expect((await wallet('alipay', { params: left.attempt.jsapi, choice: '6002' })).json).toMatchObject({ resultCode: '6002' });
    expect(session(left.attempt.outTradeNo).state).toBe('open');
    expect((await wallet('alipay', { params: left.attempt.jsapi, choice: '4000' })).json).toMatchObject({ resultCode: '4000' });
    expect(session(left.attempt.outTradeNo).state).toBe('declined');
    expect((await wallet('alipay', { params: { tradeNO: 'nope' }, choice: '9000' })).json).toMatchObject({ resultCode: '4000' });
  });

  it('Alipay 6004 answers "unknown" at once and the payment lands settleAfterMs later: only the server can tell', async () => {
    const { order, attempt: a } = await attempt('alipay');
    expect((await wallet('alipay', { params: a.jsapi, choice: '6004', settleAfterMs: 300 })).json).toMatchObject({ resultCode: '6004' });
    expect(session(a.outTradeNo).state).toBe('open');
    expect((await status(order)).status).toBe('open');
    await expect.poll(async () => (await status(order)).status, { timeout: 5000 }).toBe('paid');
  });

  it('serves bridges.js: under a WeChat user agent it installs WeixinJSBridge after DOMContentLoaded and posts the exact params', async () => {
    const res = await fetch(`${server.url}/sandbox/wallet/bridges.js`);
    expect(res.headers.get('content-type')).toContain('javascript');
    const text = await res.text();
    expect(text).toContain(JSON.stringify(`${server.url}/sandbox/wallet`));
    const listeners: Record<string, () => void> = {};
    const events: string[] = [];
    const posted: Array<{ url: string; body: string }> = [];
    const timers: Array<() => void> = [];
    const window: Record<string, any> = {
      __payqrWallet: { wechat: 'cancel' },
      navigator: { userAgent: 'Mozilla/5.0 MicroMessenger/8.0.47' },
      document: { readyState: 'loading', addEventListener: (t: string, f: () => void) => (listeners[t] = f), dispatchEvent: (e: { type: string }) => events.push(e.type) },
      Event: class {
        constructor(readonly type: string) {}
      },
      setTimeout: (f: () => void) => timers.push(f),
      fetch: async (url: string, init: { body: string }) => {
        posted.push({ url, body: init.body });
        return { json: async () => ({ err_msg: 'get_brand_wcpay_request:cancel' }) };
      },
    };
    window.window = window;
    vm.runInNewContext(text, window);
    expect(window.WeixinJSBridge).toBeUndefined();
    listeners.DOMContentLoaded!();
    timers.shift()!();
    expect(events).toEqual(['WeixinJSBridgeReady']);
    expect(window.AlipayJSBridge).toBeUndefined();
    const result = await new Promise((resolve) => window.WeixinJSBridge.invoke('getBrandWCPayRequest', { appId: 'wx1', paySign: 'X' }, resolve));
    expect(result).toEqual({ err_msg: 'get_brand_wcpay_request:cancel' });
    expect(posted).toEqual([{ url: `${server.url}/sandbox/wallet/wechat/pay`, body: JSON.stringify({ params: { appId: 'wx1', paySign: 'X' }, choice: 'cancel' }) }]);
    expect(window.__payqrWalletCalls).toHaveLength(1);
  });
});
