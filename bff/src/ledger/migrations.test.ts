/** Migration 0002 on a ledger that already has orders: what it fills in for existing rows. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate, migrateWith, openDatabase, type LedgerDb } from './db';
import { migrationProvider } from './migrations';
import { DIALECTS, TEST_PG_URL } from './testing';

async function open(dialect: (typeof DIALECTS)[number]): Promise<{ db: LedgerDb; cleanup(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-migrate-'));
    const db = await openDatabase({ sqlitePath: path.join(dir, 'l.sqlite'), migrate: false });
    return { db, cleanup: async () => (await db.close(), fs.rmSync(dir, { recursive: true, force: true })) };
  }
  const schema = `m_${process.pid}_${Date.now().toString(36)}`;
  const db = await openDatabase({ databaseUrl: TEST_PG_URL, pgSchema: schema, migrate: false });
  return {
    db,
    cleanup: async () => {
      await db.close();
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

describe.each(DIALECTS)('migration 0002 on %s', (dialect) => {
  it('gives existing orders their current attempt’s provider and channel, and finished attempts a finish time', async () => {
    const { db: handle, cleanup } = await open(dialect);
    try {
      const migrator = new Migrator({ db: handle.db, provider: migrationProvider(handle.dialect), ...(handle.pgSchema ? { migrationTableSchema: handle.pgSchema } : {}) });
      expect((await migrator.migrateTo('0001_ledger')).error).toBeUndefined();
      const db = handle.db;
      const order = (id: string, paidAttempt: string | null, seq: number) => ({
        id, merchant_order_id: id, trade_no_base: id, amount: 100, currency: 'CNY', subject: 's', status: paidAttempt ? ('paid' as const) : ('open' as const),
        expires_at: 9e12, attempt_ttl_ms: 60_000, client_secret_hashes: '', notify_url: null, metadata: null, request_fingerprint: 'f',
        attempt_seq: seq, paid_at: paidAttempt ? 500 : null, paid_attempt_id: paidAttempt, version: 1, created_at: 1, updated_at: 1,
      });
      const attempt = (id: string, orderId: string, seq: number, provider: 'chaoying' | 'umf-mofun', channel: 'wechat' | 'alipay', status: 'pending' | 'paid' | 'closed') => ({
        id, order_id: orderId, seq, provider, channel, scene: 'qr' as const, out_trade_no: `${id}no`, status, amount: 100, currency: 'CNY', expires_at: 9e12,
        action_kind: null, action_payload: null, provider_trade_no: null, paid_at: status === 'paid' ? 500 : null, failure_code: null, failure_message: null,
        query_deadline_at: null, next_query_at: null, last_queried_at: null, notified_at: null, provider_close: null, extra: null, created_at: 10, updated_at: 700,
      });
      // `paid` was paid by its first attempt after a second one was opened; `open` has two; `bare` none
      await db.insertInto('orders').values([order('paid', 'p1', 2), order('open', null, 2), order('bare', null, 0)] as never).execute();
      await db
        .insertInto('attempts')
        .values([
          attempt('p1', 'paid', 1, 'chaoying', 'wechat', 'paid'),
          attempt('p2', 'paid', 2, 'umf-mofun', 'alipay', 'closed'),
          attempt('o1', 'open', 1, 'chaoying', 'wechat', 'closed'),
          attempt('o2', 'open', 2, 'umf-mofun', 'alipay', 'pending'),
        ] as never)
        .execute();
      await migrate(handle);
      const orders = await db.selectFrom('orders').select(['id', 'provider', 'channel']).orderBy('id').execute();
      expect(orders).toEqual([
        { id: 'bare', provider: null, channel: null },
        { id: 'open', provider: 'umf-mofun', channel: 'alipay' },
        { id: 'paid', provider: 'chaoying', channel: 'wechat' },
      ]);
      const attempts = await db.selectFrom('attempts').select(['id', 'finished_at']).orderBy('id').execute();
      expect(attempts).toEqual([
        { id: 'o1', finished_at: 700 },
        { id: 'o2', finished_at: null },
        { id: 'p1', finished_at: 700 },
        { id: 'p2', finished_at: 700 },
      ]);
    } finally {
      await cleanup();
    }
  });
});

describe('migrating while other clients drop their schemas', () => {
  it('runs again when Kysely’s listing of every schema meets one dropped meanwhile; any other failure is reported', async () => {
    const raced = { error: new Error('schema "t_other_suite_1" does not exist'), results: undefined };
    let runs = 0;
    await migrateWith({ migrateToLatest: async () => (++runs < 3 ? raced : { error: undefined, results: [] }) });
    expect(runs).toBe(3);
    await expect(migrateWith({ migrateToLatest: async () => raced })).rejects.toThrow(/database migration failed: Error: schema "t_other_suite_1" does not exist/);
    const failedMigration = { error: new Error('syntax error'), results: [{ migrationName: '0002_operator', direction: 'Up' as const, status: 'Error' as const }] };
    runs = 0;
    await expect(migrateWith({ migrateToLatest: async () => (runs++, failedMigration) })).rejects.toThrow(/failed at 0002_operator/);
    expect(runs).toBe(1);
  });
});
