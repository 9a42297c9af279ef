/**
 * The OAuth helper: unit tests against a scripted token endpoint (every failure mapping), then
 * the whole round trip through the app and the WeChat simulator over loopback HTTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app';
import { loadConfig } from '../config/load';
import { FakeClock } from '../core/clock';
import { createLogger, memoryLogger } from '../core/log';
import { seededRandom } from '../core/random';
import { PROVIDER_MODULES } from '../providers/registry';
import { startLoopbackServer, type LoopbackServer } from '../providers/testing/loopback';
import { deriveStateKey, type WechatConfig } from './config';
import { checkReturnUrl, createWechatOAuth } from './oauth';
import { signState } from './state';

const SECRET = 'S3cr3tS3cr3tS3cr3tS3cr3tS3cr3t00';
const wechat: WechatConfig = {
  appId: 'wx0123456789abcdef',
  appSecret: SECRET,
  oauthBaseUrl: 'https://open.weixin.qq.com',
  apiBaseUrl: 'https://api.weixin.qq.com',
  stateKey: deriveStateKey(SECRET),
  stateTtlSeconds: 600,
  sandbox: false,
};
const SHOP = 'https://shop.example.com/checkout?order=ord_1';

function unit(token: (url: string) => Response | Promise<Response> = () => Response.json({ openid: 'oRA5quGvJc1wwvjMW-tnpLLqD-FM', access_token: 'x' })) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const log = memoryLogger();
  const calls: string[] = [];
  const oauth = createWechatOAuth({
    wechat,
    mode: 'live',
    publicUrl: 'https://pay.example.com',
    allowedOrigins: ['https://shop.example.com'],
    clock,
    random: seededRandom(9),
    log,
    fetch: (async (url: string | URL | Request) => {
      calls.push(String(url));
      return token(String(url));
    }) as typeof fetch,
  });
  const start = (ret: string | null) => oauth.start(new Request(`https://pay.example.com/api/wechat/oauth${ret === null ? '' : `?return=${encodeURIComponent(ret)}`}`));
  /** what WeChat does after a silent snsapi_base: back to redirect_uri with code and state */
  const wechatBack = (authorize: string, code = 'CODE123') => {
    const u = new URL(authorize);
    const redirect = new URL(u.searchParams.get('redirect_uri')!);
    redirect.searchParams.set('code', code);
    redirect.searchParams.set('state', u.searchParams.get('state')!);
    return redirect.toString();
  };
  const callback = (url: string) => oauth.callback(new Request(url));
  return { clock, log, calls, start, wechatBack, callback };
}

describe('GET /api/wechat/oauth', () => {
  it('redirects to WeChat’s authorize URL: appid, our callback (return inside), code, snsapi_base, a signed state, #wechat_redirect', async () => {
    const { start } = unit();
    const res = await start(`${SHOP}#old`);
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^https:\/\/open\.weixin\.qq\.com\/connect\/oauth2\/authorize\?appid=wx0123456789abcdef&redirect_uri=[^&]+&response_type=code&scope=snsapi_base&state=v1[A-Za-z0-9]{90}#wechat_redirect$/);
    const redirect = new URL(new URL(location).searchParams.get('redirect_uri')!);
    expect(`${redirect.origin}${redirect.pathname}`).toBe('https://pay.example.com/api/wechat/oauth/callback');
    expect(redirect.searchParams.get('return')).toBe(SHOP); // its fragment dropped
    expect(location).not.toContain(SECRET);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses return URLs that would make it an open redirect', () => {
    const opts = { mode: 'live' as const, publicUrl: 'https://pay.example.com', allowedOrigins: ['https://shop.example.com'] };
    expect(checkReturnUrl('https://shop.example.com/x#y', opts)).toEqual({ url: 'https://shop.example.com/x' });
    expect(checkReturnUrl('https://pay.example.com/demo', opts)).toEqual({ url: 'https://pay.example.com/demo' });
    for (const bad of [null, '', '/relative', 'javascript:alert(1)', 'https://evil.example/', 'https://shop.example.com.evil.example/', 'https://user:pw@shop.example.com/', 'http://shop.example.com/']) {
      expect(checkReturnUrl(bad, opts), String(bad)).toHaveProperty('refused');
    }
    // `*` opens every origin only in sandbox mode
    expect(checkReturnUrl('https://any.example/', { ...opts, mode: 'sandbox', allowedOrigins: '*' })).toEqual({ url: 'https://any.example/' });
    expect(checkReturnUrl('https://any.example/', { ...opts, allowedOrigins: '*' })).toHaveProperty('refused');
  });

  it('answers 400 (no redirect) for a refused return URL', async () => {
    const res = await unit().start('https://evil.example/');
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('PAYQR_ALLOWED_ORIGINS') } });
  });
});

