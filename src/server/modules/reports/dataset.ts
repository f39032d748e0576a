import type { AnswerTextKey } from '../../../domain/report/columns.js';
import type { ReportDataset } from '../../../domain/report/build.js';
import type { DatasetEvaluation, DatasetValue } from '../../../domain/report/evaluation.js';
import { evaluatePlanYear } from '../evaluations/index.js';
import { slotScale } from '../../../domain/evaluation/slots.js';
import type { DbOrTx } from '../../db/types.js';
import { notFound } from '../../http/errors.js';
import { readJson } from '../../db/json.js';
import { loadDepartments } from '../departments/index.js';
import { municipalityEra } from '../municipalities/index.js';
import { planFieldsOf, yearStructure } from '../plans/index.js';
import {
  actualRows,
  assignmentRows,
  councilRows,
  subPlanRows,
  findPlan,
  indicatorRows,
  levelRows,
  listingRows,
  municipalityName,
  nodeSubPlanRows,
  recordRows,
  targetRows,
} from './reports.repository.js';

type RecordRow = Awaited<ReturnType<typeof recordRows>>[number];
type Structure = Awaited<ReturnType<typeof yearStructure>>;

export interface DatasetOptions {
  /** a report reads this year's records; a summary compares with the year before's too */
  previousRecords?: boolean;
  /** the other fiscal years whose indicator values the layout prints (see `layoutYears`) */
  extraYears?: number[];
  /** the other fiscal years whose answers (texts, extra fields, council remarks) it prints; absent: `extraYears` */
  extraAnswerYears?: number[];
  /** print only approved answers: the others keep their row, with nothing in it (publishing, the council) */
  approvedOnly?: boolean;
  /** the answer texts printed, by fiscal year (see `layoutTexts`); absent: every text of every year read */
  texts?: ReadonlyMap<number, readonly AnswerTextKey[]>;
  /** false: the projects' summaries are not printed, so not read */
  summaries?: boolean;
}

const answerKey = (projectId: number, departmentId: number, fiscalYear: number) =>
  `${projectId}|${departmentId}|${fiscalYear}`;

/** The year's departments: those that answered it (its records), or for a year not yet asked, the current assignments. */
function yearAssignments(
  records: RecordRow[],
  current: Awaited<ReturnType<typeof assignmentRows>>,
  fiscalYear: number,
): ReportDataset['assignments'] {
  const answered = records.filter((r) => r.fiscal_year === fiscalYear);
  const rows = answered.length ? answered : current;
  return rows.map((r) => ({
    projectId: r.project_id,
    departmentId: r.department_id,
    isLead: r.is_lead === 1,
    position: r.position,
  }));
}

/** Answers not approved keep their row and print nothing. */
function blankUnapproved(records: RecordRow[], hidden: Set<string>): RecordRow[] {
  return records.map((r) =>
    hidden.has(answerKey(r.project_id, r.department_id, r.fiscal_year))
      ? {
          ...r,
          plan_text: '',
          result_text: '',
          remarks: '',
          next_year_plan: '',
          same_as_department_id: null,
          custom: '{}',
        }
      : r,
  );
}

function toRecords(records: RecordRow[]): ReportDataset['records'] {
  return records.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    departmentId: r.department_id,
    fiscalYear: r.fiscal_year,
    planText: r.plan_text,
    resultText: r.result_text,
    remarks: r.remarks,
    nextYearPlan: r.next_year_plan,
    sameAsDepartmentId: r.same_as_department_id,
    custom: readJson.customValues(r.custom),
    status: r.status,
  }));
}

function toTargets(rows: Awaited<ReturnType<typeof targetRows>>): ReportDataset['targets'] {
  return rows.map((t) => ({ indicatorId: t.indicator_id, fiscalYear: t.fiscal_year, value: t.value, text: t.text }));
}

