import { useId } from 'react';
import { Field } from './forms.js';
import {
  customText,
  stageMarks,
  type CustomFieldDef,
  type CustomValue,
  type CustomValues,
} from '../../domain/plan-fields.js';
import './custom-fields.css';

/** A value as the input shows it: numbers as typed text, a stage as its marks per phase. */
const asText = (v: CustomValue | undefined): string => (v === undefined ? '' : typeof v === 'object' ? '' : String(v));

function StageInput({
  def,
  value,
  onChange,
}: {
  def: CustomFieldDef;
  value: CustomValue | undefined;
  onChange(v: CustomValue): void;
}) {
  const id = useId();
  const marks = stageMarks(def);
  const current = typeof value === 'object' ? value : {};
  return (
    <fieldset className="stage-input" aria-describedby={`${id}-legend`}>
      <legend id={`${id}-legend`}>{def.label}</legend>
      {def.phases.map((phase) => (
        <label key={phase} className="stage-phase">
          <span>{phase}</span>
          <select
            aria-label={`${def.label}（${phase}）`}
            value={current[phase] ?? ''}
            onChange={(e) => {
              const next = { ...current };
              if (e.target.value) next[phase] = e.target.value;
              else delete next[phase];
              onChange(next);
            }}
          >
            <option value="">－</option>
            {marks.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The plan's extra fields of one place (a project's, or an answer's), each as its type asks: text,
 * a number or an amount with its unit, a choice, a stage per phase. Values are sent as typed and
 * read on the server; a refusal shows beside its field (`custom.<key>`).
 */
export function CustomFieldInputs({
  defs,
  values,
  onChange,
  disabled,
}: {
  defs: CustomFieldDef[];
  values: CustomValues;
  onChange(values: CustomValues): void;
  disabled?: boolean;
}) {
  if (defs.length === 0) return null;
  const set = (key: string, v: CustomValue) => {
    const next = { ...values };
    if (v === '' || (typeof v === 'object' && Object.keys(v).length === 0)) delete next[key];
    else next[key] = v;
    onChange(next);
  };
  return (
    <div className="custom-fields">
      {defs.map((def) =>
        def.type === 'stage' ? (
          <StageInput key={def.key} def={def} value={values[def.key]} onChange={(v) => set(def.key, v)} />
        ) : (
          <Field
            key={def.key}
            label={def.unit ? `${def.label}（${def.unit}）` : def.label}
            name={`custom.${def.key}`}
            maxLength={def.type === 'text' ? def.maxLength : undefined}
            value={def.type === 'text' ? asText(values[def.key]) : undefined}
          >
            {(p) =>
              def.type === 'choice' ? (
                <select
                  {...p}
                  disabled={disabled}
                  value={asText(values[def.key])}
                  onChange={(e) => set(def.key, e.target.value)}
                >
                  <option value="">（なし）</option>
                  {def.choices.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  {...p}
                  type="text"
                  inputMode={def.type === 'text' ? undefined : 'decimal'}
                  size={def.type === 'text' ? 40 : 12}
                  disabled={disabled}
                  value={asText(values[def.key])}
                  onChange={(e) => set(def.key, e.target.value)}
                />
              )
            }
          </Field>
        ),
      )}
    </div>
  );
}

/** The plan's extra fields of one place as read-only lines: 「予算額 1,200千円」. */
export function CustomFieldList({ defs, values }: { defs: CustomFieldDef[]; values: CustomValues }) {
  const shown = defs.filter((d) => values[d.key] !== undefined);
  if (shown.length === 0) return null;
  return (
    <dl className="custom-field-list">
      {shown.map((d) => (
        <div key={d.key}>
          <dt>{d.label}</dt>
          <dd>{customText(d, values[d.key])}</dd>
        </div>
      ))}
    </dl>
  );
}
