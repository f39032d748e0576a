import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useAddressState } from '../../lib/address-state.js';
import type { AddedRecordsResponse, BoardResponse, BoardRow, MissingRecord, RoundDto } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { DeadlineBadge } from '../../components/DeadlineBadge.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { SearchBox } from '../../components/SearchBox.js';
import { PHASE_LABELS, RECORD_STATUSES, RECORD_STATUS_LABELS } from '../../../domain/cycle-terms.js';
import { formatFiscalYear } from '../../lib/dates.js';
import { daysUntil } from '../../../domain/dates.js';
import {
  BOARD_SORTS,
  BOARD_SORT_LABELS,
  boardView,
  readBoardFilters,
  takesAnswers,
  writeBoardFilters,
  type BoardFilters,
  type RowAction,
} from './board-view.js';
import './board.css';

interface RemindResult {
  sent: number;
  departmentsWithoutAddress: string[];
}

type Run = (fn: () => Promise<string>) => void;

/** An action on the round, the board read again after it, and what it said when done. */
function useBoardAction(mid: number, rid: number) {
  const client = useQueryClient();
  const [message, setMessage] = useState('');
  const action = useMutation({
    mutationFn: (fn: () => Promise<string>) => fn(),
    onSuccess: () => client.invalidateQueries({ queryKey: ['board', mid, rid] }),
  });
  /** runs a request and, once the board is read again, says what the request did */
  const run: Run = (fn) => action.mutate(fn, { onSuccess: (text) => setMessage(text) });
  return { message, error: action.error, run, busy: action.isPending };
}

export function BoardPage() {
  const mid = useMid();
  const era = useEra();
  const rid = Number(useParams().rid);
  const q = useQuery({
    queryKey: ['board', mid, rid],
    queryFn: () => api.get<BoardResponse>(`/api/m/${mid}/rounds/${rid}/board`),
  });
  usePageTitle('照会の状況');
  const { message, error, run, busy } = useBoardAction(mid, rid);
  if (q.isPending) return <p role="status">読み込み中…</p>;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const { round, rows, missing, mailConfigured } = q.data;
  return (
    <section className="board-page">
      <p className="breadcrumb">
        <Link to={`/m/${mid}/rounds`}>照会</Link> › 状況
      </p>
      <h1>
        {round.planTitle} {formatFiscalYear(round.fiscalYear, era)} {PHASE_LABELS[round.phase]}
      </h1>
      <p>
        {round.status === 'open' ? '回答受付中' : '締切'}{' '}
        <DeadlineBadge deadline={round.deadline} daysLeft={daysUntil(round.deadline)} />
      </p>
      {round.instructions && <p className="instructions">{round.instructions}</p>}
      <p role="status" aria-live="polite" className="status-message">
        {message}
      </p>
      <ErrorAlert error={error} />
      {missing.length > 0 && <MissingRecords mid={mid} rid={rid} missing={missing} busy={busy} run={run} />}
      <BoardActions mid={mid} rid={rid} round={round} mailConfigured={mailConfigured} run={run} />
      <BoardTable mid={mid} rid={rid} round={round} rows={rows} run={run} />
    </section>
  );
}

/** 「回答票のない事業があります」: the answers the open round lacks, and adding them to it. */
function MissingRecords({
  mid,
  rid,
  missing,
  busy,
  run,
}: {
  mid: number;
  rid: number;
  missing: MissingRecord[];
  busy: boolean;
  run: Run;
}) {
  const unasked = [...new Set(missing.filter((m) => !m.asked).map((m) => m.departmentName))];
  return (
    <div className="notice missing-records" role="region" aria-labelledby="missing-title">
      <h2 id="missing-title">回答票のない事業があります</h2>
      <p>
        照会を始めた後に加わった事業（または担当課）で、この照会に回答欄がありません。追加すると、各課の回答シートに「未着手」として加わります。
      </p>
      <ul>
        {missing.map((m) => (
          <li key={`${m.projectId}:${m.departmentId}`}>
            事業{m.number}「{m.name}」— {m.departmentName}
            {!m.asked && <span className="muted">（この照会の対象外の課）</span>}
          </li>
        ))}
      </ul>
      {unasked.length > 0 && <p className="hint">{unasked.join('、')}は、追加するとこの照会の照会先に加わります。</p>}
      <button
        type="button"
        className="button primary"
        disabled={busy}
        onClick={() =>
          run(() =>
            api
              .post<AddedRecordsResponse>(`/api/m/${mid}/rounds/${rid}/missing-records`)
              .then((r) =>
                r.added.length ? `${r.added.length}件の回答欄を追加しました` : '追加が必要な回答欄はありませんでした',
              ),
          )
        }
      >
        回答欄を追加する（{missing.length}件）
      </button>
    </div>
  );
}

