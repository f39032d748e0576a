import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Dialect } from '../types.js';

type Table = CreateTableBuilder<string, never>;

/** What each step creates tables with: the database, a table with its id column, the floating-point type. */
interface Schema {
  db: Kysely<any>;
  table: (name: string) => Table;
  real: 'double precision' | 'real';
}

const municipality = (t: Table) =>
  t.addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'));

async function planGrades({ db }: Schema): Promise<void> {
  // The grades a plan's departments choose from, until evaluation scales become data of their own.
  await db.schema
    .alterTable('plans')
    .addColumn('grade_options', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}

/** Indicators of a project, with their baseline and final target. */
async function indicators({ db, table, real }: Schema): Promise<void> {
  await municipality(table('indicators'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('baseline_value', real)
    .addColumn('baseline_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('baseline_year', 'integer')
    .addColumn('final_target_value', real)
    .addColumn('final_target_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('indicators_project').on('indicators').column('project_id').execute();
}

/** An indicator's target per year. */
async function indicatorTargets({ db, real }: Schema): Promise<void> {
  await db.schema
    .createTable('indicator_targets')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('value', real)
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('indicator_targets_pk', ['indicator_id', 'fiscal_year'])
    .execute();
}

/** Survey rounds: a plan, a year and a phase, with the deadline. */
async function surveyRounds({ db, table }: Schema): Promise<void> {
  await municipality(table('survey_rounds'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('instructions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('survey_rounds_plan').on('survey_rounds').columns(['plan_id', 'fiscal_year']).execute();
}

/** The departments a round asks, and whether it was reopened for one. */
async function surveyRoundDepartments({ db }: Schema): Promise<void> {
  await db.schema
    .createTable('survey_round_departments')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('survey_rounds.id').onDelete('cascade'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('reopened', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('survey_round_departments_pk', ['round_id', 'department_id'])
    .execute();
}

/** Records: one answer per project, department and year. */
async function records({ db, table }: Schema): Promise<void> {
  await municipality(table('records'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('plan_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('result_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('grade', 'text')
    .addColumn('grade_source', 'text')
    .addColumn('remarks', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('next_year_plan', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('same_as_department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addColumn('submitted_at', 'text')
    .addUniqueConstraint('records_project_department_year', ['project_id', 'department_id', 'fiscal_year'])
    .execute();
  await db.schema
    .createIndex('records_plan_year')
    .on('records')
    .columns(['plan_id', 'fiscal_year', 'department_id'])
    .execute();
}

/** Each department's actual of an indicator per year. */
async function indicatorActuals({ table, real }: Schema): Promise<void> {
  await municipality(table('indicator_actuals'))
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('value', real)
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text')
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('parts', 'text', (c) => c.notNull().defaultTo('[]'))
    .addUniqueConstraint('indicator_actuals_key', ['indicator_id', 'department_id', 'fiscal_year'])
    .execute();
}

/** Snapshots of a record before and after every save and transition. */
async function recordHistory({ db, table }: Schema): Promise<void> {
  await municipality(table('record_history'))
    .addColumn('record_id', 'integer', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before', 'text', (c) => c.notNull())
    .addColumn('after', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('record_history_record').on('record_history').columns(['record_id', 'id']).execute();
}

/** Comments on a record (returns, review notes). */
async function recordComments({ db, table }: Schema): Promise<void> {
  await municipality(table('record_comments'))
    .addColumn('record_id', 'integer', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('record_comments_record').on('record_comments').column('record_id').execute();
}

/** Council remarks on a project and the answers to them. */
async function councilComments({ db, table }: Schema): Promise<void> {
  await municipality(table('council_comments'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('council_comments.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('council_comments_project').on('council_comments').column('project_id').execute();
}

// The steps in the order they have always run: a database migrated before keeps exactly this schema.
const STEPS = [
  planGrades,
  indicators,
  indicatorTargets,
  surveyRounds,
  surveyRoundDepartments,
  records,
  indicatorActuals,
  recordHistory,
  recordComments,
  councilComments,
];

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const table = (name: string): Table => {
    const t = db.schema.createTable(name);
    return dialect === 'postgres'
      ? t.addColumn('id', 'serial', (c) => c.primaryKey())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  };
  const schema: Schema = { db, table, real: dialect === 'postgres' ? 'double precision' : 'real' };
  for (const step of STEPS) await step(schema);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'council_comments',
    'record_comments',
    'record_history',
    'indicator_actuals',
    'records',
    'survey_round_departments',
    'survey_rounds',
    'indicator_targets',
    'indicators',
  ])
    await db.schema.dropTable(t).execute();
  await db.schema.alterTable('plans').dropColumn('grade_options').execute();
}
