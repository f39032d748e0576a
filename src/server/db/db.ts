import fs from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import type { Database, Db, Dialect } from './types.js';
import * as m001 from './migrations/001-foundation.js';
import * as m002 from './migrations/002-yearly-cycle.js';
import * as m003 from './migrations/003-user-email.js';
import * as m004 from './migrations/004-plan-revision.js';
import * as m005 from './migrations/005-import-mappings.js';
import * as m006 from './migrations/006-reports.js';
import * as m007 from './migrations/007-trustworthy-record.js';

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

export async function openDatabase(opts: { databaseUrl?: string; sqliteFile?: string }): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const pg = await import('pg');
    // Counts and bigints arrive as strings from pg; repositories convert them where they read them.
    const pool = new pg.default.Pool({ connectionString: opts.databaseUrl, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = opts.sqliteFile ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const { default: SQLite } = await import('better-sqlite3');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

const MIGRATIONS: Record<string, { up: (db: Kysely<any>, dialect: Dialect) => Promise<void>; down: (db: Kysely<any>, dialect: Dialect) => Promise<void> }> = {
  '001-foundation': m001,
  '002-yearly-cycle': m002,
  '003-user-email': m003,
  '004-plan-revision': m004,
  '005-import-mappings': m005,
  '006-reports': m006,
  '007-trustworthy-record': m007,
};

class CodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(MIGRATIONS)) out[name] = { up: (db) => m.up(db, this.dialect), down: (db) => m.down(db, this.dialect) };
    return out;
  }
}

export async function migrateToLatest(handle: DbHandle): Promise<void> {
  const migrator = new Migrator({ db: handle.db, provider: new CodeMigrationProvider(handle.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`データベースの移行に失敗しました: ${failed?.migrationName ?? ''} ${String(error)}`);
}
