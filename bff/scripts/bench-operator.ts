/**
 * The operator console's list and search queries at scale: loads 1,000,000 orders (with an
 * attempt each, a notification and a webhook event for every fourth) into SQLite and into
 * PostgreSQL, runs the queries exactly as the operator API does (through the ledger's
 * repositories), and prints each query's plan and its time (median and p95 of 20 runs).
 *
 *   pnpm --filter @payqr/bff bench:operator                 # both databases, 1,000,000 orders
 *   pnpm --filter @payqr/bff bench:operator -- --orders 200000 --only sqlite
 *
 * A benchmark, not a test: run it on a quiet machine (`flock /tmp/payqr-e2e.lock …`).
 * PostgreSQL: PAYQR_TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test, in a schema of
 * its own (bench_<pid>) dropped afterwards. SQLite: a file in a temporary directory, removed.
 * PostgreSQL gets ANALYZE after loading (autovacuum does that in production); SQLite does not
 * (PayQR never runs it), so its plans are the ones a fresh production ledger gets.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CompiledQuery, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/core/clock';
import { createLogger } from '../src/core/log';
import { cryptoRandom } from '../src/core/random';
import { createChangeFeed } from '../src/ledger/change-feed';
import { openDatabase, type LedgerDb } from '../src/ledger/db';
import { Ledger } from '../src/ledger/ledger';

const { values: args } = parseArgs({
  options: { orders: { type: 'string', default: '1000000' }, only: { type: 'string' }, runs: { type: 'string', default: '20' } },
});
const N = Number(args.orders);
const RUNS = Number(args.runs);
const PG_URL = process.env.PAYQR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 22, 0, 0, 0);
const START = END - 90 * DAY;
const STEP = Math.floor((90 * DAY) / N);
const CHUNK = 100_000;

type Dialect = 'sqlite' | 'postgres';

/** The SQL that fills rows [a, b) of a table from a number series, in either dialect. */
function series(d: Dialect, a: number, b: number): string {
  return d === 'postgres'
    ? `SELECT i FROM generate_series(${a}::bigint, ${b - 1}::bigint) AS s(i)`
    : `SELECT i FROM (WITH RECURSIVE s(i) AS (SELECT ${a} UNION ALL SELECT i + 1 FROM s WHERE i < ${b - 1}) SELECT i FROM s)`;
}
const pad = (d: Dialect, expr: string, n: number) => (d === 'postgres' ? `lpad((${expr})::text, ${n}, '0')` : `printf('%0${n}d', ${expr})`);

function orderFields(d: Dialect) {
  const created = `(${START} + i * ${STEP})`;
  const status = `CASE WHEN i % 100 < 70 THEN 'paid' WHEN i % 100 < 90 THEN 'expired' WHEN i % 100 < 97 THEN 'canceled' ELSE 'open' END`;
  const provider = `CASE WHEN (i * 7) % 20 < 10 THEN 'chaoying' WHEN (i * 7) % 20 < 14 THEN 'umf-mofun' WHEN (i * 7) % 20 < 16 THEN 'scanforpay' WHEN (i * 7) % 20 < 19 THEN 'umf-sp' ELSE 'huishouyin' END`;
  const channel = `CASE WHEN (i * 3) % 20 < 11 THEN 'wechat' WHEN (i * 3) % 20 < 18 THEN 'alipay' WHEN (i * 3) % 20 < 19 THEN 'unionpay' ELSE 'ecny' END`;
  const paidAt = `CASE WHEN i % 100 < 70 THEN ${created} + 20000 + (i % 60) * 1000 ELSE NULL END`;
  return { created, status, provider, channel, paidAt, amount: `(1000 + (i % 50) * 100)`, id: `'ord_bench' || ${pad(d, 'i', 19)}`, attempt: `'att_bench' || ${pad(d, 'i', 19)}` };
}

