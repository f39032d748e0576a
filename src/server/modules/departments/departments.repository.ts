import type { DbOrTx } from '../../db/types.js';
import type { DepartmentKind } from '../../../domain/department.js';
import { toNumber } from '../../db/util.js';

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
  kind: string;
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
