/**
 * Time is injected: production code never calls Date.now() directly, so tests can drive
 * expiry, query schedules and notification retries with a fake clock.
 */
export interface Clock {
  /** epoch milliseconds */
  now(): number;
  /** resolves after `ms` of this clock's time */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A manually advanced clock for tests. `advance` runs due sleepers in time order. */
export class FakeClock implements Clock {
  private current: number;
  private sleepers: Array<{ at: number; resolve: () => void }> = [];
  constructor(start = Date.UTC(2026, 10, 22, 2, 0, 0)) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const entry = { at: this.current + Math.max(0, ms), resolve };
      this.sleepers.push(entry);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== entry);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }
  /** Move time forward, waking sleepers (and letting their continuations run) in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > target) break;
      this.sleepers.shift();
      this.current = Math.max(this.current, next.at);
      next.resolve();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }
  set(ms: number): void {
    this.current = ms;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

function beijingParts(ms: number) {
  const d = new Date(ms + BEIJING_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    y: p(d.getUTCFullYear(), 4),
    M: p(d.getUTCMonth() + 1),
    d: p(d.getUTCDate()),
    H: p(d.getUTCHours()),
    m: p(d.getUTCMinutes()),
    s: p(d.getUTCSeconds()),
  };
}

/** Provider timestamps are Beijing time (GMT+8) whatever the server's zone: yyyyMMddHHmmss. */
export function beijingCompact(ms: number): string {
  const t = beijingParts(ms);
  return `${t.y}${t.M}${t.d}${t.H}${t.m}${t.s}`;
}

/** yyyyMMdd in Beijing time. */
export function beijingDate(ms: number): string {
  return beijingCompact(ms).slice(0, 8);
}

/** HHmmss in Beijing time. */
export function beijingTime(ms: number): string {
  return beijingCompact(ms).slice(8);
}

/** ISO 8601 with an explicit +08:00 offset, e.g. 2018-07-25T17:53:52+08:00. */
export function beijingIso(ms: number): string {
  const t = beijingParts(ms);
  return `${t.y}-${t.M}-${t.d}T${t.H}:${t.m}:${t.s}+08:00`;
}

/** Parse yyyyMMddHHmmss (Beijing) → epoch ms; throws on anything else. */
export function parseBeijingCompact(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) throw new Error(`not a yyyyMMddHHmmss time: ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
}
