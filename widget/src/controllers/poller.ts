/**
 * How both elements follow their server, one policy: `<pay-qr>` the order's status
 * (status-controller.ts, on the BFF), `<pay-scan>` a scan's outcome (on the shop endpoint).
 *
 * - One request at a time: the next starts only after the previous answered, usually as a
 *   long-poll the server holds until something changes. If a server answers early anyway,
 *   requests are still spaced by `minIntervalMs`.
 * - Errors are a state, not a crash: retryable failures (network, time-out, 5xx, 408, 429)
 *   back off exponentially with jitter (1 s, 2 s, 4 s … up to the owner's cap) and `retrying`
 *   turns true so the host can say so; any other failure (a 4xx such as a wrong secret or an
 *   unknown order) stops the loop (`fatal`), because repeating it cannot help.
 * - While the page is hidden nothing runs (the request in flight is aborted); on return
 *   (`visibilitychange`, `pageshow`, `focus`, `online`) it checks at once.
 * - It stops when the owner says an answer is final (`answered` returns false).
 * - Every run has its own AbortController; answers from a superseded run are dropped.
 *
 * Timers, the clock and the page's visibility are injected, so tests drive them.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { PayQrApiError } from '../api/errors.js';
import { globalTimers, type Timers } from './timers.js';

/** Whether the shopper can see the page, and when they may be back. */
export interface PageActivity {
  isHidden(): boolean;
  /** returns the unsubscribe function */
  subscribe(onHide: () => void, onReturn: () => void): () => void;
}

export interface PollerOptions<T> {
  /** one request; `signal` aborts it (page hidden, a new start, the host gone) */
  request(signal: AbortSignal): Promise<T>;
  /** the current run's answer: `true` polls again, `false` stops (the answer is final) */
  answered(value: T): boolean;
  /** the least time from one request's start to the next one's */
  minIntervalMs: number;
  /** `start()` begins from scratch: forget what the owner knew */
  onStart?(): void;
  /** delay before retry number `failures` (1-based); default {@link backoffDelay} */
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

/** A poll's state as its host reads it. */
export interface Poller extends ReactiveController {
  /** the latest failure; cleared by the next answer */
  readonly error: PayQrApiError | undefined;
  /** a retryable failure happened and the loop is trying again */
  readonly retrying: boolean;
  /** stopped on an error that retrying cannot fix */
  readonly fatal: boolean;
  /** Poll from scratch: a request now (the one in flight, if any, is dropped). */
  start(): void;
  /** Stop and forget until the next `start()`; the request in flight is aborted. */
  stop(): void;
  /** Check now unless a request is already on the wire; cuts short any wait. */
  checkNow(): void;
}

export function poller<T>(host: ReactiveControllerHost, options: PollerOptions<T>): Poller {
  const { timers = globalTimers, page = browserPage, backoff = backoffDelay } = options;
  let enabled = false;
  let connected = false;
  let done = false;
  /** the run on the wire */
  let inFlight: AbortController | undefined;
  let timer: unknown;
  let unsubscribe: (() => void) | undefined;
  let error: PayQrApiError | undefined;
  let failures = 0;

  /** abort the request in flight and cancel whatever was scheduled */
  const halt = () => {
    inFlight?.abort();
    inFlight = undefined;
    timers.clearTimeout(timer);
  };
  const schedule = (ms: number) => (timer = timers.setTimeout(run, ms));
  const reset = (on: boolean) => {
    halt();
    enabled = on;
    done = false;
    error = undefined;
    failures = 0;
  };

  async function run(): Promise<void> {
    timers.clearTimeout(timer);
    // Hidden: stay idle; the page's return calls checkNow().
    if (!enabled || !connected || done || inFlight || page.isHidden()) return;
    const run = (inFlight = new AbortController());
    const startedAt = Date.now();
    let value: T;
    try {
      value = await options.request(run.signal);
    } catch (cause) {
      if (run !== inFlight) return;
      inFlight = undefined;
      error = cause instanceof PayQrApiError ? cause : new PayQrApiError('network', 'Request failed', { cause });
      if (error.retryable) schedule(backoff(++failures));
      else done = true;
      return host.requestUpdate();
    }
    if (run !== inFlight) return;
    inFlight = error = undefined;
    failures = 0;
    if (options.answered(value)) schedule(Math.max(0, startedAt + options.minIntervalMs - Date.now()));
    else done = true;
    host.requestUpdate();
  }

  const checkNow = () => void (inFlight || run());
  const controller: Poller = {
    get error() {
      return error;
    },
    get retrying() {
      return failures > 0 && !done;
    },
    get fatal() {
      return done && !!error;
    },
    start() {
      reset(true);
      options.onStart?.();
      void run();
    },
    stop: () => reset(false),
    checkNow,
    hostConnected() {
      connected = true;
      unsubscribe = page.subscribe(halt, checkNow);
      checkNow();
    },
    hostDisconnected() {
      connected = false;
      unsubscribe?.();
      halt();
    },
  };
  host.addController(controller);
  return controller;
}
