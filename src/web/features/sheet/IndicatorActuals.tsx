import { useId } from 'react';
import type { ActualDto, IndicatorDto } from '../../lib/types.js';
import { ACTUAL_STATUSES, ACTUAL_STATUS_LABELS, parseValue, type ActualStatus } from '../../../domain/values.js';
import { evaluate, gradeSpeech, resolveGrade, type EvaluationScale } from '../../../domain/evaluation.js';
import { readActual } from '../../../domain/cycle-terms.js';

export interface ActualDraft {
  indicatorId: number;
  text: string;
  status: ActualStatus | null;
  reason: string;
  parts: { label: string; text: string }[];
  grade: string | null;
  gradeReason: string;
}

export function actualDraftsOf(indicators: IndicatorDto[], actuals: ActualDto[]): ActualDraft[] {
  return indicators.map((i) => {
    const a = actuals.find((x) => x.indicatorId === i.id);
    return {
      indicatorId: i.id,
      text: a?.text ?? '',
      status: a?.status ?? null,
      reason: a?.reason ?? '',
      parts: (a?.parts ?? []).map((p) => ({ label: p.label, text: p.text })),
      grade: a?.grade ?? null,
      gradeReason: a?.gradeReason ?? '',
    };
  });
}

function reading(text: string, unit: string): string {
  const p = parseValue(text);
  if (p.kind === 'number') return `${p.value.toLocaleString('ja-JP')}${p.unit || unit}として保存します`;
  if (p.kind === 'status') return `「${ACTUAL_STATUS_LABELS[p.status]}」として保存します`;
  if (p.kind === 'flag') return p.done === null ? '該当なし（—）' : p.done ? '実施（○）' : '未実施（×）';
  return '';
}

/** 活動指標: this year's target and actual beside last year's actual, typed as departments write them. */
export function IndicatorActuals({
  fiscalYear,
  indicators,
  drafts,
  previous,
  others,
  scale,
  errorOf,
  onChange,
}: {
  scale: EvaluationScale;
  fiscalYear: number;
  indicators: IndicatorDto[];
  drafts: ActualDraft[];
  previous: ActualDto[];
  /** the other departments' actuals of this year, for the project's total */
  others: { name: string; actuals: ActualDto[] }[];
  /** the server's message for a line, shown beside it */
  errorOf?: (indicatorId: number) => string | undefined;
  onChange(d: ActualDraft[]): void;
}) {
  const base = useId();
  const set = (i: number, patch: Partial<ActualDraft>) =>
    onChange(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const computes = scale.method !== 'manual';
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
            {computes && <th scope="col">評価</th>}
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
              scale={computes ? scale : null}
              error={errorOf?.(ind.id)}
              onChange={(patch) => set(i, patch)}
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
  scale,
  error,
  onChange,
}: LineProps & {
  target: IndicatorDto['targets'][number] | undefined;
  previous: ActualDto | undefined;
  others: { name: string; actuals: ActualDto[] }[];
  /** the plan's scale when it computes grades, or null */
  scale: EvaluationScale | null;
}) {
  return (
    <tr>
      <th scope="row">
        {ind.name}
        {ind.unit && <span className="muted">（{ind.unit}）</span>}
      </th>
      <td>
        {ind.baseline.text
          ? `${ind.baseline.text}${ind.baseline.fiscalYear ? `（${ind.baseline.fiscalYear}年度）` : ''}`
          : '—'}
      </td>
      <td>{target?.text || (ind.finalTarget.text ? `最終目標 ${ind.finalTarget.text}` : '目標なし')}</td>
      <td>{prev ? prev.text || (prev.status ? ACTUAL_STATUS_LABELS[prev.status] : '—') : '—'}</td>
      <td>
        <ActualInput id={id} indicator={ind} draft={draft} error={error} onChange={onChange} />
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
      {scale && (
        <td>
          <LineGrade id={id} scale={scale} indicator={ind} target={target} draft={draft} onChange={onChange} />
        </td>
      )}
    </tr>
  );
}

/** This year's actual as typed, or a status instead of a value (with the reason when cancelled). */
function ActualInput({ id, indicator: ind, draft: d, error, onChange }: LineProps) {
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
        {d.status ? '' : reading(d.text, ind.unit)}
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

/** The line's grade as the plan's scale computes it, and a change of it with its reason. */
function LineGrade({
  id,
  scale,
  indicator,
  target,
  draft,
  onChange,
}: {
  id: string;
  scale: EvaluationScale;
  indicator: IndicatorDto;
  target: { value: number | null; text: string } | undefined;
  draft: ActualDraft;
  onChange(patch: Partial<ActualDraft>): void;
}) {
  const read = readActual(draft, indicator.kind);
  const computed = evaluate(scale, {
    direction: indicator.direction,
    target: { value: target?.value ?? null, text: target?.text ?? '' },
    actual: { value: read.value, text: read.text, status: read.status },
    baseline: indicator.baseline.value,
    finalTarget: indicator.finalTarget.value,
  });
  const resolved = resolveGrade(computed, { grade: draft.grade, reason: draft.gradeReason }, scale);
  return (
    <div className="line-grade">
      <p id={`${id}-computed`}>
        {computed.grade ? (
          <>
            計算:{' '}
            <strong>
              {computed.level && computed.level !== computed.grade ? `${computed.level} → ` : ''}
              {computed.grade}
            </strong>
            <span className="visually-hidden">（{gradeSpeech(scale, computed.grade)}）</span>
            <span className="hint">{computed.basis}</span>
          </>
        ) : (
          <span className="hint">計算できません（目標または実績が数値でない）。評価を選んでください</span>
        )}
      </p>
      <label htmlFor={`${id}-grade`}>{computed.grade ? '評価を変える' : '評価'}</label>
      <select
        id={`${id}-grade`}
        value={draft.grade ?? ''}
        aria-describedby={`${id}-computed`}
        onChange={(e) => onChange({ grade: e.target.value || null })}
      >
        <option value="">{computed.grade ? '（計算どおり）' : '（未選択）'}</option>
        {scale.grades.map((g) => (
          <option key={g.code} value={g.code}>
            {g.code}: {g.label}
          </option>
        ))}
      </select>
      {resolved.source === 'override' && (
        <>
          <label htmlFor={`${id}-grade-reason`}>評価を変える理由（必須）</label>
          <input
            id={`${id}-grade-reason`}
            type="text"
            value={draft.gradeReason}
            aria-required="true"
            onChange={(e) => onChange({ gradeReason: e.target.value })}
          />
        </>
      )}
    </div>
  );
}
