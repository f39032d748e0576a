import type { AppContext } from '../../context.js';
import { acrossMunicipalities } from '../../db/tenant.js';
import { AppError, invalid } from '../../http/errors.js';
import { audit, type RequestOrigin } from '../audit/index.js';
import type { Actor, SessionUser } from './actor.js';
import { dummyHash, hashPassword, verifyPassword } from './password.js';
import { createSession, deleteSession, deleteUserSessions } from './sessions.js';
import { actingDepartments } from '../departments/index.js';
import { findMunicipality } from '../municipalities/index.js';
import type { Municipality } from '../../../domain/api-types.js';
import { findCredentials, findUserByLogin, setOwnPassword } from './auth.repository.js';
import { assertNotLocked, clearAccount, recordFailure } from './login-throttle.js';
import { passwordProblems } from '../../../domain/password-policy.js';

const WRONG = 'ログインIDまたはパスワードが正しくありません';

/**
 * Signs a user in, ending the session the browser had before. The login ID arrives normalised (see login-id.ts); a locked account or address
 * is refused before any password is checked; a wrong password and an unknown ID answer the same,
 * after the same Argon2id work, and both count as a failure of that ID and that address.
 */
export function login(
  ctx: AppContext,
  input: { loginName: string; password: string },
  origin: RequestOrigin,
  /** the session the browser signed in with before, which a successful login ends */
  previousToken: string | null = null,
): Promise<{ token: string; user: SessionUser }> {
  // A login ID names one account among every municipality's (and the administrators', of none).
  return acrossMunicipalities('account', () => signIn(ctx, input, origin, previousToken));
}

async function signIn(
  ctx: AppContext,
  input: { loginName: string; password: string },
  origin: RequestOrigin,
  previousToken: string | null,
): Promise<{ token: string; user: SessionUser }> {
  const ip = origin.ip ?? '';
  await assertNotLocked(ctx.db, input.loginName, ip);
  const row = await findUserByLogin(ctx.db, input.loginName);
  const ok = await verifyPassword(row?.password_hash ?? (await dummyHash()), input.password);
  if (!row || !ok || row.active !== 1) {
    const { lockedUntil } = await recordFailure(ctx.db, ctx.dialect, input.loginName, ip, {
      perAccount: ctx.config.loginRateLimit,
      perAddress: ctx.config.loginRateLimit * 10,
    });
    await audit(
      ctx.db,
      { ...origin, loginId: input.loginName },
      {
        municipalityId: row?.municipality_id ?? null,
        action: 'login_failed',
        entity: 'user',
        entityId: row?.id,
        detail: { loginName: input.loginName },
      },
    );
    if (lockedUntil !== null)
      await audit(
        ctx.db,
        { ...origin, loginId: input.loginName },
        {
          municipalityId: row?.municipality_id ?? null,
          action: 'lockout',
          entity: 'user',
          entityId: row?.id,
          detail: { loginName: input.loginName, until: new Date(lockedUntil).toISOString() },
        },
      );
    throw new AppError('UNAUTHENTICATED', WRONG);
  }
  await clearAccount(ctx.db, input.loginName);
  const token = await createSession(ctx.db, row.id, ctx.config.sessionHours);
  const user: SessionUser = {
    id: row.id,
    loginName: row.login_name,
    displayName: row.display_name,
    role: row.role,
    municipalityId: row.municipality_id,
    departmentId: row.department_id,
    departmentIds:
      row.department_id === null || row.municipality_id === null
        ? []
        : await actingDepartments(ctx.db, row.municipality_id, row.department_id),
    mustChangePassword: row.must_change_password === 1,
  };
  await audit(
    ctx.db,
    { user, ...origin },
    { municipalityId: row.municipality_id, action: 'login', entity: 'user', entityId: row.id },
  );
  if (previousToken) await logout(ctx, previousToken, null);
  return { token, user };
}

export function logout(ctx: AppContext, token: string, actor: Actor | null): Promise<void> {
  // Sessions are no municipality's rows; an administrator's logout is audited under none.
  return acrossMunicipalities('account', async () => {
    await deleteSession(ctx.db, token);
    if (actor)
      await audit(ctx.db, actor, {
        municipalityId: actor.user.municipalityId,
        action: 'logout',
        entity: 'user',
        entityId: actor.user.id,
      });
  });
}

/** Checks a new password against the rule, with the account's own ID and name in view. */
export function checkNewPassword(
  field: string,
  password: string,
  account: { loginName: string; displayName: string },
): void {
  const problems = passwordProblems(password, account);
  if (problems.length) throw invalid(field, problems.join('。'));
}

/**
 * Every user changes their own password with the current one. Other sessions of the user end; the
 * one in use stays. A password set by someone else (new account, reset) stops being required to change.
 */
export function changeOwnPassword(
  ctx: AppContext,
  actor: Actor,
  sessionToken: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  // One's own account and sessions, whichever municipality (or none) it belongs to.
  return acrossMunicipalities('account', () => changePassword(ctx, actor, sessionToken, input));
}

async function changePassword(
  ctx: AppContext,
  actor: Actor,
  sessionToken: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const row = await findCredentials(ctx.db, actor.user.id);
  if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
    await audit(ctx.db, actor, {
      municipalityId: row.municipality_id,
      action: 'password_change_failed',
      entity: 'user',
      entityId: row.id,
    });
    throw invalid('currentPassword', '今のパスワードが正しくありません');
  }
  if (input.newPassword === input.currentPassword)
    throw invalid('newPassword', '今のパスワードと違うものにしてください');
  checkNewPassword('newPassword', input.newPassword, { loginName: row.login_name, displayName: row.display_name });
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (tx) => {
    await setOwnPassword(tx, row.id, hash);
    await deleteUserSessions(tx, row.id, sessionToken);
    await audit(tx, actor, {
      municipalityId: row.municipality_id,
      action: 'password_change',
      entity: 'user',
      entityId: row.id,
    });
  });
}

/** The signed-in user's own municipality, which the SPA shows in its header (none for an administrator). */
export async function sessionMunicipality(ctx: AppContext, actor: Actor): Promise<Municipality | null> {
  return actor.user.municipalityId ? findMunicipality(ctx.db, actor.user.municipalityId) : null;
}
