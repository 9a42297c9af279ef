/**
 * Every way an element's call to its server can fail (`<pay-qr>` to the BFF, `<pay-scan>` to the
 * shop endpoint, which answers errors in the BFF's shape), as one error type. `retryable` is the
 * only thing the poller needs to decide between "keep trying with back-off" and "give up and
 * say so".
 */
export type PayQrApiErrorKind = 'http' | 'network' | 'timeout' | 'invalid-response';

/** A failure as an event's `detail` carries it (the BFF's `{"error": …}` shape). */
export interface ErrorReason {
  code: string;
  message: string;
  requestId?: string;
}

export class PayQrApiError extends Error {
  override readonly name = 'PayQrApiError';
  readonly kind: PayQrApiErrorKind;
  /** the BFF's machine code (`not_found`, `order_not_payable` …) or the kind for local failures */
  readonly code: string;
  /** HTTP status when the server answered */
  readonly status: number | undefined;
  /** quote this to support: it finds the server's log line */
  readonly requestId: string | undefined;

  constructor(
    kind: PayQrApiErrorKind,
    message: string,
    init: { code?: string; status?: number; requestId?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: init.cause });
    this.kind = kind;
    this.code = init.code ?? kind;
    this.status = init.status;
    this.requestId = init.requestId;
  }

  /**
   * Network trouble, time-outs and server-side failures pass; a 4xx means the request itself
   * is wrong (bad secret, unknown order, order no longer payable) and repeating it cannot help,
   * except 408 and 429, which ask us to come back later.
   */
  get retryable(): boolean {
    if (this.kind !== 'http') return true;
    const s = this.status ?? 0;
    return s >= 500 || s === 408 || s === 429;
  }
}

/** `{"error":{"code","message","requestId"}}` → PayQrApiError, tolerating proxies' HTML pages. */
export function errorFromResponse(status: number, body: unknown): PayQrApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown; requestId?: unknown } } | null)?.error;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return new PayQrApiError('http', str(e?.message) ?? `HTTP ${status}`, {
    status,
    code: str(e?.code) ?? `http_${status}`,
    requestId: str(e?.requestId),
  });
}
