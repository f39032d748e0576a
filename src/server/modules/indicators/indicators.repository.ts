import type { Direction, IndicatorKind } from '../../../domain/enums.js';
import type { IndicatorPurpose, TargetBasis } from '../../../domain/evaluation/terms.js';
import type { Insertable } from 'kysely';
import type { Database, DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';

/** The columns an indicator's form sets. */
export interface IndicatorColumns {
  department_id: number | null;
  name: string;
  unit: string;
  kind: IndicatorKind;
  direction: Direction;
  baseline_value: number | null;
  baseline_text: string;
  baseline_year: number | null;
  final_target_value: number | null;
  final_target_text: string;
  purpose: IndicatorPurpose;
  target_basis: TargetBasis;
}

/** The columns that decide how an indicator is evaluated: kept per year once a year is fixed (indicator_revisions). */
export const TERM_COLUMNS = [
  'direction',
  'purpose',
  'target_basis',
  'baseline_value',
  'baseline_text',
  'baseline_year',
  'final_target_value',
  'final_target_text',
] as const;
export type TermColumns = Pick<IndicatorColumns, (typeof TERM_COLUMNS)[number]>;

export function listRevisionRows(db: DbOrTx, indicatorIds: number[]) {
  return db
    .selectFrom('indicator_revisions')
    .selectAll()
    .where('indicator_id', 'in', indicatorIds.length ? indicatorIds : [-1])
    .orderBy('from_year')
    .execute();
}

/** The indicator's terms from a year on: this revision replaces any from that year, and those after it go. */
export async function writeRevision(
  db: DbOrTx,
  at: { municipalityId: number; indicatorId: number; fromYear: number; note: string; actorName: string },
  terms: TermColumns,
): Promise<void> {
  await db
    .deleteFrom('indicator_revisions')
    .where('indicator_id', '=', at.indicatorId)
    .where('from_year', '>=', at.fromYear)
    .execute();
  await db
    .insertInto('indicator_revisions')
    .values({
      municipality_id: at.municipalityId,
      indicator_id: at.indicatorId,
      from_year: at.fromYear,
      ...terms,
      note: at.note,
      created_at: now(),
      created_by_name: at.actorName,
    })
    .execute();
}

export async function deleteRevisions(db: DbOrTx, indicatorId: number): Promise<void> {
  await db.deleteFrom('indicator_revisions').where('indicator_id', '=', indicatorId).execute();
}

/** Indicators of the given projects (at least one), or of every project of a plan, in their order. */
export function listIndicatorRows(db: DbOrTx, municipalityId: number, of: number[] | { planId: number }) {
  const all = db.selectFrom('indicators').selectAll().where('municipality_id', '=', municipalityId);
  const some = Array.isArray(of)
    ? all.where('project_id', 'in', of)
    : all.where('plan_id', '=', of.planId).where('project_id', 'is not', null);
  return some.orderBy('project_id').orderBy('position').orderBy('id').execute();
}

/** Yearly targets of the given indicators (at least one), by year. */
export function listTargetRows(db: DbOrTx, indicatorIds: number[]) {
  return db
    .selectFrom('indicator_targets')
    .selectAll()
    .where('indicator_id', 'in', indicatorIds)
    .orderBy('fiscal_year')
    .execute();
}

export function findIndicatorRow(db: DbOrTx, municipalityId: number, indicatorId: number) {
  return db
    .selectFrom('indicators')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', indicatorId)
    .executeTakeFirst();
}

export async function isAssigned(db: DbOrTx, projectId: number, departmentId: number): Promise<boolean> {
  const a = await db
    .selectFrom('project_departments')
    .select('department_id')
    .where('project_id', '=', projectId)
    .where('department_id', '=', departmentId)
    .executeTakeFirst();
  return a !== undefined;
}

/** Replaces an indicator's targets. */
export async function replaceTargets(
  db: DbOrTx,
  municipalityId: number,
  indicatorId: number,
  targets: { fiscalYear: number; value: number | null; text: string }[],
): Promise<void> {
  await db.deleteFrom('indicator_targets').where('indicator_id', '=', indicatorId).execute();
  const rows = targets.map((t) => ({
    municipality_id: municipalityId,
    indicator_id: indicatorId,
    fiscal_year: t.fiscalYear,
    value: t.value,
    text: t.text,
  }));
  if (rows.length) await db.insertInto('indicator_targets').values(rows).execute();
}

/** A new indicator after the last one of its project (or of its node, or of the plan as a whole). */
export async function insertIndicator(
  db: DbOrTx,
  at: {
    municipalityId: number;
    planId: number;
    projectId: number | null;
    nodeId?: number | null;
    /** the fiscal years it applies in (null bounds: the plan's) */
    span: { first_year: number | null; last_year: number | null };
  },
  columns: IndicatorColumns,
): Promise<number> {
  const nodeId = at.nodeId ?? null;
  const last = await db
    .selectFrom('indicators')
    .select('position')
    .where('plan_id', '=', at.planId)
    .$if(at.projectId !== null, (q) => q.where('project_id', '=', at.projectId))
    .$if(at.projectId === null, (q) =>
      q.where('project_id', 'is', null).where('node_id', nodeId === null ? 'is' : '=', nodeId),
    )
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  const t = now();
  const row = await db
    .insertInto('indicators')
    .values({
      municipality_id: at.municipalityId,
      plan_id: at.planId,
      project_id: at.projectId,
      node_id: at.projectId === null ? nodeId : null,
      ...columns,
      first_year: at.span.first_year,
      last_year: at.span.last_year,
      position: (last?.position ?? 0) + 1,
      created_at: t,
      updated_at: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The indicators of a plan's nodes and of the plan as a whole (成果指標), the plan's own first, then by node. */
export function listOutcomeRows(db: DbOrTx, municipalityId: number, planId: number) {
  return db
    .selectFrom('indicators')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('plan_id', '=', planId)
    .where('project_id', 'is', null)
    .orderBy('node_id')
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** A department's actual of an indicator for a year, as stored. */
export function findActualRow(db: DbOrTx, indicatorId: number, departmentId: number, fiscalYear: number) {
  return db
    .selectFrom('indicator_actuals')
    .selectAll()
    .where('indicator_id', '=', indicatorId)
    .where('department_id', '=', departmentId)
    .where('fiscal_year', '=', fiscalYear)
    .executeTakeFirst();
}

export type ActualColumns = Insertable<Database['indicator_actuals']>;

/** Writes a department's actual of an indicator for a year (in place of the one before). */
export async function writeActual(db: DbOrTx, a: ActualColumns): Promise<void> {
  const before = await findActualRow(db, a.indicator_id, a.department_id, a.fiscal_year);
  if (before) await db.updateTable('indicator_actuals').set(a).where('id', '=', before.id).execute();
  else await db.insertInto('indicator_actuals').values(a).execute();
}

/** The actuals of the given indicators in a year and the year before. */
export function listActualRows(db: DbOrTx, indicatorIds: number[], fiscalYear: number) {
  return db
    .selectFrom('indicator_actuals')
    .selectAll()
    .where('indicator_id', 'in', indicatorIds.length ? indicatorIds : [-1])
    .where('fiscal_year', 'in', [fiscalYear - 1, fiscalYear])
    .execute();
}

/** Whether a report of the plan's year is published (and not withdrawn). */
export async function isPublished(db: DbOrTx, planId: number, fiscalYear: number): Promise<boolean> {
  const row = await db
    .selectFrom('report_snapshots')
    .select('id')
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', fiscalYear)
    .where('withdrawn_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateIndicatorRow(
  db: DbOrTx,
  indicatorId: number,
  columns: IndicatorColumns & { first_year?: number | null; last_year?: number | null },
): Promise<void> {
  await db
    .updateTable('indicators')
    .set({ ...columns, updated_at: now() })
    .where('id', '=', indicatorId)
    .execute();
}

export async function deleteIndicatorRow(db: DbOrTx, indicatorId: number): Promise<void> {
  await db.deleteFrom('indicators').where('id', '=', indicatorId).execute();
}

/** The fiscal years in which any department entered an actual of the indicator (not left empty), earliest first. */
export async function actualYears(db: DbOrTx, indicatorId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('indicator_actuals')
    .select('fiscal_year')
    .distinct()
    .where('indicator_id', '=', indicatorId)
    .where((eb) => eb.or([eb('text', '<>', ''), eb('status', 'is not', null), eb('reason', '<>', '')]))
    .orderBy('fiscal_year')
    .execute();
  return rows.map((r) => r.fiscal_year);
}

/** Ends an indicator after a year: later years' sheets and reports no longer show it. */
export async function endIndicator(db: DbOrTx, indicatorId: number, lastYear: number): Promise<void> {
  await db
    .updateTable('indicators')
    .set({ last_year: lastYear, updated_at: now() })
    .where('id', '=', indicatorId)
    .execute();
}
