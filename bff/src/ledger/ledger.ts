/**
 * The order ledger: orders, attempts, notifications received and the webhook outbox.
 *
 * Every state change is a conditional update (`… WHERE status = 'pending'`) so that a
 * notification, the status poller, the sweeper and a second instance racing each other can
 * never both win; the side effect (an outbox event) is written in the same transaction as the
 * transition that caused it, so it happens exactly once.
 *
 * State machine (contract.md):
 *   order   open → paid | expired | canceled   (expired → paid: a payment the provider accepted
 *                                               before expiry but reported after it is honoured)
 *   attempt pending → paid | failed | closed    (closed → paid: the payer paid before the
 *                                               provider-side close took effect; money is real)
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Clock } from '../core/clock';
import type { AttemptStatus, Channel, OrderStatus, ProviderId, Scene } from '../core/domain';
import type { Random } from '../core/random';
import { newId, newSortableId } from '../core/random';
import type { ChangeFeed } from './change-feed';
import { PG_CHANNEL } from './change-feed';
import type { LedgerDb } from './db';
import type {
  AttemptActionKind,
  AttemptPatch,
  AttemptRow,
  Database,
  EventRow,
  EventType,
  NotificationOutcome,
  OrderRow,
} from './schema';

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

export interface NewAttempt {
  orderId: string;
  provider: ProviderId;
  channel: Channel;
  scene: Scene;
  expiresAt: number;
  /** builds the out_trade_no from the order's base and this attempt's sequence */
  outTradeNo(base: string, seq: number): string;
  extra?: Record<string, unknown>;
}

export type SettleResult =
  /** this call moved the attempt to paid and the order to paid (one order.paid event) */
  | { kind: 'settled'; order: OrderRow; attempt: AttemptRow }
  /** attempt paid, but the order was already paid by another attempt or canceled */
  | { kind: 'duplicate_payment'; order: OrderRow; attempt: AttemptRow }
  /** nothing changed: already paid (a duplicate notification or a second poller) */
  | { kind: 'already_paid'; order: OrderRow; attempt: AttemptRow }
  /** nothing changed: the attempt is in a state that cannot become paid (failed) */
  | { kind: 'not_payable'; order: OrderRow; attempt: AttemptRow };

export interface PaidFacts {
  providerTradeNo?: string | undefined;
  paidAt?: number | undefined;
  extra?: Record<string, unknown> | undefined;
}

type Tx = Kysely<Database> | Transaction<Database>;

/** failure_code of a micropay attempt whose reverse is under way. */
export const REVERSING = 'REVERSING';

export class Ledger {
  readonly db: Kysely<Database>;
  readonly dialect: LedgerDb['dialect'];

  constructor(
    private readonly handle: LedgerDb,
    private readonly deps: {
      clock: Clock;
      random: Random;
      feed: ChangeFeed;
      /** PAYQR_WEBHOOK_URL: where events go when the order has no notifyUrl */
      defaultWebhookUrl?: string | undefined;
    },
  ) {
    this.db = handle.db;
    this.dialect = handle.dialect;
  }

  get feed(): ChangeFeed {
    return this.deps.feed;
  }

  async close(): Promise<void> {
    await this.deps.feed.close();
    await this.handle.close();
  }

  // ─── orders ────────────────────────────────────────────────────────────────

