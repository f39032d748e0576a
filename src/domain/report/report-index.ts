import { numberTree } from '../numbering.js';
import { pathFinder } from '../tree.js';
import type { ReportDataset } from './types.js';

type Node = ReportDataset['nodes'][number];
type Project = ReportDataset['projects'][number];
export type DatasetRecord = ReportDataset['records'][number];
export type DatasetIndicator = ReportDataset['indicators'][number];
type Actual = ReportDataset['actuals'][number];

/** A project as printed under a node: at home, or cross-listed (再掲) under another. */
export interface Placement {
  project: Project;
  crossListed: boolean;
  position: number;
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const byPositionThenId = (a: { position: number; id: number }, b: { position: number; id: number }) =>
  a.position - b.position || a.id - b.id;
const yearKey = (indicatorId: number, fiscalYear: number) => `${indicatorId}|${fiscalYear}`;

function placementsByNode(ds: ReportDataset, withCrossListings: boolean): Map<number, Placement[]> {
  const home = ds.projects.map((p) => ({ nodeId: p.nodeId, project: p, crossListed: false, position: p.position }));
  const projectById = new Map(ds.projects.map((p) => [p.id, p]));
  const listed = withCrossListings
    ? ds.listings.flatMap((l) => {
        const project = projectById.get(l.projectId);
        return project ? [{ nodeId: l.nodeId, project, crossListed: true, position: 1e9 + l.position }] : [];
      })
    : [];
  const groups = groupBy([...home, ...listed], (p) => p.nodeId);
  for (const list of groups.values()) list.sort((a, b) => a.position - b.position || a.project.id - b.project.id);
  return groups;
}

/**
 * The dataset looked up the way a report reads it: the tree in print order with its numbers, each
 * node's projects, each project's departments (lead first), records, indicators, targets and actuals.
 */
/** The departments' parts of a value added up label by label; a label whose values are not all numbers is left out. */
function sumParts(list: Actual[]): Actual['parts'] {
  const labels = [...new Set(list.flatMap((a) => a.parts.map((p) => p.label)))];
  return labels.flatMap((label) => {
    const parts = list.map((a) => a.parts.find((p) => p.label === label));
    if (parts.some((p) => p === undefined || p.value === null)) return [];
    return [{ label, value: parts.reduce((s, p) => s + p!.value!, 0), text: '' }];
  });
}

export class ReportIndex {
  readonly year: number;
  readonly numbers: Map<number, string>;
  readonly nodeById: Map<number, Node>;
  readonly projectById: Map<number, Project>;
  readonly departmentById: Map<number, ReportDataset['departments'][number]>;
  readonly pathOf: (nodeId: number) => number[];
  private readonly children: Map<number | null, Node[]>;
  private readonly placements: Map<number, Placement[]>;
  private readonly assignments: Map<number, ReportDataset['assignments']>;
  private readonly records: Map<number, DatasetRecord[]>;
  private readonly indicators: Map<number, DatasetIndicator[]>;
  private readonly targets: Map<string, ReportDataset['targets'][number]>;
  private readonly actuals: Map<string, Actual[]>;
  private readonly departmentsOfProject = new Map<number, number[]>();
  private readonly nodeTexts = new Map<number, string>();
  /** records of the years other than the report's, by project and year (made when first asked) */
  private otherYears: Map<string, DatasetRecord[]> | undefined;

  constructor(
    readonly ds: ReportDataset,
    options: { crossListings: boolean },
  ) {
    this.year = ds.fiscalYear;
    this.numbers = numberTree(
      ds.nodes,
      ds.levels.map((l) => ({ style: l.numberingStyle, scope: l.numberingScope })),
    );
    this.nodeById = new Map(ds.nodes.map((n) => [n.id, n]));
    this.projectById = new Map(ds.projects.map((p) => [p.id, p]));
    this.departmentById = new Map(ds.departments.map((d) => [d.id, d]));
    this.pathOf = pathFinder(ds.nodes);
    this.children = groupBy(ds.nodes, (n) => n.parentId);
    for (const list of this.children.values()) list.sort(byPositionThenId);
    this.placements = placementsByNode(ds, options.crossListings);
    const leadFirst = [...ds.assignments].sort(
      (x, y) => Number(y.isLead) - Number(x.isLead) || x.position - y.position,
    );
    this.assignments = groupBy(leadFirst, (a) => a.projectId);
    this.records = groupBy(
      ds.records.filter((r) => r.fiscalYear === this.year),
      (r) => r.projectId,
    );
    // Indicators of nodes (no project) print in no project's rows.
    this.indicators = groupBy(
      [...ds.indicators].filter((i) => i.projectId !== null).sort(byPositionThenId),
      (i) => i.projectId!,
    );
    this.targets = new Map(ds.targets.map((t) => [yearKey(t.indicatorId, t.fiscalYear), t]));
    this.actuals = groupBy(ds.actuals, (a) => yearKey(a.indicatorId, a.fiscalYear));
  }

