import fs from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, sql, PostgresDialect, type Migration, type MigrationProvider } from 'kysely';
import type { Config } from '../config.js';
import type { Database, Db, Dialect } from './types.js';
import { cachedStatements } from './sqlite-statements.js';
import { QueuedSqliteDialect } from './sqlite-queue.js';
import * as m001 from './migrations/001-foundation.js';
import * as m002 from './migrations/002-yearly-cycle.js';
import * as m003 from './migrations/003-user-email.js';
import * as m004 from './migrations/004-plan-revision.js';
import * as m005 from './migrations/005-import-mappings.js';
import * as m006 from './migrations/006-reports.js';
import * as m007 from './migrations/007-trustworthy-record.js';
import * as m008 from './migrations/008-security.js';
import * as m009 from './migrations/009-enum-checks.js';
import * as m010 from './migrations/010-evaluation-slots.js';
import * as m011 from './migrations/011-sheet-revisions.js';
import * as m012 from './migrations/012-tenant-isolation.js';
import * as m013 from './migrations/013-plan-fields.js';
import * as m014 from './migrations/014-import-batches.js';
import * as m015 from './migrations/015-level-number-heading.js';
import * as m016 from './migrations/016-sheet-project-revisions.js';
import * as m017 from './migrations/017-change-links-by-municipality.js';
import * as m018 from './migrations/018-indicator-years.js';
import * as m019 from './migrations/019-evaluation-subject-lookup.js';
import * as m020 from './migrations/020-sqlite-list-checks.js';
import { scopedDialect } from './tenant.js';
import { oneTripClient } from './one-trip.js';

export interface DbHandle {
  /**
   * What the app uses. On PostgreSQL every statement runs in a transaction scoped to the
   * municipality of its call chain, as the role without access to other municipalities (tenant.ts).
   */
  db: Db;
  /**
   * The connecting role itself, owner of the tables: migrations, and tests that set up and
   * inspect rows of several municipalities. The same as `db` on SQLite.
   */
  owner: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

/** Connections each process opens to PostgreSQL at most, unless DATABASE_POOL_SIZE says otherwise. */
const DEFAULT_POOL_SIZE = 10;
/** A statement running longer is cancelled, unless DATABASE_STATEMENT_TIMEOUT_SECONDS says otherwise. */
const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

export async function openDatabase(opts: {
  databaseUrl?: string;
  sqliteFile?: string;
  onPoolError?: (err: Error) => void;
  /** PostgreSQL: connections of this process's pool */
  poolSize?: number;
  /** PostgreSQL: per statement of the app's transactions (not of migrations); 0 for none */
  statementTimeoutMs?: number;
  /** PostgreSQL: keep prepared statements per connection (prepared.ts); off behind a pooler in transaction mode */
  prepare?: boolean;
}): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const pg = await import('pg');
    // Counts and bigints arrive as strings from pg; repositories convert them where they read them.
    // A connection that waits more than 5 s for the database fails (and the request answers 503)
    // rather than hanging; an idle client the server drops (a restart: 57P01) is reported here
    // instead of crashing the process, and the pool opens new ones when the database is back.
    const pool = new pg.default.Pool({
      // A statement and its BEGIN and COMMIT in one round trip where it can (one-trip.ts).
      Client: oneTripClient(pg.default.Client),
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? DEFAULT_POOL_SIZE,
      connectionTimeoutMillis: 5000,
    });
    const report =
      opts.onPoolError ??
      ((e: Error) => process.stderr.write(`データベースとの接続が切れました（再接続します）: ${e.message}\n`));
    pool.on('error', report);
    // A client checked out between two queries of a transaction has no pool listener: without its
    // own, a dropped connection there would be an unhandled 'error' event and end the process.
    pool.on('connect', (client) => client.on('error', report));
    const owner = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const db = new Kysely<Database>({
      dialect: scopedDialect(new PostgresDialect({ pool }), {
        statementTimeoutMs: opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
        prepare: opts.prepare ?? true,
      }),
    });
    return {
      db,
      owner,
      dialect: 'postgres',
      close: async () => {
        await db.destroy();
        await owner.destroy();
      },
    };
  }
  const file = opts.sqliteFile ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const { default: SQLite } = await import('better-sqlite3');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new QueuedSqliteDialect({ database: cachedStatements(sqlite) }) });
  return { db, owner: db, dialect: 'sqlite', close: () => db.destroy() };
}

