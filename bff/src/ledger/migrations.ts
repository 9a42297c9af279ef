/**
 * Schema migrations, run on start. Written once with Kysely's schema builder so the same
 * definitions serve SQLite and PostgreSQL; `bigint` holds epoch-ms times and minor units.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { NEEDS_REVIEW_OUTCOMES } from './schema';

function migrations(dialect: SqlDialect): Record<string, Migration> {
  return {
  '0001_ledger': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('orders')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('merchant_order_id', 'varchar(128)', (c) => c.notNull().unique())
        .addColumn('trade_no_base', 'varchar(32)', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'varchar(3)', (c) => c.notNull())
        .addColumn('subject', 'varchar(256)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('attempt_ttl_ms', 'bigint', (c) => c.notNull())
        .addColumn('client_secret_hashes', 'text', (c) => c.notNull())
        .addColumn('notify_url', 'varchar(2048)')
        .addColumn('metadata', 'text')
        .addColumn('request_fingerprint', 'varchar(64)', (c) => c.notNull())
        .addColumn('attempt_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('paid_at', 'bigint')
        .addColumn('paid_attempt_id', 'varchar(40)')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('orders_open_expiry').on('orders').columns(['status', 'expires_at']).execute();

      await db.schema
        .createTable('attempts')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('order_id', 'varchar(40)', (c) => c.notNull().references('orders.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('provider', 'varchar(16)', (c) => c.notNull())
        .addColumn('channel', 'varchar(16)', (c) => c.notNull())
        .addColumn('scene', 'varchar(16)', (c) => c.notNull())
        .addColumn('out_trade_no', 'varchar(64)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'varchar(3)', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('action_kind', 'varchar(8)')
        .addColumn('action_payload', 'text')
        .addColumn('provider_trade_no', 'varchar(128)')
        .addColumn('paid_at', 'bigint')
        .addColumn('failure_code', 'varchar(64)')
        .addColumn('failure_message', 'varchar(512)')
        .addColumn('query_deadline_at', 'bigint')
        .addColumn('next_query_at', 'bigint')
        .addColumn('last_queried_at', 'bigint')
        .addColumn('notified_at', 'bigint')
        .addColumn('provider_close', 'varchar(8)')
        .addColumn('extra', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('attempts_provider_trade_no', ['provider', 'out_trade_no'])
        .addUniqueConstraint('attempts_order_seq', ['order_id', 'seq'])
        .execute();
      await db.schema.createIndex('attempts_order').on('attempts').column('order_id').execute();
      await db.schema.createIndex('attempts_status_query').on('attempts').columns(['status', 'next_query_at']).execute();
      await db.schema.createIndex('attempts_status_expiry').on('attempts').columns(['status', 'expires_at']).execute();

      await db.schema
        .createTable('notifications')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('provider', 'varchar(16)', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('out_trade_no', 'varchar(64)')
        .addColumn('attempt_id', 'varchar(40)')
        .addColumn('order_id', 'varchar(40)')
        .addColumn('outcome', 'varchar(24)', (c) => c.notNull())
        .addColumn('detail', 'varchar(1024)')
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notifications_order').on('notifications').column('order_id').execute();

      await db.schema
        .createTable('events')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('order_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('attempt_id', 'varchar(40)')
        .addColumn('type', 'varchar(32)', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('delivery_status', 'varchar(16)', (c) => c.notNull())
        .addColumn('target_url', 'varchar(2048)')
        .addColumn('delivery_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('lease_until', 'bigint')
        .addColumn('delivered_at', 'bigint')
        .addColumn('last_error', 'varchar(1024)')
        .execute();
      await db.schema.createIndex('events_order').on('events').column('order_id').execute();
      await db.schema.createIndex('events_due').on('events').columns(['delivery_status', 'next_attempt_at']).execute();

      await db.schema
        .createTable('webhook_deliveries')
        // SQLite's INTEGER PRIMARY KEY is the rowid alias; PostgreSQL needs an identity column.
        .addColumn('id', dialect === 'sqlite' ? 'integer' : 'bigint', (c) =>
          dialect === 'sqlite' ? c.primaryKey() : c.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('event_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('attempted_at', 'bigint', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('url', 'varchar(2048)', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('error', 'varchar(1024)')
        .addColumn('response_excerpt', 'varchar(1024)')
        .execute();
      await db.schema.createIndex('webhook_deliveries_event').on('webhook_deliveries').column('event_id').execute();
    },
  },
  '0002_operator': { up: (db: Kysely<any>) => operatorMigration(db, dialect) },
  };
}

/**
 * What the operator console reads (issue 10): provider calls, the audit log, resolutions,
 * console sessions, and the indexes that keep listing and searching fast at 1,000,000 orders
 * (measured by `pnpm --filter @payqr/bff bench:operator`, which prints the query plans).
 */
