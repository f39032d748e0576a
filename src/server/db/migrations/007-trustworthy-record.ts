import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../types.js';

/**
 * What makes the record trustworthy over the years:
 * - reorganisations are scheduled and take effect in their fiscal year (status, applied_at);
 * - nodes and projects carry the fiscal years they apply in and can be archived instead of deleted;
 * - a record keeps whether its department led the project that year (the facts of the year);
 * - a year's structure as printed (numbers, titles, places) is fixed once its answers are approved or published;
 * - publications record what they contain and can be withdrawn with a reason;
 * - plans can be archived;
 * - the database itself refuses to destroy what was typed, approved or published (triggers).
 */
export const PROTECTED = 'shinchoku-protected';

type AlterTable = ReturnType<Kysely<any>['schema']['alterTable']>;

/** Adds to a table what `build` says, in one ALTER TABLE. */
const alter = (db: Kysely<any>) => (table: string, build: (t: AlterTable) => { execute(): Promise<void> }) =>
  build(db.schema.alterTable(table)).execute();

/** Reorganisations are scheduled and take effect in their fiscal year; those already made count as applied. */
async function scheduledReorganisations(db: Kysely<any>): Promise<void> {
  const add = alter(db);
  await add('department_changes', (t) => t.addColumn('status', 'text', (c) => c.notNull().defaultTo('applied')));
  await add('department_changes', (t) => t.addColumn('applied_at', 'text'));
  await add('department_changes', (t) => t.addColumn('cancelled_at', 'text'));
  /** JSON {departmentId: active_to} of the old units before the change, to restore on cancel */
  await add('department_changes', (t) => t.addColumn('previous_active_to', 'text', (c) => c.notNull().defaultTo('{}')));
  /** JSON {from: [names], to: [names]}: what the change said, kept when a cancelled change's units are gone */
  await add('department_changes', (t) =>
    t.addColumn('names', 'text', (c) => c.notNull().defaultTo('{"from":[],"to":[]}')),
  );
  await sql`UPDATE department_changes SET applied_at = created_at`.execute(db);
}

/** Nodes and projects carry the years they apply in and can be archived; so can plans. */
async function yearsAndArchiving(db: Kysely<any>): Promise<void> {
  const add = alter(db);
  for (const table of ['plan_nodes', 'projects']) {
    await add(table, (t) => t.addColumn('first_year', 'integer'));
    await add(table, (t) => t.addColumn('last_year', 'integer'));
    await add(table, (t) => t.addColumn('archived_at', 'text'));
  }
  /** 0: an explicit number that does not take a place in the count (appended without renumbering) */
  await add('plan_nodes', (t) => t.addColumn('counts_in_numbering', 'integer', (c) => c.notNull().defaultTo(1)));
  await add('plans', (t) => t.addColumn('archived_at', 'text'));
}

/** A record keeps whether its department led the project that year, taken from the project's departments. */
async function recordFacts(db: Kysely<any>): Promise<void> {
  const add = alter(db);
  await add('records', (t) => t.addColumn('is_lead', 'integer', (c) => c.notNull().defaultTo(0)));
  await add('records', (t) => t.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0)));
  await sql`UPDATE records SET is_lead = COALESCE((SELECT pd.is_lead FROM project_departments pd WHERE pd.project_id = records.project_id AND pd.department_id = records.department_id), 0),
    position = COALESCE((SELECT pd.position FROM project_departments pd WHERE pd.project_id = records.project_id AND pd.department_id = records.department_id), 99)`.execute(
    db,
  );
}

/** A year's structure as it was answered: fixed at the year's first approval or publication. */
async function yearStructure(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('year_nodes')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('node_id', 'integer', (c) => c.notNull().references('plan_nodes.id'))
    .addColumn('parent_id', 'integer')
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('year_nodes_pk', ['plan_id', 'fiscal_year', 'node_id'])
    .execute();
  await db.schema
    .createTable('year_projects')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('year_projects_pk', ['plan_id', 'fiscal_year', 'project_id'])
    .execute();
}

/** Publications record what they contain and can be withdrawn with a reason. */
async function publicationFacts(db: Kysely<any>): Promise<void> {
  const add = alter(db);
  await add('report_snapshots', (t) => t.addColumn('includes_unapproved', 'integer', (c) => c.notNull().defaultTo(0)));
  /** JSON {status: count} of the year's answers when published */
  await add('report_snapshots', (t) => t.addColumn('status_counts', 'text', (c) => c.notNull().defaultTo('{}')));
  await add('report_snapshots', (t) => t.addColumn('withdrawn_at', 'text'));
  await add('report_snapshots', (t) => t.addColumn('withdrawn_by', 'integer'));
  await add('report_snapshots', (t) => t.addColumn('withdraw_reason', 'text', (c) => c.notNull().defaultTo('')));
}

