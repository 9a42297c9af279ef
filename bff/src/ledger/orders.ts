/**
 * The orders aggregate. State machine (contract.md):
 *   open → paid | expired | canceled   (expired → paid: a payment the provider accepted before
 *                                       expiry but reported after it is honoured — attempts.ts)
 * Every transition is a conditional update (`… WHERE status = 'open'`) with its outbox event
 * written in the same transaction, so racing sweepers, shops and instances change it once.
 */
import type { Channel, OrderStatus, ProviderId } from '../core/domain';
import { newId } from '../core/random';
import type { LedgerContext, Tx } from './context';
import { insertEvent } from './events';
import { before, pageOf, type Keyset, type Page } from './keyset';
import type { EventType, OrderRow } from './schema';

export interface NewOrder {
  merchantOrderId: string;
  tradeNoBase: string;
  amount: number;
  currency: string;
  subject: string;
  expiresAt: number;
  attemptTtlMs: number;
  clientSecretHash: string;
  notifyUrl: string | null;
  metadata: string | null;
  requestFingerprint: string;
}

export interface OrderFilter {
  status?: OrderStatus | undefined;
  /** the order's current attempt's provider / channel */
  provider?: ProviderId | undefined;
  channel?: Channel | undefined;
  /**
   * An exact id: the order id, the merchant order id, an attempt's provider order number
   * (out_trade_no) or the provider's transaction id. Each is an index lookup.
   */
  q?: string | undefined;
  /** created at or after / before (epoch ms) */
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  cursor?: Keyset | undefined;
}

export class OrderRepository {
  constructor(private readonly c: LedgerContext) {}

  /**
   * Insert the order, or return the existing one for the same merchantOrderId.
   * `created: false` with a different fingerprint is the caller's 409.
   */
  async create(input: NewOrder): Promise<{ order: OrderRow; created: boolean }> {
    const now = this.c.clock.now();
    const row = {
      id: newId(this.c.random, 'ord'),
      merchant_order_id: input.merchantOrderId,
      trade_no_base: input.tradeNoBase,
      amount: input.amount,
      currency: input.currency,
      subject: input.subject,
      status: 'open' as const,
      expires_at: input.expiresAt,
      attempt_ttl_ms: input.attemptTtlMs,
      client_secret_hashes: input.clientSecretHash,
      notify_url: input.notifyUrl,
      metadata: input.metadata,
      request_fingerprint: input.requestFingerprint,
      attempt_seq: 0,
      paid_at: null,
      paid_attempt_id: null,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    const inserted = await this.c.db
      .insertInto('orders')
      .values(row)
      .onConflict((oc) => oc.column('merchant_order_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { order: inserted, created: true };
    const existing = await this.c.db
      .selectFrom('orders')
      .selectAll()
      .where('merchant_order_id', '=', input.merchantOrderId)
      .executeTakeFirstOrThrow();
    return { order: existing, created: false };
  }

  /** Another client secret for an existing order (a shop server retrying its create). */
  async addClientSecretHash(orderId: string, hash: string, keep = 10): Promise<void> {
    const order = await this.get(orderId);
    if (!order) return;
    const hashes = [...order.client_secret_hashes.split(' ').filter(Boolean), hash].slice(-keep);
    await this.c.db
      .updateTable('orders')
      .set({ client_secret_hashes: hashes.join(' ') })
      .where('id', '=', orderId)
      .execute();
  }

  get(id: string): Promise<OrderRow | undefined> {
    return this.c.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Newest first, keyset-paginated (keyset.ts); every filter can use an index (migration 0002). */
  async page(f: OrderFilter): Promise<Page<OrderRow>> {
    let q = this.c.db.selectFrom('orders').selectAll();
    if (f.status) q = q.where('status', '=', f.status);
    if (f.provider) q = q.where('provider', '=', f.provider);
    if (f.channel) q = q.where('channel', '=', f.channel);
    const needle = f.q;
    if (needle !== undefined) {
      // One index lookup per kind of id, as a set of order ids (an OR across the two tables
      // would make PostgreSQL scan every order).
      q = q.where('id', 'in', (eb) =>
        eb
          .selectFrom('orders as o')
          .select('o.id as order_id')
          .where('o.id', '=', needle)
          .union(eb.selectFrom('orders as m').select('m.id as order_id').where('m.merchant_order_id', '=', needle))
          .union(eb.selectFrom('attempts as a').select('a.order_id').where('a.out_trade_no', '=', needle))
          .union(eb.selectFrom('attempts as t').select('t.order_id').where('t.provider_trade_no', '=', needle)),
      );
    }
    if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
    if (f.to !== undefined) q = q.where('created_at', '<', f.to);
    const cursor = f.cursor;
    if (cursor) q = q.where((eb) => before(eb, 'created_at', 'id', cursor));
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit + 1).execute();
    return pageOf(rows, f.limit, (r) => ({ at: r.created_at, id: r.id }));
  }

  /** open → expired, only once its time has passed. */
  async expire(orderId: string): Promise<OrderRow | undefined> {
    const now = this.c.clock.now();
    return this.transition(orderId, 'expired', 'order.expired', now);
  }

  /** open → canceled. */
  async cancel(orderId: string): Promise<OrderRow | undefined> {
    return this.transition(orderId, 'canceled', 'order.canceled');
  }

  /** Open orders past their expiry (the sweeper's work list). */
  expiredOpen(limit: number): Promise<OrderRow[]> {
    const now = this.c.clock.now();
    return this.c.db
      .selectFrom('orders')
      .selectAll()
      .where('status', '=', 'open')
      .where('expires_at', '<=', now)
      .orderBy('expires_at', 'asc')
      .limit(limit)
      .execute();
  }

  private async transition(
    orderId: string,
    to: OrderStatus,
    event: EventType,
    /** only if the order's expiry is at or before this time */
    expiredBy?: number,
  ): Promise<OrderRow | undefined> {
    const now = this.c.clock.now();
    const order = await this.c.tx(async (trx) => {
      let q = trx
        .updateTable('orders')
        .set((eb) => ({ status: to, version: eb('version', '+', 1), updated_at: now }))
        .where('id', '=', orderId)
        .where('status', '=', 'open');
      if (expiredBy !== undefined) q = q.where('expires_at', '<=', expiredBy);
      const row = await q.returningAll().executeTakeFirst();
      if (row) await insertEvent(this.c, trx, row, undefined, event, now);
      return row;
    });
    if (order) this.c.feed.publish(order.id);
    return order;
  }
}

/** Something about the order changed (an attempt moved): long-polls compare the version. */
export async function bumpOrderVersion(trx: Tx, orderId: string, now: number): Promise<void> {
  await trx
    .updateTable('orders')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', orderId)
    .execute();
}
