/**
 * `<pay-scan>`'s side that talks to the shop endpoint (shop-client.ts): a lazily loaded chunk,
 * fetched once the element has an order, so the element's first paint (the amount, the field)
 * does not wait for it.
 *
 * - It reads the sale and keeps reading while a scan is pending, by the policy `<pay-qr>`
 *   follows its order with (controllers/poller.ts): one request at a time, at most one a second
 *   (`wait` lets the server hold it), network trouble retried with back-off (up to 10 s: a
 *   cashier is waiting), a 4xx ends it (`failure`), paused while the page is hidden.
 * - It posts a scanned code, again after network trouble (up to three tries, 1 s then 2 s
 *   apart: the same code is idempotent at PayQR), then follows the scan if it is pending.
 *
 * The element gives the declared inputs (`action()`, `order()`, `answered`) and reads the
 * declared state (`retrying`, `failure`); nothing else of this controller is its business.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { PayQrApiError, type ErrorReason } from '../api/errors.js';
import { backoffDelay, poller, type Poller } from '../controllers/poller.js';
import { globalTimers, type Timers } from '../controllers/timers.js';
import { ShopClient, type ScanState } from './shop-client.js';

/** long-poll hint for the shop endpoint, seconds */
const WAIT_SECONDS = 10;
/** tries of one scan's POST on network trouble */
const POST_TRIES = 3;

/** a failed call as the element's events carry it */
const reasonOf = ({ code, message, requestId }: PayQrApiError): ErrorReason => (requestId ? { code, message, requestId } : { code, message });

export interface SaleOptions {
  /** the element's `action` and `order` when the sale (re)starts */
  action(): string;
  order(): string;
  /** the shop endpoint's answer about the sale; `true` keeps reading (a scan is pending) */
  answered(state: ScanState): boolean;
  timers?: Timers;
}

export class Sale implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: SaleOptions;
  readonly #timers: Timers;
  readonly #poll: Poller;
  #client = new ShopClient('');
  /** whether the sale has been read once (the first read answers at once) */
  #read = false;
  /** aborts the scan's POST (and its wait between tries) when the sale changes */
  #abort = new AbortController();
  /** network trouble posting the scan, retrying */
  #posting = false;

  constructor(host: ReactiveControllerHost, options: SaleOptions) {
    this.#host = host;
    this.#options = options;
    this.#timers = options.timers ?? globalTimers;
    this.#poll = poller<ScanState>(host, {
      request: (signal) => this.#client.state(options.order(), this.#read ? WAIT_SECONDS : 0, signal),
      answered: (state) => {
        this.#read = true;
        return options.answered(state);
      },
      minIntervalMs: 1000,
      backoff: (failures) => backoffDelay(failures, Math.random, 1000, 10_000),
      timers: this.#timers,
    });
    host.addController(this);
  }

  /** network trouble (reading or posting), retrying */
  get retrying(): boolean {
    return this.#posting || this.#poll.retrying;
  }

  /** the shop endpoint refused to read the sale (a 4xx): retrying cannot help */
  get failure(): ErrorReason | undefined {
    return this.#poll.fatal ? reasonOf(this.#poll.error!) : undefined;
  }

  /** A new sale (or a new endpoint): forget the last one and read this one. */
  start(): void {
    this.stop();
    this.#client = new ShopClient(this.#options.action());
    this.#poll.start();
  }

  /** No sale: forget the last one (its POST and its reads are abandoned). */
  stop(): void {
    this.#abandon();
    this.#read = this.#posting = false;
    this.#poll.stop();
  }

  /**
   * Posts a scanned code and follows it while it is pending. Resolves with why it could not be
   * posted (network trouble after three tries: `code: 'network'`; the server's refusal), or
   * undefined once the answer went to `answered` (or the sale changed meanwhile).
   */
  async submit(authCode: string): Promise<ErrorReason | undefined> {
    const abort = this.#abort;
    const order = this.#options.order();
    for (let tries = 1; ; tries++) {
      try {
        const state = await this.#client.scan(order, authCode, abort.signal);
        if (abort.signal.aborted) return undefined;
        this.#posting = false;
        if (this.#options.answered(state)) this.#poll.start();
        return undefined;
      } catch (cause) {
        if (abort.signal.aborted) return undefined;
        const error = cause instanceof PayQrApiError ? cause : new PayQrApiError('network', String(cause));
        this.#posting = error.retryable && tries < POST_TRIES;
        this.#host.requestUpdate();
        if (!this.#posting) return error.retryable ? { code: 'network', message: error.message } : reasonOf(error);
        await this.#sleep(1000 * tries, abort.signal);
        if (abort.signal.aborted) return undefined;
      }
    }
  }

  hostDisconnected(): void {
    this.#abandon();
  }

  #abandon(): void {
    this.#abort.abort();
    this.#abort = new AbortController();
  }

  /** a wait that ends early when the sale changes */
  #sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#timers.setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        this.#timers.clearTimeout(timer);
        resolve();
      });
    });
  }
}
