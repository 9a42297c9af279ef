import { describe, expect, it } from 'vitest';
import { deriveStateKey } from './config';
import { signState, verifyState } from './state';

const key = deriveStateKey('0123456789abcdef0123456789abcdef');
const ret = 'https://shop.example.com/checkout?order=ord_1';
const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const nonce = 'AbCdEf0123456789';

describe('OAuth state', () => {
  const state = signState(key, ret, { nowMs: now, ttlSeconds: 600, nonce });

  it('fits WeChat’s rules: a-zA-Z0-9 only, at most 128 bytes', () => {
    expect(state).toMatch(/^[A-Za-z0-9]+$/);
    expect(state.length).toBeLessThanOrEqual(128);
    expect(state.startsWith(`v1${Math.floor(now / 1000) + 600}${nonce}`)).toBe(true);
  });

  it('verifies for the same return URL within its lifetime', () => {
    expect(verifyState(key, state, ret, { nowMs: now, maxTtlSeconds: 600 })).toEqual({ ok: true });
    expect(verifyState(key, state, ret, { nowMs: now + 600_000, maxTtlSeconds: 600 })).toEqual({ ok: true });
  });

  it('refuses another return URL (no open redirect), another key, an altered state', () => {
    expect(verifyState(key, state, 'https://evil.example/', { nowMs: now, maxTtlSeconds: 600 })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyState(key, state, `${ret}&x=1`, { nowMs: now, maxTtlSeconds: 600 })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyState(deriveStateKey('another-secret-another-secret-00'), state, ret, { nowMs: now, maxTtlSeconds: 600 })).toMatchObject({ ok: false, reason: 'bad_signature' });
    const later = state.replace(/^v1(\d{10})/, (_, exp: string) => `v1${Number(exp) + 3600}`);
    expect(verifyState(key, later, ret, { nowMs: now, maxTtlSeconds: 600 })).toMatchObject({ ok: false, reason: 'bad_signature' });
    const flipped = state.slice(0, -1) + (state.endsWith('0') ? '1' : '0');
    expect(verifyState(key, flipped, ret, { nowMs: now, maxTtlSeconds: 600 })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an expired state, and one minted for longer than we allow', () => {
    expect(verifyState(key, state, ret, { nowMs: now + 601_000, maxTtlSeconds: 600 })).toEqual({ ok: false, reason: 'expired' });
    const long = signState(key, ret, { nowMs: now, ttlSeconds: 86_400, nonce });
    expect(verifyState(key, long, ret, { nowMs: now, maxTtlSeconds: 600 })).toEqual({ ok: false, reason: 'too_far_ahead' });
  });

  it('refuses malformed or missing states', () => {
    for (const s of [undefined, null, '', 'abc', `${state}x`, state.toUpperCase(), state.replace(/^v1/, 'v2'), `${state.slice(0, 20)}-${state.slice(21)}`]) {
      expect(verifyState(key, s, ret, { nowMs: now, maxTtlSeconds: 600 }).ok).toBe(false);
    }
    expect(() => signState(key, ret, { nowMs: now, ttlSeconds: 600, nonce: 'short' })).toThrow(/nonce/);
  });
});
