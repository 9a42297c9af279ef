import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PayQrError } from '../core/errors';
import { createLogger, memoryLogger, type Logger } from '../core/log';
import type { Random } from '../core/random';
import { seededRandom } from '../core/random';
import { DIALECTS, openTestLedger, type TestLedger } from '../ledger/testing';
import {
  createWebhookDispatcher,
  DEFAULT_LEASE_MS,
  DELIVERY_WINDOW_MS,
  MAX_RETRY_DELAY_MS,
  retryDelayMs,
  RETRY_SCHEDULE_MS,
  type WebhookDispatcherOptions,
} from './dispatcher';
import { verifyWebhook } from './signature';
import { constantRandom, openOrder, paidOrder, startReceiver, type Receiver } from './testing';

const SECRET = 'whsec_dispatcher_test_0123456789';
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

describe('retryDelayMs', () => {
  it('follows 10 s, 30 s, 1 min, 5 min, 15 min, 1 h, 3 h, 6 h, then stays at the 6 h cap', () => {
    const top = constantRandom(0xff); // factor just under 1
    const low = constantRandom(0); // factor 0.8
    const nominal = [10 * S, 30 * S, MIN, 5 * MIN, 15 * MIN, H, 3 * H, 6 * H, 6 * H, 6 * H, 6 * H];
    nominal.forEach((d, i) => {
      expect(retryDelayMs(i + 1, low)).toBe(d * 0.8);
      expect(retryDelayMs(i + 1, top)).toBeLessThanOrEqual(d);
      expect(retryDelayMs(i + 1, top)).toBeGreaterThan(d * 0.999);
    });
    expect(RETRY_SCHEDULE_MS.at(-1)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('jitters within [80 %, 100 %] of nominal and never over 6 h', () => {
    const r = seededRandom(7);
    const seen = new Set<number>();
    for (let tries = 1; tries < 40; tries++) {
      const nominal = Math.min(RETRY_SCHEDULE_MS[Math.min(tries, RETRY_SCHEDULE_MS.length) - 1]!, MAX_RETRY_DELAY_MS);
      for (let k = 0; k < 20; k++) {
        const d = retryDelayMs(tries, r);
        seen.add(d);
        expect(d).toBeGreaterThanOrEqual(nominal * 0.8);
        expect(d).toBeLessThanOrEqual(nominal);
        expect(d).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
      }
    }
    expect(seen.size).toBeGreaterThan(100);
  });
});

describe.each(DIALECTS)('webhook dispatcher on %s', (dialect) => {
  let t: TestLedger;
  let rx: Receiver;
  // crash tests log errors on purpose: keep them out of the test output
  const quiet: Logger = createLogger({ level: 'error', sink: () => undefined });

  beforeEach(async () => {
    t = await openTestLedger(dialect);
    rx = await startReceiver();
  });
  afterEach(async () => {
    await rx.close();
    await t.cleanup();
  });

  function dispatcher(over: Partial<WebhookDispatcherOptions> = {}) {
    return createWebhookDispatcher({
      ledger: t.ledger,
      clock: t.clock,
      random: constantRandom(0),
      fetch: globalThis.fetch,
      log: quiet,
      secret: SECRET,
      ...over,
    });
  }

  /** Drive the dispatcher through fake time until nothing is pending; returns the run count. */
  async function untilSettled(d: ReturnType<typeof dispatcher>, eventId: string, maxRuns = 100): Promise<number> {
    for (let runs = 1; runs <= maxRuns; runs++) {
      await d.runOnce();
      const e = await d.getEvent(eventId);
      if (e?.delivery_status !== 'pending') return runs;
      t.clock.set(Math.max(t.clock.now(), e.next_attempt_at ?? 0));
    }
    throw new Error('still pending');
  }

  it('posts the signed event body with the documented headers; a verifying receiver accepts it', async () => {
    rx.answer = (req) => {
      try {
        verifyWebhook({ rawBody: req.body, header: req.headers['payqr-signature'], secret: SECRET, now: t.clock.now() });
        return 200;
      } catch (e) {
        return { status: 400, body: (e as Error).message };
      }
    };
    const { order, event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 1, failed: 0, retried: 0 });

    expect(rx.received).toHaveLength(1);
    const req = rx.received[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/hooks/payqr?token=shop-url-token');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['user-agent']).toBe('PayQR-Webhooks/1');
    expect(req.headers['payqr-event-id']).toBe(event.id);
    expect(req.headers['payqr-signature']).toMatch(new RegExp(`^t=${Math.floor(t.clock.now() / 1000)},v1=[0-9a-f]{64}$`));
    const body = JSON.parse(req.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['id', 'type', 'created', 'data']);
    expect(body).toMatchObject({
      id: event.id,
      type: 'order.paid',
      created: Math.floor(event.created_at / 1000),
      data: { id: order.id, status: 'paid', amount: 1999, currency: 'CNY', metadata: { cart: expect.any(String) }, attempt: { providerTradeNo: 'TX1' } },
    });
    expect(req.body).toBe(JSON.stringify({ ...body }));

    const row = await t.ledger.db.selectFrom('events').selectAll().where('id', '=', event.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ delivery_status: 'delivered', delivery_attempts: 1, delivered_at: t.clock.now(), lease_until: null, last_error: null });
  });

  it('a receiver that rejects the signature (wrong secret) is retried, and the log says what it answered', async () => {
    rx.answer = (req) => {
      try {
        verifyWebhook({ rawBody: req.body, header: req.headers['payqr-signature'], secret: SECRET, now: t.clock.now() });
        return 200;
      } catch (e) {
        return { status: 400, body: (e as Error).message };
      }
    };
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    const d = dispatcher({ secret: 'whsec_some_other_secret_000000' });
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 1 });
    const [log] = await d.listDeliveries(event.id);
    expect(log).toMatchObject({ http_status: 400, error: 'HTTP 400', url: rx.url });
    expect(log?.response_excerpt).toMatch(/No v1 signature matches/);
    // a rotation header carrying the right secret too is accepted
    t.clock.set((await d.getEvent(event.id))!.next_attempt_at!);
    expect(await dispatcher({ secret: ['whsec_some_other_secret_000000', SECRET] }).runOnce()).toMatchObject({ delivered: 1 });
  });

  it('fails the first N tries then succeeds: delivered once, every try logged, back-off as designed', async () => {
    rx.answer = (_req, n) => (n <= 3 ? { status: 500, body: 'database is down' } : 204);
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    const d = dispatcher({ random: constantRandom(0) });
    const start = t.clock.now();

    const expectedGaps = [10 * S, 30 * S, MIN].map((g) => g * 0.8); // constant random → factor 0.8
    const times: number[] = [];
    for (const gap of expectedGaps) {
      times.push(t.clock.now());
      expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 1 });
      const e = (await d.getEvent(event.id))!;
      expect(e.next_attempt_at).toBe(t.clock.now() + gap);
      expect(e.last_error).toBe('HTTP 500');
      // not due a millisecond early
      t.clock.set(e.next_attempt_at! - 1);
      expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 0 });
      t.clock.set(e.next_attempt_at!);
    }
    times.push(t.clock.now());
    expect(await d.runOnce()).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 0 });

    expect(rx.received.map((r) => r.headers['payqr-event-id'])).toEqual([event.id, event.id, event.id, event.id]);
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1); // the same bytes every try
    const logs = await d.listDeliveries(event.id);
    expect(logs.map((l) => [l.attempted_at - start, l.http_status, l.error])).toEqual([
      [0, 500, 'HTTP 500'],
      [8 * S, 500, 'HTTP 500'],
      [32 * S, 500, 'HTTP 500'],
      [80 * S, 204, null],
    ]);
    expect(logs.map((l) => l.attempted_at)).toEqual(times);
    expect(logs[0]?.response_excerpt).toBe('database is down');
    const e = (await d.getEvent(event.id))!;
    expect(e).toMatchObject({ delivery_status: 'delivered', delivery_attempts: 4, delivered_at: start + 80 * S, next_attempt_at: null, last_error: null });
  });

  it('leaves no_target events untouched', async () => {
    const { event } = await paidOrder(t.ledger, t.clock.now(), null);
    expect(event.delivery_status).toBe('no_target');
    const d = dispatcher();
    t.clock.set(t.clock.now() + H);
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect(await d.getEvent(event.id)).toEqual(event);
    expect(await d.listDeliveries(event.id)).toEqual([]);
    expect(rx.received).toHaveLength(0);
  });

  it('gives up 3 days after the event was created: failed, with every try logged', async () => {
    rx.answer = () => 503;
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    const d = dispatcher({ random: seededRandom(42) });
    const runs = await untilSettled(d, event.id);
    const e = (await d.getEvent(event.id))!;
    expect(e).toMatchObject({ delivery_status: 'failed', next_attempt_at: null, lease_until: null, last_error: 'HTTP 503', delivered_at: null });
    const logs = await d.listDeliveries(event.id);
    expect(logs).toHaveLength(runs);
    expect(e.delivery_attempts).toBe(runs);
    expect(rx.received).toHaveLength(runs);
    const deadline = event.created_at + DELIVERY_WINDOW_MS;
    // the last try is at the deadline, none after it
    expect(logs.at(-1)!.attempted_at).toBe(deadline);
    const gaps = logs.slice(1).map((l, i) => l.attempted_at - logs[i]!.attempted_at);
    gaps.slice(0, 8).forEach((g, i) => {
      expect(g).toBeGreaterThanOrEqual(RETRY_SCHEDULE_MS[i]! * 0.8);
      expect(g).toBeLessThanOrEqual(RETRY_SCHEDULE_MS[i]!);
    });
    for (const g of gaps) expect(g).toBeLessThanOrEqual(6 * H);
    expect(runs).toBeGreaterThanOrEqual(17);
    expect(runs).toBeLessThanOrEqual(22);
    // nothing more happens afterwards
    t.clock.set(t.clock.now() + 24 * H);
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 0 });
  });

  it('two dispatchers racing over the same events deliver each exactly once', async () => {
    rx.answer = async () => {
      await new Promise((r) => setTimeout(r, 15));
      return 200;
    };
    const ids = new Set<string>();
    for (let i = 0; i < 12; i++) ids.add((await paidOrder(t.ledger, t.clock.now(), rx.url)).event.id);
    const a = dispatcher({ batchSize: 5 });
    const b = dispatcher({ batchSize: 5 });
    const c = dispatcher({ batchSize: 50 });
    const totals = { delivered: 0, failed: 0, retried: 0 };
    for (let round = 0; round < 4; round++) {
      const results = await Promise.all([a.runOnce(), b.runOnce(), c.runOnce(), a.runOnce()]);
      for (const r of results) for (const k of ['delivered', 'failed', 'retried'] as const) totals[k] += r[k];
    }
    expect(totals).toEqual({ delivered: 12, failed: 0, retried: 0 });
    const seen = rx.received.map((r) => r.headers['payqr-event-id'] as string);
    expect(seen).toHaveLength(12);
    expect(new Set(seen)).toEqual(ids);
    const logs = await t.ledger.db.selectFrom('webhook_deliveries').selectAll().execute();
    expect(logs).toHaveLength(12);
  });

  it('crash after the claim, before the POST: the lease expires and a new dispatcher delivers it once', async () => {
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    const crashing = dispatcher({
      hooks: {
        afterClaim() {
          throw new Error('process killed');
        },
      },
    });
    expect(await crashing.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 0 });
    const leased = (await crashing.getEvent(event.id))!;
    expect(leased.lease_until).toBe(t.clock.now() + DEFAULT_LEASE_MS);
    expect(leased.delivery_status).toBe('pending');

    const restarted = dispatcher();
    expect(await restarted.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 0 }); // still leased
    await t.clock.advance(DEFAULT_LEASE_MS);
    expect(await restarted.runOnce()).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(rx.received).toHaveLength(1);
    expect(await restarted.listDeliveries(event.id)).toHaveLength(1);
  });

  it('crash after the POST, before recording it: delivered again with the same event id (receivers dedupe)', async () => {
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    const crashing = dispatcher({
      hooks: {
        afterPost() {
          throw new Error('process killed');
        },
      },
    });
    await crashing.runOnce();
    expect(rx.received).toHaveLength(1);
    await t.clock.advance(DEFAULT_LEASE_MS);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 1, failed: 0, retried: 0 });
    // at-least-once: the shop saw it twice, with one event id and identical data to dedupe on
    expect(rx.received).toHaveLength(2);
    expect(new Set(rx.received.map((r) => r.headers['payqr-event-id']))).toEqual(new Set([event.id]));
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    expect((await t.ledger.db.selectFrom('events').select('delivery_status').where('id', '=', event.id).executeTakeFirst())?.delivery_status).toBe('delivered');
  });

  it('a try that outlives its lease does not overwrite the newer claim’s outcome (the lease fences it)', async () => {
    const log = memoryLogger();
    rx.answer = (_r, n) => (n === 1 ? 500 : 200);
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    const fresh = dispatcher();
    const stalled = dispatcher({
      log,
      hooks: {
        // the receiver answered 500, then this worker stalls past its lease while another delivers
        async afterPost() {
          await t.clock.advance(DEFAULT_LEASE_MS);
          expect(await fresh.runOnce()).toEqual({ delivered: 1, failed: 0, retried: 0 });
        },
      },
    });
    expect(await stalled.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 0 });
    const e = (await fresh.getEvent(event.id))!;
    expect(e).toMatchObject({ delivery_status: 'delivered', delivery_attempts: 1, last_error: null, lease_until: null });
    expect((await fresh.listDeliveries(event.id)).map((l) => l.http_status).sort()).toEqual([200, 500]);
    expect(log.lines.join('\n')).toMatch(/outlived its lease/);
  });

  it('crash between the order commit and delivery, and after the delivery commit: delivered exactly once', async () => {
    // the order was paid and committed, then the process died before any dispatcher ran
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    const first = dispatcher();
    expect(await first.runOnce()).toEqual({ delivered: 1, failed: 0, retried: 0 });
    // …that dispatcher dies right after committing the delivery; a new one starts much later
    await t.clock.advance(DEFAULT_LEASE_MS * 10);
    const second = dispatcher();
    expect(await second.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect(rx.received).toHaveLength(1);
    expect(await second.listDeliveries(event.id)).toHaveLength(1);
  });

  it('delivers an order’s events in order: a later event waits for an earlier pending one', async () => {
    const { order, attempts } = await openOrder(t.ledger, t.clock.now(), rx.url, 2);
    await t.ledger.attempts.settlePaid(attempts[0]!.id, {});
    await t.clock.advance(1);
    await t.ledger.attempts.settlePaid(attempts[1]!.id, {});
    const [paid, dup] = await t.ledger.events.list(order.id);
    expect([paid?.type, dup?.type]).toEqual(['order.paid', 'order.duplicate_payment']);
    rx.answer = (_r, n) => (n === 1 ? 500 : 200);
    const d = dispatcher();
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 1 });
    // the duplicate-payment event is due, but order.paid is still pending
    await t.clock.advance(5 * S);
    expect(await d.runOnce()).toEqual({ delivered: 0, failed: 0, retried: 0 });
    await t.clock.advance(5 * S);
    expect(await d.runOnce()).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(await d.runOnce()).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(rx.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['order.paid', 'order.paid', 'order.duplicate_payment']);
    // events of other orders are not held up
    const other = await paidOrder(t.ledger, t.clock.now(), rx.url);
    expect(await d.runOnce()).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(rx.received.at(-1)?.headers['payqr-event-id']).toBe(other.event.id);
  });

  it('records timeouts, refused connections and redirects as failed tries', async () => {
    rx.answer = (_r, n) => (n === 1 ? 'hang' : { status: 302, headers: { location: 'https://elsewhere.example/' } });
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    const d = dispatcher({ timeoutMs: 200 });
    expect(await d.runOnce()).toMatchObject({ retried: 1 });
    t.clock.set((await d.getEvent(event.id))!.next_attempt_at!);
    expect(await d.runOnce()).toMatchObject({ retried: 1 });
    expect((await d.listDeliveries(event.id)).map((l) => [l.http_status, l.error])).toEqual([
      [null, 'no answer within 200 ms'],
      [302, 'HTTP 302'],
    ]);
    expect(rx.received).toHaveLength(2); // the redirect was not followed

    // an injected fetch that ignores the abort signal is still bounded by the timeout
    const stuck = dispatcher({ timeoutMs: 100, fetch: () => new Promise<Response>(() => undefined) });
    const hung = (await paidOrder(t.ledger, t.clock.now(), rx.url)).event;
    expect(await stuck.runOnce()).toMatchObject({ retried: 1 });
    expect((await stuck.listDeliveries(hung.id)).map((l) => l.error)).toEqual(['no answer within 100 ms']);

    const gone = await startReceiver();
    await gone.close();
    const refused = (await paidOrder(t.ledger, t.clock.now(), gone.url)).event;
    expect(await d.runOnce()).toMatchObject({ retried: 1 });
    const [log] = await d.listDeliveries(refused.id);
    expect(log).toMatchObject({ http_status: null, error: expect.stringMatching(/^fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+$/) });
  });

  it('redeliver: re-sends a delivered event, revives a failed one, sends a no_target one to the default URL', async () => {
    const d = dispatcher({ defaultWebhookUrl: rx.url });
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    await d.runOnce();
    const again = await d.redeliver(event.id);
    expect(again).toEqual({ eventId: event.id, delivered: true, httpStatus: 200, error: null, status: 'delivered' });
    expect(rx.received).toHaveLength(2);
    expect(await d.listDeliveries(event.id)).toHaveLength(2);

    // a failed event: the shop fixed its endpoint, the operator re-sends it
    rx.answer = () => 500;
    const failed = (await paidOrder(t.ledger, t.clock.now(), rx.url)).event;
    await untilSettled(d, failed.id);
    expect((await d.getEvent(failed.id))?.delivery_status).toBe('failed');
    expect(await d.redeliver(failed.id)).toMatchObject({ delivered: false, httpStatus: 500, status: 'failed' });
    rx.answer = () => 200;
    expect(await d.redeliver(failed.id)).toMatchObject({ delivered: true, status: 'delivered' });
    expect((await d.getEvent(failed.id))?.last_error).toBeNull();

    const orphan = (await paidOrder(t.ledger, t.clock.now(), null)).event;
    expect(orphan.delivery_status).toBe('no_target');
    expect(await d.redeliver(orphan.id)).toMatchObject({ delivered: true, status: 'delivered' });
    expect((await d.getEvent(orphan.id))?.target_url).toBe(rx.url);
    await expect(dispatcher().redeliver((await paidOrder(t.ledger, t.clock.now(), null)).event.id)).rejects.toThrow(/no target/);
  });

  it('redeliver refuses unknown events and events another worker holds', async () => {
    const d = dispatcher();
    const missing = await d.redeliver('evt_nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PayQrError);
    expect((missing as PayQrError).status).toBe(404);
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    await dispatcher({ hooks: { afterClaim: () => Promise.reject(new Error('stalled')) } }).runOnce();
    await expect(d.redeliver(event.id)).rejects.toMatchObject({ status: 409 });
  });

  it('start/stop delivers in the background', async () => {
    const d = dispatcher();
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    d.start(20);
    for (let i = 0; i < 100 && rx.received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await d.stop();
    expect(rx.received).toHaveLength(1);
    expect((await d.getEvent(event.id))?.delivery_status).toBe('delivered');
  });

  it('never logs the secret, the signature or the URL’s query string', async () => {
    const log = memoryLogger();
    rx.answer = (_r, n) => (n === 1 ? 500 : 200);
    const { event } = await paidOrder(t.ledger, t.clock.now(), rx.url);
    const d = dispatcher({ log, random: constantRandom(0) as Random });
    await d.runOnce();
    await t.clock.advance(10 * S);
    await d.runOnce();
    expect((await d.getEvent(event.id))?.delivery_status).toBe('delivered');
    expect(log.lines.length).toBeGreaterThanOrEqual(2);
    const text = log.lines.join('\n');
    expect(text).toContain(event.id);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SECRET.slice(0, 12));
    expect(text).not.toContain('shop-url-token');
    for (const r of rx.received) {
      const v1 = /v1=([0-9a-f]{64})/.exec(String(r.headers['payqr-signature']))![1]!;
      expect(text).not.toContain(v1.slice(0, 16));
    }
  });
});