function toIndicators(rows: Awaited<ReturnType<typeof indicatorRows>>): ReportDataset['indicators'] {
  return rows.map((i) => ({
    id: i.id,
    projectId: i.project_id,
    nodeId: i.node_id,
    departmentId: i.department_id,
    name: i.name,
    unit: i.unit,
    direction: i.direction,
    baselineValue: i.baseline_value,
    baselineText: i.baseline_text,
    finalTargetValue: i.final_target_value,
    finalTargetText: i.final_target_text,
    position: i.position,
  }));
}

function toActuals(rows: Awaited<ReturnType<typeof actualRows>>): ReportDataset['actuals'] {
  return rows.map((a) => ({
    indicatorId: a.indicator_id,
    departmentId: a.department_id,
    fiscalYear: a.fiscal_year,
    value: a.value,
    text: a.text,
    status: a.status,
    parts: readJson.actualParts(a.parts),
  }));
}

/** The year's structure as the year prints it: the nodes (with their sub-plan tags) and projects that apply in it. */
function toTree(structure: Structure, tags: Awaited<ReturnType<typeof nodeSubPlanRows>>) {
  const subPlans = new Map<number, number[]>();
  for (const t of tags) subPlans.set(t.node_id, [...(subPlans.get(t.node_id) ?? []), t.sub_plan_id]);
  const nodes: ReportDataset['nodes'] = structure.nodes.map((n) => ({
    id: n.id,
    parentId: n.parent_id,
    depth: n.depth,
    position: n.position,
    title: n.title,
    numberOverride: structure.numbers.get(n.id) ?? n.number_override,
    subPlanIds: subPlans.get(n.id) ?? [],
    priority: n.priority === 1,
  }));
  const projects: ReportDataset['projects'] = structure.projects.map((p) => ({
    id: p.id,
    nodeId: p.node_id,
    number: p.number,
    name: p.name,
    summary: p.summary,
    category: p.category,
    audience: p.audience,
    custom: readJson.customValues(p.custom),
    position: p.position,
  }));
  return { nodes, projects };
}

/** Every slot's value of the years a report reads, as the evaluation engine resolves them. */
async function datasetEvaluation(
  db: DbOrTx,
  planId: number,
  fiscalYear: number,
  opts: { approvedOnly: boolean; years: number[]; valueYears: number[]; baselineBefore: number; structure: Structure },
): Promise<DatasetEvaluation> {
  // The report's year is evaluated on the structure the report has read; another year reads its own.
  const evaluate = (y: number) =>
    evaluatePlanYear(db, planId, y, {
      approvedOnly: opts.approvedOnly,
      structure: y === fiscalYear ? opts.structure : undefined,
    }).then((e) => ({ y, e }));
  const evaluated = await Promise.all(opts.years.map(evaluate));
  const values: DatasetValue[] = [];
  for (const { y, e } of evaluated)
    for (const slot of e.config.slots)
      for (const v of e.evaluations.of(slot.key))
        values.push({
          fiscalYear: y,
          slotKey: slot.key,
          subjectKind: v.subject.kind,
          subjectId: v.subject.id,
          departmentId: v.subject.departmentId,
          code: v.code,
          level: v.level,
          source: v.source,
          reason: v.source === 'override' || v.source === 'entered' ? v.reason : '',
          comment: v.comment,
          ratio: v.computed?.ratio ?? null,
        });
  const config = evaluated.find((x) => x.y === fiscalYear)!.e.config;
  const others = opts.valueYears.filter((y) => !opts.years.includes(y));
  values.push(...(await doneFlagsOfOtherYears(db, planId, config, others, opts.baselineBefore)));
  return { config, values };
}

/**
 * Answers' done flags (○ × —, the answer slot whose scale has ○) print in every year column a report
 * shows, also of years whose answers it does not read (a report year's 前年度, before the plan).
 */
