/**
 * The background sweeper: the product's own clock-driven work, safe to run on every instance
 * at once (each step claims its row with a conditional update).
 *  1. open orders past expiry → close their pending attempts (at the provider too) → expired
 *  2. attempts past their own expiry (the QR timed out) → closed at the provider
 *  3. pending attempts due a status query (nobody watching, or an unknown outcome) → query
 *  4. provider-side closes and micropay reverses not yet confirmed → retried
 */
import type { Logger } from '../core/log';
import type { AttemptRow } from '../ledger/schema';
import { applyProviderStatus } from './apply';
import { closeAttemptEverywhere, finishReverse, queryRef } from './close';
import type { PaymentContext } from './context';
import { nextSweepQuery, POLL_SYNC_GAP_MS, syncAttempt } from './sync';

const BATCH = 25;

export async function sweepOnce(ctx: PaymentContext): Promise<{ expired: number; closed: number; queried: number; reclosed: number }> {
  const stats = { expired: 0, closed: 0, queried: 0, reclosed: 0 };

  for (const order of await ctx.ledger.orders.expiredOpen(BATCH)) {
    for (const attempt of await ctx.ledger.attempts.pendingOf(order.id)) {
      await closeAttemptEverywhere(ctx, attempt, 'ORDER_EXPIRED');
    }
    if (await ctx.ledger.orders.expire(order.id)) stats.expired++;
  }

  for (const attempt of await ctx.ledger.attempts.expired(BATCH)) {
    // A last look first: the payer may have paid in the final seconds.
    if (await claim(ctx, attempt)) await syncAttempt(ctx, attempt);
    const fresh = await ctx.ledger.attempts.get(attempt.id);
    if (fresh?.status === 'pending') {
      await closeAttemptEverywhere(ctx, fresh, 'ATTEMPT_EXPIRED');
      stats.closed++;
    }
  }

  const due = await ctx.ledger.attempts.dueQueries(BATCH);
  await Promise.all(
    due.map(async (attempt) => {
      if (!(await claim(ctx, attempt))) return;
      stats.queried++;
      await syncAttempt(ctx, attempt);
    }),
  );

  for (const attempt of await ctx.ledger.attempts.unconfirmedCloses(BATCH)) {
    const connector = ctx.connectors.get(attempt.provider);
    if (!connector) continue;
    try {
      const r = await connector.closePayment(queryRef(attempt));
      if (r.alreadyPaid) {
        await applyProviderStatus(ctx, connector, attempt, r.alreadyPaid, 'close');
      }
      if (r.closed || r.alreadyPaid) {
        await ctx.ledger.attempts.markProviderClosed(attempt.id);
        stats.reclosed++;
      }
    } catch {
      /* retried next sweep */
    }
  }
  for (const attempt of await ctx.ledger.attempts.unfinishedReverses(BATCH)) {
    if ((await finishReverse(ctx, attempt)) !== 'reverse_pending') stats.reclosed++;
  }
  return stats;
}

async function claim(ctx: PaymentContext, attempt: AttemptRow): Promise<boolean> {
  const connector = ctx.connectors.get(attempt.provider);
  if (!connector) return false;
  const now = ctx.clock.now();
  return ctx.ledger.attempts.claimQuery(attempt.id, {
    // An unknown outcome follows the provider's own cadence (micropay: every 3 s); otherwise
    // the same "at most once per 5 s" as a watching poll.
    minGapMs: attempt.query_deadline_at !== null ? Math.min(POLL_SYNC_GAP_MS, connector.querySchedule.intervalMs) : POLL_SYNC_GAP_MS,
    nextQueryAt: nextSweepQuery(attempt, now, connector.querySchedule.intervalMs),
  });
}

/** Run the sweeper every `intervalMs` until stopped; one sweep at a time. */
export function startSweeper(ctx: PaymentContext, intervalMs: number, log: Logger): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (stopped) return;
    running = sweepOnce(ctx)
      .then((s) => {
        if (s.expired || s.closed || s.reclosed) log.info('sweep', s);
      })
      .catch((err: unknown) => log.error('sweep failed', { error: String(err) }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
