import { useQuery } from '@tanstack/react-query';
import { formatDateTime } from '../../lib/dates.js';
import { api } from '../../lib/api.js';
import type { EvaluationHistoryEntryDto } from '../../lib/types.js';
import type { Scale } from '../../../domain/evaluation/index.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorAlert } from '../../components/forms.js';
import { sideText } from './node-values.js';

/** Every change of one evaluation: who, when, and what it was before and after. */
export function HistoryDialog({
  mid,
  entryId,
  title,
  scale,
  onClose,
}: {
  mid: number;
  entryId: number | null;
  title: string;
  scale: Scale;
  onClose(): void;
}) {
  const q = useQuery({
    queryKey: ['evaluation-history', mid, entryId],
    enabled: entryId !== null,
    queryFn: () =>
      api
        .get<{ history: EvaluationHistoryEntryDto[] }>(`/api/m/${mid}/evaluations/${entryId}/history`)
        .then((r) => r.history),
  });
  return (
    <Dialog open={entryId !== null} title={title} onClose={onClose}>
      <ErrorAlert error={q.error} />
      {q.isPending && <p role="status">読み込み中…</p>}
      {q.data && (
        <table className="data-table compact node-eval-history">
          <thead>
            <tr>
              <th scope="col">日時</th>
              <th scope="col">入力した人</th>
              <th scope="col">変更前</th>
              <th scope="col">変更後</th>
            </tr>
          </thead>
          <tbody>
            {[...q.data].reverse().map((h) => (
              <tr key={h.version}>
                <th scope="row">{formatDateTime(h.at)}</th>
                <td>{h.actorName}</td>
                <td>{sideText(scale, h.before)}</td>
                <td>{sideText(scale, h.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="button-row">
        <button type="button" className="button secondary" onClick={onClose}>
          閉じる
        </button>
      </div>
    </Dialog>
  );
}
