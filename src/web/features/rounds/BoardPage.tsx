import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import type { BoardRow, RoundDto } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { DeadlineBadge } from '../../components/DeadlineBadge.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { PHASE_LABELS, RECORD_STATUSES, RECORD_STATUS_LABELS } from '../../../domain/cycle-terms.js';
import { fiscalYearLabel } from '../../../domain/fiscal-year.js';
import { daysUntil } from '../../../domain/dates.js';

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
  return { message, error: action.error, run };
}

export function BoardPage() {
  const mid = useMid();
  const era = useEra();
  const rid = Number(useParams().rid);
  const q = useQuery({
    queryKey: ['board', mid, rid],
    queryFn: () => api.get<{ round: RoundDto; rows: BoardRow[] }>(`/api/m/${mid}/rounds/${rid}/board`),
  });
  usePageTitle('照会の状況');
  const { message, error, run } = useBoardAction(mid, rid);
  if (q.isPending) return <p role="status">読み込み中…</p>;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const { round, rows } = q.data;
  return (
    <section>
      <p className="breadcrumb">
        <Link to={`/m/${mid}/rounds`}>照会</Link> › 状況
      </p>
      <h1>
        {round.planTitle} {fiscalYearLabel(round.fiscalYear, era)} {PHASE_LABELS[round.phase]}
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
      <BoardActions mid={mid} rid={rid} round={round} run={run} />
      <BoardTable mid={mid} rid={rid} round={round} rows={rows} run={run} />
    </section>
  );
}

/** Review the answers, close the round (after a question), remind the departments that have not answered. */
function BoardActions({ mid, rid, round, run }: { mid: number; rid: number; round: RoundDto; run: Run }) {
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
      <div className="button-row">
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
      </div>
    </>
  );
}

/** Each department's answers by status, with a reopening for one department of a closed round. */
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
  const totals = Object.fromEntries(RECORD_STATUSES.map((s) => [s, rows.reduce((a, r) => a + r.counts[s], 0)]));
  return (
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
          <th scope="col">操作</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.departmentId}>
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
              {round.status === 'closed' && !r.reopened && (
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
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">合計</th>
          {RECORD_STATUSES.map((s) => (
            <td key={s} className="num">
              {totals[s]}
            </td>
          ))}
          <td className="num">{rows.reduce((a, r) => a + r.total, 0)}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}
