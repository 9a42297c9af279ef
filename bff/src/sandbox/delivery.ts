/**
 * Notification delivery the way payment providers do it: POST the notification, and if the
 * merchant's answer is not the provider's exact ack (or does not come within the per-try
 * timeout), try again on the provider's schedule — e.g. chaoying (docs/providers/chaoying.md, 结果通知):
 * 0/15s/15s/15s/30s/3m/3m/30m/30m/30m/30m/1h, ack = the plain body `success` within 3 s.
 *
 * Waiting between tries uses the injected clock, scaled by the hub's `timeScale` (0.001 turns
 * 15 s into 15 ms), so tests can run a whole schedule quickly or drive it with a FakeClock. The
 * per-try HTTP timeout is wall-clock (it bounds a real socket) and scaled too, but never below
 * `minTryTimeoutMs` (1 s) so a loaded test machine does not turn slow answers into failures.
 */
import { fetchText } from '../core/http';
import type { Clock } from '../core/clock';
import type { ProviderId } from '../core/domain';
import type { Logger } from '../core/log';
import type { FaultRegistry, TamperMode } from './faults';

export interface DeliveryRequest {
  provider: ProviderId;
  /** for logs and `deliveries()` filtering */
  outTradeNo?: string;
  url: string;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
  /**
   * Delays in provider time (ms) before each try, relative to the previous try; the first is
   * usually 0. The number of entries is the number of tries.
   */
  schedule: readonly number[];
  /** Did the merchant acknowledge? (status, response text) */
  isAck(status: number, text: string): boolean;
  /** Per-try timeout in provider time (ms); default 3000. */
  tryTimeoutMs?: number;
  /**
   * Produce a tampered body for the `tamperNotifications` fault (see `TamperMode`); return
   * `undefined` when a mode makes no sense for this provider (the genuine body is sent and
   * the attempt says so).
   */
  tamper?(body: string, mode: TamperMode): string | undefined;
}

export interface DeliveryAttempt {
  /** clock ms when the try started */
  at: number;
  /** copies sent concurrently (1 + duplicates); 0 when dropped */
  copies: number;
  dropped: boolean;
  tampered?: TamperMode;
  /** status/text of the first copy that answered */
  status?: number;
  responseText?: string;
  error?: string;
  acked: boolean;
}

export type DeliveryState = 'pending' | 'acked' | 'exhausted' | 'stopped';

export interface DeliveryRecord {
  id: string;
  provider: ProviderId;
  outTradeNo?: string;
  url: string;
  contentType: string;
  body: string;
  state: DeliveryState;
  acked: boolean;
  attempts: DeliveryAttempt[];
  createdAt: number;
}

export interface DeliveryHandle {
  id: string;
  /** resolves when acked, when the schedule is exhausted, or when the hub stops */
  done: Promise<DeliveryRecord>;
}

export interface DeliveryEngineDeps {
  clock: Clock;
  fetch: typeof fetch;
  log: Logger;
  faults: FaultRegistry;
  timeScale: number;
  minTryTimeoutMs?: number;
  newId(): string;
}

export interface DeliveryEngine {
  deliver(req: DeliveryRequest): DeliveryHandle;
  list(provider?: ProviderId): DeliveryRecord[];
  /** stop every pending delivery (no more tries) */
  stop(): void;
}

const MAX_RESPONSE_TEXT = 2000;
const MAX_RECORDS = 500;

