import {
  CUSTOM_FIELD_PLACE_LABELS,
  CUSTOM_FIELD_PLACES,
  CUSTOM_FIELD_TYPE_LABELS,
  CUSTOM_FIELD_TYPES,
  DEFAULT_STAGE_MARKS,
  type CategoryDef,
  type CustomFieldDef,
  type CustomFieldPlace,
  type CustomFieldType,
} from '../../../domain/plan-fields.js';
import { Field } from '../../components/forms.js';
import './plan-fields.css';

/** A list typed as 「前期、中期、後期」: kept as typed (a trailing 、 stays) and cleaned when saved. */
const splitList = (text: string): string[] => text.split(/[、,，]/);
const joinList = (list: string[]): string => list.join('、');
export const cleanList = (list: string[]): string[] => list.map((s) => s.trim()).filter(Boolean);

/** The next free key for a new field (`field_3`): keys stay as they are once given, so files and layouts keep working. */
function nextKey(fields: CustomFieldDef[]): string {
  const used = new Set(fields.map((f) => f.key));
  let n = fields.length + 1;
  while (used.has(`field_${n}`)) n++;
  return `field_${n}`;
}

function move<T>(list: T[], i: number, by: number): T[] {
  const j = i + by;
  if (j < 0 || j >= list.length) return list;
  const next = [...list];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/** The plan's 区分: their words in order, and whether the tallies count each. */
export function CategoriesEditor({
  categories,
  onChange,
}: {
  categories: CategoryDef[];
  onChange(list: CategoryDef[]): void;
}) {
  const set = (i: number, c: CategoryDef) => onChange(categories.map((x, k) => (k === i ? c : x)));
  return (
    <fieldset className="plan-fields-editor">
      <legend>区分</legend>
      <p className="hint">
        事業の区分（新規・継続など）として選べる値です。集計に数えない区分はチェックを外してください。
      </p>
      <ol className="plan-fields-list">
        {categories.map((c, i) => (
          <li key={i} className="plan-fields-row">
            <Field label={`区分${i + 1}`} name={`categories.${i}.code`}>
              {(p) => (
                <input
                  {...p}
                  type="text"
                  size={10}
                  value={c.code}
                  onChange={(e) => set(i, { ...c, code: e.target.value })}
                />
              )}
            </Field>
            <label className="checkbox-label">
              <input
                type="checkbox"
                checked={c.counted}
                onChange={(e) => set(i, { ...c, counted: e.target.checked })}
              />
              <span className="visually-hidden">区分{i + 1}を</span>集計に数える
            </label>
            <button
              type="button"
              className="button secondary small"
              aria-label={`区分${i + 1}（${c.code}）を上へ`}
              disabled={i === 0}
              onClick={() => onChange(move(categories, i, -1))}
            >
              上へ
            </button>
            <button
              type="button"
              className="button secondary small"
              aria-label={`区分${i + 1}（${c.code}）を削除`}
              onClick={() => onChange(categories.filter((_, k) => k !== i))}
            >
              削除
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="button secondary small"
        onClick={() => onChange([...categories, { code: '', counted: true }])}
      >
        区分を追加
      </button>
    </fieldset>
  );
}

function FieldRow({
  field,
  index,
  onChange,
  onRemove,
}: {
  field: CustomFieldDef;
  index: number;
  onChange(f: CustomFieldDef): void;
  onRemove(): void;
}) {
  const name = (k: string) => `customFields.${index}.${k}`;
  return (
    <li className="plan-fields-row">
      <Field label="項目名" name={name('label')}>
        {(p) => (
          <input
            {...p}
            type="text"
            size={12}
            value={field.label}
            onChange={(e) => onChange({ ...field, label: e.target.value })}
          />
        )}
      </Field>
      <Field label="入力する場所" name={name('on')}>
        {(p) => (
          <select
            {...p}
            value={field.on}
            onChange={(e) => onChange({ ...field, on: e.target.value as CustomFieldPlace })}
          >
            {CUSTOM_FIELD_PLACES.map((o) => (
              <option key={o} value={o}>
                {CUSTOM_FIELD_PLACE_LABELS[o]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="種類" name={name('type')}>
        {(p) => (
          <select
            {...p}
            value={field.type}
            onChange={(e) => onChange({ ...field, type: e.target.value as CustomFieldType })}
          >
            {CUSTOM_FIELD_TYPES.map((t) => (
              <option key={t} value={t}>
                {CUSTOM_FIELD_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FieldOptions field={field} name={name} onChange={onChange} />
      <button
        type="button"
        className="button secondary small"
        aria-label={`追加の項目「${field.label}」を削除`}
        onClick={onRemove}
      >
        削除
      </button>
    </li>
  );
}

/** What a field's type asks for besides its name: a unit, the phases of a stage, the options or marks. */
function FieldOptions({
  field,
  name,
  onChange,
}: {
  field: CustomFieldDef;
  name(k: string): string;
  onChange(f: CustomFieldDef): void;
}) {
  const hasUnit = field.type === 'number' || field.type === 'money';
  return (
    <>
      {hasUnit && (
        <Field label="単位" name={name('unit')}>
          {(p) => (
            <input
              {...p}
              type="text"
              size={5}
              value={field.unit}
              onChange={(e) => onChange({ ...field, unit: e.target.value })}
            />
          )}
        </Field>
      )}
      {field.type === 'stage' && (
        <Field label="期（、で区切る）" name={name('phases')}>
          {(p) => (
            <input
              {...p}
              type="text"
              size={16}
              value={joinList(field.phases)}
              onChange={(e) => onChange({ ...field, phases: splitList(e.target.value) })}
            />
          )}
        </Field>
      )}
      {(field.type === 'choice' || field.type === 'stage') && (
        <Field
          label={
            field.type === 'stage' ? `段階の記号（空欄は${DEFAULT_STAGE_MARKS.join('')}）` : '選択肢（、で区切る）'
          }
          name={name('choices')}
        >
          {(p) => (
            <input
              {...p}
              type="text"
              size={16}
              value={joinList(field.choices)}
              onChange={(e) => onChange({ ...field, choices: splitList(e.target.value) })}
            />
          )}
        </Field>
      )}
    </>
  );
}

/** The plan's extra fields on projects and answers: 予算額, 施策コード, 期ごとの段階 … */
export function CustomFieldsEditor({
  fields,
  onChange,
}: {
  fields: CustomFieldDef[];
  onChange(list: CustomFieldDef[]): void;
}) {
  const blank = (): CustomFieldDef => ({
    key: nextKey(fields),
    label: '',
    on: 'project',
    type: 'text',
    unit: '',
    choices: [],
    phases: [],
    maxLength: 400,
  });
  return (
    <fieldset className="plan-fields-editor">
      <legend>追加の項目</legend>
      <p className="hint">
        事業ごと（予算額・施策コードなど、計画で入力）や各課の回答ごと（毎年入力）に、この計画だけの項目を加えられます。報告の列にも使えます。
      </p>
      <ol className="plan-fields-list">
        {fields.map((f, i) => (
          <FieldRow
            key={f.key}
            field={f}
            index={i}
            onChange={(next) => onChange(fields.map((x, k) => (k === i ? next : x)))}
            onRemove={() => onChange(fields.filter((_, k) => k !== i))}
          />
        ))}
      </ol>
      <button type="button" className="button secondary small" onClick={() => onChange([...fields, blank()])}>
        項目を追加
      </button>
    </fieldset>
  );
}
