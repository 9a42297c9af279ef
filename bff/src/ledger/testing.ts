/**
 * Test support: run a suite against both databases. PostgreSQL is required (it runs on every
 * PayQR development and CI machine); each ledger gets its own schema, dropped afterwards.
 * Set PAYQR_TEST_DATABASE_URL to point elsewhere.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import pg from 'pg';
import { FakeClock } from '../core/clock';
import { createLogger } from '../core/log';
import { seededRandom, type Random } from '../core/random';
import { createChangeFeed } from './change-feed';
import { openDatabase } from './db';
import { Ledger } from './ledger';
import type { NewOrder } from './orders';

export const TEST_PG_URL = process.env.PAYQR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDialect = 'sqlite' | 'postgres';
export const DIALECTS: TestDialect[] = ['sqlite', 'postgres'];

let counter = 0;

export interface TestLedger {
  ledger: Ledger;
  clock: FakeClock;
  random: Random;
  cleanup(): Promise<void>;
}

export async function openTestLedger(
  dialect: TestDialect,
  opts: { clock?: FakeClock; random?: Random; defaultWebhookUrl?: string } = {},
): Promise<TestLedger> {
  const clock = opts.clock ?? new FakeClock();
  const random = opts.random ?? seededRandom(Date.now() ^ (process.pid << 8) ^ ++counter);
  const log = createLogger({ level: 'error' });
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-ledger-'));
    const handle = await openDatabase({ sqlitePath: path.join(dir, 'ledger.sqlite') });
    const ledger = new Ledger(handle, { clock, random, feed: createChangeFeed({ log }), defaultWebhookUrl: opts.defaultWebhookUrl });
    return {
      ledger,
      clock,
      random,
      cleanup: async () => {
        await ledger.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  const handle = await openDatabase({ databaseUrl: TEST_PG_URL, pgSchema: schema });
  const ledger = new Ledger(handle, {
    clock,
    random,
    feed: createChangeFeed({ log, pgPool: handle.pgPool }),
    defaultWebhookUrl: opts.defaultWebhookUrl,
  });
  return {
    ledger,
    clock,
    random,
    cleanup: async () => {
      await ledger.close();
      const admin = new pg.Client({ connectionString: TEST_PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

const MIN = 60_000;

/** A NewOrder with sensible defaults (1999 CNY, 15 min) for ledger tests. */
export function orderInput(over: Partial<NewOrder> = {}, now = 0): NewOrder {
  return {
    merchantOrderId: 'A10001',
    tradeNoBase: 'A10001',
    amount: 1999,
    currency: 'CNY',
    subject: 'Tea',
    expiresAt: now + 15 * MIN,
    attemptTtlMs: 10 * MIN,
    clientSecretHash: 'h'.repeat(64),
    notifyUrl: null,
    metadata: null,
    requestFingerprint: 'f'.repeat(64),
    ...over,
  };
}

/** out_trade_no = base + two-digit sequence */
export const tradeNo = (base: string, seq: number) => `${base}${String(seq).padStart(2, '0')}`;
