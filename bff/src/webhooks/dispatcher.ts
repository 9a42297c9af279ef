/**
 * The shop-webhook dispatcher: a worker over the durable outbox (`events`), which the ledger
 * writes in the same transaction as the order change each event describes.
 *
 * Delivery guarantees
 *  - Claiming: an event is taken with a conditional update that sets a lease
 *    (`… WHERE delivery_status = 'pending' AND next_attempt_at <= now AND (lease_until IS NULL
 *    OR lease_until <= now)`), so any number of workers and instances can run at once and no
 *    event is ever being delivered by two of them concurrently.
 *  - Crash safety: a worker that dies after claiming leaves the lease to expire; the event is
 *    then claimed again by whoever runs next. A worker that dies after the receiver answered
 *    but before recording it causes a second delivery of the same event: delivery is
 *    at-least-once, and receivers dedupe on the event id (`payqr-event-id` header = body `id`).
 *  - The lease is also a fencing token: a try only records its outcome while its own lease is
 *    still the event's lease, so a worker stalled past its lease cannot overwrite a newer try.
 *  - Order: an event is not delivered while an earlier event of the same order is still
 *    pending, so a shop sees order.paid before, say, order.duplicate_payment.
 *  - Back-off: 10 s, 30 s, 1 min, 5 min, 15 min, 1 h, 3 h, then every 6 h (each 80–100 % of
 *    that, random jitter so a recovering shop is not hit by every retry at once) until 3 days
 *    after the event was created; then `failed`. Every try is logged in `webhook_deliveries`.
 */
import type { Clock } from '../core/clock';
import { conflict, notFound } from '../core/errors';
import type { Logger } from '../core/log';
import type { Random } from '../core/random';
import type { Ledger } from '../ledger/ledger';
import type { EventRow, EventType } from '../ledger/schema';
import { SIGNATURE_HEADER, signatureHeader } from './signature';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Nominal wait before try n+1 after n failed tries; the last entry repeats (the cap). */
export const RETRY_SCHEDULE_MS: readonly number[] = [10 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR];
export const MAX_RETRY_DELAY_MS = 6 * HOUR;
/** An event is retried until this long after its creation, then marked failed. */
export const DELIVERY_WINDOW_MS = 3 * 24 * HOUR;
export const DEFAULT_TIMEOUT_MS = 10 * SECOND;
export const DEFAULT_LEASE_MS = 60 * SECOND;
export const USER_AGENT = 'PayQR-Webhooks/1';
export const EVENT_ID_HEADER = 'payqr-event-id';

const EXCERPT_CHARS = 1000;
const ERROR_CHARS = 1000;

/** What the shop receives, serialised once per try (identical bytes on every try). */
export interface WebhookEvent {
  id: string;
  type: EventType;
  /** unix seconds */
  created: number;
  /** the order as the shop sees it (ledger `eventData`) */
  data: unknown;
}

export function webhookBody(event: Pick<EventRow, 'id' | 'type' | 'created_at' | 'data'>): string {
  const body: WebhookEvent = {
    id: event.id,
    type: event.type,
    created: Math.floor(event.created_at / 1000),
    data: JSON.parse(event.data) as unknown,
  };
  return JSON.stringify(body);
}

/**
 * Wait before the next try after `failedTries` failures (≥ 1): the schedule's entry, capped at
 * 6 h, scaled by a random factor in [0.8, 1) — never longer than nominal, so never over the cap.
 */
export function retryDelayMs(failedTries: number, random: Random): number {
  const i = Math.min(Math.max(failedTries, 1), RETRY_SCHEDULE_MS.length) - 1;
  const nominal = Math.min(RETRY_SCHEDULE_MS[i] ?? MAX_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS);
  const [a = 0, b = 0] = random.bytes(2);
  const u = ((a << 8) | b) / 65536;
  return Math.round(nominal * (0.8 + 0.2 * u));
}

export interface DeliveryLogEntry {
  id: number;
  event_id: string;
  attempted_at: number;
  duration_ms: number;
  url: string;
  http_status: number | null;
  error: string | null;
  response_excerpt: string | null;
}

