import {
  evaluateYear,
  lineFactsOf,
  versionFor,
  type ActualFact,
  type EvaluationConfig,
  type IndicatorDef,
  type StoredEntry,
  type YearEvaluations,
  type YearFacts,
  type YearLine,
} from '../../../domain/evaluation/index.js';
import { configInput } from '../../../domain/evaluation/schema.js';
import type { DbOrTx } from '../../db/types.js';
import { yearStructure } from '../plans/index.js';
import * as repo from './evaluations.repository.js';
import { mapRead, read, readOne } from '../../db/reads.js';

/**
 * A plan year's facts as the evaluation engine reads them, from the database: the year's tree and
 * answers, its indicator lines with the terms in force that year, and what people entered. The
 * sheet, the review, the reports and the node screen all evaluate through here.
 */

export interface ConfigVersionRow {
  id: number;
  fromYear: number;
  config: EvaluationConfig;
  note: string;
  createdAt: string;
  createdByName: string;
}

const parsedConfigs = new Map<string, EvaluationConfig>();

/** A stored configuration, read through its schema (and kept: the same text always reads the same). */
export function readConfig(definition: string): EvaluationConfig {
  let config = parsedConfigs.get(definition);
  if (!config) {
    const parsed = configInput.safeParse(JSON.parse(definition));
    if (!parsed.success)
      throw new Error(
        `plan_evaluation_versions.definition の保存内容が読めません: ${parsed.error.issues[0]?.message ?? ''}`,
      );
    config = parsed.data;
    if (parsedConfigs.size > 500) parsedConfigs.clear();
    parsedConfigs.set(definition, config);
  }
  return config;
}

export async function loadVersions(db: DbOrTx, planId: number): Promise<ConfigVersionRow[]> {
  const rows = await repo.listVersionRows(db, planId);
  return rows.map((r) => ({
    id: r.id,
    fromYear: r.from_year,
    config: readConfig(r.definition),
    note: r.note,
    createdAt: r.created_at,
    createdByName: r.created_by_name,
  }));
}

/** The configuration in force in a fiscal year. Every plan has at least one version (made with the plan). */
export async function configOfYear(db: DbOrTx, planId: number, fiscalYear: number): Promise<EvaluationConfig> {
  const version = versionFor(await loadVersions(db, planId), fiscalYear);
  if (!version) throw new Error(`計画 ${planId} に評価の設定がありません`);
  return version.config;
}

export interface YearFactsOptions extends repo.YearScope {
  /** answers not approved keep their place but show nothing entered (publishing, the council) */
  approvedOnly?: boolean;
  /** the year's structure where the caller has read it already (a report reads it for its own rows) */
  structure?: Awaited<ReturnType<typeof yearStructure>>;
  /** the plan's side of the year where the caller holds it already (a sheet, from its cache): read, else */
  plan?: PlanYearFacts;
}

/**
 * What a plan year's evaluation reads that is the plan's rather than its answers': the same for every
 * department, changed only with the plan's revision (`bumpPlan`), so a cache may keep it per revision.
 */
export interface PlanYearFacts {
  firstYear: number;
  config: EvaluationConfig;
  /** the plan's indicators that apply in the year, in their order */
  indicators: repo.PlanIndicatorRow[];
  /** the year's targets of the plan's indicators, with each one's project */
  targets: Awaited<ReturnType<typeof repo.listYearTargets>>;
  /** the revisions of those indicators */
  revisions: Awaited<ReturnType<typeof repo.listRevisionRows>>;
}

/** The plan's side of a year (see `PlanYearFacts`), read in four statements. */
export async function loadPlanYearFacts(db: DbOrTx, planId: number, fiscalYear: number): Promise<PlanYearFacts> {
  const config = await configOfYear(db, planId, fiscalYear);
  const plan = await repo.findPlanFirstYear(db, planId);
  const indicators = await repo.listPlanIndicators(db, planId, fiscalYear);
  const targets = await repo.listYearTargets(db, planId, fiscalYear);
  const revisions = await repo.listRevisionRows(
    db,
    indicators.map((i) => i.id),
  );
  return { firstYear: plan.first_year, config, indicators, targets, revisions };
}

/** The plan's side of a year for some projects only, as the statements scoped to them would read it. */
function planFactsOf(plan: PlanYearFacts, projectIds: number[] | undefined) {
  const only = projectIds ? new Set(projectIds) : undefined;
  const inScope = (projectId: number | null) => !only || (projectId !== null && only.has(projectId));
  const indicators = plan.indicators.filter((i) => inScope(i.project_id));
  const ids = new Set(indicators.map((i) => i.id));
  return {
    indicators,
    targets: plan.targets.filter((t) => inScope(t.project_id)),
    revisions: plan.revisions.filter((r) => ids.has(r.indicator_id)),
  };
}

type IndicatorRow = repo.PlanIndicatorRow;

