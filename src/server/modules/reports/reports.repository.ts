import { sql, type Insertable } from 'kysely';
import type { SnapshotEntry } from '../../../domain/api-types.js';
import { perRecordStatus, type RecordStatus } from '../../../domain/cycle.js';
import { ANSWER_TEXT_KEYS, readColumns, type AnswerTextKey } from '../../../domain/report/columns.js';
import type { ReportDocument } from '../../../domain/report/build.js';
import type { ReportLayout } from '../../../domain/report/layout.js';
import { countsList, type Tally } from '../../../domain/report/evaluation.js';
import { readJson } from '../../db/json.js';
import type { Database, DbOrTx } from '../../db/types.js';
import { indicatorInYear, now, toNumber } from '../../db/util.js';

/**
 * Every query of the reports module: saved layouts, a plan's scale, what a report of a plan and year
 * reads, an indicator's years, and published snapshots. Each function takes the database or the
 * transaction it runs in; JSON columns are read through their schemas here.
 */

// ---- layouts -----------------------------------------------------------------------------------

export async function listSavedLayouts(db: DbOrTx, municipalityId: number) {
  const rows = await db
    .selectFrom('report_layouts')
    .select(['name', 'definition'])
    .where('municipality_id', '=', municipalityId)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ name: r.name, definition: readJson.reportLayout(r.definition) }));
}

export async function findSavedLayout(db: DbOrTx, municipalityId: number, name: string) {
  const row = await db
    .selectFrom('report_layouts')
    .select('definition')
    .where('municipality_id', '=', municipalityId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row && readJson.reportLayout(row.definition);
}

export async function savedLayoutId(db: DbOrTx, municipalityId: number, name: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('report_layouts')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.id;
}

export async function insertLayout(db: DbOrTx, municipalityId: number, layout: ReportLayout): Promise<void> {
  await db
    .insertInto('report_layouts')
    .values({
      municipality_id: municipalityId,
      name: layout.name,
      definition: JSON.stringify(layout),
      updated_at: now(),
    })
    .execute();
}

export async function updateLayout(db: DbOrTx, id: number, layout: ReportLayout): Promise<void> {
  await db
    .updateTable('report_layouts')
    .set({ definition: JSON.stringify(layout), updated_at: now() })
    .where('id', '=', id)
    .execute();
}

/** Deletes a saved layout; whether there was one. */
export async function deleteLayoutRow(db: DbOrTx, municipalityId: number, name: string): Promise<boolean> {
  const r = await db
    .deleteFrom('report_layouts')
    .where('municipality_id', '=', municipalityId)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ---- a plan -----------------------------------------------------------------------------------

/** A plan's title. */
export async function findPlan(db: DbOrTx, municipalityId: number, planId: number) {
  return db
    .selectFrom('plans')
    .select(['id', 'title', 'categories', 'custom_fields', 'first_year'])
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', planId)
    .executeTakeFirst();
}

export async function planExists(db: DbOrTx, municipalityId: number, planId: number): Promise<boolean> {
  return (await findPlan(db, municipalityId, planId)) !== undefined;
}

// ---- what a report reads -----------------------------------------------------------------------

export async function municipalityName(db: DbOrTx, municipalityId: number): Promise<string> {
  const row = await db
    .selectFrom('municipalities')
    .select('name')
    .where('id', '=', municipalityId)
    .executeTakeFirstOrThrow();
  return row.name;
}

export function levelRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_levels')
    .select(['depth', 'name', 'numbering_style', 'numbering_scope', 'number_heading'])
    .where('plan_id', '=', planId)
    .orderBy('depth')
    .execute();
}

/** Sub-plan tags on the plan's nodes. */
export function nodeSubPlanRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_node_sub_plans as t')
    .innerJoin('plan_nodes as n', 'n.id', 't.node_id')
    .select(['t.node_id', 't.sub_plan_id'])
    .where('n.plan_id', '=', planId)
    .execute();
}

