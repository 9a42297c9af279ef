/**
 * Operator sign-in for the console: one password (PAYQR_CONSOLE_PASSWORD or its scrypt hash),
 * a signed, expiring, revocable session cookie (session.ts), a CSRF token for every
 * state-changing request, and sign-in attempts limited with back-off (limiter.ts).
 *
 *   POST   /api/console/session  {password, name?}  → 200 {operator, expiresAt, csrfToken} + cookie
 *   GET    /api/console/session                     → the same for the current session, or 401
 *   DELETE /api/console/session  (X-PayQR-CSRF)     → 204, the session revoked, the cookie cleared
 *
 * The browser gets the cookie (HttpOnly) and the CSRF token — never the API key, the password
 * or any provider secret. Without a configured password the console is off: these endpoints
 * answer 404 and no cookie is ever accepted.
 */
import { z } from 'zod';
import type { ConsoleConfig } from '../config/load';
import type { Clock } from '../core/clock';
import { describeZodIssues, forbidden, invalidRequest, PayQrError, tooManyRequests, unauthorized } from '../core/errors';
import type { Logger } from '../core/log';
import type { Random } from '../core/random';
import type { Actor } from '../ledger/audit';
import { readBody } from '../http/respond';
import type { Ledger } from '../ledger/ledger';
import { clientKey, createSignInLimiter, type SignInLimiter } from './limiter';
import { hashPassword, isScryptHash, parseScryptHash, verifyPassword, type ScryptHash } from './password';
import {
  clearCookie,
  CSRF_HEADER,
  csrfToken,
  csrfValid,
  deriveSessionKeys,
  newSessionId,
  openCookie,
  readSessionCookie,
  sealCookie,
  sessionIdHash,
  setCookie,
  type SessionKeys,
} from './session';

export const signInSchema = z
  .object({
    password: z.string({ message: 'required: the console password' }).min(1, 'required: the console password').max(256, 'at most 256 characters'),
    /** who is signing in, for the audit log (self-declared: there is one operator password) */
    name: z.string().trim().min(1, 'at least 1 character').max(64, 'at most 64 characters').optional(),
  })
  .strict();

export interface ConsoleSession {
  actor: Actor;
  /** sha256 of the session id (the console_sessions row) */
  idHash: string;
  csrfToken: string;
  expiresAt: number;
  name: string | null;
}

/** What `GET/POST /api/console/session` answer. */
export interface SessionView {
  operator: { name: string | null };
  expiresAt: string;
  csrfToken: string;
}

export interface ConsoleAuth {
  signIn(req: Request, requestId: string): Promise<Response>;
  signOut(req: Request, requestId: string): Promise<Response>;
  whoAmI(req: Request): Promise<Response>;
  /**
   * The console session a request carries, if any (undefined without a cookie). A present but
   * invalid, expired or revoked cookie is 401; a state-changing request without the right
   * X-PayQR-CSRF header is 403.
   */
  session(req: Request, opts: { mutating: boolean }): Promise<ConsoleSession | undefined>;
}

export interface ConsoleAuthDeps {
  config: ConsoleConfig;
  apiKey: string;
  publicUrl: string;
  ledger: Ledger;
  clock: Clock;
  random: Random;
  log: Logger;
  limiter?: SignInLimiter;
}