  childrenOf(parentId: number | null): Node[] {
    return this.children.get(parentId) ?? [];
  }

  placementsOf(nodeId: number): Placement[] {
    return this.placements.get(nodeId) ?? [];
  }

  levelName(depth: number): string {
    return this.ds.levels.find((l) => l.depth === depth)?.name ?? '';
  }

  /** 「(1) 意識の啓発」: a node's printed number and title. */
  nodeText(id: number | undefined): string {
    if (id === undefined) return '';
    const known = this.nodeTexts.get(id);
    if (known !== undefined) return known;
    const n = this.nodeById.get(id);
    const number = n ? (this.numbers.get(n.id) ?? '') : '';
    const text = !n ? '' : number ? `${number} ${n.title}` : n.title;
    this.nodeTexts.set(id, text);
    return text;
  }

  /** A department's name as reports print it (with its reorganisation note). */
  departmentName(id: number | null): string {
    return id === null ? '' : (this.departmentById.get(id)?.displayName ?? '');
  }

  /** The departments on a project, lead first; records of departments not assigned come after. */
  projectDepartments(projectId: number): number[] {
    const known = this.departmentsOfProject.get(projectId);
    if (known) return known;
    const ids = (this.assignments.get(projectId) ?? []).map((a) => a.departmentId);
    for (const r of this.recordsOf(projectId)) if (!ids.includes(r.departmentId)) ids.push(r.departmentId);
    this.departmentsOfProject.set(projectId, ids);
    return ids;
  }

  /** The project's records of the report's year. */
  recordsOf(projectId: number): DatasetRecord[] {
    return this.records.get(projectId) ?? [];
  }

  /** The project's records of another fiscal year the dataset holds (the layout prints that year's texts). */
  recordsOfYear(projectId: number, fiscalYear: number): DatasetRecord[] {
    if (fiscalYear === this.year) return this.recordsOf(projectId);
    this.otherYears ??= groupBy(
      this.ds.records.filter((r) => r.fiscalYear !== this.year),
      (r) => `${r.projectId}|${r.fiscalYear}`,
    );
    return this.otherYears.get(`${projectId}|${fiscalYear}`) ?? [];
  }

  indicatorsOf(projectId: number): DatasetIndicator[] {
    return this.indicators.get(projectId) ?? [];
  }

  /** An indicator belongs to its department's row, or to the lead's (`first`) where it names none. */
  indicatorsFor(projectId: number, departmentId: number, first: boolean): DatasetIndicator[] {
    return this.indicatorsOf(projectId).filter((i) =>
      i.departmentId === null ? first || this.hasActual(i.id, departmentId) : i.departmentId === departmentId,
    );
  }

  /** A line's indicators: its department's, or the whole project's on a project row (`departmentId` null). */
  indicatorsOfRow(projectId: number, departmentId: number | null): DatasetIndicator[] {
    if (departmentId === null) return this.indicatorsOf(projectId);
    return this.indicatorsFor(projectId, departmentId, this.projectDepartments(projectId)[0] === departmentId);
  }

  target(indicatorId: number, fiscalYear: number): ReportDataset['targets'][number] | undefined {
    return this.targets.get(yearKey(indicatorId, fiscalYear));
  }

  /** One department's value for an indicator (all departments' values summed where none is named). */
  actualFor(indicatorId: number, fiscalYear: number, departmentId: number | null): Actual | null {
    const list = this.actuals.get(yearKey(indicatorId, fiscalYear)) ?? [];
    if (departmentId !== null) return list.find((a) => a.departmentId === departmentId) ?? null;
    if (list.length <= 1) return list[0] ?? null;
    const numbers = list.filter((a) => a.value !== null);
    return numbers.length === list.length
      ? { ...list[0]!, value: numbers.reduce((s, a) => s + a.value!, 0), text: '', parts: sumParts(list) }
      : list[0]!;
  }

  private hasActual(indicatorId: number, departmentId: number): boolean {
    return (this.actuals.get(yearKey(indicatorId, this.year)) ?? []).some((a) => a.departmentId === departmentId);
  }
}