/** The plan's sub-plans (関連計画) in their order. */
export function subPlanRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_sub_plans')
    .select(['id', 'name'])
    .where('plan_id', '=', planId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** The council's remarks (and the departments' answers to them) on the plan's projects in the years given. */
export function councilRows(db: DbOrTx, planId: number, fiscalYears: number[]) {
  return db
    .selectFrom('council_comments as c')
    .innerJoin('projects as p', 'p.id', 'c.project_id')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .select([
      'c.id',
      'c.project_id',
      'c.fiscal_year',
      'c.parent_id',
      'c.body',
      'c.created_at',
      'd.name as department_name',
    ])
    .where('p.plan_id', '=', planId)
    .where('c.fiscal_year', 'in', fiscalYears)
    .orderBy('c.id')
    .execute();
}

/** 再掲: projects shown under other nodes. */
/** The fiscal years up to `upTo` in which the plan has answers, oldest first. */
export async function answeredYears(db: DbOrTx, planId: number, upTo: number): Promise<number[]> {
  const rows = await db
    .selectFrom('records')
    .select('fiscal_year')
    .distinct()
    .where('plan_id', '=', planId)
    .where('fiscal_year', '<=', upTo)
    .orderBy('fiscal_year')
    .execute();
  return rows.map((r) => r.fiscal_year);
}

export function listingRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('project_listings as l')
    .innerJoin('projects as p', 'p.id', 'l.project_id')
    .select(['l.project_id', 'l.node_id', 'l.position'])
    .where('p.plan_id', '=', planId)
    .orderBy('l.position')
    .execute();
}

/** The projects' current departments, lead first. */
export function assignmentRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('project_departments as pd')
    .innerJoin('projects as p', 'p.id', 'pd.project_id')
    .select(['pd.project_id', 'pd.department_id', 'pd.is_lead', 'pd.position'])
    .where('p.plan_id', '=', planId)
    .orderBy('pd.is_lead', 'desc')
    .orderBy('pd.position')
    .execute();
}

const TEXT_COLUMNS = {
  planText: 'plan_text',
  resultText: 'result_text',
  remarks: 'remarks',
  nextYearPlan: 'next_year_plan',
} as const satisfies Record<AnswerTextKey, string>;

/**
 * The answers of some fiscal years. With `texts`, only the texts it names are read for each year (a
 * report's layout prints a few of them); the others come back empty, and years it does not name have none.
 */
export async function recordRows(
  db: DbOrTx,
  planId: number,
  fiscalYears: number[],
  texts?: ReadonlyMap<number, readonly AnswerTextKey[]>,
) {
  if (!texts) return recordQuery(db, planId, fiscalYears, ANSWER_TEXT_KEYS);
  // One query per set of texts read (most layouts: one or two).
  const groups = new Map<string, { years: number[]; keys: readonly AnswerTextKey[] }>();
  for (const y of fiscalYears) {
    const keys = ANSWER_TEXT_KEYS.filter((k) => texts.get(y)?.includes(k));
    const g = groups.get(keys.join()) ?? { years: [], keys };
    g.years.push(y);
    groups.set(keys.join(), g);
  }
  const read = await Promise.all([...groups.values()].map((g) => recordQuery(db, planId, g.years, g.keys)));
  return read.flat();
}

function recordQuery(db: DbOrTx, planId: number, fiscalYears: number[], keys: readonly AnswerTextKey[]) {
  const text = (k: AnswerTextKey) => (keys.includes(k) ? sql<string>`${sql.ref(TEXT_COLUMNS[k])}` : sql<string>`''`);
  return db
    .selectFrom('records')
    .select([
      'id',
      'project_id',
      'department_id',
      'fiscal_year',
      text('planText').as('plan_text'),
      text('resultText').as('result_text'),
      text('remarks').as('remarks'),
      text('nextYearPlan').as('next_year_plan'),
      'same_as_department_id',
      'custom',
      'status',
      'is_lead',
      'position',
    ])
    .where('plan_id', '=', planId)
    .where('fiscal_year', 'in', fiscalYears)
    .execute();
}

