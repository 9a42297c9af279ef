/**
 * Every failure the SDK throws, in one taxonomy (after stripe-node's Error.ts). Catch
 * `PayQrError` for all of them, or a subclass for one kind:
 *
 *   PayQrError                              base: status, code, message, requestId, details
 *   ├─ PayQrInvalidRequestError     400 413 415 422   a field is wrong: the message names it
 *   ├─ PayQrAuthenticationError     401 403           the API key is missing or wrong
 *   ├─ PayQrNotFoundError           404               no such order (or not yours: PayQR does not say which)
 *   ├─ PayQrConflictError           409               same merchantOrderId with another body; order not payable / already paid
 *   ├─ PayQrRateLimitError          429               slow down; `retryAfter` seconds
 *   ├─ PayQrUnavailableError        502 503 504       PayQR or a provider is unavailable; try again
 *   ├─ PayQrApiError                500, other        PayQR failed, or answered something that is not its API
 *   ├─ PayQrConnectionError         —                 no answer: refused, reset, DNS …
 *   │  └─ PayQrTimeoutError         —                 no answer within `timeoutMs`
 *   └─ PayQrSignatureVerificationError  —             a webhook that does not verify (`code` says why)
 *
 * `requestId` (the `x-request-id` PayQR answered with) is what an operator needs to find the
 * request in PayQR's logs: log it with every failure.
 */

export interface PayQrErrorInit {
  message: string;
  /** stable machine code: PayQR's own (`invalid_request`, `order_not_payable` …) or the SDK's (`connection_error`, `timeout` …) */
  code: string;
  /** the HTTP status; undefined when PayQR did not answer (connection, timeout) or for webhook errors */
  status?: number | undefined;
  requestId?: string | undefined;
  /** PayQR's `error.details`, e.g. `{ orderId }` on a create conflict */
  details?: Record<string, unknown> | undefined;
  /** seconds PayQR asked to wait before trying again (`Retry-After`) */
  retryAfter?: number | undefined;
  cause?: unknown;
}

export class PayQrError extends Error {
  override readonly name: string = 'PayQrError';
  readonly code: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(init: PayQrErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.details = init.details;
  }
}

/** 400, 413, 415, 422: the message says which field and what was expected. */
export class PayQrInvalidRequestError extends PayQrError {
  override readonly name = 'PayQrInvalidRequestError';
}

/** 401, 403: the API key is missing or not this PayQR's. */
export class PayQrAuthenticationError extends PayQrError {
  override readonly name = 'PayQrAuthenticationError';
}

/** 404: no such order, or the credential does not grant it (PayQR does not reveal which). */
export class PayQrNotFoundError extends PayQrError {
  override readonly name = 'PayQrNotFoundError';
}

/**
 * 409: `conflict` (this merchantOrderId exists with a different body; `details.orderId` is the
 * existing order) or `order_not_payable` (paid, expired or canceled already).
 */
export class PayQrConflictError extends PayQrError {
  override readonly name = 'PayQrConflictError';
}

/** 429: too many requests. */
export class PayQrRateLimitError extends PayQrError {
  override readonly name = 'PayQrRateLimitError';
  /** seconds to wait, from `Retry-After`; undefined when PayQR did not say */
  readonly retryAfter: number | undefined;
  constructor(init: PayQrErrorInit) {
    super(init);
    this.retryAfter = init.retryAfter;
  }
}

/** 502, 503, 504: PayQR (or the provider behind it) is unavailable for now. */
export class PayQrUnavailableError extends PayQrError {
  override readonly name = 'PayQrUnavailableError';
  /** seconds to wait, from `Retry-After` when PayQR sent one */
  readonly retryAfter: number | undefined;
  constructor(init: PayQrErrorInit) {
    super(init);
    this.retryAfter = init.retryAfter;
  }
}

/** 500 or an unexpected answer (not PayQR's JSON): PayQR's operator can look up `requestId`. */
export class PayQrApiError extends PayQrError {
  override readonly name = 'PayQrApiError';
}

/** PayQR could not be reached or the connection broke before an answer (`cause` has the system error). */
export class PayQrConnectionError extends PayQrError {
  override readonly name: string = 'PayQrConnectionError';
}

/** No answer within the timeout (for `orders.retrieve` with `wait`: the wait plus `timeoutMs`). */
export class PayQrTimeoutError extends PayQrConnectionError {
  override readonly name = 'PayQrTimeoutError';
}

/** Why a webhook did not verify (the same reasons PayQR's own `webhook-verify` command prints). */
export type SignatureFailure =
  | 'raw_body_required'
  | 'secret_required'
  | 'missing_header'
  | 'malformed_header'
  | 'no_v1_signature'
  | 'timestamp_outside_tolerance'
  | 'signature_mismatch'
  | 'invalid_payload';

/** A webhook that does not verify: answer it 400 and do not act on it. */
export class PayQrSignatureVerificationError extends PayQrError {
  override readonly name = 'PayQrSignatureVerificationError';
  declare readonly code: SignatureFailure;
  /** the header's `t` (unix seconds), when it could be read */
  readonly timestamp: number | undefined;
  constructor(code: SignatureFailure, message: string, timestamp?: number) {
    super({ code, message });
    this.timestamp = timestamp;
  }
}

/** PayQR's HTTP status → the error class for it. */
export function errorClassFor(status: number): new (init: PayQrErrorInit) => PayQrError {
  switch (status) {
    case 400:
    case 405:
    case 413:
    case 415:
    case 422:
      return PayQrInvalidRequestError;
    case 401:
    case 403:
      return PayQrAuthenticationError;
    case 404:
      return PayQrNotFoundError;
    case 409:
      return PayQrConflictError;
    case 429:
      return PayQrRateLimitError;
    case 502:
    case 503:
    case 504:
      return PayQrUnavailableError;
    default:
      return PayQrApiError;
  }
}
