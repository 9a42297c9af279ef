/**
 * Close an attempt at the provider and in the ledger. If the provider says it was paid after
 * all, settle it instead: closing must never lose a payment.
 */
import type { AttemptRow } from '../ledger/schema';
import type { QueryRef } from '../providers/types';
import { applyProviderStatus } from './apply';
import type { PaymentContext } from './context';

export function queryRef(a: AttemptRow): QueryRef {
  return {
    outTradeNo: a.out_trade_no,
    createdAt: a.created_at,
    channel: a.channel,
    scene: a.scene,
    ...(a.provider_trade_no ? { providerTradeNo: a.provider_trade_no } : {}),
  };
}

export async function closeAttemptEverywhere(
  ctx: PaymentContext,
  attempt: AttemptRow,
  reason: string,
): Promise<'closed' | 'paid' | 'close_pending'> {
  const connector = ctx.connectors.get(attempt.provider);
  const log = ctx.log.child(attempt.provider).child('close');
  if (!connector) {
    await ctx.ledger.closeAttempt(attempt.id, false, reason);
    return 'close_pending';
  }
  try {
    const r = await connector.closePayment(queryRef(attempt));
    if (r.alreadyPaid) {
      const applied = await applyProviderStatus(ctx, connector, attempt, r.alreadyPaid, 'close');
      if (applied.kind === 'paid') return 'paid';
    }
    await ctx.ledger.closeAttempt(attempt.id, r.closed, reason);
    if (!r.closed) log.warn('provider did not confirm the close; will retry', { attempt: attempt.id, detail: r.detail });
    return r.closed ? 'closed' : 'close_pending';
  } catch (err) {
    log.warn('close at provider failed; will retry', { attempt: attempt.id, error: String(err) });
    await ctx.ledger.closeAttempt(attempt.id, false, reason);
    return 'close_pending';
  }
}
