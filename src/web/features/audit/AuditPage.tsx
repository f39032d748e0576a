import { useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { usePageTitle } from '../../lib/hooks.js';
import type { AuditEntry, AuditPage as AuditPageData, Municipality } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { AUDIT_ACTION_LABELS, auditActionLabel, auditEntityLabel } from '../../../domain/audit-labels.js';
import { ROLE_LABELS, type Role } from '../../../domain/roles.js';
import './audit.css';

const PAGE_SIZE = 50;
/** Refusals stand out in the list. */
const FAILURES = new Set(['login_failed', 'lockout', 'password_change_failed']);
const FILTERS = ['from', 'to', 'action', 'actor', 'municipality'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

const jst = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
/** 2026/12/06 09:15, in Japan time whatever the browser's zone. */
export const jstDateTime = (iso: string): string => jst.format(new Date(iso));

/** The browser and system of a user agent in a few words (Chrome 131 / Windows); the whole string is under 詳細. */
export function shortAgent(ua: string): string {
  if (!ua) return '—';
  const browsers: [RegExp, string][] = [
    [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
    [/Firefox\/(\d+)/, 'Firefox'],
    [/Chrome\/(\d+)/, 'Chrome'],
    [/Version\/(\d+)[^ ]* .*Safari\//, 'Safari'],
  ];
  const found = browsers.map(([re, name]) => [re.exec(ua), name] as const).find(([m]) => m);
  const browser = found ? `${found[1]} ${found[0]![1]}` : /Trident\/|MSIE /.test(ua) ? 'Internet Explorer' : '';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Mac OS X/.test(ua)
        ? 'macOS'
        : /Android/.test(ua)
          ? 'Android'
          : /Linux|X11/.test(ua)
            ? 'Linux'
            : '';
  if (browser) return os ? `${browser} / ${os}` : browser;
  return ua.length > 24 ? `${ua.slice(0, 24)}…` : ua;
}

const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const roleLabel = (r: unknown) => (typeof r === 'string' && r in ROLE_LABELS ? ROLE_LABELS[r as Role] : String(r));

/** A line that says what the entry's detail means, for the events read most; the rest show their data. */
function summarize(e: AuditEntry): string {
  const d = record(e.detail);
  if (e.action === 'lockout' && typeof d.until === 'string') return `${jstDateTime(d.until)}まで停止`;
  if (e.action === 'permission_change') {
    const before = record(d.before);
    const after = record(d.after);
    const parts: string[] = [];
    if (before.role !== after.role) parts.push(`役割: ${roleLabel(before.role)} → ${roleLabel(after.role)}`);
    if (before.active !== after.active) parts.push(after.active ? '有効にした' : '無効にした');
    if (before.departmentId !== after.departmentId) parts.push('所属課の変更');
    if (parts.length) return parts.join('、');
  }
  if (e.entity === 'audit_log' && e.action === 'export') return '監査記録のCSV';
  for (const key of ['loginName', 'title', 'name', 'displayName', 'reason', 'message', 'body'] as const) {
    const v = d[key];
    if (typeof v === 'string' && v) return v.length > 40 ? `${v.slice(0, 40)}…` : v;
  }
  return '内容';
}

function EntryDetail({ entry }: { entry: AuditEntry }) {
  const empty = Object.keys(record(entry.detail)).length === 0 && !Array.isArray(entry.detail);
  return (
    <details className="audit-detail">
      <summary>{empty ? 'ブラウザ情報' : summarize(entry)}</summary>
      {!empty && <pre>{JSON.stringify(entry.detail, null, 2)}</pre>}
      <p className="audit-agent">
        <span className="muted">ブラウザ: </span>
        {entry.userAgent || '（記録なし）'}
      </p>
    </details>
  );
}

function readFilters(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Filters;
}

function query(filters: Filters): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of FILTERS) if (filters[k].trim()) q.set(k, filters[k].trim());
  return q;
}

/** The filters as applied (in the address) and as being typed, with the check of the date range. */
function useAuditFilters() {
  const [params, setParams] = useSearchParams();
  const applied = readFilters(params);
  const [draft, setDraft] = useState<Filters>(applied);
  const [rangeError, setRangeError] = useState('');
  const set = (k: keyof Filters) => (value: string) => setDraft((d) => ({ ...d, [k]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setRangeError('終わりの日は始めの日と同じか、それより後にしてください');
      return;
    }
    setRangeError('');
    setParams(query(draft), { replace: false });
  };
  const clear = () => {
    const empty = readFilters(new URLSearchParams());
    setDraft(empty);
    setRangeError('');
    setParams(new URLSearchParams());
  };
  return { applied, draft, rangeError, set, submit, clear };
}

/** The entries, newest first, a page at a time. */
function useAuditList(base: string, qs: URLSearchParams) {
  return useInfiniteQuery({
    queryKey: ['audit', base, qs.toString()],
    // the first page starts at the newest entry; the next ones before the id the last page gave
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams(qs);
      q.set('limit', String(PAGE_SIZE));
      if (pageParam !== null) q.set('before', String(pageParam));
      return api.get<AuditPageData>(`${base}?${q}`);
    },
    getNextPageParam: (last) => last.next,
  });
}

/**
 * The audit trail: a coordinator's municipality (/m/:mid/audit), or every event for a system
 * administrator (/admin/audit, with a municipality filter). Filters live in the address, so a
 * reload or a shared link shows the same list; the CSV download takes the same filters.
 */
export function AuditPage() {
  const { mid } = useParams();
  const system = mid === undefined;
  usePageTitle(system ? '監査記録（全体）' : '監査記録');
  const base = system ? '/api/audit' : `/api/m/${mid}/audit`;
  const filters = useAuditFilters();
  const municipalities = useQuery({
    queryKey: ['municipalities'],
    queryFn: () => api.get<{ municipalities: Municipality[] }>('/api/municipalities').then((r) => r.municipalities),
    enabled: system,
  });
  const qs = query(system ? filters.applied : { ...filters.applied, municipality: '' });
  const list = useAuditList(base, qs);
  const entries = list.data?.pages.flatMap((p) => p.entries) ?? [];
  const hasMore = list.hasNextPage;
  const csv = new URLSearchParams(qs);
  csv.set('format', 'csv');
  const err = list.error instanceof ApiError ? list.error : null;

  return (
    <section className="audit-page">
      <h1>{system ? '監査記録（全体）' : '監査記録'}</h1>
      <p className="audit-lead">
        {system
          ? 'すべての自治体と、自治体に属さない操作（システム管理者、存在しないIDでのログイン失敗など）の記録です。'
          : 'この自治体の利用者のログインや操作の記録です。'}
        新しいものから順に表示します。日時は日本時間です。
      </p>
      <AuditFiltersForm
        filters={filters}
        rangeMessage={filters.rangeError || err?.fieldError('from') || err?.fieldError('to')}
        municipalities={system ? (municipalities.data ?? []) : null}
      />
      <div className="audit-toolbar">
        <p role="status" aria-live="polite" className="audit-count">
          {list.isPending
            ? '読み込み中…'
            : list.isError
              ? ''
              : entries.length === 0
                ? '条件に合う記録はありません'
                : `${entries.length}件を表示${hasMore ? '（続きがあります）' : ''}`}
        </p>
        <a className="button secondary small" href={`${base}?${csv}`} download>
          この条件でCSVをダウンロード
        </a>
      </div>
      <ErrorAlert error={list.error} />
      {entries.length > 0 && (
        <AuditTable entries={entries} municipalities={system ? (municipalities.data ?? []) : null} />
      )}
      {hasMore && (
        <button
          type="button"
          className="button secondary"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {list.isFetchingNextPage ? '読み込み中…' : 'さらに表示'}
        </button>
      )}
    </section>
  );
}

function AuditFiltersForm({
  filters: { draft, set, submit, clear },
  rangeMessage,
  municipalities,
}: {
  filters: ReturnType<typeof useAuditFilters>;
  rangeMessage: string | undefined;
  /** the municipalities to filter by, for a system administrator; null in a municipality */
  municipalities: Municipality[] | null;
}) {
  return (
    <form className="audit-filters panel" onSubmit={submit} aria-label="絞り込み" noValidate>
      <DateRange from={draft.from} to={draft.to} message={rangeMessage} set={set} />
      <div className="audit-filter">
        <label htmlFor="audit-action">操作</label>
        <select id="audit-action" value={draft.action} onChange={(e) => set('action')(e.target.value)}>
          <option value="">すべての操作</option>
          {Object.entries(AUDIT_ACTION_LABELS).map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="audit-filter">
        <label htmlFor="audit-actor">利用者</label>
        <input
          id="audit-actor"
          type="search"
          value={draft.actor}
          placeholder="ログインIDまたは氏名の一部"
          onChange={(e) => set('actor')(e.target.value)}
        />
      </div>
      {municipalities && (
        <div className="audit-filter">
          <label htmlFor="audit-municipality">自治体</label>
          <select
            id="audit-municipality"
            value={draft.municipality}
            onChange={(e) => set('municipality')(e.target.value)}
          >
            <option value="">すべて</option>
            <option value="none">自治体に属さない（管理者・不明なID）</option>
            {municipalities.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="audit-filter-buttons">
        <button type="submit" className="button primary">
          絞り込む
        </button>
        <button type="button" className="button secondary" onClick={clear}>
          条件をクリア
        </button>
      </div>
    </form>
  );
}

function DateRange({
  from,
  to,
  message,
  set,
}: {
  from: string;
  to: string;
  message: string | undefined;
  set(k: keyof Filters): (value: string) => void;
}) {
  return (
    <fieldset
      className={`audit-range${message ? ' has-error' : ''}`}
      aria-describedby={message ? 'audit-range-error' : undefined}
    >
      <legend>期間</legend>
      <div className="audit-range-inputs">
        <label>
          <span className="visually-hidden">期間の始め</span>
          <input
            type="date"
            value={from}
            onChange={(e) => set('from')(e.target.value)}
            aria-invalid={message ? true : undefined}
          />
        </label>
        <span aria-hidden="true">〜</span>
        <label>
          <span className="visually-hidden">期間の終わり</span>
          <input
            type="date"
            value={to}
            onChange={(e) => set('to')(e.target.value)}
            aria-invalid={message ? true : undefined}
          />
        </label>
      </div>
      {message && (
        <p className="field-error" id="audit-range-error">
          {message}
        </p>
      )}
    </fieldset>
  );
}

function AuditTable({ entries, municipalities }: { entries: AuditEntry[]; municipalities: Municipality[] | null }) {
  const system = municipalities !== null;
  const muniName = new Map((municipalities ?? []).map((m) => [m.id, m.name]));
  return (
    <table className="data-table compact audit-table">
      <caption className="visually-hidden">監査記録（新しい順）</caption>
      <thead>
        <tr>
          <th scope="col" className="col-at">
            日時
          </th>
          {system && (
            <th scope="col" className="col-muni">
              自治体
            </th>
          )}
          <th scope="col" className="col-action">
            操作
          </th>
          <th scope="col" className="col-entity">
            対象
          </th>
          <th scope="col" className="col-actor">
            利用者
          </th>
          <th scope="col" className="col-ip">
            アドレス
          </th>
          <th scope="col" className="col-agent">
            ブラウザ
          </th>
          <th scope="col">詳細</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <AuditRow key={e.id} entry={e} muniName={system ? muniName : null} />
        ))}
      </tbody>
    </table>
  );
}

function AuditRow({
  entry: e,
  muniName,
}: {
  entry: AuditEntry;
  /** the municipalities' names, for a system administrator's column of them; null without it */
  muniName: Map<number, string> | null;
}) {
  return (
    <tr>
      <td>
        <time dateTime={e.at}>{jstDateTime(e.at)}</time>
      </td>
      {muniName && (
        <td>
          {e.municipalityId === null ? (
            <span className="muted">なし</span>
          ) : (
            (muniName.get(e.municipalityId) ?? `#${e.municipalityId}`)
          )}
        </td>
      )}
      <td className={FAILURES.has(e.action) ? 'audit-failure' : undefined}>{auditActionLabel(e.action)}</td>
      <td>
        {auditEntityLabel(e.entity)}
        {e.entityId && <span className="muted"> #{e.entityId}</span>}
      </td>
      <td>
        {e.actorName ? (
          <>
            {e.actorName}
            <span className="audit-login">{e.actorLogin}</span>
          </>
        ) : (
          // No name: a login that failed (the ID that was tried) or the system itself.
          e.actorLogin || 'システム'
        )}
      </td>
      <td className="audit-ip">{e.ip || '—'}</td>
      <td>{shortAgent(e.userAgent)}</td>
      <td>
        <EntryDetail entry={e} />
      </td>
    </tr>
  );
}
