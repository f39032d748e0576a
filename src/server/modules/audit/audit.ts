import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import type { Actor } from '../auth/actor.js';

export interface AuditEntry {
  municipalityId: number | null;
  action: string;
  entity: string;
  entityId?: number | string | null;
  detail?: unknown;
}

/** Where a request without a signed-in actor came from (a failed login). */
export interface RequestOrigin {
  requestId: string;
  ip?: string;
  userAgent?: string;
  /** the login ID that was tried */
  loginId?: string;
}

/**
 * Writes one audit row; call it inside the transaction that makes the change. The actor's login ID
 * and name are written as they are now, with the client address and user agent, so that renaming
 * an account later does not change who did what.
 */
export async function audit(db: DbOrTx, actor: Actor | RequestOrigin | null, entry: AuditEntry): Promise<void> {
  const user = actor && 'user' in actor ? actor.user : null;
  await db
    .insertInto('audit_log')
    .values({
      municipality_id: entry.municipalityId,
      user_id: user?.id ?? null,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      detail: JSON.stringify(entry.detail ?? {}),
      request_id: actor?.requestId ?? null,
      actor_login: user?.loginName ?? (actor && 'loginId' in actor ? (actor.loginId ?? '') : ''),
      actor_name: user?.displayName ?? '',
      ip: (actor?.ip ?? '').slice(0, 64),
      user_agent: (actor?.userAgent ?? '').slice(0, 300),
      created_at: now(),
    })
    .execute();
}
