/**
 * The operator API's JSON shapes (docs/operator-api.md). Times are ISO 8601 (UTC), money is an
 * integer of minor units with its currency, ids are the public ones. Nothing here carries a
 * client secret, an API key, a provider key or an unmasked notification signature.
 */
import type { AuditRow, AttemptRow, EventRow, NotificationRow, OrderRow, ProviderCallRow, WebhookDeliveryRow } from '../ledger/schema';
import { NEEDS_REVIEW_OUTCOMES } from '../ledger/schema';
import { maskBody, maskUrl } from './masking';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const parse = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

export interface OrderSummary {
  id: string;
  merchantOrderId: string;
  status: OrderRow['status'];
  amount: number;
  currency: string;
  subject: string;
  /** the current attempt's (the paying one, else the newest); null before any attempt */
  provider: string | null;
  channel: string | null;
  /** how many attempts the order has had */
  attempts: number;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  updatedAt: string;
  version: number;
}

export function orderSummary(o: OrderRow): OrderSummary {
  return {
    id: o.id,
    merchantOrderId: o.merchant_order_id,
    status: o.status,
    amount: o.amount,
    currency: o.currency,
    subject: o.subject,
    provider: o.provider,
    channel: o.channel,
    attempts: o.attempt_seq,
    createdAt: iso(o.created_at),
    expiresAt: iso(o.expires_at),
    paidAt: isoOrNull(o.paid_at),
    updatedAt: iso(o.updated_at),
    version: o.version,
  };
}

export interface OrderDetail extends OrderSummary {
  paidAttemptId: string | null;
  /** where its webhooks go (query values masked); null: PAYQR_WEBHOOK_URL, if set */
  notifyUrl: string | null;
  metadata: unknown;
}

export function orderDetail(o: OrderRow): OrderDetail {
  return { ...orderSummary(o), paidAttemptId: o.paid_attempt_id, notifyUrl: maskUrl(o.notify_url), metadata: parse(o.metadata) };
}

export interface AttemptDetail {
  id: string;
  seq: number;
  outTradeNo: string;
  provider: string;
  channel: string;
  scene: string;
  status: AttemptRow['status'];
  amount: number;
  currency: string;
  createdAt: string;
  expiresAt: string;
  finishedAt: string | null;
  paidAt: string | null;
  providerTradeNo: string | null;
  failure: { code: string | null; message: string | null } | null;
  /** an unknown outcome is queried until then */
  queryDeadlineAt: string | null;
  lastQueriedAt: string | null;
  notifiedAt: string | null;
  /** closed here; at the provider: pending (retried) or done */
  providerClose: AttemptRow['provider_close'];
  /** micropay: the payer's code, masked (first and last 4 digits) */
  authCode?: string;
  progress?: string;
}

export function attemptDetail(a: AttemptRow): AttemptDetail {
  const extra = a.extra ? (JSON.parse(a.extra) as { authCode?: unknown; progress?: unknown }) : {};
  return {
    id: a.id,
    seq: a.seq,
    outTradeNo: a.out_trade_no,
    provider: a.provider,
    channel: a.channel,
    scene: a.scene,
    status: a.status,
    amount: a.amount,
    currency: a.currency,
    createdAt: iso(a.created_at),
    expiresAt: iso(a.expires_at),
    finishedAt: isoOrNull(a.finished_at),
    paidAt: isoOrNull(a.paid_at),
    providerTradeNo: a.provider_trade_no,
    failure: a.failure_code || (a.status !== 'pending' && a.failure_message) ? { code: a.failure_code, message: a.failure_message } : null,
    queryDeadlineAt: isoOrNull(a.query_deadline_at),
    lastQueriedAt: isoOrNull(a.last_queried_at),
    notifiedAt: isoOrNull(a.notified_at),
    providerClose: a.provider_close,
    ...(typeof extra.authCode === 'string' ? { authCode: extra.authCode } : {}),
    ...(typeof extra.progress === 'string' && a.status === 'pending' ? { progress: extra.progress } : {}),
  };
}

export interface ReviewView {
  /** a person must decide (validly signed, but it matched nothing / money arrived twice) */
  needed: boolean;
  resolution: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  note: string | null;
}

function review(row: Pick<NotificationRow, 'resolution' | 'resolved_at' | 'resolved_by' | 'resolution_note'>, reviewable: boolean): ReviewView | null {
  if (!reviewable) return null;
  return {
    needed: row.resolution === null,
    resolution: row.resolution,
    resolvedAt: isoOrNull(row.resolved_at),
    resolvedBy: row.resolved_by,
    note: row.resolution_note,
  };
}

export interface NotificationView {
  id: string;
  receivedAt: string;
  provider: string;
  outcome: NotificationRow['outcome'];
  detail: string | null;
  outTradeNo: string | null;
  orderId: string | null;
  attemptId: string | null;
  /** the raw body as received, secrets masked (masking.ts) */
  body: string;
  /** set for the outcomes a person must resolve, else null */
  review: ReviewView | null;
}

