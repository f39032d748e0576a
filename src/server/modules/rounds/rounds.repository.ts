import type { Phase } from '../../../domain/cycle.js';
import type { DbOrTx } from '../../db/types.js';
import { now, indicatorInYear } from '../../db/util.js';
import { known, read, type Read } from '../../db/reads.js';

/** A municipality's rounds (one, or one plan's), latest year first, with their plan's title. */
export function listRoundRows(db: DbOrTx, municipalityId: number, where: { id?: number; planId?: number }) {
  return roundRowsQuery(db, municipalityId, where).execute();
}

export function roundRowsQuery(db: DbOrTx, municipalityId: number, where: { id?: number; planId?: number }) {
  let q = db
    .selectFrom('survey_rounds as r')
    .innerJoin('plans as p', 'p.id', 'r.plan_id')
    .selectAll('r')
    .select('p.title as plan_title')
    .where('r.municipality_id', '=', municipalityId);
  if (where.id !== undefined) q = q.where('r.id', '=', where.id);
  if (where.planId !== undefined) q = q.where('r.plan_id', '=', where.planId);
  return q.orderBy('r.fiscal_year', 'desc').orderBy('r.id', 'desc');
}

/** The departments these rounds ask, in the org tree's order. */
export function listRoundDepartmentRows(db: DbOrTx, roundIds: number[]) {
  return roundDepartmentsQuery(db, roundIds).execute();
}

export function roundDepartmentsQuery(db: DbOrTx, roundIds: number[]) {
  return db
    .selectFrom('survey_round_departments as d')
    .innerJoin('departments as dp', 'dp.id', 'd.department_id')
    .select(['d.round_id', 'd.department_id', 'd.reopened', 'dp.name', 'dp.position'])
    .where('d.round_id', 'in', roundIds)
    .orderBy('dp.position')
    .orderBy('dp.id');
}

