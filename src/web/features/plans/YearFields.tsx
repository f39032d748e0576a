import { useId } from 'react';
import { FiscalYearInput } from '../../components/forms.js';
import { useEra } from '../../lib/hooks.js';
import { spanExplanation } from './years.js';
import './plan-structure.css';

/**
 * 開始年度 / 終了年度 of a node or project, with what the span means for the sheets and reports of
 * other years. Empty fields mean the plan's first and last year.
 */
export function YearFields({
  startYear,
  endYear,
  period,
  onChange,
  startError,
  endError,
}: {
  startYear: number | null;
  endYear: number | null;
  period: { firstYear: number; lastYear: number };
  onChange(span: { startYear: number | null; endYear: number | null }): void;
  startError?: string;
  endError?: string;
}) {
  const era = useEra();
  const id = useId();
  return (
    <fieldset className="field year-span" aria-describedby={`${id}-explain`}>
      <legend>対象年度</legend>
      <p className="hint">
        空欄なら計画期間の初めから／終わりまで。西暦・和暦どちらでも入力できます（例: 2026、R8、令和8年度）。
      </p>
      <div className="field-row">
        <FiscalYearInput
          label="開始年度"
          name="startYear"
          value={startYear}
          onChange={(y) => onChange({ startYear: y, endYear })}
          error={startError}
        />
        <FiscalYearInput
          label="終了年度"
          name="endYear"
          value={endYear}
          onChange={(y) => onChange({ startYear, endYear: y })}
          error={endError}
        />
      </div>
      <p className="year-span-explain" id={`${id}-explain`}>
        {spanExplanation({ startYear, endYear }, period, era)}
      </p>
    </fieldset>
  );
}
