/**
 * Sign-in attempts, limited with back-off.
 *
 * Per client (the nearest proxy's view of the address, see `clientKey`):
 *  - every wrong password is answered only after a delay that doubles with each failure in
 *    the last 15 minutes: 1 s, 2 s, 4 s … capped at 30 s — a person who mistypes waits a
 *    second, a guesser gets ≈ 120 tries an hour at best;
 *  - one check at a time: a second attempt while one is being checked or held is refused at
 *    once (429 with Retry-After), without looking at the password;
 *  - a right password clears the client's count.
 * Over every client together: after 20 failures within 15 minutes, the same back-off applies
 * to all sign-ins (so rotating addresses gains nothing). A flood of wrong passwords can then
 * hold the real operator back by up to 30 s per try; the API key keeps working meanwhile.
 *
 * The state is per instance, in memory (bounded to 10,000 clients). With several instances
 * each keeps its own, so the figures multiply by their number.
 */
import type { Clock } from '../core/clock';

export interface LimiterOptions {
  clock: Clock;
  baseDelayMs?: number;
  maxDelayMs?: number;
  windowMs?: number;
  /** failures over all clients within the window before everyone is slowed down */
  globalFreeFailures?: number;
  maxClients?: number;
}

interface State {
  failures: number;
  lastFailureAt: number;
  busy: boolean;
}

export type Permit =
  | {
      ok: true;
      /** Report the outcome; a failure returns how long to hold the answer (ms). */
      finish(success: boolean): number;
      /** Call once the (held) answer has gone: the next attempt may start. */
      release(): void;
    }
  | { ok: false; retryAfterMs: number };

export interface SignInLimiter {
  begin(clientKey: string): Permit;
}

export function createSignInLimiter(opts: LimiterOptions): SignInLimiter {
  const base = opts.baseDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 30_000;
  const windowMs = opts.windowMs ?? 15 * 60_000;
  const globalFree = opts.globalFreeFailures ?? 20;
  const maxClients = opts.maxClients ?? 10_000;
  const clients = new Map<string, State>();
  const global: State = { failures: 0, lastFailureAt: 0, busy: false };

  const delay = (failures: number) => (failures <= 0 ? 0 : Math.min(max, base * 2 ** Math.min(failures - 1, 30)));
  const fresh = (s: State, now: number) => {
    if (s.failures > 0 && now - s.lastFailureAt > windowMs) s.failures = 0;
    return s;
  };
  const waitOf = (s: State, now: number, free = 0) => Math.max(0, s.lastFailureAt + delay(s.failures - free) - now);

  return {
    begin(key) {
      const now = opts.clock.now();
      let s = clients.get(key);
      if (!s) {
        if (clients.size >= maxClients) {
          // forget the client whose last failure is oldest
          let oldest: string | undefined;
          let at = Infinity;
          for (const [k, v] of clients) if (!v.busy && v.lastFailureAt < at) [oldest, at] = [k, v.lastFailureAt];
          if (oldest !== undefined) clients.delete(oldest);
        }
        s = { failures: 0, lastFailureAt: 0, busy: false };
        clients.set(key, s);
      }
      fresh(s, now);
      fresh(global, now);
      if (s.busy) return { ok: false, retryAfterMs: Math.max(1000, delay(s.failures)) };
      const wait = Math.max(waitOf(s, now), global.failures > globalFree ? waitOf(global, now, globalFree) : 0);
      if (wait > 0) return { ok: false, retryAfterMs: wait };
      s.busy = true;
      const state = s;
      let finished = false;
      return {
        ok: true,
        finish(success) {
          if (finished) return 0;
          finished = true;
          const at = opts.clock.now();
          if (success) {
            state.failures = 0;
            return 0;
          }
          state.failures++;
          state.lastFailureAt = at;
          global.failures++;
          global.lastFailureAt = at;
          return delay(state.failures);
        },
        release() {
          state.busy = false;
          if (state.failures === 0) clients.delete(key);
        },
      };
    },
  };
}

/**
 * Who is signing in, as far as we can tell without trusting the client: the last address in
 * X-Forwarded-For (added by the proxy nearest to us — Next.js's own server, or yours), not the
 * first (which the client can write). Behind a proxy that does not add it, everyone shares one
 * key, which is stricter, never looser.
 */
export function clientKey(req: Request): string {
  const forwarded = req.headers.get('x-forwarded-for');
  const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).pop();
  return last ?? 'direct';
}
