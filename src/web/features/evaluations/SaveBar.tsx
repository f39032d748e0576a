import { useId } from 'react';
import { ApiError } from '../../lib/api.js';
import { useEra } from '../../lib/hooks.js';
import type { EvaluationSettingsDto } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import type { ConfigDraft } from './config-draft.js';
import type { FieldErrors } from './field-errors.js';
import { saveEffect, yearChoices } from './versions.js';

/**
 * Saving the draft from a fiscal year: the years a change may start from (those whose version would
 * cover a fixed year are refused), what saving from the chosen one does, and the server's answer —
 * a conflict (a fixed year, entries that would lose their slot) beside the year, in its words.
 */
export function SaveBar(p: {
  settings: EvaluationSettingsDto;
  fromYear: number;
  onFromYear(year: number): void;
  note: string;
  onNote(note: string): void;
  error: unknown;
  busy: boolean;
  problems: FieldErrors;
  draft: ConfigDraft;
  onSave(): void;
}) {
  const era = useEra();
  const id = useId();
  const error = p.error instanceof ApiError ? p.error : null;
  const conflict = error?.status === 409 ? error.message : undefined;
  const yearError = conflict ?? error?.fieldError('fromYear');
  // Messages on fields are listed with where they are; any other failure is said as the server says it.
  const problems = p.problems.summary(p.draft).filter((x) => x.where !== '適用開始年度');
  const other = p.error && error?.status !== 409 && problems.length === 0 && !yearError ? p.error : null;
  return (
    <section className="eval-save" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>保存</h2>
      <div className="eval-save-fields">
        <div className={`field${yearError ? ' has-error' : ''}`}>
          <label htmlFor={`${id}-year`}>適用開始年度</label>
          <select
            id={`${id}-year`}
            value={p.fromYear}
            aria-invalid={yearError ? true : undefined}
            aria-describedby={`${id}-effect${yearError ? ` ${id}-year-error` : ''}`}
            onChange={(e) => p.onFromYear(Number(e.target.value))}
          >
            {yearChoices(p.settings, era).map((c) => (
              <option key={c.year} value={c.year} disabled={c.fixed.length > 0}>
                {c.label}
              </option>
            ))}
          </select>
          {yearError && (
            <p className="field-error" id={`${id}-year-error`} role="alert">
              {yearError}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>変更の理由・メモ</label>
          <input
            id={`${id}-note`}
            type="text"
            value={p.note}
            maxLength={200}
            onChange={(e) => p.onNote(e.target.value)}
          />
        </div>
      </div>
      <p id={`${id}-effect`} className="eval-save-effect">
        {saveEffect(p.settings, p.fromYear, era)}
      </p>
      <ErrorAlert error={other} />
      {problems.length > 0 && (
        <div role="alert" className="error-banner">
          <p>保存できませんでした。次を直してください（各項目の横にも説明があります）。</p>
          <ul className="eval-problems">
            {problems.map((x, i) => (
              <li key={i}>
                {x.where && `${x.where}：`}
                {x.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="button" className="button primary" disabled={p.busy} onClick={p.onSave}>
        この内容で保存
      </button>
    </section>
  );
}
