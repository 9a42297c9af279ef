/**
 * What PayQR's HTTP API answers and what its webhooks carry, in one place. These mirror the
 * server's own views (the BFF's `src/payments/views.ts` and the ledger's webhook `data`); a test
 * in the BFF checks that what the server produces is assignable to these types, so they cannot
 * drift apart. Money is always an integer of minor units (1999 = ¥19.99) with its currency;
 * times are ISO 8601 strings in UTC, except a webhook event's `created` (unix seconds).
 */

/** The wallet the payer uses. */
export type Channel = 'wechat' | 'alipay' | 'unionpay' | 'ecny';

/**
 * How the payer pays: `qr` (scans a code the page shows), `jsapi` (inside the wallet app),
 * `h5` (a mobile browser hands over to the wallet app), `micropay` (a cashier scans the payer's code).
 */
export type Scene = 'qr' | 'jsapi' | 'h5' | 'micropay';

/** `open` → `paid` | `expired` | `canceled` (an expired order can still become paid by a late payment). */
export type OrderStatus = 'open' | 'paid' | 'expired' | 'canceled';

/** `pending` → `paid` | `failed` | `closed`. */
export type AttemptStatus = 'pending' | 'paid' | 'failed' | 'closed';

/** What a payer is doing while a micropay scan is pending (shown at the till: 用户输入密码中…). */
export type MicropayProgress = 'paying' | 'password_entry';

/** Your own key/value pairs on an order (at most 20 keys; keys ≤ 40, string values ≤ 500 characters). */
export type Metadata = Record<string, string | number | boolean | null>;

/** One try to pay an order through one channel and provider. */
export interface Attempt {
  id: string;
  /** the order number this attempt has at the provider (your merchant order number + a sequence) */
  outTradeNo: string;
  /** which provider serves it, e.g. `chaoying` */
  provider: string;
  channel: Channel;
  scene: Scene;
  status: AttemptStatus;
  expiresAt: string;
  /** while pending, `qr` scene: the exact QR content to draw */
  qr?: { content: string };
  /** while pending, `jsapi` scene: the wallet bridge's parameters */
  jsapi?: Record<string, string>;
  /** while pending, `h5` scene: the hand-off URL */
  h5?: { url: string };
  paidAt?: string;
  /** when `failed`: the provider's code and words (or why PayQR reversed a scan) */
  failure?: { code: string | null; message: string | null };
  /** micropay while pending */
  progress?: MicropayProgress;
}

/** An order as your server sees it (`GET /api/orders/{id}` with the API key). */
export interface Order {
  id: string;
  /** your own order number, as given to `orders.create` */
  merchantOrderId: string;
  status: OrderStatus;
  /** minor units: 1999 = ¥19.99 */
  amount: number;
  currency: string;
  subject: string;
  expiresAt: string;
  paidAt?: string;
  /** the current attempt's channel */
  channel?: Channel;
  /** the current (latest) attempt */
  attempt?: Attempt;
  /** channels a payer can use for this order in the `qr` scene (from the routing) */
  channels: Channel[];
  /** channels a payer can use, by scene */
  channelsByScene: Partial<Record<Scene, Channel[]>>;
  /** increases on every change: pass it as `since` to `orders.retrieve` to wait for the next one */
  version: number;
  /** PayQR's clock when it answered */
  serverTime: string;
  /** what you gave `orders.create` (only your server sees it, never the widget) */
  metadata?: Metadata;
}

/** `orders.create`'s answer: the order and a client secret for the page's `<pay-qr secret="…">`. */
export interface CreatedOrder extends Order {
  /**
   * Lets the widget read this order and create attempts for it, nothing else. Hand it to the
   * page that pays this order only; a retried create issues a fresh one (the old one stays valid).
   */
  clientSecret: string;
}

export interface CreateOrderParams {
  /**
   * Your own order number (letters, digits and `_ - . :`, ≤ 64). It makes the call idempotent:
   * the same number with the same body returns the same order; with a different body, a
   * `PayQrConflictError`.
   */
  merchantOrderId: string;
  /** integer minor units: 1999 = ¥19.99 */
  amount: number;
  /** ISO 4217, default `CNY` */
  currency?: string | undefined;
  /** what the payer buys, shown in the wallet (≤ 128 characters) */
  subject: string;
  /** 60 s … 7 days; default PayQR's `PAYQR_ORDER_TTL_SECONDS` (900) */
  expiresInSeconds?: number | undefined;
  /** how long one QR (one attempt) stays payable before the widget offers "regenerate", 5 s … 1 day */
  attemptTtlSeconds?: number | undefined;
  /** where this order's webhooks go (default: PayQR's `PAYQR_WEBHOOK_URL`) */
  notifyUrl?: string | undefined;
  metadata?: Metadata | undefined;
}

/** `orders.micropay`'s answer. */
export interface MicropayResult {
  /** final (`paid`, `failed`), or `pending` while PayQR keeps querying the provider */
  status: 'paid' | 'failed' | 'pending';
  /** the scan's attempt; a `failed` one says why in `failure` */
  attempt: Attempt;
  progress?: MicropayProgress;
  serverTime: string;
}

// ─── webhook events ─────────────────────────────────────────────────────────

/** The paying attempt as a webhook carries it. */
export interface EventAttempt {
  id: string;
  outTradeNo: string;
  provider: string;
  channel: Channel;
  scene: Scene;
  status: AttemptStatus;
  amount: number;
  currency: string;
  /** the provider's own transaction number, when it gave one */
  providerTradeNo?: string;
  paidAt?: string;
}

/** A webhook's `data`: the order when the event happened, plus the paying attempt where there is one. */
export interface EventOrder {
  id: string;
  merchantOrderId: string;
  status: OrderStatus;
  amount: number;
  currency: string;
  subject: string;
  expiresAt: string;
  paidAt?: string;
  metadata?: Metadata;
  attempt?: EventAttempt;
}

export type EventType = 'order.paid' | 'order.expired' | 'order.canceled' | 'order.duplicate_payment';

interface EventBase<T extends EventType, D extends EventOrder> {
  /** the same on every retry of this event: deduplicate on it (deliveries are at-least-once) */
  id: string;
  type: T;
  /** when the change happened, unix seconds */
  created: number;
  data: D;
}

/** The order is paid: ship the goods. (It can follow an `order.expired`: a late payment is honoured.) */
export type OrderPaidEvent = EventBase<'order.paid', EventOrder & { status: 'paid'; attempt: EventAttempt }>;
/** The order expired unpaid. */
export type OrderExpiredEvent = EventBase<'order.expired', EventOrder & { status: 'expired' }>;
/** Your server canceled the order. */
export type OrderCanceledEvent = EventBase<'order.canceled', EventOrder & { status: 'canceled' }>;
/** A second attempt was paid after the order was already paid (or canceled): refund `data.attempt`. */
export type OrderDuplicatePaymentEvent = EventBase<'order.duplicate_payment', EventOrder & { attempt: EventAttempt }>;

/** What `webhooks.constructEvent` returns; switch on `type`. */
export type PayQrEvent = OrderPaidEvent | OrderExpiredEvent | OrderCanceledEvent | OrderDuplicatePaymentEvent;
