/**
 * Typed client for the BFF endpoints the widget calls (the README's "Server API").
 *
 * The shop page and the BFF usually live on different origins: requests are CORS without
 * cookies, authenticated by the order's client secret alone. The BFF must allow the
 * `Authorization` request header and expose `Date` (`Access-Control-Expose-Headers: Date`)
 * for the clock-skew correction to work across origins.
 */
import { PayQrApiError } from './errors.js';
import { requestJson } from './request.js';
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
  /** the BFF base URL without a trailing slash ('' for this page's origin) */
  readonly endpoint: string;
  readonly #secret: string;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;

  constructor(options: PayQrClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
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
   * PayQrApiError (api/request.ts). api/attempts.ts builds on it.
   */
  request(
    method: 'GET' | 'POST',
    path: string,
    { signal, body, timeoutMs = 30_000 }: RequestOptions & { body?: unknown; timeoutMs?: number } = {},
  ): Promise<unknown> {
    return requestJson({
      fetch: this.#fetch,
      url: this.endpoint + path,
      init: { method, headers: { Authorization: `Bearer ${this.#secret}` }, mode: 'cors', credentials: 'omit' },
      body,
      signal,
      timeoutMs,
      onResponse: (response) => this.clock.observe(response.headers.get('Date'), this.#now()),
    });
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