/** The plan's indicators that apply in the report's year. */
export function indicatorRows(db: DbOrTx, planId: number, fiscalYear: number) {
  return db
    .selectFrom('indicators')
    .select([
      'id',
      'project_id',
      'node_id',
      'department_id',
      'name',
      'unit',
      'direction',
      'baseline_value',
      'baseline_text',
      'final_target_value',
      'final_target_text',
      'position',
    ])
    .where('plan_id', '=', planId)
    .where(indicatorInYear(fiscalYear))
    .execute();
}

export function targetRows(db: DbOrTx, planId: number, fiscalYears: number[]) {
  return db
    .selectFrom('indicator_targets as t')
    .innerJoin('indicators as i', 'i.id', 't.indicator_id')
    .select(['t.indicator_id', 't.fiscal_year', 't.value', 't.text'])
    .where('i.plan_id', '=', planId)
    .where('t.fiscal_year', 'in', fiscalYears)
    .execute();
}

export function actualRows(db: DbOrTx, planId: number, fiscalYears: number[]) {
  return db
    .selectFrom('indicator_actuals as a')
    .innerJoin('indicators as i', 'i.id', 'a.indicator_id')
    .select(['a.indicator_id', 'a.department_id', 'a.fiscal_year', 'a.value', 'a.text', 'a.status', 'a.parts'])
    .where('i.plan_id', '=', planId)
    .where('a.fiscal_year', 'in', fiscalYears)
    .execute();
}

// ---- one indicator over the years --------------------------------------------------------------

/** An indicator with its plan's first and last year, and the years it applies in (null: the plan's). */
export function findIndicator(db: DbOrTx, municipalityId: number, indicatorId: number) {
  return db
    .selectFrom('indicators as i')
    .innerJoin('plans as p', 'p.id', 'i.plan_id')
    .select([
      'i.id',
      'i.name',
      'i.unit',
      'i.direction',
      'i.baseline_value',
      'i.baseline_text',
      'i.baseline_year',
      'i.final_target_value',
      'i.final_target_text',
      'i.department_id',
      'p.first_year',
      'p.last_year',
      'i.first_year as applies_from',
      'i.last_year as applies_to',
    ])
    .where('i.municipality_id', '=', municipalityId)
    .where('i.id', '=', indicatorId)
    .executeTakeFirst();
}

export function indicatorTargets(db: DbOrTx, indicatorId: number) {
  return db
    .selectFrom('indicator_targets')
    .select(['fiscal_year', 'value'])
    .where('indicator_id', '=', indicatorId)
    .execute();
}

export function indicatorActuals(db: DbOrTx, indicatorId: number) {
  return db
    .selectFrom('indicator_actuals')
    .select(['fiscal_year', 'value', 'text', 'department_id'])
    .where('indicator_id', '=', indicatorId)
    .execute();
}

/** The departments and years whose answers on the indicator's project are approved. */
export function approvedAnswers(db: DbOrTx, indicatorId: number) {
  return db
    .selectFrom('records as r')
    .innerJoin('indicators as i', 'i.project_id', 'r.project_id')
    .select(['r.department_id', 'r.fiscal_year'])
    .where('i.id', '=', indicatorId)
    .where('r.status', '=', 'approved')
    .execute();
}

// ---- published snapshots -----------------------------------------------------------------------

/** The year's answers of a plan by status. */
export async function recordStatusCounts(
  db: DbOrTx,
  planId: number,
  fiscalYear: number,
): Promise<Record<RecordStatus, number>> {
  const rows = await db
    .selectFrom('records')
    .select(['status', (eb) => eb.fn.countAll().as('n')])
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', fiscalYear)
    .groupBy('status')
    .execute();
  return perRecordStatus((st) => toNumber(rows.find((r) => r.status === st)?.n ?? 0));
}

