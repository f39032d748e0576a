import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import type { ReviewResult, ReviewRow, ReviewTable } from '../../lib/types.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { PHASE_LABELS, RECORD_STATUSES, RECORD_STATUS_LABELS } from '../../../domain/cycle-terms.js';
import { fiscalYearLabel } from '../../../domain/fiscal-year.js';
import { gradeText, ReviewDetail, type ReviewAction } from './ReviewDetail.js';
import { matches, NO_GRADE, readFilters, writeFilters, type ReviewFilters } from './review-filters.js';
import './review.css';

type Pick = { id: number; version: number };
type Column = 'select' | 'open';

const ACTION_WORDS = { approve: '確定', return: '差戻' } as const;
const UNDO_WORDS = { approve: '確定', return: '差戻し' } as const;

const shortTime = (iso: string) =>
  new Date(iso).toLocaleString('ja-JP', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** 「人権推進課 2件、学校教育課 1件」 */
function byDepartment(rows: ReviewRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.departmentName, (counts.get(r.departmentName) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name} ${n}件`).join('、');
}

interface Done {
  text: string;
  /** set while the action can still be undone */
  review: ReviewResult | null;
  /** when it happened, to bring the focus to it once */
  at: number;
}

/**
 * The coordinator's review of one survey round: every record in one compact table with filters kept
 * in the address, a read-only detail beside it, and approve / return for many records at once with
 * a short while to undo.
 */
export function ReviewPage() {
  const mid = useMid();
  const era = useEra();
  const rid = Number(useParams().rid);
  const client = useQueryClient();
  usePageTitle('回答の確認');
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const key = useMemo(() => ['review', mid, rid], [mid, rid]);
  const q = useQuery({ queryKey: key, queryFn: () => api.get<ReviewTable>(`/api/m/${mid}/rounds/${rid}/review`) });

  const [selected, setSelected] = useState<Map<number, number>>(new Map());
  const [openId, setOpenId] = useState<number | null>(() => Number(params.get('record')) || null);
  const [focusId, setFocusId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [asking, setAsking] = useState<'approve' | 'return' | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const controls = useRef(new Map<string, HTMLElement>());
  const workRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();

  const rows = useMemo(() => q.data?.rows ?? [], [q.data]);
  const visible = useMemo(() => rows.filter((r) => matches(r, filters)), [rows, filters]);
  const selectedRows = visible.filter((r) => selected.has(r.recordId));
  const openRow = rows.find((r) => r.recordId === openId) ?? null;
  const activeId = visible.some((r) => r.recordId === focusId) ? focusId : (visible[0]?.recordId ?? null);

  // A record that changed since it was selected is no longer selected: it has to be looked at again.
  useEffect(() => {
    setSelected((prev) => {
      const next = new Map(
        [...prev].filter(([id, version]) => rows.some((r) => r.recordId === id && r.version === version)),
      );
      return next.size === prev.size ? prev : next;
    });
  }, [rows]);

  const doneAt = done?.at;
  // After an action the focus goes to its outcome (the button that started it may be gone).
  useEffect(() => {
    if (doneAt) doneRef.current?.focus();
  }, [doneAt]);

  // The undo button stays while the server still accepts the undo.
  const undoUntil = done?.review?.undoUntil;
  useEffect(() => {
    if (!undoUntil) return;
    const t = window.setTimeout(
      () => setDone((d) => (d ? { ...d, review: null } : d)),
      Math.max(0, Date.parse(undoUntil) - Date.now()),
    );
    return () => window.clearTimeout(t);
  }, [undoUntil]);

  // The table and the detail fill the rest of the window: the table scrolls inside, the detail stays in view.
  useLayoutEffect(() => {
    const el = workRef.current;
    if (!el) return;
    const place = () =>
      el.style.setProperty('--review-top', `${Math.round(el.getBoundingClientRect().top + window.scrollY)}px`);
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  });

  const setFilters = (change: Partial<ReviewFilters>) =>
    setParams((p) => writeFilters(p, { ...readFilters(p), ...change }), { replace: true });

  const openDetail = (id: number) => {
    setOpenId(id);
    setFocusId(id);
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('record', String(id));
        return next;
      },
      { replace: true },
    );
  };

  const reload = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: key }),
      client.invalidateQueries({ queryKey: ['history', mid] }),
      client.invalidateQueries({ queryKey: ['board', mid, rid] }),
    ]);

  /**
   * Sends an approval or return. A missing reason comes back as an ApiError for the caller to show
   * beside its field; every other failure is shown above the table (and a conflict reloads it).
   */
  const act: ReviewAction = async (action, picks, message) => {
    setError(null);
    setBusy(true);
    try {
      const result = await api.post<ReviewResult>(`/api/m/${mid}/rounds/${rid}/review`, {
        action,
        records: picks,
        message,
      });
      setDone({ text: `${result.records.length}件を${ACTION_WORDS[action]}しました`, review: result, at: Date.now() });
      setSelected(new Map());
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.fieldError('message')) throw e;
      setError(e);
      return false;
    } finally {
      setBusy(false);
      await reload();
    }
  };

  const undo = async (review: ReviewResult) => {
    setError(null);
    setBusy(true);
    try {
      const r = await api.post<{ records: Pick[] }>(`/api/m/${mid}/rounds/${rid}/review/undo`, {
        action: review.action,
        records: review.records,
      });
      setDone({
        text: `${r.records.length}件の${UNDO_WORDS[review.action]}を取り消し、提出済に戻しました`,
        review: null,
        at: Date.now(),
      });
    } catch (e) {
      setError(e);
      setDone((d) => (d ? { ...d, review: null } : d));
    } finally {
      setBusy(false);
      await reload();
    }
  };

  const picks = (list: ReviewRow[]): Pick[] =>
    list.map((r) => ({ id: r.recordId, version: selected.get(r.recordId) ?? r.version }));

  const confirmApprove = async () => {
    setAsking(null);
    await act('approve', picks(selectedRows));
  };
  const confirmReturn = async () => {
    if (!reason.trim()) {
      setReasonError('差戻しの理由を入力してください');
      reasonRef.current?.focus();
      return;
    }
    try {
      if (await act('return', picks(selectedRows), reason.trim())) setReason('');
      setAsking(null);
    } catch (e) {
      setReasonError(e instanceof ApiError ? (e.fieldError('message') ?? e.message) : String(e));
      reasonRef.current?.focus();
    }
  };

  const toggle = (row: ReviewRow, on: boolean) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (on) next.set(row.recordId, row.version);
      else next.delete(row.recordId);
      return next;
    });

  const selectVisibleSubmitted = () =>
    setSelected((prev) => {
      const next = new Map(prev);
      for (const r of visible) if (r.status === 'submitted') next.set(r.recordId, r.version);
      return next;
    });

  const onRowKey = (e: KeyboardEvent<HTMLElement>, row: ReviewRow, column: Column) => {
    const i = visible.findIndex((r) => r.recordId === row.recordId);
    const to =
      e.key === 'ArrowDown'
        ? i + 1
        : e.key === 'ArrowUp'
          ? i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? visible.length - 1
              : null;
    if (to !== null) {
      e.preventDefault();
      const target = visible[Math.max(0, Math.min(visible.length - 1, to))];
      if (!target) return;
      setFocusId(target.recordId);
      controls.current.get(`${target.recordId}:${column}`)?.focus();
      return;
    }
    if (e.key === 'Enter' && column === 'select') {
      e.preventDefault();
      openDetail(row.recordId);
    }
  };
  const control = (row: ReviewRow, column: Column) => ({
    ref: (el: HTMLElement | null) => {
      if (el) controls.current.set(`${row.recordId}:${column}`, el);
      else controls.current.delete(`${row.recordId}:${column}`);
    },
    tabIndex: row.recordId === activeId ? 0 : -1,
    onFocus: () => setFocusId(row.recordId),
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => onRowKey(e, row, column),
  });

  if (q.isPending) return <p role="status">読み込み中…</p>;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const { round, gradeOptions } = q.data;
  const departments = round.departments;
  const notApprovable = selectedRows.filter((r) => r.status !== 'submitted').length;
  const notReturnable = selectedRows.filter((r) => r.status !== 'submitted' && r.status !== 'approved').length;
  const visibleSubmitted = visible.filter((r) => r.status === 'submitted').length;
  const n = selectedRows.length;

  return (
    <section className="review-page" aria-labelledby="review-title">
      <p className="breadcrumb">
        <Link to={`/m/${mid}/rounds`}>照会</Link> › <Link to={`/m/${mid}/rounds/${rid}`}>状況</Link> › 回答の確認
      </p>
      <h1 id="review-title">
        回答の確認
        <span className="subtitle">
          {round.planTitle} {fiscalYearLabel(round.fiscalYear, era)} {PHASE_LABELS[round.phase]}
        </span>
      </h1>

      <form className="review-filters" role="search" aria-label="回答の絞り込み" onSubmit={(e) => e.preventDefault()}>
        <Field label="状態">
          {(p) => (
            <select
              {...p}
              value={filters.status}
              onChange={(e) => setFilters({ status: e.target.value as ReviewFilters['status'] })}
            >
              <option value="">すべて</option>
              {RECORD_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {RECORD_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="課">
          {(p) => (
            <select
              {...p}
              value={filters.department ?? ''}
              onChange={(e) => setFilters({ department: Number(e.target.value) || null })}
            >
              <option value="">すべて</option>
              {departments.map((d) => (
                <option key={d.departmentId} value={d.departmentId}>
                  {d.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="評価">
          {(p) => (
            <select {...p} value={filters.grade} onChange={(e) => setFilters({ grade: e.target.value })}>
              <option value="">すべて</option>
              {gradeOptions.map((g) => (
                <option key={g.code} value={g.code}>
                  {gradeText(g.code, gradeOptions)}
                </option>
              ))}
              <option value={NO_GRADE}>未評価</option>
            </select>
          )}
        </Field>
        <Field label="事業名・番号">
          {(p) => (
            <input
              {...p}
              type="search"
              size={16}
              value={filters.q}
              onChange={(e) => setFilters({ q: e.target.value })}
            />
          )}
        </Field>
        <label className="inline-check review-commented">
          <input
            type="checkbox"
            checked={filters.commented}
            onChange={(e) => setFilters({ commented: e.target.checked })}
          />
          コメントあり
        </label>
        <p className="review-count" aria-live="polite">
          {rows.length}件中 {visible.length}件を表示
        </p>
      </form>

      <div className="review-bar">
        <span className="review-selected">{n}件を選択中</span>
        <button
          type="button"
          className="button primary small"
          disabled={busy || n === 0 || notApprovable > 0}
          onClick={() => setAsking('approve')}
        >
          選択した{n}件を確定する
        </button>
        <button
          type="button"
          className="button danger small"
          disabled={busy || n === 0 || notReturnable > 0}
          onClick={() => {
            setReasonError(undefined);
            setAsking('return');
          }}
        >
          選択した{n}件を差戻す
        </button>
        <button
          type="button"
          className="button secondary small"
          disabled={visibleSubmitted === 0}
          onClick={selectVisibleSubmitted}
        >
          表示中の提出済をすべて選択（{visibleSubmitted}件）
        </button>
        <button
          type="button"
          className="button secondary small"
          disabled={selected.size === 0}
          onClick={() => setSelected(new Map())}
        >
          選択を解除
        </button>
        {(notApprovable > 0 || notReturnable > 0) && (
          <span className="review-note">
            {notReturnable > 0
              ? '確定・差戻しできるのは提出済（差戻しは確定済も）の回答です'
              : '確定できるのは提出済の回答だけです'}
          </span>
        )}
      </div>
      {done && (
        <div className="review-done" ref={doneRef} tabIndex={-1}>
          <p role="status">{done.text}</p>
          {done.review && (
            <button
              type="button"
              className="button secondary small"
              disabled={busy}
              onClick={() => void undo(done.review!)}
            >
              元に戻す
            </button>
          )}
          {done.review && <span className="muted">（{shortTime(done.review.undoUntil)}まで）</span>}
        </div>
      )}
      <ErrorAlert error={error} />

      <div className="review-work" ref={workRef}>
        <div className="review-table-scroll">
          <table className="data-table compact review-table" aria-describedby={hintId}>
            <caption className="visually-hidden">提出された回答の一覧</caption>
            <thead>
              <tr>
                <th scope="col" className="c-select">
                  <span className="visually-hidden">選択</span>
                </th>
                <th scope="col">事業</th>
                <th scope="col">課</th>
                <th scope="col">状態</th>
                <th scope="col">評価</th>
                <th scope="col">前回提出からの変更</th>
                <th scope="col" className="num">
                  コメント
                </th>
                <th scope="col">更新</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((r) => (
                <tr key={r.recordId} className={r.recordId === openId ? 'is-open' : undefined}>
                  <td className="c-select">
                    <input
                      type="checkbox"
                      aria-label={`事業${r.projectNumber} ${r.projectName}（${r.departmentName}）を選択`}
                      checked={selected.has(r.recordId)}
                      onChange={(e) => toggle(r, e.target.checked)}
                      {...control(r, 'select')}
                    />
                  </td>
                  <th scope="row" className="c-project">
                    <button
                      type="button"
                      className="link-button review-open"
                      aria-current={r.recordId === openId ? 'true' : undefined}
                      onClick={() => openDetail(r.recordId)}
                      {...control(r, 'open')}
                    >
                      <span className="project-number">{r.projectNumber}</span> {r.projectName}
                    </button>
                    {r.path && (
                      <span className="review-path" title={r.path}>
                        {r.path}
                      </span>
                    )}
                  </th>
                  <td className="c-dept">{r.departmentName}</td>
                  <td>
                    <span className={`status-badge status-${r.status}`}>{RECORD_STATUS_LABELS[r.status]}</span>
                  </td>
                  <td className="c-grade">
                    {r.grades.length === 0 ? (
                      <span className="muted">未評価</span>
                    ) : (
                      r.grades.map((g, i) => (
                        <span key={i} className="grade" title={gradeText(g, gradeOptions)}>
                          <span aria-hidden="true">{g}</span>
                          <span className="visually-hidden">{gradeText(g, gradeOptions)}</span>
                        </span>
                      ))
                    )}
                  </td>
                  <td>
                    <ChangedCell row={r} />
                  </td>
                  <td className="num">{r.comments}</td>
                  <td className="c-updated">
                    {shortTime(r.updatedAt)}
                    {r.updatedByName && <span className="review-path review-updated-by">{r.updatedByName}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {visible.length === 0 && <p className="review-empty">条件に合う回答はありません。</p>}
          <p id={hintId} className="hint review-hint">
            ↑↓キーで行を移動し、Enterキーで詳細を表示します。スペースキーで選択します。
          </p>
        </div>
        <aside className="review-detail" aria-label="回答の詳細" tabIndex={0}>
          {openRow ? (
            <ReviewDetail mid={mid} rid={rid} row={openRow} gradeOptions={gradeOptions} busy={busy} act={act} />
          ) : (
            <p className="muted">表の事業名を選ぶと、ここに回答の内容と前回提出からの変更が表示されます。</p>
          )}
        </aside>
      </div>

      <ConfirmDialog
        open={asking === 'approve'}
        title={`${n}件の回答を確定します`}
        confirmLabel={`${n}件を確定する`}
        busy={busy}
        onCancel={() => setAsking(null)}
        onConfirm={() => void confirmApprove()}
      >
        <p>対象: {byDepartment(selectedRows)}</p>
        <SelectionList rows={selectedRows} />
        <p>確定した回答は報告・公表の対象になります。確定後しばらくは「元に戻す」で取り消せます。</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === 'return'}
        title={`${n}件の回答を差戻します`}
        confirmLabel={`${n}件を差戻す`}
        danger
        busy={busy}
        onCancel={() => setAsking(null)}
        onConfirm={() => void confirmReturn()}
      >
        <p>対象: {byDepartment(selectedRows)}</p>
        <SelectionList rows={selectedRows} />
        <Field
          label="差戻しの理由"
          required
          hint="選んだ回答のそれぞれにコメントとして残り、各課に表示されます。"
          error={reasonError}
        >
          {(p) => (
            <textarea
              {...p}
              ref={reasonRef}
              rows={3}
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                if (e.target.value.trim()) setReasonError(undefined);
              }}
            />
          )}
        </Field>
      </ConfirmDialog>
    </section>
  );
}

function ChangedCell({ row }: { row: ReviewRow }) {
  const changed = row.changedSinceLastSubmission;
  if (changed === null)
    return row.submittedAt ? <span className="muted">初回提出</span> : <span className="muted">未提出</span>;
  if (changed.length === 0) return <span className="review-unchanged">変更なし</span>;
  return <span className="review-changed">{changed.join('、')}</span>;
}

/** The chosen records by name, up to a handful, so that the question says what it acts on. */
function SelectionList({ rows }: { rows: ReviewRow[] }) {
  const shown = rows.slice(0, 8);
  return (
    <ul className="review-selection">
      {shown.map((r) => (
        <li key={r.recordId}>
          事業{r.projectNumber} {r.projectName}（{r.departmentName}）
        </li>
      ))}
      {rows.length > shown.length && <li>ほか{rows.length - shown.length}件</li>}
    </ul>
  );
}
