/**
 * The WeChat official-account OAuth helper (`snsapi_base`: silent, no consent screen), which
 * gives the widget the payer's openid for JSAPI payment (chaoying `buyer_id`):
 *
 *   GET /api/wechat/oauth?return=<shop page URL>
 *     → 302 {oauthBase}/connect/oauth2/authorize?appid=…&redirect_uri=<callback>&response_type=code
 *            &scope=snsapi_base&state=<signed>#wechat_redirect
 *   GET /api/wechat/oauth/callback?return=…&code=…&state=…      (WeChat sends the browser here)
 *     → GET {apiBase}/sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code
 *     → 302 <return>#payqr_openid=<openid>
 *
 * Why the URL fragment: it never reaches a server (no access logs, no Referer), the widget
 * reads it and removes it with history.replaceState, and nothing else is needed — an openid is
 * a per-AppId pseudonym, not a credential: WeChat itself refuses a JSAPI payment whose openid is
 * not the WeChat user paying, so a forged fragment can only make that payment fail. Failures
 * the shop page can show come back the same way: `#payqr_oauth_error=<code>`.
 *
 * No open redirect: `return` must be an http(s) URL on the BFF's own origin or one of
 * `PAYQR_ALLOWED_ORIGINS` (any origin only in sandbox mode with the default `*`), and the
 * callback redirects only to a `return` that the HMAC in `state` binds (wechat/state.ts).
 * The AppSecret never appears in a URL a browser sees, in an answer or in a log line.
 */
import type { Clock } from '../core/clock';
import { fetchText } from '../core/http';
import type { Logger } from '../core/log';
import { randomString, type Random } from '../core/random';
import { isJsonObject, parseJson } from '../core/strict-json';
import type { WechatConfig } from './config';
import { signState, verifyState } from './state';

export const OPENID_FRAGMENT = 'payqr_openid';
export const OAUTH_ERROR_FRAGMENT = 'payqr_oauth_error';
/** openids are 28 characters of [A-Za-z0-9_-]; allow some room */
const OPENID = /^[A-Za-z0-9_-]{6,64}$/;

export interface WechatOAuthDeps {
  wechat: WechatConfig | undefined;
  mode: 'sandbox' | 'live';
  /** the BFF's public base URL: the callback lives there (WeChat's 网页授权域名 must be its host) */
  publicUrl: string;
  allowedOrigins: '*' | string[];
  clock: Clock;
  random: Random;
  fetch: typeof fetch;
  log: Logger;
  /** the code exchange's time limit; default 10 s */
  timeoutMs?: number;
}

export interface WechatOAuth {
  start(req: Request): Promise<Response>;
  callback(req: Request): Promise<Response>;
}

const noStore = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { location, ...noStore } });
}

function problem(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message, requestId: '' } }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...noStore },
  });
}

