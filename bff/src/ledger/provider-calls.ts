/**
 * The provider-calls aggregate: one row per call PayQR made to a provider (create, query,
 * close, reverse), written after the call with its latency and the provider's code, for the
 * order timeline. Written by the recording decorator (payments/recording-connector.ts).
 *
 * A record is written with the values in hand (no lookups) after the provider answered, and
 * never awaited by the payment: a slow or failing write can neither delay nor break one.
 * Records are gathered for up to 20 ms and written as one multi-row INSERT, so at a thousand
 * calls a second the ledger commits a few dozen times, not a thousand (on SQLite each commit
 * is an fsync the payments' own writes would queue behind). A crash loses at most those 20 ms
 * of records — the timeline's detail, never a payment. `flush()` writes what is pending and
 * waits for it (shutdown, tests).
 */
import type { ProviderId } from '../core/domain';
import type { LedgerContext } from './context';
import type { ProviderCallOp, ProviderCallRow } from './schema';

export interface NewProviderCall {
  provider: ProviderId;
  op: ProviderCallOp;
  outTradeNo: string;
  attemptId?: string | undefined;
  startedAt: number;
  latencyMs: number;
  outcome: string;
  code?: string | undefined;
  message?: string | undefined;
}

/** How long records are gathered before they are written, and how many at most in one INSERT. */
export const BATCH_MS = 20;
export const BATCH_MAX = 200;

export class ProviderCallRepository {
  private pending: Array<{ call: NewProviderCall; onError: (err: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly c: LedgerContext) {}

  /** Write records now (one INSERT). */
  async record(...calls: NewProviderCall[]): Promise<void> {
    if (calls.length === 0) return;
    await this.c.db
      .insertInto('provider_calls')
      .values(
        calls.map((call) => ({
          provider: call.provider,
          op: call.op,
          out_trade_no: call.outTradeNo.slice(0, 64),
          attempt_id: call.attemptId ?? null,
          started_at: call.startedAt,
          latency_ms: Math.max(0, Math.round(call.latencyMs)),
          outcome: call.outcome.slice(0, 24),
          code: call.code?.slice(0, 64) ?? null,
          message: call.message?.slice(0, 500) ?? null,
        })),
      )
      .execute();
  }

  /** Record without making the caller wait; a failure goes to `onError`, never to the caller. */
  recordInBackground(call: NewProviderCall, onError: (err: unknown) => void): void {
    this.pending.push({ call, onError });
    if (this.pending.length >= BATCH_MAX) this.writePending();
    else this.timer ??= setTimeout(() => this.writePending(), BATCH_MS).unref();
  }

  private writePending(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const p: Promise<void> = this.record(...batch.map((b) => b.call))
      .catch((err: unknown) => {
        for (const onError of new Set(batch.map((b) => b.onError))) onError(err);
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Write what is gathered and wait for every write started so far. */
  async flush(): Promise<void> {
    this.writePending();
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /** The calls of these attempts, oldest first. */
  async forAttempts(attemptIds: string[], limit = 2000): Promise<ProviderCallRow[]> {
    if (attemptIds.length === 0) return [];
    const rows = await this.c.db
      .selectFrom('provider_calls')
      .selectAll()
      .where('attempt_id', 'in', attemptIds)
      .orderBy('started_at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }
}
