import type { z } from 'zod';
import { isDepartmentRole, type Role } from '../../../domain/roles.js';
import type { User } from '../../../domain/api-types.js';
import type { userCreateInput, userUpdateInput } from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { acrossMunicipalities, inMunicipality } from '../../db/tenant.js';
import { forbidden, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import {
  type Actor,
  assertCanManageUsers,
  assertMayAssignRole,
  isAdmin,
  checkNewPassword,
  deleteUserSessions,
  hashPassword,
} from '../auth/index.js';
import { bumpMunicipalityPlans } from '../plans/index.js';
import {
  departmentInMunicipality,
  findUserRow,
  insertUser,
  listUserRows,
  loginNameTaken,
  municipalityExists,
  readUserRow,
  updateUserRow,
  type UserRow,
} from './users.repository.js';

const toDto = (r: UserRow): User => ({
  id: r.id,
  loginName: r.login_name,
  displayName: r.display_name,
  email: r.email,
  role: r.role,
  municipalityId: r.municipality_id,
  departmentId: r.department_id,
  active: r.active === 1,
  mustChangePassword: r.must_change_password === 1,
});

export async function listUsers(ctx: AppContext, actor: Actor, municipalityId: number | null): Promise<User[]> {
  assertCanManageUsers(actor, municipalityId);
  // One municipality's accounts in its scope; the administrators' own (of no municipality) across.
  const rows =
    municipalityId === null
      ? await acrossMunicipalities('user-admin', () => listUserRows(ctx.db, null))
      : await inMunicipality(municipalityId, () => listUserRows(ctx.db, municipalityId));
  return rows.map(toDto);
}

async function checkPlacement(
  db: DbOrTx,
  role: Role,
  municipalityId: number | null,
  departmentId: number | null,
): Promise<void> {
  if (role === 'system_admin') {
    if (municipalityId !== null) throw invalid('municipalityId', 'システム管理者は自治体に所属させません');
    if (departmentId !== null) throw invalid('departmentId', 'システム管理者は課に所属させません');
    return;
  }
  if (municipalityId === null) throw invalid('municipalityId', '自治体を選んでください');
  if (!(await municipalityExists(db, municipalityId))) throw notFound('自治体');
  if (isDepartmentRole(role) && departmentId === null)
    throw invalid('departmentId', '担当課の利用者には所属課が必要です');
  if (departmentId !== null && !(await departmentInMunicipality(db, departmentId, municipalityId)))
    throw invalid('departmentId', 'この自治体の課を選んでください');
}

export async function createUser(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof userCreateInput>,
): Promise<User> {
  const municipalityId =
    input.role === 'system_admin' ? input.municipalityId : (input.municipalityId ?? actor.user.municipalityId);
  assertMayAssignRole(actor, input.role);
  assertCanManageUsers(actor, municipalityId);
  checkNewPassword('password', input.password, { loginName: input.loginName, displayName: input.displayName });
  const passwordHash = await hashPassword(input.password);
  // Login IDs are one namespace for every municipality, and administrators belong to none.
  return acrossMunicipalities('user-admin', () =>
    ctx.db.transaction().execute(async (tx) => {
      await checkPlacement(tx, input.role, municipalityId, input.departmentId);
      // One namespace for every municipality: the answer does not say whose the ID is.
      if (await loginNameTaken(tx, input.loginName))
        throw invalid('loginName', 'このログインIDは使用できません。別のIDにしてください');
      // Set by someone else: the new user chooses their own password at the first login.
      const row = await insertUser(tx, {
        login_name: input.loginName,
        display_name: input.displayName,
        email: input.email,
        role: input.role,
        municipality_id: municipalityId,
        department_id: input.departmentId,
        password_hash: passwordHash,
      });
      const dto = toDto(row);
      await audit(tx, actor, { municipalityId, action: 'create', entity: 'user', entityId: row.id, detail: dto });
      return dto;
    }),
  );
}

export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: z.output<typeof userUpdateInput>,
): Promise<User> {
  // Any account by its id, an administrator's too; the checks below decide whose the actor may change.
  return acrossMunicipalities('user-admin', () =>
    ctx.db.transaction().execute(async (tx) => {
      const row = await findUserRow(tx, id);
      // A user of another municipality is reported as missing, not as forbidden: its existence is not ours to know.
      if (!row || (!isAdmin(actor) && row.municipality_id !== actor.user.municipalityId)) throw notFound('利用者');
      const before = toDto(row);
      assertCanManageUsers(actor, before.municipalityId);
      // One's own password is changed with the current one (POST /api/auth/password), not here.
      if (id === actor.user.id && input.password)
        throw forbidden('自分のパスワードは「パスワードの変更」で、今のパスワードを入力して変更してください');
      assertMayAssignRole(actor, before.role);
      if (input.role) assertMayAssignRole(actor, input.role);
      if (input.password)
        checkNewPassword('password', input.password, {
          loginName: before.loginName,
          displayName: input.displayName ?? before.displayName,
        });
      const passwordHash = input.password ? await hashPassword(input.password) : undefined;
      if (id === actor.user.id && (input.active === false || (input.role && input.role !== before.role)))
        throw forbidden('自分自身の役割の変更や無効化はできません');
      const role = input.role ?? before.role;
      const departmentId = input.departmentId === undefined ? before.departmentId : input.departmentId;
      await checkPlacement(tx, role, before.municipalityId, departmentId);
      await updateUserRow(tx, id, {
        display_name: input.displayName ?? before.displayName,
        email: input.email ?? before.email,
        role,
        department_id: departmentId,
        active: input.active === undefined ? row.active : input.active ? 1 : 0,
        password_hash: passwordHash,
      });
      if (input.active === false || passwordHash || role !== before.role) await deleteUserSessions(tx, id);
      // Names of the last editor show on sheets.
      if (before.municipalityId !== null && input.displayName !== undefined && input.displayName !== before.displayName)
        await bumpMunicipalityPlans(tx, before.municipalityId);
      const after = toDto(await readUserRow(tx, id));
      await audit(tx, actor, {
        municipalityId: before.municipalityId,
        action: 'update',
        entity: 'user',
        entityId: id,
        detail: { before, after, passwordChanged: !!passwordHash },
      });
      if (passwordHash)
        await audit(tx, actor, {
          municipalityId: before.municipalityId,
          action: 'password_reset',
          entity: 'user',
          entityId: id,
          detail: { loginName: before.loginName },
        });
      if (before.role !== after.role || before.active !== after.active || before.departmentId !== after.departmentId)
        await audit(tx, actor, {
          municipalityId: before.municipalityId,
          action: 'permission_change',
          entity: 'user',
          entityId: id,
          detail: {
            loginName: before.loginName,
            before: { role: before.role, active: before.active, departmentId: before.departmentId },
            after: { role: after.role, active: after.active, departmentId: after.departmentId },
          },
        });
      return after;
    }),
  );
}