async function doneFlagsOfOtherYears(
  db: DbOrTx,
  planId: number,
  config: DatasetEvaluation['config'],
  years: number[],
  baselineBefore: number,
): Promise<DatasetValue[]> {
  const slots = config.slots
    .filter((sl) => sl.subject === 'record' && slotScale(config, sl).grades.some((g) => g.code === '○'))
    .map((sl) => sl.key);
  if (slots.length === 0) return [];
  // Those of the years printed, and those before the plan and the year before (a report's 現状値).
  const rows = await db
    .selectFrom('evaluations')
    .select(['fiscal_year', 'slot_key', 'subject_id', 'department_id', 'code', 'comment'])
    .where('plan_id', '=', planId)
    .where('subject_kind', '=', 'record')
    .where('slot_key', 'in', slots)
    .where('code', 'is not', null)
    .where((eb) =>
      eb.or([...(years.length ? [eb('fiscal_year', 'in', years)] : []), eb('fiscal_year', '<', baselineBefore)]),
    )
    .execute();
  return rows.map((r) => ({
    fiscalYear: r.fiscal_year,
    slotKey: r.slot_key,
    subjectKind: 'record' as const,
    subjectId: r.subject_id,
    departmentId: r.department_id,
    code: r.code,
    level: null,
    source: 'entered' as const,
    reason: '',
    comment: r.comment,
    ratio: null,
    ...(r.fiscal_year < baselineBefore && !years.includes(r.fiscal_year) ? { baseline: true } : {}),
  }));
}

/** The council's remarks, each with the departments' answers under it. */
function toComments(rows: Awaited<ReturnType<typeof councilRows>>): ReportDataset['comments'] {
  const remarks = new Map<number, ReportDataset['comments'][number]>();
  for (const r of rows.filter((x) => x.parent_id === null))
    remarks.set(r.id, {
      projectId: r.project_id,
      fiscalYear: r.fiscal_year,
      body: r.body,
      at: r.created_at,
      answers: [],
    });
  for (const r of rows.filter((x) => x.parent_id !== null))
    remarks
      .get(r.parent_id!)
      ?.answers.push({ departmentName: r.department_name ?? '', body: r.body, at: r.created_at });
  return [...remarks.values()];
}

/** Every row a report of the plan and year reads, in one round of queries. */
interface ReadYears {
  /** the report's own year: the indicators that apply in it are read */
  fiscalYear: number;
  /** of indicator values */
  years: number[];
  /** of answers */
  readYears: number[];
  texts?: DatasetOptions['texts'];
}

async function readRows(db: DbOrTx, municipalityId: number, planId: number, read: ReadYears) {
  const { years, readYears } = read;
  const [rows, subPlans, comments] = await Promise.all([
    readTree(db, municipalityId, planId, read),
    subPlanRows(db, planId),
    // The council's remarks of every year read (a remarks column of an earlier year is an answer column).
    councilRows(db, planId, [...new Set([...years, ...readYears])]),
  ]);
  return { ...rows, subPlans, comments };
}

async function readTree(
  db: DbOrTx,
  municipalityId: number,
  planId: number,
  { fiscalYear, years, readYears, texts }: ReadYears,
) {
  const [name, era, levels, tags, listings, assignments, departments, records, indicators, targets, actuals] =
    await Promise.all([
      municipalityName(db, municipalityId),
      municipalityEra(db, municipalityId),
      levelRows(db, planId),
      nodeSubPlanRows(db, planId),
      listingRows(db, planId),
      assignmentRows(db, planId),
      loadDepartments(db, municipalityId),
      recordRows(db, planId, readYears, texts),
      indicatorRows(db, planId, fiscalYear),
      targetRows(db, planId, years),
      actualRows(db, planId, years),
    ]);
  return { name, era, levels, tags, listings, assignments, departments, records, indicators, targets, actuals };
}

/**
 * Reads what a report of one plan and fiscal year shows, in a fixed number of queries: the tree,
 * projects, departments, and the year's and the year before's records and indicator values.
 */
