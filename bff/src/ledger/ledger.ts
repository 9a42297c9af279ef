/**
 * The order ledger, one repository per aggregate:
 *   orders         orders.ts         open → paid | expired | canceled
 *   attempts       attempts.ts       pending → paid | failed | closed; settling pays the order
 *   notifications  notifications.ts  every provider notification received, and what became of it
 *   events         events.ts         the durable webhook outbox (and its delivery tries)
 *   providerCalls  provider-calls.ts every call made to a provider, with latency and its code
 *   audit          audit.ts          operator actions, append-only
 *   sessions       console-sessions.ts  console sign-ins (revocable)
 *   stats          stats.ts          the console overview's aggregate queries (read only)
 * Each state change is a conditional update, and the outbox event it causes is written in the
 * same transaction (see each file). This class only holds them together with the database
 * handle and the change feed; it has no queries of its own.
 */
import type { Kysely } from 'kysely';
import { AttemptRepository } from './attempts';
import { AuditRepository } from './audit';
import type { ChangeFeed } from './change-feed';
import { ConsoleSessionRepository } from './console-sessions';
import { ledgerContext, type LedgerDeps } from './context';
import type { LedgerDb } from './db';
import { EventRepository } from './events';
import { NotificationRepository } from './notifications';
import { OrderRepository } from './orders';
import { ProviderCallRepository } from './provider-calls';
import type { Database } from './schema';
import { StatsReadModel } from './stats';

export class Ledger {
  readonly db: Kysely<Database>;
  readonly dialect: LedgerDb['dialect'];
  readonly feed: ChangeFeed;
  readonly orders: OrderRepository;
  readonly attempts: AttemptRepository;
  readonly notifications: NotificationRepository;
  readonly events: EventRepository;
  readonly providerCalls: ProviderCallRepository;
  readonly audit: AuditRepository;
  readonly sessions: ConsoleSessionRepository;
  readonly stats: StatsReadModel;

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
    this.providerCalls = new ProviderCallRepository(c);
    this.audit = new AuditRepository(c);
    this.sessions = new ConsoleSessionRepository(c);
    this.stats = new StatsReadModel(c);
  }

  async close(): Promise<void> {
    await this.providerCalls.flush();
    await this.feed.close();
    await this.handle.close();
  }
}


/** The webhook's `data` (events.ts), here too: what the shop receives is part of the ledger's contract. */
export { eventData } from './events';
