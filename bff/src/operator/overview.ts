/**
 * The console overview: the figures behind its charts, over a window of whole hours (default
 * the last 24 h, at most 31 days), every hour present (zeros included) so a chart needs no
 * gap-filling. Computed by aggregate SQL (ledger/stats.ts).
 */
import { invalidRequest } from '../core/errors';
import { HOUR_MS } from '../ledger/stats';
import type { OperatorContext } from './context';
import { REJECTED_OUTCOMES } from './params';

export const MAX_WINDOW_MS = 31 * 24 * HOUR_MS;

export interface Overview {
  from: string;
  to: string;
  bucket: 'hour';
  /** one per hour of the window: orders paid in it, and their amounts per currency */
  payments: Array<{ hour: string; count: number; amounts: Record<string, number> }>;
  totals: { payments: number; amounts: Record<string, number> };
  /** attempts created in the window, per provider × channel; rate = paid / finished (null: none finished) */
  successRate: Array<{ provider: string; channel: string; attempts: number; paid: number; failed: number; closed: number; pending: number; rate: number | null }>;
  /** attempts paid in the window: creation → paid, nearest-rank percentiles */
  attemptToPaid: { count: number; p50Ms: number | null; p95Ms: number | null };
  notifications: {
    /** every notification in the window by outcome */
    byOutcome: Record<string, number>;
    /** refused ones (forged, unreadable, matching nothing) per hour */
    rejectedPerHour: Array<{ hour: string; count: number; byOutcome: Record<string, number> }>;
  };
  /** now, whatever the window */
  webhooks: { pending: number; retrying: number; failed: number; oldestPendingAt: string | null };
  /** waiting for a person now */
  needsReview: { notifications: number; duplicatePayments: number };
}

export async function overview(ctx: OperatorContext, p: { from?: number | undefined; to?: number | undefined }): Promise<Overview> {
  const now = ctx.payments.clock.now();
  const to = Math.ceil((p.to ?? now) / HOUR_MS) * HOUR_MS;
  const from = Math.floor((p.from ?? to - 24 * HOUR_MS) / HOUR_MS) * HOUR_MS;
  if (to - from > MAX_WINDOW_MS) throw invalidRequest('from: at most 31 days before to');
  if (from >= to) throw invalidRequest('to: must be after from');
  const f = await ctx.payments.ledger.stats.overview(from, to);
  const iso = (ms: number) => new Date(ms).toISOString();

  const hours: number[] = [];
  for (let h = from; h < to; h += HOUR_MS) hours.push(h);
  const paymentsByHour = new Map<number, { count: number; amounts: Record<string, number> }>(hours.map((h) => [h, { count: 0, amounts: {} }]));
  const totals = { payments: 0, amounts: {} as Record<string, number> };
  for (const r of f.payments) {
    const slot = paymentsByHour.get(r.hour);
    if (slot) {
      slot.count += r.count;
      slot.amounts[r.currency] = (slot.amounts[r.currency] ?? 0) + r.amount;
    }
    totals.payments += r.count;
    totals.amounts[r.currency] = (totals.amounts[r.currency] ?? 0) + r.amount;
  }

  const rates = new Map<string, Overview['successRate'][number]>();
  for (const r of f.attempts) {
    const key = `${r.provider}:${r.channel}`;
    const row = rates.get(key) ?? { provider: r.provider, channel: r.channel, attempts: 0, paid: 0, failed: 0, closed: 0, pending: 0, rate: null };
    row.attempts += r.count;
    if (r.status === 'paid' || r.status === 'failed' || r.status === 'closed' || r.status === 'pending') row[r.status] += r.count;
    rates.set(key, row);
  }
  for (const row of rates.values()) {
    const finished = row.attempts - row.pending;
    row.rate = finished > 0 ? Math.round((row.paid / finished) * 10_000) / 10_000 : null;
  }

  const byOutcome: Record<string, number> = {};
  const rejected = new Map<number, { count: number; byOutcome: Record<string, number> }>(hours.map((h) => [h, { count: 0, byOutcome: {} }]));
  for (const r of f.notifications) {
    byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + r.count;
    if (!(REJECTED_OUTCOMES as readonly string[]).includes(r.outcome)) continue;
    const slot = rejected.get(r.hour);
    if (slot) {
      slot.count += r.count;
      slot.byOutcome[r.outcome] = (slot.byOutcome[r.outcome] ?? 0) + r.count;
    }
  }

  return {
    from: iso(from),
    to: iso(to),
    bucket: 'hour',
    payments: hours.map((h) => ({ hour: iso(h), ...paymentsByHour.get(h)! })),
    totals,
    successRate: [...rates.values()],
    attemptToPaid: f.attemptToPaid,
    notifications: { byOutcome, rejectedPerHour: hours.map((h) => ({ hour: iso(h), ...rejected.get(h)! })) },
    webhooks: { ...f.webhooks, oldestPendingAt: f.webhooks.oldestPendingAt === null ? null : iso(f.webhooks.oldestPendingAt) },
    needsReview: f.needsReview,
  };
}
