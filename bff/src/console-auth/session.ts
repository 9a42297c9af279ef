/**
 * The console's session cookie and CSRF token.
 *
 * Cookie `payqr_console` (`__Host-payqr_console` on https) = `<session id>.<expiry>.<mac>`:
 *  - the session id is 32 random bytes (base64url); the ledger keeps only its SHA-256, so
 *    sign-out revokes it everywhere and a database reader cannot forge a cookie from it;
 *  - the expiry (unix seconds, base 36) is signed with it: HMAC-SHA256 over `v1.<id>.<exp>`,
 *    compared in constant time — an edited, truncated or re-dated cookie is refused before
 *    the database is asked;
 *  - HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Path=/,
 *    Max-Age = the session's lifetime, and Secure when the console is served over https.
 *
 * CSRF: every state-changing request made with the cookie must carry the header
 * `X-PayQR-CSRF: <token>`, the token being HMAC-SHA256(csrf key, session id) — given by
 * `GET /api/console/session` to the page, never in a cookie. A page on another origin can
 * neither read it nor set a custom header on a cross-site request without CORS, which these
 * endpoints never grant.
 *
 * Both keys are derived with HKDF-SHA256 from the API key (high entropy: a cookie gives an
 * attacker nothing to guess the password with offline) and the configured password or its
 * hash, so changing either signs every session out.
 */
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Random } from '../core/random';

export const COOKIE_NAME = 'payqr_console';
/** On https: the `__Host-` prefix makes the browser insist on Secure, Path=/ and no Domain. */
export const SECURE_COOKIE_NAME = '__Host-payqr_console';
export const CSRF_HEADER = 'x-payqr-csrf';

export interface SessionKeys {
  mac: Buffer;
  csrf: Buffer;
}

export function deriveSessionKeys(apiKey: string, passwordVerifier: string): SessionKeys {
  const info = createHash('sha256').update(passwordVerifier, 'utf8').digest();
  const okm = Buffer.from(hkdfSync('sha256', Buffer.from(apiKey, 'utf8'), Buffer.from('payqr/console-session/v1'), info, 64));
  return { mac: okm.subarray(0, 32), csrf: okm.subarray(32, 64) };
}

const b64url = (b: Buffer) => b.toString('base64url');
const mac = (keys: SessionKeys, id: string, exp: string) => createHmac('sha256', keys.mac).update(`v1.${id}.${exp}`).digest();

export function newSessionId(random: Random): string {
  return b64url(Buffer.from(random.bytes(32)));
}

/** What the ledger stores for a session id (console_sessions.id). */
export function sessionIdHash(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

export function sealCookie(keys: SessionKeys, id: string, expiresAtMs: number): string {
  const exp = Math.floor(expiresAtMs / 1000).toString(36);
  return `${id}.${exp}.${b64url(mac(keys, id, exp))}`;
}

/** The session id and expiry of a cookie value, if its MAC is right and it has not expired. */
export function openCookie(keys: SessionKeys, value: string, nowMs: number): { id: string; expiresAtMs: number } | undefined {
  const m = /^([A-Za-z0-9_-]{43})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return undefined;
  const [, id, exp, sig] = m as unknown as [string, string, string, string];
  if (!timingSafeEqual(Buffer.from(sig, 'base64url'), mac(keys, id, exp))) return undefined;
  const expiresAtMs = parseInt(exp, 36) * 1000;
  if (!(expiresAtMs > nowMs)) return undefined;
  return { id, expiresAtMs };
}

export function csrfToken(keys: SessionKeys, sessionId: string): string {
  return b64url(createHmac('sha256', keys.csrf).update(`csrf.${sessionId}`).digest());
}

export function csrfValid(keys: SessionKeys, sessionId: string, presented: string | null): boolean {
  if (!presented || !/^[A-Za-z0-9_-]{43}$/.test(presented)) return false;
  return timingSafeEqual(Buffer.from(presented, 'base64url'), Buffer.from(csrfToken(keys, sessionId), 'base64url'));
}

/** The session cookie's value from a request (either name). */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (name === SECURE_COOKIE_NAME || name === COOKIE_NAME) return part.slice(i + 1).trim();
  }
  return undefined;
}

export function setCookie(value: string, opts: { secure: boolean; maxAgeSeconds: number }): string {
  const name = opts.secure ? SECURE_COOKIE_NAME : COOKIE_NAME;
  return `${name}=${value}; Path=/; Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}; HttpOnly; SameSite=Strict${opts.secure ? '; Secure' : ''}`;
}

export function clearCookie(opts: { secure: boolean }): string {
  return setCookie('', { ...opts, maxAgeSeconds: 0 });
}
