import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Department, PlanDetail, Project } from '../../lib/types.js';
import { CheckboxPicker, ErrorSummary, Field, FieldScope } from '../../components/forms.js';
import type { CustomValues } from '../../../domain/plan-fields.js';
import { CustomFieldInputs } from '../../components/CustomFields.js';
import { nodeOptions, unitOptions, type UnitOption } from './project-options.js';
import { indentedLabel } from '../../lib/node-options.js';
import { IndicatorsSection } from './IndicatorsSection.js';
import { YearFields } from './YearFields.js';
import { useEra, useMid } from '../../lib/hooks.js';

export interface ProjectDraft {
  nodeId: number;
  number: string;
  name: string;
  summary: string;
  category: string | null;
  audience: string;
  custom: CustomValues;
  leadDepartmentId: number | null;
  coDepartmentIds: number[];
  crossListNodeIds: number[];
  startYear: number | null;
  endYear: number | null;
}

interface Props {
  plan: PlanDetail;
  departments: Department[];
  project: Project | null;
  nodeId: number;
  canEdit: boolean;
  busy: boolean;
  error: unknown;
  onSave(draft: ProjectDraft): void;
  onDelete(project: Project): void;
}

function nextNumber(plan: PlanDetail): string {
  const numbers = plan.projects.map((p) => Number(p.number)).filter((n) => Number.isInteger(n));
  return String((numbers.length ? Math.max(...numbers) : 0) + 1);
}

function initialDraft(plan: PlanDetail, project: Project | null, nodeId: number): ProjectDraft {
  return project
    ? { ...project }
    : {
        nodeId,
        number: nextNumber(plan),
        name: '',
        summary: '',
        category: null,
        audience: '',
        custom: {},
        leadDepartmentId: null,
        coDepartmentIds: [],
        crossListNodeIds: [],
        // A new project belongs to the year being worked on and later ones, unless told otherwise.
        startYear: plan.plan.currentYear,
        endYear: null,
      };
}

export function ProjectPanel({ plan, departments, project, nodeId, canEdit, busy, error, onSave, onDelete }: Props) {
  const mid = useMid();
  const [draft, setDraft] = useState<ProjectDraft>(() => initialDraft(plan, project, nodeId));
  useEffect(() => setDraft(initialDraft(plan, project, nodeId)), [plan, project, nodeId]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(draft);
  };

  return (
    <section className="detail-panel" aria-labelledby="project-panel-title">
      <h2 id="project-panel-title">{project ? `事業 ${project.number} ${project.name}` : '事業を追加'}</h2>
      <FieldScope error={error}>
        <form onSubmit={submit} noValidate>
          <ErrorSummary />
          <fieldset disabled={!canEdit} className="plain">
            <ProjectFields plan={plan} draft={draft} onChange={setDraft} />
            <ProjectPlacement plan={plan} departments={departments} draft={draft} onChange={setDraft} />
            <button type="submit" className="button primary" disabled={busy}>
              {project ? '保存する' : '追加する'}
            </button>
          </fieldset>
        </form>
      </FieldScope>
      {project && (
        <IndicatorsSection
          mid={mid}
          plan={plan}
          owner={{ kind: 'project', project }}
          departments={departments}
          canEdit={canEdit}
        />
      )}
      {project && canEdit && (
        <div className="panel-actions">
          <button type="button" className="button danger small" disabled={busy} onClick={() => onDelete(project)}>
            この事業を削除
          </button>
        </div>
      )}
    </section>
  );
}

interface DraftProps {
  plan: PlanDetail;
  draft: ProjectDraft;
  onChange(draft: ProjectDraft): void;
}

