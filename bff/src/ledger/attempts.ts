/**
 * The attempts aggregate: one try to pay an order through one channel and provider.
 *
 * State machine (contract.md):
 *   pending → paid | failed | closed    (closed → paid: the payer paid before the provider-side
 *                                        close took effect; money is real)
 * Every state change is a conditional update (`… WHERE status = 'pending'`) so that a
 * notification, the status poller, the sweeper and a second instance racing each other can
 * never both win. Settling an attempt settles its order in the same transaction, with the
 * outbox event (`order.paid`, or `order.duplicate_payment` when the order was already paid).
 */
import type { AttemptStatus, Channel, ProviderId, Scene } from '../core/domain';
import { newId } from '../core/random';
import type { LedgerContext } from './context';
import { insertEvent } from './events';
import { bumpOrderVersion } from './orders';
import type { AttemptActionKind, AttemptPatch, AttemptRow, OrderRow } from './schema';

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

/** failure_code of a micropay attempt whose reverse is under way. */
export const REVERSING = 'REVERSING';

export class AttemptRepository {
  constructor(private readonly c: LedgerContext) {}

  get(id: string): Promise<AttemptRow | undefined> {
    return this.c.db.selectFrom('attempts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** An order's attempts, first to last. */
  list(orderId: string): Promise<AttemptRow[]> {
    return this.c.db.selectFrom('attempts').selectAll().where('order_id', '=', orderId).orderBy('seq', 'asc').execute();
  }

  /** The attempt the shopper is looking at: the paying one, else the newest. */
  async current(order: OrderRow): Promise<AttemptRow | undefined> {
    if (order.paid_attempt_id) return this.get(order.paid_attempt_id);
    return this.c.db
      .selectFrom('attempts')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  findByTradeNo(provider: ProviderId, outTradeNo: string): Promise<AttemptRow | undefined> {
    return this.c.db
      .selectFrom('attempts')
      .selectAll()
      .where('provider', '=', provider)
      .where('out_trade_no', '=', outTradeNo)
      .executeTakeFirst();
  }

  pendingOf(orderId: string): Promise<AttemptRow[]> {
    return this.c.db
      .selectFrom('attempts')
      .selectAll()
      .where('order_id', '=', orderId)
      .where('status', '=', 'pending')
      .execute();
  }

  /**
   * Reserve the next attempt of an open order: the sequence is taken with a conditional
   * update (only while the order is open and unexpired), the row is written `pending`
   * before the provider is called, so a crash after the call still leaves something to query.
   * Returns the order's other pending attempts: the caller closes them (one QR at a time).
   */
  async reserve(
    input: NewAttempt,
  ): Promise<{ attempt: AttemptRow; order: OrderRow; superseded: AttemptRow[] } | { refused: OrderRow | undefined }> {
    const now = this.c.clock.now();
    for (let tries = 0; tries < 5; tries++) {
      const result = await this.c.tx(async (trx) => {
        const order = await trx
          .updateTable('orders')
          .set((eb) => ({
            attempt_seq: eb('attempt_seq', '+', 1),
            // the newest attempt is the order's current one (until one pays)
            provider: input.provider,
            channel: input.channel,
            updated_at: now,
          }))
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
            id: newId(this.c.random, 'att'),
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
    const now = this.c.clock.now();
    return this.c.db
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
    await this.c.db
      .updateTable('attempts')
      .set({
        next_query_at: firstQueryAt,
        query_deadline_at: deadline,
        failure_message: reason.slice(0, 500),
        updated_at: this.c.clock.now(),
      })
      .where('id', '=', attemptId)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Merge facts into an attempt's `extra`; a real change bumps the order (pollers see it). */
  async mergeExtra(attemptId: string, extra: Record<string, unknown>): Promise<void> {
    const now = this.c.clock.now();
    const changed = await this.c.tx(async (trx) => {
      const current = await trx.selectFrom('attempts').selectAll().where('id', '=', attemptId).executeTakeFirst();
      if (!current) return undefined;
      const before = current.extra ?? '{}';
      const merged = JSON.stringify({ ...(JSON.parse(before) as Record<string, unknown>), ...extra });
      if (merged === before) return undefined;
      await trx.updateTable('attempts').set({ extra: merged, updated_at: now }).where('id', '=', attemptId).execute();
      await bumpOrderVersion(trx, current.order_id, now);
      return current;
    });
    if (changed) this.c.feed.publish(changed.order_id);
  }

  /** pending → failed. */
  async fail(attemptId: string, code: string, message: string): Promise<AttemptRow | undefined> {
    return this.transition(attemptId, ['pending'], 'failed', {
      failure_code: code.slice(0, 64),
      failure_message: message.slice(0, 500),
    });
  }

  /** pending → closed. `providerClosed` false means the provider-side close must be retried. */
  async close(attemptId: string, providerClosed: boolean, reason = 'closed'): Promise<AttemptRow | undefined> {
    return this.transition(attemptId, ['pending'], 'closed', {
      provider_close: providerClosed ? 'done' : 'pending',
      failure_code: reason.slice(0, 64),
    });
  }

  async markProviderClosed(attemptId: string): Promise<void> {
    await this.c.db
      .updateTable('attempts')
      .set({ provider_close: 'done', updated_at: this.c.clock.now() })
      .where('id', '=', attemptId)
      .where('provider_close', '=', 'pending')
      .execute();
  }

  private async transition(
    attemptId: string,
    from: AttemptStatus[],
    to: AttemptStatus,
    patch: Pick<AttemptPatch, 'failure_code' | 'failure_message' | 'provider_close'>,
  ): Promise<AttemptRow | undefined> {
    const now = this.c.clock.now();
    const changed = await this.c.tx(async (trx) => {
      const row = await trx
        .updateTable('attempts')
        .set({ status: to, updated_at: now, finished_at: now, ...patch })
        .where('id', '=', attemptId)
        .where('status', 'in', from)
        .returningAll()
        .executeTakeFirst();
      if (row) await bumpOrderVersion(trx, row.order_id, now);
      return row;
    });
    if (changed) this.c.feed.publish(changed.order_id);
    return changed;
  }

  /**
   * The provider says this attempt is paid (verified notification or signed query answer,
   * already matched against amount and merchant by the caller). Exactly one caller wins.
   */
  async settlePaid(attemptId: string, facts: PaidFacts, opts: { reverseRefused?: boolean } = {}): Promise<SettleResult> {
    const now = this.c.clock.now();
    const result = await this.c.tx(async (trx): Promise<SettleResult> => {
      const attempt = await trx
        .updateTable('attempts')
        .set({
          status: 'paid',
          paid_at: facts.paidAt ?? now,
          provider_trade_no: facts.providerTradeNo ?? null,
          next_query_at: null,
          query_deadline_at: null,
          updated_at: now,
          finished_at: now,
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
          provider: attempt.provider,
          channel: attempt.channel,
          version: eb('version', '+', 1),
          updated_at: now,
        }))
        .where('id', '=', attempt.order_id)
        .where('status', 'in', ['open', 'expired'])
        .returningAll()
        .executeTakeFirst();
      if (order) {
        await insertEvent(this.c, trx, order, attempt, 'order.paid', now);
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
      await insertEvent(this.c, trx, current, attempt, 'order.duplicate_payment', now);
      return { kind: 'duplicate_payment', order: current, attempt };
    });
    if (result.kind === 'settled' || result.kind === 'duplicate_payment') this.c.feed.publish(result.order.id);
    return result;
  }

  // ─── provider status queries ────────────────────────────────────────────────

  /**
   * Claim the right to query the provider about an attempt now. At most one claim per
   * attempt per `minGapMs` across every poller, sweeper and instance (conditional update).
   */
  async claimQuery(attemptId: string, opts: { minGapMs: number; nextQueryAt: number; statuses?: AttemptStatus[] }): Promise<boolean> {
    const now = this.c.clock.now();
    const r = await this.c.db
      .updateTable('attempts')
      .set({ last_queried_at: now, next_query_at: opts.nextQueryAt, updated_at: now })
      .where('id', '=', attemptId)
      // pending by default; an operator's sync also asks about closes and reverses not confirmed
      .where('status', 'in', opts.statuses ?? ['pending'])
      .where((eb) => eb.or([eb('last_queried_at', 'is', null), eb('last_queried_at', '<=', now - opts.minGapMs)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Pending attempts whose next scheduled query is due (the sweeper's work list). */
  dueQueries(limit: number): Promise<AttemptRow[]> {
    const now = this.c.clock.now();
    return this.c.db
      .selectFrom('attempts')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_query_at', '<=', now)
      .orderBy('next_query_at', 'asc')
      .limit(limit)
      .execute();
  }

  /** Pending attempts past their own expiry (QR timed out): to close at the provider. */
  expired(limit: number): Promise<AttemptRow[]> {
    const now = this.c.clock.now();
    return this.c.db
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
    return this.transition(attemptId, ['pending'], 'failed', {
      failure_code: REVERSING,
      failure_message: reason.slice(0, 500),
      provider_close: 'pending',
    });
  }

  /** The provider confirmed the reverse. `refunded`: it had been paid and was refunded. */
  async finishReverse(attemptId: string, refunded: boolean): Promise<void> {
    await this.c.db
      .updateTable('attempts')
      .set({
        failure_code: refunded ? 'REVERSED_REFUNDED' : 'REVERSED',
        provider_close: 'done',
        updated_at: this.c.clock.now(),
      })
      .where('id', '=', attemptId)
      .where('failure_code', '=', REVERSING)
      .execute();
  }

  /** Reverses committed to but not yet confirmed by the provider (retried by the sweeper). */
  unfinishedReverses(limit: number): Promise<AttemptRow[]> {
    return this.c.db
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
    return this.c.db
      .selectFrom('attempts')
      .selectAll()
      .where('status', '=', 'closed')
      .where('provider_close', '=', 'pending')
      .orderBy('updated_at', 'asc')
      .limit(limit)
      .execute();
  }

  async noteNotified(attemptId: string): Promise<void> {
    await this.c.db
      .updateTable('attempts')
      .set({ notified_at: this.c.clock.now() })
      .where('id', '=', attemptId)
      .execute();
  }
}
