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

/** Writes one audit row; call it inside the transaction that makes the change. */
export async function audit(db: DbOrTx, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      municipality_id: entry.municipalityId,
      user_id: actor?.user.id ?? null,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      detail: JSON.stringify(entry.detail ?? {}),
      request_id: actor?.requestId ?? null,
      created_at: now(),
    })
    .execute();
}
