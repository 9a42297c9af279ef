/**
 * The provider-calls aggregate: one row per call PayQR made to a provider (create, query,
 * close, reverse), written after the call with its latency and the provider's code, for the
 * order timeline. Written by the recording decorator (payments/recording-connector.ts).
 *
 * A record is one INSERT with the values in hand (no lookups), started after the provider
 * answered and not awaited by the payment: a slow or failing write never delays or breaks a
 * payment. `flush()` waits for the writes in flight (shutdown, tests).
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

export class ProviderCallRepository {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly c: LedgerContext) {}

  async record(call: NewProviderCall): Promise<void> {
    await this.c.db
      .insertInto('provider_calls')
      .values({
        provider: call.provider,
        op: call.op,
        out_trade_no: call.outTradeNo.slice(0, 64),
        attempt_id: call.attemptId ?? null,
        started_at: call.startedAt,
        latency_ms: Math.max(0, Math.round(call.latencyMs)),
        outcome: call.outcome.slice(0, 24),
        code: call.code?.slice(0, 64) ?? null,
        message: call.message?.slice(0, 500) ?? null,
      })
      .execute();
  }

  /** Record without making the caller wait; a failure goes to `onError`, never to the caller. */
  recordInBackground(call: NewProviderCall, onError: (err: unknown) => void): void {
    const p: Promise<void> = this.record(call)
      .catch(onError)
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Wait for every background record started so far. */
  async flush(): Promise<void> {
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
