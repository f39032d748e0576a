import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../types.js';
import { PROTECTED } from './007-trustworthy-record.js';
import { isolateTenantTable } from './012-tenant-isolation.js';
import { APP_ROLE } from '../tenant.js';

/**
 * Imports as batches (src/server/modules/imports/batches.service.ts):
 *
 * - `import_batches`: one row per commit of a file into a plan — the year, the source's name and
 *   SHA-256, the mapping and the fixes it was read with, who imported it (named as at the time), the
 *   counts, and its state: live, replaced by a later import of the same source, or undone. `after`
 *   holds a digest of the plan's rows as the batch left them (kind → key → hash), so that an undo
 *   can tell whether anything was changed since;
 * - `import_batch_rows`: what the batch did to each row, enough to undo it exactly — created (kind
 *   and key), updated and removed (with the row as it was before) — and which rows the source owns
 *   (created by it, or by the batch it replaced and still in the file), which a re-import may remove;
 * - `import_releases`: the answers an import takes back (its replacement or undo), each named with
 *   the version it takes back. The guard of migration 007 lets such an answer be deleted when its
 *   year is neither fixed nor published; every other answer someone touched stays undeletable.
 */

export const IMPORT_BATCH_TABLES = ['import_batches', 'import_batch_rows', 'import_releases'] as const;

const MESSAGE = 'answers are never deleted';

const id = (db: Kysely<any>, dialect: Dialect, name: string) => {
  const t = db.schema.createTable(name);
  return dialect === 'postgres'
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
};

async function tables(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await id(db, dialect, 'import_batches')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('source_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source_hash', 'text', (c) => c.notNull())
    /** JSON of the ImportMapping the rows were read with */
    .addColumn('mapping', 'text', (c) => c.notNull())
    /** JSON of the ImportFixes (domain/import/fixes.ts) */
    .addColumn('fixes', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('user_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    /** 1: the batch created the plan */
    .addColumn('created_plan', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('removed_count', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON {created: {kind: n}, updated: {…}, removed: {…}, kept: [{kind, label, reason}]} */
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    /** JSON {kind: {key: hash}}: the plan's rows as the batch left them */
    .addColumn('after', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('replaced_by', 'integer', (c) => c.references('import_batches.id'))
    .addColumn('replaced_at', 'text')
    .addColumn('undone_at', 'text')
    .addColumn('undone_by', 'integer')
    .addColumn('undone_by_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('import_batches_plan').on('import_batches').columns(['plan_id', 'created_at']).execute();
  await id(db, dialect, 'import_batch_rows')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('import_batches.id').onDelete('cascade'))
    /** node, project, assignment, record, indicator, target, actual, evaluation, evaluation_version */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** the row's id, or its key columns joined by | */
    .addColumn('row_key', 'text', (c) => c.notNull())
    /** created, updated, removed, or kept (owned, unchanged) */
    .addColumn('action', 'text', (c) => c.notNull())
    /** JSON of the row before the batch (updated and removed rows) */
    .addColumn('before', 'text')
    /** 1: the source owns the row (a re-import may remove it) */
    .addColumn('owned', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('import_batch_rows_batch').on('import_batch_rows').column('batch_id').execute();
  await id(db, dialect, 'import_releases')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('batch_id', 'integer', (c) => c.references('import_batches.id').onDelete('cascade'))
    .addColumn('record_id', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_releases_record').on('import_releases').column('record_id').execute();
}

// The answer's year is fixed (its structure frozen at the first approval) or published.
const YEAR_FIXED = `EXISTS (SELECT 1 FROM year_nodes y WHERE y.plan_id = OLD.plan_id AND y.fiscal_year = OLD.fiscal_year)
  OR EXISTS (SELECT 1 FROM year_projects y WHERE y.plan_id = OLD.plan_id AND y.fiscal_year = OLD.fiscal_year)
  OR EXISTS (SELECT 1 FROM report_snapshots s WHERE s.plan_id = OLD.plan_id AND s.fiscal_year = OLD.fiscal_year)`;
const RELEASED = `EXISTS (SELECT 1 FROM import_releases r WHERE r.record_id = OLD.id AND r.version = OLD.version)`;
const TOUCHED = `OLD.status <> 'not_started' OR OLD.version > 1`;

/** The guard of 007 on answers, with its one exception: an answer its import takes back, in a year neither fixed nor published. */
async function releasableAnswers(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql.raw(`DROP TRIGGER IF EXISTS records_keep ON records`).execute(db);
    await sql
      .raw(
        `CREATE OR REPLACE FUNCTION shinchoku_records_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
          IF (${TOUCHED}) AND NOT ((${RELEASED}) AND NOT (${YEAR_FIXED})) THEN
            RAISE EXCEPTION '${PROTECTED}: %', '${MESSAGE}' USING ERRCODE = 'P0001';
          END IF;
          RETURN OLD;
        END $$`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER records_keep BEFORE DELETE ON records FOR EACH ROW EXECUTE FUNCTION shinchoku_records_keep()`,
      )
      .execute(db);
    return;
  }
  await sql.raw(`DROP TRIGGER IF EXISTS records_keep`).execute(db);
  await sql
    .raw(
      `CREATE TRIGGER records_keep BEFORE DELETE ON records FOR EACH ROW WHEN (${TOUCHED}) AND NOT ((${RELEASED}) AND NOT (${YEAR_FIXED})) BEGIN SELECT RAISE(ABORT, '${PROTECTED}: ${MESSAGE}'); END`,
    )
    .execute(db);
}

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await tables(db, dialect);
  for (const table of IMPORT_BATCH_TABLES) {
    await isolateTenantTable(db, dialect, table);
    // 012 granted the sequences there were; the app role numbers the new tables' rows too.
    if (dialect === 'postgres')
      await sql.raw(`GRANT USAGE, SELECT ON SEQUENCE ${table}_id_seq TO ${APP_ROLE}`).execute(db);
  }
  await releasableAnswers(db, dialect);
}

export async function down(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // The guard as 007 wrote it.
  if (dialect === 'postgres') {
    await sql.raw(`DROP TRIGGER IF EXISTS records_keep ON records`).execute(db);
    await sql.raw(`DROP FUNCTION IF EXISTS shinchoku_records_keep()`).execute(db);
    await sql
      .raw(
        `CREATE TRIGGER records_keep BEFORE DELETE ON records FOR EACH ROW WHEN (${TOUCHED}) EXECUTE FUNCTION shinchoku_refuse('${MESSAGE}')`,
      )
      .execute(db);
  } else {
    await sql.raw(`DROP TRIGGER IF EXISTS records_keep`).execute(db);
    await sql
      .raw(
        `CREATE TRIGGER records_keep BEFORE DELETE ON records FOR EACH ROW WHEN ${TOUCHED} BEGIN SELECT RAISE(ABORT, '${PROTECTED}: ${MESSAGE}'); END`,
      )
      .execute(db);
  }
  for (const table of [...IMPORT_BATCH_TABLES].reverse()) await db.schema.dropTable(table).execute();
}
