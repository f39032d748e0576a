import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { oneShape } from '../../db/shapes.js';

// ---- accounts as signing in sees them

export function findUserByLogin(db: DbOrTx, loginName: string) {
  return db.selectFrom('users').selectAll().where('login_name', '=', loginName).executeTakeFirst();
}

export function findCredentials(db: DbOrTx, userId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'login_name', 'display_name', 'password_hash', 'municipality_id'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}

/** A password the user chose themselves: no longer one that must be changed. */
export async function setOwnPassword(db: DbOrTx, userId: number, hash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, must_change_password: 0, password_changed_at: now(), updated_at: now() })
    .where('id', '=', userId)
    .execute();
}

// ---- sessions, keyed by the digest of their token

export async function insertSession(
  db: DbOrTx,
  row: { id: string; userId: number; createdAt: string; expiresAt: string },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: row.id,
      user_id: row.userId,
      created_at: row.createdAt,
      last_seen_at: row.createdAt,
      expires_at: row.expiresAt,
    })
    .execute();
}

/**
 * A session with its user and, beside them, the applied reorganisation links of the user's municipality
 * (one row per link; one row with empty links when there are none): every request reads this, in one
 * statement, built and compiled once (db/shapes.ts).
 */
const sessionWithUser = oneShape(['id'], (db, { id }: { id: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    // The user's municipality's links, by its index; a link of a change not applied comes with no change.
    .leftJoin('department_change_links as links', 'links.municipality_id', 'users.municipality_id')
    .leftJoin('department_changes as c', (join) =>
      join.onRef('c.id', '=', 'links.change_id').on('c.status', '=', 'applied'),
    )
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
      'links.from_department_id',
      'links.to_department_id',
      'c.id as applied_change_id',
    ])
    .where('sessions.id', '=', id),
);

export async function findSessionWithUser(db: DbOrTx, id: string) {
  const { rows } = await db.executeQuery(sessionWithUser(db, { id }).compile());
  const first = rows[0];
  if (!first) return undefined;
  const links = rows.flatMap((r) =>
    r.applied_change_id === null || r.from_department_id === null || r.to_department_id === null
      ? []
      : [{ from_department_id: r.from_department_id, to_department_id: r.to_department_id }],
  );
  const { applied_change_id: _change, from_department_id: _from, to_department_id: _to, ...session } = first;
  return { ...session, links };
}

export async function extendSession(db: DbOrTx, id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

export async function deleteSessionRow(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Every session of a user but the one whose id is `keepId`. */
export async function deleteSessionsOfUser(db: DbOrTx, userId: number, keepId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId) q = q.where('id', '!=', keepId);
  await q.execute();
}

export async function deleteSessionsExpiredBy(db: DbOrTx, time: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', time).execute();
}

// ---- failed logins, per account and per address

export function findLocks(db: DbOrTx, keys: string[]) {
  return db.selectFrom('login_failures').select(['key', 'locked_until']).where('key', 'in', keys).execute();
}

/** A counter row; `lock` takes PostgreSQL's row lock for the rest of the transaction. */
export function findFailureCounter(db: DbOrTx, key: string, lock: boolean) {
  return db
    .selectFrom('login_failures')
    .selectAll()
    .where('key', '=', key)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst();
}

export async function saveFailureCounter(
  db: DbOrTx,
  key: string,
  values: { failures: number; window_started_at: string; locked_until: string | null; updated_at: string },
): Promise<void> {
  await db
    .insertInto('login_failures')
    .values({ key, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
}

export async function deleteFailureCounter(db: DbOrTx, key: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', key).execute();
}
