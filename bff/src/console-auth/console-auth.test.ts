import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../core/clock';
import { PayQrError } from '../core/errors';
import { createLogger } from '../core/log';
import { DIALECTS, openTestLedger, type TestLedger } from '../ledger/testing';
import { createConsoleAuth, type ConsoleAuth } from './console-auth';
import { hashPassword } from './password';

const API_KEY = 'sk_test_0123456789abcdefghijklmnop';
const PASSWORD = 'a long console password';
const TTL = 3600;

/** The clock, telling the test each time something starts waiting on it. */
function watchedSleeps(clock: Clock) {
  const waits: number[] = [];
  let notify: (() => void) | undefined;
  const watched: Clock = {
    now: () => clock.now(),
    sleep: (ms, signal) => {
      waits.push(ms);
      notify?.();
      return clock.sleep(ms, signal);
    },
  };
  const nextSleep = () => new Promise<void>((resolve) => (notify = resolve));
  return { clock: watched, waits, nextSleep };
}

async function status(p: Promise<Response>): Promise<number> {
  try {
    return (await p).status;
  } catch (err) {
    if (err instanceof PayQrError) return err.status;
    throw err;
  }
}

describe.each(DIALECTS)('console sign-in (%s)', (dialect) => {
  let t: TestLedger;
  let auth: ConsoleAuth;
  let sleeps: ReturnType<typeof watchedSleeps>;

  const make = (publicUrl = 'http://payqr.test', password: { plain: string } | { hash: string } = { plain: PASSWORD }) =>
    createConsoleAuth({
      config: { password, generated: false, sessionTtlSeconds: TTL },
      apiKey: API_KEY,
      publicUrl,
      ledger: t.ledger,
      clock: sleeps.clock,
      random: t.random,
      log: createLogger({ level: 'error' }),
    });

  beforeEach(async () => {
    t = await openTestLedger(dialect);
    sleeps = watchedSleeps(t.clock);
    auth = make();
  });
  afterEach(() => t.cleanup());

  const signInRequest = (password: string, headers: Record<string, string> = {}, base = 'http://payqr.test') =>
    new Request(`${base}/api/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7', ...headers },
      body: JSON.stringify({ password, name: 'Li Wei' }),
    });
  const withCookie = (cookie: string, init: RequestInit = {}) =>
    new Request('http://payqr.test/api/console/session', { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });
  const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;

  it('signs in: an HttpOnly, SameSite=Strict, expiring cookie and a CSRF token — nothing secret in the answer', async () => {
    const res = await auth.signIn(signInRequest(PASSWORD), 'req_1');
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^payqr_console=[A-Za-z0-9_-]{43}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=3600; HttpOnly; SameSite=Strict$/);
    const text = await res.text();
    const body = JSON.parse(text) as { operator: { name: string }; expiresAt: string; csrfToken: string };
    expect(body).toEqual({ operator: { name: 'Li Wei' }, expiresAt: new Date(t.clock.now() + TTL * 1000).toISOString(), csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(PASSWORD);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const me = await auth.whoAmI(withCookie(cookieOf(res)));
    expect(await me.json()).toEqual(body);
    const [audit] = (await t.ledger.audit.page({ limit: 5 })).rows;
    expect(audit).toMatchObject({ action: 'console.sign_in', actor_type: 'console', actor_name: 'Li Wei' });
    // the ledger keeps the session id's hash only, never the cookie's id
    const id = cookieOf(res).split('=')[1]!.split('.')[0]!;
    const rows = await t.ledger.db.selectFrom('console_sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(id);
  });

  it('on https the cookie is Secure with the __Host- prefix', async () => {
    const res = await make('https://pay.example.com').signIn(signInRequest(PASSWORD), 'req_1');
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-payqr_console=.*; HttpOnly; SameSite=Strict; Secure$/);
    const behindProxy = await auth.signIn(signInRequest(PASSWORD, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.1' }), 'req_2');
    expect(behindProxy.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('accepts a scrypt hash as the configured password', async () => {
    const hashed = make('http://payqr.test', { hash: await hashPassword(PASSWORD, { ln: 14, r: 8, p: 1 }) });
    expect((await hashed.signIn(signInRequest(PASSWORD), 'r')).status).toBe(200);
  });

  it('a wrong password is refused, and only after a delay; an attempt during it is refused at once', async () => {
    const slept = sleeps.nextSleep();
    let settled = false;
    const answer = status(auth.signIn(signInRequest('not the password'), 'r')).finally(() => (settled = true));
    await slept; // the password was checked and the answer is being held
    expect(sleeps.waits).toEqual([1000]);
    // meanwhile the same client is refused without a password check
    const during = await auth.signIn(signInRequest(PASSWORD), 'r').catch((e: unknown) => e);
    expect(during).toMatchObject({ status: 429, code: 'too_many_requests', details: { retryAfterSeconds: 1 } });
    await t.clock.advance(999);
    expect(settled).toBe(false);
    await t.clock.advance(1);
    expect(await answer).toBe(401);
    // the second wrong one waits twice as long
    const slept2 = sleeps.nextSleep();
    const second = status(auth.signIn(signInRequest('still not it'), 'r'));
    await slept2;
    expect(sleeps.waits).toEqual([1000, 2000]);
    await t.clock.advance(2000);
    expect(await second).toBe(401);
    // then the right one goes through
    expect((await auth.signIn(signInRequest(PASSWORD), 'r')).status).toBe(200);
  });

  it('refuses a tampered, expired or signed-out cookie, and a change without the CSRF token', async () => {
    const res = await auth.signIn(signInRequest(PASSWORD), 'r');
    const cookie = cookieOf(res);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const tampered = cookie.replace(/\.([A-Za-z0-9_-])/, (_, c: string) => `.${c === 'a' ? 'b' : 'a'}`);
    expect(await status(auth.whoAmI(withCookie(tampered)))).toBe(401);
    expect(await status(auth.whoAmI(new Request('http://payqr.test/api/console/session')))).toBe(401);

    // a change needs the token: without it, or with another session's, 403
    expect(await status(auth.signOut(withCookie(cookie, { method: 'DELETE' }), 'r'))).toBe(403);
    await expect(auth.session(withCookie(cookie, { headers: { 'x-payqr-csrf': 'A'.repeat(43) } }), { mutating: true })).rejects.toMatchObject({ status: 403 });
    expect(await auth.session(withCookie(cookie, { headers: { 'x-payqr-csrf': csrfToken } }), { mutating: true })).toMatchObject({ actor: { type: 'console', name: 'Li Wei' } });
    // reading needs no token
    expect(await auth.session(withCookie(cookie), { mutating: false })).toBeDefined();

    const out = await auth.signOut(withCookie(cookie, { method: 'DELETE', headers: { 'x-payqr-csrf': csrfToken } }), 'r');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe('payqr_console=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
    expect(await status(auth.whoAmI(withCookie(cookie)))).toBe(401);
    expect((await t.ledger.audit.page({ limit: 5, action: 'console.sign_out' })).rows).toHaveLength(1);

    const again = await auth.signIn(signInRequest(PASSWORD), 'r');
    await t.clock.advance(TTL * 1000);
    expect(await status(auth.whoAmI(withCookie(cookieOf(again))))).toBe(401);
  });

  it('takes JSON only, and says which field is wrong', async () => {
    const form = new Request('http://payqr.test/api/console/session', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `password=${PASSWORD}` });
    expect(await status(auth.signIn(form, 'r'))).toBe(415);
    const bad = new Request('http://payqr.test/api/console/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"pass":"x"}' });
    await expect(auth.signIn(bad, 'r')).rejects.toThrow(/password: required/);
  });
});
