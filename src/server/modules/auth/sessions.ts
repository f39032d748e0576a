import crypto from 'node:crypto';
import type { Db, DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';

import type { SessionUser } from './actor.js';
import { actingDepartments } from '../departments/departments.service.js';

/** The cookie holds a random token; the database holds only its SHA-256, so a leaked table cannot be replayed. */
const digest = (token: string) => crypto.createHash('sha256').update(token).digest('base64url');

export async function createSession(db: Db, userId: number, hours: number): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  const t = new Date();
  await db
    .insertInto('sessions')
    .values({
      id: digest(token),
      user_id: userId,
      created_at: t.toISOString(),
      last_seen_at: t.toISOString(),
      expires_at: new Date(t.getTime() + hours * 3600_000).toISOString(),
    })
    .execute();
  return token;
}

/** The signed-in user of a session, or null when it has ended: idle for `hours`, or older than `absoluteHours`. */
export async function findSessionUser(
  db: Db,
  token: string,
  hours: number,
  absoluteHours = Infinity,
): Promise<SessionUser | null> {
  const id = digest(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.expires_at',
      'sessions.last_seen_at',
      'users.id',
      'users.login_name',
      'users.display_name',
      'users.role',
      'users.municipality_id',
      'users.department_id',
      'users.active',
      'users.must_change_password',
      'sessions.created_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  const t = Date.now();
  if (
    !row ||
    row.active !== 1 ||
    Date.parse(row.expires_at) <= t ||
    t - Date.parse(row.created_at) >= absoluteHours * 3600_000
  )
    return null;
  // Sliding expiry, written at most once a minute so busy pages do not write on every request.
  if (t - Date.parse(row.last_seen_at) > 60_000)
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(t).toISOString(), expires_at: new Date(t + hours * 3600_000).toISOString() })
      .where('id', '=', id)
      .execute();
  return {
    id: row.id,
    loginName: row.login_name,
    displayName: row.display_name,
    role: row.role,
    municipalityId: row.municipality_id,
    departmentId: row.department_id,
    departmentIds:
      row.department_id === null || row.municipality_id === null
        ? []
        : await actingDepartments(db, row.municipality_id, row.department_id),
    mustChangePassword: row.must_change_password === 1,
  };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', digest(token)).execute();
}

/** Ends every session of a user, but the one given (the session in which they changed their password). */
export async function deleteUserSessions(db: DbOrTx, userId: number, keepToken?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepToken) q = q.where('id', '!=', digest(keepToken));
  await q.execute();
}

export async function purgeExpiredSessions(db: Db): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now()).execute();
}
