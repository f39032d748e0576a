import type { Db, Dialect } from '../../db/types.js';
import { AppError } from '../../http/errors.js';
import { deleteFailureCounter, findFailureCounter, findLocks, saveFailureCounter } from './auth.repository.js';

/**
 * Failed logins, counted in the database so that every app process and a restart see the same
 * counts. Two counters: per account (the normalised login ID, whether or not it exists, so the
 * answer reveals nothing) and per client address. Only failures count.
 *
 * - An account is locked after `perAccount` failures in a row, for 1 minute, doubling with each
 *   further failure up to 1 hour; a successful login clears its counter.
 * - An address is locked for the rest of a 15-minute window after `perAddress` failures in it (an
 *   office behind one proxy shares an address, so this limit is ten times the account's).
 */

export interface ThrottleLimits {
  perAccount: number;
  perAddress: number;
}

const WINDOW_MS = 15 * 60_000;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;

const accountKey = (loginId: string) => `a:${loginId}`;
const addressKey = (ip: string) => `ip:${ip}`;

function refusal(lockedUntil: number, now: number): AppError {
  const minutes = Math.max(1, Math.ceil((lockedUntil - now) / 60_000));
  return new AppError(
    'RATE_LIMITED',
    `ログインの失敗が続いたため、しばらくログインできません。${minutes}分後にもう一度お試しください`,
    undefined,
    { retryAfter: Math.ceil((lockedUntil - now) / 1000) },
  );
}

/** Refuses (429) before any password is checked while the account or the address is locked. */
export async function assertNotLocked(db: Db, loginId: string, ip: string, now = Date.now()): Promise<void> {
  const rows = await findLocks(db, [accountKey(loginId), addressKey(ip)]);
  const until = Math.max(0, ...rows.map((r) => (r.locked_until ? Date.parse(r.locked_until) : 0)));
  if (until > now) throw refusal(until, now);
}

/** Counts a failure; answers whether the account or address is now locked (and until when). */
export async function recordFailure(
  db: Db,
  dialect: Dialect,
  loginId: string,
  ip: string,
  limits: ThrottleLimits,
  now = Date.now(),
): Promise<{ lockedUntil: number | null }> {
  return db.transaction().execute(async (tx) => {
    let lockedUntil: number | null = null;
    for (const [key, kind] of [
      [accountKey(loginId), 'account'],
      [addressKey(ip), 'address'],
    ] as const) {
      // Several processes count the same key: PostgreSQL locks the row for this transaction.
      const row = await findFailureCounter(tx, key, dialect === 'postgres');
      const windowOpen =
        row !== undefined && (kind === 'account' || now - Date.parse(row.window_started_at) < WINDOW_MS);
      const failures = windowOpen ? row.failures + 1 : 1;
      const windowStart = windowOpen ? row.window_started_at : new Date(now).toISOString();
      let until: number | null = null;
      if (kind === 'account' && failures >= limits.perAccount)
        until = now + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - limits.perAccount));
      if (kind === 'address' && failures >= limits.perAddress) until = Date.parse(windowStart) + WINDOW_MS;
      const values = {
        failures,
        window_started_at: windowStart,
        locked_until: until === null ? null : new Date(until).toISOString(),
        updated_at: new Date(now).toISOString(),
      };
      await saveFailureCounter(tx, key, values);
      if (until !== null) lockedUntil = Math.max(lockedUntil ?? 0, until);
    }
    return { lockedUntil };
  });
}

export async function clearAccount(db: Db, loginId: string): Promise<void> {
  await deleteFailureCounter(db, accountKey(loginId));
}