export function createConsoleAuth(d: ConsoleAuthDeps): ConsoleAuth {
  const log = d.log.child('console');
  const verifierText = 'hash' in d.config.password ? `hash:${d.config.password.hash}` : `plain:${d.config.password.plain}`;
  const keys: SessionKeys = deriveSessionKeys(d.apiKey, verifierText);
  const limiter = d.limiter ?? createSignInLimiter({ clock: d.clock });
  const ttlMs = d.config.sessionTtlSeconds * 1000;

  // A plain password is hashed once (random salt) so every check costs the same scrypt.
  let stored: Promise<ScryptHash> | undefined;
  const storedHash = () =>
    (stored ??= (async () => {
      const text = 'hash' in d.config.password ? d.config.password.hash : await hashPassword(d.config.password.plain, { ln: 14, r: 8, p: 1 });
      const parsed = parseScryptHash(text);
      if (!isScryptHash(parsed)) throw new Error(`console password hash: ${parsed.error}`);
      return parsed;
    })());

  const secureFor = (req: Request) =>
    d.publicUrl.startsWith('https:') || new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';

  const view = (s: { name: string | null; expiresAt: number; csrfToken: string }): SessionView => ({
    operator: { name: s.name },
    expiresAt: new Date(s.expiresAt).toISOString(),
    csrfToken: s.csrfToken,
  });

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(body === null ? null : JSON.stringify(body), {
      status,
      headers: { ...(body === null ? {} : { 'content-type': 'application/json; charset=utf-8' }), 'cache-control': 'no-store', ...headers },
    });

  async function session(req: Request, opts: { mutating: boolean }): Promise<ConsoleSession | undefined> {
    const value = readSessionCookie(req);
    if (value === undefined) return undefined;
    const opened = openCookie(keys, value, d.clock.now());
    if (!opened) throw unauthorized('Your console session is not valid or has expired: sign in again.');
    const idHash = sessionIdHash(opened.id);
    const row = await d.ledger.sessions.active(idHash);
    if (!row) throw unauthorized('Your console session has ended (signed out or expired): sign in again.');
    if (opts.mutating && !csrfValid(keys, opened.id, req.headers.get(CSRF_HEADER))) {
      throw forbidden(`Missing or wrong ${CSRF_HEADER} header: send the csrfToken from GET /api/console/session with every change.`);
    }
    return {
      actor: { type: 'console', name: row.name, session: idHash.slice(0, 16) },
      idHash,
      csrfToken: csrfToken(keys, opened.id),
      expiresAt: Math.min(row.expires_at, opened.expiresAtMs),
      name: row.name,
    };
  }

  return {
    session,

    async signIn(req, requestId) {
      // JSON only: a cross-site HTML form cannot send it without a CORS preflight we never grant.
      if (!/^application\/json\b/i.test(req.headers.get('content-type') ?? '')) {
        throw new PayQrError(415, 'invalid_request', 'Content-Type: expected application/json');
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.from(await readBody(req, 4096)).toString('utf8')) as unknown;
      } catch (err) {
        if (err instanceof PayQrError) throw err;
        throw invalidRequest('body: not valid JSON');
      }
      const parsed = signInSchema.safeParse(body);
      if (!parsed.success) throw invalidRequest(describeZodIssues(parsed.error.issues));
      const who = clientKey(req);
      const permit = limiter.begin(who);
      if (!permit.ok) {
        const seconds = Math.ceil(permit.retryAfterMs / 1000);
        log.warn('sign-in refused: too many attempts', { client: who, retryAfterSeconds: seconds });
        throw tooManyRequests(`Too many sign-in attempts: try again in ${seconds} s.`, seconds);
      }
      try {
        const ok = await verifyPassword(parsed.data.password, await storedHash());
        const holdMs = permit.finish(ok);
        if (!ok) {
          log.warn('sign-in refused: wrong password', { client: who, heldMs: holdMs });
          // Slowed down: the answer waits; the client's next try cannot start before it comes.
          await d.clock.sleep(holdMs);
          throw unauthorized('Wrong password.');
        }
      } finally {
        permit.release();
      }
      const id = newSessionId(d.random);
      const idHash = sessionIdHash(id);
      const expiresAt = d.clock.now() + ttlMs;
      const name = parsed.data.name ?? null;
      await d.ledger.sessions.create({ idHash, name, expiresAt, ip: who, userAgent: req.headers.get('user-agent') });
      await d.ledger.audit.append({
        actor: { type: 'console', name, session: idHash.slice(0, 16) },
        action: 'console.sign_in',
        targetType: 'console',
        targetId: idHash.slice(0, 16),
        after: { expiresAt: new Date(expiresAt).toISOString() },
        requestId,
      });
      log.info('signed in', { session: idHash.slice(0, 16), name });
      return json(200, view({ name, expiresAt, csrfToken: csrfToken(keys, id) }), {
        'set-cookie': setCookie(sealCookie(keys, id, expiresAt), { secure: secureFor(req), maxAgeSeconds: ttlMs / 1000 }),
      });
    },

    async signOut(req, requestId) {
      const s = await session(req, { mutating: true });
      if (!s) throw unauthorized('Not signed in.');
      if (await d.ledger.sessions.revoke(s.idHash)) {
        await d.ledger.audit.append({ actor: s.actor, action: 'console.sign_out', targetType: 'console', targetId: s.idHash.slice(0, 16), requestId });
      }
      return json(204, null, { 'set-cookie': clearCookie({ secure: secureFor(req) }) });
    },

    async whoAmI(req) {
      const s = await session(req, { mutating: false });
      if (!s) throw unauthorized('Not signed in.');
      return json(200, view(s));
    },
  };
}
