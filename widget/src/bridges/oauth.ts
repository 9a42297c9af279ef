/**
 * The payer's WeChat openid for JSAPI payment comes from the BFF's OAuth helper
 * (`GET {endpoint}/api/wechat/oauth?return=<this page>`, bff/src/wechat/oauth.ts): the page
 * goes there in the same tab and WeChat brings it back with `#payqr_openid=…` (or
 * `#payqr_oauth_error=…`) in the fragment, which never reaches a server. The widget takes it
 * and removes it from the address bar at once (history.replaceState), so a reload, a shared
 * link or a bookmark does not carry it.
 */
export type OAuthResult = { openid: string } | { error: string } | undefined;

const KEYS = /(?:^|&)payqr_(openid|oauth_error)=([^&]*)/;

/** Reads and removes our keys from `location.hash`, keeping anything else the page put there. */
export function takeOAuthResult(win: Window): OAuthResult {
  const hash = win.location.hash.slice(1);
  const m = KEYS.exec(hash);
  if (!m) return undefined;
  const rest = hash.replace(/(?:^|&)payqr_(?:openid|oauth_error)=[^&]*/g, '').replace(/^&/, '');
  const { pathname, search } = win.location;
  win.history.replaceState(win.history.state, '', `${pathname}${search}${rest ? `#${rest}` : ''}`);
  const value = decodeURIComponent(m[2]!);
  return m[1] === 'openid' ? { openid: value } : { error: value };
}

/** The OAuth helper's URL for coming back to this page (without its fragment). */
export function oauthUrl(endpoint: string, pageUrl: string): string {
  return `${endpoint.replace(/\/+$/, '')}/api/wechat/oauth?return=${encodeURIComponent(pageUrl.split('#')[0]!)}`;
}
