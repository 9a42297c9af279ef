/**
 * `<pay-scan>`'s events: prefixed, bubbling and composed (they cross shadow roots), each with a
 * typed `detail`, like `<pay-qr>`'s (../events.ts). Kept apart from that file so the QR
 * widget's bundle does not carry them. A detail never holds the payer's whole code.
 */
import type { ScanChannel } from './auth-code.js';
import type { ScanReason } from './shop-client.js';

/**
 * What the cashier sees:
 * `idle` (no order yet) → `loading` → `ready` → `submitting` → `paying` | `password` → `paid`,
 * `failed` or `reversed`. After `failed` and `reversed` the order is still open and the next scan
 * is taken at once; `paid`, `expired` and `canceled` end the order (set a new `order` for the next
 * sale); `error`: the order could not be loaded.
 */
export type PayScanStatus =
  | 'idle'
  | 'loading'
  | 'ready'
  | 'submitting'
  | 'paying'
  | 'password'
  | 'paid'
  | 'failed'
  | 'reversed'
  | 'expired'
  | 'canceled'
  | 'error';

export interface PayScanEventDetail {
  orderId: string;
  status: PayScanStatus;
  /** PayQR's attempt id of the scan, once there is one */
  scanId?: string;
  channel?: ScanChannel;
  /** the scanned code masked (`1345…6700`), for the till's own records */
  maskedCode?: string;
  /** integer minor units */
  amount?: number;
  currency?: string;
}

export interface PayScanFailedDetail extends PayScanEventDetail {
  /** why: the provider's or the shop server's words, or `network` */
  reason?: ScanReason;
}

export interface PayScanStatusChangeDetail extends PayScanFailedDetail {
  previous: PayScanStatus;
}

// Node ≥ 19, Deno and Bun have CustomEvent; the fallback keeps older SSR runtimes importing.
const EventBase = (globalThis.CustomEvent ?? class {}) as typeof CustomEvent;

abstract class PayScanEvent<T> extends EventBase<T> {
  constructor(type: string, detail: T) {
    super(type, { detail, bubbles: true, composed: true });
  }
}

/** The scanned code paid the order. */
export class PayScanPaidEvent extends PayScanEvent<PayScanEventDetail> {
  static readonly type = 'pay-scan-paid';
  constructor(detail: PayScanEventDetail) {
    super(PayScanPaidEvent.type, detail);
  }
}

/**
 * The scan did not pay: refused by the wallet or the server (`status: 'failed'`), reversed after
 * no final answer came (`status: 'reversed'`), or the order could not be loaded (`status: 'error'`).
 */
export class PayScanFailedEvent extends PayScanEvent<PayScanFailedDetail> {
  static readonly type = 'pay-scan-failed';
  constructor(detail: PayScanFailedDetail) {
    super(PayScanFailedEvent.type, detail);
  }
}

/** Any change of `status`, the two above included. */
export class PayScanStatusChangeEvent extends PayScanEvent<PayScanStatusChangeDetail> {
  static readonly type = 'pay-scan-status-change';
  constructor(detail: PayScanStatusChangeDetail) {
    super(PayScanStatusChangeEvent.type, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pay-scan-paid': PayScanPaidEvent;
    'pay-scan-failed': PayScanFailedEvent;
    'pay-scan-status-change': PayScanStatusChangeEvent;
  }
}
