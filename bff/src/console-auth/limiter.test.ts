import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { clientKey, createSignInLimiter, type Permit } from './limiter';

const ok = (p: Permit) => {
  if (!p.ok) throw new Error(`refused for ${p.retryAfterMs} ms`);
  return p;
};

describe('sign-in limiter', () => {
  it('holds each wrong password longer than the last: 1 s, 2 s, 4 s … capped at 30 s', async () => {
    const clock = new FakeClock();
    const limiter = createSignInLimiter({ clock });
    const held: number[] = [];
    for (let i = 0; i < 7; i++) {
      const p = ok(limiter.begin('10.0.0.1'));
      const hold = p.finish(false);
      held.push(hold);
      await clock.advance(hold);
      p.release();
    }
    expect(held).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('refuses a second attempt while one is checked or held, and one that comes before its back-off ends', async () => {
    const clock = new FakeClock();
    const limiter = createSignInLimiter({ clock });
    const first = ok(limiter.begin('a'));
    expect(limiter.begin('a')).toMatchObject({ ok: false });
    const hold = first.finish(false);
    expect(limiter.begin('a')).toMatchObject({ ok: false });
    first.release();
    // released early (say the client hung up): still not before the back-off ends
    expect(limiter.begin('a')).toEqual({ ok: false, retryAfterMs: hold });
    await clock.advance(hold);
    ok(limiter.begin('a'));
    // another client is not affected
    ok(limiter.begin('b'));
  });

  it('a right password clears the count; 15 quiet minutes forget it', async () => {
    const clock = new FakeClock();
    const limiter = createSignInLimiter({ clock });
    for (let i = 0; i < 3; i++) {
      const p = ok(limiter.begin('a'));
      await clock.advance(p.finish(false));
      p.release();
    }
    const good = ok(limiter.begin('a'));
    expect(good.finish(true)).toBe(0);
    good.release();
    const again = ok(limiter.begin('a'));
    expect(again.finish(false)).toBe(1000);
    again.release();
    await clock.advance(15 * 60_000 + 1);
    expect(ok(limiter.begin('a')).finish(false)).toBe(1000);
  });

  it('after 20 failures from anywhere, everyone is slowed down (rotating addresses gains nothing)', async () => {
    const clock = new FakeClock();
    const limiter = createSignInLimiter({ clock });
    for (let i = 0; i < 21; i++) {
      const p = ok(limiter.begin(`10.0.0.${i}`));
      p.finish(false);
      p.release();
    }
    const refused = limiter.begin('192.168.1.9');
    expect(refused).toEqual({ ok: false, retryAfterMs: 1000 });
    await clock.advance(1000);
    ok(limiter.begin('192.168.1.9'));
  });

  it('keys on the address the nearest proxy added, not the one the client wrote', () => {
    const req = (xff?: string) => new Request('http://payqr.test/', { headers: xff ? { 'x-forwarded-for': xff } : {} });
    expect(clientKey(req('6.6.6.6, 203.0.113.7'))).toBe('203.0.113.7');
    expect(clientKey(req('203.0.113.7'))).toBe('203.0.113.7');
    expect(clientKey(req())).toBe('direct');
  });
});
