/**
 * Status sync: ask the provider when its notification has not come.
 *
 * - A watched order (the widget polling) with a pending attempt and no notification for ≥ 5 s
 *   queries the provider, at most once per attempt per 5 s across every poller and instance.
 * - The sweeper (src/payments/sweeper.ts) does the same for attempts nobody watches, on a
 *   back-off schedule, and for unknown outcomes on the provider's own query schedule.
 * The 5 s gap is a conditional update in the ledger (`claimQuery`), not an in-memory timer.
 */
import type { AttemptRow, OrderRow } from '../ledger/schema';
import type { ProviderPaymentStatus } from '../providers/types';
import { applyProviderStatus, type ApplyOutcome } from './apply';
import { closeAttemptEverywhere, queryRef } from './close';
import type { PaymentContext } from './context';

export const POLL_SYNC_GAP_MS = 5_000;

/** When the sweeper looks next at a pending attempt nobody is watching. */
export function nextSweepQuery(attempt: AttemptRow, now: number, intervalMs: number): number {
  if (attempt.query_deadline_at !== null) return now + intervalMs; // unknown outcome: provider's cadence
  const age = now - attempt.created_at;
  if (age < 60_000) return now + 5_000;
  if (age < 5 * 60_000) return now + 15_000;
  return now + 60_000;
}

/** What one query found: the provider's answer and what applying it did (or why there was none). */
export type SyncOutcome =
  | { kind: 'answered'; status: ProviderPaymentStatus; applied: ApplyOutcome; closedAtDeadline: boolean }
  | { kind: 'query_failed'; error: string }
  | { kind: 'no_connector' };

/** Query the provider once about an attempt (the caller holds the claim) and apply the answer. */
export async function syncAttempt(ctx: PaymentContext, attempt: AttemptRow): Promise<SyncOutcome> {
  const connector = ctx.connectors.get(attempt.provider);
  if (!connector) return { kind: 'no_connector' };
  const log = ctx.log.child(attempt.provider).child('query');
  let status;
  try {
    status = await connector.queryPayment(queryRef(attempt));
  } catch (err) {
    log.warn('query failed; will retry', { attempt: attempt.id, error: String(err) });
    return { kind: 'query_failed', error: err instanceof Error ? err.message : String(err) };
  }
  log.debug('provider status', { attempt: attempt.id, state: status.state, code: status.providerCode });
  const applied = await applyProviderStatus(ctx, connector, attempt, status, 'query');
  if (applied.kind !== 'still_pending') return { kind: 'answered', status, applied, closedAtDeadline: false };
  // An unknown create outcome whose query window has passed: make sure it can never be paid.
  const now = ctx.clock.now();
  if (attempt.query_deadline_at !== null && attempt.query_deadline_at <= now) {
    log.warn('no final answer within the query window; closing', { attempt: attempt.id });
    await closeAttemptEverywhere(ctx, attempt, 'QUERY_DEADLINE');
    return { kind: 'answered', status, applied, closedAtDeadline: true };
  }
  return { kind: 'answered', status, applied, closedAtDeadline: false };
}

/** Called by GET /api/orders/{id}: the shopper is watching this order right now. */
export async function maybeSyncOnPoll(ctx: PaymentContext, order: OrderRow): Promise<void> {
  if (order.status !== 'open') return;
  const now = ctx.clock.now();
  const attempt = await ctx.ledger.attempts.current(order);
  if (!attempt || attempt.status !== 'pending') return;
  // Still being created at the provider (no answer yet, not unknown): nothing to ask about.
  if (attempt.action_kind === null && attempt.query_deadline_at === null) return;
  if (attempt.notified_at !== null) return;
  if (now - attempt.created_at < POLL_SYNC_GAP_MS) return;
  const connector = ctx.connectors.get(attempt.provider);
  if (!connector) return;
  const claimed = await ctx.ledger.attempts.claimQuery(attempt.id, {
    minGapMs: POLL_SYNC_GAP_MS,
    nextQueryAt: nextSweepQuery(attempt, now, connector.querySchedule.intervalMs),
  });
  if (!claimed) return;
  // Don't hold the poll hostage to a slow provider: answer with what we know after 2 s.
  await Promise.race([syncAttempt(ctx, attempt), ctx.clock.sleep(2_000)]);
}
