/**
 * Keeps the host's view of the order in step with the server, which alone decides whether
 * an order is paid. It polls by the one policy both elements share (poller.ts: one request at
 * a time, back-off with jitter on network trouble, a 4xx stops it, paused while the page is
 * hidden, stale runs dropped) and adds what is particular to an order:
 *
 * - Each request is a long-poll (`?wait=25`) that the server holds until the status changes;
 *   requests are spaced by at least `minIntervalMs` (2 s).
 * - It stops at a final status, and after one last check once the order's deadline (server
 *   time, plus a grace for the server to settle a last-second payment) has passed. The
 *   long-poll never outlives that deadline, so the last check happens right on time; if the
 *   last check cannot reach the server, the order counts as expired.
 */
import type { ReactiveControllerHost } from 'lit';
import { PayQrApiError } from '../api/errors.js';
import type { Order } from '../api/types.js';
import { poller, type PageActivity, type Poller } from './poller.js';
import type { Timers } from './timers.js';

export interface StatusControllerOptions {
  /** one status request; `waitSeconds` 0 answers at once */
  fetchOrder(waitSeconds: number, signal: AbortSignal): Promise<Order>;
  /** server time, epoch ms (skew-corrected) */
  serverNow(): number;
  waitSeconds?: number;
  minIntervalMs?: number;
  expiryGraceMs?: number;
  /** delay before retry number `failures` (1-based) */
  backoff?: (failures: number) => number;
  timers?: Timers;
  page?: PageActivity;
}

/** The order's poll (`start()` forgets the order and watches it from scratch). */
export interface StatusController extends Poller {
  /** the server's latest word on the order */
  order: Order | undefined;
  /** the deadline passed and the server's last answer still said `open` */
  expired: boolean;
}

/** one status request's outcome: the order, or none when the last check past the deadline failed */
interface Check {
  order: Order | undefined;
  final: boolean;
}

export function statusController(host: ReactiveControllerHost, options: StatusControllerOptions): StatusController {
  const { fetchOrder, serverNow, waitSeconds = 25, minIntervalMs = 2000, expiryGraceMs = 3000, ...policy } = options;
  const status = poller<Check>(host, {
    ...policy,
    minIntervalMs,
    onStart: () => {
      status.order = undefined;
      status.expired = false;
    },
    request: async (signal) => {
      const order = status.order;
      const startedAt = serverNow();
      const deadline = order ? Date.parse(order.expiresAt) + expiryGraceMs : Infinity;
      const final = startedAt >= deadline;
      // before the deadline (not final) at least 1 s is left
      const wait = order && !final ? Math.min(waitSeconds, Math.ceil((deadline - startedAt) / 1000)) : 0;
      try {
        return { order: await fetchOrder(wait, signal), final };
      } catch (error) {
        // Past the deadline the order cannot be paid any more: stop trying and say so.
        if (final && error instanceof PayQrApiError && error.retryable) return { order: undefined, final };
        throw error;
      }
    },
    answered: ({ order = status.order!, final }) => {
      status.order = order;
      status.expired = final && order.status === 'open';
      return order.status === 'open' && !final;
    },
  }) as StatusController;
  return status;
}
