/** The notification inbox, webhook deliveries and the audit log: newest first, keyset pages. */
import type { z } from 'zod';
import type { OperatorContext } from './context';
import type { Listing } from './orders';
import { encodeCursor, type auditListParams, type deliveryListParams, type notificationListParams } from './params';
import { auditView, deliveryView, notificationView, type AuditView, type DeliveryView, type NotificationView } from './views';

export async function listNotifications(ctx: OperatorContext, p: z.infer<typeof notificationListParams>): Promise<Listing<NotificationView>> {
  const page = await ctx.payments.ledger.notifications.page({
    outcomes: p.outcome,
    provider: p.provider,
    orderId: p.orderId,
    review: p.review,
    from: p.from,
    to: p.to,
    limit: p.limit,
    cursor: p.cursor,
  });
  return { data: page.rows.map(notificationView), nextCursor: encodeCursor(page.next) };
}

export async function listDeliveries(ctx: OperatorContext, p: z.infer<typeof deliveryListParams>): Promise<Listing<DeliveryView>> {
  const ledger = ctx.payments.ledger;
  const page = await ledger.events.page({ state: p.state, orderId: p.orderId, type: p.type, review: p.review, from: p.from, to: p.to, limit: p.limit, cursor: p.cursor });
  const tries = await ledger.events.tries(page.rows.map((e) => e.id));
  const last = new Map(tries.map((t) => [t.event_id, t]));
  return { data: page.rows.map((e) => deliveryView(e, last.get(e.id))), nextCursor: encodeCursor(page.next) };
}

export async function listAudit(ctx: OperatorContext, p: z.infer<typeof auditListParams>): Promise<Listing<AuditView>> {
  const page = await ctx.payments.ledger.audit.page({ orderId: p.orderId, action: p.action, targetId: p.targetId, from: p.from, to: p.to, limit: p.limit, cursor: p.cursor });
  return { data: page.rows.map(auditView), nextCursor: encodeCursor(page.next) };
}
