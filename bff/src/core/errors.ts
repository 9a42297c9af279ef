/**
 * One error taxonomy for the whole BFF. Each error carries an HTTP status, a stable
 * machine code and a message a person can act on (which field, what was expected).
 * HTTP handlers map these to `{"error":{"code","message","requestId"}}` in one place.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'order_not_payable'
  | 'channel_unavailable'
  | 'provider_error'
  | 'provider_unavailable'
  | 'invalid_auth_code'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'too_many_requests'
  | 'internal';

export class PayQrError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(status: number, code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'PayQrError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const invalidRequest = (message: string, details?: Record<string, unknown>) =>
  new PayQrError(400, 'invalid_request', message, details);

/** Same answer whether the order is missing or the credential is wrong: reveals nothing. */
export const notFound = (what = 'order') => new PayQrError(404, 'not_found', `No such ${what}, or the credential does not grant access to it.`);

export const unauthorized = (message = 'Missing or invalid credentials: send "Authorization: Bearer <key>".') =>
  new PayQrError(401, 'unauthorized', message);

/** Authenticated, but this request may not do that (e.g. a console action without its CSRF token). */
export const forbidden = (message: string) => new PayQrError(403, 'forbidden', message);

export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new PayQrError(429, 'too_many_requests', message, { retryAfterSeconds });

export const conflict = (message: string, details?: Record<string, unknown>) =>
  new PayQrError(409, 'conflict', message, details);

export const channelUnavailable = (message: string, details?: Record<string, unknown>) =>
  new PayQrError(422, 'channel_unavailable', message, details);

export const orderNotPayable = (message: string, details?: Record<string, unknown>) =>
  new PayQrError(409, 'order_not_payable', message, details);

export const providerError = (message: string, details?: Record<string, unknown>) =>
  new PayQrError(502, 'provider_error', message, details);

export const providerUnavailable = (message: string, details?: Record<string, unknown>) =>
  new PayQrError(503, 'provider_unavailable', message, details);

/** zod issues → "amount: an integer number of minor units …; subject: required" */
export function describeZodIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(body)'}: ${i.message}`)
    .join('; ');
}
