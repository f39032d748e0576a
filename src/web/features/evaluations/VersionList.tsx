import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra } from '../../lib/hooks.js';
import type { EvaluationSettingsDto, EvaluationVersionDto } from '../../lib/types.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { ErrorAlert } from '../../components/forms.js';
import { formatDate, formatEraYear } from '../../lib/dates.js';
import { versionRange } from './versions.js';

/**
 * The versions of the plan's evaluation settings by the years they apply in, which years each has
 * already fixed, and the choice of the one shown below. A later version can be deleted (the one
 * before it then applies again) unless a year it covers is fixed or has entries in its slots.
 */
export function VersionList({
  mid,
  pid,
  settings,
  selectedId,
  onSelect,
  canEdit,
  onDeleted,
}: {
  mid: number;
  pid: number;
  settings: EvaluationSettingsDto;
  selectedId: number;
  onSelect(id: number): void;
  canEdit: boolean;
  onDeleted(settings: EvaluationSettingsDto, range: string): void;
}) {
  const era = useEra();
  const [pending, setPending] = useState<EvaluationVersionDto | null>(null);
  const remove = useMutation({
    mutationFn: (v: EvaluationVersionDto) =>
      api.delete<EvaluationSettingsDto>(`/api/m/${mid}/plans/${pid}/evaluation/versions/${v.id}`),
    onSuccess: (next, v) => {
      setPending(null);
      onDeleted(next, versionRange(v, era));
    },
    onError: () => setPending(null),
  });
  return (
    <section aria-labelledby="eval-versions-title" className="eval-versions">
      <h2 id="eval-versions-title">年度ごとの版</h2>
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">適用する年度</th>
            <th scope="col">評価の項目</th>
            <th scope="col">確定済みの年度</th>
            <th scope="col">メモ・登録</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {settings.versions.map((v, i) => (
            <VersionRow
              key={v.id}
              version={v}
              selected={v.id === selectedId}
              onSelect={() => onSelect(v.id)}
              onDelete={canEdit && i > 0 ? () => setPending(v) : undefined}
              canEdit={canEdit}
            />
          ))}
        </tbody>
      </table>
      <ErrorAlert error={remove.error} />
      <ConfirmDialog
        open={pending !== null}
        title={pending ? `${versionRange(pending, era)}の版を削除しますか` : ''}
        confirmLabel="削除する"
        danger
        busy={remove.isPending}
        onConfirm={() => pending && remove.mutate(pending)}
        onCancel={() => setPending(null)}
      >
        <p>
          削除すると、その年度からは一つ前の版の評価方法が使われます。確定済みの年度や入力済みの評価がある版は削除できません。
        </p>
      </ConfirmDialog>
    </section>
  );
}

function VersionRow({
  version: v,
  selected,
  onSelect,
  onDelete,
  canEdit,
}: {
  version: EvaluationVersionDto;
  selected: boolean;
  onSelect(): void;
  onDelete: (() => void) | undefined;
  canEdit: boolean;
}) {
  const era = useEra();
  const range = versionRange(v, era);
  return (
    <tr className={selected ? 'selected' : undefined}>
      <th scope="row">{range}</th>
      <td>{v.config.slots.map((s) => s.name).join('、')}</td>
      <td>{v.fixedYears.length ? v.fixedYears.map((y) => formatEraYear(y, era)).join('・') : 'なし'}</td>
      <td>
        {v.note && <span className="meta-item">{v.note}</span>}
        <span className="meta-item muted">
          {v.createdByName || '—'}（{formatDate(v.createdAt)}）
        </span>
      </td>
      <td className="eval-version-actions">
        <button type="button" className="button secondary small" aria-pressed={selected} onClick={onSelect}>
          {range}の版を{canEdit ? '開く' : '見る'}
        </button>
        {onDelete && (
          <button type="button" className="button danger small" onClick={onDelete}>
            {range}の版を削除
          </button>
        )}
      </td>
    </tr>
  );
}
