/**
 * Operator actions that change something, each leaving an audit entry (who, when, what,
 * before → after). Resolutions write theirs in the same transaction as the change (ledger);
 * cancel and redeliver involve a provider or a shop's server, so their entry is written once
 * the outcome is known.
 */
import { conflict, describeZodIssues, invalidRequest, notFound } from '../core/errors';
import type { ResolveResult } from '../ledger/notifications';
import type { EventRow, NotificationRow } from '../ledger/schema';
import { cancelOrder as cancelOrderUseCase } from '../payments/orders';
import type { OrderView } from '../payments/views';
import type { RedeliverResult } from '../webhooks/dispatcher';
import { actorLabel, type OperatorCall, type OperatorContext } from './context';
import { DUPLICATE_PAYMENT_RESOLUTIONS, NOTIFICATION_RESOLUTIONS, resolveBody } from './params';
import { deliveryTry, deliveryView, notificationView, type DeliveryTryView, type DeliveryView, type NotificationView } from './views';

/** Cancel (the shop's endpoint, also the console's action): pending attempts closed at the provider, order → canceled. */
export async function cancelOrder(ctx: OperatorContext, orderId: string, call: OperatorCall): Promise<OrderView> {
  const p = ctx.payments;
  const before = await p.ledger.orders.get(orderId);
  const view = await cancelOrderUseCase(p, orderId);
  await p.ledger.audit.append({
    actor: call.actor,
    action: 'order.cancel',
    targetType: 'order',
    targetId: orderId,
    orderId,
    before: { status: before?.status ?? null },
    after: { status: view.status },
    requestId: call.requestId,
  });
  return view;
}

export interface RedeliverAnswer extends Omit<RedeliverResult, 'status'> {
  /** the event's delivery state afterwards */
  state: RedeliverResult['status'];
  /** the try just made (a new delivery row) */
  delivery: DeliveryTryView | null;
  event: DeliveryView;
}

/** Send an event again now: the same event id and body, one new delivery try. */
export async function redeliverEvent(ctx: OperatorContext, eventId: string, call: OperatorCall): Promise<RedeliverAnswer> {
  const ledger = ctx.payments.ledger;
  const before = await ledger.events.get(eventId);
  if (!before) throw notFound('event');
  const result = await ctx.webhooks.redeliver(eventId);
  const after = (await ledger.events.get(eventId)) ?? before;
  const tries = await ledger.events.tries([eventId]);
  const last = tries[tries.length - 1];
  await ledger.audit.append({
    actor: call.actor,
    action: 'event.redeliver',
    targetType: 'event',
    targetId: eventId,
    orderId: before.order_id,
    before: { state: before.delivery_status, tries: before.delivery_attempts },
    after: { state: after.delivery_status, tries: after.delivery_attempts, httpStatus: result.httpStatus, error: result.error },
    requestId: call.requestId,
  });
  const { status, ...rest } = result;
  return { ...rest, state: status, delivery: last ? deliveryTry(last) : null, event: deliveryView(after, last) };
}

const notificationResolution = resolveBody(NOTIFICATION_RESOLUTIONS);
const duplicateResolution = resolveBody(DUPLICATE_PAYMENT_RESOLUTIONS);

export async function resolveNotification(ctx: OperatorContext, id: string, body: unknown, call: OperatorCall): Promise<NotificationView> {
  const parsed = notificationResolution.safeParse(body ?? {});
  if (!parsed.success) throw invalidRequest(describeZodIssues(parsed.error.issues));
  const r = await ctx.payments.ledger.notifications.resolve(id, { ...parsed.data, by: actorLabel(call.actor) }, call);
  return notificationView(settled(r, 'notification', (n) => `Notification ${n.id} (${n.outcome}) needs no resolution: only a validly signed notification that matched nothing (amount, currency, merchant, unknown order) does.`));
}

export async function resolveEvent(ctx: OperatorContext, id: string, body: unknown, call: OperatorCall): Promise<DeliveryView> {
  const parsed = duplicateResolution.safeParse(body ?? {});
  if (!parsed.success) throw invalidRequest(describeZodIssues(parsed.error.issues));
  const r = await ctx.payments.ledger.events.resolve(id, { ...parsed.data, by: actorLabel(call.actor) }, call);
  const event = settled(r, 'event', (e) => `Event ${e.id} is ${e.type}: only order.duplicate_payment events are resolved by a person.`);
  const tries = await ctx.payments.ledger.events.tries([event.id]);
  return deliveryView(event, tries[tries.length - 1]);
}

function settled<T extends NotificationRow | EventRow>(r: ResolveResult<T>, what: string, notResolvable: (row: T) => string): T {
  switch (r.kind) {
    case 'resolved':
      return r.row;
    case 'not_found':
      throw notFound(what);
    case 'already_resolved':
      throw conflict(`This ${what} was already resolved (${r.row.resolution}) by ${r.row.resolved_by} at ${new Date(r.row.resolved_at ?? 0).toISOString()}.`, {
        resolution: r.row.resolution,
      });
    case 'not_resolvable':
      throw conflict(notResolvable(r.row));
  }
}
