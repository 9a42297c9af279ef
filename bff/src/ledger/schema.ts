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
  /** the current attempt's (the paying one, else the newest): for filtering the list */
  provider: ProviderId | null;
  channel: Channel | null;
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
  /** when it left `pending` */
  finished_at: number | null;
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

/**
 * Validly signed (or authenticated) but matching nothing in our ledger: money may have moved
 * that PayQR will never apply, so a person must look (and resolve it).
 */
export const NEEDS_REVIEW_OUTCOMES = ['amount_mismatch', 'currency_mismatch', 'merchant_mismatch', 'unknown_order'] as const;

/** What a person decided about something PayQR could not settle by itself. Never "paid". */
export interface Resolution {
  resolution: string | null;
  resolved_at: number | null;
  /** the actor's label, e.g. "console: Li Wei" or "api key" (the audit entry has the rest) */
  resolved_by: string | null;
  resolution_note: string | null;
}

export interface NotificationsTable extends Resolution {
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
export interface EventsTable extends Resolution {
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

export type ProviderCallOp = 'create' | 'query' | 'close' | 'reverse';

/** One call PayQR made to a provider, written after it answered (or failed). */
export interface ProviderCallsTable {
  id: Generated<number>;
  provider: ProviderId;
  op: ProviderCallOp;
  out_trade_no: string;
  attempt_id: string | null;
  started_at: number;
  latency_ms: number;
  /** created, paid, pending, failed, closed, refunded, not_found, unknown, not_closed, error */
  outcome: string;
  /** the provider's own code, when it gave one */
  code: string | null;
  /** the provider's message, or why the call failed */
  message: string | null;
}

export type ActorType = 'api_key' | 'console';

/** Append-only: the database refuses UPDATE and DELETE (migration 0002). */
export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_type: ActorType;
  /** console: the name given at sign-in (self-declared: there is one operator password) */
  actor_name: string | null;
  /** console: the first characters of the session's id hash, tying actions to one sign-in */
  actor_session: string | null;
  /** e.g. order.sync, order.cancel, event.redeliver, notification.resolve, console.sign_in */
  action: string;
  target_type: string;
  target_id: string;
  order_id: string | null;
  /** JSON text */
  before: string | null;
  /** JSON text */
  after: string | null;
  note: string | null;
  request_id: string | null;
}

export interface ConsoleSessionsTable {
  /** sha256 hex of the session id (the cookie carries the id, signed) */
  id: string;
  name: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  ip: string | null;
  user_agent: string | null;
}

export interface Database {
  orders: OrdersTable;
  attempts: AttemptsTable;
  notifications: NotificationsTable;
  events: EventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  provider_calls: ProviderCallsTable;
  audit_log: AuditLogTable;
  console_sessions: ConsoleSessionsTable;
}

export type OrderRow = Selectable<OrdersTable>;
export type NewOrderRow = Insertable<OrdersTable>;
export type AttemptRow = Selectable<AttemptsTable>;
export type NewAttemptRow = Insertable<AttemptsTable>;
export type AttemptPatch = Updateable<AttemptsTable>;
export type EventRow = Selectable<EventsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type ProviderCallRow = Selectable<ProviderCallsTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type ConsoleSessionRow = Selectable<ConsoleSessionsTable>;
