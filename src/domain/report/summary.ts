import { slotScale } from '../evaluation/slots.js';
import type { Scale } from '../evaluation/schema.js';
import type { CheckKind } from '../evaluation/checks.js';
import { addToTally, countOf, emptyTally, printedSlot, SlotValues, type CodeCount, type Tally } from './evaluation.js';
import { eraYearLabel } from '../fiscal-year.js';
import { numberTree } from '../numbering.js';
import { RECORD_STATUSES, type RecordStatus } from '../cycle-terms.js';
import { countedCategories, DEFAULT_CATEGORIES } from '../plan-fields.js';
import type { ReportDataset } from './build.js';
import { pathFinder } from '../tree.js';
import { slotSummaries, slotUnits, type SlotSummary } from './slot-summary.js';

/** One graded unit of a year: a value of the printed slot (an indicator line's, or an answer's). */
export interface GradedUnit {
  projectId: number | null;
  departmentId: number;
  nodePath: number[];
  grade: string | null;
}

export function gradedUnits(ds: ReportDataset, year: number): GradedUnit[] {
  const slot = printedSlot(ds.evaluation.config);
  if (!slot) return [];
  return slotUnits(ds, year, slot)
    .filter((u) => u.source !== 'excluded' && (u.subjectKind === 'record' || u.subjectKind === 'indicator'))
    .map((u) => ({ projectId: u.projectId, departmentId: u.departmentId, nodePath: u.nodePath, grade: u.code }));
}

/** The mark a rollup slot gives a node (★★★), or the plan as a whole (`nodeId` null), where the plan has one. */
function rollupMark(ds: ReportDataset, nodeId: number | null, depth: number): string | null {
  const { config } = ds.evaluation;
  const printed = printedSlot(config);
  const slot = config.slots.find(
    (s) =>
      s.rollupFrom === printed?.key &&
      (nodeId === null ? s.subject === 'plan' : s.subject === 'node' && (s.depth === null || s.depth === depth)),
  );
  if (!slot) return null;
  const values = new SlotValues(ds.evaluation);
  return values.get(ds.fiscalYear, slot.key, nodeId === null ? 'plan' : 'node', nodeId ?? ds.plan.id)?.code ?? null;
}

export interface SummaryLine {
  id: number;
  label: string;
  tally: Tally;
  previous: Tally;
  /** this year's count minus last year's, per code, in the scale's order */
  change: CodeCount[];
  mark: string | null;
}

/** One year's counts per node of the summary's level, for the table of how the grades moved. */
export interface SummaryYear {
  fiscalYear: number;
  label: string;
  byNode: { id: number; label: string; counts: CodeCount[]; graded: number }[];
  total: { counts: CodeCount[]; graded: number };
}

export interface ReportSummary {
  fiscalYear: number;
  fiscalYearLabel: string;
  previousYearLabel: string;
  /** the year before has answers to compare with (not the plan's first year, nor a year before any round) */
  hasPrevious: boolean;
  depth: number;
  levelName: string;
  codes: string[];
  unit: 'indicator' | 'record';
  total: SummaryLine;
  byNode: SummaryLine[];
  byDepartment: SummaryLine[];
  categories: { id: number; label: string; counts: Record<string, number> }[];
  /**
   * The plan's number and amount fields added up per top heading (a project's field over its projects,
   * an answer's over the year's answers), each with its unit; a heading without any value has null.
   */
  fieldTotals: {
    key: string;
    label: string;
    unit: string;
    byGoal: { id: number; label: string; total: number | null }[];
    total: number | null;
  }[];
  /** how far the answers have got; null for readers who see approved answers only */
  completeness: {
    total: number;
    byStatus: Record<RecordStatus, number>;
    byDepartment: { id: number; label: string; total: number; submitted: number; approved: number }[];
  } | null;
  /** the plan's indicators, for picking one to chart */
  indicators: { id: number; label: string }[];
  /** each year of the plan with answers up to this one, oldest first: how the grades moved (set by the server) */
  history: SummaryYear[];
  /** every tallied slot's counts and points, each in its own scale, per node of the level and in total */
  slots: SlotSummary[];
  /** what the self-evaluation checks found, per department (null where the reader does not see it) */
  checks: { departmentId: number; label: string; counts: Record<CheckKind, number>; total: number }[] | null;
}

type Completeness = NonNullable<ReportSummary['completeness']>;