async function load(ledger: Ledger, d: Dialect): Promise<void> {
  const f = orderFields(d);
  const started = performance.now();
  for (let a = 0; a < N; a += CHUNK) {
    const b = Math.min(N, a + CHUNK);
    await ledger.db.transaction().execute(async (trx) => {
      await sql
        .raw(
          `INSERT INTO orders (id, merchant_order_id, trade_no_base, amount, currency, subject, status, expires_at, attempt_ttl_ms, client_secret_hashes,
             notify_url, metadata, request_fingerprint, attempt_seq, paid_at, paid_attempt_id, version, created_at, updated_at, provider, channel)
           SELECT ${f.id}, 'SHOP-' || ${pad(d, 'i', 8)}, 'SHOP' || ${pad(d, 'i', 8)}, ${f.amount}, 'CNY', 'Oolong tea', ${f.status}, ${f.created} + 900000, 600000, '',
             NULL, NULL, 'f', 1, ${f.paidAt}, CASE WHEN i % 100 < 70 THEN ${f.attempt} ELSE NULL END, 2, ${f.created}, ${f.created}, ${f.provider}, ${f.channel}
           FROM (${series(d, a, b)}) AS n`,
        )
        .execute(trx);
      await sql
        .raw(
          `INSERT INTO attempts (id, order_id, seq, provider, channel, scene, out_trade_no, status, amount, currency, expires_at, provider_trade_no, paid_at,
             created_at, updated_at, finished_at)
           SELECT ${f.attempt}, ${f.id}, 1, ${f.provider}, ${f.channel}, 'qr', 'SHOP' || ${pad(d, 'i', 8)} || '01',
             CASE WHEN i % 100 < 70 THEN 'paid' WHEN i % 100 < 97 THEN 'closed' ELSE 'pending' END, ${f.amount}, 'CNY', ${f.created} + 600000,
             CASE WHEN i % 100 < 70 THEN '4200' || ${pad(d, 'i', 16)} ELSE NULL END, ${f.paidAt}, ${f.created}, ${f.created},
             CASE WHEN i % 100 < 97 THEN ${f.created} + 20000 ELSE NULL END
           FROM (${series(d, a, b)}) AS n`,
        )
        .execute(trx);
      await sql
        .raw(
          `INSERT INTO notifications (id, provider, received_at, out_trade_no, attempt_id, order_id, outcome, detail, body)
           SELECT 'ntf_bench' || ${pad(d, 'i', 19)}, ${f.provider}, ${f.created} + 21000, 'SHOP' || ${pad(d, 'i', 8)} || '01', ${f.attempt}, ${f.id},
             CASE WHEN i % 400 = 0 THEN 'bad_signature' WHEN i % 1000 = 4 THEN 'amount_mismatch' ELSE 'applied' END, NULL, 'bench'
           FROM (${series(d, a, b)}) AS n WHERE i % 4 = 0`,
        )
        .execute(trx);
      await sql
        .raw(
          `INSERT INTO events (id, order_id, attempt_id, type, data, created_at, delivery_status, target_url, delivery_attempts, next_attempt_at, delivered_at)
           SELECT 'evt_bench' || ${pad(d, 'i', 19)}, ${f.id}, ${f.attempt}, 'order.paid', '{}', ${f.created} + 21000,
             CASE WHEN i % 1000 = 8 THEN 'failed' ELSE 'delivered' END, 'https://shop.example/hooks', 1, NULL, ${f.created} + 22000
           FROM (${series(d, a, b)}) AS n WHERE i % 4 = 0 AND i % 100 < 70`,
        )
        .execute(trx);
    });
    process.stdout.write(`\r  ${d}: loaded ${b.toLocaleString('en')} / ${N.toLocaleString('en')} orders`);
  }
  process.stdout.write(`  (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  if (d === 'postgres') await sql`ANALYZE`.execute(ledger.db);
}

interface Case {
  name: string;
  run(ledger: Ledger): Promise<unknown>;
}

const mid = N >> 1;
const midAt = START + mid * STEP;
const cases: Case[] = [
  { name: 'list: newest 50', run: (l) => l.orders.page({ limit: 50 }) },
  { name: 'list: page in the middle (cursor)', run: (l) => l.orders.page({ limit: 50, cursor: { at: midAt, id: `ord_bench${String(mid).padStart(19, '0')}` } }) },
  { name: 'list: status=open', run: (l) => l.orders.page({ limit: 50, status: 'open' }) },
  { name: 'list: provider=umf-sp channel=alipay', run: (l) => l.orders.page({ limit: 50, provider: 'umf-sp', channel: 'alipay' }) },
  { name: 'list: huishouyin × wechat (none)', run: (l) => l.orders.page({ limit: 50, provider: 'huishouyin', channel: 'wechat' }) },
  { name: 'list: status=open, scanforpay', run: (l) => l.orders.page({ limit: 50, status: 'open', provider: 'scanforpay' }) },
  { name: 'list: status=canceled, ecny', run: (l) => l.orders.page({ limit: 50, status: 'canceled', channel: 'ecny' }) },
  { name: 'list: paid, umf-sp, alipay', run: (l) => l.orders.page({ limit: 50, status: 'paid', provider: 'umf-sp', channel: 'alipay' }) },
  { name: 'list: status=paid, one day', run: (l) => l.orders.page({ limit: 50, status: 'paid', from: midAt, to: midAt + DAY }) },
  { name: 'list: channel=ecny, cursor', run: (l) => l.orders.page({ limit: 50, channel: 'ecny', cursor: { at: midAt, id: 'ord_z' } }) },
  { name: 'search: merchant order id', run: (l) => l.orders.page({ limit: 50, q: `SHOP-${String(mid).padStart(8, '0')}` }) },
  { name: 'search: order id', run: (l) => l.orders.page({ limit: 50, q: `ord_bench${String(mid + 1).padStart(19, '0')}` }) },
  { name: 'search: outTradeNo', run: (l) => l.orders.page({ limit: 50, q: `SHOP${String(mid + 2).padStart(8, '0')}01` }) },
  { name: 'search: provider transaction id', run: (l) => l.orders.page({ limit: 50, q: `4200${String(mid + 3).padStart(16, '0')}` }) },
  { name: 'search: no match', run: (l) => l.orders.page({ limit: 50, q: 'NOPE-0000' }) },
  { name: 'notifications: rejected', run: (l) => l.notifications.page({ limit: 50, outcomes: ['bad_signature', 'missing_signature', 'malformed', 'unknown_order', 'amount_mismatch', 'merchant_mismatch', 'currency_mismatch'] }) },
  { name: 'notifications: needing a person', run: (l) => l.notifications.page({ limit: 50, review: 'open' }) },
  { name: 'deliveries: failed', run: (l) => l.events.page({ limit: 50, state: 'failed' }) },
  { name: 'overview: last 24 h', run: (l) => l.stats.overview(END - DAY, END) },
];

async function bench(d: Dialect): Promise<Map<string, { median: number; p95: number }>> {
  const tmp = d === 'sqlite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-bench-')) : undefined;
  const schema = `bench_${process.pid}`;
  const captured: LogEvent[] = [];
  let capturing = false;
  const log = (e: LogEvent) => {
    if (capturing) captured.push(e);
  };
  const handle: LedgerDb =
    d === 'sqlite'
      ? await openDatabase({ sqlitePath: path.join(tmp!, 'ledger.sqlite'), log })
      : await openDatabase({ databaseUrl: PG_URL, pgSchema: schema, log });
  const ledger = new Ledger(handle, { clock: systemClock, random: cryptoRandom, feed: createChangeFeed({ log: createLogger({ level: 'error' }) }) });
  const results = new Map<string, { median: number; p95: number }>();
  try {
    console.log(`\n══ ${d === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ══`);
    await load(ledger, d);
    for (const c of cases) {
      await c.run(ledger); // warm
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await c.run(ledger);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const r = { median: times[Math.floor(times.length / 2)]!, p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]! };
      results.set(c.name, r);
      captured.length = 0;
      capturing = true;
      await c.run(ledger);
      capturing = false;
      console.log(`\n── ${c.name}: median ${r.median.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms`);
      for (const e of captured) {
        const plan = await ledger.db.executeQuery<Record<string, unknown>>(
          CompiledQuery.raw(`${d === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN (ANALYZE, BUFFERS)'} ${e.query.sql}`, [...e.query.parameters]),
        );
        console.log(`   ${e.query.sql.replace(/\s+/g, ' ').slice(0, 400)}`);
        for (const row of plan.rows) console.log(`     ${d === 'sqlite' ? `${'  '.repeat(depth(row, plan.rows))}${String(row.detail)}` : String(row['QUERY PLAN'])}`);
      }
    }
  } finally {
    await ledger.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    if (d === 'postgres') {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
  return results;
}

/** SQLite's plan rows nest by parent id. */
function depth(row: Record<string, unknown>, rows: Array<Record<string, unknown>>): number {
  let n = 0;
  let parent = row.parent;
  while (parent) {
    n++;
    parent = rows.find((r) => r.id === parent)?.parent;
  }
  return n;
}

async function main() {
  console.log(`PayQR operator queries — ${N.toLocaleString('en')} orders, ${RUNS} runs each, Node ${process.version}, ${os.cpus().length} CPUs`);
  const dialects: Dialect[] = args.only ? [args.only as Dialect] : ['sqlite', 'postgres'];
  const all = new Map<Dialect, Map<string, { median: number; p95: number }>>();
  for (const d of dialects) all.set(d, await bench(d));
  console.log(`\n${'query'.padEnd(40)}${dialects.map((d) => `${d} median / p95 (ms)`.padStart(30)).join('')}`);
  for (const c of cases) {
    console.log(`${c.name.padEnd(40)}${dialects.map((d) => { const r = all.get(d)!.get(c.name)!; return `${r.median.toFixed(2)} / ${r.p95.toFixed(2)}`.padStart(30); }).join('')}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
