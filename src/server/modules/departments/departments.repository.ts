import type { DbOrTx } from '../../db/types.js';
import type { DepartmentKind, ReorgKind } from '../../../domain/department.js';
import { now, toNumber } from '../../db/util.js';

export interface DepartmentRow {
  id: number;
  parent_id: number | null;
  name: string;
  kind: DepartmentKind;
  active_from: number | null;
  active_to: number | null;
  position: number;
}

const columns = ['id', 'parent_id', 'name', 'kind', 'active_from', 'active_to', 'position'] as const;

export function listDepartmentRows(db: DbOrTx, municipalityId: number): Promise<DepartmentRow[]> {
  return db
    .selectFrom('departments')
    .select(columns)
    .where('municipality_id', '=', municipalityId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export function findDepartmentRow(db: DbOrTx, municipalityId: number, id: number): Promise<DepartmentRow | undefined> {
  return db
    .selectFrom('departments')
    .select(columns)
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface ChangeLinkRow {
  change_id: number;
  kind: ReorgKind;
  effective_year: number;
  note: string;
  from_department_id: number;
  to_department_id: number;
}

export function listChangeLinks(db: DbOrTx, municipalityId: number): Promise<ChangeLinkRow[]> {
  return db
    .selectFrom('department_change_links as l')
    .innerJoin('department_changes as c', 'c.id', 'l.change_id')
    .select(['l.change_id', 'c.kind', 'c.effective_year', 'c.note', 'l.from_department_id', 'l.to_department_id'])
    .where('l.municipality_id', '=', municipalityId)
    .orderBy('c.effective_year')
    .orderBy('l.id')
    .execute();
}

/** How much hangs on a department: sub-units, accounts, project assignments, reorganisation history. */
export async function departmentUsage(
  db: DbOrTx,
  id: number,
): Promise<{ children: number; users: number; projects: number; history: number }> {
  const [children, users, projects, history] = await Promise.all([
    db
      .selectFrom('departments')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('parent_id', '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('department_id', '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('project_departments')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('department_id', '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('department_change_links')
      .select((eb) => eb.fn.countAll().as('n'))
      .where((eb) => eb.or([eb('from_department_id', '=', id), eb('to_department_id', '=', id)]))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    children: toNumber(children.n),
    users: toNumber(users.n),
    projects: toNumber(projects.n),
    history: toNumber(history.n),
  };
}

// ---- the org tree

/** The position after the municipality's last unit. */
export async function nextPosition(db: DbOrTx, municipalityId: number): Promise<number> {
  const last = await db
    .selectFrom('departments')
    .select('position')
    .where('municipality_id', '=', municipalityId)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (last?.position ?? 0) + 1;
}

export async function insertDepartmentRow(
  db: DbOrTx,
  municipalityId: number,
  d: Omit<DepartmentRow, 'id'>,
  createdAt = now(),
): Promise<number> {
  const row = await db
    .insertInto('departments')
    .values({ municipality_id: municipalityId, ...d, created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateDepartmentRows(
  db: DbOrTx,
  ids: number[],
  set: Partial<Pick<DepartmentRow, 'name' | 'kind' | 'parent_id' | 'active_from' | 'active_to'>>,
): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('departments').set(set).where('id', 'in', ids).execute();
}

export async function deleteDepartmentRows(db: DbOrTx, ids: number[]): Promise<void> {
  if (ids.length) await db.deleteFrom('departments').where('id', 'in', ids).execute();
}

// ---- reorganisations

export function listChanges(db: DbOrTx, municipalityId: number) {
  return db
    .selectFrom('department_changes')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .orderBy('effective_year', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function findChange(db: DbOrTx, municipalityId: number, changeId: number) {
  return db
    .selectFrom('department_changes')
    .selectAll()
    .where('id', '=', changeId)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
}

/** The units a change ends and those it creates, each once, in the order they were linked. */
export async function changeUnits(db: DbOrTx, changeId: number): Promise<{ fromIds: number[]; toIds: number[] }> {
  const links = await db
    .selectFrom('department_change_links')
    .select(['from_department_id', 'to_department_id'])
    .where('change_id', '=', changeId)
    .orderBy('id')
    .execute();
  return {
    fromIds: [...new Set(links.map((l) => l.from_department_id))],
    toIds: [...new Set(links.map((l) => l.to_department_id))],
  };
}

export async function insertChange(
  db: DbOrTx,
  c: {
    municipalityId: number;
    kind: ReorgKind;
    effectiveYear: number;
    note: string;
    previousActiveTo: string;
    names: string;
    createdAt: string;
  },
): Promise<number> {
  const row = await db
    .insertInto('department_changes')
    .values({
      municipality_id: c.municipalityId,
      kind: c.kind,
      effective_year: c.effectiveYear,
      note: c.note,
      created_at: c.createdAt,
      status: 'scheduled',
      applied_at: null,
      cancelled_at: null,
      previous_active_to: c.previousActiveTo,
      names: c.names,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertChangeLink(
  db: DbOrTx,
  municipalityId: number,
  changeId: number,
  fromId: number,
  toId: number,
): Promise<void> {
  await db
    .insertInto('department_change_links')
    .values({
      municipality_id: municipalityId,
      change_id: changeId,
      from_department_id: fromId,
      to_department_id: toId,
    })
    .execute();
}

export async function updateChange(
  db: DbOrTx,
  changeId: number,
  set: { effective_year?: number; note?: string; names?: string },
): Promise<void> {
  await db.updateTable('department_changes').set(set).where('id', '=', changeId).execute();
}

export async function markChangeApplied(db: DbOrTx, changeId: number): Promise<void> {
  await db
    .updateTable('department_changes')
    .set({ status: 'applied', applied_at: now() })
    .where('id', '=', changeId)
    .execute();
}

/** A cancelled change keeps its row (with the reason in its note) but loses its links. */
export async function markChangeCancelled(db: DbOrTx, changeId: number, note: string): Promise<void> {
  await db.deleteFrom('department_change_links').where('change_id', '=', changeId).execute();
  await db
    .updateTable('department_changes')
    .set({ status: 'cancelled', cancelled_at: now(), note })
    .where('id', '=', changeId)
    .execute();
}

/** Another change that is not cancelled (and not `exceptChangeId`) already ends this unit. */
export function findChangeEnding(db: DbOrTx, departmentId: number, exceptChangeId?: number) {
  return db
    .selectFrom('department_change_links as l')
    .innerJoin('department_changes as c', 'c.id', 'l.change_id')
    .select(['c.id', 'c.effective_year'])
    .where('l.from_department_id', '=', departmentId)
    .where('c.status', '!=', 'cancelled')
    .$if(exceptChangeId !== undefined, (q) => q.where('c.id', '!=', exceptChangeId!))
    .executeTakeFirst();
}

/** Scheduled changes of a municipality effective in `fiscalYear` or before, oldest first. */
export async function dueChangeIds(db: DbOrTx, municipalityId: number, fiscalYear: number): Promise<number[]> {
  const rows = await db
    .selectFrom('department_changes')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('status', '=', 'scheduled')
    .where('effective_year', '<=', fiscalYear)
    .orderBy('effective_year')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The municipalities with a scheduled change effective in `fiscalYear` or before. */
export async function municipalitiesWithDueChanges(db: DbOrTx, fiscalYear: number): Promise<number[]> {
  const rows = await db
    .selectFrom('department_changes')
    .select('municipality_id')
    .where('status', '=', 'scheduled')
    .where('effective_year', '<=', fiscalYear)
    .distinct()
    .execute();
  return rows.map((r) => r.municipality_id);
}

/** The links of changes that have taken effect. */
export function appliedLinks(db: DbOrTx, municipalityId: number) {
  return appliedLinksQuery(db, municipalityId).execute();
}

export function appliedLinksQuery(db: DbOrTx, municipalityId: number) {
  return db
    .selectFrom('department_change_links as l')
    .innerJoin('department_changes as c', 'c.id', 'l.change_id')
    .select(['l.from_department_id', 'l.to_department_id'])
    .where('l.municipality_id', '=', municipalityId)
    .where('c.status', '=', 'applied');
}

/** The latest fiscal year a round of the municipality asks about, or null. */
export async function latestRoundYear(db: DbOrTx, municipalityId: number): Promise<number | null> {
  const latest = await db
    .selectFrom('survey_rounds')
    .select((eb) => eb.fn.max('fiscal_year').as('y'))
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  return latest?.y === null || latest?.y === undefined ? null : toNumber(latest.y);
}

/** What would follow the old units: their accounts and the projects they are assigned to. */
export async function pendingMoves(db: DbOrTx, fromIds: number[]): Promise<{ users: number; projects: number }> {
  const [u, p] = await Promise.all([
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('department_id', 'in', fromIds)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('project_departments')
      .select((eb) => eb.fn.count('project_id').distinct().as('n'))
      .where('department_id', 'in', fromIds)
      .executeTakeFirstOrThrow(),
  ]);
  return { users: toNumber(u.n), projects: toNumber(p.n) };
}

export async function hasRecords(db: DbOrTx, departmentId: number): Promise<boolean> {
  const r = await db
    .selectFrom('records')
    .select('id')
    .where('department_id', '=', departmentId)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

// ---- what follows a change when it takes effect

/** The old units' accounts belong to the new one; answers how many moved. */
export async function moveUsers(db: DbOrTx, fromIds: number[], target: number): Promise<number> {
  const r = await db
    .updateTable('users')
    .set({ department_id: target })
    .where('department_id', 'in', fromIds)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * The old units' project assignments go to the new one: a project both had keeps one assignment,
 * the lead's, and one the new unit already has stays as it is. Answers how many were added.
 */
export async function moveAssignments(db: DbOrTx, fromIds: number[], target: number): Promise<number> {
  const assignments = await db
    .selectFrom('project_departments')
    .selectAll()
    .where('department_id', 'in', fromIds)
    .orderBy('is_lead', 'desc')
    .execute();
  await db.deleteFrom('project_departments').where('department_id', 'in', fromIds).execute();
  const seen = new Set<number>();
  let added = 0;
  for (const a of assignments) {
    if (seen.has(a.project_id)) continue;
    seen.add(a.project_id);
    const existing = await db
      .selectFrom('project_departments')
      .select('is_lead')
      .where('project_id', '=', a.project_id)
      .where('department_id', '=', target)
      .executeTakeFirst();
    if (existing) continue;
    await db
      .insertInto('project_departments')
      .values({ ...a, department_id: target })
      .execute();
    added++;
  }
  return added;
}

/**
 * Records of `fromYear` and later move to the new unit, but where it already has one for that
 * project and year (the second stays under its old unit). Answers how many moved.
 */
export async function moveRecords(db: DbOrTx, fromIds: number[], target: number, fromYear: number): Promise<number> {
  let moved = 0;
  const records = await db
    .selectFrom('records')
    .select(['id', 'project_id', 'fiscal_year'])
    .where('department_id', 'in', fromIds)
    .where('fiscal_year', '>=', fromYear)
    .execute();
  for (const r of records) {
    const taken = await db
      .selectFrom('records')
      .select('id')
      .where('project_id', '=', r.project_id)
      .where('department_id', '=', target)
      .where('fiscal_year', '=', r.fiscal_year)
      .executeTakeFirst();
    if (taken) continue;
    await db.updateTable('records').set({ department_id: target }).where('id', '=', r.id).execute();
    moved++;
  }
  await db
    .updateTable('records')
    .set({ same_as_department_id: target })
    .where('same_as_department_id', 'in', fromIds)
    .where('fiscal_year', '>=', fromYear)
    .execute();
  return moved;
}

/** Indicator actuals of `fromYear` and later move likewise. */
export async function moveActuals(db: DbOrTx, fromIds: number[], target: number, fromYear: number): Promise<void> {
  const actuals = await db
    .selectFrom('indicator_actuals')
    .select(['id', 'indicator_id', 'fiscal_year'])
    .where('department_id', 'in', fromIds)
    .where('fiscal_year', '>=', fromYear)
    .execute();
  for (const a of actuals) {
    const taken = await db
      .selectFrom('indicator_actuals')
      .select('id')
      .where('indicator_id', '=', a.indicator_id)
      .where('department_id', '=', target)
      .where('fiscal_year', '=', a.fiscal_year)
      .executeTakeFirst();
    if (!taken)
      await db.updateTable('indicator_actuals').set({ department_id: target }).where('id', '=', a.id).execute();
  }
}

/**
 * Rounds of `fromYear` and later ask the new unit; an old unit stays asked only while it still holds
 * an answer of those years.
 */
export async function moveRoundDepartments(
  db: DbOrTx,
  fromIds: number[],
  target: number,
  fromYear: number,
): Promise<void> {
  const rounds = await db
    .selectFrom('survey_round_departments as d')
    .innerJoin('survey_rounds as r', 'r.id', 'd.round_id')
    .select(['d.round_id', 'd.department_id', 'd.reopened', 'r.municipality_id'])
    .where('d.department_id', 'in', fromIds)
    .where('r.fiscal_year', '>=', fromYear)
    .execute();
  for (const rd of rounds) {
    const still = await db
      .selectFrom('records')
      .select('id')
      .where('department_id', '=', rd.department_id)
      .where('fiscal_year', '>=', fromYear)
      .limit(1)
      .executeTakeFirst();
    const has = await db
      .selectFrom('survey_round_departments')
      .select('department_id')
      .where('round_id', '=', rd.round_id)
      .where('department_id', '=', target)
      .executeTakeFirst();
    if (!has)
      await db
        .insertInto('survey_round_departments')
        .values({
          municipality_id: rd.municipality_id,
          round_id: rd.round_id,
          department_id: target,
          reopened: rd.reopened,
        })
        .execute();
    if (!still)
      await db
        .deleteFrom('survey_round_departments')
        .where('round_id', '=', rd.round_id)
        .where('department_id', '=', rd.department_id)
        .execute();
  }
}
