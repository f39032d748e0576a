import type { SubjectKind } from '../../../domain/evaluation/terms.js';
import type { Database, DbOrTx } from '../../db/types.js';
import type { Insertable } from 'kysely';
import { insertMany, insertManyReturning } from '../../db/bulk.js';
import { indicatorInYear } from '../../db/util.js';

/** The years whose structure is fixed (answers approved or a report published): the plans module keeps them. */
export { fixedYears } from '../plans/index.js';

/** All SQL of evaluation configurations, entries and their history. */

export function listVersionRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_evaluation_versions')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('from_year')
    .execute();
}

export function insertVersionRow(db: DbOrTx, row: Insertable<Database['plan_evaluation_versions']>) {
  return db.insertInto('plan_evaluation_versions').values(row).returning('id').executeTakeFirstOrThrow();
}

export function updateVersionRow(
  db: DbOrTx,
  id: number,
  values: { definition: string; note: string; created_at: string; created_by: number | null; created_by_name: string },
) {
  return db.updateTable('plan_evaluation_versions').set(values).where('id', '=', id).execute();
}

export function deleteVersionRow(db: DbOrTx, id: number) {
  return db.deleteFrom('plan_evaluation_versions').where('id', '=', id).execute();
}

export interface EntryFilter {
  slotKeys?: string[];
  subjectKind?: SubjectKind;
  departmentIds?: number[];
}

export function listEntryRows(db: DbOrTx, planId: number, fiscalYears: number[], filter: EntryFilter = {}) {
  return entryRowsQuery(db, planId, fiscalYears, filter).execute();
}

export function entryRowsQuery(db: DbOrTx, planId: number, fiscalYears: number[], filter: EntryFilter = {}) {
  return db
    .selectFrom('evaluations')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('fiscal_year', 'in', fiscalYears.length ? fiscalYears : [-1])
    .$if(!!filter.slotKeys, (q) => q.where('slot_key', 'in', filter.slotKeys!.length ? filter.slotKeys! : ['']))
    .$if(!!filter.subjectKind, (q) => q.where('subject_kind', '=', filter.subjectKind!))
    .$if(!!filter.departmentIds, (q) =>
      q.where('department_id', 'in', filter.departmentIds!.length ? filter.departmentIds! : [-1]),
    )
    .orderBy('id');
}

export interface EntryKey {
  planId: number;
  fiscalYear: number;
  slotKey: string;
  subjectKind: SubjectKind;
  subjectId: number;
  departmentId: number;
}

export function findEntryRow(db: DbOrTx, k: EntryKey) {
  return db
    .selectFrom('evaluations')
    .selectAll()
    .where('plan_id', '=', k.planId)
    .where('fiscal_year', '=', k.fiscalYear)
    .where('slot_key', '=', k.slotKey)
    .where('subject_kind', '=', k.subjectKind)
    .where('subject_id', '=', k.subjectId)
    .where('department_id', '=', k.departmentId)
    .executeTakeFirst();
}