/** An indicator with its revisions, as the rules read it. */
export function indicatorDef(
  row: IndicatorRow,
  revisions: Awaited<ReturnType<typeof repo.listRevisionRows>>,
): IndicatorDef {
  return {
    id: row.id,
    direction: row.direction,
    purpose: row.purpose,
    targetBasis: row.target_basis,
    baselineValue: row.baseline_value,
    baselineText: row.baseline_text,
    baselineYear: row.baseline_year,
    finalTargetValue: row.final_target_value,
    finalTargetText: row.final_target_text,
    revisions: revisions
      .filter((r) => r.indicator_id === row.id)
      .map((r) => ({
        fromYear: r.from_year,
        direction: r.direction,
        purpose: r.purpose,
        targetBasis: r.target_basis,
        baselineValue: r.baseline_value,
        baselineText: r.baseline_text,
        baselineYear: r.baseline_year,
        finalTargetValue: r.final_target_value,
        finalTargetText: r.final_target_text,
        note: r.note,
      })),
  };
}

async function readYear(db: DbOrTx, planId: number, fiscalYear: number, opts: YearFactsOptions) {
  if (opts.plan) return readYearWith(db, planId, fiscalYear, opts, opts.plan);
  const plan = await repo.findPlanFirstYear(db, planId);
  // Scoped to some projects (a sheet, an answer), only their rows are read; node rollups are not needed there.
  const only = opts.projectIds ? { projectIds: opts.projectIds } : undefined;
  const [structure, records, indicators, targets, actuals, entries] = await Promise.all([
    opts.structure ?? yearStructure(db, planId, fiscalYear, only),
    repo.listYearRecords(db, planId, fiscalYear, opts),
    repo.listPlanIndicators(db, planId, fiscalYear, opts.projectIds),
    repo.listYearTargets(db, planId, fiscalYear, opts),
    repo.listActualsUpTo(db, planId, plan.first_year - 1, fiscalYear, opts),
    repo.listEntryRows(db, planId, [fiscalYear], { departmentIds: opts.departmentIds }),
  ]);
  const revisions = await repo.listRevisionRows(
    db,
    indicators.map((i) => i.id),
  );
  return { firstYear: plan.first_year, structure, records, indicators, targets, actuals, entries, revisions };
}

/** `readYear` with the plan's side of the year given: only the answers' side is read. */
async function readYearWith(
  db: DbOrTx,
  planId: number,
  fiscalYear: number,
  opts: YearFactsOptions,
  plan: PlanYearFacts,
) {
  const only = opts.projectIds ? { projectIds: opts.projectIds } : undefined;
  const structure = opts.structure ?? (await yearStructure(db, planId, fiscalYear, only));
  return readOne(db, yearAnswersRead(db, planId, fiscalYear, opts, { plan, structure }));
}

/** The answers' side of a year, with the plan's side and the structure given, as a read that can share its trip. */
function yearAnswersRead(
  db: DbOrTx,
  planId: number,
  fiscalYear: number,
  opts: YearFactsOptions,
  given: { plan: PlanYearFacts; structure: Awaited<ReturnType<typeof yearStructure>> },
) {
  const { plan, structure } = given;
  return read(
    [
      repo.yearRecordsQuery(db, planId, fiscalYear, opts),
      repo.actualsUpToQuery(db, planId, plan.firstYear - 1, fiscalYear, opts),
      repo.entryRowsQuery(db, planId, [fiscalYear], { departmentIds: opts.departmentIds }),
    ],
    ([records, actuals, entries]) => ({
      ...{ firstYear: plan.firstYear, structure, records, actuals, entries },
      ...planFactsOf(plan, opts.projectIds),
    }),
  );
}
type YearRead = Awaited<ReturnType<typeof readYear>>;

function groupActuals(y: YearRead): Map<string, ActualFact[]> {
  const actualsOf = new Map<string, ActualFact[]>();
  for (const a of y.actuals) {
    const key = `${a.indicator_id}:${a.department_id}`;
    const list = actualsOf.get(key) ?? [];
    list.push({ fiscalYear: a.fiscal_year, value: a.value, text: a.text, status: a.status });
    actualsOf.set(key, list);
  }
  return actualsOf;
}