/** Review the answers, close the round (after a question), remind the departments that have not answered. */
function BoardActions({
  mid,
  rid,
  round,
  mailConfigured,
  run,
}: {
  mid: number;
  rid: number;
  round: RoundDto;
  mailConfigured: boolean;
  run: Run;
}) {
  const [closing, setClosing] = useState(false);
  return (
    <>
      <ConfirmDialog
        open={closing}
        title="この照会を締め切ります"
        confirmLabel="締め切る"
        onCancel={() => setClosing(false)}
        onConfirm={() => {
          setClosing(false);
          run(() => api.post(`/api/m/${mid}/rounds/${rid}/close`).then(() => '締め切りました'));
        }}
      >
        <p>締め切ると、各課はこの照会に回答できなくなります。特定の課だけ再び受け付けることはできます。</p>
      </ConfirmDialog>
      <div className="button-row board-actions">
        <Link className="button primary" to={`/m/${mid}/rounds/${rid}/review`}>
          回答を確認する
        </Link>
        {round.status === 'open' && (
          <button type="button" className="button secondary" onClick={() => setClosing(true)}>
            照会を締め切る
          </button>
        )}
        <button
          type="button"
          className="button secondary"
          disabled={!mailConfigured}
          aria-describedby={mailConfigured ? undefined : 'remind-unavailable'}
          onClick={() =>
            run(() =>
              api
                .post<RemindResult>(`/api/m/${mid}/rounds/${rid}/remind`)
                .then(
                  (x) =>
                    `督促メールを${x.sent}通送りました${x.departmentsWithoutAddress.length ? `（メールアドレス未登録: ${x.departmentsWithoutAddress.join('、')}）` : ''}`,
                ),
            )
          }
        >
          未提出の課に督促メールを送る
        </button>
        {!mailConfigured && (
          <span id="remind-unavailable" className="hint remind-unavailable">
            メールの送信が設定されていないため、督促メールは送れません。システム管理者に設定を依頼してください。
          </span>
        )}
      </div>
    </>
  );
}

const STATUS_FILTERS: { value: BoardFilters['status']; label: string }[] = [
  { value: '', label: 'すべての課' },
  { value: 'action', label: '対応が必要な課' },
  ...RECORD_STATUSES.map((s) => ({ value: s, label: `${RECORD_STATUS_LABELS[s]}がある課` })),
];

/** Each department's answers by status, the rows needing action first; search, filters and order kept in the address. */
function BoardTable({
  mid,
  rid,
  round,
  rows,
  run,
}: {
  mid: number;
  rid: number;
  round: RoundDto;
  rows: BoardRow[];
  run: Run;
}) {
  const [filters, set] = useAddressState(readBoardFilters, writeBoardFilters);
  const open = round.status === 'open';
  const shown = boardView(rows, filters, daysUntil(round.deadline), open);
  return (
    <>
      <BoardToolbar filters={filters} set={set} shown={shown.length} total={rows.length} />
      <table className="data-table board">
        <caption>課別の回答状況（件数）</caption>
        <thead>
          <tr>
            <th scope="col">課</th>
            {RECORD_STATUSES.map((s) => (
              <th scope="col" key={s} className="num">
                {RECORD_STATUS_LABELS[s]}
              </th>
            ))}
            <th scope="col" className="num">
              計
            </th>
            <th scope="col">対応が必要なこと</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && (
            <tr>
              <td colSpan={RECORD_STATUSES.length + 4}>条件に当てはまる課はありません。</td>
            </tr>
          )}
          {shown.map(({ row: r, action }) => (
            <tr key={r.departmentId} className={action.rank ? `needs-action rank-${action.rank}` : undefined}>
              <th scope="row">
                <Link to={`/m/${mid}/rounds/${rid}/departments/${r.departmentId}`}>{r.name}</Link>
                {r.reopened && <span className="badge">再受付中</span>}
              </th>
              {RECORD_STATUSES.map((s) => (
                <td key={s} className="num">
                  {r.counts[s]}
                </td>
              ))}
              <td className="num">{r.total}</td>
              <td>
                <ActionLabels action={action} />
              </td>
              <td>
                <RowOperations mid={mid} rid={rid} row={r} open={open} run={run} />
              </td>
            </tr>
          ))}
        </tbody>
        <BoardTotals rows={rows} />
      </table>
    </>
  );
}

