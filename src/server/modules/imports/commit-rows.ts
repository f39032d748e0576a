import { customValuesOf, type ImportRow } from '../../../domain/import/mapping.js';
import type { CustomFieldDef, CustomValues } from '../../../domain/plan-fields.js';
import { readJson } from '../../db/json.js';
import { parseValue } from '../../../domain/values.js';
import { parseFiscalYear } from '../../../domain/fiscal-year.js';
import type { ProjectDepartmentValues } from '../plans/index.js';
import type { NewActual, NewIndicator, NewRecord, NewTarget, RecordUpdate } from './imports.repository.js';

/**
 * What the rows of a file become below their projects — department assignments, one record per
 * project, department and year, indicators and their values — decided without SQL from what the
 * plan already holds (read once); the commit writes the result in batches.
 */

/** Where an import writes: the municipality, plan and year, who imports, and the import's one timestamp. */
export interface CommitScope {
  municipalityId: number;
  planId: number;
  fiscalYear: number;
  userId: number;
  at: string;
  /** the target plan's extra fields (values of those on answers go on the records) */
  customFields: CustomFieldDef[];
  /** the year the file's 現状値 column stands for (from its header), when it says */
  baselineYear?: number | null;
  /**
   * the years an indicator the import adds applies in (null: the plan's first / last); `fixed`: the import's
   * year is itself fixed (approved or published), so no indicator may be added to it
   */
  indicatorYears: { first_year: number | null; last_year: number | null; fixed?: boolean };
}

/** A done flag (○ × — 隔年実施) of a project and department for a year, on a line without an indicator. */
export interface PendingDone {
  projectId: number;
  departmentId: number;
  fiscalYear: number;
  code: string;
}

/** How a line's departments are linked: the second and later repeat the first (「○○課に同じ」). */
export interface LineLink {
  /** the line's first department */
  first: boolean;
  /** the department whose answer this one repeats, or null */
  sameAsId: number | null;
}

/** A line of the file with the number of the project it belongs to (a continuation line: the project above). */
export interface OwnedRow {
  row: ImportRow;
  number: string;
}

/** What the plan holds for the file's projects before the import. */
export interface ExistingAnswers {
  assignments: { project_id: number; department_id: number; is_lead: number; position: number }[];
  records: { id: number; version: number; project_id: number; department_id: number; custom: string }[];
  indicators: { id: number; project_id: number; name: string }[];
}

/** A grade the report printed: on the answer, or on one of its indicator lines (by the indicator's key). */
export interface PendingGrade {
  projectId: number;
  departmentId: number;
  indicatorKey: string | null;
  code: string;
  level: string | null;
}

/** An indicator's values on a line, written once every indicator has its id. */
export interface PendingValue {
  key: string;
  departmentId: number;
  values: ImportRow['values'];
}

export const numberOf = (text: string | undefined): number | null => {
  if (!text) return null;
  const p = parseValue(text);
  return p.kind === 'number' ? p.value : null;
};

const pairKey = (projectId: number, departmentId: number) => `${projectId}|${departmentId}`;
export const indicatorKey = (projectId: number, name: string) => `${projectId}|${name}`;

/** The new and changed rows for each department a line names, collected in the file's order. */
export class AnswerPlan {
  readonly newAssignments: ProjectDepartmentValues[] = [];
  readonly newRecords: NewRecord[] = [];
  readonly recordUpdates: RecordUpdate[] = [];
  readonly newIndicators = new Map<string, NewIndicator>();
  readonly pendingValues: PendingValue[] = [];
  readonly pendingGrades: PendingGrade[] = [];
  readonly pendingDone: PendingDone[] = [];
  private readonly assigned: Set<string>;
  private readonly withLead: Set<number>;
  private readonly nextPosition = new Map<number, number>();
  private readonly assignmentOf: Map<string, { is_lead: number; position: number }>;
  private readonly recordOf: Map<string, { id: number; version: number; custom: string }>;
  private readonly knownIndicators: Set<string>;
  private readonly newPairs = new Set<string>();

  constructor(
    private readonly scope: CommitScope,
    existing: ExistingAnswers,
  ) {
    const { assignments, records, indicators } = existing;
    this.assigned = new Set(assignments.map((a) => pairKey(a.project_id, a.department_id)));
    this.withLead = new Set(assignments.filter((a) => a.is_lead === 1).map((a) => a.project_id));
    // Departments keep the order the file names them in, after those already on the project.
    for (const a of assignments)
      this.nextPosition.set(a.project_id, Math.max(this.nextPosition.get(a.project_id) ?? 0, a.position + 1));
    this.assignmentOf = new Map(assignments.map((a) => [pairKey(a.project_id, a.department_id), a]));
    this.recordOf = new Map(records.map((r) => [pairKey(r.project_id, r.department_id), r]));
    this.knownIndicators = new Set(indicators.map((i) => indicatorKey(i.project_id, i.name)));
  }

