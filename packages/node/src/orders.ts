/**
 * `payqr.orders`: the order calls a shop's server makes with its API key.
 *
 * Adding a call (the operator API's list, timeline and sync land here when PayQR serves them):
 * one method that builds a RequestSpec — method, path, query/body — and says whether repeating
 * it is `safe` or may only be repeated when `unsent` (transport.ts explains the two), and its
 * answer type in types.ts. A read is `safe`; a call that asks a provider to do something is
 * `unsent` unless PayQR makes it idempotent. Until a call has its method, `payqr.rawRequest`
 * reaches it with the same auth, errors, timeouts and retry rules.
 */
import type { RequestOptions, Transport } from './transport.ts';
import type { CreatedOrder, CreateOrderParams, MicropayResult, Order } from './types.ts';

/** PayQR holds a long-poll at most this long. */
export const MAX_WAIT_SECONDS = 30;

export interface RetrieveOptions extends RequestOptions {
  /**
   * Hold the request until the order changes, at most this many seconds (0–30). The timeout of
   * this call is the wait plus `timeoutMs`, so a long-poll never times out before PayQR answers.
   */
  wait?: number | undefined;
  /** with `wait`: return at once if the order's `version` is already past this one */
  since?: number | undefined;
}

export interface MicropayParams {
  /** the code scanned from the payer's wallet (付款码); its prefix says which wallet */
  authCode: string;
}

const orderPath = (id: string) => {
  if (typeof id !== 'string' || id.length === 0) throw new TypeError('order id: a PayQR order id (ord_…) is required');
  return `/api/orders/${encodeURIComponent(id)}`;
};

export class Orders {
  readonly #t: Transport;

  constructor(transport: Transport) {
    this.#t = transport;
  }

  /**
   * Create an order (`POST /api/orders`). Idempotent on `merchantOrderId`: the same number with
   * the same body returns the same order (with a fresh client secret), so it is retried on
   * network failures and 5xx; the same number with a different body throws `PayQrConflictError`
   * (`details.orderId` is the existing order).
   */
  create(params: CreateOrderParams, options?: RequestOptions): Promise<CreatedOrder> {
    if (!params || typeof params !== 'object') throw new TypeError('orders.create: pass { merchantOrderId, amount, subject, … }');
    return this.#t.request<CreatedOrder>({ method: 'POST', path: '/api/orders', body: params, retry: 'safe' }, options);
  }

  /**
   * Read an order (`GET /api/orders/{id}`), optionally waiting up to `wait` seconds for it to
   * change (paid, expired, a new attempt …). Retried on network failures and 5xx.
   */
  retrieve(id: string, options: RetrieveOptions = {}): Promise<Order> {
    const { wait, since, ...rest } = options;
    if (wait !== undefined && !(Number.isFinite(wait) && wait >= 0 && wait <= MAX_WAIT_SECONDS)) {
      throw new RangeError(`orders.retrieve: wait must be seconds between 0 and ${MAX_WAIT_SECONDS}, got ${String(wait)}`);
    }
    if (since !== undefined && !(Number.isSafeInteger(since) && since >= 0)) {
      throw new RangeError(`orders.retrieve: since must be an order version (a non-negative integer), got ${String(since)}`);
    }
    return this.#t.request<Order>(
      {
        method: 'GET',
        path: orderPath(id),
        query: { wait: wait || undefined, since },
        retry: 'safe',
        extraTimeoutMs: (wait ?? 0) * 1000,
      },
      rest,
    );
  }

  /**
   * Cancel an open order (`POST /api/orders/{id}/cancel`): PayQR closes its pending attempts (at
   * the provider too) and answers the canceled order. A paid order throws `PayQrConflictError`
   * (`order_not_payable`: refund it instead). Retried like a read: canceling twice answers the
   * same canceled order, so a repeat cannot change the outcome.
   */
  cancel(id: string, options?: RequestOptions): Promise<Order> {
    return this.#t.request<Order>({ method: 'POST', path: `${orderPath(id)}/cancel`, retry: 'safe' }, options);
  }

  /**
   * Charge the payer's code for this order (`POST /api/orders/{id}/micropay`): answers `paid` or
   * `failed`, or `pending` (with `progress`) while PayQR keeps asking the provider — then follow
   * the order with `retrieve(id, { wait })`. PayQR holds this call up to 5 s for a final answer.
   *
   * Not retried once it may have reached PayQR (only a refused connection or a 429 is retried):
   * after a timeout, call `retrieve` to learn what happened instead of scanning again.
   */
  micropay(id: string, params: MicropayParams, options?: RequestOptions): Promise<MicropayResult> {
    if (!params || typeof params.authCode !== 'string' || params.authCode.trim() === '') {
      throw new TypeError('orders.micropay: pass { authCode }, the code scanned from the payer\'s wallet');
    }
    return this.#t.request<MicropayResult>(
      { method: 'POST', path: `${orderPath(id)}/micropay`, body: { authCode: params.authCode }, retry: 'unsent' },
      options,
    );
  }
}
