/**
 * The notifications aggregate: every provider notification received, whatever became of it
 * (applied, duplicate, forged, mismatched …), with its raw body for an operator to read.
 */
import type { ProviderId } from '../core/domain';
import { newSortableId } from '../core/random';
import { appendAudit, type NewAuditEntry } from './audit';
import { sql } from 'kysely';
import type { LedgerContext } from './context';
import { before, pageOf, type Keyset, type Page } from './keyset';
import { NEEDS_REVIEW_SQL } from './migrations';
import { NEEDS_REVIEW_OUTCOMES, type NotificationOutcome, type NotificationRow } from './schema';

export interface NewNotification {
  provider: ProviderId;
  outTradeNo?: string | undefined;
  attemptId?: string | undefined;
  orderId?: string | undefined;
  outcome: NotificationOutcome;
  detail?: string | undefined;
  body: string;
  /** default: now */
  receivedAt?: number | undefined;
}

export interface NotificationFilter {
  outcomes?: NotificationOutcome[] | undefined;
  provider?: ProviderId | undefined;
  orderId?: string | undefined;
  /** open: needs a person and not resolved yet; resolved: a person resolved it */
  review?: 'open' | 'resolved' | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  cursor?: Keyset | undefined;
}

export type ResolveResult<T> =
  | { kind: 'resolved'; row: T }
  | { kind: 'already_resolved'; row: T }
  | { kind: 'not_resolvable'; row: T }
  | { kind: 'not_found' };

export interface ResolutionInput {
  resolution: string;
  note: string;
  /** the actor's label (resolved_by) */
  by: string;
}

export class NotificationRepository {
  constructor(private readonly c: LedgerContext) {}

  async record(n: NewNotification): Promise<void> {
    const receivedAt = n.receivedAt ?? this.c.clock.now();
    await this.c.db
      .insertInto('notifications')
      .values({
        // sorts by arrival: same-millisecond notifications list in the order they were recorded
        id: newSortableId(this.c.random, 'ntf', receivedAt),
        provider: n.provider,
        received_at: receivedAt,
        out_trade_no: n.outTradeNo?.slice(0, 64) ?? null,
        attempt_id: n.attemptId ?? null,
        order_id: n.orderId ?? null,
        outcome: n.outcome,
        detail: n.detail?.slice(0, 1000) ?? null,
        body: n.body.slice(0, 16_384),
      })
      .execute();
  }

  get(id: string): Promise<NotificationRow | undefined> {
    return this.c.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Newest first (the operator's inbox). */
  async page(f: NotificationFilter): Promise<Page<NotificationRow>> {
    let q = this.c.db.selectFrom('notifications').selectAll();
    if (f.outcomes?.length) q = q.where('outcome', 'in', f.outcomes);
    if (f.provider) q = q.where('provider', '=', f.provider);
    if (f.orderId) q = q.where('order_id', '=', f.orderId);
    if (f.review === 'open') {
      // literally the partial index's predicate (migration 0002), so both databases use it
      q = q.where(sql.raw<boolean>(NEEDS_REVIEW_SQL));
    } else if (f.review === 'resolved') {
      q = q.where('outcome', 'in', [...NEEDS_REVIEW_OUTCOMES]).where('resolution', 'is not', null);
    }
    if (f.from !== undefined) q = q.where('received_at', '>=', f.from);
    if (f.to !== undefined) q = q.where('received_at', '<', f.to);
    const cursor = f.cursor;
    if (cursor) q = q.where((eb) => before(eb, 'received_at', 'id', cursor));
    const rows = await q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(f.limit + 1).execute();
    return pageOf(rows, f.limit, (r) => ({ at: r.received_at, id: r.id }));
  }

  /**
   * A person's decision about a notification that was validly signed but matched nothing
   * (NEEDS_REVIEW_OUTCOMES). Once only (conditional update), with its audit entry in the same
   * transaction. It changes no order or attempt: nothing but a provider's evidence pays.
   */
  resolve(id: string, r: ResolutionInput, audit: Pick<NewAuditEntry, 'actor' | 'requestId'>): Promise<ResolveResult<NotificationRow>> {
    const now = this.c.clock.now();
    return this.c.tx(async (trx): Promise<ResolveResult<NotificationRow>> => {
      const row = await trx
        .updateTable('notifications')
        .set({ resolution: r.resolution, resolved_at: now, resolved_by: r.by.slice(0, 160), resolution_note: r.note.slice(0, 1000) })
        .where('id', '=', id)
        .where('resolution', 'is', null)
        .where('outcome', 'in', [...NEEDS_REVIEW_OUTCOMES])
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        const current = await trx.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
        if (!current) return { kind: 'not_found' };
        return { kind: current.resolution !== null ? 'already_resolved' : 'not_resolvable', row: current };
      }
      await appendAudit(this.c, trx, {
        ...audit,
        action: 'notification.resolve',
        targetType: 'notification',
        targetId: id,
        orderId: row.order_id,
        before: { outcome: row.outcome, resolution: null },
        after: { outcome: row.outcome, resolution: r.resolution },
        note: r.note,
      });
      return { kind: 'resolved', row };
    });
  }

  /** Oldest first. */
  list(filter: { orderId?: string; provider?: ProviderId; limit?: number } = {}): Promise<NotificationRow[]> {
    let q = this.c.db.selectFrom('notifications').selectAll().orderBy('received_at', 'asc').orderBy('id', 'asc');
    if (filter.orderId) q = q.where('order_id', '=', filter.orderId);
    if (filter.provider) q = q.where('provider', '=', filter.provider);
    if (filter.limit !== undefined) q = q.limit(filter.limit);
    return q.execute();
  }
}
