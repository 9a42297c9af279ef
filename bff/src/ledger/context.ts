/**
 * What every ledger aggregate (orders, attempts, notifications, events …) shares: the
 * database, the injected clock and randomness, the change feed, and the one way to run a
 * transaction that wakes other instances when it commits.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Clock } from '../core/clock';
import type { Random } from '../core/random';
import type { ChangeFeed } from './change-feed';
import { PG_CHANNEL } from './change-feed';
import type { LedgerDb } from './db';
import type { Database } from './schema';

export type Tx = Kysely<Database> | Transaction<Database>;

export interface LedgerDeps {
  clock: Clock;
  random: Random;
  feed: ChangeFeed;
  /** PAYQR_WEBHOOK_URL: where events go when the order has no notifyUrl */
  defaultWebhookUrl?: string | undefined;
}

export interface LedgerContext extends LedgerDeps {
  db: Kysely<Database>;
  dialect: LedgerDb['dialect'];
  /**
   * Run `fn` in a transaction. On PostgreSQL a NOTIFY is queued inside it so that other
   * instances wake their long-polls exactly when the change commits.
   */
  tx<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
}

export function ledgerContext(handle: LedgerDb, deps: LedgerDeps): LedgerContext {
  const { db, dialect } = handle;
  return {
    ...deps,
    db,
    dialect,
    tx: (fn) =>
      db.transaction().execute(async (trx) => {
        const result = await fn(trx);
        if (dialect === 'postgres') {
          const orderId = orderIdOf(result);
          if (orderId) await sql`SELECT pg_notify(${PG_CHANNEL}, ${orderId})`.execute(trx);
        }
        return result;
      }),
  };
}

function orderIdOf(result: unknown): string | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const r = result as { order?: { id?: string }; order_id?: string; id?: string; merchant_order_id?: string };
  if (r.order?.id) return r.order.id;
  if (typeof r.order_id === 'string') return r.order_id;
  if (typeof r.merchant_order_id === 'string' && typeof r.id === 'string') return r.id;
  return undefined;
}
