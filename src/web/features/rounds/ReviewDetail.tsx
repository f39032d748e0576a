import { useId, useState } from 'react';
import { formatDateTime } from '../../lib/dates.js';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import type { FieldChange, HistoryEntry, IndicatorDto, RecordComment, RecordDto, ReviewRow } from '../../lib/types.js';
import { ChangesTable } from '../../components/ChangesTable.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import { RECORD_STATUS_LABELS } from '../../../domain/cycle-terms.js';
import { ACTUAL_STATUS_LABELS } from '../../../domain/values.js';
import { ReviewChecks, ReviewEvaluations } from './ReviewEvaluations.js';

export interface RecordHistory {
  record: RecordDto;
  entries: HistoryEntry[];
  sinceSubmission: FieldChange[] | null;
  betweenSubmissions: FieldChange[] | null;
  comments: RecordComment[];
}

export type ReviewAction = (
  action: 'approve' | 'return',
  picks: { id: number; version: number }[],
  message?: string,
) => Promise<boolean>;

const when = (iso: string) => formatDateTime(iso);

function LongText({ text }: { text: string }) {
  return text.trim() ? <span className="review-text">{text}</span> : <span className="muted">（空欄）</span>;
}

/**
 * One record as the coordinator reads it beside the review table: its fields, what the department
 * changed between its last two submissions, the comments, and approve or return for this record alone.
 */
export function ReviewDetail({
  mid,
  rid,
  row,
  busy,
  act,
}: {
  mid: number;
  rid: number;
  row: ReviewRow;
  busy: boolean;
  act: ReviewAction;
}) {
  const headingId = useId();
  const q = useQuery({
    queryKey: ['history', mid, row.recordId],
    queryFn: () => api.get<RecordHistory>(`/api/m/${mid}/records/${row.recordId}/history`),
  });
  const record = q.data?.record;
  return (
    <section className="review-detail-body" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <span className="project-number">事業{row.projectNumber}</span> {row.projectName}
        <span className="subtitle">
          {row.departmentName}
          {row.path && `／${row.path}`}
        </span>
      </h2>
      {q.isPending && <p role="status">読み込み中…</p>}
      <ErrorAlert error={q.error} />
      {record && q.data && (
        <>
          <p className="review-detail-meta">
            <span className={`status-badge status-${record.status}`}>{RECORD_STATUS_LABELS[record.status]}</span> 第
            {record.version}版・{record.updatedByName ?? '—'}・{when(record.updatedAt)}
          </p>
          <DetailActions key={`${record.id}-${record.version}`} record={record} busy={busy} act={act} />
          <ReviewChecks headingId={`${headingId}-checks`} checks={row.checks} />
          <RecordFields record={record} />
          {record.actuals.length > 0 && <ActualsTable mid={mid} projectId={row.projectId} record={record} />}
          <ReviewEvaluations mid={mid} rid={rid} row={row} />
          <SubmissionChanges headingId={`${headingId}-diff`} history={q.data} />
          <DetailComments headingId={`${headingId}-comments`} comments={q.data.comments} />
          <p className="review-detail-links">
            <Link to={`/m/${mid}/records/${record.id}/history`}>変更履歴</Link>
            <Link to={`/m/${mid}/rounds/${rid}/departments/${record.departmentId}`}>
              {row.departmentName}の回答シート
            </Link>
          </p>
        </>
      )}
    </section>
  );
}

function RecordFields({ record }: { record: RecordDto }) {
  return (
    <dl className="review-fields">
      <dt>事業予定</dt>
      <dd>
        <LongText text={record.planText} />
      </dd>
      <dt>実績・取組状況</dt>
      <dd>
        <LongText text={record.resultText} />
      </dd>
      <dt>備考</dt>
      <dd>
        <LongText text={record.remarks} />
      </dd>
      <dt>翌年度予定</dt>
      <dd>
        <LongText text={record.nextYearPlan} />
      </dd>
    </dl>
  );
}

