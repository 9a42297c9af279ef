/**
 * Keeps the host's view of the order in step with the server, which alone decides whether
 * an order is paid.
 *
 * - One request at a time: the next starts only after the previous answered, as a long-poll
 *   (`?wait=25`) that the server holds until the status changes. If a server answers early
 *   anyway, requests are still spaced by `minIntervalMs`.
 * - Errors are a state, not a crash: retryable failures back off exponentially with jitter
 *   (1 s, 2 s, 4 s … 30 s) and `retrying` turns true so the host can say so; a 4xx such as a
 *   wrong secret stops the loop, because repeating it cannot help.
 * - While the page is hidden nothing runs (the request in flight is aborted); on return
 *   (`visibilitychange`, `pageshow`, `focus`, `online`) the order is checked at once.
 * - It stops at a final status, and after one last check once the order's deadline (server
 *   time, plus a grace for the server to settle a last-second payment) has passed.
 * - Every run has its own AbortController; answers from a superseded run are dropped.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { PayQrApiError } from '../api/errors.js';
import type { Order } from '../api/types.js';
import { globalTimers, type Timers } from './timers.js';

/** Whether the shopper can see the page, and when they may be back. */
export interface PageActivity {
  isHidden(): boolean;
  /** returns the unsubscribe function */
  subscribe(onHide: () => void, onReturn: () => void): () => void;
}

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

/** Exponential back-off with "equal jitter": at least half the step, so retries spread out but never hammer. */
export function backoffDelay(failures: number, random: () => number = Math.random, baseMs = 1000, capMs = 30_000): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
  return step / 2 + (random() * step) / 2;
}

/** The real page; every access is inside a call so the module imports cleanly during SSR. */
export const browserPage: PageActivity = {
  isHidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
  subscribe(onHide, onReturn) {
    if (typeof window === 'undefined') return () => {};
    const listening = new AbortController();
    const options = { signal: listening.signal };
    document.addEventListener('visibilitychange', () => (document.visibilityState === 'hidden' ? onHide() : onReturn()), options);
    window.addEventListener('pagehide', onHide, options);
    for (const type of ['pageshow', 'focus', 'online']) window.addEventListener(type, onReturn, options);
    return () => listening.abort();
  },
};

export class StatusController implements ReactiveController {
  /** the server's latest word on the order */
  order: Order | undefined;
  /** the latest failure; cleared by the next answer */
  error: PayQrApiError | undefined;
  /** consecutive failures */
  failures = 0;
  /** the deadline passed and the server's last answer still said `open` */
  expired = false;

  readonly #host: ReactiveControllerHost;
  readonly #options: Required<Omit<StatusControllerOptions, 'fetchOrder' | 'serverNow'>> &
    Pick<StatusControllerOptions, 'fetchOrder' | 'serverNow'>;
  #enabled = false;
  #connected = false;
  #done = false;
  #inFlight: AbortController | undefined;
  #timer: unknown;
  #unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, options: StatusControllerOptions) {
    this.#host = host;
    this.#options = {
      waitSeconds: 25,
      minIntervalMs: 2000,
      expiryGraceMs: 3000,
      backoff: (failures) => backoffDelay(failures),
      timers: globalTimers,
      page: browserPage,
      ...options,
    };
    host.addController(this);
  }

  /** a retryable failure happened and the loop is trying again */
  get retrying(): boolean {
    return this.failures > 0 && !this.#done;
  }

  /** stopped on an error that retrying cannot fix (unknown order, wrong secret) */
  get fatal(): boolean {
    return this.#done && this.error !== undefined;
  }

  /** Forget everything and watch the order from scratch (new order id, secret or endpoint). */
  start(): void {
    this.#halt();
    this.order = undefined;
    this.error = undefined;
    this.failures = 0;
    this.expired = false;
    this.#done = false;
    this.#enabled = true;
    this.#run();
  }

  /** Check now unless a request is already on the wire; cuts short any back-off wait. */
  checkNow(): void {
    if (!this.#inFlight) this.#run();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#unsubscribe = this.#options.page.subscribe(
      () => this.#halt(),
      () => this.checkNow(),
    );
    this.checkNow();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#halt();
  }

  /** abort the request in flight and cancel whatever was scheduled */
  #halt(): void {
    this.#inFlight?.abort();
    this.#inFlight = undefined;
    if (this.#timer !== undefined) this.#options.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(ms: number): void {
    this.#timer = this.#options.timers.setTimeout(() => {
      this.#timer = undefined;
      this.#run();
    }, ms);
  }

  async #run(): Promise<void> {
    if (!this.#enabled || !this.#connected || this.#done || this.#inFlight) return;
    if (this.#timer !== undefined) this.#options.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    // Hidden: stay idle; the page's return calls checkNow().
    if (this.#options.page.isHidden()) return;

    const o = this.#options;
    const run = new AbortController();
    this.#inFlight = run;
    const startedAt = o.serverNow();
    const deadline = this.order ? Date.parse(this.order.expiresAt) + o.expiryGraceMs : Infinity;
    const final = startedAt >= deadline;
    // The long-poll never outlives the deadline, so the last check happens right on time.
    const wait =
      this.order && !final ? Math.max(0, Math.min(o.waitSeconds, Math.ceil((deadline - startedAt) / 1000))) : 0;

    let order: Order;
    try {
      order = await o.fetchOrder(wait, run.signal);
    } catch (cause) {
      if (run !== this.#inFlight) return;
      this.#inFlight = undefined;
      const error =
        cause instanceof PayQrApiError ? cause : new PayQrApiError('network', 'Status request failed', { cause });
      this.error = error;
      if (!error.retryable) {
        this.#done = true;
      } else if (final) {
        // Past the deadline the order cannot be paid any more: stop trying and say so.
        this.expired = true;
        this.#done = true;
        this.error = undefined;
      } else {
        this.failures += 1;
        this.#schedule(o.backoff(this.failures));
      }
      this.#host.requestUpdate();
      return;
    }
    if (run !== this.#inFlight) return;
    this.#inFlight = undefined;
    this.order = order;
    this.error = undefined;
    this.failures = 0;
    if (order.status !== 'open' || final) {
      this.expired = order.status === 'open';
      this.#done = true;
    } else {
      this.#schedule(Math.max(0, startedAt + o.minIntervalMs - o.serverNow()));
    }
    this.#host.requestUpdate();
  }
}
