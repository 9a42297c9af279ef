/**
 * The till's server calling PayQR over HTTP with the API key — the pattern a shop copies: the
 * browser talks to its own server (the scan endpoint), and only that server holds the key.
 * In this demo the "shop server" is the BFF's own Next.js app, so it calls itself on
 * `config.internalUrl`; a real shop uses its PayQR URL and its `PAYQR_API_KEY`.
 */
import type { AttemptView, OrderView } from '../payments/views';

export interface PayQrServerOptions {
  /** PayQR's base URL as the shop's server reaches it */
  baseUrl: string;
  /** the shop server's API key; never sent to a browser */
  apiKey: string;
  fetch?: typeof fetch;
}

/** `POST /api/orders/{id}/micropay`'s answer (contract.md) */
export interface MicropayAnswer {
  status: 'paid' | 'failed' | 'pending';
  attempt: AttemptView;
  progress?: 'paying' | 'password_entry';
  serverTime: string;
}

export interface CreateOrderBody {
  merchantOrderId: string;
  amount: number;
  currency?: string;
  subject: string;
  expiresInSeconds?: number;
  attemptTtlSeconds?: number;
  metadata?: Record<string, string | number | boolean | null>;
}

/** PayQR answered an error (`status` 0: it could not be reached). */
export class PayQrHttpError extends Error {
  override readonly name = 'PayQrHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export interface PayQrServerClient {
  createOrder(body: CreateOrderBody): Promise<OrderView>;
  getOrder(orderId: string, waitSeconds?: number): Promise<OrderView>;
  micropay(orderId: string, authCode: string): Promise<MicropayAnswer>;
}

export function createPayQrServerClient(options: PayQrServerOptions): PayQrServerClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function call<T>(method: 'GET' | 'POST', path: string, body: unknown, timeoutMs: number): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        cache: 'no-store',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new PayQrHttpError(0, 'payqr_unreachable', `PayQR did not answer ${method} ${path}: ${String((err as Error)?.message ?? err)}`);
    }
    const json = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; requestId?: string } } | undefined;
    if (!res.ok) {
      const e = json?.error;
      throw new PayQrHttpError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `HTTP ${res.status}`, e?.requestId);
    }
    return json as T;
  }

  const order = (id: string) => `/api/orders/${encodeURIComponent(id)}`;
  return {
    createOrder: (body) => call('POST', '/api/orders', body, 15_000),
    getOrder: (id, wait = 0) => call('GET', `${order(id)}${wait > 0 ? `?wait=${wait}` : ''}`, undefined, wait * 1000 + 15_000),
    // PayQR holds a micropay call up to 5 s for a final answer.
    micropay: (id, authCode) => call('POST', `${order(id)}/micropay`, { authCode }, 30_000),
  };
}
