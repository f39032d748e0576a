import {
  INDICATOR_PURPOSES,
  INDICATOR_PURPOSE_LABELS,
  TARGET_BASES,
  TARGET_BASIS_LABELS,
  type IndicatorPurpose,
  type TargetBasis,
} from '../../../domain/evaluation/index.js';
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra } from '../../lib/hooks.js';
import type { Department, IndicatorDto, IndicatorTerms, PlanDetail, Project } from '../../lib/types.js';
import type { Era2019 } from '../../../domain/fiscal-year.js';
import './indicator-revisions.css';
import { targetReading } from './target-reading.js';
import { ErrorAlert, ErrorSummary, Field, FieldScope, FiscalYearInput } from '../../components/forms.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import {
  COMMON_UNITS,
  DIRECTIONS,
  DIRECTION_LABELS,
  INDICATOR_KINDS,
  INDICATOR_KIND_LABELS,
  type Direction,
  type IndicatorKind,
} from '../../../domain/cycle-terms.js';
import { fiscalYearRange } from '../../../domain/fiscal-year.js';
import { formatEraYear, formatFiscalYear, formatFiscalYearShort } from '../../lib/dates.js';
import {
  draftYears,
  indicatorBody,
  indicatorDraft,
  lastFixedYearOf,
  mayRemove,
  type IndicatorDraft,
} from './indicator-draft.js';
import { YearFields } from './YearFields.js';
import { spanTag } from './years.js';

/** Whose indicators: a project's (活動指標), a node's or the whole plan's (成果指標). */
export type IndicatorOwner =
  { kind: 'project'; project: Project } | { kind: 'node'; nodeId: number } | { kind: 'plan' };

const OWNER_TITLES: Record<IndicatorOwner['kind'], string> = {
  project: '活動指標・数値目標',
  node: '成果指標',
  plan: '計画全体の成果指標',
};

function ownerKey(owner: IndicatorOwner): string {
  return owner.kind === 'project' ? `p${owner.project.id}` : owner.kind === 'node' ? `n${owner.nodeId}` : 'plan';
}

/** Reads the owner's indicators: a project's from its own list, a node's or the plan's from the plan's 成果指標. */
function useOwnerIndicators(mid: number, planId: number, owner: IndicatorOwner) {
  const key = owner.kind === 'project' ? ['indicators', mid, owner.project.id] : ['outcome-indicators', mid, planId];
  const q = useQuery({
    queryKey: key,
    queryFn: () =>
      api
        .get<{
          indicators: IndicatorDto[];
        }>(
          owner.kind === 'project'
            ? `/api/m/${mid}/projects/${owner.project.id}/indicators`
            : `/api/m/${mid}/plans/${planId}/outcome-indicators`,
        )
        .then((r) => r.indicators),
  });
  const nodeId = owner.kind === 'node' ? owner.nodeId : null;
  const data = owner.kind === 'project' ? q.data : q.data?.filter((i) => i.nodeId === nodeId);
  return { key, data, error: q.error };
}

/**
 * Indicators defined by the coordinating section: a project's 活動指標, answered by its departments
 * each year, or a node's or the plan's 成果指標, reported each year by the department named.
 */
export function IndicatorsSection({
  mid,
  plan,
  owner,
  departments,
  canEdit,
}: {
  mid: number;
  plan: PlanDetail;
  owner: IndicatorOwner;
  departments: Department[];
  canEdit: boolean;
}) {
  const client = useQueryClient();
  const q = useOwnerIndicators(mid, plan.plan.id, owner);
  const [editing, setEditing] = useState<IndicatorDto | 'new' | null>(null);
  const removal = useRemoval(mid, q.key, plan.plan.fixedYears);
  const title = OWNER_TITLES[owner.kind];
  const titleId = `ind-title-${ownerKey(owner)}`;
  return (
    <section className="indicators-section" aria-labelledby={titleId}>
      <h3 id={titleId}>{title}</h3>
      <ErrorAlert error={q.error ?? removal.error} />
      <p role="status" className="muted">
        {removal.said}
      </p>
      {q.data && q.data.length === 0 && <p className="muted">{title}はありません。</p>}
      {q.data && q.data.length > 0 && (
        <IndicatorList
          indicators={q.data}
          departments={departments}
          period={plan.plan}
          fixedYears={plan.plan.fixedYears}
          outcome={owner.kind !== 'project'}
          canEdit={canEdit}
          onEdit={setEditing}
          onRemove={removal.ask}
        />
      )}
      {removal.dialog}
      {canEdit && editing === null && plan.plan.fixedYears.includes(plan.plan.lastYear) && (
        <p className="muted">計画の最後の年度まで確定または公表済みのため、指標は加えられません。</p>
      )}
      {canEdit && editing === null && !plan.plan.fixedYears.includes(plan.plan.lastYear) && (
        <button type="button" className="button secondary small" onClick={() => setEditing('new')}>
          {owner.kind === 'project' ? '活動指標を追加' : '成果指標を追加'}
        </button>
      )}
      {canEdit && editing !== null && (
        <IndicatorForm
          key={editing === 'new' ? 'new' : editing.id}
          mid={mid}
          plan={plan}
          owner={owner}
          departments={departments}
          indicator={editing === 'new' ? null : editing}
          onDone={async () => {
            setEditing(null);
            await client.invalidateQueries({ queryKey: q.key });
          }}
        />
      )}
    </section>
  );
}

