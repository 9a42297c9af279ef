/**
 * Finding orders and reading one order's whole story.
 *
 * `listOrders`: newest first, keyset pages (ledger/keyset.ts) that stay correct while orders
 * are being created. `orderTimeline`: everything that happened to the order, in time order —
 * created; each attempt with its provider calls; each notification (masked body); state
 * transitions; events and every webhook delivery try; operator actions. With `wait`/`since`
 * it is a long-poll: it answers when the order's version moves past `since` (a console page
 * follows the order without polling hard).
 */
import type { z } from 'zod';
import { notFound } from '../core/errors';
import { REVERSING } from '../ledger/attempts';
import type { AttemptRow, OrderRow } from '../ledger/schema';
import { NEEDS_REVIEW_OUTCOMES } from '../ledger/schema';
import type { OperatorContext } from './context';
import { encodeCursor, type orderListParams } from './params';
import {
  attemptDetail,
  auditView,
  deliveryTry,
  deliveryView,
  notificationView,
  orderDetail,
  orderSummary,
  providerCallView,
  type OrderSummary,
  type TimelineEntry,
  type TimelineView,
} from './views';

export interface Listing<T> {
  data: T[];
  /** pass as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export async function listOrders(ctx: OperatorContext, p: z.infer<typeof orderListParams>): Promise<Listing<OrderSummary>> {
  const page = await ctx.payments.ledger.orders.page({
    status: p.status,
    provider: p.provider,
    channel: p.channel,
    q: p.q,
    from: p.from,
    to: p.to,
    limit: p.limit,
    cursor: p.cursor,
  });
  return { data: page.rows.map(orderSummary), nextCursor: encodeCursor(page.next) };
}

/** Each kind of entry is capped; an order with more (a provider retrying for days) says so. */
export const TIMELINE_CAP = 1000;

/** Attempts a sync can still learn something about. */
export function syncable(a: AttemptRow): boolean {
  return a.status === 'pending' || (a.status === 'closed' && a.provider_close === 'pending') || (a.status === 'failed' && a.failure_code === REVERSING);
}

export async function orderTimeline(
  ctx: OperatorContext,
  orderId: string,
  opts: { wait?: number | undefined; since?: number | undefined; signal?: AbortSignal } = {},
): Promise<TimelineView> {
  const { ledger, clock } = ctx.payments;
  let order = await ledger.orders.get(orderId);
  if (!order) throw notFound();
  if (opts.since !== undefined && opts.wait) {
    const deadline = clock.now() + opts.wait * 1000;
    while (order.version === opts.since && !opts.signal?.aborted) {
      const remaining = deadline - clock.now();
      if (remaining <= 0) break;
      await ledger.feed.next(order.id, Math.min(remaining, 5000), opts.signal);
      order = (await ledger.orders.get(order.id)) ?? order;
    }
  }
  return buildTimeline(ctx, order);
}

async function buildTimeline(ctx: OperatorContext, order: OrderRow): Promise<TimelineView> {
  const { ledger } = ctx.payments;
  const [attempts, notifications, events, audit] = await Promise.all([
    ledger.attempts.list(order.id),
    ledger.notifications.list({ orderId: order.id, limit: TIMELINE_CAP + 1 }),
    ledger.events.list(order.id),
    ledger.audit.forOrder(order.id, TIMELINE_CAP + 1),
  ]);
  const [calls, tries] = await Promise.all([
    ledger.providerCalls.forAttempts(attempts.map((a) => a.id), TIMELINE_CAP + 1),
    ledger.events.tries(events.map((e) => e.id)),
  ]);
  const truncated = notifications.length > TIMELINE_CAP || audit.length > TIMELINE_CAP || calls.length > TIMELINE_CAP;

  // [time, tie-break rank, entry]: same-millisecond entries read cause before effect
  const rows: Array<[number, number, TimelineEntry]> = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  rows.push([order.created_at, 0, { kind: 'order.created', at: iso(order.created_at), orderId: order.id, merchantOrderId: order.merchant_order_id, amount: order.amount, currency: order.currency }]);
  for (const a of attempts) {
    rows.push([a.created_at, 1, { kind: 'attempt.created', at: iso(a.created_at), attemptId: a.id, provider: a.provider, channel: a.channel, scene: a.scene, outTradeNo: a.out_trade_no }]);
    if (a.status !== 'pending' && a.finished_at !== null) {
      rows.push([a.finished_at, 4, { kind: 'attempt.status', at: iso(a.finished_at), attemptId: a.id, from: 'pending', to: a.status, failure: attemptDetail(a).failure }]);
    }
  }
  for (const c of calls.slice(0, TIMELINE_CAP)) rows.push([c.started_at, 2, { kind: 'provider.call', at: iso(c.started_at), ...providerCallView(c) }]);
  for (const n of notifications.slice(0, TIMELINE_CAP)) rows.push([n.received_at, 3, { kind: 'notification', at: iso(n.received_at), notification: notificationView(n) }]);
  // the order's transitions are exactly its events (written in the same transaction)
  let status: OrderRow['status'] = 'open';
  const lastTry = new Map(tries.map((t) => [t.event_id, t]));
  for (const e of events) {
    const to = ({ 'order.paid': 'paid', 'order.expired': 'expired', 'order.canceled': 'canceled' } as const)[e.type as 'order.paid'];
    if (to) {
      rows.push([e.created_at, 5, { kind: 'order.status', at: iso(e.created_at), from: status, to, eventId: e.id }]);
      status = to;
    }
    rows.push([e.created_at, 6, { kind: 'event', at: iso(e.created_at), delivery: deliveryView(e, lastTry.get(e.id)) }]);
  }
  for (const t of tries) rows.push([t.attempted_at, 7, { kind: 'webhook.delivery', eventId: t.event_id, ...deliveryTry(t) }]);
  for (const a of audit.slice(0, TIMELINE_CAP)) rows.push([a.at, 8, { kind: 'audit', at: iso(a.at), audit: auditView(a) }]);
  rows.sort((x, y) => x[0] - y[0] || x[1] - y[1]);

  const review = (outcome: string, resolution: string | null) => (NEEDS_REVIEW_OUTCOMES as readonly string[]).includes(outcome) && resolution === null;
  return {
    order: orderDetail(order),
    attempts: attempts.map(attemptDetail),
    entries: rows.map((r) => r[2]),
    truncated,
    actions: {
      sync: attempts.some(syncable),
      cancel: order.status === 'open',
      redeliver: events.filter((e) => e.target_url !== null || ctx.defaultWebhookUrl !== undefined).map((e) => e.id),
      resolve: [
        ...notifications.filter((n) => review(n.outcome, n.resolution)).map((n) => ({ type: 'notification' as const, id: n.id })),
        ...events.filter((e) => e.type === 'order.duplicate_payment' && e.resolution === null).map((e) => ({ type: 'event' as const, id: e.id })),
      ],
    },
  };
}
