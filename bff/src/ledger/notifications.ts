/**
 * The notifications aggregate: every provider notification received, whatever became of it
 * (applied, duplicate, forged, mismatched …), with its raw body for an operator to read.
 */
import type { ProviderId } from '../core/domain';
import { newId } from '../core/random';
import type { LedgerContext } from './context';
import type { NotificationOutcome, NotificationRow } from './schema';

export interface NewNotification {
  provider: ProviderId;
  outTradeNo?: string | undefined;
  attemptId?: string | undefined;
  orderId?: string | undefined;
  outcome: NotificationOutcome;
  detail?: string | undefined;
  body: string;
}

export class NotificationRepository {
  constructor(private readonly c: LedgerContext) {}

  async record(n: NewNotification): Promise<void> {
    await this.c.db
      .insertInto('notifications')
      .values({
        id: newId(this.c.random, 'ntf'),
        provider: n.provider,
        received_at: this.c.clock.now(),
        out_trade_no: n.outTradeNo?.slice(0, 64) ?? null,
        attempt_id: n.attemptId ?? null,
        order_id: n.orderId ?? null,
        outcome: n.outcome,
        detail: n.detail?.slice(0, 1000) ?? null,
        body: n.body.slice(0, 16_384),
      })
      .execute();
  }

  /** Oldest first. */
  list(filter: { orderId?: string; provider?: ProviderId } = {}): Promise<NotificationRow[]> {
    let q = this.c.db.selectFrom('notifications').selectAll().orderBy('received_at', 'asc');
    if (filter.orderId) q = q.where('order_id', '=', filter.orderId);
    if (filter.provider) q = q.where('provider', '=', filter.provider);
    return q.execute();
  }
}
