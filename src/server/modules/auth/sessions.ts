import crypto from 'node:crypto';
import type { Db, DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import type { SessionUser } from './actor.js';
import { actingDepartmentsBy } from '../departments/index.js';
import {
  deleteSessionRow,
  deleteSessionsExpiredBy,
  deleteSessionsOfUser,
  extendSession,
  findSessionWithUser,
  insertSession,
} from './auth.repository.js';

/** The cookie holds a random token; the database holds only its SHA-256, so a leaked table cannot be replayed. */
const digest = (token: string) => crypto.createHash('sha256').update(token).digest('base64url');

export async function createSession(db: Db, userId: number, hours: number): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  const t = new Date();
  await insertSession(db, {
    id: digest(token),
    userId,
    createdAt: t.toISOString(),
    expiresAt: new Date(t.getTime() + hours * 3600_000).toISOString(),
  });
  return token;
}

/** The signed-in user of a session, or null when it has ended: idle for `hours`, or older than `absoluteHours`. */
export async function findSessionUser(
  db: DbOrTx,
  token: string,
  hours: number,
  absoluteHours = Infinity,
): Promise<SessionUser | null> {
  const id = digest(token);
  const row = await findSessionWithUser(db, id);
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
    await extendSession(db, id, new Date(t).toISOString(), new Date(t + hours * 3600_000).toISOString());
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
        : actingDepartmentsBy(row.department_id, row.links),
    mustChangePassword: row.must_change_password === 1,
  };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await deleteSessionRow(db, digest(token));
}

/** Ends every session of a user, but the one given (the session in which they changed their password). */
export async function deleteUserSessions(db: DbOrTx, userId: number, keepToken?: string): Promise<void> {
  await deleteSessionsOfUser(db, userId, keepToken ? digest(keepToken) : undefined);
}

export async function purgeExpiredSessions(db: Db): Promise<void> {
  await deleteSessionsExpiredBy(db, now());
}
