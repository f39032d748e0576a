import { z } from 'zod';
import type { AuditEntry, AuditPage } from '../../../domain/api-types.js';
import type { AppContext } from '../../context.js';
import { acrossMunicipalities } from '../../db/tenant.js';
import type { DbOrTx } from '../../db/types.js';
import {
  insertAuditRow,
  selectAuditRows,
  type AuditFilter,
  type AuditRow,
  type AuditScope,
} from './audit.repository.js';
import { protectCell } from '../../../domain/report/csv.js';
import { type Actor, assertCanReadAudit } from '../auth/index.js';
import { readJson } from '../../db/json.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '「2026-04-30」のように年-月-日で入力してください');

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

/** The query's filters as the repository reads them: dates as JST day bounds. */
const filterOf = (q: AuditQuery): AuditFilter => ({
  since: q.from ? jstStart(q.from) : undefined,
  until: q.to ? jstNextDay(q.to) : undefined,
  action: q.action,
  actor: q.actor,
  before: q.before,
});

const toDto = (r: AuditRow): AuditEntry => ({
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

/** What one audit row says happened. */
export interface AuditEvent {
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
export async function audit(db: DbOrTx, actor: Actor | RequestOrigin | null, entry: AuditEvent): Promise<void> {
  const user = actor && 'user' in actor ? actor.user : null;
  await insertAuditRow(db, {
    municipalityId: entry.municipalityId,
    userId: user?.id ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    detail: JSON.stringify(entry.detail ?? {}),
    requestId: actor?.requestId ?? null,
    actorLogin: user?.loginName ?? (actor && 'loginId' in actor ? (actor.loginId ?? '') : ''),
    actorName: user?.displayName ?? '',
    ip: (actor?.ip ?? '').slice(0, 64),
    userAgent: (actor?.userAgent ?? '').slice(0, 300),
  });
}

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
  const rows = await reach(municipalityId, () => selectAuditRows(ctx.db, scope, filterOf(q), q.limit + 1));
  const page = rows.slice(0, q.limit).map(toDto);
  return { entries: page, next: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

/**
 * A municipality's trail is read in the request's scope (its `:mid`); the administrator's trail of
 * everything (no `:mid`, checked by `auditScope` first) across municipalities.
 */
function reach<T>(municipalityId: number | null, read: () => Promise<T>): Promise<T> {
  return municipalityId === null ? acrossMunicipalities('audit-admin', read) : read();
}

function auditScope(actor: Actor, municipalityId: number | null, q: AuditQuery): AuditScope {
  assertCanReadAudit(actor, municipalityId);
  if (municipalityId !== null) return { municipalityId };
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
  const rows = await reach(municipalityId, async () => {
    const found = (await selectAuditRows(ctx.db, scope, filterOf(q), AUDIT_EXPORT_LIMIT)).map(toDto);
    // Exporting the trail is itself an event.
    await audit(ctx.db, actor, {
      municipalityId,
      action: 'export',
      entity: 'audit_log',
      detail: { filters: { ...q, format: undefined } },
    });
    return found;
  });
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
