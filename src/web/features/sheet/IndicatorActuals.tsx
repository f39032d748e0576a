import { useEra } from '../../lib/hooks.js';
import { formatEraYear } from '../../lib/dates.js';
import { useId } from 'react';
import type { ActualDto, IndicatorDto } from '../../lib/types.js';
import { ACTUAL_STATUSES, ACTUAL_STATUS_LABELS, parseValue, type ActualStatus } from '../../../domain/values.js';
import type { Slot } from '../../../domain/evaluation/index.js';
import type { ActualDraft } from './actual-draft.js';
import { SlotControl, type EntryPatch } from './EvaluationControls.js';
import type { EntryRef, SlotView } from './sheet-evaluation.js';

function reading(text: string, unit: string): string {
  const p = parseValue(text);
  if (p.kind === 'number') return `${p.value.toLocaleString('ja-JP')}${p.unit || unit}として保存します`;
  if (p.kind === 'status') return `「${ACTUAL_STATUS_LABELS[p.status]}」として保存します`;
  if (p.kind === 'flag') return p.done === null ? '該当なし（—）' : p.done ? '実施（○）' : '未実施（×）';
  return '';
}

/** The evaluations of the lines: the slots shown side by side, each line's values, and how to change an entry. */
export interface LineEvaluations {
  slots: Slot[];
  views: Map<number, SlotView[]>;
  /** the server's message for an entry after a refused save */
  errorOf(ref: EntryRef): string | undefined;
  onEntry(ref: EntryRef, patch: EntryPatch): void;
}

/**
 * 活動指標: this year's target and actual beside last year's actual, typed as departments write them,
 * and each evaluation of the line recomputed as the actual is typed.
 */