/**
 * Removing an indicator, asked first: deleted where no year used it, else ended after the last year that did
 * (the server decides); what happened is said in the section.
 */
function useRemoval(mid: number, key: readonly unknown[], fixedYears: readonly number[]) {
  const client = useQueryClient();
  const era = useEra();
  const [removing, setRemoving] = useState<IndicatorDto | null>(null);
  const [said, setSaid] = useState('');
  const remove = useMutation({
    mutationFn: (i: IndicatorDto) =>
      api
        .delete<{ endedAfter: number | null }>(`/api/m/${mid}/indicators/${i.id}`)
        .then((r) => ({ ...r, name: i.name })),
    onSuccess: (r) => {
      const until = r.endedAfter === null ? '' : formatEraYear(r.endedAfter, era);
      setSaid(
        r.endedAfter === null
          ? `「${r.name}」を削除しました。`
          : `「${r.name}」は${until}までの指標として残し、それより後の年度では使わないようにしました（${until}までのシートと報告には残ります）。`,
      );
      return client.invalidateQueries({ queryKey: key });
    },
  });
  const fixed = removing ? lastFixedYearOf(removing, fixedYears) : null;
  const y = (year: number) => formatEraYear(year, era);
  const dialog = (
    <ConfirmDialog
      open={removing !== null}
      title={
        fixed === null
          ? `指標「${removing?.name ?? ''}」を削除します`
          : `指標「${removing?.name ?? ''}」を${y(fixed)}までで終了します`
      }
      confirmLabel={fixed === null ? '削除する' : `${y(fixed)}までで終了する`}
      danger
      onCancel={() => setRemoving(null)}
      onConfirm={() => {
        setSaid('');
        if (removing) remove.mutate(removing);
        setRemoving(null);
      }}
    >
      <p>
        {fixed === null
          ? '年度ごとの目標とともに削除します。実績が入力されている年度があるときは、削除せずにその年度までの指標として残します。'
          : `${y(fixed)}は確定または公表済みのため、この指標は削除せずに残し、${y(fixed + 1)}以降のシートと報告から外します。${y(fixed + 1)}以降に実績が入力されているときは、その年度までの指標として残します。`}
      </p>
    </ConfirmDialog>
  );
  return { ask: setRemoving, said, error: remove.error, dialog };
}

