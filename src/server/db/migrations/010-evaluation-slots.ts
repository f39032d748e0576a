import { sql, type Kysely } from 'kysely';
import { configFromLegacy } from '../../../domain/evaluation/legacy.js';
import { gradeOptionsInput } from '../../../domain/schemas.js';
import type { Dialect } from '../types.js';
import { PROTECTED } from './007-trustworthy-record.js';

/**
 * Evaluation slots (docs/evaluation.md):
 * - `plan_evaluation_versions`: a plan's scales and slots, each version in force from a fiscal year;
 * - `evaluations` (+ `evaluation_history`): what people entered, per slot, subject and fiscal year;
 * - `indicator_revisions`: an indicator's target, baseline and kind revised from a fiscal year on;
 * - indicators may belong to a node or to the plan (project_id nullable, node_id), with a purpose
 *   (目標値 / 期待値 / モニタリング) and a target basis (annual / cumulative / final);
 * - the role of committee members.
 * Every plan's one scale is carried over as its first version (domain/evaluation/legacy.ts), and the
 * grades stored on answers and indicator lines move into `evaluations`; the old columns go.
 */

type Db = Kysely<any>;

const ROLES = [
  'system_admin',
  'coordinator',
  'department_editor',
  'department_viewer',
  'council_member',
  'committee_member',
];
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(db: Db, dialect: Dialect): Promise<void> {
  await createTables(db, dialect);
  await reshapeIndicators(db, dialect);
  await replaceCheck(db, dialect, 'users', 'role', ROLES);
  for (const [column, values] of [
    ['purpose', ['target', 'expected', 'monitoring']],
    ['target_basis', ['annual', 'cumulative', 'final']],
  ] as const)
    await addCheck(db, dialect, 'indicators', column, values);
  await addCheck(db, dialect, 'evaluations', 'subject_kind', ['indicator', 'record', 'project', 'node', 'plan']);
  await carryOver(db);
  await dropOldColumns(db, dialect);
  await guard(db, dialect, 'evaluations_keep', 'evaluations', 'evaluations are never deleted');
  await guard(db, dialect, 'evaluation_history_keep', 'evaluation_history', 'evaluation history is never deleted');
}

const ts = 'text';
const table = (db: Db, dialect: Dialect, name: string) => {
  const t = db.schema.createTable(name);
  return dialect === 'postgres'
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
};

