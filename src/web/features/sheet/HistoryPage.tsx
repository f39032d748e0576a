import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useMid, usePageTitle } from '../../lib/hooks.js';
import type { FieldChange, HistoryEntry, RecordComment, RecordDto } from '../../lib/types.js';
import { ChangesTable } from '../../components/ChangesTable.js';
import { ErrorAlert } from '../../components/forms.js';
import { RECORD_STATUS_LABELS } from '../../../domain/cycle-terms.js';

const ACTION_LABELS: Record<HistoryEntry['action'], string> = {
  create: '作成',
  save: '保存',
  submit: '提出',
  return: '差戻し',
  approve: '確定',
  reopen: '再受付',
  rollover: '前年度から引継ぎ',
  undo: '取り消し',
};

export function HistoryPage() {
  const mid = useMid();
  const id = Number(useParams().id);
  usePageTitle('変更履歴');
  const q = useQuery({
    queryKey: ['history', mid, id],
    queryFn: () =>
      api.get<{
        record: RecordDto;
        entries: HistoryEntry[];
        sinceSubmission: FieldChange[] | null;
        comments: RecordComment[];
      }>(`/api/m/${mid}/records/${id}/history`),
  });
  if (q.isPending) return <p role="status">読み込み中…</p>;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const { record, entries, sinceSubmission, comments } = q.data;
  return (
    <section>
      <p className="breadcrumb">
        <button type="button" className="link-button" onClick={() => history.back()}>
          戻る
        </button>
      </p>
      <h1>回答の変更履歴</h1>
      <p>
        現在の状態: <strong>{RECORD_STATUS_LABELS[record.status]}</strong>（第{record.version}版、
        {record.updatedByName ?? '—'}・{new Date(record.updatedAt).toLocaleString('ja-JP')}）
      </p>
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
                <strong>{c.kind === 'return' ? '差戻し' : 'コメント'}</strong>（{c.userName}・
                {new Date(c.at).toLocaleString('ja-JP')}）: {c.body}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="entries-title">
        <h2 id="entries-title">履歴（新しい順）</h2>
        <ol className="history">
          {entries.map((e) => (
            <li key={e.id}>
              <h3>
                第{e.version}版 {ACTION_LABELS[e.action]} — {e.userName ?? 'システム'}（
                {new Date(e.at).toLocaleString('ja-JP')}）
              </h3>
              {e.message && <p className="history-message">{e.message}</p>}
              <ChangesTable changes={e.changes} caption={`第${e.version}版の変更`} hideCaption />
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}