export function IndicatorActuals({
  fiscalYear,
  indicators,
  drafts,
  previous,
  others,
  evaluations,
  errorOf,
  editable,
  onChange,
}: {
  fiscalYear: number;
  indicators: IndicatorDto[];
  drafts: ActualDraft[];
  previous: ActualDto[];
  /** the other departments' actuals of this year, for the project's total */
  others: { name: string; actuals: ActualDto[] }[];
  evaluations: LineEvaluations;
  /** the server's message for a line, shown beside it */
  errorOf?: (indicatorId: number) => string | undefined;
  /** whether the answer can be changed now: a read-only one says nothing of how a value will be saved */
  editable: boolean;
  onChange(d: ActualDraft[]): void;
}) {
  const base = useId();
  const set = (i: number, patch: Partial<ActualDraft>) =>
    onChange(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  // A slot gets a column where it evaluates at least one of the lines.
  const columns = evaluations.slots.filter((s) =>
    [...evaluations.views.values()].some((views) => views.some((v) => v.slot.key === s.key)),
  );
  return (
    <fieldset className="indicators">
      <legend>活動指標</legend>
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">指標</th>
            <th scope="col">現状値</th>
            <th scope="col">今年度の目標</th>
            <th scope="col">前年度の実績</th>
            <th scope="col">今年度の実績</th>
            {columns.map((s) => (
              <th key={s.key} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {indicators.map((ind, i) => (
            <IndicatorRow
              key={ind.id}
              id={`${base}-${ind.id}`}
              indicator={ind}
              draft={drafts[i]!}
              target={ind.targets.find((t) => t.fiscalYear === fiscalYear)}
              previous={previous.find((p) => p.indicatorId === ind.id)}
              others={others}
              error={errorOf?.(ind.id)}
              editable={editable}
              onChange={(patch) => set(i, patch)}
              evaluations={{
                columns,
                views: evaluations.views.get(ind.id) ?? [],
                errorOf: evaluations.errorOf,
                onEntry: evaluations.onEntry,
              }}
            />
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}

interface LineProps {
  /** the prefix of the line's control ids */
  id: string;
  indicator: IndicatorDto;
  draft: ActualDraft;
  error: string | undefined;
  editable: boolean;
  onChange(patch: Partial<ActualDraft>): void;
}

/** One indicator's line: baseline, this year's target, last year's actual, this year's, and its grade. */
function IndicatorRow({
  id,
  indicator: ind,
  draft,
  target,
  previous: prev,
  others,
  error,
  editable,
  onChange,
  evaluations,
}: LineProps & {
  target: IndicatorDto['targets'][number] | undefined;
  previous: ActualDto | undefined;
  others: { name: string; actuals: ActualDto[] }[];
  evaluations: { columns: Slot[]; views: SlotView[] } & Pick<LineEvaluations, 'errorOf' | 'onEntry'>;
}) {
  const era = useEra();
  return (
    <tr>
      <th scope="row">
        {ind.name}
        {ind.unit && <span className="muted">（{ind.unit}）</span>}
      </th>
      <td>
        {ind.baseline.text
          ? `${ind.baseline.text}${ind.baseline.fiscalYear ? `（${formatEraYear(ind.baseline.fiscalYear, era)}）` : ''}`
          : '—'}
      </td>
      <td>{target?.text || (ind.finalTarget.text ? `最終目標 ${ind.finalTarget.text}` : '目標なし')}</td>
      <td>{prev ? prev.text || (prev.status ? ACTUAL_STATUS_LABELS[prev.status] : '—') : '—'}</td>
      <td>
        <ActualInput id={id} indicator={ind} draft={draft} error={error} editable={editable} onChange={onChange} />
        <ActualParts id={id} draft={draft} onChange={onChange} />
        {ind.departmentId === null && others.length > 0 && (
          <ProjectTotal
            unit={ind.unit}
            own={draft.text}
            others={others.map((o) => ({
              name: o.name,
              actual: o.actuals.find((a) => a.indicatorId === ind.id),
            }))}
          />
        )}
      </td>
      {evaluations.columns.map((slot) => {
        const view = evaluations.views.find((v) => v.slot.key === slot.key);
        return (
          <td key={slot.key}>
            {view ? (
              <SlotControl
                id={`${id}-${slot.key}`}
                view={view}
                subject={`「${ind.name}」`}
                error={evaluations.errorOf(view.ref)}
                onEntry={(patch) => evaluations.onEntry(view.ref, patch)}
              />
            ) : (
              <span className="muted">評価しない</span>
            )}
          </td>
        );
      })}
    </tr>
  );
}

/** This year's actual as typed, or a status instead of a value (with the reason when cancelled). */
function ActualInput({ id, indicator: ind, draft: d, error, editable, onChange }: LineProps) {
  return (
    <>
      <label htmlFor={`${id}-text`} className="visually-hidden">
        {ind.name}の今年度の実績
      </label>
      <input
        id={`${id}-text`}
        type="text"
        size={10}
        value={d.text}
        aria-describedby={`${id}-read${error ? ` ${id}-error` : ''}`}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange({ text: e.target.value })}
      />
      <label htmlFor={`${id}-status`} className="visually-hidden">
        {ind.name}の実施状況
      </label>
      <select
        id={`${id}-status`}
        value={d.status ?? ''}
        // the options are '' and the actual statuses
        onChange={(e) => onChange({ status: (e.target.value || null) as ActualStatus | null })}
      >
        <option value="">（実績値を入力）</option>
        {ACTUAL_STATUSES.map((s) => (
          <option key={s} value={s}>
            {ACTUAL_STATUS_LABELS[s]}
          </option>
        ))}
      </select>
      <p id={`${id}-read`} className="hint">
        {d.status || !editable ? '' : reading(d.text, ind.unit)}
      </p>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {d.status === 'cancelled' && (
        <>
          <label htmlFor={`${id}-reason`}>中止の理由</label>
          <input
            id={`${id}-reason`}
            type="text"
            value={d.reason}
            onChange={(e) => onChange({ reason: e.target.value })}
          />
        </>
      )}
    </>
  );
}

/** The actual's breakdown (内訳), each part with a name and a value, and adding one. */
function ActualParts({ id, draft: d, onChange }: Pick<LineProps, 'id' | 'draft' | 'onChange'>) {
  const setPart = (k: number, patch: Partial<ActualDraft['parts'][number]>) =>
    onChange({ parts: d.parts.map((x, m) => (m === k ? { ...x, ...patch } : x)) });
  return (
    <>
      {d.parts.map((p, k) => (
        <div key={k} className="part-row">
          <label htmlFor={`${id}-part-${k}`}>内訳{k + 1}の名称</label>
          <input
            id={`${id}-part-${k}`}
            type="text"
            size={10}
            value={p.label}
            onChange={(e) => setPart(k, { label: e.target.value })}
          />
          <label htmlFor={`${id}-partv-${k}`}>値</label>
          <input
            id={`${id}-partv-${k}`}
            type="text"
            size={8}
            value={p.text}
            onChange={(e) => setPart(k, { text: e.target.value })}
          />
        </div>
      ))}
      <button
        type="button"
        className="button secondary small"
        onClick={() => onChange({ parts: [...d.parts, { label: '', text: '' }] })}
      >
        内訳を追加
      </button>
    </>
  );
}

/** 計 90人 + 69人 = 159人: the project's total from every department's contribution. */
function ProjectTotal({
  unit,
  own,
  others,
}: {
  unit: string;
  own: string;
  others: { name: string; actual: ActualDto | undefined }[];
}) {
  const mine = parseValue(own);
  const values = [mine.kind === 'number' ? mine.value : null, ...others.map((o) => o.actual?.value ?? null)];
  const known = values.filter((v): v is number => v !== null);
  return (
    <p className="hint project-total">
      事業全体: この課 {mine.kind === 'number' ? `${mine.value}${unit}` : '未入力'}
      {others
        .map(
          (o) =>
            ` ＋ ${o.name} ${o.actual?.value !== null && o.actual?.value !== undefined ? `${o.actual.value}${unit}` : '未入力'}`,
        )
        .join('')}
      {known.length === values.length && ` ＝ ${known.reduce((a, b) => a + b, 0)}${unit}`}
    </p>
  );
}