/** Each indicator line's actual (with its breakdown and reasons), named from the project's indicators. */
function ActualsTable({ mid, projectId, record }: { mid: number; projectId: number; record: RecordDto }) {
  const indicators = useQuery({
    queryKey: ['indicators', mid, projectId],
    queryFn: () =>
      api
        .get<{ indicators: IndicatorDto[] }>(`/api/m/${mid}/projects/${projectId}/indicators`)
        .then((r) => r.indicators),
  });
  return (
    <table className="data-table compact review-actuals">
      <caption>活動指標の実績</caption>
      <thead>
        <tr>
          <th scope="col">指標</th>
          <th scope="col">実績</th>
        </tr>
      </thead>
      <tbody>
        {record.actuals.map((a) => {
          const indicator = indicators.data?.find((i) => i.id === a.indicatorId);
          return (
            <tr key={a.indicatorId}>
              <th scope="row">{indicator?.name ?? (indicators.isPending ? '…' : `指標${a.indicatorId}`)}</th>
              <td>
                {a.status ? ACTUAL_STATUS_LABELS[a.status] : a.text || '（空欄）'}
                {a.status && a.text && a.text !== ACTUAL_STATUS_LABELS[a.status] && `（${a.text}）`}
                {a.parts.length > 0 && (
                  <span className="review-parts">内訳: {a.parts.map((p) => `${p.label} ${p.text}`).join('、')}</span>
                )}
                {a.reason && <span className="review-parts">理由: {a.reason}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** What the department changed between its last two submissions. */
function SubmissionChanges({ headingId, history }: { headingId: string; history: RecordHistory }) {
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>前回の提出からの変更</h3>
      {history.betweenSubmissions === null ? (
        <p className="muted">
          {history.record.submittedAt ? '初回提出です（比べる前回の提出はありません）。' : 'まだ提出されていません。'}
        </p>
      ) : (
        <ChangesTable
          changes={history.betweenSubmissions}
          caption="前回の提出と今回の提出の違い"
          hideCaption
          beforeLabel="前回"
          afterLabel="今回"
        />
      )}
    </section>
  );
}

function DetailComments({ headingId, comments }: { headingId: string; comments: RecordComment[] }) {
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>コメント（{comments.length}件）</h3>
      {comments.length === 0 ? (
        <p className="muted">コメントはありません。</p>
      ) : (
        <ul className="comments">
          {comments.map((c) => (
            <li key={c.id} className={c.kind === 'return' ? 'comment-return' : undefined}>
              <strong>{c.kind === 'return' ? '差戻し' : 'コメント'}</strong>（{c.userName}・{when(c.at)}）: {c.body}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** 確定 / 差戻し for the record shown, through the same endpoint as the bulk actions. */
function DetailActions({ record, busy, act }: { record: RecordDto; busy: boolean; act: ReviewAction }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const canApprove = record.status === 'submitted';
  const canReturn = record.status === 'submitted' || record.status === 'approved';
  if (!canApprove && !canReturn) return null;
  const pick = [{ id: record.id, version: record.version }];
  const sendReturn = async () => {
    if (!reason.trim()) {
      setError('差戻しの理由を入力してください');
      return;
    }
    setError(undefined);
    try {
      if (await act('return', pick, reason.trim())) setReason('');
    } catch (e) {
      setError(e instanceof ApiError ? (e.fieldError('message') ?? e.message) : String(e));
    }
  };
  return (
    <div className="review-detail-actions">
      {canApprove && (
        <button
          type="button"
          className="button primary small"
          disabled={busy}
          onClick={() => void act('approve', pick)}
        >
          この回答を確定する
        </button>
      )}
      {canReturn && (
        <div className="review-detail-return">
          <Field label="差戻しの理由" error={error}>
            {(p) => <textarea {...p} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <button type="button" className="button danger small" disabled={busy} onClick={() => void sendReturn()}>
            この回答を差戻す
          </button>
        </div>
      )}
    </div>
  );
}
