import { useState, type FormEvent } from 'react';
import { ApiError } from '../../lib/api.js';
import type { PlanDetail } from '../../lib/types.js';
import { ErrorAlert, Field, FieldScope, FiscalYearInput } from '../../components/forms.js';
import { LevelsEditor, type LevelDraft } from './LevelsEditor.js';
import type { CategoryDef, CustomFieldDef } from '../../../domain/plan-fields.js';
import { CategoriesEditor, cleanList, CustomFieldsEditor } from './PlanFieldsEditor.js';

export interface PlanSettingsDraft {
  title: string;
  slogan: string;
  firstYear: number | null;
  lastYear: number | null;
  levels: LevelDraft[];
  subPlans: string[];
  categories: CategoryDef[];
  customFields: CustomFieldDef[];
}

function settingsDraft(plan: PlanDetail): PlanSettingsDraft {
  return {
    title: plan.plan.title,
    slogan: plan.plan.slogan,
    firstYear: plan.plan.firstYear,
    lastYear: plan.plan.lastYear,
    levels: plan.levels.map((l) => ({
      name: l.name,
      numberingStyle: l.numberingStyle,
      numberingScope: l.numberingScope,
      numberHeading: l.numberHeading,
    })),
    subPlans: plan.plan.subPlans.map((s) => s.name),
    categories: plan.plan.categories,
    customFields: plan.plan.customFields,
  };
}

/** The draft as sent: empty 区分 rows and empty list items left out. */
function cleaned(draft: PlanSettingsDraft): PlanSettingsDraft {
  return {
    ...draft,
    categories: draft.categories.map((c) => ({ ...c, code: c.code.trim() })).filter((c) => c.code !== ''),
    customFields: draft.customFields.map((f) => ({ ...f, choices: cleanList(f.choices), phases: cleanList(f.phases) })),
  };
}

function PeriodFields({
  draft,
  error,
  onChange,
}: {
  draft: PlanSettingsDraft;
  error: ApiError | null;
  onChange(d: PlanSettingsDraft): void;
}) {
  return (
    <div className="field-row">
      <FiscalYearInput
        label="計画期間（開始年度）"
        required
        value={draft.firstYear}
        onChange={(firstYear) => onChange({ ...draft, firstYear })}
        error={error?.fieldError('firstYear')}
      />
      <FiscalYearInput
        label="計画期間（終了年度）"
        required
        value={draft.lastYear}
        onChange={(lastYear) => onChange({ ...draft, lastYear })}
        error={error?.fieldError('lastYear')}
      />
    </div>
  );
}

export function PlanSettings({
  plan,
  busy,
  error,
  onSave,
}: {
  plan: PlanDetail;
  busy: boolean;
  error: unknown;
  onSave(d: PlanSettingsDraft): void;
}) {
  const [draft, setDraft] = useState<PlanSettingsDraft>(() => settingsDraft(plan));
  const err = error instanceof ApiError ? error : null;
  const deepest = plan.nodes.reduce((m, n) => Math.max(m, n.depth + 1), 0);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // How the plan evaluates (slots and scales, by year) is set on its own screen, 評価の方法.
    onSave(cleaned(draft));
  };
  return (
    <FieldScope error={error}>
      <form onSubmit={submit} noValidate className="plan-settings">
        <ErrorAlert error={error} />
        <Field label="計画名" required error={err?.fieldError('title')}>
          {(p) => (
            <input
              {...p}
              type="text"
              value={draft.title}
              onChange={(e) => setDraft({ ...draft, title: e.target.value })}
            />
          )}
        </Field>
        <Field label="スローガン（めざす姿）" error={err?.fieldError('slogan')}>
          {(p) => (
            <input
              {...p}
              type="text"
              value={draft.slogan}
              onChange={(e) => setDraft({ ...draft, slogan: e.target.value })}
            />
          )}
        </Field>
        <PeriodFields draft={draft} error={err} onChange={setDraft} />
        <LevelsEditor
          levels={draft.levels}
          onChange={(levels) => setDraft({ ...draft, levels })}
          lockedDepth={deepest}
        />
        <Field label="関連計画（1行に1つ）" error={err?.fieldError('subPlans')}>
          {(p) => (
            <textarea
              {...p}
              rows={2}
              value={draft.subPlans.join('\n')}
              onChange={(e) => setDraft({ ...draft, subPlans: e.target.value.split('\n') })}
              onBlur={() => setDraft({ ...draft, subPlans: draft.subPlans.map((s) => s.trim()).filter(Boolean) })}
            />
          )}
        </Field>
        <CategoriesEditor categories={draft.categories} onChange={(categories) => setDraft({ ...draft, categories })} />
        <CustomFieldsEditor
          fields={draft.customFields}
          onChange={(customFields) => setDraft({ ...draft, customFields })}
        />
        <button type="submit" className="button primary" disabled={busy}>
          計画の設定を保存
        </button>
      </form>
    </FieldScope>
  );
}