/** A municipality's publications, the latest year first. */
export async function listSnapshots(db: DbOrTx, municipalityId: number): Promise<SnapshotEntry[]> {
  const rows = await db
    .selectFrom('report_snapshots as s')
    .innerJoin('plans as p', 'p.id', 's.plan_id')
    .select([
      's.id',
      's.plan_id',
      'p.title as plan_title',
      's.fiscal_year',
      's.layout_name',
      's.title',
      's.as_of',
      's.published_at',
      's.superseded_by',
      's.includes_unapproved',
      's.status_counts',
      's.withdrawn_at',
      's.withdraw_reason',
    ])
    .where('s.municipality_id', '=', municipalityId)
    .orderBy('s.fiscal_year', 'desc')
    .orderBy('s.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    planTitle: r.plan_title,
    fiscalYear: r.fiscal_year,
    layout: r.layout_name,
    title: r.title,
    asOf: r.as_of,
    publishedAt: r.published_at,
    supersededBy: r.superseded_by,
    includesUnapproved: r.includes_unapproved === 1,
    statusCounts: readJson.statusCounts(r.status_counts),
    withdrawnAt: r.withdrawn_at,
    withdrawReason: r.withdraw_reason,
  }));
}

export async function insertSnapshot(db: DbOrTx, values: Insertable<Database['report_snapshots']>): Promise<number> {
  const row = await db.insertInto('report_snapshots').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Marks the earlier publications of the same plan, year and layout as replaced by `snapshotId`. */
export async function supersedeEarlier(
  db: DbOrTx,
  s: { municipalityId: number; planId: number; fiscalYear: number; layout: string; snapshotId: number },
): Promise<void> {
  await db
    .updateTable('report_snapshots')
    .set({ superseded_by: s.snapshotId })
    .where('municipality_id', '=', s.municipalityId)
    .where('plan_id', '=', s.planId)
    .where('fiscal_year', '=', s.fiscalYear)
    .where('layout_name', '=', s.layout)
    .where('superseded_by', 'is', null)
    .where('id', '!=', s.snapshotId)
    .execute();
}

export function findSnapshotState(db: DbOrTx, municipalityId: number, snapshotId: number) {
  return db
    .selectFrom('report_snapshots')
    .select(['id', 'withdrawn_at'])
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', snapshotId)
    .executeTakeFirst();
}

export async function markWithdrawn(db: DbOrTx, snapshotId: number, userId: number, reason: string): Promise<void> {
  await db
    .updateTable('report_snapshots')
    .set({ withdrawn_at: now(), withdrawn_by: userId, withdraw_reason: reason })
    .where('id', '=', snapshotId)
    .execute();
}

/** A published document as it was stored; documents published before columns carried their id get it from the key. */
export async function snapshotDocument(db: DbOrTx, snapshotId: number): Promise<ReportDocument> {
  const row = await db
    .selectFrom('report_snapshots')
    .select('document')
    .where('id', '=', snapshotId)
    .executeTakeFirstOrThrow();
  const document = readJson.reportDocument(row.document);
  return { ...document, columns: readColumns(document.columns), tallies: storedTallies(document.tallies) };
}

/** A published document's tallies; one published before counts were lists has them as an object by code. */
function storedTallies(tallies: ReportDocument['tallies']): ReportDocument['tallies'] {
  const list = (t: Tally): Tally => ({ ...t, counts: countsList(t.counts, tallies.codes) });
  return {
    ...tallies,
    total: list(tallies.total),
    byNode: tallies.byNode.map((n) => ({ ...n, tally: list(n.tally) })),
  };
}

export function findMunicipalityByCode(db: DbOrTx, code: string) {
  return db
    .selectFrom('municipalities')
    .select(['id', 'name', 'code', 'era2019'])
    .where('code', '=', code)
    .executeTakeFirst();
}
