import { useId, type ReactNode } from 'react';
import { Field } from '../../components/forms.js';

/**
 * The small controls of the evaluation settings: fields with their label and the message beside
 * them, and cells of the tables (levels, legend, bands) whose label is read but not shown.
 */

export interface Option {
  value: string;
  label: string;
}

export function TextField(p: {
  label: string;
  value: string;
  onChange(v: string): void;
  error?: string;
  hint?: string;
  readOnly?: boolean;
  size?: number;
}) {
  return (
    <Field label={p.label} error={p.error} hint={p.hint}>
      {(a) => (
        <input
          {...a}
          type="text"
          value={p.value}
          readOnly={p.readOnly}
          size={p.size}
          onChange={(e) => p.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export function SelectField(p: {
  label: string;
  value: string;
  options: Option[];
  onChange(v: string): void;
  error?: string;
  hint?: string;
}) {
  return (
    <Field label={p.label} error={p.error} hint={p.hint}>
      {(a) => (
        <select {...a} value={p.value} onChange={(e) => p.onChange(e.target.value)}>
          {p.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckField(p: { label: string; checked: boolean; onChange(v: boolean): void; error?: string }) {
  const id = useId();
  return (
    <div className={`check-field${p.error ? ' has-error' : ''}`}>
      <label className="inline-check">
        <input
          type="checkbox"
          checked={p.checked}
          aria-invalid={p.error ? true : undefined}
          aria-describedby={p.error ? `${id}-error` : undefined}
          onChange={(e) => p.onChange(e.target.checked)}
        />
        {p.label}
      </label>
      {p.error && (
        <p className="field-error" id={`${id}-error`}>
          {p.error}
        </p>
      )}
    </div>
  );
}

/** The codes of a scale to choose from; an unknown code stays shown, marked, so its message makes sense. */
export function codeChoices(codes: string[], value: string, none?: string): Option[] {
  const out: Option[] = none === undefined ? [] : [{ value: '', label: none }];
  out.push(...codes.map((c) => ({ value: c, label: c })));
  if (value && !codes.includes(value)) out.push({ value, label: `${value}（凡例にない記号）` });
  return out;
}

/** A cell's message, tied to its control. */
function CellError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p className="field-error" id={id}>
      {error}
    </p>
  ) : null;
}

export function CellInput(p: {
  label: string;
  value: string;
  onChange(v: string): void;
  error?: string;
  inputMode?: 'decimal' | 'text';
}) {
  const id = useId();
  return (
    <>
      <input
        type="text"
        aria-label={p.label}
        value={p.value}
        inputMode={p.inputMode}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={p.error ? id : undefined}
        onChange={(e) => p.onChange(e.target.value)}
      />
      <CellError id={id} error={p.error} />
    </>
  );
}

export function CellSelect(p: {
  label: string;
  value: string;
  options: Option[];
  onChange(v: string): void;
  error?: string;
}) {
  const id = useId();
  return (
    <>
      <select
        aria-label={p.label}
        value={p.value}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={p.error ? id : undefined}
        onChange={(e) => p.onChange(e.target.value)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <CellError id={id} error={p.error} />
    </>
  );
}

export function CellCheck(p: { label: string; checked: boolean; onChange(v: boolean): void }) {
  return (
    <input type="checkbox" aria-label={p.label} checked={p.checked} onChange={(e) => p.onChange(e.target.checked)} />
  );
}

/** Up, down and remove for a row of a table or an item of a list. */
export function RowActions(p: {
  what: string;
  index: number;
  count: number;
  onMove?(by: -1 | 1): void;
  onRemove?(): void;
  removeDisabled?: boolean;
}) {
  return (
    <span className="row-actions">
      {p.onMove && (
        <>
          <button
            type="button"
            className="button secondary small"
            aria-label={`${p.what}を上へ`}
            disabled={p.index === 0}
            onClick={() => p.onMove?.(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="button secondary small"
            aria-label={`${p.what}を下へ`}
            disabled={p.index === p.count - 1}
            onClick={() => p.onMove?.(1)}
          >
            ↓
          </button>
        </>
      )}
      {p.onRemove && (
        <button
          type="button"
          className="button danger small"
          aria-label={`${p.what}を削除`}
          disabled={p.removeDisabled}
          onClick={p.onRemove}
        >
          削除
        </button>
      )}
    </span>
  );
}

/** A message for a whole table or group (同じ記号が重複しています). */
export function GroupError({ error }: { error?: string }) {
  return error ? <p className="field-error">{error}</p> : null;
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="eval-subsection" aria-labelledby={id}>
      <h4 id={id}>{title}</h4>
      {children}
    </section>
  );
}
