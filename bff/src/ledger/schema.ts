/**
 * The ledger's tables, as Kysely sees them. Every time is epoch milliseconds (integer) and
 * every amount an integer of minor units, so SQLite and PostgreSQL store exactly the same
 * values (PostgreSQL `bigint`, parsed back to numbers — all far below 2^53).
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AttemptStatus, Channel, OrderStatus, ProviderId, Scene } from '../core/domain';

export interface OrdersTable {
  id: string;
  merchant_order_id: string;
  /** alphanumeric base of every attempt's out_trade_no (merchant order number, sanitised) */
  trade_no_base: string;
  amount: number;
  currency: string;
  subject: string;
  status: OrderStatus;
  expires_at: number;
  /** lifetime of one attempt's QR before the widget offers "regenerate" (≤ order expiry) */
  attempt_ttl_ms: number;
  /** sha256 hex of each client secret issued (space-separated): a retried create gets a new one */
  client_secret_hashes: string;
  notify_url: string | null;
  /** JSON text */
  metadata: string | null;
  /** sha256 of the canonical create request: same merchantOrderId + different body → 409 */
  request_fingerprint: string;
  /** last attempt sequence handed out */
  attempt_seq: number;
  paid_at: number | null;
  paid_attempt_id: string | null;
  /** monotonically increasing on every change (long-poll and SSE compare it) */
  version: number;
  created_at: number;
  updated_at: number;
}

export type AttemptActionKind = 'qr' | 'jsapi' | 'h5' | 'none';

export interface AttemptsTable {
  id: string;
  order_id: string;
  seq: number;
  provider: ProviderId;
  channel: Channel;
  scene: Scene;
  out_trade_no: string;
  status: AttemptStatus;
  amount: number;
  currency: string;
  expires_at: number;
  action_kind: AttemptActionKind | null;
  /** JSON text of the payer action (qr content, bridge params, h5 url) */
  action_payload: string | null;
  provider_trade_no: string | null;
  paid_at: number | null;
  failure_code: string | null;
  failure_message: string | null;
  /** the provider's answer is unknown (timeout, NEED_QUERY …): query until this deadline */
  query_deadline_at: number | null;
  /** earliest time the next provider query may run; claimed with a conditional update */
  next_query_at: number | null;
  last_queried_at: number | null;
  /** time of the last verified notification for this attempt */
  notified_at: number | null;
  /** provider-side close: null, 'pending' (must be retried), 'done' */
  provider_close: 'pending' | 'done' | null;
  /** JSON text: provider amounts worth keeping (payable/real, vouchers), auth-code channel … */
  extra: string | null;
  created_at: number;
  updated_at: number;
}

export type NotificationOutcome =
  | 'applied'
  | 'duplicate'
  | 'bad_signature'
  | 'missing_signature'
  | 'malformed'
  | 'unknown_order'
  | 'amount_mismatch'
  | 'merchant_mismatch'
  | 'currency_mismatch'
  | 'hint'
  | 'not_final';

export interface NotificationsTable {
  id: string;
  provider: ProviderId;
  received_at: number;
  out_trade_no: string | null;
  attempt_id: string | null;
  order_id: string | null;
  outcome: NotificationOutcome;
  detail: string | null;
  /** the raw body as received (capped), for an operator to read */
  body: string;
}

export type EventType = 'order.paid' | 'order.expired' | 'order.canceled' | 'order.duplicate_payment';

/** The durable outbox: written in the same transaction as the state change it describes. */
export interface EventsTable {
  id: string;
  order_id: string;
  attempt_id: string | null;
  type: EventType;
  /** JSON text of the webhook body's `data` (the order as the shop sees it) */
  data: string;
  created_at: number;
  /** webhook delivery state */
  delivery_status: 'pending' | 'delivered' | 'failed' | 'no_target';
  target_url: string | null;
  delivery_attempts: number;
  next_attempt_at: number | null;
  /** a worker's lease: it owns the delivery until this time */
  lease_until: number | null;
  delivered_at: number | null;
  last_error: string | null;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  event_id: string;
  attempted_at: number;
  duration_ms: number;
  url: string;
  http_status: number | null;
  error: string | null;
  /** first part of the answer, for an operator */
  response_excerpt: string | null;
}

export interface Database {
  orders: OrdersTable;
  attempts: AttemptsTable;
  notifications: NotificationsTable;
  events: EventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type OrderRow = Selectable<OrdersTable>;
export type NewOrderRow = Insertable<OrdersTable>;
export type AttemptRow = Selectable<AttemptsTable>;
export type NewAttemptRow = Insertable<AttemptsTable>;
export type AttemptPatch = Updateable<AttemptsTable>;
export type EventRow = Selectable<EventsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
