import { z } from 'zod';
import type { AuditEntry, AuditPage } from '../../../domain/api-types.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { protectCell } from '../../../domain/report/csv.js';
import { type Actor, assertCanRead, isAdmin } from '../auth/actor.js';
import { forbidden } from '../../http/errors.js';
import { readJson } from '../../db/json.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日付を YYYY-MM-DD で入力してください');

export const auditQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  action: z.string().trim().max(40).optional(),
  actor: z.string().trim().max(64).optional(),
  /** an administrator's view: one municipality's events, or 'none' for events of no municipality (admin logins, failures of unknown IDs) */
  municipality: z.union([z.coerce.number().int().positive(), z.literal('none')]).optional(),
  /** paging: entries older than this id */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});
export type AuditQuery = z.output<typeof auditQuery>;

/** Japan time, the day starts at 00:00 JST: `from`/`to` are the dates as users read them. */
const jstStart = (date: string) => new Date(`${date}T00:00:00+09:00`).toISOString();
const jstNextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00+09:00`) + 86_400_000).toISOString();

function select(db: DbOrTx, scope: { municipalityId: number | null | 'all' }, q: AuditQuery, limit: number) {
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
  if (q.from) s = s.where('created_at', '>=', jstStart(q.from));
  if (q.to) s = s.where('created_at', '<', jstNextDay(q.to));
  if (q.action) s = s.where('action', '=', q.action);
  if (q.actor)
    s = s.where((eb) =>
      eb.or([eb('actor_login', '=', q.actor!), eb('actor_name', 'like', `%${q.actor!.replace(/[%_\\]/g, '')}%`)]),
    );
  if (q.before) s = s.where('id', '<', q.before);
  return s.execute();
}

const toDto = (r: Awaited<ReturnType<typeof select>>[number]): AuditEntry => ({
  id: r.id,
  at: r.created_at,
  municipalityId: r.municipality_id,
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id,
  actorLogin: r.actor_login,
  actorName: r.actor_name,
  ip: r.ip,
  userAgent: r.user_agent,
  detail: readJson.auditDetail(r.detail),
});

/**
 * The audit trail: a coordinator reads their municipality's events; a system administrator reads
 * every event, including logins and failures that belong to no municipality. Newest first, a page
 * at a time (`before`), filtered by dates (JST), action and actor.
 */
export async function listAudit(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number | null,
  q: AuditQuery,
): Promise<AuditPage> {
  const scope = auditScope(actor, municipalityId, q);
  const rows = await select(ctx.db, scope, q, q.limit + 1);
  const page = rows.slice(0, q.limit).map(toDto);
  return { entries: page, next: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

function auditScope(
  actor: Actor,
  municipalityId: number | null,
  q: AuditQuery,
): { municipalityId: number | null | 'all' } {
  if (municipalityId !== null) {
    assertCanRead(actor, municipalityId);
    if (!isAdmin(actor) && actor.user.role !== 'coordinator')
      throw forbidden('監査記録は計画所管課の担当者またはシステム管理者のみ閲覧できます');
    return { municipalityId };
  }
  if (!isAdmin(actor)) throw forbidden('全体の監査記録はシステム管理者のみ閲覧できます');
  return { municipalityId: q.municipality === undefined ? 'all' : q.municipality === 'none' ? null : q.municipality };
}

export const AUDIT_EXPORT_LIMIT = 50_000;

/** The same entries as CSV (UTF-8 with BOM), up to 50,000 rows; formula starts defused. */
export async function exportAudit(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number | null,
  q: AuditQuery,
): Promise<Buffer> {
  const scope = auditScope(actor, municipalityId, q);
  const rows = (await select(ctx.db, scope, q, AUDIT_EXPORT_LIMIT)).map(toDto);
  const cell = (v: unknown) => {
    const text = protectCell(typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v));
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [
    ['ID', '日時', '自治体ID', '操作', '対象', '対象ID', 'ログインID', '氏名', 'アドレス', 'ブラウザ', '内容'].join(
      ',',
    ),
    ...rows.map((r) =>
      [
        r.id,
        r.at,
        r.municipalityId ?? '',
        r.action,
        r.entity,
        r.entityId ?? '',
        r.actorLogin,
        r.actorName,
        r.ip,
        r.userAgent,
        r.detail,
      ]
        .map((v) => (typeof v === 'number' ? String(v) : cell(v)))
        .join(','),
    ),
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}
