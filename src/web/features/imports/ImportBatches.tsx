import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { formatDateTime, formatFiscalYear } from '../../lib/dates.js';
import { useEra } from '../../lib/hooks.js';
import type { PlanSummary } from '../../lib/types.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import type { ImportBatch, ImportBatchList, ImportBatchStatus, ImportUndoResult } from '../../../domain/api-types.js';
import './import-batches.css';

const STATUS_LABELS: Record<ImportBatchStatus, string> = {
  live: '有効',
  replaced: '置き換え済み',
  undone: '取り消し済み',
};

const sourceLabel = (b: ImportBatch) => b.sourceName || '（貼り付けた表）';

/**
 * 取り込みの履歴: every import into a plan as one unit — when, by whom, which file, which year, how
 * many rows, and whether it is in effect, replaced by a later import of the same file, or undone.
 * The latest import can be undone as a whole; where it cannot, the reason stands beside it.
 */
export function ImportBatches({
  mid,
  plans,
  planId,
  refreshKey,
}: {
  mid: number;
  plans: PlanSummary[];
  /** the plan the import page points at (its target or the plan just imported into), if any */
  planId: number | null;
  /** changes when an import was committed: the history is read again */
  refreshKey: unknown;
}) {
  const client = useQueryClient();
  const [chosen, setChosen] = useState<number | null>(planId);
  useEffect(() => {
    if (planId !== null) setChosen(planId);
  }, [planId]);
  useEffect(() => {
    if (refreshKey === null || refreshKey === undefined) return;
    void client.invalidateQueries({ queryKey: ['import-batches', mid] });
    void client.invalidateQueries({ queryKey: ['plans', mid] });
  }, [refreshKey, client, mid]);
  const shown = chosen ?? plans[0]?.id ?? null;
  const batches = useQuery({
    queryKey: ['import-batches', mid, shown],
    queryFn: () => api.get<ImportBatchList>(`/api/m/${mid}/plans/${shown}/import-batches`).then((r) => r.batches),
    enabled: shown !== null,
  });
  return (
    <section className="panel import-batches" aria-labelledby="import-batches-title">
      <h2 id="import-batches-title">取り込みの履歴</h2>
      <p className="muted">
        同じファイル（または同じ名前を付けた貼り付け）をもう一度取り込むと、前の取り込みを置き換えます。最後の取り込みは、その後に編集がなければ取り消せます。
      </p>
      {plans.length === 0 ? (
        <p>計画がまだありません。</p>
      ) : (
        <Field label="履歴を見る計画">
          {(p) => (
            <select {...p} value={shown ?? ''} onChange={(e) => setChosen(Number(e.target.value))}>
              {plans.map((pl) => (
                <option key={pl.id} value={pl.id}>
                  {pl.title}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <ErrorAlert error={batches.error} />
      {batches.data && <BatchTable mid={mid} batches={batches.data} />}
    </section>
  );
}

function BatchTable({ mid, batches }: { mid: number; batches: ImportBatch[] }) {
  const era = useEra();
  const client = useQueryClient();
  const [asked, setAsked] = useState<ImportBatch | null>(null);
  const [done, setDone] = useState<string>('');
  const undo = useMutation({
    mutationFn: (b: ImportBatch) => api.post<ImportUndoResult>(`/api/m/${mid}/import-batches/${b.id}/undo`),
    onSuccess: async (r) => {
      setAsked(null);
      setDone(
        `${formatDateTime(r.batch.createdAt)} の取り込み（${sourceLabel(r.batch)}）を取り消しました。` +
          departmentsText(r.departments),
      );
      await client.invalidateQueries({ queryKey: ['import-batches', mid] });
      await client.invalidateQueries({ queryKey: ['plans', mid] });
      await client.invalidateQueries({ queryKey: ['plan', mid] });
    },
  });
  if (batches.length === 0) return <p>この計画への取り込みはまだありません。</p>;
  return (
    <>
      <p role="status" className="import-batches-done">
        {done}
      </p>
      <table className="data-table compact import-batches-table">
        <caption className="visually-hidden">取り込みの履歴（新しい順）</caption>
        <thead>
          <tr>
            <th scope="col">日時</th>
            <th scope="col">利用者</th>
            <th scope="col">ファイル名</th>
            <th scope="col">年度</th>
            <th scope="col">件数</th>
            <th scope="col">状態</th>
            <th scope="col">取り消し</th>
          </tr>
        </thead>
        <tbody>
          {batches.map((b) => (
            <tr key={b.id}>
              <td className="nowrap">{formatDateTime(b.createdAt)}</td>
              <td>{b.userName}</td>
              <td className="import-batches-file">
                {sourceLabel(b)}
                {b.createdPlan && <div className="muted">計画を作成</div>}
              </td>
              <td className="nowrap">{formatFiscalYear(b.fiscalYear, era)}</td>
              <td>
                <BatchCounts batch={b} />
              </td>
              <td>
                <span className={`status-badge import-status-${b.status}`}>{STATUS_LABELS[b.status]}</span>
              </td>
              <td className="import-batches-undo">
                <UndoCell
                  batch={b}
                  onUndo={() => {
                    undo.reset();
                    setAsked(b);
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <UndoDialog
        batch={asked}
        busy={undo.isPending}
        error={undo.error}
        onConfirm={() => asked && undo.mutate(asked)}
        onCancel={() => setAsked(null)}
      />
    </>
  );
}

function UndoDialog({
  batch,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  batch: ImportBatch | null;
  busy: boolean;
  error: unknown;
  onConfirm(): void;
  onCancel(): void;
}) {
  const era = useEra();
  return (
    <ConfirmDialog
      open={batch !== null}
      title="取り込みを取り消します"
      confirmLabel="取り消す"
      danger
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <ErrorAlert error={error} />
      {batch && (
        <>
          <p>
            {formatDateTime(batch.createdAt)} に {batch.userName} さんが取り込んだ「{sourceLabel(batch)}」（
            {formatFiscalYear(batch.fiscalYear, era)}）を取り消し、計画をこの取り込みの前の状態に戻します。
          </p>
          <p>この取り込みで追加した事業・回答・体系の項目は削除され、更新・削除した内容は元に戻ります。</p>
        </>
      )}
    </ConfirmDialog>
  );
}

function BatchCounts({ batch: b }: { batch: ImportBatch }) {
  return (
    <>
      <div>
        事業 {b.file.projects}・回答 {b.file.records}
      </div>
      {/* Rows of every kind the import wrote (items of the tree, projects, answers, indicators, values, grades). */}
      <div className="muted small">
        記録した行（体系・事業・回答・指標・評価）: 追加 {b.counts.created}件・更新 {b.counts.updated}件・削除{' '}
        {b.counts.removed}件
      </div>
      {b.kept.length > 0 && (
        <details className="import-batches-kept">
          <summary>削除できなかった行 {b.kept.length}件</summary>
          <ul>
            {b.kept.map((k, i) => (
              <li key={i}>
                {k.label}: {k.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

function UndoCell({ batch: b, onUndo }: { batch: ImportBatch; onUndo(): void }) {
  if (b.status === 'undone')
    return (
      <span className="muted small">
        {b.undoneAt && formatDateTime(b.undoneAt)} {b.undoneByName}
      </span>
    );
  if (b.status === 'replaced') return <span className="muted small">後の取り込みで置き換え</span>;
  if (b.undoProblem) return <span className="import-batches-refusal">{b.undoProblem}</span>;
  return (
    <button
      type="button"
      className="button secondary small"
      onClick={onUndo}
      aria-label={`${formatDateTime(b.createdAt)} の取り込み「${sourceLabel(b)}」を取り消す`}
    >
      取り消す
    </button>
  );
}

/** What became of the departments the import had added: removed, or kept because something uses them now. */
export function departmentsText(d: ImportUndoResult['departments']): string {
  const removed = d.removed > 0 ? `取り込みで追加した課${d.removed}件を削除しました。` : '';
  const kept = d.kept.length
    ? `${d.kept.join('、')}は取り込みで追加した課ですが、その後に利用者や回答などで使われているため残しました。`
    : '';
  return removed + kept;
}
