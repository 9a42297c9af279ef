/**
 * One HTTP call to PayQR: auth, JSON, a timeout per try, PayQR's errors → the taxonomy
 * (errors.ts), and retries — only where repeating the request cannot change the outcome.
 *
 * Retry policy (what each call passes as `retry`):
 *  - `safe`: the request may be repeated whatever happened to the previous try. GET, and the
 *    POSTs PayQR makes idempotent: `orders.create` (keyed by merchantOrderId: the same body
 *    returns the same order) and `orders.cancel` (canceling a canceled order answers it again;
 *    a paid one is a 409 every time). Retried on: no connection, a broken connection, a
 *    timeout, 429, 500, 502, 503, 504.
 *  - `unsent`: repeating could do something twice, so a try is repeated only when it certainly
 *    did not reach PayQR: the connection was refused (nothing was sent), or PayQR answered
 *    429 (refused before doing anything). `orders.micropay` is such a call: after a reset or a
 *    timeout the scan may be running, and a second one with the same code while the first is
 *    still in flight could charge the payer's code twice.
 * Waits: `Retry-After` when PayQR sends one (a longer ask than MAX_RETRY_AFTER_SECONDS is not
 * waited for: the error is thrown with its `retryAfter`), else 0.5 s, 1 s, 2 s … (≤ 5 s), each
 * 75–100 % of that so many clients do not come back at the same instant.
 */
import {
  errorClassFor,
  PayQrApiError,
  PayQrConnectionError,
  PayQrError,
  PayQrRateLimitError,
  PayQrTimeoutError,
  PayQrUnavailableError,
} from './errors.ts';
import { VERSION } from './version.ts';

export type RetryPolicy = 'safe' | 'unsent';

export interface TransportOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  fetch: typeof fetch;
}

/** Per-call options every method takes as its last argument. */
export interface RequestOptions {
  /** this call's timeout per try, in ms (default: the client's `timeoutMs`) */
  timeoutMs?: number | undefined;
  /** this call's retries (default: the client's `maxRetries`); 0 turns them off */
  maxRetries?: number | undefined;
  /** abort the call (and its retries); it then rejects with the signal's reason, not a PayQrError */
  signal?: AbortSignal | undefined;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  /** e.g. `/api/orders/ord_…` (already encoded) */
  path: string;
  query?: Record<string, string | number | undefined> | undefined;
  body?: unknown;
  retry: RetryPolicy;
  /** added to the timeout of each try (a long-poll's wait) */
  extraTimeoutMs?: number | undefined;
}

export const MAX_RETRY_AFTER_SECONDS = 30;
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 5_000;

export class Transport {
  readonly #o: TransportOptions;

  constructor(options: TransportOptions) {
    this.#o = options;
  }