  /**
   * One department named on a line. Every department the line names gets its texts and its done
   * flags (○ × — are each department's), the second and later linked to the first (「○○課に同じ」)
   * so that the answer prints once. A number and a grade printed once for the line are the first
   * department's: given to each, a project's row would print their sum.
   */
  add(row: ImportRow, projectId: number, departmentId: number, link: LineLink): void {
    this.assign(projectId, departmentId);
    const values = row.values;
    const custom = customValuesOf(row, this.scope.customFields, 'record');
    this.answer(projectId, departmentId, values, custom, { sameAsId: link.sameAsId, groups: row.groups ?? [] });
    if (!values.indicator) this.doneFlags(projectId, departmentId, values);
    if (!link.first) return;
    if (values.indicator) this.indicator(row, projectId, departmentId, values.indicator, values);
    const code = values.grade?.trim();
    if (code)
      this.pendingGrades.push({
        projectId,
        departmentId,
        indicatorKey: values.indicator ? indicatorKey(projectId, values.indicator) : null,
        code,
        level: values.achievement?.trim() || null,
      });
  }

  /** ○ × — and the like in the value columns of a line without an indicator: the answer's status per year. */
  private doneFlags(projectId: number, departmentId: number, values: ImportRow['values']): void {
    const years = [
      [this.scope.fiscalYear, values.actual],
      [this.scope.fiscalYear - 1, values.previousActual],
      [
        (values.baselineYear ? parseFiscalYear(values.baselineYear) : null) ?? this.scope.baselineYear ?? null,
        values.baseline,
      ],
    ] as const;
    for (const [fiscalYear, text] of years) {
      const p = parseValue(text ?? '');
      if (fiscalYear === null || (p.kind !== 'flag' && p.kind !== 'status')) continue;
      this.pendingDone.push({ projectId, departmentId, fiscalYear, code: p.text });
    }
  }

  /** The department on the project, after those already there; the first one on a project without a lead leads it. */
  private assign(projectId: number, departmentId: number): void {
    const pair = pairKey(projectId, departmentId);
    if (this.assigned.has(pair)) return;
    this.assigned.add(pair);
    const position = this.nextPosition.get(projectId) ?? 0;
    this.nextPosition.set(projectId, position + 1);
    const made = {
      municipality_id: this.scope.municipalityId,
      project_id: projectId,
      department_id: departmentId,
      is_lead: this.withLead.has(projectId) ? 0 : 1,
      position,
    };
    this.newAssignments.push(made);
    this.assignmentOf.set(pair, made);
    this.withLead.add(projectId);
  }

  /** The year's record of the project and department: updated where it exists, else new, once per pair. */
  private answer(
    projectId: number,
    departmentId: number,
    values: ImportRow['values'],
    custom: CustomValues,
    link: { sameAsId: number | null; groups: string[] },
  ): void {
    const { scope } = this;
    const pair = pairKey(projectId, departmentId);
    // 「（関係各課）」 names no department; it stays with the answer as the report printed it.
    const remarks = [values.remarks ?? '', ...link.groups.map((g) => `担当の記載：${g}`)].filter(Boolean).join('\n');
    const fields = {
      plan_text: values.planText ?? '',
      result_text: values.resultText ?? '',
      remarks,
      next_year_plan: values.nextYearPlan ?? '',
      same_as_department_id: link.sameAsId,
      status: 'approved' as const,
      updated_at: scope.at,
      updated_by: scope.userId,
    };
    const existing = this.recordOf.get(pair);
    if (existing) {
      // Extra fields the file leaves empty keep what the answer holds.
      const merged = JSON.stringify({ ...readJson.customValues(existing.custom), ...custom });
      this.recordUpdates.push({ id: existing.id, set: { ...fields, custom: merged, version: existing.version + 1 } });
      return;
    }
    if (this.newPairs.has(pair)) return;
    this.newPairs.add(pair);
    const a = this.assignmentOf.get(pair);
    this.newRecords.push({
      municipality_id: scope.municipalityId,
      plan_id: scope.planId,
      project_id: projectId,
      department_id: departmentId,
      fiscal_year: scope.fiscalYear,
      is_lead: a?.is_lead ?? 0,
      position: a?.position ?? 0,
      ...fields,
      custom: JSON.stringify(custom),
      version: 1,
      submitted_at: scope.at,
    });
  }