describe('GET /api/wechat/oauth/callback', () => {
  it('exchanges the code (appid, secret, code, grant_type) and returns the openid in the fragment', async () => {
    const { start, wechatBack, callback, calls, log } = unit();
    const res = await callback(wechatBack((await start(SHOP)).headers.get('location')!));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${SHOP}#payqr_openid=oRA5quGvJc1wwvjMW-tnpLLqD-FM`);
    expect(calls).toEqual([`https://api.weixin.qq.com/sns/oauth2/access_token?appid=wx0123456789abcdef&secret=${SECRET}&code=CODE123&grant_type=authorization_code`]);
    expect(log.lines.join('\n')).not.toContain(SECRET);
  });

  it('never redirects on a swapped return, a forged or an expired state', async () => {
    const { start, wechatBack, callback, clock, calls } = unit();
    const back = wechatBack((await start(SHOP)).headers.get('location')!);
    const swapped = new URL(back);
    swapped.searchParams.set('return', 'https://shop.example.com/other');
    const forged = new URL(back);
    forged.searchParams.set('state', signState(deriveStateKey('another-secret'), SHOP, { nowMs: clock.now(), ttlSeconds: 600, nonce: 'A'.repeat(16) }));
    const none = new URL(back);
    none.searchParams.delete('state');
    for (const url of [swapped, forged, none]) {
      const res = await callback(url.toString());
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
    clock.advance(601_000);
    const late = await callback(back);
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('took too long');
    expect(calls).toEqual([]); // nothing was exchanged
  });

  it('brings WeChat’s refusals back to the page as #payqr_oauth_error=<errcode>, logging errcode but not the secret', async () => {
    const { start, wechatBack, callback, log } = unit(() => Response.json({ errcode: 40029, errmsg: 'invalid code, rid: 1' }));
    const res = await callback(wechatBack((await start(SHOP)).headers.get('location')!));
    expect(res.headers.get('location')).toBe(`${SHOP}#payqr_oauth_error=40029`);
    expect(log.lines.join('\n')).toContain('40029');
    expect(log.lines.join('\n')).not.toContain(SECRET);
  });

  it('maps an unreachable WeChat, an answer without a usable openid, and a refused login', async () => {
    const down = unit(() => {
      throw new TypeError('connect ECONNREFUSED');
    });
    expect((await down.callback(down.wechatBack((await down.start(SHOP)).headers.get('location')!))).headers.get('location')).toBe(`${SHOP}#payqr_oauth_error=unavailable`);
    const odd = unit(() => Response.json({ openid: 'bad openid!' }));
    expect((await odd.callback(odd.wechatBack((await odd.start(SHOP)).headers.get('location')!))).headers.get('location')).toBe(`${SHOP}#payqr_oauth_error=invalid_response`);
    // an openid given twice (JSON.parse kept the last one) and a `null` answer are no answer
    for (const text of ['{"openid":"oRA5quGvJc1wwvjMW-tnpLLqD-FM","openid":"oAttackerChosenOpenid0000000"}', 'null']) {
      const dup = unit(() => new Response(text, { headers: { 'content-type': 'application/json' } }));
      expect((await dup.callback(dup.wechatBack((await dup.start(SHOP)).headers.get('location')!))).headers.get('location')).toBe(`${SHOP}#payqr_oauth_error=invalid_response`);
    }
    const refused = unit();
    const back = new URL(refused.wechatBack((await refused.start(SHOP)).headers.get('location')!));
    back.searchParams.delete('code');
    expect((await refused.callback(back.toString())).headers.get('location')).toBe(`${SHOP}#payqr_oauth_error=access_denied`);
  });

  it('says "not configured" to the page when there is no WeChat app', async () => {
    const oauth = createWechatOAuth({ wechat: undefined, mode: 'live', publicUrl: 'https://pay.example.com', allowedOrigins: ['https://shop.example.com'], clock: new FakeClock(), random: seededRandom(), log: memoryLogger(), fetch });
    const res = await oauth.start(new Request(`https://pay.example.com/api/wechat/oauth?return=${encodeURIComponent(SHOP)}`));
    expect(res.headers.get('location')).toBe(`${SHOP}#payqr_oauth_error=not_configured`);
  });
});

describe('the whole round trip in sandbox mode: app → simulated WeChat → app → shop page', () => {
  let server: LoopbackServer;
  let app: App;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-wechat-'));
    let current: App | undefined;
    server = await startLoopbackServer((req) => (current ? current.fetch(req) : new Response('starting', { status: 503 })));
    const config = loadConfig({ PORT: String(server.port), PAYQR_PUBLIC_URL: server.url, PAYQR_DATA_DIR: dataDir, PAYQR_API_KEY: 'sk_test_wechat_0123456789abcdef' }, PROVIDER_MODULES);
    app = await createApp(config, { log: createLogger({ level: 'error' }), env: {} });
    current = app;
  });
  afterAll(async () => {
    await app.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const WECHAT_UA = 'Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36 MicroMessenger/8.0.47.2560';
  const get = (url: string) => fetch(url, { redirect: 'manual', headers: { 'user-agent': WECHAT_UA } });

  it('uses chaoying’s sandbox SUB_APPID as the WeChat AppId, and ends at the shop page with an openid', async () => {
    const chaoyingAppId = (app.config.providers.chaoying!.settings as { SUB_APPID: string }).SUB_APPID;
    expect(app.wechat).toMatchObject({ appId: chaoyingAppId, sandbox: true, oauthBaseUrl: `${server.url}/sandbox/wechat` });
    const shop = `${server.url}/shop/checkout?o=1`;
    const first = await get(`${server.url}/api/wechat/oauth?return=${encodeURIComponent(shop)}`);
    expect(first.status).toBe(302);
    const authorize = first.headers.get('location')!;
    expect(authorize.startsWith(`${server.url}/sandbox/wechat/connect/oauth2/authorize?appid=${chaoyingAppId}&`)).toBe(true);
    const second = await get(authorize);
    expect(second.status).toBe(302);
    const third = await get(second.headers.get('location')!);
    expect(third.status).toBe(302);
    const back = third.headers.get('location')!;
    expect(back).toMatch(new RegExp(`^${shop.replace(/[.?/]/g, '\\$&')}#payqr_openid=o[A-Za-z0-9_-]{27}$`));
    // the openid works for a WeChat JSAPI attempt through chaoying JSPAY
    const openid = decodeURIComponent(back.split('#payqr_openid=')[1]!);
    const order = await fetch(`${server.url}/api/orders`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_wechat_0123456789abcdef', 'content-type': 'application/json' },
      body: JSON.stringify({ merchantOrderId: `W-${Date.now()}`, amount: 1999, subject: 'Tea' }),
    }).then((r) => r.json() as Promise<{ id: string; clientSecret: string }>);
    const view = await fetch(`${server.url}/api/orders/${order.id}`, { headers: { authorization: `Bearer ${order.clientSecret}` } }).then((r) => r.json() as Promise<{ channelsByScene: Record<string, string[]> }>);
    expect(view.channelsByScene.jsapi).toContain('wechat');
    const attempt = await fetch(`${server.url}/api/orders/${order.id}/attempts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${order.clientSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'wechat', scene: 'jsapi', openid }),
    });
    expect(attempt.status).toBe(201);
    const a = (await attempt.json()) as { provider: string; jsapi: Record<string, string> };
    expect(a.provider).toBe('chaoying');
    expect(a.jsapi).toMatchObject({ appId: chaoyingAppId, signType: 'MD5', package: expect.stringMatching(/^prepay_id=/) });
    expect(app.hub!.payerSessions('chaoying').at(-1)).toMatchObject({ scene: 'jsapi', channel: 'wechat' });
  });

  it('refuses a return that is not an http(s) URL, even with the sandbox’s any-origin default', async () => {
    const res = await get(`${server.url}/api/wechat/oauth?return=javascript:alert(1)`);
    expect(res.status).toBe(400);
  });
});