// The second wall: whatever the application does, these rows are not destroyed.
const GUARDS: { name: string; table: string; event: string; when?: string; message: string }[] = [
  {
    name: 'report_snapshots_keep',
    table: 'report_snapshots',
    event: 'DELETE',
    message: 'published reports are never deleted',
  },
  {
    name: 'report_snapshots_fixed',
    table: 'report_snapshots',
    event: 'UPDATE OF document, title, as_of, plan_id, fiscal_year, layout_name, published_at, published_by',
    message: 'published reports never change',
  },
  {
    name: 'records_keep',
    table: 'records',
    event: 'DELETE',
    when: "OLD.status <> 'not_started' OR OLD.version > 1",
    message: 'answers are never deleted',
  },
  {
    name: 'record_history_keep',
    table: 'record_history',
    event: 'DELETE',
    message: 'record history is never deleted',
  },
  {
    name: 'council_comments_keep',
    table: 'council_comments',
    event: 'DELETE',
    message: 'council threads are never deleted',
  },
];

/** The guards as triggers: a PostgreSQL function raising the refusal, or SQLite's RAISE(ABORT). */
async function guards(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql
      .raw(
        `CREATE OR REPLACE FUNCTION shinchoku_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${PROTECTED}: %', TG_ARGV[0] USING ERRCODE = 'P0001'; END $$`,
      )
      .execute(db);
    for (const g of GUARDS)
      await sql
        .raw(
          `CREATE TRIGGER ${g.name} BEFORE ${g.event} ON ${g.table} FOR EACH ROW ${g.when ? `WHEN (${g.when}) ` : ''}EXECUTE FUNCTION shinchoku_refuse('${g.message}')`,
        )
        .execute(db);
    return;
  }
  for (const g of GUARDS)
    await sql
      .raw(
        `CREATE TRIGGER ${g.name} BEFORE ${g.event} ON ${g.table} FOR EACH ROW ${g.when ? `WHEN ${g.when} ` : ''}BEGIN SELECT RAISE(ABORT, '${PROTECTED}: ${g.message}'); END`,
      )
      .execute(db);
}

// The steps in the order they have always run: a database migrated before keeps exactly this schema.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await scheduledReorganisations(db);
  await yearsAndArchiving(db);
  await recordFacts(db);
  await yearStructure(db);
  await publicationFacts(db);
  await guards(db, dialect);
}

export async function down(db: Kysely<any>, dialect: Dialect): Promise<void> {
  for (const [name, table] of [
    ['report_snapshots_keep', 'report_snapshots'],
    ['report_snapshots_fixed', 'report_snapshots'],
    ['records_keep', 'records'],
    ['record_history_keep', 'record_history'],
    ['council_comments_keep', 'council_comments'],
  ])
    await sql
      .raw(dialect === 'postgres' ? `DROP TRIGGER IF EXISTS ${name} ON ${table}` : `DROP TRIGGER IF EXISTS ${name}`)
      .execute(db);
  if (dialect === 'postgres') await sql`DROP FUNCTION IF EXISTS shinchoku_refuse()`.execute(db);
  await db.schema.dropTable('year_projects').execute();
  await db.schema.dropTable('year_nodes').execute();
  for (const [table, column] of [
    ['report_snapshots', 'withdraw_reason'],
    ['report_snapshots', 'withdrawn_by'],
    ['report_snapshots', 'withdrawn_at'],
    ['report_snapshots', 'status_counts'],
    ['report_snapshots', 'includes_unapproved'],
    ['records', 'position'],
    ['records', 'is_lead'],
    ['plans', 'archived_at'],
    ['plan_nodes', 'counts_in_numbering'],
    ['projects', 'archived_at'],
    ['projects', 'last_year'],
    ['projects', 'first_year'],
    ['plan_nodes', 'archived_at'],
    ['plan_nodes', 'last_year'],
    ['plan_nodes', 'first_year'],
    ['department_changes', 'names'],
    ['department_changes', 'previous_active_to'],
    ['department_changes', 'cancelled_at'],
    ['department_changes', 'applied_at'],
    ['department_changes', 'status'],
  ])
    await db.schema.alterTable(table!).dropColumn(column!).execute();
}