export async function loadReportDataset(
  db: DbOrTx,
  municipalityId: number,
  planId: number,
  fiscalYear: number,
  opts: DatasetOptions = {},
): Promise<ReportDataset> {
  const extra = (opts.extraYears ?? []).filter((y) => y !== fiscalYear);
  const extraAnswers = (opts.extraAnswerYears ?? extra).filter((y) => y !== fiscalYear);
  const years = [...new Set([...extra, fiscalYear - 1, fiscalYear])];
  const recordYears = [...new Set([...extraAnswers, ...(opts.previousRecords ? [fiscalYear - 1] : []), fiscalYear])];
  // Hiding unapproved answers needs the statuses of every year whose indicator values print.
  const readYears = opts.approvedOnly ? [...new Set([...years, ...recordYears])] : recordYears;
  const plan = await findPlan(db, municipalityId, planId);
  if (!plan) throw notFound('計画');
  const rows = await readRows(db, municipalityId, planId, { fiscalYear, years, readYears, texts: opts.texts });
  const structure = await yearStructure(db, planId, fiscalYear, undefined, { summary: opts.summaries });
  const { nodes, projects } = toTree(structure, rows.tags);
  const projectIds = new Set(projects.map((p) => p.id));
  const nodeIds = new Set(nodes.map((n) => n.id));
  // Answers not approved keep their row and print nothing; their indicator values stay out.
  const hidden = new Set(
    opts.approvedOnly
      ? rows.records
          .filter((r) => r.status !== 'approved')
          .map((r) => answerKey(r.project_id, r.department_id, r.fiscal_year))
      : [],
  );
  const projectOfIndicator = new Map(rows.indicators.map((i) => [i.id, i.project_id]));
  return {
    municipality: { name: rows.name, era2019: rows.era },
    plan: { id: plan.id, title: plan.title, subPlans: rows.subPlans, ...planFieldsOf(plan) },
    fiscalYear,
    evaluation: await datasetEvaluation(db, planId, fiscalYear, {
      approvedOnly: !!opts.approvedOnly,
      years: opts.previousRecords ? years : [fiscalYear],
      valueYears: years,
      // A done flag from before the plan and the year before stands for the 現状値 (baseline).
      baselineBefore: Math.min(plan.first_year, fiscalYear - 1),
      structure,
    }),
    levels: rows.levels.map((l) => ({
      depth: l.depth,
      name: l.name,
      numberingStyle: l.numbering_style,
      numberingScope: l.numbering_scope,
      numberHeading: l.number_heading,
    })),
    nodes,
    projects,
    listings: rows.listings
      .filter((l) => projectIds.has(l.project_id) && nodeIds.has(l.node_id))
      .map((l) => ({ projectId: l.project_id, nodeId: l.node_id, position: l.position })),
    assignments: yearAssignments(rows.records, rows.assignments, fiscalYear).filter((a) => projectIds.has(a.projectId)),
    departments: rows.departments.map((d) => ({
      id: d.id,
      name: d.name,
      displayName: d.displayName,
      position: d.position,
    })),
    records: toRecords(
      blankUnapproved(rows.records, hidden).filter(
        (r) => projectIds.has(r.project_id) && recordYears.includes(r.fiscal_year),
      ),
    ),
    indicators: toIndicators(rows.indicators),
    // Only the values of the indicators that apply in the year: one added later or ended earlier prints nothing.
    targets: toTargets(rows.targets.filter((t) => projectOfIndicator.has(t.indicator_id))),
    comments: toComments(rows.comments),
    actuals: toActuals(
      rows.actuals.filter(
        (a) =>
          projectOfIndicator.has(a.indicator_id) &&
          !hidden.has(answerKey(projectOfIndicator.get(a.indicator_id) ?? 0, a.department_id, a.fiscal_year)),
      ),
    ),
  };
}
