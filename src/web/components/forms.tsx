import {
  createContext,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { ApiError } from '../lib/api.js';
import { parseFiscalYear } from '../../domain/fiscal-year.js';
import { formatFiscalYear } from '../lib/dates.js';
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

interface Scope {
  id: string;
  error: ApiError | null;
}
const ScopeContext = createContext<Scope | null>(null);

/** The id of the control of the field the API calls `name`, inside one FieldScope. */
const controlId = (scope: string, name: string) => `${scope}-field-${name.replace(/[^\w-]/g, '_')}`;

/**
 * A form's fields and the last refusal of its submit: each Field named like the API's field shows that
 * field's message beside it, and the ErrorSummary inside links each message to its field.
 */
export function FieldScope({ error, children }: { error: unknown; children: ReactNode }) {
  const id = useId();
  return (
    <ScopeContext.Provider value={{ id, error: error instanceof ApiError ? error : null }}>
      {children}
    </ScopeContext.Provider>
  );
}

/** The field's message from its scope's refusal, for controls that are not a Field (a checkbox group). */
export function useScopedError(name: string): string | undefined {
  return useContext(ScopeContext)?.error?.fieldError(name);
}

/**
 * The top of a refused form: what is wrong, each message a link that moves to its field. A refusal that
 * names no field (a conflict, no permission) shows as one message.
 */
export function ErrorSummary({ error, focus = true }: { error?: unknown; focus?: boolean }) {
  const scope = useContext(ScopeContext);
  const shown = error === undefined ? scope?.error : error;
  const ref = useRef<HTMLDivElement>(null);
  const [targets, setTargets] = useState<Record<string, string>>({});
  const details = shown instanceof ApiError && shown.code === 'VALIDATION' ? shown.details : [];
  // Which messages have a field on the page to go to (a field nested deeper goes to its Field).
  useLayoutEffect(() => {
    if (!scope) return;
    const found: Record<string, string> = {};
    for (const d of details) {
      const parts = d.field.split('.');
      for (let n = parts.length; n > 0 && !found[d.field]; n--) {
        const id = controlId(scope.id, parts.slice(0, n).join('.'));
        if (document.getElementById(id)) found[d.field] = id;
      }
    }
    setTargets(found);
    // Read again whenever the refusal changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shown, scope?.id]);
  useEffect(() => {
    if (focus && details.length) ref.current?.focus();
    // Moved to once per refusal.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shown]);
  if (!shown) return null;
  if (!details.length) return <ErrorAlert error={shown} />;
  const unique = details.filter((d, i) => details.findIndex((o) => o.message === d.message) === i);
  const go = (e: MouseEvent, id: string) => {
    e.preventDefault();
    const el = document.getElementById(id);
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  };
  return (
    <div role="alert" className="error-summary" tabIndex={-1} ref={ref}>
      <p className="error-summary-title">入力内容を確認してください（{unique.length}件）</p>
      <ul>
        {unique.map((d) => (
          <li key={`${d.field}:${d.message}`}>
            {targets[d.field] ? (
              <a href={`#${targets[d.field]}`} onClick={(e) => go(e, targets[d.field]!)}>
                {d.message}
              </a>
            ) : (
              d.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  label: string;
  required?: boolean;
  hint?: string;
  /** the message to show; by default the message its FieldScope's refusal gives for `name` */
  error?: string;
  /** the API's name for the field (`name`, `leadDepartmentId`): its message and the summary's link find it by this */
  name?: string;
  /** the longest text the field takes: typing stops there, and a counter shows how much is used */
  maxLength?: number;
  /** the text as typed, for the counter */
  value?: string;
  children: (props: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
    required?: boolean;
    maxLength?: number;
  }) => ReactNode;
}

/** The share of the limit from which the counter warns. */
const NEAR_LIMIT = 0.9;

/**
 * A labelled control with its hint, its counter and its message beside it, tied to it for screen
 * readers (aria-describedby, aria-invalid).
 */
export function Field({ label, required, hint, error, name, maxLength, value, children }: FieldProps) {
  const own = useId();
  const scope = useContext(ScopeContext);
  const id = scope && name ? controlId(scope.id, name) : own;
  const message = error ?? (name ? scope?.error?.fieldError(name) : undefined);
  const counted = maxLength !== undefined && value !== undefined;
  const describedBy =
    [hint && `${id}-hint`, counted && `${id}-count`, message && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${message ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span className="required">必須</span>}
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({
        id,
        'aria-describedby': describedBy,
        'aria-invalid': message ? true : undefined,
        required,
        maxLength,
      })}
      {message && (
        <p className="field-error" id={`${id}-error`}>
          {message}
        </p>
      )}
      {counted && <CharCount id={`${id}-count`} label={label} length={value.length} max={maxLength} />}
    </div>
  );
}

/** 「120 / 200文字」, warning near the limit, and saying so (once, politely) when the limit is reached. */
function CharCount({ id, label, length, max }: { id: string; label: string; length: number; max: number }) {
  const state = length >= max ? ' full' : length >= max * NEAR_LIMIT ? ' near' : '';
  return (
    <>
      <p id={id} className={`char-count${state}`}>
        {length} / {max}文字{length >= max && '（上限です）'}
      </p>
      <span className="visually-hidden" aria-live="polite">
        {length >= max ? `${label}は${max}文字までです。これ以上は入力できません` : ''}
      </span>
    </>
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
  name,
}: {
  label: string;
  value: number | null;
  onChange: (year: number | null) => void;
  required?: boolean;
  error?: string;
  /** the API's name for the field, as for Field */
  name?: string;
}) {
  const era = useEra();
  const [text, setText] = useState(value === null ? '' : String(value));
  const parsed = parseFiscalYear(text);
  const problem = text.trim() !== '' && parsed === null ? '年度として読めません（例: 2021、R3、令和3年度）' : undefined;
  return (
    <Field
      label={label}
      name={name}
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
          <output aria-live="polite">{parsed !== null ? formatFiscalYear(parsed, era) : ''}</output>
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
  name,
}: {
  legend: string;
  options: {
    value: T;
    label: string;
    group?: string;
    disabled?: boolean;
    /** levels to indent (nodes in tree order) */ indent?: number;
  }[];
  selected: T[];
  onChange: (values: T[]) => void;
  filterLabel: string;
  /** shown under the list, read with the group */
  hint?: string;
  /** the server's message for this choice, shown and read with the group; by default its FieldScope's for `name` */
  error?: string;
  /** the API's name for the choice: its message and the summary's link (to the filter box) find it by this */
  name?: string;
}) {
  const [filter, setFilter] = useState('');
  const id = useId();
  const scope = useContext(ScopeContext);
  const filterId = scope && name ? controlId(scope.id, name) : `${id}-filter`;
  error = error ?? (name ? scope?.error?.fieldError(name) : undefined);
  const shown = options.filter(
    (o) => selected.includes(o.value) || o.label.includes(filter.trim()) || (o.group ?? '').includes(filter.trim()),
  );
  return (
    <fieldset
      className={`picker${error ? ' picker-invalid' : ''}`}
      aria-describedby={[hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined}
    >
      <legend>{legend}</legend>
      <label htmlFor={filterId} className="picker-filter-label">
        {filterLabel}
      </label>
      <input id={filterId} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <p className="hint" aria-live="polite">
        {selected.length}件選択中
      </p>
      <ul className="picker-list">
        {shown.map((o) => (
          <li key={o.value} style={o.indent ? { paddingInlineStart: `${o.indent * 1.25}rem` } : undefined}>
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