export function notificationView(n: NotificationRow): NotificationView {
  return {
    id: n.id,
    receivedAt: iso(n.received_at),
    provider: n.provider,
    outcome: n.outcome,
    detail: n.detail,
    outTradeNo: n.out_trade_no,
    orderId: n.order_id,
    attemptId: n.attempt_id,
    body: maskBody(n.body),
    review: review(n, (NEEDS_REVIEW_OUTCOMES as readonly string[]).includes(n.outcome)),
  };
}

export interface DeliveryTryView {
  at: string;
  url: string | null;
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
  /** the first 300 characters of the shop's answer */
  response: string | null;
}

export const RESPONSE_SNIPPET_CHARS = 300;

export function deliveryTry(d: WebhookDeliveryRow): DeliveryTryView {
  const snippet = d.response_excerpt === null ? null : d.response_excerpt.length > RESPONSE_SNIPPET_CHARS ? `${d.response_excerpt.slice(0, RESPONSE_SNIPPET_CHARS - 1)}…` : d.response_excerpt;
  return { at: iso(d.attempted_at), url: maskUrl(d.url), httpStatus: d.http_status, latencyMs: d.duration_ms, error: d.error, response: snippet };
}

export interface DeliveryView {
  eventId: string;
  type: EventRow['type'];
  orderId: string;
  attemptId: string | null;
  createdAt: string;
  /** pending (being retried), delivered, failed (gave up after 3 days), no_target */
  state: EventRow['delivery_status'];
  target: string | null;
  tries: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastError: string | null;
  lastTry: DeliveryTryView | null;
  /** order.duplicate_payment only: the person's decision */
  review: ReviewView | null;
}

export function deliveryView(e: EventRow, lastTry: WebhookDeliveryRow | undefined): DeliveryView {
  return {
    eventId: e.id,
    type: e.type,
    orderId: e.order_id,
    attemptId: e.attempt_id,
    createdAt: iso(e.created_at),
    state: e.delivery_status,
    target: maskUrl(e.target_url),
    tries: e.delivery_attempts,
    nextAttemptAt: isoOrNull(e.next_attempt_at),
    deliveredAt: isoOrNull(e.delivered_at),
    lastError: e.last_error,
    lastTry: lastTry ? deliveryTry(lastTry) : null,
    review: review(e, e.type === 'order.duplicate_payment'),
  };
}

export interface ActorView {
  type: AuditRow['actor_type'];
  name: string | null;
  session: string | null;
}

export interface AuditView {
  id: number;
  at: string;
  actor: ActorView;
  action: string;
  target: { type: string; id: string };
  orderId: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
  requestId: string | null;
}

export function auditView(a: AuditRow): AuditView {
  return {
    id: a.id,
    at: iso(a.at),
    actor: { type: a.actor_type, name: a.actor_name, session: a.actor_session },
    action: a.action,
    target: { type: a.target_type, id: a.target_id },
    orderId: a.order_id,
    before: parse(a.before),
    after: parse(a.after),
    note: a.note,
    requestId: a.request_id,
  };
}

export interface ProviderCallView {
  attemptId: string | null;
  provider: string;
  op: ProviderCallRow['op'];
  outcome: string;
  latencyMs: number;
  code: string | null;
  message: string | null;
}

export function providerCallView(c: ProviderCallRow): ProviderCallView {
  return { attemptId: c.attempt_id, provider: c.provider, op: c.op, outcome: c.outcome, latencyMs: c.latency_ms, code: c.code, message: c.message };
}

/** One line of an order's timeline; `at` orders them, `kind` says which fields follow. */
export type TimelineEntry =
  | { kind: 'order.created'; at: string; orderId: string; merchantOrderId: string; amount: number; currency: string }
  | { kind: 'attempt.created'; at: string; attemptId: string; provider: string; channel: string; scene: string; outTradeNo: string }
  | ({ kind: 'provider.call'; at: string } & ProviderCallView)
  | { kind: 'notification'; at: string; notification: NotificationView }
  | { kind: 'attempt.status'; at: string; attemptId: string; from: 'pending'; to: AttemptRow['status']; failure: AttemptDetail['failure'] }
  | { kind: 'order.status'; at: string; from: OrderRow['status']; to: OrderRow['status']; eventId: string }
  | { kind: 'event'; at: string; delivery: DeliveryView }
  | ({ kind: 'webhook.delivery'; at: string; eventId: string } & DeliveryTryView)
  | { kind: 'audit'; at: string; audit: AuditView };

export interface TimelineView {
  order: OrderDetail;
  attempts: AttemptDetail[];
  /** oldest first */
  entries: TimelineEntry[];
  /** a list was cut at its cap (1000 of a kind): the newest are missing */
  truncated: boolean;
  /** what the console can offer on this order now */
  actions: {
    /** a non-final attempt exists: POST /api/orders/{id}/sync asks its provider */
    sync: boolean;
    /** open: POST /api/orders/{id}/cancel */
    cancel: boolean;
    /** events that can be sent again (they have, or can take, a target) */
    redeliver: string[];
    /** what waits for a person: POST /api/notifications/{id}/resolve, /api/events/{id}/resolve */
    resolve: Array<{ type: 'notification' | 'event'; id: string }>;
  };
}