/** `return` without its fragment (the callback adds its own), or why it is refused. */
export function checkReturnUrl(raw: string | null, opts: Pick<WechatOAuthDeps, 'mode' | 'publicUrl' | 'allowedOrigins'>): { url: string } | { refused: string } {
  if (!raw) return { refused: 'return: the URL of the shop page to come back to is required' };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { refused: 'return: an absolute URL' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { refused: 'return: an http(s) URL' };
  if (u.username || u.password) return { refused: 'return: no user name or password in the URL' };
  const own = new URL(opts.publicUrl).origin;
  const allowed =
    u.origin === own ||
    (opts.allowedOrigins === '*' ? opts.mode === 'sandbox' : opts.allowedOrigins.includes(u.origin));
  if (!allowed) return { refused: `return: ${u.origin} is not this server's origin nor one of PAYQR_ALLOWED_ORIGINS` };
  u.hash = '';
  return { url: u.toString() };
}

const withFragment = (url: string, key: string, value: string) => `${url}#${key}=${encodeURIComponent(value)}`;

export function createWechatOAuth(d: WechatOAuthDeps): WechatOAuth {
  const log = d.log.child('wechat').child('oauth');
  const base = d.publicUrl.replace(/\/+$/, '');
  const timeoutMs = d.timeoutMs ?? 10_000;

  return {
    async start(req) {
      const checked = checkReturnUrl(new URL(req.url).searchParams.get('return'), d);
      if ('refused' in checked) return problem(400, 'invalid_request', checked.refused);
      const w = d.wechat;
      if (!w) return redirect(withFragment(checked.url, OAUTH_ERROR_FRAGMENT, 'not_configured'));
      const state = signState(w.stateKey, checked.url, { nowMs: d.clock.now(), ttlSeconds: w.stateTtlSeconds, nonce: randomString(d.random, 16) });
      const redirectUri = `${base}/api/wechat/oauth/callback?return=${encodeURIComponent(checked.url)}`;
      // WeChat checks the parameters in this order and needs the #wechat_redirect suffix.
      const authorize =
        `${w.oauthBaseUrl}/connect/oauth2/authorize?appid=${encodeURIComponent(w.appId)}` +
        `&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=snsapi_base&state=${state}#wechat_redirect`;
      return redirect(authorize);
    },

    async callback(req) {
      const q = new URL(req.url).searchParams;
      const checked = checkReturnUrl(q.get('return'), d);
      if ('refused' in checked) return problem(400, 'invalid_request', checked.refused);
      const w = d.wechat;
      if (!w) return problem(404, 'not_found', 'WeChat OAuth is not configured (PAYQR_WECHAT_APP_ID, PAYQR_WECHAT_APP_SECRET).');
      const state = verifyState(w.stateKey, q.get('state'), checked.url, { nowMs: d.clock.now(), maxTtlSeconds: w.stateTtlSeconds });
      if (!state.ok) {
        log.warn('refused callback', { reason: state.reason });
        // Not redirected: only a verified state vouches for `return`.
        return problem(400, 'invalid_request', `state: ${state.reason === 'expired' ? 'the WeChat login took too long' : 'not a state this server issued for that page'}; go back to the shop page and try again.`);
      }
      const code = q.get('code');
      // snsapi_base never asks, but a user can still refuse under snsapi_userinfo; WeChat then omits the code.
      if (!code) return redirect(withFragment(checked.url, OAUTH_ERROR_FRAGMENT, 'access_denied'));

      // The secret is in this URL: it is never logged (only errcode/errmsg are).
      const tokenUrl =
        `${w.apiBaseUrl}/sns/oauth2/access_token?appid=${encodeURIComponent(w.appId)}&secret=${encodeURIComponent(w.appSecret)}` +
        `&code=${encodeURIComponent(code)}&grant_type=authorization_code`;
      const res = await fetchText(d.fetch, tokenUrl, { method: 'GET', headers: { accept: 'application/json' } }, { timeoutMs, maxTextLength: 16_384 });
      if (!res.ok) {
        log.warn('code exchange failed', { reason: res.reason });
        return redirect(withFragment(checked.url, OAUTH_ERROR_FRAGMENT, 'unavailable'));
      }
      let body: { openid?: unknown; errcode?: unknown; errmsg?: unknown } = {};
      try {
        // strict (core/strict-json.ts): a member twice is not JSON here; `null` or an array is no answer
        const parsed = parseJson(res.text);
        if (isJsonObject(parsed)) body = parsed;
      } catch {
        /* not JSON: handled below */
      }
      if (body.errcode !== undefined && body.errcode !== 0) {
        log.warn('WeChat refused the code', { errcode: body.errcode, errmsg: typeof body.errmsg === 'string' ? body.errmsg.slice(0, 200) : undefined });
        return redirect(withFragment(checked.url, OAUTH_ERROR_FRAGMENT, String(body.errcode)));
      }
      if (typeof body.openid !== 'string' || !OPENID.test(body.openid)) {
        log.warn('code exchange answered without an openid', { httpStatus: res.status });
        return redirect(withFragment(checked.url, OAUTH_ERROR_FRAGMENT, 'invalid_response'));
      }
      log.info('openid obtained', { appId: w.appId });
      return redirect(withFragment(checked.url, OPENID_FRAGMENT, body.openid));
    },
  };
}
