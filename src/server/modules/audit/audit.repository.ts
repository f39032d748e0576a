import type { DbOrTx } from '../../db/types.js';
import { oneShape } from '../../db/shapes.js';
import { now } from '../../db/util.js';

/** One audit row as written: who acted is already resolved to login ID, name and origin. */
export type AuditRowValues = {
  municipalityId: number | null;
  userId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  detail: string;
  requestId: string | null;
  actorLogin: string;
  actorName: string;
  ip: string;
  userAgent: string;
};

const AUDIT_VALUES = [
  'municipalityId',
  'userId',
  'action',
  'entity',
  'entityId',
  'detail',
  'requestId',
  'actorLogin',
  'actorName',
  'ip',
  'userAgent',
  'createdAt',
] as const;

/** The audit row's statement, built and compiled once (db/shapes.ts): every change writes one. */
const auditRow = oneShape(AUDIT_VALUES, (db, row: AuditRowValues & { createdAt: string }) =>
  db.insertInto('audit_log').values({
    municipality_id: row.municipalityId,
    user_id: row.userId,
    action: row.action,
    entity: row.entity,
    entity_id: row.entityId,
    detail: row.detail,
    request_id: row.requestId,
    actor_login: row.actorLogin,
    actor_name: row.actorName,
    ip: row.ip,
    user_agent: row.userAgent,
    created_at: row.createdAt,
  }),
);

export async function insertAuditRow(db: DbOrTx, row: AuditRowValues): Promise<void> {
  await db.executeQuery(auditRow(db, { ...row, createdAt: now() }).compile());
}

/** Which municipality's events: one, those of none (null), or every event ('all'). */
export type AuditScope = { municipalityId: number | null | 'all' };

export interface AuditFilter {
  /** ISO timestamps: from (inclusive) and until (exclusive) */
  since?: string;
  until?: string;
  action?: string;
  actor?: string;
  /** paging: entries older than this id */
  before?: number;
}

/** Audit rows newest first, at most `limit`. */
export function selectAuditRows(db: DbOrTx, scope: AuditScope, f: AuditFilter, limit: number) {
  let s = db
    .selectFrom('audit_log')
    .select([
      'id',
      'created_at',
      'municipality_id',
      'action',
      'entity',
      'entity_id',
      'actor_login',
      'actor_name',
      'ip',
      'user_agent',
      'detail',
    ])
    .orderBy('id', 'desc')
    .limit(limit);
  if (scope.municipalityId === null) s = s.where('municipality_id', 'is', null);
  else if (scope.municipalityId !== 'all') s = s.where('municipality_id', '=', scope.municipalityId);
  if (f.since) s = s.where('created_at', '>=', f.since);
  if (f.until) s = s.where('created_at', '<', f.until);
  if (f.action) s = s.where('action', '=', f.action);
  const actor = f.actor;
  if (actor)
    s = s.where((eb) =>
      eb.or([eb('actor_login', '=', actor), eb('actor_name', 'like', `%${actor.replace(/[%_\\]/g, '')}%`)]),
    );
  if (f.before) s = s.where('id', '<', f.before);
  return s.execute();
}

export type AuditRow = Awaited<ReturnType<typeof selectAuditRows>>[number];