/** What the project is: number, 区分, name, years, summary, audience. */
function ProjectFields({ plan, draft, onChange }: DraftProps) {
  return (
    <>
      <div className="field-row">
        <Field label="事業番号" name="number" required hint="計画内で重複しない番号" maxLength={20}>
          {(p) => (
            <input
              {...p}
              type="text"
              size={8}
              value={draft.number}
              onChange={(e) => onChange({ ...draft, number: e.target.value })}
            />
          )}
        </Field>
        <Field label="区分" name="category">
          {(p) => (
            <select
              {...p}
              value={draft.category ?? ''}
              onChange={(e) => onChange({ ...draft, category: e.target.value || null })}
            >
              <option value="">（なし）</option>
              {plan.plan.categories.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code}
                </option>
              ))}
              {draft.category && !plan.plan.categories.some((c) => c.code === draft.category) && (
                <option value={draft.category}>{draft.category}（計画の区分にありません）</option>
              )}
            </select>
          )}
        </Field>
      </div>
      <Field label="事業名" name="name" required maxLength={200} value={draft.name}>
        {(p) => (
          <input {...p} type="text" value={draft.name} onChange={(e) => onChange({ ...draft, name: e.target.value })} />
        )}
      </Field>
      <YearFields
        startYear={draft.startYear}
        endYear={draft.endYear}
        period={plan.plan}
        onChange={(span) => onChange({ ...draft, ...span })}
      />
      <Field label="事業概要" name="summary" maxLength={4000} value={draft.summary}>
        {(p) => (
          <textarea
            {...p}
            rows={4}
            value={draft.summary}
            onChange={(e) => onChange({ ...draft, summary: e.target.value })}
          />
        )}
      </Field>
      <Field label="対象者" name="audience" maxLength={200} value={draft.audience}>
        {(p) => (
          <input
            {...p}
            type="text"
            value={draft.audience}
            onChange={(e) => onChange({ ...draft, audience: e.target.value })}
          />
        )}
      </Field>
      <CustomFieldInputs
        defs={plan.plan.customFields.filter((f) => f.on === 'project')}
        values={draft.custom}
        onChange={(custom) => onChange({ ...draft, custom })}
      />
    </>
  );
}

/** Where the project sits and who answers it: its node, lead and co-departments, the nodes it is listed again under. */
function ProjectPlacement({ plan, departments, draft, onChange }: DraftProps & { departments: Department[] }) {
  const era = useEra();
  // 課 that exist now (or were picked already), grouped under their 部.
  const units = useMemo(
    () => unitOptions(departments, [...draft.coDepartmentIds, draft.leadDepartmentId], era),
    [departments, draft.coDepartmentIds, draft.leadDepartmentId, era],
  );
  const nodes = nodeOptions(plan, draft.nodeId);
  return (
    <>
      <Field label="掲載先" name="nodeId" required>
        {(p) => (
          <select
            {...p}
            value={draft.nodeId}
            onChange={(e) =>
              onChange({
                ...draft,
                nodeId: Number(e.target.value),
                crossListNodeIds: draft.crossListNodeIds.filter((n) => n !== Number(e.target.value)),
              })
            }
          >
            {nodes.map((o) => (
              <option key={o.value} value={o.value}>
                {indentedLabel(o)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <LeadDepartmentField units={units} draft={draft} onChange={onChange} />
      <CheckboxPicker
        name="coDepartmentIds"
        legend="関係課（複数選択可）"
        filterLabel="課名で絞り込み"
        options={units.map((u) => ({ ...u, disabled: u.value === draft.leadDepartmentId }))}
        selected={draft.coDepartmentIds}
        onChange={(coDepartmentIds) => onChange({ ...draft, coDepartmentIds })}
      />
      <CheckboxPicker
        name="crossListNodeIds"
        legend="再掲先（この事業を再掲する項目）"
        filterLabel="項目名で絞り込み"
        options={nodes}
        selected={draft.crossListNodeIds}
        onChange={(crossListNodeIds) => onChange({ ...draft, crossListNodeIds })}
      />
    </>
  );
}

/** 主担当課, chosen among the 課 grouped by 部; it leaves the co-departments when chosen. */
function LeadDepartmentField({
  units,
  draft,
  onChange,
}: {
  units: UnitOption[];
  draft: ProjectDraft;
  onChange(draft: ProjectDraft): void;
}) {
  const groups = [...new Set(units.map((u) => u.group ?? ''))];
  return (
    <Field label="主担当課" name="leadDepartmentId" required>
      {(p) => (
        <select
          {...p}
          value={draft.leadDepartmentId ?? ''}
          onChange={(e) => {
            const lead = e.target.value ? Number(e.target.value) : null;
            onChange({
              ...draft,
              leadDepartmentId: lead,
              coDepartmentIds: draft.coDepartmentIds.filter((d) => d !== lead),
            });
          }}
        >
          <option value="">選んでください</option>
          {groups.map((g) => (
            <optgroup key={g} label={g || '（部なし）'}>
              {units
                .filter((u) => (u.group ?? '') === g)
                .map((u) => (
                  <option key={u.value} value={u.value}>
                    {u.label}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      )}
    </Field>
  );
}
