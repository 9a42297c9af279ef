import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random';
import { clearCookie, csrfToken, csrfValid, deriveSessionKeys, newSessionId, openCookie, readSessionCookie, sealCookie, setCookie } from './session';

const keys = deriveSessionKeys('sk_test_0123456789abcdefghijklmnop', 'plain:a long console password');
const NOW = Date.UTC(2026, 10, 22, 2, 0, 0);

describe('the console session cookie', () => {
  const id = newSessionId(seededRandom(7));
  const value = sealCookie(keys, id, NOW + 3_600_000);

  it('opens with the same keys until it expires', () => {
    expect(openCookie(keys, value, NOW)).toEqual({ id, expiresAtMs: NOW + 3_600_000 });
    expect(openCookie(keys, value, NOW + 3_599_999)).toBeDefined();
    expect(openCookie(keys, value, NOW + 3_600_000)).toBeUndefined();
  });

  it('refuses any edit: another id, a later expiry, a changed MAC, another key', () => {
    const [cid, exp, mac] = value.split('.') as [string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    expect(openCookie(keys, `${flip(cid)}.${exp}.${mac}`, NOW)).toBeUndefined();
    expect(openCookie(keys, `${cid}.${(parseInt(exp, 36) + 86_400).toString(36)}.${mac}`, NOW)).toBeUndefined();
    expect(openCookie(keys, `${cid}.${exp}.${flip(mac)}`, NOW)).toBeUndefined();
    expect(openCookie(keys, `${cid}.${exp}`, NOW)).toBeUndefined();
    expect(openCookie(keys, '', NOW)).toBeUndefined();
    // a new API key or a new password signs every session out
    expect(openCookie(deriveSessionKeys('sk_test_0123456789abcdefghijklmnoX', 'plain:a long console password'), value, NOW)).toBeUndefined();
    expect(openCookie(deriveSessionKeys('sk_test_0123456789abcdefghijklmnop', 'plain:another password!'), value, NOW)).toBeUndefined();
  });

  it('binds the CSRF token to the session', () => {
    const token = csrfToken(keys, id);
    expect(csrfValid(keys, id, token)).toBe(true);
    expect(csrfValid(keys, newSessionId(seededRandom(8)), token)).toBe(false);
    expect(csrfValid(keys, id, null)).toBe(false);
    expect(csrfValid(keys, id, token.slice(1))).toBe(false);
    expect(csrfValid(keys, id, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
  });

  it('is HttpOnly, SameSite=Strict, Path=/ and expiring; Secure with the __Host- prefix on https', () => {
    expect(setCookie('v', { secure: false, maxAgeSeconds: 28_800 })).toBe('payqr_console=v; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict');
    expect(setCookie('v', { secure: true, maxAgeSeconds: 60 })).toBe('__Host-payqr_console=v; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure');
    expect(clearCookie({ secure: false })).toBe('payqr_console=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
  });

  it('reads the cookie by either name among others', () => {
    const req = (cookie: string) => new Request('http://payqr.test/', { headers: { cookie } });
    expect(readSessionCookie(req(`a=1; payqr_console=${value}; b=2`))).toBe(value);
    expect(readSessionCookie(req(`__Host-payqr_console=${value}`))).toBe(value);
    expect(readSessionCookie(req('payqr_consolex=1'))).toBeUndefined();
  });
});