function IndicatorList({
  indicators,
  departments,
  period,
  fixedYears,
  outcome,
  canEdit,
  onEdit,
  onRemove,
}: {
  indicators: IndicatorDto[];
  /** the plan's first and last year: a span that differs is shown beside the name */
  period: { firstYear: number; lastYear: number };
  /** the plan's fixed years: an indicator used up to its own last year in one cannot be removed */
  fixedYears: readonly number[];
  departments: Department[];
  /** 成果指標: the department named reports the actual */
  outcome: boolean;
  canEdit: boolean;
  onEdit(i: IndicatorDto): void;
  onRemove(i: IndicatorDto): void;
}) {
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const era = useEra();
  const tagOf = (i: IndicatorDto) => spanTag(i, period, era);
  return (
    <ul className="indicator-list">
      {indicators.map((i) => (
        <li key={i.id}>
          <strong>{i.name}</strong>
          {tagOf(i) && <span className="badge year-span-tag">{tagOf(i)}</span>}（{i.unit || '単位なし'}・
          {DIRECTION_LABELS[i.direction]}
          {i.departmentId ? `・${deptName.get(i.departmentId)}${outcome ? 'が報告' : 'のみ'}` : ''}）
          {i.purpose !== 'target' && `【${INDICATOR_PURPOSE_LABELS[i.purpose]}】`}
          {i.finalTarget.text && ` 最終目標 ${i.finalTarget.text}`}
          {i.revisions.length > 0 && <RevisionHistory revisions={i.revisions} />}
          {canEdit && (
            <>
              {' '}
              <button
                type="button"
                className="button secondary small"
                aria-label={`${i.name}を編集`}
                onClick={() => onEdit(i)}
              >
                編集
              </button>{' '}
              {mayRemove(i, fixedYears, period.lastYear) && (
                <button
                  type="button"
                  className="button danger small"
                  aria-label={`${i.name}を削除`}
                  onClick={() => onRemove(i)}
                >
                  削除
                </button>
              )}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function IndicatorForm({
  mid,
  plan,
  owner,
  departments,
  indicator,
  onDone,
}: {
  mid: number;
  plan: PlanDetail;
  owner: IndicatorOwner;
  departments: Department[];
  indicator: IndicatorDto | null;
  onDone(): void;
}) {
  const planYears = fiscalYearRange(plan.plan.firstYear, plan.plan.lastYear);
  const [draft, setDraft] = useState<IndicatorDraft>(() => indicatorDraft(indicator, plan.plan.fixedYears));
  const years = draftYears(draft, planYears);
  const change = (patch: Partial<IndicatorDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const save = useMutation({
    mutationFn: () => {
      const body = indicatorBody(draft, planYears);
      if (indicator) return api.put(`/api/m/${mid}/indicators/${indicator.id}`, body);
      if (owner.kind === 'project') return api.post(`/api/m/${mid}/projects/${owner.project.id}/indicators`, body);
      return api.post(`/api/m/${mid}/plans/${plan.plan.id}/outcome-indicators`, {
        ...body,
        nodeId: owner.kind === 'node' ? owner.nodeId : null,
      });
    },
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <FieldScope error={save.error}>
      <form onSubmit={submit} noValidate className="panel indicator-form">
        <h4>
          {indicator ? `「${indicator.name}」を編集` : owner.kind === 'project' ? '活動指標を追加' : '成果指標を追加'}
        </h4>
        <ErrorSummary />
        <Field label="指標名" name="name" required maxLength={200} value={draft.name}>
          {(p) => <input {...p} type="text" value={draft.name} onChange={(e) => change({ name: e.target.value })} />}
        </Field>
        <MeasureFields draft={draft} onChange={change} />
        <DepartmentField
          owner={owner}
          departments={departments}
          value={draft.departmentId}
          onChange={(departmentId) => change({ departmentId })}
        />
        <IndicatorYearFields plan={plan} isNew={!indicator} draft={draft} onChange={change} />
        <BaselineFields draft={draft} onChange={change} />
        <TargetsField years={years} targets={draft.targets} onChange={(targets) => change({ targets })} />
        <TargetReadings years={years} draft={draft} />
        {indicator && <RevisionFields years={planYears} draft={draft} onChange={change} />}
        <div className="button-row">
          <button type="submit" className="button primary small" disabled={save.isPending}>
            {indicator ? '保存する' : '追加する'}
          </button>
          <button type="button" className="button secondary small" onClick={onDone}>
            取り消す
          </button>
        </div>
      </form>
    </FieldScope>
  );
}

/** The years an indicator applies in; a new one says why it starts after the fixed years. */
function IndicatorYearFields({ plan, isNew, draft, onChange }: DraftProps & { plan: PlanDetail; isNew: boolean }) {
  const era = useEra();
  const lastFixed = plan.plan.fixedYears.length ? Math.max(...plan.plan.fixedYears) : null;
  return (
    <>
      {isNew && lastFixed !== null && (
        <p className="hint">
          {formatEraYear(lastFixed, era)}までは確定または公表済みのため、新しい指標は
          {formatEraYear(lastFixed + 1, era)}から使います（確定した年度のシートと報告は変わりません）。
        </p>
      )}
      <YearFields
        startYear={draft.startYear}
        endYear={draft.endYear}
        period={plan.plan}
        onChange={(span) => onChange(span)}
      />
    </>
  );
}

/** When and why an indicator's terms change: from a year on (the years before keep theirs), with the reason kept. */
function RevisionFields({
  years,
  draft,
  onChange,
}: {
  years: number[];
  draft: IndicatorDraft;
  onChange(patch: Partial<IndicatorDraft>): void;
}) {
  const era = useEra();
  return (
    <div className="indicator-revision-fields">
      <Field
        label="変更を適用する年度"
        hint="方向・扱い・目標の基準・現状値・最終目標の変更は、この年度から適用されます。それより前の年度は元の値のまま評価されます"
        name="fromYear"
      >
        {(p) => (
          <select
            {...p}
            value={draft.fromYear ?? ''}
            onChange={(e) => onChange({ fromYear: e.target.value ? Number(e.target.value) : null })}
          >
            <option value="">確定していない最初の年度から</option>
            {years.map((y) => (
              <option key={y} value={y}>
                {formatFiscalYear(y, era)}から
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="変更の理由" hint="中間見直しなど。履歴に残ります" name="note" maxLength={200} value={draft.note}>
        {(p) => <input {...p} type="text" value={draft.note} onChange={(e) => onChange({ note: e.target.value })} />}
      </Field>
    </div>
  );
}

/** What changed at each revision, from the year it applies: each term that differs, before → after. */
function RevisionHistory({ revisions }: { revisions: IndicatorDto['revisions'] }) {
  const era = useEra();
  return (
    <ul className="indicator-revisions" aria-label="指標の変更履歴">
      {revisions.map((r) => (
        <li key={r.fromYear}>
          {formatFiscalYear(r.fromYear, era)}から
          {r.note ? `（${r.note}）` : ''}:{' '}
          {termChanges(r.before, r.after, era)
            .map((c) => `${c.label} ${c.before || 'なし'} → ${c.after || 'なし'}`)
            .join('、') || '変更なし'}
        </li>
      ))}
    </ul>
  );
}

/** The terms that differ between two of an indicator's revisions, in words. */
function termChanges(before: IndicatorTerms, after: IndicatorTerms, era: Era2019) {
  const year = (y: number | null) => (y === null ? '' : formatFiscalYear(y, era));
  const rows: [string, string, string][] = [
    ['方向', DIRECTION_LABELS[before.direction], DIRECTION_LABELS[after.direction]],
    ['扱い', INDICATOR_PURPOSE_LABELS[before.purpose], INDICATOR_PURPOSE_LABELS[after.purpose]],
    ['目標の基準', TARGET_BASIS_LABELS[before.targetBasis], TARGET_BASIS_LABELS[after.targetBasis]],
    ['現状値', before.baseline.text, after.baseline.text],
    ['現状値の年度', year(before.baseline.fiscalYear), year(after.baseline.fiscalYear)],
    ['最終目標', before.finalTarget, after.finalTarget],
  ];
  return rows.filter(([, b, a]) => b !== a).map(([label, b, a]) => ({ label, before: b, after: a }));
}

/** A project's indicator may be one department's only; a node's or the plan's names the department that reports it. */
function DepartmentField({
  owner,
  departments,
  value,
  onChange,
}: {
  owner: IndicatorOwner;
  departments: Department[];
  value: string;
  onChange(departmentId: string): void;
}) {
  if (owner.kind !== 'project')
    return (
      <Field label="実績を報告する課" name="departmentId" required>
        {(p) => (
          <select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">選んでください</option>
            {departments
              .filter((d) => d.activeTo === null || String(d.id) === value)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
          </select>
        )}
      </Field>
    );
  const { project } = owner;
  const assigned = [project.leadDepartmentId, ...project.coDepartmentIds].filter((d): d is number => d !== null);
  return (
    <Field label="対象の課" name="departmentId" hint="課ごとに指標が違うときだけ選びます">
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">事業全体（各課の実績を合計）</option>
          {assigned.map((d) => (
            <option key={d} value={d}>
              {departments.find((x) => x.id === d)?.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

interface DraftProps {
  draft: IndicatorDraft;
  onChange(patch: Partial<IndicatorDraft>): void;
}

/** What is counted: the unit (with common ones offered), the kind of value, which way is better. */
function MeasureFields({ draft, onChange }: DraftProps) {
  return (
    <>
      <div className="field-row">
        <Field label="単位" name="unit" maxLength={20}>
          {(p) => (
            <input
              {...p}
              type="text"
              size={8}
              list="indicator-units"
              value={draft.unit}
              onChange={(e) => onChange({ unit: e.target.value })}
            />
          )}
        </Field>
        <Field label="種類" name="kind">
          {(p) => (
            // the options are the indicator kinds
            <select {...p} value={draft.kind} onChange={(e) => onChange({ kind: e.target.value as IndicatorKind })}>
              {INDICATOR_KINDS.map((k) => (
                <option key={k} value={k}>
                  {INDICATOR_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="方向" name="direction">
          {(p) => (
            <select
              {...p}
              value={draft.direction}
              // the options are the directions
              onChange={(e) => onChange({ direction: e.target.value as Direction })}
            >
              {DIRECTIONS.map((d) => (
                <option key={d} value={d}>
                  {DIRECTION_LABELS[d]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <TermsFields draft={draft} onChange={onChange} />
      <datalist id="indicator-units">
        {COMMON_UNITS.map((u) => (
          <option key={u} value={u} />
        ))}
      </datalist>
    </>
  );
}

/** How the indicator is evaluated: graded or only shown, and how a year's target is read. */
function TermsFields({ draft, onChange }: DraftProps) {
  return (
    <div className="field-row">
      <Field label="指標の扱い" name="purpose" hint="モニタリング指標は表示のみで評価しません">
        {(p) => (
          <select
            {...p}
            value={draft.purpose}
            // the options are the indicator purposes
            onChange={(e) => onChange({ purpose: e.target.value as IndicatorPurpose })}
          >
            {INDICATOR_PURPOSES.map((k) => (
              <option key={k} value={k}>
                {INDICATOR_PURPOSE_LABELS[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="目標の見方" name="targetBasis">
        {(p) => (
          <select
            {...p}
            value={draft.targetBasis}
            // the options are the target bases
            onChange={(e) => onChange({ targetBasis: e.target.value as TargetBasis })}
          >
            {TARGET_BASES.map((k) => (
              <option key={k} value={k}>
                {TARGET_BASIS_LABELS[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

function BaselineFields({ draft, onChange }: DraftProps) {
  return (
    <div className="field-row">
      <Field label="現状値" name="baseline" maxLength={100}>
        {(p) => (
          <input
            {...p}
            type="text"
            size={10}
            value={draft.baseline}
            onChange={(e) => onChange({ baseline: e.target.value })}
          />
        )}
      </Field>
      <FiscalYearInput
        label="現状値の年度"
        name="baselineYear"
        value={draft.baselineYear}
        onChange={(baselineYear) => onChange({ baselineYear })}
      />
      <Field label="最終目標" name="finalTarget" maxLength={100}>
        {(p) => (
          <input
            {...p}
            type="text"
            size={10}
            value={draft.finalTarget}
            onChange={(e) => onChange({ finalTarget: e.target.value })}
          />
        )}
      </Field>
    </div>
  );
}

/** How the final target and each year's target as typed will be read, a problem marked: before saving, not in the report. */
function TargetReadings({ years, draft }: { years: number[]; draft: IndicatorDraft }) {
  const era = useEra();
  const items = [
    { label: '最終目標', source: draft.finalTarget },
    ...years.map((y) => ({ label: formatFiscalYearShort(y, era), source: draft.targets[y] ?? '' })),
  ].flatMap(({ label, source }) => {
    const reading = targetReading(source);
    return reading ? [{ label, source: source.trim(), reading: reading.text, problem: reading.problem }] : [];
  });
  if (items.length === 0) return null;
  return (
    <div className="target-readings">
      <p className="target-readings-title">目標の読み取り</p>
      <ul>
        {items.map((i) => (
          <li key={i.label} className={i.problem ? 'problem' : undefined}>
            {i.problem && <span aria-hidden="true">⚠ </span>}
            {i.label}「{i.source}」: {i.reading}
          </li>
        ))}
      </ul>
    </div>
  );
}

function TargetsField({
  years,
  targets,
  onChange,
}: {
  years: number[];
  targets: Record<number, string>;
  onChange(targets: Record<number, string>): void;
}) {
  const era = useEra();
  return (
    <fieldset className="targets">
      <legend>年度ごとの目標（対象年度の分。空欄は目標なし）</legend>
      <div className="target-grid">
        {years.map((y) => (
          <label key={y}>
            {formatFiscalYearShort(y, era)}（{y}）
            <input
              type="text"
              size={6}
              value={targets[y] ?? ''}
              onChange={(e) => onChange({ ...targets, [y]: e.target.value })}
            />
          </label>
        ))}
      </div>
    </fieldset>
  );
}
