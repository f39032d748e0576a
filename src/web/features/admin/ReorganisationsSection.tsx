import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useEra } from '../../lib/hooks.js';
import type { Reorganisation } from '../../lib/types.js';
import { ErrorAlert, Field, FiscalYearInput } from '../../components/forms.js';
import { Dialog } from '../../components/Dialog.js';
import { REORG_KIND_LABELS, REORG_STATUS_LABELS } from '../../../domain/department.js';
import { formatEraYear, formatFiscalYear } from '../../lib/dates.js';

const names = (units: { name: string }[]) => units.map((u) => `「${u.name}」`).join('');

/** 組織変更: every registered change, newest first; a scheduled one can still be changed or cancelled. */
export function ReorganisationsSection({ mid, onDone }: { mid: number; onDone(message: string): void }) {
  const q = useQuery({
    queryKey: ['reorganisations', mid],
    queryFn: () =>
      api
        .get<{ reorganisations: Reorganisation[] }>(`/api/m/${mid}/departments/reorganisations`)
        .then((r) => r.reorganisations),
  });
  const [editing, setEditing] = useState<Reorganisation | null>(null);
  const [cancelling, setCancelling] = useState<Reorganisation | null>(null);
  const list = [...(q.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);

  return (
    <section className="reorg-section" aria-labelledby="reorg-list-title">
      <h2 id="reorg-list-title">組織変更</h2>
      <ErrorAlert error={q.error} />
      {q.data && list.length === 0 && <p className="muted">登録された組織変更はありません。</p>}
      {list.length > 0 && <ReorgTable list={list} onEdit={setEditing} onCancel={setCancelling} />}
      <Dialog open={editing !== null} title="組織変更を変更" onClose={() => setEditing(null)}>
        {editing && (
          <ChangeForm
            key={editing.id}
            mid={mid}
            change={editing}
            onClose={() => setEditing(null)}
            onDone={(m) => {
              setEditing(null);
              onDone(m);
            }}
          />
        )}
      </Dialog>
      <Dialog open={cancelling !== null} title="組織変更を取り消す" onClose={() => setCancelling(null)}>
        {cancelling && (
          <CancelForm
            key={cancelling.id}
            mid={mid}
            change={cancelling}
            onClose={() => setCancelling(null)}
            onDone={(m) => {
              setCancelling(null);
              onDone(m);
            }}
          />
        )}
      </Dialog>
    </section>
  );
}

/** What moves when a scheduled change takes effect: the users and projects of the old units (a split moves nothing). */
function pending(r: Reorganisation): string {
  if (r.status !== 'scheduled') return '';
  if (r.kind === 'split') return '自動では移りません';
  if (r.pendingUsers === 0 && r.pendingProjects === 0) return 'なし';
  return `利用者${r.pendingUsers}人・事業${r.pendingProjects}件`;
}

function ReorgTable({
  list,
  onEdit,
  onCancel,
}: {
  list: Reorganisation[];
  onEdit(r: Reorganisation): void;
  onCancel(r: Reorganisation): void;
}) {
  const era = useEra();
  return (
    <table className="data-table reorg-table">
      <caption className="visually-hidden">組織変更の一覧（新しく登録した順）</caption>
      <thead>
        <tr>
          <th scope="col">状態</th>
          <th scope="col">適用年度</th>
          <th scope="col">種類</th>
          <th scope="col">変更前 → 変更後</th>
          <th scope="col">適用時に移るもの</th>
          <th scope="col">メモ</th>
          <th scope="col">操作</th>
        </tr>
      </thead>
      <tbody>
        {list.map((r) => (
          <tr key={r.id} className={r.status === 'cancelled' ? 'inactive' : undefined}>
            <td>
              <span className={`reorg-status reorg-${r.status}`}>{REORG_STATUS_LABELS[r.status]}</span>
            </td>
            <td>{formatEraYear(r.effectiveYear, era)}</td>
            <td>{REORG_KIND_LABELS[r.kind]}</td>
            <th scope="row">
              {r.from.length === 0 && r.to.length === 0 ? '（メモを参照）' : `${names(r.from)} → ${names(r.to)}`}
            </th>
            <td>{pending(r)}</td>
            <td className="reorg-note">{r.note}</td>
            <td className="row-actions">
              {r.status === 'scheduled' && (
                <>
                  <button
                    type="button"
                    className="button secondary small"
                    aria-label={`${names(r.to)}への組織変更を変更`}
                    onClick={() => onEdit(r)}
                  >
                    変更
                  </button>{' '}
                  <button
                    type="button"
                    className="button danger small"
                    aria-label={`${names(r.to)}への組織変更を取り消す`}
                    onClick={() => onCancel(r)}
                  >
                    取り消す
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface ChangeInput {
  effectiveYear: number | null;
  toNames: string[];
  note: string;
}

/**
 * Saving a change of a scheduled reorganisation. A new year that has already begun makes it take effect
 * on saving: the server is asked first, and `appliesNow` says what would move.
 */
function useChangeSave(mid: number, change: Reorganisation, input: ChangeInput, onDone: (message: string) => void) {
  const [appliesNow, setAppliesNow] = useState<{ users: number; projects: number } | null>(null);
  const save = useMutation({
    mutationFn: () => api.patch(`/api/m/${mid}/departments/reorganisations/${change.id}`, input),
    onSuccess: () =>
      onDone(
        appliesNow
          ? `${names(change.from)}の組織変更を変更し、適用しました`
          : `${names(change.from)}の組織変更を変更しました`,
      ),
  });
  const check = useMutation({
    mutationFn: () =>
      api.post<{ appliesNow: boolean; users: number; projects: number }>(
        `/api/m/${mid}/departments/reorganisations/${change.id}/preview`,
        { effectiveYear: input.effectiveYear },
      ),
    onSuccess: (p) => (p.appliesNow ? setAppliesNow({ users: p.users, projects: p.projects }) : save.mutate()),
  });
  return { appliesNow, back: () => setAppliesNow(null), save, check };
}

function ChangeForm({
  mid,
  change,
  onClose,
  onDone,
}: {
  mid: number;
  change: Reorganisation;
  onClose(): void;
  onDone(message: string): void;
}) {
  const [effectiveYear, setEffectiveYear] = useState<number | null>(change.effectiveYear);
  const [toNames, setToNames] = useState(change.to.map((t) => t.name));
  const [note, setNote] = useState(change.note);
  const { appliesNow, back, save, check } = useChangeSave(mid, change, { effectiveYear, toNames, note }, onDone);
  const failure = save.error ?? check.error;
  const err = failure instanceof ApiError ? failure : null;
  const fieldNames = ['effectiveYear', 'toNames', 'note'];
  const bannerError =
    err && err.details.length > 0 && err.details.every((d) => fieldNames.includes(d.field.split('.')[0]!))
      ? null
      : failure;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (effectiveYear !== change.effectiveYear) check.mutate();
    else save.mutate();
  };
  if (appliesNow)
    return <AppliesNowQuestion change={change} year={effectiveYear!} moves={appliesNow} save={save} onBack={back} />;
  return (
    <form onSubmit={submit} noValidate>
      <p>
        {REORG_KIND_LABELS[change.kind]}: {names(change.from)} → {names(change.to)}
      </p>
      <ErrorAlert error={bannerError} />
      <FiscalYearInput
        label="変更後の課が始まる年度"
        required
        value={effectiveYear}
        onChange={setEffectiveYear}
        error={err?.fieldError('effectiveYear')}
      />
      {toNames.map((n, i) => (
        <Field
          key={change.to[i]!.id}
          label={toNames.length > 1 ? `変更後の課名（${i + 1}つ目）` : '変更後の課名'}
          required
          error={
            err?.fieldError(`toNames.${i}`) ??
            (i === 0 ? err?.details.find((d) => d.field === 'toNames')?.message : undefined)
          }
        >
          {(p) => (
            <input
              {...p}
              type="text"
              value={n}
              onChange={(e) => setToNames(toNames.map((x, j) => (j === i ? e.target.value : x)))}
            />
          )}
        </Field>
      ))}
      <Field label="メモ（任意）" error={err?.fieldError('note')}>
        {(p) => <textarea {...p} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <div className="button-row">
        <button type="submit" className="button primary" disabled={save.isPending || check.isPending}>
          保存する
        </button>
        <button type="button" className="button secondary" onClick={onClose}>
          やめる
        </button>
      </div>
    </form>
  );
}

/** Asked before a save that applies the change at once: what moves, and that it cannot be undone. */
function AppliesNowQuestion({
  change,
  year,
  moves,
  save,
  onBack,
}: {
  change: Reorganisation;
  year: number;
  moves: { users: number; projects: number };
  save: ReturnType<typeof useChangeSave>['save'];
  onBack(): void;
}) {
  const era = useEra();
  return (
    <div>
      <p>
        <strong>
          {formatFiscalYear(year, era)}はすでに始まっているため、保存するとこの組織変更はすぐに適用されます。
        </strong>
      </p>
      <p>
        {change.kind === 'split'
          ? '分割では利用者と事業は自動では移りません。'
          : `利用者${moves.users}人と事業${moves.projects}件が${names(change.to)}へ移り、${formatFiscalYear(year, era)}以降の回答も${names(change.to)}のものになります。`}
        適用した後は、変更も取消しもできません。
      </p>
      <ErrorAlert error={save.error} />
      <div className="button-row">
        <button type="button" className="button danger" disabled={save.isPending} onClick={() => save.mutate()}>
          保存して適用する
        </button>
        <button type="button" className="button secondary" onClick={onBack}>
          戻る
        </button>
      </div>
    </div>
  );
}

function CancelForm({
  mid,
  change,
  onClose,
  onDone,
}: {
  mid: number;
  change: Reorganisation;
  onClose(): void;
  onDone(message: string): void;
}) {
  const era = useEra();
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: () => api.post(`/api/m/${mid}/departments/reorganisations/${change.id}/cancel`, { reason }),
    onSuccess: () => onDone(`${names(change.to)}への組織変更を取り消しました`),
  });
  const err = cancel.error instanceof ApiError ? cancel.error : null;
  const reasonError = err?.fieldError('reason');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    cancel.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <p>
        {formatFiscalYear(change.effectiveYear, era)}からの{REORG_KIND_LABELS[change.kind]}（{names(change.from)} →{' '}
        {names(change.to)}）を取り消します。
      </p>
      <p>
        新しい{names(change.to)}は削除され、{names(change.from)}
        は組織変更を登録する前の存続期間に戻ります。利用者と事業は移っていないため、そのままです。
      </p>
      <ErrorAlert error={reasonError ? null : cancel.error} />
      <Field label="取り消す理由" required hint="組織変更の一覧のメモに残ります" error={reasonError}>
        {(p) => <textarea {...p} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <div className="button-row">
        <button type="submit" className="button danger" disabled={cancel.isPending}>
          組織変更を取り消す
        </button>
        <button type="button" className="button secondary" onClick={onClose}>
          やめる
        </button>
      </div>
    </form>
  );
}
