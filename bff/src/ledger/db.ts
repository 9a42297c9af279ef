/**
 * One query layer for both databases: embedded SQLite (better-sqlite3, WAL, synchronous=FULL
 * so a commit survives power loss) by default, PostgreSQL when DATABASE_URL is postgres://….
 */
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { migrationProvider, type SqlDialect } from './migrations';
import type { Database } from './schema';

// int8 (bigint) → number: our bigints are epoch-ms times and minor units, far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface LedgerDb {
  db: Kysely<Database>;
  dialect: SqlDialect;
  /** PostgreSQL only: a pool client factory for LISTEN */
  pgPool?: pg.Pool;
  /** PostgreSQL schema in use, when not the default search path */
  pgSchema?: string;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** postgres://… or undefined for SQLite */
  databaseUrl?: string | undefined;
  /** SQLite file location (directory is created); ':memory:' allowed in tests */
  sqlitePath?: string;
  /** PostgreSQL schema to use (created if missing); tests isolate themselves with it */
  pgSchema?: string;
  migrate?: boolean;
  /** every query as it runs (the operator benchmark explains what the repositories ran) */
  log?: (event: LogEvent) => void;
}

export async function openDatabase(opts: OpenDbOptions): Promise<LedgerDb> {
  const ledger = opts.databaseUrl && /^postgres(ql)?:\/\//.test(opts.databaseUrl)
    ? await openPostgres(opts.databaseUrl, opts.pgSchema, opts.log)
    : openSqlite(opts.sqlitePath ?? ':memory:', opts.log);
  if (opts.migrate !== false) await migrate(ledger);
  return ledger;
}

function openSqlite(file: string, log?: (event: LogEvent) => void): LedgerDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: in WAL mode every commit is fsynced — a paid order must not vanish on power loss.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), ...(log ? { log } : {}) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

async function openPostgres(url: string, schema?: string, log?: (event: LogEvent) => void): Promise<LedgerDb> {
  if (schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
  return { db, dialect: 'postgres', pgPool: pool, ...(schema ? { pgSchema: schema } : {}), close: () => db.destroy() };
}

export async function migrate(ledger: LedgerDb): Promise<void> {
  const migrator = new Migrator({
    db: ledger.db,
    provider: migrationProvider(ledger.dialect),
    // Kysely looks for its bookkeeping tables in any schema unless told which one.
    ...(ledger.pgSchema ? { migrationTableSchema: ledger.pgSchema } : {}),
  });
  await migrateWith(migrator);
}

export async function migrateWith(migrator: Pick<Migrator, 'migrateToLatest'>): Promise<void> {
  for (let tries = 1; ; tries++) {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (!error && !failed) return;
    // Kysely finds its bookkeeping tables by listing every schema's tables; a schema another
    // client drops meanwhile (parallel test suites on one database) fails that listing with
    // "schema … does not exist" before any migration ran (the run is one transaction). Again.
    if (!failed && tries < 5 && /schema "[^"]+" does not exist/.test(String(error))) continue;
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
  }
}