  /**
   * Insert the order, or return the existing one for the same merchantOrderId.
   * `created: false` with a different fingerprint is the caller's 409.
   */
  async createOrder(input: NewOrder): Promise<{ order: OrderRow; created: boolean }> {
    const now = this.deps.clock.now();
    const row = {
      id: newId(this.deps.random, 'ord'),
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
    const inserted = await this.db
      .insertInto('orders')
      .values(row)
      .onConflict((oc) => oc.column('merchant_order_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { order: inserted, created: true };
    const existing = await this.db
      .selectFrom('orders')
      .selectAll()
      .where('merchant_order_id', '=', input.merchantOrderId)
      .executeTakeFirstOrThrow();
    return { order: existing, created: false };
  }

  /** Another client secret for an existing order (a shop server retrying its create). */
  async addClientSecretHash(orderId: string, hash: string, keep = 10): Promise<void> {
    const order = await this.getOrder(orderId);
    if (!order) return;
    const hashes = [...order.client_secret_hashes.split(' ').filter(Boolean), hash].slice(-keep);
    await this.db
      .updateTable('orders')
      .set({ client_secret_hashes: hashes.join(' ') })
      .where('id', '=', orderId)
      .execute();
  }

  getOrder(id: string): Promise<OrderRow | undefined> {
    return this.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listAttempts(orderId: string): Promise<AttemptRow[]> {
    return this.db.selectFrom('attempts').selectAll().where('order_id', '=', orderId).orderBy('seq', 'asc').execute();
  }

  /** The attempt the shopper is looking at: the paying one, else the newest. */
  async currentAttempt(order: OrderRow): Promise<AttemptRow | undefined> {
    if (order.paid_attempt_id) return this.getAttempt(order.paid_attempt_id);
    return this.db
      .selectFrom('attempts')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  getAttempt(id: string): Promise<AttemptRow | undefined> {
    return this.db.selectFrom('attempts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findAttemptByTradeNo(provider: ProviderId, outTradeNo: string): Promise<AttemptRow | undefined> {
    return this.db
      .selectFrom('attempts')
      .selectAll()
      .where('provider', '=', provider)
      .where('out_trade_no', '=', outTradeNo)
      .executeTakeFirst();
  }

  // ─── attempts ──────────────────────────────────────────────────────────────

  /**
   * Reserve the next attempt of an open order: the sequence is taken with a conditional
   * update (only while the order is open and unexpired), the row is written `pending`
   * before the provider is called, so a crash after the call still leaves something to query.
   * Returns the order's other pending attempts: the caller closes them (one QR at a time).
   */
  async reserveAttempt(
    input: NewAttempt,
  ): Promise<{ attempt: AttemptRow; order: OrderRow; superseded: AttemptRow[] } | { refused: OrderRow | undefined }> {
    const now = this.deps.clock.now();
    for (let tries = 0; tries < 5; tries++) {
      const result = await this.tx(async (trx) => {
        const order = await trx
          .updateTable('orders')
          .set((eb) => ({ attempt_seq: eb('attempt_seq', '+', 1), updated_at: now }))
          .where('id', '=', input.orderId)
          .where('status', '=', 'open')
          .where('expires_at', '>', now)
          .returningAll()
          .executeTakeFirst();
        if (!order) return { refused: await trx.selectFrom('orders').selectAll().where('id', '=', input.orderId).executeTakeFirst() };
        const outTradeNo = input.outTradeNo(order.trade_no_base, order.attempt_seq);
        const clash = await trx
          .selectFrom('attempts')
          .select('id')
          .where('provider', '=', input.provider)
          .where('out_trade_no', '=', outTradeNo)
          .executeTakeFirst();
        // Another order's base + sequence can spell the same number (A1+01 = A10+1): skip it.
        if (clash) return 'retry' as const;
        const attempt = await trx
          .insertInto('attempts')
          .values({
            id: newId(this.deps.random, 'att'),
            order_id: order.id,
            seq: order.attempt_seq,
            provider: input.provider,
            channel: input.channel,
            scene: input.scene,
            out_trade_no: outTradeNo,
            status: 'pending',
            amount: order.amount,
            currency: order.currency,
            expires_at: Math.min(input.expiresAt, order.expires_at),
            action_kind: null,
            action_payload: null,
            provider_trade_no: null,
            paid_at: null,
            failure_code: null,
            failure_message: null,
            query_deadline_at: null,
            // the sweeper's first look; a watching widget may trigger one sooner (5 s rule)
            next_query_at: now + 5_000,
            last_queried_at: null,
            notified_at: null,
            provider_close: null,
            extra: input.extra ? JSON.stringify(input.extra) : null,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const superseded = await trx
          .selectFrom('attempts')
          .selectAll()
          .where('order_id', '=', order.id)
          .where('status', '=', 'pending')
          .where('id', '!=', attempt.id)
          .execute();
        return { attempt, order, superseded };
      });
      if (result !== 'retry') return result;
    }
    throw new Error(`could not find a free out_trade_no for order ${input.orderId}`);
  }

  /** The provider accepted the order: keep what the payer needs (QR content, bridge params…). */
  async recordAction(
    attemptId: string,
    action: { kind: AttemptActionKind; payload: unknown },
    providerTradeNo?: string,
  ): Promise<AttemptRow | undefined> {
    const now = this.deps.clock.now();
    return this.db
      .updateTable('attempts')
      .set({
        action_kind: action.kind,
        action_payload: JSON.stringify(action.payload),
        provider_trade_no: providerTradeNo ?? null,
        updated_at: now,
      })
      .where('id', '=', attemptId)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
  }

  /** The provider's answer is unknown: query from `firstQueryAt` until `deadline`. */
  async markUnknown(attemptId: string, firstQueryAt: number, deadline: number, reason: string): Promise<void> {
    await this.db
      .updateTable('attempts')
      .set({
        next_query_at: firstQueryAt,
        query_deadline_at: deadline,
        failure_message: reason.slice(0, 500),
        updated_at: this.deps.clock.now(),
      })
      .where('id', '=', attemptId)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Merge facts into an attempt's `extra`; a real change bumps the order (pollers see it). */
  async mergeExtra(attemptId: string, extra: Record<string, unknown>): Promise<void> {
    const now = this.deps.clock.now();
    const changed = await this.tx(async (trx) => {
      const current = await trx.selectFrom('attempts').selectAll().where('id', '=', attemptId).executeTakeFirst();
      if (!current) return undefined;
      const before = current.extra ?? '{}';
      const merged = JSON.stringify({ ...(JSON.parse(before) as Record<string, unknown>), ...extra });
      if (merged === before) return undefined;
      await trx.updateTable('attempts').set({ extra: merged, updated_at: now }).where('id', '=', attemptId).execute();
      await this.bumpOrder(trx, current.order_id, now);
      return current;
    });
    if (changed) this.deps.feed.publish(changed.order_id);
  }

  /** pending → failed. */
  async failAttempt(attemptId: string, code: string, message: string): Promise<AttemptRow | undefined> {
    return this.transitionAttempt(attemptId, ['pending'], 'failed', {
      failure_code: code.slice(0, 64),
      failure_message: message.slice(0, 500),
    });
  }

  /** pending → closed. `providerClosed` false means the provider-side close must be retried. */
  async closeAttempt(attemptId: string, providerClosed: boolean, reason = 'closed'): Promise<AttemptRow | undefined> {
    return this.transitionAttempt(attemptId, ['pending'], 'closed', {
      provider_close: providerClosed ? 'done' : 'pending',
      failure_code: reason.slice(0, 64),
    });
  }

  async markProviderClosed(attemptId: string): Promise<void> {
    await this.db
      .updateTable('attempts')
      .set({ provider_close: 'done', updated_at: this.deps.clock.now() })
      .where('id', '=', attemptId)
      .where('provider_close', '=', 'pending')
      .execute();
  }

  private async transitionAttempt(
    attemptId: string,
    from: AttemptStatus[],
    to: AttemptStatus,
    patch: Pick<AttemptPatch, 'failure_code' | 'failure_message' | 'provider_close'>,
  ): Promise<AttemptRow | undefined> {
    const now = this.deps.clock.now();
    const changed = await this.tx(async (trx) => {
      const row = await trx
        .updateTable('attempts')
        .set({ status: to, updated_at: now, ...patch })
        .where('id', '=', attemptId)
        .where('status', 'in', from)
        .returningAll()
        .executeTakeFirst();
      if (row) await this.bumpOrder(trx, row.order_id, now);
      return row;
    });
    if (changed) this.deps.feed.publish(changed.order_id);
    return changed;
  }

  /**
   * The provider says this attempt is paid (verified notification or signed query answer,
   * already matched against amount and merchant by the caller). Exactly one caller wins.
   */
  async settlePaid(attemptId: string, facts: PaidFacts, opts: { reverseRefused?: boolean } = {}): Promise<SettleResult> {
    const now = this.deps.clock.now();
    const result = await this.tx(async (trx): Promise<SettleResult> => {
      const attempt = await trx
        .updateTable('attempts')
        .set({
          status: 'paid',
          paid_at: facts.paidAt ?? now,
          provider_trade_no: facts.providerTradeNo ?? null,
          next_query_at: null,
          query_deadline_at: null,
          updated_at: now,
        })
        .where('id', '=', attemptId)
        .where((eb) =>
          opts.reverseRefused
            ? // the provider refused to reverse a payment it had taken: the money is real
              eb.and([eb('status', '=', 'failed'), eb('failure_code', '=', REVERSING)])
            : eb('status', 'in', ['pending', 'closed']),
        )
        .returningAll()
        .executeTakeFirst();
      if (!attempt) {
        const current = await trx.selectFrom('attempts').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow();
        const order = await trx.selectFrom('orders').selectAll().where('id', '=', current.order_id).executeTakeFirstOrThrow();
        return { kind: current.status === 'paid' ? 'already_paid' : 'not_payable', order, attempt: current };
      }
      if (facts.extra) {
        const merged = { ...(attempt.extra ? (JSON.parse(attempt.extra) as Record<string, unknown>) : {}), ...facts.extra };
        await trx.updateTable('attempts').set({ extra: JSON.stringify(merged) }).where('id', '=', attempt.id).execute();
      }
      const order = await trx
        .updateTable('orders')
        .set((eb) => ({
          status: 'paid' as const,
          paid_at: attempt.paid_at,
          paid_attempt_id: attempt.id,
          version: eb('version', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', attempt.order_id)
        .where('status', 'in', ['open', 'expired'])
        .returningAll()
        .executeTakeFirst();
      if (order) {
        await this.insertEvent(trx, order, attempt, 'order.paid', now);
        return { kind: 'settled', order, attempt };
      }
      // Money arrived for an order already settled by another attempt (or canceled by the
      // shop): record it and tell the shop so it can refund.
      const current = await trx
        .updateTable('orders')
        .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
        .where('id', '=', attempt.order_id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.insertEvent(trx, current, attempt, 'order.duplicate_payment', now);
      return { kind: 'duplicate_payment', order: current, attempt };
    });
    if (result.kind === 'settled' || result.kind === 'duplicate_payment') this.deps.feed.publish(result.order.id);
    return result;
  }

  /** open → expired, only once its time has passed. */
  async expireOrder(orderId: string): Promise<OrderRow | undefined> {
    const now = this.deps.clock.now();
    return this.transitionOrder(orderId, 'expired', 'order.expired', now);
  }

  /** open → canceled. */
  async cancelOrder(orderId: string): Promise<OrderRow | undefined> {
    return this.transitionOrder(orderId, 'canceled', 'order.canceled');
  }

  private async transitionOrder(
    orderId: string,
    to: OrderStatus,
    event: EventType,
    /** only if the order's expiry is at or before this time */
    expiredBy?: number,
  ): Promise<OrderRow | undefined> {
    const now = this.deps.clock.now();
    const order = await this.tx(async (trx) => {
      let q = trx
        .updateTable('orders')
        .set((eb) => ({ status: to, version: eb('version', '+', 1), updated_at: now }))
        .where('id', '=', orderId)
        .where('status', '=', 'open');
      if (expiredBy !== undefined) q = q.where('expires_at', '<=', expiredBy);
      const row = await q.returningAll().executeTakeFirst();
      if (row) await this.insertEvent(trx, row, undefined, event, now);
      return row;
    });
    if (order) this.deps.feed.publish(order.id);
    return order;
  }

  // ─── provider status queries ────────────────────────────────────────────────

  /**
   * Claim the right to query the provider about an attempt now. At most one claim per
   * attempt per `minGapMs` across every poller, sweeper and instance (conditional update).
   */
  async claimQuery(attemptId: string, opts: { minGapMs: number; nextQueryAt: number }): Promise<boolean> {
    const now = this.deps.clock.now();
    const r = await this.db
      .updateTable('attempts')
      .set({ last_queried_at: now, next_query_at: opts.nextQueryAt, updated_at: now })
      .where('id', '=', attemptId)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('last_queried_at', 'is', null), eb('last_queried_at', '<=', now - opts.minGapMs)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Pending attempts whose next scheduled query is due (the sweeper's work list). */
  dueQueries(limit: number): Promise<AttemptRow[]> {
    const now = this.deps.clock.now();
    return this.db
      .selectFrom('attempts')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_query_at', '<=', now)
      .orderBy('next_query_at', 'asc')
      .limit(limit)
      .execute();
  }

  /** Pending attempts past their own expiry (QR timed out): to close at the provider. */
  expiredAttempts(limit: number): Promise<AttemptRow[]> {
    const now = this.deps.clock.now();
    return this.db
      .selectFrom('attempts')
      .selectAll()
      .where('status', '=', 'pending')
      .where('expires_at', '<=', now)
      .orderBy('expires_at', 'asc')
      .limit(limit)
      .execute();
  }

  /**
   * Micropay past its deadline: commit to reversing BEFORE asking the provider to. The attempt
   * leaves `pending` (→ failed, REVERSING), so a success notification arriving from now on can
   * no longer settle money the reverse is about to refund. One defined end state either way:
   * paid (the success won, no reverse) or failed/REVERSED (the reverse won, money refunded).
   */
  async beginReverse(attemptId: string, reason: string): Promise<AttemptRow | undefined> {
    return this.transitionAttempt(attemptId, ['pending'], 'failed', {
      failure_code: REVERSING,
      failure_message: reason.slice(0, 500),
      provider_close: 'pending',
    });
  }

  /** The provider confirmed the reverse. `refunded`: it had been paid and was refunded. */
  async finishReverse(attemptId: string, refunded: boolean): Promise<void> {
    await this.db
      .updateTable('attempts')
      .set({
        failure_code: refunded ? 'REVERSED_REFUNDED' : 'REVERSED',
        provider_close: 'done',
        updated_at: this.deps.clock.now(),
      })
      .where('id', '=', attemptId)
      .where('failure_code', '=', REVERSING)
      .execute();
  }

  /** Reverses committed to but not yet confirmed by the provider (retried by the sweeper). */
  unfinishedReverses(limit: number): Promise<AttemptRow[]> {
    return this.db
      .selectFrom('attempts')
      .selectAll()
      .where('status', '=', 'failed')
      .where('failure_code', '=', REVERSING)
      .orderBy('updated_at', 'asc')
      .limit(limit)
      .execute();
  }

  /** Attempts closed locally whose provider-side close has not been confirmed yet. */
  unconfirmedCloses(limit: number): Promise<AttemptRow[]> {
    return this.db
      .selectFrom('attempts')
      .selectAll()
      .where('status', '=', 'closed')
      .where('provider_close', '=', 'pending')
      .orderBy('updated_at', 'asc')
      .limit(limit)
      .execute();
  }

  expiredOpenOrders(limit: number): Promise<OrderRow[]> {
    const now = this.deps.clock.now();
    return this.db
      .selectFrom('orders')
      .selectAll()
      .where('status', '=', 'open')
      .where('expires_at', '<=', now)
      .orderBy('expires_at', 'asc')
      .limit(limit)
      .execute();
  }

  pendingAttemptsOf(orderId: string): Promise<AttemptRow[]> {
    return this.db
      .selectFrom('attempts')
      .selectAll()
      .where('order_id', '=', orderId)
      .where('status', '=', 'pending')
      .execute();
  }

  async noteNotified(attemptId: string): Promise<void> {
    await this.db
      .updateTable('attempts')
      .set({ notified_at: this.deps.clock.now() })
      .where('id', '=', attemptId)
      .execute();
  }

  // ─── notifications ─────────────────────────────────────────────────────────

  async recordNotification(n: {
    provider: ProviderId;
    outTradeNo?: string | undefined;
    attemptId?: string | undefined;
    orderId?: string | undefined;
    outcome: NotificationOutcome;
    detail?: string | undefined;
    body: string;
  }): Promise<void> {
    await this.db
      .insertInto('notifications')
      .values({
        id: newId(this.deps.random, 'ntf'),
        provider: n.provider,
        received_at: this.deps.clock.now(),
        out_trade_no: n.outTradeNo?.slice(0, 64) ?? null,
        attempt_id: n.attemptId ?? null,
        order_id: n.orderId ?? null,
        outcome: n.outcome,
        detail: n.detail?.slice(0, 1000) ?? null,
        body: n.body.slice(0, 16_384),
      })
      .execute();
  }

  listNotifications(filter: { orderId?: string; provider?: ProviderId } = {}) {
    let q = this.db.selectFrom('notifications').selectAll().orderBy('received_at', 'asc');
    if (filter.orderId) q = q.where('order_id', '=', filter.orderId);
    if (filter.provider) q = q.where('provider', '=', filter.provider);
    return q.execute();
  }

  // ─── events (webhook outbox) ───────────────────────────────────────────────

  listEvents(orderId?: string): Promise<EventRow[]> {
    let q = this.db.selectFrom('events').selectAll().orderBy('created_at', 'asc').orderBy('id', 'asc');
    if (orderId) q = q.where('order_id', '=', orderId);
    return q.execute();
  }

  private async insertEvent(trx: Tx, order: OrderRow, attempt: AttemptRow | undefined, type: EventType, now: number) {
    const target = order.notify_url ?? this.deps.defaultWebhookUrl ?? null;
    await trx
      .insertInto('events')
      .values({
        id: newSortableId(this.deps.random, 'evt', now),
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

  private async bumpOrder(trx: Tx, orderId: string, now: number) {
    await trx
      .updateTable('orders')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
      .where('id', '=', orderId)
      .execute();
  }

  /**
   * Run `fn` in a transaction. On PostgreSQL a NOTIFY is queued inside it so that other
   * instances wake their long-polls exactly when the change commits.
   */
  private async tx<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const result = await fn(trx);
      if (this.dialect === 'postgres') {
        const orderId = orderIdOf(result);
        if (orderId) await sql`SELECT pg_notify(${PG_CHANNEL}, ${orderId})`.execute(trx);
      }
      return result;
    });
  }
}

function orderIdOf(result: unknown): string | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const r = result as { order?: { id?: string }; order_id?: string; id?: string; merchant_order_id?: string };
  if (r.order?.id) return r.order.id;
  if (typeof r.order_id === 'string') return r.order_id;
  if (typeof r.merchant_order_id === 'string' && typeof r.id === 'string') return r.id;
  return undefined;
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
