/**
 * The sandbox twin of WeChat's web OAuth (网页授权), under `/sandbox/wechat`:
 *
 * - `GET /connect/oauth2/authorize?appid&redirect_uri&response_type=code&scope&state` —
 *   like WeChat: only inside WeChat (a `MicroMessenger` user agent), `redirect_uri` must be on
 *   the account's OAuth domain (the BFF's host), and `snsapi_base` is silent: 302 to
 *   `redirect_uri?code=…&state=…`. Errors are WeChat's own codes on an error page
 *   (10003 redirect_uri domain, 10005 scope, 10016 appid).
 * - `GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code` →
 *   `{access_token, expires_in, refresh_token, openid, scope}`, or WeChat's `{errcode, errmsg}`:
 *   40013 invalid appid, 40125 invalid appsecret, 40002 invalid grant_type, 41008 missing code,
 *   40029 invalid code (unknown, another AppId's, or older than 5 minutes), 40163 code been used.
 *
 * Who the payer is: the cookie `payqr_wechat_user` (any short name; default `sandbox-user`).
 * Each user has a stable openid per AppId, like WeChat — derived from the AppSecret, so it
 * survives restarts.
 */
import { createHmac } from 'node:crypto';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import { randomString, type Random } from '../core/random';
import { timingSafeEqualString } from '../crypto/digest';
import { escapeHtml } from '../sandbox/payer-page';

export const WECHAT_USER_COOKIE = 'payqr_wechat_user';
export const DEFAULT_WECHAT_USER = 'sandbox-user';
/** WeChat: code 只能使用一次，5分钟未被使用自动过期 */
export const WECHAT_CODE_TTL_MS = 5 * 60_000;

export interface WechatOAuthSimulatorOptions {
  appId: string;
  appSecret: string;
  /** origins `redirect_uri` may point at (网页授权域名); the BFF's public origin */
  oauthOrigins: readonly string[];
  clock: Clock;
  random: Random;
  log: Logger;
}

export interface WechatOAuthSimulator {
  /** `path` is what follows `/sandbox/wechat` */
  handle(req: Request, path: string): Promise<Response>;
  /** the openid a sandbox user has under the AppId */
  openidFor(user: string): string;
}

interface IssuedCode {
  openid: string;
  appId: string;
  scope: string;
  issuedAt: number;
  used: boolean;
}

export function createWechatOAuthSimulator(opts: WechatOAuthSimulatorOptions): WechatOAuthSimulator {
  const log = opts.log.child('wechat').child('sim');
  const codes = new Map<string, IssuedCode>();
  const rid = () => `${randomString(opts.random, 8, '0123456789abcdef')}-${randomString(opts.random, 8, '0123456789abcdef')}`;

  const openidFor = (user: string) =>
    `o${createHmac('sha256', opts.appSecret).update(`openid:${opts.appId}:${user}`).digest('base64url').slice(0, 27)}`;

  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json; encoding=utf-8', 'cache-control': 'no-store' } });
  // WeChat answers errors with HTTP 200 and this shape; errmsg ends with a request id hint.
  const error = (errcode: number, errmsg: string) => json({ errcode, errmsg: `${errmsg}, rid: ${rid()}` });

  function page(title: string, text: string): Response {
    const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p>PayQR 沙箱 · simulated WeChat OAuth</p></body></html>`;
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'" },
    });
  }

  function user(req: Request): string {
    const cookie = req.headers.get('cookie') ?? '';
    const m = new RegExp(`(?:^|;\\s*)${WECHAT_USER_COOKIE}=([A-Za-z0-9_.-]{1,64})`).exec(cookie);
    return m?.[1] ?? DEFAULT_WECHAT_USER;
  }

  function authorize(req: Request): Response {
    const q = new URL(req.url).searchParams;
    if (!/MicroMessenger/i.test(req.headers.get('user-agent') ?? '')) return page('请在微信客户端打开链接', 'Open this link in WeChat.');
    const appId = q.get('appid');
    if (!appId || appId !== opts.appId) return page('Oops! Something went wrong:(', '10016 appid 参数错误 (unknown appid)');
    let redirect: URL;
    try {
      redirect = new URL(q.get('redirect_uri') ?? '');
    } catch {
      return page('Oops! Something went wrong:(', '10011 redirect_uri 参数错误');
    }
    if (!opts.oauthOrigins.includes(redirect.origin)) return page('Oops! Something went wrong:(', '10003 redirect_uri域名与后台配置不一致');
    if (q.get('response_type') !== 'code') return page('Oops! Something went wrong:(', '10004 response_type 参数错误');
    const scope = q.get('scope') ?? '';
    if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') return page('Oops! Something went wrong:(', '10005 此公众号并没有这些scope的权限');
    const code = randomString(opts.random, 32);
    const who = user(req);
    codes.set(code, { openid: openidFor(who), appId, scope, issuedAt: opts.clock.now(), used: false });
    log.info('code issued', { user: who });
    redirect.searchParams.set('code', code);
    const state = q.get('state');
    if (state) redirect.searchParams.set('state', state);
    return new Response(null, { status: 302, headers: { location: redirect.toString(), 'cache-control': 'no-store' } });
  }

  function accessToken(req: Request): Response {
    const q = new URL(req.url).searchParams;
    if (q.get('appid') !== opts.appId) return error(40013, 'invalid appid');
    if (!timingSafeEqualString(q.get('secret') ?? '', opts.appSecret)) return error(40125, 'invalid appsecret');
    if (q.get('grant_type') !== 'authorization_code') return error(40002, 'invalid grant_type');
    const code = q.get('code');
    if (!code) return error(41008, 'missing code');
    const issued = codes.get(code);
    if (!issued || issued.appId !== opts.appId || opts.clock.now() - issued.issuedAt > WECHAT_CODE_TTL_MS) return error(40029, 'invalid code');
    if (issued.used) return error(40163, 'code been used');
    issued.used = true;
    return json({
      access_token: randomString(opts.random, 88),
      expires_in: 7200,
      refresh_token: randomString(opts.random, 88),
      openid: issued.openid,
      scope: issued.scope,
    });
  }

  return {
    openidFor,
    async handle(req, path) {
      if (req.method !== 'GET') return new Response('Method Not Allowed', { status: 405, headers: { allow: 'GET' } });
      if (path === '/connect/oauth2/authorize') return authorize(req);
      if (path === '/sns/oauth2/access_token') return accessToken(req);
      return new Response(`Not Found: ${path} (the WeChat OAuth simulator serves /connect/oauth2/authorize and /sns/oauth2/access_token)`, {
        status: 404,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    },
  };
}
