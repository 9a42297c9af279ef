/**
 * The events aggregate: the durable webhook outbox. An event is written in the same
 * transaction as the order change it describes (`insertEvent`, called by the order and
 * attempt transitions), so it exists exactly when the change does. Delivery (claims, leases,
 * tries) is the dispatcher's work: webhooks/dispatcher.ts.
 */
import { newSortableId } from '../core/random';
import { appendAudit, type NewAuditEntry } from './audit';
import type { LedgerContext, Tx } from './context';
import { before, pageOf, type Keyset, type Page } from './keyset';
import type { ResolutionInput, ResolveResult } from './notifications';
import type { AttemptRow, EventRow, EventType, OrderRow, WebhookDeliveryRow } from './schema';

export interface EventFilter {
  /** the webhook delivery state */
  state?: EventRow['delivery_status'] | undefined;
  orderId?: string | undefined;
  type?: EventType | undefined;
  /** order.duplicate_payment events: open = not resolved by a person yet */
  review?: 'open' | 'resolved' | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  cursor?: Keyset | undefined;
}

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

  /** Newest first. */
  async page(f: EventFilter): Promise<Page<EventRow>> {
    let q = this.c.db.selectFrom('events').selectAll();
    if (f.state) q = q.where('delivery_status', '=', f.state);
    if (f.orderId) q = q.where('order_id', '=', f.orderId);
    if (f.type) q = q.where('type', '=', f.type);
    if (f.review) {
      q = q.where('type', '=', 'order.duplicate_payment').where('resolution', f.review === 'open' ? 'is' : 'is not', null);
    }
    if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
    if (f.to !== undefined) q = q.where('created_at', '<', f.to);
    const cursor = f.cursor;
    if (cursor) q = q.where((eb) => before(eb, 'created_at', 'id', cursor));
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit + 1).execute();
    return pageOf(rows, f.limit, (r) => ({ at: r.created_at, id: r.id }));
  }

  /** Every delivery try of these events, oldest first. */
  async tries(eventIds: string[]): Promise<WebhookDeliveryRow[]> {
    if (eventIds.length === 0) return [];
    const rows = await this.c.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('event_id', 'in', eventIds)
      .orderBy('attempted_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /**
   * A person's decision about an `order.duplicate_payment` (refunded outside PayQR, or kept).
   * Once only, with its audit entry in the same transaction; the order is not touched.
   */
  resolve(id: string, r: ResolutionInput, audit: Pick<NewAuditEntry, 'actor' | 'requestId'>): Promise<ResolveResult<EventRow>> {
    const now = this.c.clock.now();
    return this.c.tx(async (trx): Promise<ResolveResult<EventRow>> => {
      const row = await trx
        .updateTable('events')
        .set({ resolution: r.resolution, resolved_at: now, resolved_by: r.by.slice(0, 160), resolution_note: r.note.slice(0, 1000) })
        .where('id', '=', id)
        .where('type', '=', 'order.duplicate_payment')
        .where('resolution', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        const current = await trx.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
        if (!current) return { kind: 'not_found' };
        return { kind: current.resolution !== null ? 'already_resolved' : 'not_resolvable', row: current };
      }
      await appendAudit(this.c, trx, {
        ...audit,
        action: 'event.resolve',
        targetType: 'event',
        targetId: id,
        orderId: row.order_id,
        before: { type: row.type, resolution: null },
        after: { type: row.type, resolution: r.resolution },
        note: r.note,
      });
      return { kind: 'resolved', row };
    });
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
