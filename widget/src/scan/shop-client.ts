/**
 * `<pay-scan>` talks to ONE endpoint of the shop's own server (its `action` attribute, same
 * origin as the till page), never to PayQR: the API key that may charge a payer's code stays on
 * that server, which calls PayQR (`POST /api/orders/{id}/micropay`, `GET /api/orders/{id}`).
 *
 * The contract (JSON both ways, UTF-8):
 *
 *   GET  {action}?order=ord_…[&wait=N]      → 200 ScanState
 *        the order and its latest scan; with `wait` (seconds, ≤ 25) the server may hold the
 *        answer until something changes (a server that ignores it is fine: the element never
 *        asks more than once a second).
 *   POST {action}   {"order":"ord_…","authCode":"134567890123456700"}   → 200 ScanState
 *        charge the scanned code; answers when the result is final or after a few seconds with
 *        `scan.status: "pending"`. Posting the same code for the same order again is safe (PayQR
 *        answers with the same attempt), which is what the element does after a network error.
 *   errors: any non-2xx with {"error":{"code","message","requestId"?}} (PayQR's own shape, so a
 *        server may pass PayQR's errors through), e.g. 400 invalid_request for a code no wallet
 *        issues, 409 order_not_payable when the order is paid, expired or canceled.
 *
 * The server decides who may use the till (its own session/cookies: requests go out with
 * `credentials: 'same-origin'`); the JSON content type makes a cross-site form post impossible.
 * A failed call is a PayQrApiError, as for `<pay-qr>`'s calls to the BFF (api/request.ts).
 */
import { PayQrApiError, type ErrorReason } from '../api/errors.js';
import { requestJson } from '../api/request.js';
import type { ScanChannel } from './auth-code.js';

export type ScanOrderStatus = 'open' | 'paid' | 'expired' | 'canceled';

/** What happened to one scanned code. `reversed`: no final answer in time, PayQR reversed (撤销) it, refunding the payer if the wallet had charged. */
export type ScanResultStatus = 'pending' | 'paid' | 'failed' | 'reversed';

/** why a scan failed: the provider's or the server's words (for a failed call, PayQrApiError's `reason`) */
export type ScanReason = ErrorReason;

export interface ScanState {
  order: {
    id: string;
    status: ScanOrderStatus;
    /** integer minor units of `currency` */
    amount: number;
    currency: string;
    subject?: string;
  };
  /** the order's latest scan, if there was one */
  scan?: {
    /** PayQR's attempt id */
    id: string;
    status: ScanResultStatus;
    /** while pending: the wallet is paying, or waits for the payer's password (用户输入密码中) */
    progress?: 'paying' | 'password_entry';
    channel?: ScanChannel;
    /** why it failed or was reversed (the provider's own words when there are some) */
    reason?: ScanReason;
  };
}

const ORDER_STATUSES = ['open', 'paid', 'expired', 'canceled'];
const SCAN_STATUSES = ['pending', 'paid', 'failed', 'reversed'];

/** Checks what the element relies on; extra fields pass through. */
export function parseScanState(value: unknown): ScanState {
  const v = value as ScanState | null;
  const o = v?.order;
  const ok =
    !!o &&
    typeof o.id === 'string' &&
    ORDER_STATUSES.includes(o.status) &&
    Number.isSafeInteger(o.amount) &&
    typeof o.currency === 'string' &&
    (v.scan === undefined || (typeof v.scan.id === 'string' && SCAN_STATUSES.includes(v.scan.status)));
  if (!ok) throw new PayQrApiError('invalid-response', 'Unexpected answer from the shop endpoint: not a scan state');
  return v;
}

export interface ShopClientOptions {
  fetch?: typeof fetch;
}

export class ShopClient {
  readonly #fetch: typeof fetch;

  constructor(
    readonly action: string,
    options: ShopClientOptions = {},
  ) {
    // Late-bound: tests replace the global after the element exists.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  state(orderId: string, waitSeconds: number, signal?: AbortSignal): Promise<ScanState> {
    const url = new URL(this.action, globalThis.location?.href ?? 'http://localhost/');
    url.searchParams.set('order', orderId);
    if (waitSeconds > 0) url.searchParams.set('wait', String(waitSeconds));
    return this.#call('GET', url.href, undefined, waitSeconds * 1000 + 10_000, signal);
  }

  scan(orderId: string, authCode: string, signal?: AbortSignal): Promise<ScanState> {
    return this.#call('POST', this.action, { order: orderId, authCode }, 30_000, signal);
  }

  async #call(method: 'GET' | 'POST', url: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<ScanState> {
    return parseScanState(
      await requestJson({ fetch: this.#fetch, url, init: { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' }, body, signal, timeoutMs }),
    );
  }
}
