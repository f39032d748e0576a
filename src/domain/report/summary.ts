import { addToTally, emptyTally, evaluate, resolveGrade, rollupMark, type Tally } from '../evaluation.js';
import { eraYearLabel } from '../fiscal-year.js';
import { numberTree } from '../numbering.js';
import { RECORD_STATUSES, type RecordStatus } from '../cycle-terms.js';
import { PROJECT_CATEGORIES } from '../plan-terms.js';
import type { ReportDataset } from './build.js';
import { pathFinder } from '../tree.js';

/** One graded unit of a year: an indicator line where the scale computes, a record where graded by hand. */
export interface GradedUnit {
  projectId: number;
  departmentId: number;
  nodePath: number[];
  grade: string | null;
}

export function gradedUnits(ds: ReportDataset, year: number): GradedUnit[] {
  const pathOf = pathFinder(ds.nodes);
  const projectNode = new Map(ds.projects.map((p) => [p.id, p.nodeId]));
  const units: GradedUnit[] = [];
  if (ds.scale.method === 'manual') {
    for (const r of ds.records)
      if (r.fiscalYear === year && projectNode.has(r.projectId))
        units.push({
          projectId: r.projectId,
          departmentId: r.departmentId,
          nodePath: pathOf(projectNode.get(r.projectId)!),
          grade: r.grade,
        });
    return units;
  }
  const leadOf = new Map<number, number>();
  for (const a of [...ds.assignments].sort((x, y) => Number(y.isLead) - Number(x.isLead) || x.position - y.position))
    if (!leadOf.has(a.projectId)) leadOf.set(a.projectId, a.departmentId);
  const target = new Map(ds.targets.filter((t) => t.fiscalYear === year).map((t) => [t.indicatorId, t]));
  const actuals = new Map(
    ds.actuals.filter((a) => a.fiscalYear === year).map((a) => [`${a.indicatorId}|${a.departmentId}`, a]),
  );
  const actualDepartments = new Map<number, number[]>();
  for (const a of ds.actuals)
    if (a.fiscalYear === year)
      actualDepartments.set(a.indicatorId, [...(actualDepartments.get(a.indicatorId) ?? []), a.departmentId]);
  // An indicator without a department is the lead's, and also every department's that reported on it.
  const lines = ds.indicators.flatMap((i) => {
    const lead = leadOf.get(i.projectId);
    const ids =
      i.departmentId !== null
        ? [i.departmentId]
        : [...new Set([...(lead === undefined ? [] : [lead]), ...(actualDepartments.get(i.id) ?? [])])];
    return ids.map((departmentId) => ({ i, departmentId }));
  });
  for (const { i, departmentId } of lines) {
    if (!projectNode.has(i.projectId)) continue;
    const t = target.get(i.id);
    const a = actuals.get(`${i.id}|${departmentId}`);
    // A year with neither a target nor an actual for the line has nothing to grade.
    if (!t && !a) continue;
    const computed = evaluate(ds.scale, {
      direction: i.direction,
      target: { value: t?.value ?? null, text: t?.text ?? '' },
      actual: { value: a?.value ?? null, text: a?.text ?? '', status: a?.status ?? null },
      baseline: i.baselineValue,
      finalTarget: i.finalTargetValue,
    });
    const g = resolveGrade(
      computed,
      { grade: a?.grade ?? null, level: a?.level ?? null, reason: a?.gradeReason ?? '' },
      ds.scale,
    );
    units.push({
      projectId: i.projectId,
      departmentId,
      nodePath: pathOf(projectNode.get(i.projectId)!),
      grade: g.grade,
    });
  }
  return units;
}

export interface SummaryLine {
  id: number;
  label: string;
  tally: Tally;
  previous: Tally;
  /** this year's count minus last year's, per code */
  change: Record<string, number>;
  mark: string | null;
}

export interface ReportSummary {
  fiscalYear: number;
  fiscalYearLabel: string;
  previousYearLabel: string;
  depth: number;
  levelName: string;
  codes: string[];
  unit: 'indicator' | 'record';
  total: SummaryLine;
  byNode: SummaryLine[];
  byDepartment: SummaryLine[];
  categories: { id: number; label: string; counts: Record<string, number> }[];
  /** how far the answers have got; null for readers who see approved answers only */
  completeness: {
    total: number;
    byStatus: Record<RecordStatus, number>;
    byDepartment: { id: number; label: string; total: number; submitted: number; approved: number }[];
  } | null;
  /** the plan's indicators, for picking one to chart */
  indicators: { id: number; label: string }[];
}

type Completeness = NonNullable<ReportSummary['completeness']>;

/** A line of counts: this year's and last year's units that `pick` chooses, the change, and the star mark. */
function summaryLine(
  ds: ReportDataset,
  units: { now: GradedUnit[]; before: GradedUnit[] },
  id: number,
  label: string,
  pick: (u: GradedUnit) => boolean,
): SummaryLine {
  const mine = units.now.filter(pick);
  const tally = emptyTally(ds.scale);
  const previous = emptyTally(ds.scale);
  for (const u of mine) addToTally(ds.scale, tally, u.grade);
  for (const u of units.before.filter(pick)) addToTally(ds.scale, previous, u.grade);
  const change = Object.fromEntries(
    [...new Set([...Object.keys(tally.counts), ...Object.keys(previous.counts)])].map((c) => [
      c,
      (tally.counts[c] ?? 0) - (previous.counts[c] ?? 0),
    ]),
  );
  const mark = rollupMark(
    ds.scale,
    mine.map((u) => u.grade),
  );
  return { id, label, tally, previous, change, mark: mark?.mark ?? null };
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
      const counts: Record<string, number> = Object.fromEntries(PROJECT_CATEGORIES.map((k) => [k, 0]));
      for (const p of ds.projects)
        if (p.category && pathOf(p.nodeId)[0] === n.id) counts[p.category] = (counts[p.category] ?? 0) + 1;
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
  const line = (id: number, text: string, pick: (u: GradedUnit) => boolean) => summaryLine(ds, units, id, text, pick);
  const pathOf = pathFinder(ds.nodes);
  const departments = summaryDepartments(ds, units);
  return {
    fiscalYear: year,
    fiscalYearLabel: eraYearLabel(year, era),
    previousYearLabel: eraYearLabel(year - 1, era),
    depth,
    levelName: ds.levels.find((l) => l.depth === depth)?.name ?? '',
    codes: ds.scale.grades.filter((g) => g.tally).map((g) => g.code),
    unit: ds.scale.method === 'manual' ? 'record' : 'indicator',
    total: line(0, '合計', () => true),
    byNode: nodesAtDepth(ds, depth, pathOf).map((n) => line(n.id, label(n.id), (u) => u.nodePath[depth] === n.id)),
    byDepartment: departments.map((d) => line(d.id, d.displayName, (u) => u.departmentId === d.id)),
    categories: categoriesPerGoal(ds, label, pathOf),
    completeness: completeness(ds, departments),
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