export interface RunStats {
  delivered: number;
  failed: number;
  retried: number;
}

export interface RedeliverResult {
  eventId: string;
  delivered: boolean;
  httpStatus: number | null;
  error: string | null;
  /** the event's delivery status afterwards */
  status: EventRow['delivery_status'];
}

export interface WebhookDispatcherOptions {
  ledger: Ledger;
  clock: Clock;
  random: Random;
  fetch: typeof fetch;
  log: Logger;
  /** PAYQR_WEBHOOK_SECRET; during a rotation [new, old]: one `v1=` per secret */
  secret: string | readonly string[];
  /** events claimed per run (delivered concurrently); default 20 */
  batchSize?: number;
  /** per-try timeout (connect + answer + reading the excerpt); default 10 s */
  timeoutMs?: number;
  /** how long a claim lasts; must exceed the timeout comfortably; default 60 s */
  leaseMs?: number;
  /** retry window from the event's creation; default 3 days */
  deliveryWindowMs?: number;
  /** PAYQR_WEBHOOK_URL: where `redeliver` sends an event that had no target when created */
  defaultWebhookUrl?: string | undefined;
  /**
   * Test seams for crash tests. A hook that throws abandons the try right there — the event
   * stays leased and nothing is recorded, exactly as if the process had died at that point.
   */
  hooks?: {
    afterClaim?(event: EventRow): void | Promise<void>;
    afterPost?(event: EventRow, httpStatus: number | null): void | Promise<void>;
  };
}

export interface WebhookDispatcher {
  /** Claim due events and try each once. */
  runOnce(): Promise<RunStats>;
  /** Run every `intervalMs` (at once again while full batches keep coming); one run at a time. */
  start(intervalMs?: number): void;
  /** Stop the loop and wait for the run in progress. */
  stop(): Promise<void>;
  /**
   * Operator re-send: one try now, whatever the event's status (except while another worker
   * holds it). Success marks it delivered; a failure of a pending event follows the normal
   * back-off; a failure of a delivered or failed event leaves its status as it was.
   */
  redeliver(eventId: string): Promise<RedeliverResult>;
  listDeliveries(eventId: string): Promise<DeliveryLogEntry[]>;
  getEvent(eventId: string): Promise<EventRow | undefined>;
}

type Outcome = 'delivered' | 'retried' | 'failed' | 'lease_lost';