export async function hasOpenRound(db: DbOrTx, planId: number): Promise<boolean> {
  const open = await db
    .selectFrom('survey_rounds')
    .select('id')
    .where('plan_id', '=', planId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return open !== undefined;
}

export function listDepartmentsByIds(db: DbOrTx, municipalityId: number, ids: number[]) {
  return db
    .selectFrom('departments')
    .select(['id', 'name', 'active_from', 'active_to'])
    .where('municipality_id', '=', municipalityId)
    .where('id', 'in', ids)
    .execute();
}

/** The names of a department and of every department answering any of these projects in a fiscal year. */
export function departmentNamesRead(
  db: DbOrTx,
  of: { departmentId: number; fiscalYear: number; projectIds: number[] },
): Read<Map<number, string>> {
  const q = db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where((eb) =>
      eb.or([
        eb('id', '=', of.departmentId),
        eb(
          'id',
          'in',
          // by the projects, which are the plan's (no plan named: SQLite then goes by each project's records)
          eb
            .selectFrom('records')
            .select('department_id')
            .where('project_id', 'in', [...of.projectIds, -1])
            .where('fiscal_year', '=', of.fiscalYear),
        ),
      ]),
    );
  return read([q], ([rows]) => new Map(rows.map((d) => [d.id, d.name])));
}

/** A new open round asking these departments. */
export async function insertRound(
  db: DbOrTx,
  r: {
    municipalityId: number;
    planId: number;
    fiscalYear: number;
    phase: Phase;
    deadline: string;
    instructions: string;
    departmentIds: number[];
    createdAt: string;
  },
): Promise<number> {
  const round = await db
    .insertInto('survey_rounds')
    .values({
      municipality_id: r.municipalityId,
      plan_id: r.planId,
      fiscal_year: r.fiscalYear,
      phase: r.phase,
      deadline: r.deadline,
      instructions: r.instructions,
      status: 'open',
      created_at: r.createdAt,
      closed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('survey_round_departments')
    .values(
      r.departmentIds.map((d) => ({
        municipality_id: r.municipalityId,
        round_id: round.id,
        department_id: d,
        reopened: 0,
      })),
    )
    .execute();
  return round.id;
}

/** More departments asked in a round (a 課 given a project after the round opened). */
export async function addRoundDepartments(
  db: DbOrTx,
  municipalityId: number,
  roundId: number,
  departmentIds: number[],
): Promise<void> {
  if (departmentIds.length === 0) return;
  await db
    .insertInto('survey_round_departments')
    .values(
      departmentIds.map((d) => ({ municipality_id: municipalityId, round_id: roundId, department_id: d, reopened: 0 })),
    )
    .execute();
}

/** Every assignment of the plan's live projects, with the projects' years and the 課's. */
export function listPlanAssignments(db: DbOrTx, planId: number) {
  return db
    .selectFrom('project_departments as pd')
    .innerJoin('projects as p', 'p.id', 'pd.project_id')
    .innerJoin('departments as d', 'd.id', 'pd.department_id')
    .select([
      'pd.project_id',
      'pd.department_id',
      'p.number',
      'p.name',
      'p.first_year',
      'p.last_year',
      'd.name as department_name',
      'd.active_from',
      'd.active_to',
    ])
    .where('p.plan_id', '=', planId)
    .where('p.archived_at', 'is', null)
    .execute();
}

/** The live projects' assignments to these departments, with the projects' years. */
export function listAssignments(db: DbOrTx, planId: number, departmentIds: number[]) {
  return db
    .selectFrom('project_departments as pd')
    .innerJoin('projects as p', 'p.id', 'pd.project_id')
    .select(['pd.project_id', 'pd.department_id', 'pd.is_lead', 'pd.position', 'p.first_year', 'p.last_year'])
    .where('p.plan_id', '=', planId)
    .where('p.archived_at', 'is', null)
    .where('pd.department_id', 'in', departmentIds)
    .execute();
}

export async function liveProjectIds(db: DbOrTx, planId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('projects')
    .select('id')
    .where('plan_id', '=', planId)
    .where('archived_at', 'is', null)
    .execute();
  return new Set(rows.map((p) => p.id));
}

/**
 * Each project's counter of changes to its answers (`bumpProject`) for the projects a department answers in a
 * plan year; a project never changed has none.
 */
export function projectRevisionsRead(
  db: DbOrTx,
  of: { planId: number; fiscalYear: number; departmentId: number },
): Read<Map<number, number>> {
  const q = db
    .selectFrom('sheet_project_revisions')
    .select(['project_id', 'revision'])
    .where('plan_id', '=', of.planId)
    .where('project_id', 'in', (eb) =>
      eb
        .selectFrom('records')
        .select('project_id')
        .where('plan_id', '=', of.planId)
        .where('fiscal_year', '=', of.fiscalYear)
        .where('department_id', '=', of.departmentId),
    );
  return read([q], ([rows]) => new Map(rows.map((r) => [r.project_id, r.revision])));
}

/** Projects by id with what a sheet shows of them. */
export function sheetProjectsRead(db: DbOrTx, ids: number[]) {
  if (ids.length === 0) return known([]);
  const q = db
    .selectFrom('projects')
    .select(['id', 'node_id', 'number', 'name', 'summary', 'category', 'audience', 'custom', 'position'])
    .where('id', 'in', ids);
  return read([q], ([rows]) => rows);
}

/** A submitted or approved record of an earlier phase takes answers again. */
export async function reopenRecord(db: DbOrTx, recordId: number, version: number, at: string): Promise<void> {
  await db
    .updateTable('records')
    .set({ status: 'draft', version: version + 1, updated_at: at })
    .where('id', '=', recordId)
    .execute();
}

/** Each indicator of the plan without a target for the year gets last year's target, if it had one. */
export async function carryTargetsForward(db: DbOrTx, planId: number, fiscalYear: number): Promise<void> {
  const indicators = await db
    .selectFrom('indicators')
    .select('id')
    .where('plan_id', '=', planId)
    .where(indicatorInYear(fiscalYear))
    .execute();
  for (const ind of indicators) {
    const has = await db
      .selectFrom('indicator_targets')
      .select('fiscal_year')
      .where('indicator_id', '=', ind.id)
      .where('fiscal_year', '=', fiscalYear)
      .executeTakeFirst();
    if (has) continue;
    const prev = await db
      .selectFrom('indicator_targets')
      .selectAll()
      .where('indicator_id', '=', ind.id)
      .where('fiscal_year', '=', fiscalYear - 1)
      .executeTakeFirst();
    if (prev)
      await db
        .insertInto('indicator_targets')
        .values({ ...prev, fiscal_year: fiscalYear })
        .execute();
  }
}

/** Closes a round, and with it every department's reopening. */
export async function closeRoundRow(db: DbOrTx, roundId: number): Promise<void> {
  await db.updateTable('survey_rounds').set({ status: 'closed', closed_at: now() }).where('id', '=', roundId).execute();
  await db.updateTable('survey_round_departments').set({ reopened: 0 }).where('round_id', '=', roundId).execute();
}

export async function setReopened(db: DbOrTx, roundId: number, departmentId: number): Promise<void> {
  await db
    .updateTable('survey_round_departments')
    .set({ reopened: 1 })
    .where('round_id', '=', roundId)
    .where('department_id', '=', departmentId)
    .execute();
}

export function listRecordStatuses(db: DbOrTx, planId: number, fiscalYear: number) {
  return db
    .selectFrom('records')
    .select(['department_id', 'status'])
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', fiscalYear)
    .execute();
}

/**
 * What a department's sheet of a round was built from: the plan's revision and the department's own, as one
 * key; with the round's plan and fiscal year, which never change.
 */
export async function sheetRevision(db: DbOrTx, municipalityId: number, roundId: number, departmentId: number) {
  const rev = await db
    .selectFrom('survey_rounds as r')
    .innerJoin('plans as p', 'p.id', 'r.plan_id')
    .leftJoin('sheet_revisions as s', (j) => j.onRef('s.plan_id', '=', 'p.id').on('s.department_id', '=', departmentId))
    .select(['p.revision', 's.revision as own', 'r.plan_id', 'r.fiscal_year'])
    .where('r.id', '=', roundId)
    .where('r.municipality_id', '=', municipalityId)
    .executeTakeFirst();
  return rev && { revision: `${rev.revision}:${rev.own ?? 0}`, planId: rev.plan_id, fiscalYear: rev.fiscal_year };
}
