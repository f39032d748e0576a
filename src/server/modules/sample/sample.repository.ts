import type { DepartmentKind, Role } from '../../../domain/enums.js';
import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';

export async function insertSampleMunicipality(db: DbOrTx, code: string, name: string): Promise<number> {
  const m = await db
    .insertInto('municipalities')
    .values({ code, name, era2019: 'reiwa1', created_at: now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return m.id;
}

export async function insertDepartment(
  db: DbOrTx,
  d: {
    municipalityId: number;
    parentId: number | null;
    name: string;
    kind: DepartmentKind;
    activeFrom: number | null;
    activeTo: number | null;
    position: number;
  },
): Promise<number> {
  const row = await db
    .insertInto('departments')
    .values({
      municipality_id: d.municipalityId,
      parent_id: d.parentId,
      name: d.name,
      kind: d.kind,
      active_from: d.activeFrom,
      active_to: d.activeTo,
      position: d.position,
      created_at: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A rename that has been recorded (and whose units already carry their years). */
export async function insertRename(
  db: DbOrTx,
  r: { municipalityId: number; effectiveYear: number; note: string; fromId: number; toId: number },
): Promise<void> {
  const change = await db
    .insertInto('department_changes')
    .values({
      municipality_id: r.municipalityId,
      kind: 'rename',
      effective_year: r.effectiveYear,
      note: r.note,
      created_at: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('department_change_links')
    .values({
      municipality_id: r.municipalityId,
      change_id: change.id,
      from_department_id: r.fromId,
      to_department_id: r.toId,
    })
    .execute();
}

export async function insertSampleUser(
  db: DbOrTx,
  u: {
    loginName: string;
    displayName: string;
    role: Role;
    municipalityId: number;
    departmentId: number | null;
    passwordHash: string;
  },
): Promise<void> {
  const t = now();
  await db
    .insertInto('users')
    .values({
      login_name: u.loginName,
      display_name: u.displayName,
      role: u.role,
      municipality_id: u.municipalityId,
      department_id: u.departmentId,
      password_hash: u.passwordHash,
      active: 1,
      created_at: t,
      updated_at: t,
    })
    .execute();
}

/** The audit row that says the sample was made: by no one, at start-up. */
export async function insertSampleAuditRow(db: DbOrTx, municipalityId: number): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      municipality_id: municipalityId,
      user_id: null,
      action: 'create',
      entity: 'sample_data',
      entity_id: null,
      detail: '{}',
      request_id: null,
      created_at: now(),
    })
    .execute();
}

/** The sample municipality, its plan and the plan's projects by number. */
export async function findSamplePlan(db: DbOrTx, code: string) {
  const m = await db.selectFrom('municipalities').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  const plan = await db.selectFrom('plans').select('id').where('municipality_id', '=', m.id).executeTakeFirstOrThrow();
  const projects = await db
    .selectFrom('projects')
    .select(['id', 'number', 'name'])
    .where('plan_id', '=', plan.id)
    .execute();
  return { municipalityId: m.id, planId: plan.id, projectIds: new Map(projects.map((p) => [p.number, p.id])) };
}

/** The 課 that exist now. */
export async function currentUnitIds(db: DbOrTx, municipalityId: number): Promise<number[]> {
  const units = await db
    .selectFrom('departments')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('kind', '=', 'ka')
    .where('active_to', 'is', null)
    .execute();
  return units.map((u) => u.id);
}
