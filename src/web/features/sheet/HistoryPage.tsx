import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import type { HistoryVersion, RecordHistoryResponse } from '../../lib/types.js';
import { ChangesTable } from '../../components/ChangesTable.js';
import { ErrorAlert } from '../../components/forms.js';
import { RECORD_STATUS_LABELS } from '../../../domain/cycle-terms.js';
import { formatDateTime, formatFiscalYear, formatTimeRange } from '../../lib/dates.js';
import type { Era2019 } from '../../../domain/fiscal-year.js';
import './history.css';

const ACTION_LABELS: Record<HistoryVersion['action'], string> = {
  create: '作成',
  save: '保存',
  submit: '提出',
  return: '差戻し',
  approve: '確定',
  reopen: '再受付',
  rollover: '前年度から引継ぎ',
  undo: '取り消し',
};

/** 変更履歴: whose answer it is, what changed since it was last submitted, the comments, and each version. */
export function HistoryPage() {
  const mid = useMid();
  const era = useEra();
  const id = Number(useParams().id);
  const q = useQuery({
    queryKey: ['history', mid, id],
    queryFn: () => api.get<RecordHistoryResponse>(`/api/m/${mid}/records/${id}/history`),
  });
  const s = q.data?.subject;
  usePageTitle(s ? `事業${s.projectNumber}「${s.projectName}」の変更履歴` : '変更履歴');
  if (q.isPending) return <p role="status">読み込み中…</p>;
  if (!q.data || !s) return <ErrorAlert error={q.error} />;
  const { record, versions, sinceSubmission, comments } = q.data;
  return (
    <section className="history-page">
      <p className="breadcrumb">
        <Link to={`/m/${mid}/rounds`}>照会</Link>
        {s.roundId !== null && (
          <>
            {' '}
            ›{' '}
            <Link to={`/m/${mid}/rounds/${s.roundId}/departments/${record.departmentId}`}>
              {s.departmentName}の回答シート
            </Link>
          </>
        )}{' '}
        › 変更履歴
      </p>
      <h1>
        <span className="subtitle-before">変更履歴</span>
        事業{s.projectNumber} {s.projectName}
      </h1>
      <HistorySubject history={q.data} era={era} />
      <section aria-labelledby="since-title">
        <h2 id="since-title">前回の提出からの変更</h2>
        {sinceSubmission === null ? (
          <p className="muted">まだ提出されていません。</p>
        ) : (
          <ChangesTable changes={sinceSubmission} caption="前回の提出からの変更" hideCaption />
        )}
      </section>
      {comments.length > 0 && (
        <section aria-labelledby="comments-title">
          <h2 id="comments-title">コメント</h2>
          <ul className="comments">
            {comments.map((c) => (
              <li key={c.id}>
                <strong>{c.kind === 'return' ? '差戻し' : 'コメント'}</strong>（{c.userName}・{formatDateTime(c.at)}
                ）: {c.body}
              </li>
            ))}
          </ul>
        </section>
      )}
      <Versions versions={versions} />
    </section>
  );
}

/** The project, 課, year and plan the answer belongs to, and where it stands. */
function HistorySubject({ history: { subject: s, record }, era }: { history: RecordHistoryResponse; era: Era2019 }) {
  return (
    <dl className="history-subject">
      <div>
        <dt>担当課</dt>
        <dd>{s.departmentName}</dd>
      </div>
      <div>
        <dt>年度</dt>
        <dd>{formatFiscalYear(s.fiscalYear, era)}</dd>
      </div>
      <div>
        <dt>計画</dt>
        <dd>{s.planTitle}</dd>
      </div>
      <div>
        <dt>現在の状態</dt>
        <dd>
          <strong>{RECORD_STATUS_LABELS[record.status]}</strong>（第{record.version}版、{record.updatedByName ?? '—'}・
          {formatDateTime(record.updatedAt)}）
        </dd>
      </div>
    </dl>
  );
}

/** Each version, newest first; a person's close saves as one. */
function Versions({ versions }: { versions: HistoryVersion[] }) {
  return (
    <section aria-labelledby="entries-title">
      <h2 id="entries-title">版の履歴（新しい順）</h2>
      <p className="hint">
        同じ人が続けて保存した変更（前の保存から10分以内、間にほかの人の変更がないもの）は、一つの版にまとめて表示します。保存のたびの記録は監査記録に残っています。
      </p>
      <ol className="history">
        {versions.map((v) => (
          <li key={v.version}>
            <h3>
              第{v.version}版 {ACTION_LABELS[v.action]} — {v.userName ?? 'システム'}（
              {v.saves > 1 ? formatTimeRange(v.from, v.at) : formatDateTime(v.at)}）
            </h3>
            {v.saves > 1 && (
              <p className="history-grouped">
                {v.saves}回の保存（第{v.fromVersion}〜{v.version}版）をまとめています
              </p>
            )}
            {v.message && <p className="history-message">{v.message}</p>}
            <ChangesTable changes={v.changes} caption={`第${v.version}版の変更`} hideCaption />
          </li>
        ))}
      </ol>
    </section>
  );
}
