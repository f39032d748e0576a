import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Dialect } from '../types.js';

type Table = CreateTableBuilder<string, never>;

/** Evaluation scales, grades per indicator line, report layouts and published snapshots. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const table = (name: string): Table => {
    const t = db.schema.createTable(name);
    return dialect === 'postgres'
      ? t.addColumn('id', 'serial', (c) => c.primaryKey())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  };
  // JSON of the plan's evaluation scale; '' grades by hand from grade_options.
  await db.schema
    .alterTable('plans')
    .addColumn('evaluation_scale', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  // What was entered for one indicator line: its level (達成度) and grade, and why it differs from the computed one.
  await db.schema.alterTable('indicator_actuals').addColumn('level', 'text').execute();
  await db.schema.alterTable('indicator_actuals').addColumn('grade', 'text').execute();
  await db.schema
    .alterTable('indicator_actuals')
    .addColumn('grade_reason', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await table('report_layouts')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('report_layouts_name', ['municipality_id', 'name'])
    .execute();

  await table('report_snapshots')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('layout_name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'integer', (c) => c.notNull())
    .addColumn('superseded_by', 'integer')
    .execute();
  await db.schema
    .createIndex('report_snapshots_municipality')
    .on('report_snapshots')
    .columns(['municipality_id', 'plan_id', 'fiscal_year'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_snapshots').execute();
  await db.schema.dropTable('report_layouts').execute();
  for (const c of ['grade_reason', 'grade', 'level'])
    await db.schema.alterTable('indicator_actuals').dropColumn(c).execute();
  await db.schema.alterTable('plans').dropColumn('evaluation_scale').execute();
}