/** A line of counts: this year's and last year's units that `pick` chooses, the change, and the rollup mark. */
function summaryLine(
  ds: ReportDataset,
  units: { now: GradedUnit[]; before: GradedUnit[] },
  id: number,
  label: string,
  pick: (u: GradedUnit) => boolean,
  mark: string | null = null,
): SummaryLine {
  const mine = units.now.filter(pick);
  const scale = printedScale(ds);
  const tally = emptyTally(scale);
  const previous = emptyTally(scale);
  for (const u of mine) addToTally(scale, tally, u.grade);
  for (const u of units.before.filter(pick)) addToTally(scale, previous, u.grade);
  const change = [...new Set([...tally.counts, ...previous.counts].map((c) => c.code))].map((code) => ({
    code,
    count: countOf(tally.counts, code) - countOf(previous.counts, code),
  }));
  return { id, label, tally, previous, change, mark };
}

function printedScale(ds: ReportDataset): Scale | null {
  const slot = printedSlot(ds.evaluation.config);
  return slot ? slotScale(ds.evaluation.config, slot) : null;
}

/** The nodes of one depth in the order the plan prints them. */
function nodesAtDepth(ds: ReportDataset, depth: number, pathOf: (id: number) => number[]): ReportDataset['nodes'] {
  const position = new Map(ds.nodes.map((n) => [n.id, n.position]));
  // tree order: compare the paths of positions
  const key = (id: number) => pathOf(id).map((x) => position.get(x)!);
  return ds.nodes
    .filter((n) => n.depth === depth)
    .sort((a, b) => {
      const ka = key(a.id);
      const kb = key(b.id);
      for (let i = 0; i < Math.max(ka.length, kb.length); i++)
        if ((ka[i] ?? 0) !== (kb[i] ?? 0)) return (ka[i] ?? 0) - (kb[i] ?? 0);
      return a.id - b.id;
    });
}

/** The plan's number and amount fields, added up under each goal. */
function fieldTotals(
  ds: ReportDataset,
  label: (id: number) => string,
  pathOf: (id: number) => number[],
): ReportSummary['fieldTotals'] {
  const goals = ds.nodes.filter((n) => n.depth === 0).sort((a, b) => a.position - b.position);
  const goalOf = new Map(ds.projects.map((p) => [p.id, pathOf(p.nodeId)[0]]));
  const add = (a: number | null, b: unknown) => (typeof b === 'number' ? (a ?? 0) + b : a);
  return (ds.plan.customFields ?? [])
    .filter((f) => f.type === 'number' || f.type === 'money')
    .map((f) => {
      const sums = new Map<number, number | null>(goals.map((g) => [g.id, null]));
      const values: [number, unknown][] =
        f.on === 'project'
          ? ds.projects.map((p) => [p.id, p.custom?.[f.key]])
          : ds.records.filter((r) => r.fiscalYear === ds.fiscalYear).map((r) => [r.projectId, r.custom?.[f.key]]);
      for (const [projectId, v] of values) {
        const goal = goalOf.get(projectId);
        if (goal !== undefined && sums.has(goal)) sums.set(goal, add(sums.get(goal)!, v));
      }
      const byGoal = goals.map((g) => ({ id: g.id, label: label(g.id), total: sums.get(g.id) ?? null }));
      return {
        key: f.key,
        label: f.label,
        unit: f.unit || (f.type === 'money' ? '円' : ''),
        byGoal,
        total: byGoal.reduce<number | null>((a, g) => add(a, g.total), null),
      };
    });
}

/** 区分 counts of the projects under each goal. */
function categoriesPerGoal(
  ds: ReportDataset,
  label: (id: number) => string,
  pathOf: (id: number) => number[],
): ReportSummary['categories'] {
  return ds.nodes
    .filter((n) => n.depth === 0)
    .sort((a, b) => a.position - b.position)
    .map((n) => {
      const codes = countedCategories(ds.plan.categories ?? DEFAULT_CATEGORIES);
      const counts: Record<string, number> = Object.fromEntries(codes.map((k) => [k, 0]));
      for (const p of ds.projects)
        if (p.category && codes.includes(p.category) && pathOf(p.nodeId)[0] === n.id)
          counts[p.category] = (counts[p.category] ?? 0) + 1;
      return { id: n.id, label: label(n.id), counts };
    });
}

