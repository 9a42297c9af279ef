/**
 * Close an attempt at the provider and in the ledger. If the provider says it was paid after
 * all, settle it instead: closing must never lose a payment.
 */
import type { AttemptRow } from '../ledger/schema';
import type { QueryRef } from '../providers/types';
import { applyProviderStatus, checkMatch } from './apply';
import type { PaymentContext } from './context';

export function queryRef(a: AttemptRow): QueryRef {
  return {
    attemptId: a.id,
    outTradeNo: a.out_trade_no,
    createdAt: a.created_at,
    expiresAt: a.expires_at,
    channel: a.channel,
    scene: a.scene,
    ...(a.provider_trade_no ? { providerTradeNo: a.provider_trade_no } : {}),
  };
}

export async function closeAttemptEverywhere(
  ctx: PaymentContext,
  attempt: AttemptRow,
  reason: string,
): Promise<'closed' | 'paid' | 'close_pending' | 'reversed' | 'reverse_pending' | 'not_pending'> {
  const connector = ctx.connectors.get(attempt.provider);
  // A cashier payment past its deadline is reversed (撤销), not merely closed: the payer's
  // wallet may have been charged, and a reverse refunds it (providers.md, micropay machine).
  if (attempt.scene === 'micropay' && connector?.reversePayment) return reverseAttempt(ctx, attempt, reason);
  const log = ctx.log.child(attempt.provider).child('close');
  if (!connector) {
    await ctx.ledger.attempts.close(attempt.id, false, reason);
    return 'close_pending';
  }
  try {
    const r = await connector.closePayment(queryRef(attempt));
    if (r.alreadyPaid) {
      const applied = await applyProviderStatus(ctx, connector, attempt, r.alreadyPaid, 'close');
      if (applied.kind === 'paid') return 'paid';
    }
    await ctx.ledger.attempts.close(attempt.id, r.closed, reason);
    if (!r.closed) log.warn('provider did not confirm the close; will retry', { attempt: attempt.id, detail: r.detail });
    return r.closed ? 'closed' : 'close_pending';
  } catch (err) {
    log.warn('close at provider failed; will retry', { attempt: attempt.id, error: String(err) });
    await ctx.ledger.attempts.close(attempt.id, false, reason);
    return 'close_pending';
  }
}

/**
 * Reverse a micropay attempt: commit in the ledger first (pending → failed/REVERSING, so a late
 * success can no longer settle it), then ask the provider; retried idempotently by the sweeper
 * until the provider confirms.
 */
export async function reverseAttempt(
  ctx: PaymentContext,
  attempt: AttemptRow,
  reason: string,
): Promise<'paid' | 'reversed' | 'reverse_pending' | 'not_pending'> {
  const committed = await ctx.ledger.attempts.beginReverse(attempt.id, reason);
  if (!committed) return 'not_pending';
  ctx.log.child(attempt.provider).child('reverse').info('reversing', { order: attempt.order_id, attempt: attempt.id, reason });
  return finishReverse(ctx, committed);
}

/** Ask the provider to reverse an attempt already committed to reversing (also the retry). */
export async function finishReverse(ctx: PaymentContext, attempt: AttemptRow): Promise<'paid' | 'reversed' | 'reverse_pending'> {
  const connector = ctx.connectors.get(attempt.provider);
  const log = ctx.log.child(attempt.provider).child('reverse');
  if (!connector?.reversePayment) return 'reverse_pending';
  try {
    const r = await connector.reversePayment(queryRef(attempt));
    if (r.closed) {
      // closed with a payment attached: it had been paid, and the reverse refunded it
      await ctx.ledger.attempts.finishReverse(attempt.id, r.alreadyPaid !== undefined);
      log.info(r.alreadyPaid ? 'reversed (payment refunded)' : 'reversed', { attempt: attempt.id });
      return 'reversed';
    }
    if (r.alreadyPaid) {
      // The provider will not reverse a payment it took (e.g. past the same-day window): the
      // money is real, so the attempt is paid after all.
      const match = checkMatch(connector, attempt, r.alreadyPaid);
      if (!match) {
        await ctx.ledger.attempts.settlePaid(
          attempt.id,
          { providerTradeNo: r.alreadyPaid.providerTradeNo, paidAt: r.alreadyPaid.paidAt, extra: r.alreadyPaid.extra },
          { reverseRefused: true },
        );
        log.warn('provider refused the reverse of a paid order; settled as paid', { attempt: attempt.id, detail: r.detail });
        return 'paid';
      }
      log.error('reverse refused and the payment does not match the ledger', { attempt: attempt.id, detail: match.detail });
    }
    log.warn('reverse not confirmed; will retry', { attempt: attempt.id, detail: r.detail });
    return 'reverse_pending';
  } catch (err) {
    log.warn('reverse failed; will retry', { attempt: attempt.id, error: String(err) });
    return 'reverse_pending';
  }
}
