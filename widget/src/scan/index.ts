/**
 * `@payqr/widget/pay-scan` (dist/pay-scan.js): importing this module defines `<pay-scan>`
 * (guarded, so twice is harmless) and touches no browser global at the top level, so it is safe
 * to import during SSR. A separate entry from pay-qr.js: a till page loads only this one.
 */
export { PayScanElement, cameraSupported } from '../pay-scan.js';
export {
  PayScanFailedEvent,
  PayScanPaidEvent,
  PayScanStatusChangeEvent,
  type PayScanEventDetail,
  type PayScanFailedDetail,
  type PayScanStatus,
  type PayScanStatusChangeDetail,
} from './events.js';
// The shop endpoint's JSON (its client travels in the lazily loaded sale chunk, scan/sale.ts).
export type { ScanOrderStatus, ScanReason, ScanResultStatus, ScanState } from './shop-client.js';
export { AUTH_CODE_RULES, checkAuthCode, maskAuthCode, type AuthCodeCheck, type ScanChannel } from './auth-code.js';
export { WedgeDetector, WEDGE_DEFAULTS, type WedgeOptions } from './wedge.js';