async function createTables(db: Db, dialect: Dialect) {
  await table(db, dialect, 'plan_evaluation_versions')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('from_year', 'integer', (c) => c.notNull())
    /** JSON of an EvaluationConfig (domain/evaluation/schema.ts) */
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_by_name', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('plan_evaluation_versions_year', ['plan_id', 'from_year'])
    .execute();
  await table(db, dialect, 'evaluations')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('slot_key', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    /** the answering department for indicator lines and answers; 0 for projects, nodes and the plan */
    .addColumn('department_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('code', 'text')
    /** a level entered with an override (達成度 as printed), else null */
    .addColumn('level', 'text')
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('entered_by', 'integer')
    .addColumn('entered_by_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('entered_at', ts, (c) => c.notNull())
    .addUniqueConstraint('evaluations_subject', [
      'plan_id',
      'fiscal_year',
      'slot_key',
      'subject_kind',
      'subject_id',
      'department_id',
    ])
    .execute();
  await table(db, dialect, 'evaluation_history')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().references('evaluations.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    /** JSON {code, level, reason, comment} before and after */
    .addColumn('before', 'text', (c) => c.notNull())
    .addColumn('after', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('actor_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evaluation_history_evaluation')
    .on('evaluation_history')
    .column('evaluation_id')
    .execute();
  await table(db, dialect, 'indicator_revisions')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('indicator_id', 'integer', (c) => c.notNull().references('indicators.id').onDelete('cascade'))
    .addColumn('from_year', 'integer', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('target_basis', 'text', (c) => c.notNull())
    .addColumn('baseline_value', 'real')
    .addColumn('baseline_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('baseline_year', 'integer')
    .addColumn('final_target_value', 'real')
    .addColumn('final_target_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('created_by_name', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('indicator_revisions_year', ['indicator_id', 'from_year'])
    .execute();
}

const INDICATOR_COLUMNS = [
  'id',
  'municipality_id',
  'plan_id',
  'project_id',
  'department_id',
  'name',
  'unit',
  'kind',
  'direction',
  'baseline_value',
  'baseline_text',
  'baseline_year',
  'final_target_value',
  'final_target_text',
  'position',
  'created_at',
  'updated_at',
];

async function reshapeIndicators(db: Db, dialect: Dialect) {
  if (dialect === 'postgres') {
    await sql`ALTER TABLE indicators ALTER COLUMN project_id DROP NOT NULL`.execute(db);
    await sql`ALTER TABLE indicators ADD COLUMN node_id integer REFERENCES plan_nodes (id)`.execute(db);
  } else {
    // SQLite cannot make a column nullable: the table is rebuilt (foreign keys are off while migrating,
    // see migrateToLatest, and checked after) and its index and triggers written again.
    const kept = await sql<{
      sql: string;
    }>`SELECT sql FROM sqlite_master WHERE tbl_name = 'indicators' AND type IN ('index', 'trigger') AND sql IS NOT NULL`.execute(
      db,
    );
    await sql
      .raw(
        `CREATE TABLE indicators_new ("id" integer primary key autoincrement, "municipality_id" integer not null references "municipalities" ("id"), "plan_id" integer not null references "plans" ("id") on delete cascade, "project_id" integer references "projects" ("id") on delete cascade, "node_id" integer references "plan_nodes" ("id"), "department_id" integer references "departments" ("id"), "name" text not null, "unit" text default '' not null, "kind" text not null, "direction" text not null, "baseline_value" real, "baseline_text" text default '' not null, "baseline_year" integer, "final_target_value" real, "final_target_text" text default '' not null, "position" integer not null, "created_at" text not null, "updated_at" text not null)`,
      )
      .execute(db);
    const cols = INDICATOR_COLUMNS.map((c) => `"${c}"`).join(', ');
    await sql.raw(`INSERT INTO indicators_new (${cols}) SELECT ${cols} FROM indicators`).execute(db);
    await sql`DROP TABLE indicators`.execute(db);
    await sql`ALTER TABLE indicators_new RENAME TO indicators`.execute(db);
    for (const k of kept.rows) await sql.raw(k.sql).execute(db);
  }
  await db.schema.createIndex('indicators_node').on('indicators').column('node_id').execute();
  await db.schema
    .alterTable('indicators')
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('target'))
    .execute();
  await db.schema
    .alterTable('indicators')
    .addColumn('target_basis', 'text', (c) => c.notNull().defaultTo('annual'))
    .execute();
}

async function addCheck(db: Db, dialect: Dialect, tableName: string, column: string, values: readonly string[]) {
  const name = `${tableName}_${column}_check`;
  if (dialect === 'postgres')
    await sql.raw(`ALTER TABLE ${tableName} ADD CONSTRAINT ${name} CHECK (${column} IN (${list(values)}))`).execute(db);
  else
    for (const [suffix, event] of [
      ['insert', 'INSERT'],
      ['update', `UPDATE OF ${column}`],
    ])
      await sql
        .raw(
          `CREATE TRIGGER ${name}_${suffix} BEFORE ${event} ON ${tableName} FOR EACH ROW WHEN NEW.${column} IS NOT NULL AND NEW.${column} NOT IN (${list(values)}) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: ${name}'); END`,
        )
        .execute(db);
}

async function dropCheck(db: Db, dialect: Dialect, tableName: string, column: string) {
  const name = `${tableName}_${column}_check`;
  if (dialect === 'postgres') await sql.raw(`ALTER TABLE ${tableName} DROP CONSTRAINT IF EXISTS ${name}`).execute(db);
  else for (const suffix of ['insert', 'update']) await sql.raw(`DROP TRIGGER IF EXISTS ${name}_${suffix}`).execute(db);
}

async function replaceCheck(db: Db, dialect: Dialect, tableName: string, column: string, values: readonly string[]) {
  await dropCheck(db, dialect, tableName, column);
  await addCheck(db, dialect, tableName, column, values);
}

async function guard(db: Db, dialect: Dialect, name: string, tableName: string, message: string) {
  await sql
    .raw(
      dialect === 'postgres'
        ? `CREATE TRIGGER ${name} BEFORE DELETE ON ${tableName} FOR EACH ROW EXECUTE FUNCTION shinchoku_refuse('${message}')`
        : `CREATE TRIGGER ${name} BEFORE DELETE ON ${tableName} FOR EACH ROW BEGIN SELECT RAISE(ABORT, '${PROTECTED}: ${message}'); END`,
    )
    .execute(db);
}

interface PlanRow {
  id: number;
  municipality_id: number;
  first_year: number;
  evaluation_scale: string;
  grade_options: string;
}

/** Each plan's one scale becomes its first version; stored grades move into evaluations. */
async function carryOver(db: Db) {
  const now = new Date().toISOString();
  const plans = (
    await sql<PlanRow>`SELECT id, municipality_id, first_year, evaluation_scale, grade_options FROM plans`.execute(db)
  ).rows;
  for (const plan of plans) {
    const computed = plan.evaluation_scale.trim() !== '' && !/"method"\s*:\s*"manual"/.test(plan.evaluation_scale);
    const answersWithGrades = computed ? await recordGradesBesideLines(db, plan.id) : 0;
    const options = gradeOptionsInput.parse(JSON.parse(plan.grade_options || '[]'));
    const config = configFromLegacy(plan.evaluation_scale, options, answersWithGrades > 0);
    await db
      .insertInto('plan_evaluation_versions')
      .values({
        municipality_id: plan.municipality_id,
        plan_id: plan.id,
        from_year: plan.first_year,
        definition: JSON.stringify(config),
        note: '移行前の評価方法を引き継いだもの',
        created_at: now,
        created_by_name: '',
      })
      .execute();
    if (computed) await moveComputedPlanGrades(db, plan.id);
    else await moveRecordGrades(db, plan.id, 'grade', 'all');
  }
}

/** Answers of a computed plan with a grade of their own although they have indicator lines. */
async function recordGradesBesideLines(db: Db, planId: number): Promise<number> {
  const r = await sql<{
    n: number | string;
  }>`SELECT COUNT(*) AS n FROM records r WHERE r.plan_id = ${planId} AND r.grade IS NOT NULL AND ${hasLines()}`.execute(
    db,
  );
  return Number(r.rows[0]?.n ?? 0);
}

const hasLines = () =>
  sql`EXISTS (SELECT 1 FROM indicators i WHERE i.project_id = r.project_id AND (i.department_id IS NULL OR i.department_id = r.department_id))`;

async function moveRecordGrades(db: Db, planId: number, slot: string, which: 'all' | 'withLines' | 'withoutLines') {
  const filter = which === 'all' ? sql`` : which === 'withLines' ? sql`AND ${hasLines()}` : sql`AND NOT ${hasLines()}`;
  await sql`INSERT INTO evaluations (municipality_id, plan_id, fiscal_year, slot_key, subject_kind, subject_id, department_id, code, level, reason, comment, version, entered_by, entered_by_name, entered_at)
    SELECT r.municipality_id, r.plan_id, r.fiscal_year, ${slot}, 'record', r.project_id, r.department_id, r.grade, NULL, '', '', 1, r.updated_by, '', r.updated_at
    FROM records r WHERE r.plan_id = ${planId} AND r.grade IS NOT NULL ${filter}`.execute(db);
}

async function moveComputedPlanGrades(db: Db, planId: number) {
  const now = new Date().toISOString();
  await sql`INSERT INTO evaluations (municipality_id, plan_id, fiscal_year, slot_key, subject_kind, subject_id, department_id, code, level, reason, comment, version, entered_by, entered_by_name, entered_at)
    SELECT a.municipality_id, i.plan_id, a.fiscal_year, 'grade', 'indicator', a.indicator_id, a.department_id, a.grade, a.level, a.grade_reason, '', 1, NULL, '', ${now}
    FROM indicator_actuals a JOIN indicators i ON i.id = a.indicator_id
    WHERE i.plan_id = ${planId} AND (a.grade IS NOT NULL OR a.level IS NOT NULL)`.execute(db);
  // A hand grade of an answer with no indicator line is that answer's grade (着手, 未着手); one beside
  // indicator lines is the department's own, kept in the 自己評価 slot.
  await moveRecordGrades(db, planId, 'grade', 'withoutLines');
  await moveRecordGrades(db, planId, 'self', 'withLines');
}

async function dropOldColumns(db: Db, dialect: Dialect) {
  await dropCheck(db, dialect, 'records', 'grade_source');
  for (const [tableName, column] of [
    ['records', 'grade'],
    ['records', 'grade_source'],
    ['indicator_actuals', 'level'],
    ['indicator_actuals', 'grade'],
    ['indicator_actuals', 'grade_reason'],
    ['plans', 'evaluation_scale'],
    ['plans', 'grade_options'],
  ] as const)
    await db.schema.alterTable(tableName).dropColumn(column).execute();
}

export async function down(): Promise<void> {
  throw new Error('010-evaluation-slots cannot be undone: grades moved into evaluations');
}
