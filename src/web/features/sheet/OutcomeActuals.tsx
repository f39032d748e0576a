import { useEffect, useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import type { OutcomeLineDto, OutcomeYearDto } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { formatEraYear, formatFiscalYear } from '../../lib/dates.js';
import { useEra } from '../../lib/hooks.js';
import type { Slot } from '../../../domain/evaluation/index.js';
import './outcome-actuals.css';

export function outcomeKey(mid: number, planId: number, fiscalYear: number, departmentId: number | null) {
  return ['outcomes', mid, planId, fiscalYear, departmentId ?? 'all'];
}

/** The year's 成果指標 lines (of one department where given), read again after each save. */
export function useOutcomes(mid: number, planId: number, fiscalYear: number, departmentId: number | null) {
  return useQuery({
    queryKey: outcomeKey(mid, planId, fiscalYear, departmentId),
    queryFn: () =>
      api.get<OutcomeYearDto>(
        `/api/m/${mid}/plans/${planId}/years/${fiscalYear}/outcome-indicators${departmentId ? `?departmentId=${departmentId}` : ''}`,
      ),
  });
}

/**
 * 成果指標 of the plan's nodes and of the plan as a whole: the year's target, last year's actual and
 * this year's, each evaluation the plan's indicator slots compute, and the actual entered line by
 * line by the department that reports it (or the coordinating section).
 */
export function OutcomeActuals({
  mid,
  data,
  title = '施策・計画全体の成果指標',
  onDirty,
}: {
  mid: number;
  data: OutcomeYearDto;
  title?: string;
  /** told when a line holds input not yet saved (the page warns before leaving) */
  onDirty?(key: number, dirty: boolean): void;
}) {
  const headingId = useId();
  const era = useEra();
  const columns = data.config.slots.filter((s) => data.lines.some((l) => l.values[s.key]));
  if (data.lines.length === 0) return null;
  return (
    <section className="outcome-actuals" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <p className="muted">
        {formatFiscalYear(data.fiscalYear, era)}の実績を1行ずつ保存します。評価は保存した実績から計算されます。
      </p>
      <div className="table-scroll">
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">指標</th>
              <th scope="col">報告する課</th>
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
            {data.lines.map((line) => (
              <OutcomeRow
                key={line.indicator.id}
                mid={mid}
                data={data}
                line={line}
                columns={columns}
                onDirty={onDirty}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ownerLabel(line: OutcomeLineDto): string {
  return line.node ? `${line.node.number} ${line.node.title}` : '計画全体';
}

function OutcomeRow({
  mid,
  data,
  line,
  columns,
  onDirty,
}: {
  mid: number;
  data: OutcomeYearDto;
  line: OutcomeLineDto;
  columns: Slot[];
  onDirty?(key: number, dirty: boolean): void;
}) {
  const era = useEra();
  const ind = line.indicator;
  return (
    <tr>
      <th scope="row">
        {ind.name}
        <span className="outcome-owner">{ownerLabel(line)}</span>
      </th>
      <td>{line.departmentName}</td>
      <td>
        {ind.baseline.text ? `${ind.baseline.text}${ind.unit}` : '—'}
        {ind.baseline.fiscalYear && <span className="muted">（{formatFiscalYear(ind.baseline.fiscalYear, era)}）</span>}
      </td>
      <td>{line.target ? `${line.target}${ind.unit}` : '—'}</td>
      <td>{line.previous ? `${line.previous}${ind.unit}` : '—'}</td>
      <td>
        {line.mayEnter ? (
          <ActualEntry mid={mid} data={data} line={line} onDirty={onDirty} />
        ) : (
          <>
            {line.actual.text ? `${line.actual.text}${ind.unit}` : '未入力'}
            {line.locked && <p className="muted">{line.locked}</p>}
          </>
        )}
      </td>
      {columns.map((s) => {
        const v = line.values[s.key];
        return (
          <td key={s.key}>
            <strong>{v?.code ?? '—'}</strong>
            {v?.basis && <span className="outcome-basis">{v.basis}</span>}
          </td>
        );
      })}
    </tr>
  );
}

/** The year's actual of one line as typed, saved over the value read; the server's message beside it. */
function ActualEntry({
  mid,
  data,
  line,
  onDirty,
}: {
  mid: number;
  data: OutcomeYearDto;
  line: OutcomeLineDto;
  onDirty?(key: number, dirty: boolean): void;
}) {
  const ind = line.indicator;
  const era = useEra();
  const id = useId();
  const client = useQueryClient();
  const [text, setText] = useState(line.actual.text);
  useEffect(() => setText(line.actual.text), [line.actual.text]);
  const dirty = text.trim() !== line.actual.text;
  useEffect(() => {
    onDirty?.(-ind.id, dirty);
    return () => onDirty?.(-ind.id, false);
  }, [dirty, ind.id, onDirty]);
  const save = useMutation({
    mutationFn: () =>
      api.put(`/api/m/${mid}/indicators/${ind.id}/actuals/${data.fiscalYear}`, {
        text,
        readText: line.actual.text,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['outcomes', mid, data.planId, data.fiscalYear] }),
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const fieldError = err?.fieldError('text') ?? (err && err.details.length === 0 ? err.message : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="outcome-entry" onSubmit={submit} noValidate>
      <label htmlFor={`${id}-text`} className="visually-hidden">
        {ind.name}の{formatEraYear(data.fiscalYear, era)}の実績
      </label>
      <input
        id={`${id}-text`}
        type="text"
        size={8}
        maxLength={200}
        value={text}
        aria-invalid={fieldError ? true : undefined}
        aria-describedby={fieldError ? `${id}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
      />
      {ind.unit && <span>{ind.unit}</span>}
      <button type="submit" className="button secondary small" disabled={save.isPending || !dirty}>
        保存
      </button>
      {fieldError && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {fieldError}
        </p>
      )}
    </form>
  );
}

/** The department's own 成果指標 on its sheet, for the round's year; nothing where it reports none. */
export function SheetOutcomes({
  mid,
  planId,
  fiscalYear,
  departmentId,
  onDirty,
}: {
  mid: number;
  planId: number;
  fiscalYear: number;
  departmentId: number;
  onDirty(key: number, dirty: boolean): void;
}) {
  const q = useOutcomes(mid, planId, fiscalYear, departmentId);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  return <OutcomeActuals mid={mid} data={q.data} title="この課が報告する成果指標" onDirty={onDirty} />;
}
