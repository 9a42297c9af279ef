/**
 * The console overview's figures, each one aggregate query over an index range (migration
 * 0002): nothing is loaded row by row into the process. Hours are epoch-hour buckets
 * (`t / 3600000 * 3600000`, integer division on both databases): whole hours in UTC, which are
 * whole hours in Beijing time too.
 */
import { sql } from 'kysely';
import type { LedgerContext } from './context';
import { NEEDS_REVIEW_SQL } from './migrations';

export const HOUR_MS = 3_600_000;

export interface OverviewFigures {
  /** orders paid per hour (by the time they were paid), per currency */
  payments: Array<{ hour: number; currency: string; count: number; amount: number }>;
  /** attempts created in the window, by provider × channel × status */
  attempts: Array<{ provider: string; channel: string; status: string; count: number }>;
  /** attempts paid in the window: how long from the attempt's creation to paid */
  attemptToPaid: { count: number; p50Ms: number | null; p95Ms: number | null };
  /** notifications received per hour, by outcome */
  notifications: Array<{ hour: number; outcome: string; count: number }>;
  /** the outbox now, whatever the window */
  webhooks: { pending: number; retrying: number; oldestPendingAt: number | null; failed: number };
  /** what waits for a person now, whatever the window */
  needsReview: { notifications: number; duplicatePayments: number };
}

/** a literal, not a parameter: PostgreSQL must see the SELECT and GROUP BY expressions as equal */
const H = sql.lit(HOUR_MS);
const num = (v: unknown): number => Number(v ?? 0);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export class StatsReadModel {
  constructor(private readonly c: LedgerContext) {}

  async overview(from: number, to: number): Promise<OverviewFigures> {
    const db = this.c.db;
    const [payments, attempts, attemptToPaid, notifications, webhooks, needsReview] = await Promise.all([
      sql<{ hour: unknown; currency: string; count: unknown; amount: unknown }>`
        SELECT (paid_at / ${H}) * ${H} AS hour, currency, COUNT(*) AS count, SUM(amount) AS amount
        FROM orders WHERE paid_at IS NOT NULL AND paid_at >= ${from} AND paid_at < ${to}
        GROUP BY (paid_at / ${H}) * ${H}, currency ORDER BY 1, 2`.execute(db),
      sql<{ provider: string; channel: string; status: string; count: unknown }>`
        SELECT provider, channel, status, COUNT(*) AS count
        FROM attempts WHERE created_at >= ${from} AND created_at < ${to}
        GROUP BY provider, channel, status ORDER BY 1, 2, 3`.execute(db),
      this.attemptToPaid(from, to),
      sql<{ hour: unknown; outcome: string; count: unknown }>`
        SELECT (received_at / ${H}) * ${H} AS hour, outcome, COUNT(*) AS count
        FROM notifications WHERE received_at >= ${from} AND received_at < ${to}
        GROUP BY (received_at / ${H}) * ${H}, outcome ORDER BY 1, 2`.execute(db),
      sql<{ delivery_status: string; count: unknown; retrying: unknown; oldest: unknown }>`
        SELECT delivery_status, COUNT(*) AS count,
               SUM(CASE WHEN delivery_attempts > 0 THEN 1 ELSE 0 END) AS retrying, MIN(created_at) AS oldest
        FROM events WHERE delivery_status IN ('pending', 'failed') GROUP BY delivery_status`.execute(db),
      sql<{ what: string; count: unknown }>`
        SELECT 'notifications' AS what, COUNT(*) AS count FROM notifications WHERE ${sql.raw(NEEDS_REVIEW_SQL)}
        UNION ALL
        SELECT 'duplicatePayments' AS what, COUNT(*) AS count FROM events
          WHERE type = 'order.duplicate_payment' AND resolution IS NULL`.execute(db),
    ]);
    const pending = webhooks.rows.find((r) => r.delivery_status === 'pending');
    const failed = webhooks.rows.find((r) => r.delivery_status === 'failed');
    return {
      payments: payments.rows.map((r) => ({ hour: num(r.hour), currency: r.currency, count: num(r.count), amount: num(r.amount) })),
      attempts: attempts.rows.map((r) => ({ provider: r.provider, channel: r.channel, status: r.status, count: num(r.count) })),
      attemptToPaid,
      notifications: notifications.rows.map((r) => ({ hour: num(r.hour), outcome: r.outcome, count: num(r.count) })),
      webhooks: {
        pending: num(pending?.count),
        retrying: num(pending?.retrying),
        oldestPendingAt: numOrNull(pending?.oldest),
        failed: num(failed?.count),
      },
      needsReview: {
        notifications: num(needsReview.rows.find((r) => r.what === 'notifications')?.count),
        duplicatePayments: num(needsReview.rows.find((r) => r.what === 'duplicatePayments')?.count),
      },
    };
  }

  /**
   * Nearest-rank p50/p95 of (paid_at − created_at) over attempts paid in the window: one
   * ordered-set aggregate on PostgreSQL; on SQLite (no percentile function) a count and one
   * indexed ORDER BY … LIMIT 1 OFFSET k per percentile.
   */
  private async attemptToPaid(from: number, to: number): Promise<OverviewFigures['attemptToPaid']> {
    const db = this.c.db;
    if (this.c.dialect === 'postgres') {
      const r = await sql<{ count: unknown; p50: unknown; p95: unknown }>`
        SELECT COUNT(*) AS count,
               percentile_disc(0.5) WITHIN GROUP (ORDER BY GREATEST(paid_at - created_at, 0)) AS p50,
               percentile_disc(0.95) WITHIN GROUP (ORDER BY GREATEST(paid_at - created_at, 0)) AS p95
        FROM attempts WHERE paid_at IS NOT NULL AND paid_at >= ${from} AND paid_at < ${to}`.execute(db);
      const row = r.rows[0];
      return { count: num(row?.count), p50Ms: numOrNull(row?.p50), p95Ms: numOrNull(row?.p95) };
    }
    const counted = await sql<{ count: unknown }>`
      SELECT COUNT(*) AS count FROM attempts WHERE paid_at IS NOT NULL AND paid_at >= ${from} AND paid_at < ${to}`.execute(db);
    const count = num(counted.rows[0]?.count);
    if (count === 0) return { count, p50Ms: null, p95Ms: null };
    const at = async (p: number) => {
      const k = Math.max(0, Math.ceil(p * count) - 1);
      const r = await sql<{ d: unknown }>`
        SELECT MAX(paid_at - created_at, 0) AS d FROM attempts
        WHERE paid_at IS NOT NULL AND paid_at >= ${from} AND paid_at < ${to}
        ORDER BY d LIMIT 1 OFFSET ${k}`.execute(db);
      return numOrNull(r.rows[0]?.d);
    };
    const [p50Ms, p95Ms] = await Promise.all([at(0.5), at(0.95)]);
    return { count, p50Ms, p95Ms };
  }
}
