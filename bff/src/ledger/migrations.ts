/**
 * Schema migrations, run on start. Written once with Kysely's schema builder so the same
 * definitions serve SQLite and PostgreSQL; `bigint` holds epoch-ms times and minor units.
 */
import type { Kysely, Migration, MigrationProvider } from 'kysely';

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
  };
}

export type SqlDialect = 'sqlite' | 'postgres';

export function migrationProvider(dialect: SqlDialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
