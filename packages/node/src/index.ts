/**
 * @payqr/node — PayQR for a shop's Node.js server.
 *
 * ```ts
 * import { PayQr, webhooks } from '@payqr/node';
 * const payqr = new PayQr({ apiKey: process.env.PAYQR_API_KEY!, baseUrl: 'https://pay.example.com' });
 * const order = await payqr.orders.create({ merchantOrderId: 'A10001', amount: 1999, subject: '乌龙茶 250g' });
 * // <pay-qr order={order.id} secret={order.clientSecret}> on the page; then, in the webhook route:
 * const event = webhooks.constructEvent(rawBody, signatureHeader, process.env.PAYQR_WEBHOOK_SECRET!);
 * ```
 */
export { PayQr, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, type PayQrOptions, type RawRequestOptions } from './client.ts';
export { Orders, MAX_WAIT_SECONDS, type MicropayParams, type RetrieveOptions } from './orders.ts';
export { MAX_RETRY_AFTER_SECONDS, type RequestOptions, type RetryPolicy } from './transport.ts';
export { webhooks, SIGNATURE_HEADER, DEFAULT_TOLERANCE_SECONDS, type ConstructEventOptions, type TestHeaderOptions } from './webhooks.ts';
export {
  PayQrError,
  PayQrInvalidRequestError,
  PayQrAuthenticationError,
  PayQrNotFoundError,
  PayQrConflictError,
  PayQrRateLimitError,
  PayQrUnavailableError,
  PayQrApiError,
  PayQrConnectionError,
  PayQrTimeoutError,
  PayQrSignatureVerificationError,
  type PayQrErrorInit,
  type SignatureFailure,
} from './errors.ts';
export type * from './types.ts';
export { VERSION } from './version.ts';
