/**
 * The order ledger, one repository per aggregate:
 *   orders         orders.ts         open → paid | expired | canceled
 *   attempts       attempts.ts       pending → paid | failed | closed; settling pays the order
 *   notifications  notifications.ts  every provider notification received, and what became of it
 *   events         events.ts         the durable webhook outbox
 * Each state change is a conditional update, and the outbox event it causes is written in the
 * same transaction (see each file). This class only holds them together with the database
 * handle and the change feed; it has no queries of its own.
 */
import type { Kysely } from 'kysely';
import { AttemptRepository } from './attempts';
import type { ChangeFeed } from './change-feed';
import { ledgerContext, type LedgerDeps } from './context';
import type { LedgerDb } from './db';
import { EventRepository } from './events';
import { NotificationRepository } from './notifications';
import { OrderRepository } from './orders';
import type { Database } from './schema';

export class Ledger {
  readonly db: Kysely<Database>;
  readonly dialect: LedgerDb['dialect'];
  readonly feed: ChangeFeed;
  readonly orders: OrderRepository;
  readonly attempts: AttemptRepository;
  readonly notifications: NotificationRepository;
  readonly events: EventRepository;

  constructor(
    private readonly handle: LedgerDb,
    deps: LedgerDeps,
  ) {
    const c = ledgerContext(handle, deps);
    this.db = c.db;
    this.dialect = c.dialect;
    this.feed = deps.feed;
    this.orders = new OrderRepository(c);
    this.attempts = new AttemptRepository(c);
    this.notifications = new NotificationRepository(c);
    this.events = new EventRepository(c);
  }

  async close(): Promise<void> {
    await this.feed.close();
    await this.handle.close();
  }
}