  async request<T>(spec: RequestSpec, options: RequestOptions = {}): Promise<T> {
    const maxRetries = options.maxRetries ?? this.#o.maxRetries;
    const timeoutMs = (options.timeoutMs ?? this.#o.timeoutMs) + (spec.extraTimeoutMs ?? 0);
    const url = this.#url(spec);
    // One serialisation for every try: a retried create sends the very same bytes.
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    for (let retries = 0; ; retries++) {
      let failure: PayQrError;
      let unsent = false;
      try {
        return await this.#once<T>(spec.method, url, body, timeoutMs, options.signal);
      } catch (err) {
        if (!(err instanceof PayQrError)) throw err; // the caller's abort, or a bug
        failure = err;
        unsent = err instanceof PayQrConnectionError && !(err instanceof PayQrTimeoutError) && connectionRefused(err.cause);
      }
      const delay = retries < maxRetries ? retryDelay(failure, spec.retry, unsent, retries) : undefined;
      if (delay === undefined) throw failure;
      await sleep(delay, options.signal);
    }
  }

  #url(spec: RequestSpec): string {
    const url = new URL(`${this.#o.baseUrl}${spec.path}`);
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  async #once<T>(method: string, url: string, body: string | undefined, timeoutMs: number, signal: AbortSignal | undefined): Promise<T> {
    signal?.throwIfAborted();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    const what = `${method} ${new URL(url).pathname}`;
    const unreachable = (err: unknown): never => {
      if (signal?.aborted) throw signal.reason;
      if (timeout.signal.aborted) {
        throw new PayQrTimeoutError({ code: 'timeout', message: `PayQR did not answer ${what} within ${timeoutMs} ms.`, cause: err });
      }
      throw new PayQrConnectionError({ code: 'connection_error', message: `Could not reach PayQR for ${what}: ${describe(err)}.`, cause: err });
    };
    try {
      let res: Response;
      try {
        res = await this.#o.fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${this.#o.apiKey}`,
            accept: 'application/json',
            'user-agent': `payqr-node/${VERSION} node/${process.versions.node}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body }),
          redirect: 'error',
          signal: combined,
        });
      } catch (err) {
        return unreachable(err);
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        return unreachable(err);
      }
      return answer<T>(res, text, what);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** An answer → the parsed JSON (2xx) or the error for it. */
function answer<T>(res: Response, text: string, what: string): T {
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const e = isObject(json) && isObject(json.error) ? json.error : undefined;
  const requestId = res.headers.get('x-request-id') || (typeof e?.requestId === 'string' && e.requestId ? e.requestId : undefined);
  if (res.ok) {
    if (isObject(json)) return json as T;
    throw new PayQrApiError({
      status: res.status,
      code: 'invalid_response',
      message: `PayQR answered ${what} with HTTP ${res.status} but not a JSON object: is baseUrl PayQR's URL?`,
      requestId,
    });
  }
  const retryAfter = res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
  const ErrorClass = errorClassFor(res.status);
  return throwing(
    new ErrorClass({
      status: res.status,
      code: typeof e?.code === 'string' ? e.code : `http_${res.status}`,
      message:
        typeof e?.message === 'string'
          ? e.message
          : `PayQR answered ${what} with HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} and no PayQR error body.`,
      requestId,
      details: isObject(e?.details) ? e.details : undefined,
      retryAfter,
    }),
  );
}

/** How long to wait before the next try, or undefined: do not retry this failure. */
function retryDelay(err: PayQrError, policy: RetryPolicy, unsent: boolean, retries: number): number | undefined {
  const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retries) * (0.75 + Math.random() * 0.25);
  if (err instanceof PayQrRateLimitError || err instanceof PayQrUnavailableError) {
    if (err.retryAfter !== undefined && err.retryAfter > MAX_RETRY_AFTER_SECONDS) return undefined;
  }
  const retryable =
    err instanceof PayQrRateLimitError ||
    unsent ||
    (policy === 'safe' && (err instanceof PayQrConnectionError || (err.status !== undefined && RETRY_STATUSES.has(err.status))));
  if (!retryable) return undefined;
  const after = (err as { retryAfter?: number }).retryAfter;
  return after !== undefined ? after * 1000 : backoff;
}

/** `Retry-After`: delta seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The connection was refused: the request never left this machine. */
function connectionRefused(cause: unknown): boolean {
  for (let e = cause, depth = 0; isObject(e) && depth < 5; e = e.cause, depth++) {
    if (e.code === 'ECONNREFUSED') return true;
    // Happy Eyeballs: one refusal per address tried
    if (Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => isObject(x) && x.code === 'ECONNREFUSED')) return true;
  }
  return false;
}

function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = isObject(e) ? e.cause : undefined, depth++) {
    const code = isObject(e) && typeof e.code === 'string' ? e.code : undefined;
    const message = e instanceof Error ? e.message : String(e);
    parts.push(code && !message.includes(code) ? `${message} (${code})` : message);
  }
  return parts.join(': ') || 'unknown error';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function throwing(err: PayQrError): never {
  throw err;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null;
}