export function insertEntryRow(db: DbOrTx, row: Insertable<Database['evaluations']>) {
  return db.insertInto('evaluations').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Updates an entry only if it is still at the version the writer read: false when someone else saved first. */
export async function updateEntryRow(
  db: DbOrTx,
  id: number,
  version: number,
  values: {
    code: string | null;
    level: string | null;
    reason: string;
    comment: string;
    entered_by: number | null;
    entered_by_name: string;
    entered_at: string;
  },
): Promise<boolean> {
  const r = await db
    .updateTable('evaluations')
    .set({ ...values, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Entries inserted in one statement, their ids in the order given. */
export async function insertEntryRows(db: DbOrTx, rows: Insertable<Database['evaluations']>[]) {
  if (rows.length === 0) return [];
  const out = await insertManyReturning(db, 'evaluations', rows, [
    'id',
    'subject_id',
    'department_id',
    'slot_key',
    'fiscal_year',
    'subject_kind',
  ]);
  // Returned in insertion order on both databases for a single multi-row insert; matched by key to be sure.
  const k = (r: {
    fiscal_year: number;
    slot_key: string;
    subject_kind: string;
    subject_id: number;
    department_id: number;
  }) => `${r.fiscal_year}|${r.slot_key}|${r.subject_kind}|${r.subject_id}|${r.department_id}`;
  const byKey = new Map(out.map((r) => [k(r), r]));
  return rows.map((r) => byKey.get(k(r))!);
}

export function insertHistoryRows(db: DbOrTx, rows: Insertable<Database['evaluation_history']>[]) {
  return insertMany(db, 'evaluation_history', rows);
}

/** The keys of a plan's entries of some years. */
export function entryKeysOf(db: DbOrTx, planId: number, years: number[]) {
  return db
    .selectFrom('evaluations')
    .select([
      'plan_id as planId',
      'fiscal_year as fiscalYear',
      'slot_key as slotKey',
      'subject_kind as subjectKind',
      'subject_id as subjectId',
      'department_id as departmentId',
    ])
    .where('plan_id', '=', planId)
    .where('fiscal_year', 'in', years)
    .execute();
}

export function insertHistoryRow(db: DbOrTx, row: Insertable<Database['evaluation_history']>) {
  return db.insertInto('evaluation_history').values(row).execute();
}

export function listHistoryRows(db: DbOrTx, evaluationId: number) {
  return db
    .selectFrom('evaluation_history')
    .selectAll()
    .where('evaluation_id', '=', evaluationId)
    .orderBy('id', 'desc')
    .execute();
}

/** How many entries each slot holds in a range of years (for refusing a configuration that would orphan them). */
export async function countEntriesBySlot(db: DbOrTx, planId: number, fromYear: number, toYear: number | null) {
  const rows = await db
    .selectFrom('evaluations')
    .select(['slot_key', 'subject_kind', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('plan_id', '=', planId)
    .where('fiscal_year', '>=', fromYear)
    .$if(toYear !== null, (q) => q.where('fiscal_year', '<=', toYear!))
    .where((eb) => eb.or([eb('code', 'is not', null), eb('comment', '<>', '')]))
    .groupBy(['slot_key', 'subject_kind'])
    .execute();
  return rows.map((r) => ({ slotKey: r.slot_key, subjectKind: r.subject_kind, count: Number(r.n) }));
}

export function listRevisionRows(db: DbOrTx, indicatorIds: number[]) {
  return db
    .selectFrom('indicator_revisions')
    .selectAll()
    .where('indicator_id', 'in', indicatorIds.length ? indicatorIds : [-1])
    .orderBy('from_year')
    .execute();
}

// ---- a plan year's facts as the engine reads them

export function findPlanFirstYear(db: DbOrTx, planId: number) {
  return db.selectFrom('plans').select('first_year').where('id', '=', planId).executeTakeFirstOrThrow();
}

export interface YearScope {
  /** only these departments' answers */
  departmentIds?: number[];
  /** only these projects' answers */
  projectIds?: number[];
}

export function listYearRecords(db: DbOrTx, planId: number, fiscalYear: number, scope: YearScope) {
  return yearRecordsQuery(db, planId, fiscalYear, scope).execute();
}

export function yearRecordsQuery(db: DbOrTx, planId: number, fiscalYear: number, scope: YearScope) {
  return db
    .selectFrom('records')
    .select(['project_id', 'department_id', 'status'])
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', fiscalYear)
    .$if(!!scope.departmentIds, (q) => q.where('department_id', 'in', [...scope.departmentIds!, -1]))
    .$if(!!scope.projectIds, (q) => q.where('project_id', 'in', [...scope.projectIds!, -1]));
}

/** The plan's indicators that apply in a year, or those of some projects only (a sheet's, an answer's). */
export function listPlanIndicators(db: DbOrTx, planId: number, fiscalYear: number, projectIds?: number[]) {
  return db
    .selectFrom('indicators')
    .select([
      'id',
      'project_id',
      'node_id',
      'department_id',
      'name',
      'direction',
      'purpose',
      'target_basis',
      'baseline_value',
      'baseline_text',
      'baseline_year',
      'final_target_value',
      'final_target_text',
      'position',
    ])
    .where('plan_id', '=', planId)
    .where(indicatorInYear(fiscalYear))
    .$if(!!projectIds, (q) => q.where('project_id', 'in', [...projectIds!, -1]))
    .orderBy('position')
    .orderBy('id')
    .execute();
}
export type PlanIndicatorRow = Awaited<ReturnType<typeof listPlanIndicators>>[number];

/** The year's targets of the plan's indicators (or of some projects'), each with its indicator's project (null: a node's). */
export function listYearTargets(db: DbOrTx, planId: number, fiscalYear: number, scope: YearScope = {}) {
  return db
    .selectFrom('indicator_targets as t')
    .innerJoin('indicators as i', 'i.id', 't.indicator_id')
    .select(['t.indicator_id', 't.text', 't.value', 'i.project_id'])
    .where('i.plan_id', '=', planId)
    .where('t.fiscal_year', '=', fiscalYear)
    .$if(!!scope.projectIds, (q) => q.where('i.project_id', 'in', [...scope.projectIds!, -1]))
    .execute();
}

/** Every actual of the plan's indicators from the year before the plan's first to this one (cumulative targets, trends). */
export function listActualsUpTo(
  db: DbOrTx,
  planId: number,
  fromYear: number,
  fiscalYear: number,
  scope: YearScope = {},
) {
  return actualsUpToQuery(db, planId, fromYear, fiscalYear, scope).execute();
}

export function actualsUpToQuery(db: DbOrTx, planId: number, fromYear: number, fiscalYear: number, scope: YearScope) {
  return db
    .selectFrom('indicator_actuals as a')
    .innerJoin('indicators as i', 'i.id', 'a.indicator_id')
    .select(['a.indicator_id', 'a.department_id', 'a.fiscal_year', 'a.value', 'a.text', 'a.status'])
    .where('i.plan_id', '=', planId)
    .where('a.fiscal_year', '<=', fiscalYear)
    .where('a.fiscal_year', '>=', fromYear)
    .$if(!!scope.projectIds, (q) => q.where('i.project_id', 'in', [...scope.projectIds!, -1]))
    .$if(!!scope.departmentIds, (q) => q.where('a.department_id', 'in', [...scope.departmentIds!, -1]));
}

export function findEntryOfMunicipality(db: DbOrTx, municipalityId: number, entryId: number) {
  return db
    .selectFrom('evaluations')
    .select(['id', 'municipality_id'])
    .where('id', '=', entryId)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
}