export function createDeliveryEngine(deps: DeliveryEngineDeps): DeliveryEngine {
  const records: DeliveryRecord[] = [];
  const stopper = new AbortController();
  const log = deps.log.child('deliver');
  const minTry = deps.minTryTimeoutMs ?? 1000;

  const snapshot = (r: DeliveryRecord): DeliveryRecord => ({ ...r, attempts: r.attempts.map((a) => ({ ...a })) });

  async function sendOnce(req: DeliveryRequest, body: string, timeoutMs: number): Promise<{ status?: number; text?: string; error?: string }> {
    const r = await fetchText(
      deps.fetch,
      req.url,
      { method: 'POST', headers: { 'content-type': req.contentType, ...req.headers }, body },
      { timeoutMs, signal: stopper.signal, maxTextLength: MAX_RESPONSE_TEXT },
    );
    return r.ok ? { status: r.status, text: r.text } : { error: r.reason };
  }

  async function attempt(req: DeliveryRequest, rec: DeliveryRecord): Promise<boolean> {
    const at = deps.clock.now();
    if (deps.faults.take(req.provider, 'dropNotifications')) {
      rec.attempts.push({ at, copies: 0, dropped: true, acked: false });
      log.info('dropped by fault', { provider: req.provider, outTradeNo: req.outTradeNo, delivery: rec.id });
      return false;
    }
    let body = req.body;
    let tampered: TamperMode | undefined;
    if (deps.faults.take(req.provider, 'tamperNotifications')) {
      const mode = deps.faults.tamperMode(req.provider);
      const altered = req.tamper?.(req.body, mode);
      if (altered !== undefined) {
        body = altered;
        tampered = mode;
      } else {
        log.warn('tamper mode not supported by this simulator; sending the genuine body', { provider: req.provider, mode });
      }
    }
    const copies = 1 + deps.faults.duplicates(req.provider);
    const timeoutMs = Math.max(minTry, Math.round((req.tryTimeoutMs ?? 3000) * deps.timeScale));
    const results = await Promise.all(Array.from({ length: copies }, () => sendOnce(req, body, timeoutMs)));
    const answered = results.filter((r) => r.status !== undefined);
    const acked = answered.some((r) => req.isAck(r.status ?? 0, r.text ?? ''));
    const first = answered[0] ?? results[0];
    rec.attempts.push({
      at,
      copies,
      dropped: false,
      ...(tampered ? { tampered } : {}),
      ...(first?.status !== undefined ? { status: first.status, responseText: first.text ?? '' } : {}),
      ...(first?.error ? { error: first.error } : {}),
      acked,
    });
    log.info(acked ? 'acked' : 'not acked', {
      provider: req.provider,
      outTradeNo: req.outTradeNo,
      delivery: rec.id,
      try: rec.attempts.length,
      status: first?.status,
      error: first?.error,
    });
    return acked;
  }

  async function run(req: DeliveryRequest, rec: DeliveryRecord): Promise<DeliveryRecord> {
    try {
      for (const delay of req.schedule) {
        if (stopper.signal.aborted) break;
        const scaled = Math.round(delay * deps.timeScale);
        if (scaled > 0) await deps.clock.sleep(scaled, stopper.signal);
        if (stopper.signal.aborted) break;
        if (await attempt(req, rec)) {
          rec.state = 'acked';
          rec.acked = true;
          return snapshot(rec);
        }
      }
      rec.state = stopper.signal.aborted ? 'stopped' : 'exhausted';
    } catch (e) {
      rec.state = 'stopped';
      if (!stopper.signal.aborted) log.error('delivery loop failed', { delivery: rec.id, error: (e as Error).message });
    }
    return snapshot(rec);
  }

  return {
    deliver(req) {
      if (!req.schedule.length) throw new Error('a delivery schedule needs at least one try');
      const rec: DeliveryRecord = {
        id: deps.newId(),
        provider: req.provider,
        ...(req.outTradeNo !== undefined ? { outTradeNo: req.outTradeNo } : {}),
        url: req.url,
        contentType: req.contentType,
        body: req.body,
        state: 'pending',
        acked: false,
        attempts: [],
        createdAt: deps.clock.now(),
      };
      records.push(rec);
      if (records.length > MAX_RECORDS) records.splice(0, records.length - MAX_RECORDS);
      return { id: rec.id, done: run(req, rec) };
    },
    list: (provider) => records.filter((r) => !provider || r.provider === provider).map(snapshot),
    stop: () => stopper.abort(new Error('sandbox hub stopped')),
  };
}
