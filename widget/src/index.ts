/**
 * `@payqr/widget`: importing this module defines `<pay-qr>` (guarded, so twice is harmless)
 * and touches no browser global at the top level, so it is safe to import during SSR.
 */
export { PayQrElement } from './pay-qr.js';
export {
  PayQrCancelEvent,
  PayQrExpiredEvent,
  PayQrFailedEvent,
  PayQrPaidEvent,
  PayQrStatusChangeEvent,
  type PayQrEventDetail,
  type PayQrFailedDetail,
  type PayQrStatus,
  type PayQrStatusChangeDetail,
} from './events.js';
export { PayQrClient, type PayQrClientOptions } from './api/client.js';
export { PayQrApiError, type PayQrApiErrorKind } from './api/errors.js';
export type { Attempt, AttemptStatus, Channel, Order, OrderStatus, Scene } from './api/types.js';