/** The year's indicator lines: each answer's (its project's indicators, shared or its own) and, for the whole plan, those of nodes. */
function yearLines(
  y: YearRead,
  fiscalYear: number,
  records: YearRead['records'],
  hidden: Set<string>,
  opts: YearFactsOptions,
): YearLine[] {
  const targetOf = new Map(y.targets.map((t) => [t.indicator_id, t.text || (t.value !== null ? String(t.value) : '')]));
  const actualsOf = groupActuals(y);
  const line = (i: IndicatorRow, departmentId: number, hide: boolean): YearLine => {
    const own = actualsOf.get(`${i.id}:${departmentId}`) ?? [];
    const actuals = hide ? own.filter((a) => a.fiscalYear !== fiscalYear) : own;
    const facts = lineFactsOf(indicatorDef(i, y.revisions), fiscalYear, {
      target: targetOf.get(i.id) ?? '',
      actuals,
      firstYear: y.firstYear,
    });
    return { indicatorId: i.id, departmentId, projectId: i.project_id, nodeId: i.node_id, name: i.name, facts };
  };
  const byProject = new Map<number, IndicatorRow[]>();
  for (const i of y.indicators)
    if (i.project_id !== null) byProject.set(i.project_id, [...(byProject.get(i.project_id) ?? []), i]);
  const lines: YearLine[] = records.flatMap((r) =>
    (byProject.get(r.project_id) ?? [])
      .filter((i) => i.department_id === null || i.department_id === r.department_id)
      .map((i) => line(i, r.department_id, hidden.has(`${r.project_id}:${r.department_id}`))),
  );
  if (opts.departmentIds || opts.projectIds) return lines;
  const nodeIds = new Set(y.structure.nodes.map((n) => n.id));
  const nodeLines = y.indicators.filter(
    (i) => i.project_id === null && i.department_id !== null && (i.node_id === null || nodeIds.has(i.node_id)),
  );
  return [...lines, ...nodeLines.map((i) => line(i, i.department_id!, false))];
}

/** The year's facts: its tree, answers, indicator lines and entries (those of answers not approved hidden where asked). */
export async function loadYearFacts(
  db: DbOrTx,
  planId: number,
  fiscalYear: number,
  opts: YearFactsOptions = {},
): Promise<YearFacts> {
  return factsOf(await readYear(db, planId, fiscalYear, opts), planId, fiscalYear, opts);
}

/** The year's facts from what was read of it. */
function factsOf(y: YearRead, planId: number, fiscalYear: number, opts: YearFactsOptions): YearFacts {
  const projectIds = new Set(y.structure.projects.map((p) => p.id));
  const records = y.records.filter((r) => projectIds.has(r.project_id));
  const hidden = new Set(
    opts.approvedOnly
      ? records.filter((r) => r.status !== 'approved').map((r) => `${r.project_id}:${r.department_id}`)
      : [],
  );
  const projectOfIndicator = new Map(y.indicators.map((i) => [i.id, i.project_id]));
  const hiddenEntry = (e: YearRead['entries'][number]) =>
    (e.subject_kind === 'record' && hidden.has(`${e.subject_id}:${e.department_id}`)) ||
    (e.subject_kind === 'indicator' && hidden.has(`${projectOfIndicator.get(e.subject_id)}:${e.department_id}`));
  return {
    planId,
    nodes: y.structure.nodes.map((n) => ({ id: n.id, parentId: n.parent_id, depth: n.depth })),
    projects: y.structure.projects.map((p) => ({ id: p.id, nodeId: p.node_id })),
    records: records.map((r) => ({ projectId: r.project_id, departmentId: r.department_id })),
    lines: yearLines(y, fiscalYear, records, hidden, opts),
    entries: y.entries.filter((e) => !hiddenEntry(e)).map(storedEntry),
  };
}

export function storedEntry(e: Awaited<ReturnType<typeof repo.listEntryRows>>[number]): StoredEntry {
  return {
    slotKey: e.slot_key,
    subjectKind: e.subject_kind,
    subjectId: e.subject_id,
    departmentId: e.department_id,
    code: e.code,
    level: e.level,
    reason: e.reason,
    comment: e.comment,
    id: e.id,
    version: e.version,
    enteredByName: e.entered_by_name,
    enteredAt: e.entered_at,
  };
}

/**
 * `evaluatePlanYear` with the plan's side of the year and the structure given (a sheet, from its cache), as a
 * read that can share its round trip.
 */
export function planYearRead(
  db: DbOrTx,
  planId: number,
  fiscalYear: number,
  opts: YearFactsOptions & Required<Pick<YearFactsOptions, 'plan' | 'structure'>>,
) {
  return mapRead(yearAnswersRead(db, planId, fiscalYear, opts, opts), (y) => {
    const facts = factsOf(y, planId, fiscalYear, opts);
    return { config: opts.plan.config, facts, evaluations: evaluateYear(opts.plan.config, facts) };
  });
}

/** Every slot's value for every subject of a plan year. */
export async function evaluatePlanYear(
  db: DbOrTx,
  planId: number,
  fiscalYear: number,
  opts: YearFactsOptions = {},
): Promise<{ config: EvaluationConfig; facts: YearFacts; evaluations: YearEvaluations }> {
  const [config, facts] = await Promise.all([
    opts.plan?.config ?? configOfYear(db, planId, fiscalYear),
    loadYearFacts(db, planId, fiscalYear, opts),
  ]);
  return { config, facts, evaluations: evaluateYear(config, facts) };
}
