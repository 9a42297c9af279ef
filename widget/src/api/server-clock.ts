/**
 * The shopper's clock is often minutes off, and a countdown to the server's `expiresAt` must
 * not be. Each BFF answer carries a `Date` header; the offset between it and the local clock
 * at receipt corrects every deadline the widget shows.
 *
 * `Date` has whole-second resolution, so one sample is up to 1 s early: we add half a second
 * and only move the offset when a new sample disagrees by more than that resolution, which
 * keeps the countdown from twitching between answers.
 */
export interface ServerClock {
  /** the server's time now, epoch ms */
  now(): number;
  /** learn from a `Date` header received at local time `receivedAt` */
  observe(dateHeader: string | null, receivedAt: number): void;
}

export function createServerClock(localNow: () => number = () => Date.now()): ServerClock {
  let offset: number | undefined;
  return {
    now: () => localNow() + (offset ?? 0),
    observe(dateHeader, receivedAt) {
      const serverTime = dateHeader ? Date.parse(dateHeader) : NaN;
      if (Number.isNaN(serverTime)) return;
      const sample = serverTime + 500 - receivedAt;
      if (offset === undefined || Math.abs(sample - offset) > 1000) offset = sample;
    },
  };
}