async function operatorMigration(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  const identity = (c: any) => (dialect === 'sqlite' ? c.primaryKey() : c.primaryKey().generatedByDefaultAsIdentity());
  const idType = dialect === 'sqlite' ? 'integer' : 'bigint';
  // SQLite takes one ADD COLUMN per ALTER TABLE.
  const addColumns = async (table: string, columns: Array<[string, string]>) => {
    for (const [name, type] of columns) await db.schema.alterTable(table).addColumn(name, type as 'text').execute();
  };

  // The order's current attempt's provider and channel (the paying one, else the newest), kept
  // by the same updates that already touch the order, so the list can filter on an index.
  await addColumns('orders', [
    ['provider', 'varchar(16)'],
    ['channel', 'varchar(16)'],
  ]);
  await sql`UPDATE orders SET
      provider = (SELECT a.provider FROM attempts a WHERE a.id = orders.paid_attempt_id),
      channel = (SELECT a.channel FROM attempts a WHERE a.id = orders.paid_attempt_id)
    WHERE paid_attempt_id IS NOT NULL`.execute(db);
  await sql`UPDATE orders SET
      provider = (SELECT a.provider FROM attempts a WHERE a.order_id = orders.id ORDER BY a.seq DESC LIMIT 1),
      channel = (SELECT a.channel FROM attempts a WHERE a.order_id = orders.id ORDER BY a.seq DESC LIMIT 1)
    WHERE paid_attempt_id IS NULL AND attempt_seq > 0`.execute(db);
  // Newest first, keyset-paginated on (created_at, id), alone or after one equality filter.
  await db.schema.createIndex('orders_created').on('orders').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('orders_status_created').on('orders').columns(['status', 'created_at', 'id']).execute();
  await db.schema.createIndex('orders_provider_created').on('orders').columns(['provider', 'created_at', 'id']).execute();
  await db.schema.createIndex('orders_channel_created').on('orders').columns(['channel', 'created_at', 'id']).execute();
  // Two filters together: without an index for the pair, a rare or empty combination (open
  // orders of one provider) walks every order of the more common filter looking for 50 matches.
  // SQLite has no statistics to pick the rarer filter's index, so each pair has its own.
  await db.schema.createIndex('orders_status_provider_created').on('orders').columns(['status', 'provider', 'created_at', 'id']).execute();
  await db.schema.createIndex('orders_status_channel_created').on('orders').columns(['status', 'channel', 'created_at', 'id']).execute();
  await db.schema.createIndex('orders_provider_channel_created').on('orders').columns(['provider', 'channel', 'created_at', 'id']).execute();
  // Payments per hour (overview): only paid orders carry paid_at.
  await db.schema.createIndex('orders_paid_at').on('orders').column('paid_at').where(sql.raw<boolean>('paid_at IS NOT NULL')).execute();

  // When the attempt left `pending` (the timeline's transition time; updated_at moves later).
  await addColumns('attempts', [['finished_at', 'bigint']]);
  await sql`UPDATE attempts SET finished_at = updated_at WHERE status <> 'pending'`.execute(db);
  // Search by the provider's order number and transaction id (the unique key leads with provider).
  await db.schema.createIndex('attempts_out_trade_no').on('attempts').column('out_trade_no').execute();
  await db.schema
    .createIndex('attempts_provider_txn_id')
    .on('attempts')
    .column('provider_trade_no')
    .where(sql.raw<boolean>('provider_trade_no IS NOT NULL'))
    .execute();
  // Success rate by provider × channel over a window; attempt-to-paid percentiles.
  await db.schema.createIndex('attempts_created').on('attempts').column('created_at').execute();
  await db.schema.createIndex('attempts_paid_at').on('attempts').column('paid_at').where(sql.raw<boolean>('paid_at IS NOT NULL')).execute();

  // Resolution by a person: notifications that were validly signed but matched nothing, and
  // order.duplicate_payment events. Set once (conditional update), never to "paid".
  for (const table of ['notifications', 'events']) {
    await addColumns(table, [
      ['resolution', 'varchar(32)'],
      ['resolved_at', 'bigint'],
      ['resolved_by', 'varchar(160)'],
      ['resolution_note', 'varchar(1024)'],
    ]);
  }
  await db.schema.createIndex('notifications_received').on('notifications').columns(['received_at', 'id']).execute();
  await db.schema.createIndex('notifications_outcome_received').on('notifications').columns(['outcome', 'received_at', 'id']).execute();
  await db.schema.createIndex('notifications_provider_received').on('notifications').columns(['provider', 'received_at', 'id']).execute();
  // What waits for a person: rare, so listing and counting it must not scan every notification.
  // The predicate is repeated literally by the queries (NEEDS_REVIEW_SQL) so both planners use it.
  await db.schema
    .createIndex('notifications_review_open')
    .on('notifications')
    .columns(['received_at', 'id'])
    .where(sql.raw<boolean>(NEEDS_REVIEW_SQL))
    .execute();
  await db.schema.createIndex('events_created').on('events').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('events_status_created').on('events').columns(['delivery_status', 'created_at', 'id']).execute();
  await db.schema.createIndex('events_type_created').on('events').columns(['type', 'created_at', 'id']).execute();

  // Every provider call: one row written after the call, off the caller's path (batched).
  await db.schema
    .createTable('provider_calls')
    .addColumn('id', idType, identity)
    .addColumn('provider', 'varchar(16)', (c) => c.notNull())
    .addColumn('op', 'varchar(16)', (c) => c.notNull())
    .addColumn('out_trade_no', 'varchar(64)', (c) => c.notNull())
    .addColumn('attempt_id', 'varchar(40)')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'varchar(24)', (c) => c.notNull())
    .addColumn('code', 'varchar(64)')
    .addColumn('message', 'varchar(512)')
    .execute();
  await db.schema.createIndex('provider_calls_attempt').on('provider_calls').columns(['attempt_id', 'started_at']).execute();
  await db.schema.createIndex('provider_calls_trade_no').on('provider_calls').columns(['provider', 'out_trade_no']).execute();

  // Who did what, when: append-only (the database refuses UPDATE and DELETE).
  await db.schema
    .createTable('audit_log')
    .addColumn('id', idType, identity)
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('actor_name', 'varchar(64)')
    .addColumn('actor_session', 'varchar(16)')
    .addColumn('action', 'varchar(48)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(24)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('order_id', 'varchar(40)')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('note', 'varchar(1024)')
    .addColumn('request_id', 'varchar(40)')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_log_order').on('audit_log').columns(['order_id', 'at']).execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'at', 'id']).execute();
  if (dialect === 'sqlite') {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
  } else {
    await sql`CREATE FUNCTION payqr_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION payqr_audit_log_append_only()`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION payqr_audit_log_append_only()`.execute(db);
  }

  // Console sign-ins: the cookie is signed, and this row lets sign-out revoke it.
  await db.schema
    .createTable('console_sessions')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(256)')
    .execute();
}

export type SqlDialect = 'sqlite' | 'postgres';

/** A notification waiting for a person (schema.ts NEEDS_REVIEW_OUTCOMES, not yet resolved), as SQL. */
export const NEEDS_REVIEW_SQL = `resolution IS NULL AND outcome IN (${NEEDS_REVIEW_OUTCOMES.map((o) => `'${o}'`).join(', ')})`;

export function migrationProvider(dialect: SqlDialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