/** How far the year's answers have got: by status, and per department. */
function completeness(ds: ReportDataset, departments: ReportDataset['departments']): Completeness {
  const projectIds = new Set(ds.projects.map((p) => p.id));
  const records = ds.records.filter((r) => r.fiscalYear === ds.fiscalYear && projectIds.has(r.projectId));
  const byStatus = Object.fromEntries(
    RECORD_STATUSES.map((s) => [s, records.filter((r) => r.status === s).length]),
  ) as Record<RecordStatus, number>;
  return {
    total: records.length,
    byStatus,
    byDepartment: departments.map((d) => {
      const mine = records.filter((r) => r.departmentId === d.id);
      return {
        id: d.id,
        label: d.name,
        total: mine.length,
        submitted: mine.filter((r) => r.status === 'submitted' || r.status === 'approved').length,
        approved: mine.filter((r) => r.status === 'approved').length,
      };
    }),
  };
}

/** The departments that answered the year or have graded units in it or the year before, in their order. */
function summaryDepartments(ds: ReportDataset, units: { now: GradedUnit[]; before: GradedUnit[] }) {
  const answering = new Set(ds.records.filter((r) => r.fiscalYear === ds.fiscalYear).map((r) => r.departmentId));
  return [...ds.departments]
    .sort((a, b) => a.position - b.position || a.id - b.id)
    .filter(
      (d) =>
        answering.has(d.id) ||
        units.now.some((u) => u.departmentId === d.id) ||
        units.before.some((u) => u.departmentId === d.id),
    );
}

/** Grade counts per node of one depth and per department, with last year's beside them. */
export function summarise(ds: ReportDataset, depth: number): ReportSummary {
  const year = ds.fiscalYear;
  const era = ds.municipality.era2019;
  const numbers = numberTree(
    ds.nodes,
    ds.levels.map((l) => ({ style: l.numberingStyle, scope: l.numberingScope })),
  );
  const label = (id: number) => {
    const n = ds.nodes.find((x) => x.id === id);
    return n ? `${numbers.get(id) ?? ''} ${n.title}`.trim() : '';
  };
  const units = { now: gradedUnits(ds, year), before: gradedUnits(ds, year - 1) };
  const line = (id: number, text: string, pick: (u: GradedUnit) => boolean, mark: string | null = null) =>
    summaryLine(ds, units, id, text, pick, mark);
  const slot = printedSlot(ds.evaluation.config);
  const pathOf = pathFinder(ds.nodes);
  const departments = summaryDepartments(ds, units);
  return {
    fiscalYear: year,
    fiscalYearLabel: eraYearLabel(year, era),
    previousYearLabel: eraYearLabel(year - 1, era),
    hasPrevious: ds.records.some((r) => r.fiscalYear === year - 1),
    depth,
    levelName: ds.levels.find((l) => l.depth === depth)?.name ?? '',
    codes: (printedScale(ds)?.grades ?? []).filter((g) => g.tally).map((g) => g.code),
    unit: slot?.subject === 'indicator' ? 'indicator' : 'record',
    total: line(0, '合計', () => true, rollupMark(ds, null, depth)),
    byNode: nodesAtDepth(ds, depth, pathOf).map((n) =>
      line(n.id, label(n.id), (u) => u.nodePath[depth] === n.id, rollupMark(ds, n.id, depth)),
    ),
    slots: slotSummaries(
      ds,
      depth,
      nodesAtDepth(ds, depth, pathOf).map((n) => ({ id: n.id, label: label(n.id) })),
    ),
    byDepartment: departments.map((d) => line(d.id, d.displayName, (u) => u.departmentId === d.id)),
    categories: categoriesPerGoal(ds, label, pathOf),
    fieldTotals: fieldTotals(ds, label, pathOf),
    completeness: completeness(ds, departments),
    checks: null,
    history: [],
    indicators: ds.indicators.map((i) => {
      const p = ds.projects.find((x) => x.id === i.projectId);
      return { id: i.id, label: `${p ? `${p.number} ${p.name}：` : ''}${i.name}` };
    }),
  };
}

/** 「◎52（前年比+3）」 */
export function countWithChange(count: number, change: number): string {
  return `${count}（前年比${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change)}）`;
}

/** A summary's counts per node and in total, as one year of the table of how the grades moved. */
export function summaryYear(s: ReportSummary): SummaryYear {
  const counts = (l: SummaryLine) => ({ counts: l.tally.counts, graded: l.tally.graded });
  return {
    fiscalYear: s.fiscalYear,
    label: s.fiscalYearLabel,
    byNode: s.byNode.map((l) => ({ id: l.id, label: l.label, ...counts(l) })),
    total: counts(s.total),
  };
}