export function createWebhookDispatcher(opts: WebhookDispatcherOptions): WebhookDispatcher {
  const { ledger, clock, random, log } = opts;
  const db = ledger.db;
  const secrets = typeof opts.secret === 'string' ? [opts.secret] : [...opts.secret];
  if (secrets.length === 0 || secrets.some((s) => !s)) throw new Error('webhook dispatcher: a non-empty webhook secret is required');
  const batchSize = opts.batchSize ?? 20;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const windowMs = opts.deliveryWindowMs ?? DELIVERY_WINDOW_MS;
  if (leaseMs <= timeoutMs) throw new Error(`webhook dispatcher: leaseMs (${leaseMs}) must exceed timeoutMs (${timeoutMs})`);

  /** Due, unleased, pending events with no earlier pending event of the same order. */
  function dueEvents(now: number): Promise<EventRow[]> {
    return db
      .selectFrom('events as e')
      .selectAll('e')
      .where('e.delivery_status', '=', 'pending')
      .where('e.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('e.lease_until', 'is', null), eb('e.lease_until', '<=', now)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('events as p')
              .select('p.id')
              .whereRef('p.order_id', '=', 'e.order_id')
              .where('p.delivery_status', '=', 'pending')
              .where((pb) =>
                pb.or([
                  pb('p.created_at', '<', pb.ref('e.created_at')),
                  pb.and([pb('p.created_at', '=', pb.ref('e.created_at')), pb('p.id', '<', pb.ref('e.id'))]),
                ]),
              ),
          ),
        ),
      )
      .orderBy('e.next_attempt_at', 'asc')
      .orderBy('e.created_at', 'asc')
      .orderBy('e.id', 'asc')
      .limit(batchSize)
      .execute();
  }

  /** The conditional update: exactly one worker wins a due event. */
  async function claim(eventId: string): Promise<EventRow | undefined> {
    const now = clock.now();
    return db
      .updateTable('events')
      .set({ lease_until: now + leaseMs })
      .where('id', '=', eventId)
      .where('delivery_status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .returningAll()
      .executeTakeFirst();
  }

  async function post(event: EventRow, url: string) {
    const body = webhookBody(event);
    const t = Math.floor(clock.now() / 1000);
    const started = clock.now();
    let httpStatus: number | null = null;
    let excerpt: string | null = null;
    let error: string | null = null;
    // The signal aborts a real fetch; the race also bounds an injected fetch that ignores it,
    // so a try can never outlive its lease by hanging.
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const e = new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError');
        controller.abort(e);
        reject(e);
      }, timeoutMs);
    });
    deadline.catch(() => undefined);
    try {
      const res = await Promise.race([
        opts.fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signatureHeader(secrets, body, t),
            'user-agent': USER_AGENT,
            [EVENT_ID_HEADER]: event.id,
          },
          body,
          // a redirect is not an answer: the shop should configure the final URL
          redirect: 'manual',
          signal: controller.signal,
        }),
        deadline,
      ]);
      httpStatus = res.status;
      // the status is the answer; an excerpt that cannot be read in time is just left out
      excerpt = await Promise.race([readExcerpt(res), deadline.catch(() => null)]);
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (err) {
      error = describeFetchError(err, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
    return { httpStatus, excerpt, error, startedAt: started, durationMs: Math.max(0, clock.now() - started) };
  }

  /** One try of a claimed event, recorded (log row + event update) in one transaction. */
  async function attempt(event: EventRow, url: string, mode: 'scheduled' | 'manual'): Promise<{ outcome: Outcome; result: Awaited<ReturnType<typeof post>>; status: EventRow['delivery_status'] }> {
    const lease = event.lease_until;
    await opts.hooks?.afterClaim?.(event);
    const result = await post(event, url);
    await opts.hooks?.afterPost?.(event, result.httpStatus);

    const now = clock.now();
    const ok = result.error === null;
    let status: EventRow['delivery_status'] = event.delivery_status;
    let outcome: Outcome;
    let patch: Partial<Pick<EventRow, 'delivery_status' | 'delivered_at' | 'next_attempt_at' | 'last_error' | 'target_url'>>;
    if (ok) {
      status = 'delivered';
      outcome = 'delivered';
      patch = { delivery_status: 'delivered', delivered_at: now, next_attempt_at: null, last_error: null, target_url: url };
    } else if (event.delivery_status === 'pending') {
      const deadline = event.created_at + windowMs;
      if (now >= deadline) {
        status = 'failed';
        outcome = 'failed';
        patch = { delivery_status: 'failed', next_attempt_at: null, last_error: clip(result.error, ERROR_CHARS) };
      } else {
        outcome = 'retried';
        const next = Math.min(now + retryDelayMs(event.delivery_attempts + 1, random), deadline);
        patch = { next_attempt_at: next, last_error: clip(result.error, ERROR_CHARS) };
      }
    } else {
      // a manual re-send of a delivered / failed / no_target event that did not go through
      outcome = event.delivery_status === 'delivered' ? 'retried' : 'failed';
      patch = event.delivery_status === 'delivered' ? {} : { last_error: clip(result.error, ERROR_CHARS) };
    }

    const applied = await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_deliveries')
        .values({
          event_id: event.id,
          attempted_at: result.startedAt,
          duration_ms: result.durationMs,
          url,
          http_status: result.httpStatus,
          error: clip(result.error, ERROR_CHARS),
          response_excerpt: result.excerpt,
        })
        .execute();
      let q = trx
        .updateTable('events')
        .set((eb) => ({ ...patch, lease_until: null, delivery_attempts: eb('delivery_attempts', '+', 1) }))
        .where('id', '=', event.id);
      q = lease === null ? q.where('lease_until', 'is', null) : q.where('lease_until', '=', lease);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    });

    const ctx = { event: event.id, order: event.order_id, type: event.type, target: safeTarget(url), httpStatus: result.httpStatus, mode };
    if (!applied) {
      log.warn('try outlived its lease; its outcome is logged but the event was left to the newer claim', ctx);
      return { outcome: 'lease_lost', result, status };
    }
    if (outcome === 'delivered') log.info('delivered', { ...ctx, tries: event.delivery_attempts + 1 });
    else if (outcome === 'failed' && mode === 'scheduled') log.error('gave up: no 2xx answer within the delivery window', { ...ctx, error: result.error, tries: event.delivery_attempts + 1 });
    else log.warn('not delivered', { ...ctx, error: result.error, nextAttemptAt: patch.next_attempt_at ?? null });
    return { outcome, result, status };
  }

  async function runOnce(): Promise<RunStats> {
    const stats: RunStats = { delivered: 0, failed: 0, retried: 0 };
    const due = await dueEvents(clock.now());
    await Promise.all(
      due.map(async (candidate) => {
        try {
          const event = await claim(candidate.id);
          if (!event) return; // another worker won it
          if (!event.target_url) return; // cannot happen: pending events always have a target
          const { outcome } = await attempt(event, event.target_url, 'scheduled');
          if (outcome !== 'lease_lost') stats[outcome]++;
        } catch (err) {
          // the lease runs out and the event is tried again later
          log.error('delivery step failed', { event: candidate.id, error: String(err) });
        }
      }),
    );
    return stats;
  }

  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  return {
    runOnce,

    start(intervalMs = 1000) {
      if (!stopped) return;
      stopped = false;
      const tick = () => {
        if (stopped) return;
        let more = false;
        running = runOnce()
          .then((s) => {
            more = s.delivered + s.failed + s.retried >= batchSize;
          })
          .catch((err: unknown) => log.error('webhook run failed', { error: String(err) }))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, more ? 0 : intervalMs);
          });
      };
      timer = setTimeout(tick, 0);
    },

    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },

    async redeliver(eventId) {
      const now = clock.now();
      const event = await db
        .updateTable('events')
        .set({ lease_until: now + leaseMs })
        .where('id', '=', eventId)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .returningAll()
        .executeTakeFirst();
      if (!event) {
        const exists = await db.selectFrom('events').select('id').where('id', '=', eventId).executeTakeFirst();
        if (!exists) throw notFound('event');
        throw conflict(`Event ${eventId} is being delivered by a worker right now; try again in a minute.`);
      }
      const url = event.target_url ?? opts.defaultWebhookUrl;
      if (!url) {
        await db.updateTable('events').set({ lease_until: null }).where('id', '=', eventId).where('lease_until', '=', now + leaseMs).execute();
        throw conflict(`Event ${eventId} has no target: its order had no notifyUrl and PAYQR_WEBHOOK_URL was not set.`);
      }
      const { outcome, result, status } = await attempt(event, url, 'manual');
      return { eventId, delivered: outcome === 'delivered', httpStatus: result.httpStatus, error: result.error, status };
    },

    listDeliveries: (eventId) => listDeliveries(ledger, eventId),
    getEvent: (eventId) => db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst(),
  };
}

/** Every try of an event, oldest first. */
export async function listDeliveries(ledger: Ledger, eventId: string): Promise<DeliveryLogEntry[]> {
  const rows = await ledger.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('attempted_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

async function readExcerpt(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_CHARS * 4) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    /* a partial excerpt is fine (timeout while reading, reset) */
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? clip(text, EXCERPT_CHARS) : null;
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const base = err instanceof Error ? err.message : String(err);
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (!cause) return base;
  const message = typeof cause.message === 'string' ? cause.message : '';
  const code = typeof cause.code === 'string' && !message.includes(cause.code) ? ` (${cause.code})` : '';
  // e.g. "fetch failed: connect ECONNREFUSED 127.0.0.1:8080", "fetch failed: other side closed (UND_ERR_SOCKET)"
  return `${base}: ${message || 'unknown cause'}${code}`;
}

function clip(text: string, max: number): string;
function clip(text: string | null, max: number): string | null;
function clip(text: string | null, max: number): string | null {
  if (text === null) return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Logs show where a webhook went, not query strings (shops put tokens there). */
function safeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