  /** The indicator a line names, new unless the project has it; its values wait for its id. */
  private indicator(
    row: ImportRow,
    projectId: number,
    departmentId: number,
    name: string,
    values: ImportRow['values'],
  ): void {
    const { scope } = this;
    const key = indicatorKey(projectId, name);
    if (!this.knownIndicators.has(key) && !this.newIndicators.has(key)) {
      this.newIndicators.set(key, newIndicator(scope, row, projectId, row.continuation ? departmentId : null, name));
    }
    this.pendingValues.push({ key, departmentId, values });
  }
}

/** A line's actual for one year. */
function actualOf(
  scope: CommitScope,
  indicatorId: number,
  departmentId: number,
  year: number,
  text: string | undefined,
): NewActual {
  const p = parseValue(text ?? '');
  return {
    municipality_id: scope.municipalityId,
    indicator_id: indicatorId,
    department_id: departmentId,
    fiscal_year: year,
    value: p.kind === 'number' ? p.value : p.kind === 'flag' && p.done !== null ? (p.done ? 1 : 0) : null,
    text: text ?? '',
    status: p.kind === 'status' ? p.status : null,
    reason: '',
    parts: '[]',
  };
}

/**
 * The targets (the first a file gives per indicator) and actuals (this year's and the year
 * before's, the last line per indicator, department and year) of the pending values.
 */
export function indicatorValues(
  scope: CommitScope,
  pending: PendingValue[],
  indicatorOf: Map<string, number>,
): { targets: NewTarget[]; actuals: NewActual[] } {
  const targets: NewTarget[] = [];
  const targeted = new Set<number>();
  const actuals: NewActual[] = [];
  for (const { key, departmentId, values } of pending) {
    const indicatorId = indicatorOf.get(key)!;
    if (values.target && !targeted.has(indicatorId)) {
      targeted.add(indicatorId);
      targets.push({
        municipality_id: scope.municipalityId,
        indicator_id: indicatorId,
        fiscal_year: scope.fiscalYear,
        value: numberOf(values.target),
        text: values.target,
      });
    }
    const years = [
      [scope.fiscalYear, values.actual],
      [scope.fiscalYear - 1, values.previousActual],
    ] as const;
    for (const [year, text] of years) if (text) actuals.push(actualOf(scope, indicatorId, departmentId, year, text));
  }
  return { targets, actuals };
}

/** The last actual per indicator, department and year: a later line of the file replaces an earlier one. */
export function lastPerYear(actuals: NewActual[]): NewActual[] {
  return [...new Map(actuals.map((a) => [`${a.indicator_id}|${a.department_id}|${a.fiscal_year}`, a])).values()];
}

/** 増加・減少, ↑↓, 高い方が良い: the direction a mapped column gives (read.ts flags what it cannot read). */
export function directionOf(text: string | undefined): 'higher' | 'lower' {
  return /減|下げ|少な|低|↓|抑/.test(text ?? '') ? 'lower' : 'higher';
}

/** 期待値・モニタリング・累計: what a mapped target kind column gives. */
export function targetKindOf(text: string | undefined) {
  const t = text ?? '';
  return {
    purpose: /期待/.test(t)
      ? ('expected' as const)
      : /モニタ|参考/.test(t)
        ? ('monitoring' as const)
        : ('target' as const),
    target_basis: /累計/.test(t) ? ('cumulative' as const) : /最終/.test(t) ? ('final' as const) : ('annual' as const),
  };
}

/** An indicator as a line first names it, with every mapped field of it. */
function newIndicator(
  scope: CommitScope,
  row: ImportRow,
  projectId: number,
  departmentId: number | null,
  name: string,
): NewIndicator {
  const v = row.values;
  const p = parseValue(v.target ?? v.actual ?? v.baseline ?? '');
  const baselineYear = v.baselineYear ? parseFiscalYear(v.baselineYear) : null;
  return {
    municipality_id: scope.municipalityId,
    plan_id: scope.planId,
    project_id: projectId,
    // An indicator first met on another department's line belongs to that department's row.
    department_id: departmentId,
    name,
    unit: v.unit?.trim() || (p.kind === 'number' ? p.unit : ''),
    kind: 'number',
    direction: directionOf(v.direction),
    ...targetKindOf(v.targetKind),
    baseline_value: numberOf(v.baseline),
    baseline_text: v.baseline ?? '',
    baseline_year: baselineYear ?? (v.baseline ? (scope.baselineYear ?? null) : null),
    final_target_value: numberOf(v.finalTarget),
    final_target_text: v.finalTarget ?? '',
    first_year: scope.indicatorYears.first_year,
    last_year: scope.indicatorYears.last_year,
    position: 1,
    created_at: scope.at,
    updated_at: scope.at,
  };
}
