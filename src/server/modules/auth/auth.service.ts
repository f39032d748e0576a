import type { AppContext } from '../../app.js';
import { AppError } from '../../http/errors.js';
import { audit } from '../audit/audit.js';
import type { Actor, SessionUser } from './actor.js';
import { dummyHash, verifyPassword } from './password.js';
import { createSession, deleteSession } from './sessions.js';
import type { Role } from '../../../domain/roles.js';
import { actingDepartments } from '../departments/departments.service.js';

export async function login(ctx: AppContext, input: { loginName: string; password: string }, requestId: string): Promise<{ token: string; user: SessionUser }> {
  const row = await ctx.db.selectFrom('users').selectAll().where('login_name', '=', input.loginName).executeTakeFirst();
  const ok = await verifyPassword(row?.password_hash ?? (await dummyHash()), input.password);
  if (!row || !ok || row.active !== 1) {
    await audit(ctx.db, null, { municipalityId: row?.municipality_id ?? null, action: 'login_failed', entity: 'user', entityId: row?.id, detail: { loginName: input.loginName, requestId } });
    throw new AppError('UNAUTHENTICATED', 'ログインIDまたはパスワードが正しくありません');
  }
  const token = await createSession(ctx.db, row.id, ctx.config.sessionHours);
  const user: SessionUser = {
    id: row.id,
    loginName: row.login_name,
    displayName: row.display_name,
    role: row.role as Role,
    municipalityId: row.municipality_id,
    departmentId: row.department_id,
    departmentIds: row.department_id === null || row.municipality_id === null ? [] : await actingDepartments(ctx.db, row.municipality_id, row.department_id),
  };
  await audit(ctx.db, { user, requestId }, { municipalityId: row.municipality_id, action: 'login', entity: 'user', entityId: row.id });
  return { token, user };
}

export async function logout(ctx: AppContext, token: string, actor: Actor | null): Promise<void> {
  await deleteSession(ctx.db, token);
  if (actor) await audit(ctx.db, actor, { municipalityId: actor.user.municipalityId, action: 'logout', entity: 'user', entityId: actor.user.id });
}
