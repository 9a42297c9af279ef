/**
 * The events aggregate: the durable webhook outbox. An event is written in the same
 * transaction as the order change it describes (`insertEvent`, called by the order and
 * attempt transitions), so it exists exactly when the change does. Delivery (claims, leases,
 * tries) is the dispatcher's work: webhooks/dispatcher.ts.
 */
import { newSortableId } from '../core/random';
import type { LedgerContext, Tx } from './context';
import type { AttemptRow, EventRow, EventType, OrderRow } from './schema';

export class EventRepository {
  constructor(private readonly c: LedgerContext) {}

  /** An order's events (or every event), oldest first. */
  list(orderId?: string): Promise<EventRow[]> {
    let q = this.c.db.selectFrom('events').selectAll().orderBy('created_at', 'asc').orderBy('id', 'asc');
    if (orderId) q = q.where('order_id', '=', orderId);
    return q.execute();
  }

  get(id: string): Promise<EventRow | undefined> {
    return this.c.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  }
}

/** Write an outbox event inside the transition's transaction. */
export async function insertEvent(
  c: LedgerContext,
  trx: Tx,
  order: OrderRow,
  attempt: AttemptRow | undefined,
  type: EventType,
  now: number,
): Promise<void> {
  const target = order.notify_url ?? c.defaultWebhookUrl ?? null;
  await trx
    .insertInto('events')
    .values({
      id: newSortableId(c.random, 'evt', now),
      order_id: order.id,
      attempt_id: attempt?.id ?? null,
      type,
      data: JSON.stringify(eventData(order, attempt)),
      created_at: now,
      delivery_status: target ? 'pending' : 'no_target',
      target_url: target,
      delivery_attempts: 0,
      next_attempt_at: target ? now : null,
      lease_until: null,
      delivered_at: null,
      last_error: null,
    })
    .execute();
}

/** What a webhook's `data` carries: the order as the shop sees it, plus the paying attempt. */
export function eventData(order: OrderRow, attempt?: AttemptRow) {
  return {
    id: order.id,
    merchantOrderId: order.merchant_order_id,
    status: order.status,
    amount: order.amount,
    currency: order.currency,
    subject: order.subject,
    expiresAt: new Date(order.expires_at).toISOString(),
    ...(order.paid_at ? { paidAt: new Date(order.paid_at).toISOString() } : {}),
    ...(order.metadata ? { metadata: JSON.parse(order.metadata) as unknown } : {}),
    ...(attempt
      ? {
          attempt: {
            id: attempt.id,
            outTradeNo: attempt.out_trade_no,
            provider: attempt.provider,
            channel: attempt.channel,
            scene: attempt.scene,
            status: attempt.status,
            amount: attempt.amount,
            currency: attempt.currency,
            ...(attempt.provider_trade_no ? { providerTradeNo: attempt.provider_trade_no } : {}),
            ...(attempt.paid_at ? { paidAt: new Date(attempt.paid_at).toISOString() } : {}),
          },
        }
      : {}),
  };
}
