import { useId, useState, type ReactNode } from 'react';
import { ApiError } from '../lib/api.js';
import { fiscalYearLabel, parseFiscalYear } from '../../domain/fiscal-year.js';
import { useEra } from '../lib/hooks.js';
import './forms.css';

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="error-banner">
      {message}
    </div>
  );
}

interface FieldProps {
  label: string;
  required?: boolean;
  hint?: string;
  error?: string;
  children: (props: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
    required?: boolean;
  }) => ReactNode;
}

/** A labelled control with its hint and error tied to it for screen readers. */
export function Field({ label, required, hint, error, children }: FieldProps) {
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span className="required">必須</span>}
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined, required })}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A fiscal year typed as users write it (R3, 令和3, 2021, H31) with the label it will be stored
 * as shown beside it.
 */
export function FiscalYearInput({
  label,
  value,
  onChange,
  required,
  error,
}: {
  label: string;
  value: number | null;
  onChange: (year: number | null) => void;
  required?: boolean;
  error?: string;
}) {
  const era = useEra();
  const [text, setText] = useState(value === null ? '' : String(value));
  const parsed = parseFiscalYear(text);
  const problem = text.trim() !== '' && parsed === null ? '年度として読めません（例: 2021、R3、令和3年度）' : undefined;
  return (
    <Field
      label={label}
      required={required}
      hint="西暦・和暦どちらでも入力できます（例: 2021、R3、令和3年度）"
      error={error ?? problem}
    >
      {(p) => (
        <div className="year-input">
          <input
            {...p}
            type="text"
            inputMode="text"
            value={text}
            size={12}
            onChange={(e) => {
              setText(e.target.value);
              onChange(parseFiscalYear(e.target.value));
            }}
          />
          <output aria-live="polite">{parsed !== null ? fiscalYearLabel(parsed, era) : ''}</output>
        </div>
      )}
    </Field>
  );
}

/** A filterable list of checkboxes, for choosing several departments or nodes. */
export function CheckboxPicker<T extends number>({
  legend,
  options,
  selected,
  onChange,
  filterLabel,
  hint,
  error,
}: {
  legend: string;
  options: { value: T; label: string; group?: string; disabled?: boolean }[];
  selected: T[];
  onChange: (values: T[]) => void;
  filterLabel: string;
  /** shown under the list, read with the group */
  hint?: string;
  /** the server's message for this choice, shown and read with the group */
  error?: string;
}) {
  const [filter, setFilter] = useState('');
  const id = useId();
  const shown = options.filter(
    (o) => selected.includes(o.value) || o.label.includes(filter.trim()) || (o.group ?? '').includes(filter.trim()),
  );
  return (
    <fieldset
      className={`picker${error ? ' picker-invalid' : ''}`}
      aria-describedby={[hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined}
    >
      <legend>{legend}</legend>
      <label htmlFor={`${id}-filter`} className="picker-filter-label">
        {filterLabel}
      </label>
      <input id={`${id}-filter`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <p className="hint" aria-live="polite">
        {selected.length}件選択中
      </p>
      <ul className="picker-list">
        {shown.map((o) => (
          <li key={o.value}>
            <label>
              <input
                type="checkbox"
                checked={selected.includes(o.value)}
                disabled={o.disabled}
                onChange={(e) =>
                  onChange(e.target.checked ? [...selected, o.value] : selected.filter((v) => v !== o.value))
                }
              />
              {o.group && <span className="picker-group">{o.group}</span>}
              {o.label}
            </label>
          </li>
        ))}
      </ul>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
