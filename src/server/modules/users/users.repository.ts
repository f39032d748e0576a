import type { Role } from '../../../domain/roles.js';
import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';

const columns = [
  'id',
  'login_name',
  'display_name',
  'email',
  'role',
  'municipality_id',
  'department_id',
  'active',
  'must_change_password',
] as const;

export type UserRow = {
  id: number;
  login_name: string;
  display_name: string;
  email: string;
  role: Role;
  municipality_id: number | null;
  department_id: number | null;
  active: number;
  must_change_password: number;
};

/** The accounts of one municipality, or (null) those of none: the system administrators. */
export function listUserRows(db: DbOrTx, municipalityId: number | null): Promise<UserRow[]> {
  const q = db.selectFrom('users').select(columns).orderBy('login_name');
  return (
    municipalityId === null ? q.where('municipality_id', 'is', null) : q.where('municipality_id', '=', municipalityId)
  ).execute();
}

export function findUserRow(db: DbOrTx, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(columns).where('id', '=', id).executeTakeFirst();
}

export function readUserRow(db: DbOrTx, id: number): Promise<UserRow> {
  return db.selectFrom('users').select(columns).where('id', '=', id).executeTakeFirstOrThrow();
}

export async function loginNameTaken(db: DbOrTx, loginName: string): Promise<boolean> {
  return (
    (await db.selectFrom('users').select('id').where('login_name', '=', loginName).executeTakeFirst()) !== undefined
  );
}

export async function municipalityExists(db: DbOrTx, municipalityId: number): Promise<boolean> {
  return (
    (await db.selectFrom('municipalities').select('id').where('id', '=', municipalityId).executeTakeFirst()) !==
    undefined
  );
}

export async function departmentInMunicipality(
  db: DbOrTx,
  departmentId: number,
  municipalityId: number,
): Promise<boolean> {
  const d = await db
    .selectFrom('departments')
    .select('id')
    .where('id', '=', departmentId)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  return d !== undefined;
}

export interface NewUser {
  login_name: string;
  display_name: string;
  email: string;
  role: Role;
  municipality_id: number | null;
  department_id: number | null;
  password_hash: string;
}

/** A new active account whose password, set by someone else, must be changed at the first login. */
export function insertUser(db: DbOrTx, values: NewUser): Promise<UserRow> {
  const t = now();
  return db
    .insertInto('users')
    .values({ ...values, active: 1, must_change_password: 1, created_at: t, updated_at: t })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

export interface UserChange {
  display_name: string;
  email: string;
  role: Role;
  department_id: number | null;
  active: number;
  /** a password reset by someone else: changed by its user at the next login */
  password_hash?: string;
}

export async function updateUserRow(db: DbOrTx, id: number, change: UserChange): Promise<void> {
  const { password_hash, ...rest } = change;
  await db
    .updateTable('users')
    .set({
      ...rest,
      ...(password_hash ? { password_hash, must_change_password: 1, password_changed_at: now() } : {}),
      updated_at: now(),
    })
    .where('id', '=', id)
    .execute();
}
