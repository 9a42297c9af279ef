/**
 * The widget's events (widget/README.md "Events"): prefixed, bubbling and composed, so a shop page
 * hears them through any number of shadow roots, each with a typed `detail`.
 */
import type { Channel } from './api/types.js';

/**
 * What the widget shows:
 * `loading` → `choose` → `creating` → `scan` ⇄ `qr-expired`, ending in `paid`, `expired`,
 * `canceled`; `failed` offers a retry; `error` means the order could not be loaded at all,
 * or it offers no channel the widget can pay with (`pay-qr-failed` `error.code: 'no_channels'`).
 * Inside a wallet app or on a phone (bridges/): `redirecting` (to WeChat for the payer's
 * openid), `paying` (the wallet's payment sheet is open), `confirming` (the wallet said done or
 * "unknown": waiting for the server, which alone says `paid`), `handoff` (a link opens the
 * wallet app; the status is checked again when the payer comes back).
 */
export type PayQrStatus =
  | 'loading'
  | 'choose'
  | 'creating'
  | 'scan'
  | 'qr-expired'
  | 'redirecting'
  | 'paying'
  | 'confirming'
  | 'handoff'
  | 'paid'
  | 'failed'
  | 'expired'
  | 'canceled'
  | 'error';

export interface PayQrEventDetail {
  orderId: string;
  status: PayQrStatus;
  attemptId?: string;
  channel?: Channel;
}

export interface PayQrStatusChangeDetail extends PayQrEventDetail {
  previous: PayQrStatus;
}

export interface PayQrFailedDetail extends PayQrEventDetail {
  /** the server's (or the network's) reason, when there is one */
  error?: { code: string; message: string; requestId?: string };
}

// Node ≥ 19, Deno and Bun have CustomEvent; the fallback keeps older SSR runtimes importing.
const EventBase = (globalThis.CustomEvent ?? class {}) as typeof CustomEvent;

abstract class PayQrEvent<T> extends EventBase<T> {
  constructor(type: string, detail: T) {
    super(type, { detail, bubbles: true, composed: true });
  }
}

/** The server says the order is paid. Fired once. */
export class PayQrPaidEvent extends PayQrEvent<PayQrEventDetail> {
  static readonly type = 'pay-qr-paid';
  constructor(detail: PayQrEventDetail) {
    super(PayQrPaidEvent.type, detail);
  }
}

/** The order's deadline passed unpaid. */
export class PayQrExpiredEvent extends PayQrEvent<PayQrEventDetail> {
  static readonly type = 'pay-qr-expired';
  constructor(detail: PayQrEventDetail) {
    super(PayQrExpiredEvent.type, detail);
  }
}

/**
 * An attempt failed (declined, provider error) or could not be created, `status: 'failed'`,
 * and the widget offers a retry; or the order cannot be loaded at all, or offers no channel to
 * pay with (`error.code: 'no_channels'`), `status: 'error'`.
 */
export class PayQrFailedEvent extends PayQrEvent<PayQrFailedDetail> {
  static readonly type = 'pay-qr-failed';
  constructor(detail: PayQrFailedDetail) {
    super(PayQrFailedEvent.type, detail);
  }
}

/** The order was canceled (by the shop's server). */
export class PayQrCancelEvent extends PayQrEvent<PayQrEventDetail> {
  static readonly type = 'pay-qr-cancel';
  constructor(detail: PayQrEventDetail) {
    super(PayQrCancelEvent.type, detail);
  }
}

/** Any change of `status`, the specific events above included. */
export class PayQrStatusChangeEvent extends PayQrEvent<PayQrStatusChangeDetail> {
  static readonly type = 'pay-qr-status-change';
  constructor(detail: PayQrStatusChangeDetail) {
    super(PayQrStatusChangeEvent.type, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pay-qr-paid': PayQrPaidEvent;
    'pay-qr-expired': PayQrExpiredEvent;
    'pay-qr-failed': PayQrFailedEvent;
    'pay-qr-cancel': PayQrCancelEvent;
    'pay-qr-status-change': PayQrStatusChangeEvent;
  }
}