/** The database the settings name (DATABASE_URL or DATA_DIR), with the pool and timeout they give. */
export function openConfiguredDatabase(config: Config): Promise<DbHandle> {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.sqliteFile,
    poolSize: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
    prepare: config.database.prepare,
  });
}

const MIGRATIONS: Record<
  string,
  {
    up: (db: Kysely<any>, dialect: Dialect) => Promise<void>;
    down: (db: Kysely<any>, dialect: Dialect) => Promise<void>;
  }
> = {
  '001-foundation': m001,
  '002-yearly-cycle': m002,
  '003-user-email': m003,
  '004-plan-revision': m004,
  '005-import-mappings': m005,
  '006-reports': m006,
  '007-trustworthy-record': m007,
  '008-security': m008,
  '009-enum-checks': m009,
  '010-evaluation-slots': m010,
  '011-sheet-revisions': m011,
  '012-tenant-isolation': m012,
  '013-plan-fields': m013,
  '014-import-batches': m014,
  '015-level-number-heading': m015,
  '016-sheet-project-revisions': m016,
  '017-change-links-by-municipality': m017,
  '018-indicator-years': m018,
  '019-evaluation-subject-lookup': m019,
  '020-sqlite-list-checks': m020,
};

class CodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(MIGRATIONS))
      out[name] = { up: (db) => m.up(db, this.dialect), down: (db) => m.down(db, this.dialect) };
    return out;
  }
}

export async function migrateToLatest(handle: DbHandle): Promise<void> {
  await migrateUpTo(handle, null);
}

/** Runs the migrations up to and including `target` (all of them for null): tests of a migration start before it. */
export async function migrateUpTo(handle: DbHandle, target: string | null): Promise<void> {
  const migrator = new Migrator({ db: handle.owner, provider: new CodeMigrationProvider(handle.dialect) });
  // SQLite changes a column's constraints by rebuilding its table, which its own documentation does
  // with foreign keys off (they cannot be switched inside a transaction); they are checked after.
  if (handle.dialect === 'sqlite') await sql`PRAGMA foreign_keys = OFF`.execute(handle.owner);
  try {
    const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed)
      throw new Error(`データベースの移行に失敗しました: ${failed?.migrationName ?? ''} ${String(error)}`);
    if (handle.dialect === 'sqlite') {
      const broken = await sql`PRAGMA foreign_key_check`.execute(handle.owner);
      if (broken.rows.length)
        throw new Error(`データベースの移行後に参照の不整合があります: ${JSON.stringify(broken.rows[0])}`);
    }
  } finally {
    if (handle.dialect === 'sqlite') await sql`PRAGMA foreign_keys = ON`.execute(handle.owner);
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/**
 * Whether an error means the database cannot be reached or is busy for now (restarting, shutting
 * down, locked): the request is answered 503 with Retry-After, and the next one tries again.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  // Drivers throw errors of their own shapes; each field is checked below before it is used.
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && UNREACHABLE.has(e.code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|terminating connection|the database system is (starting up|shutting down)|Client has encountered a connection error/i.test(
    message,
  );
}

/** Whether PostgreSQL cancelled a statement that ran past `statement_timeout` (57014 is also a manual cancel). */
export function isStatementTimeout(err: unknown): boolean {
  // Drivers throw errors of their own shapes; each field is checked below before it is used.
  const e = err as { code?: unknown; message?: unknown } | null;
  return !!e && e.code === '57014' && typeof e.message === 'string' && /statement timeout/.test(e.message);
}
