/**
 * Typed client for the BFF endpoints the widget calls (contract.md "Server API").
 *
 * The shop page and the BFF usually live on different origins: requests are CORS without
 * cookies, authenticated by the order's client secret alone. The BFF must allow the
 * `Authorization` request header and expose `Date` (`Access-Control-Expose-Headers: Date`)
 * for the clock-skew correction to work across origins.
 */
import { PayQrApiError, errorFromResponse } from './errors.js';
import { createServerClock, type ServerClock } from './server-clock.js';
import type { Order } from './types.js';

export interface PayQrClientOptions {
  /** BFF base URL, e.g. `https://pay.example.com`; empty means this page's origin */
  endpoint: string;
  /** the order's client secret (`cs_…`) */
  secret: string;
  fetch?: typeof fetch;
  /** local epoch ms; injected so tests control time */
  now?: () => number;
}

/** How long past a long-poll's `wait` an answer may take before the request counts as lost. */
const TIMEOUT_MARGIN_MS = 10_000;

export interface RequestOptions {
  signal?: AbortSignal;
}

export class PayQrClient {
  readonly clock: ServerClock;
  readonly #endpoint: string;
  readonly #secret: string;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;

  constructor(options: PayQrClientOptions) {
    this.#endpoint = options.endpoint.replace(/\/+$/, '');
    this.#secret = options.secret;
    // Late-bound: a detached `fetch` reference throws "Illegal invocation" in browsers,
    // and tests replace the global after the client exists.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#now = options.now ?? (() => Date.now());
    this.clock = createServerClock(this.#now);
  }

  /**
   * `GET /api/orders/{id}`; with `waitSeconds` the server holds the answer until the order
   * changes. `since` (the last `version` seen) makes it answer at once if a change slipped in
   * between two long-polls.
   */
  async getOrder(orderId: string, options: RequestOptions & { waitSeconds?: number; since?: number | undefined } = {}): Promise<Order> {
    const wait = Math.min(30, Math.max(0, Math.floor(options.waitSeconds ?? 0)));
    const since = Number.isSafeInteger(options.since) ? `&since=${options.since}` : '';
    const body = await this.request('GET', `/api/orders/${encodeURIComponent(orderId)}${wait ? `?wait=${wait}${since}` : ''}`, {
      ...options,
      timeoutMs: wait * 1000 + TIMEOUT_MARGIN_MS,
    });
    return parseOrder(body);
  }

  /**
   * One call to the BFF at `path` (`/api/orders/…`): JSON in and out, the BFF's errors as
   * PayQrApiError. api/attempts.ts builds on it.
   */
  async request(
    method: 'GET' | 'POST',
    path: string,
    { signal, body, timeoutMs = 30_000 }: RequestOptions & { body?: unknown; timeoutMs?: number } = {},
  ): Promise<unknown> {
    const url = this.#endpoint + path;
    // One controller joins the caller's abort and our own time-out (AbortSignal.any is too new).
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);

    try {
      const response = await this.#fetch(url, {
        method,
        mode: 'cors',
        credentials: 'omit',
        cache: 'no-store',
        headers: {
          Authorization: `Bearer ${this.#secret}`,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: controller.signal,
      });
      this.clock.observe(response.headers.get('Date'), this.#now());
      const json: unknown = await response.json().catch(() => undefined);
      if (!response.ok) throw errorFromResponse(response.status, json);
      if (json === undefined) throw new PayQrApiError('invalid-response', `${method} ${url} did not answer JSON`);
      return json;
    } catch (cause) {
      // Our caller's abort is not a failure: let it through untouched so it can be ignored.
      if (cause instanceof PayQrApiError || (signal?.aborted && !timedOut)) throw cause;
      throw new PayQrApiError(timedOut ? 'timeout' : 'network', `${method} ${url} ${timedOut ? 'timed out' : 'failed'}`, { cause });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

type Shape = Record<string, (value: unknown) => boolean>;

const text = (v: unknown) => typeof v === 'string';
const nonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;
const date = (v: unknown) => nonEmpty(v) && !Number.isNaN(Date.parse(v as string));
const oneOf = (values: readonly unknown[]) => (v: unknown) => values.includes(v);
const optional = (check: (v: unknown) => boolean) => (v: unknown) => v === undefined || check(v);

const ORDER: Shape = {
  status: oneOf(['open', 'paid', 'expired', 'canceled']),
  amount: Number.isSafeInteger,
  currency: nonEmpty,
  subject: text,
  expiresAt: date,
  channels: optional(Array.isArray),
};

/** Checks only what the widget relies on; extra fields pass through untouched. */
function check<T>(value: unknown, what: string, shape: Shape): T {
  const record = value as Record<string, unknown> | null;
  const bad = record && typeof record === 'object' ? Object.keys(shape).find((k) => !shape[k]!(record[k])) : '';
  if (bad === undefined) return value as T;
  throw new PayQrApiError('invalid-response', `Unexpected answer from the server: ${what}${bad ? `.${bad}` : ''}`);
}

/**
 * The order as the widget uses it. Its `attempt` is left as the server sent it: the attempt
 * side (api/attempts.ts, in the lazily loaded chunk) checks it before use.
 */
export const parseOrder = (value: unknown): Order => check(value, 'order', ORDER);
