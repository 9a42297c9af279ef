/** `new PayQr({ apiKey, baseUrl })`: the client a shop's server holds (never a browser). */
import { Orders } from './orders.ts';
import { Transport, type RequestOptions, type RetryPolicy } from './transport.ts';
import { webhooks } from './webhooks.ts';

export interface PayQrOptions {
  /** the PayQR instance's `PAYQR_API_KEY`; keep it on your server */
  apiKey: string;
  /** PayQR's base URL as your server reaches it, e.g. `https://pay.example.com` */
  baseUrl: string;
  /** per try, in ms; default 30 000. A long-poll (`retrieve` with `wait`) adds its wait. */
  timeoutMs?: number | undefined;
  /** retries of a call that may be repeated (transport.ts); default 2 */
  maxRetries?: number | undefined;
  /** default: the global `fetch` (Node ≥ 20.19) */
  fetch?: typeof fetch | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 2;

export interface RawRequestOptions extends RequestOptions {
  query?: Record<string, string | number | undefined> | undefined;
  body?: unknown;
  /**
   * `safe` only if repeating this request cannot change what it does (a read, or a call PayQR
   * makes idempotent); default `unsent`: repeated only when it certainly never reached PayQR.
   */
  retry?: RetryPolicy | undefined;
}

export class PayQr {
  readonly orders: Orders;
  /** the same as the package's `webhooks` export (no API key needed to verify a webhook) */
  readonly webhooks = webhooks;
  readonly #transport: Transport;

  constructor(options: PayQrOptions) {
    if (!options || typeof options !== 'object') throw new TypeError('new PayQr({ apiKey, baseUrl }): options are required');
    const { apiKey, baseUrl } = options;
    if (typeof apiKey !== 'string' || apiKey.trim() === '') {
      throw new TypeError('apiKey: required — the PAYQR_API_KEY of your PayQR instance (keep it on your server)');
    }
    if (apiKey.startsWith('cs_')) {
      throw new TypeError('apiKey: this is an order\'s client secret (cs_…), which only the widget uses; pass the PAYQR_API_KEY');
    }
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new TypeError(`baseUrl: an absolute http(s) URL of your PayQR instance, e.g. "https://pay.example.com", got ${JSON.stringify(baseUrl)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`baseUrl: an http(s) URL, got ${url.protocol}`);
    }
    if (url.search || url.hash) throw new TypeError('baseUrl: no query string or fragment');
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError(`timeoutMs: a positive number of milliseconds, got ${String(timeoutMs)}`);
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!(Number.isInteger(maxRetries) && maxRetries >= 0 && maxRetries <= 10)) {
      throw new RangeError(`maxRetries: an integer from 0 to 10, got ${String(maxRetries)}`);
    }
    const doFetch = options.fetch ?? globalThis.fetch;
    if (typeof doFetch !== 'function') throw new TypeError('fetch: no global fetch (Node ≥ 20.19 has one); pass options.fetch');
    this.#transport = new Transport({
      apiKey,
      baseUrl: url.toString().replace(/\/+$/, ''),
      timeoutMs,
      maxRetries,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    });
    this.orders = new Orders(this.#transport);
  }

  /**
   * Any PayQR endpoint with this client's key, errors, timeouts and retry rules — for a call this
   * package has no method for yet. `path` starts with `/api/`.
   */
  rawRequest<T = unknown>(method: 'GET' | 'POST', path: string, options: RawRequestOptions = {}): Promise<T> {
    if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`rawRequest: path must start with "/", got ${JSON.stringify(path)}`);
    const { query, body, retry, ...rest } = options;
    return this.#transport.request<T>({ method, path, query, body, retry: retry ?? (method === 'GET' ? 'safe' : 'unsent') }, rest);
  }
}
