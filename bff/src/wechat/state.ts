/**
 * The OAuth `state` that carries a started WeChat login across the round trip.
 *
 * WeChat passes `state` back unchanged but allows only `a-zA-Z0-9`, at most 128 bytes, so the
 * return URL cannot travel inside it. It travels in our own `redirect_uri` query instead
 * (`/api/wechat/oauth/callback?return=…`), and `state` is an HMAC that binds that return URL
 * to an expiry and a nonce:
 *
 *   state = "v1" + exp (10 decimal digits, unix seconds) + nonce (16 alphanumerics)
 *           + hex HMAC-SHA256(key, "v1." + exp + "." + nonce + "." + returnUrl)      (92 chars)
 *
 * A callback whose `return` was swapped, whose state was forged or altered, or that comes
 * after `exp` is refused before anything else happens, so the callback can never be used as
 * an open redirect. The key is derived from the AppSecret (wechat/config.ts).
 */
import { createHmac } from 'node:crypto';
import { timingSafeEqualString } from '../crypto/digest';

const VERSION = 'v1';
const STATE = /^v1(\d{10})([A-Za-z0-9]{16})([0-9a-f]{64})$/;

function mac(key: Uint8Array, exp: string, nonce: string, returnUrl: string): string {
  return createHmac('sha256', key).update(`${VERSION}.${exp}.${nonce}.${returnUrl}`, 'utf8').digest('hex');
}

/** `nowMs` from the injected clock; `nonce`: 16 alphanumerics from the injected randomness. */
export function signState(key: Uint8Array, returnUrl: string, opts: { nowMs: number; ttlSeconds: number; nonce: string }): string {
  if (!/^[A-Za-z0-9]{16}$/.test(opts.nonce)) throw new Error('state nonce: 16 letters or digits');
  const exp = String(Math.floor(opts.nowMs / 1000) + opts.ttlSeconds).padStart(10, '0');
  return `${VERSION}${exp}${opts.nonce}${mac(key, exp, opts.nonce, returnUrl)}`;
}

export type StateCheck = { ok: true } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'too_far_ahead' };

/**
 * `ok` when `state` was signed by `key` for exactly this `returnUrl` and has not expired.
 * An expiry further ahead than `maxTtlSeconds` is refused too (a key used with a longer
 * TTL elsewhere cannot mint long-lived states for us).
 */
export function verifyState(key: Uint8Array, state: string | null | undefined, returnUrl: string, opts: { nowMs: number; maxTtlSeconds: number }): StateCheck {
  const m = STATE.exec(state ?? '');
  if (!m) return { ok: false, reason: 'malformed' };
  const [, exp, nonce, sig] = m as unknown as [string, string, string, string];
  if (!timingSafeEqualString(sig, mac(key, exp, nonce, returnUrl))) return { ok: false, reason: 'bad_signature' };
  const now = Math.floor(opts.nowMs / 1000);
  if (Number(exp) < now) return { ok: false, reason: 'expired' };
  if (Number(exp) > now + opts.maxTtlSeconds) return { ok: false, reason: 'too_far_ahead' };
  return { ok: true };
}