/** Search by 課, the filter by status or need, and the order. */
function BoardToolbar({
  filters,
  set,
  shown,
  total,
}: {
  filters: BoardFilters;
  set(change: Partial<BoardFilters>): void;
  shown: number;
  total: number;
}) {
  return (
    <div className="board-toolbar">
      <SearchBox
        label="課を検索"
        hint="課名"
        value={filters.q}
        onChange={(q) => set({ q })}
        shown={shown}
        total={total}
        unit="課"
      />
      <label className="board-select">
        <span>絞り込み</span>
        <select
          value={filters.status}
          // the options are the status filters
          onChange={(e) => set({ status: e.target.value as BoardFilters['status'] })}
        >
          {STATUS_FILTERS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label className="board-select">
        <span>並び順</span>
        <select
          value={filters.sort}
          // the options are the sorts
          onChange={(e) => set({ sort: e.target.value as BoardFilters['sort'] })}
        >
          {BOARD_SORTS.map((s) => (
            <option key={s} value={s}>
              {BOARD_SORT_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** 合計: every 課's answers by status, whatever is shown. */
function BoardTotals({ rows }: { rows: BoardRow[] }) {
  return (
    <tfoot>
      <tr>
        <th scope="row">合計</th>
        {RECORD_STATUSES.map((s) => (
          <td key={s} className="num">
            {rows.reduce((a, r) => a + r.counts[s], 0)}
          </td>
        ))}
        <td className="num">{rows.reduce((a, r) => a + r.total, 0)}</td>
        <td />
        <td />
      </tr>
    </tfoot>
  );
}

/** What a row needs, in words: the highlight never speaks by colour alone. */
function ActionLabels({ action }: { action: RowAction }) {
  if (action.rank === 0) return <span className="muted">—</span>;
  return (
    <ul className="action-labels">
      {action.labels.map((l) => (
        <li key={l}>
          <span className="action-mark" aria-hidden="true">
            ●
          </span>
          {l}
        </li>
      ))}
    </ul>
  );
}

/** The 課's sheet, its answers to review, and (a closed round) taking its answers again. */
function RowOperations({
  mid,
  rid,
  row: r,
  open,
  run,
}: {
  mid: number;
  rid: number;
  row: BoardRow;
  open: boolean;
  run: Run;
}) {
  return (
    <div className="row-operations">
      <Link to={`/m/${mid}/rounds/${rid}/departments/${r.departmentId}`}>回答シートを開く</Link>
      {r.counts.submitted > 0 && (
        <Link
          className="button primary small"
          to={`/m/${mid}/rounds/${rid}/review?department=${r.departmentId}&status=submitted`}
        >
          確認する（{r.counts.submitted}件）
        </Link>
      )}
      {!takesAnswers(r, open) && (
        <button
          type="button"
          className="button secondary small"
          aria-label={`${r.name}の回答を再び受け付ける`}
          onClick={() =>
            run(() =>
              api
                .post(`/api/m/${mid}/rounds/${rid}/departments/${r.departmentId}/reopen`)
                .then(() => `${r.name}の回答を再び受け付けます`),
            )
          }
        >
          再受付
        </button>
      )}
    </div>
  );
}
