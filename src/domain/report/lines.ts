import type { GradeValue } from './evaluation.js';
import type { Grader } from './grading.js';
import type { ReportLayout } from './layout.js';
import type { DatasetIndicator, DatasetRecord, Placement, ReportIndex } from './report-index.js';
import type { ReportFilters } from './types.js';

/** One printed row before it has cells: a project, a department's record, or an indicator line. */
export interface Line {
  projectId: number;
  /** the node and project: what makes two rows the same placement */
  placementKey: string;
  nodePath: number[];
  crossListed: boolean;
  departmentId: number | null;
  /** the placement and department: what makes two rows the same record */
  recordKey: string;
  record: DatasetRecord | null;
  /** the project's records of the year */
  records: DatasetRecord[];
  indicator: DatasetIndicator | null;
  /** the indicator line's own grade where the printed slot grades lines; null where the row prints its answers' */
  grade: GradeValue | null;
}

/** What the filters let through: a subtree, a sub-plan's tagged nodes (with what is under them), departments. */
export class ReportScope {
  /** whether rows are limited to some departments */
  readonly byDepartment: boolean;
  private readonly taggedRoots: number[] | null;

  constructor(
    private readonly ix: ReportIndex,
    private readonly filters: ReportFilters,
  ) {
    this.byDepartment = !!filters.departmentId || !!filters.departmentIds;
    const subPlanId = filters.subPlanId;
    this.taggedRoots = subPlanId ? ix.ds.nodes.filter((n) => n.subPlanIds.includes(subPlanId)).map((n) => n.id) : null;
  }

  nodeAllowed(nodeId: number): boolean {
    const { nodeId: root } = this.filters;
    return (
      (!root || this.inSubtree(nodeId, root)) &&
      (!this.taggedRoots || this.taggedRoots.some((r) => this.inSubtree(nodeId, r)))
    );
  }

  departmentAllowed(departmentId: number): boolean {
    const { departmentId: only, departmentIds: own } = this.filters;
    return (!only || departmentId === only) && (!own || own.includes(departmentId));
  }

  /** The lines a reader may see: those of a project one of the allowed departments works on. */
  visible(lines: Line[]): Line[] {
    if (!this.byDepartment) return lines;
    return lines.filter((l) => this.ix.projectDepartments(l.projectId).some((d) => this.departmentAllowed(d)));
  }

  private inSubtree(nodeId: number, rootId: number): boolean {
    return this.ix.pathOf(nodeId).includes(rootId);
  }
}

type LineBase = Pick<Line, 'projectId' | 'placementKey' | 'nodePath' | 'crossListed' | 'records'>;

/** Lines in tree order: one per project, record or indicator line as the layout says. */
export class LineWalker {
  private readonly lines: Line[] = [];

  constructor(
    private readonly ix: ReportIndex,
    private readonly grader: Grader,
    private readonly scope: ReportScope,
    private readonly layout: Pick<ReportLayout, 'rowUnit' | 'emptyRows'>,
  ) {}

  walk(): Line[] {
    this.visit(null);
    return this.lines;
  }

  private visit(parentId: number | null): void {
    for (const node of this.ix.childrenOf(parentId)) {
      if (this.scope.nodeAllowed(node.id))
        for (const placement of this.ix.placementsOf(node.id)) this.addPlacement(node.id, placement);
      this.visit(node.id);
    }
  }

  private addPlacement(nodeId: number, { project, crossListed }: Placement): void {
    const placementKey = `${nodeId}|${project.id}`;
    const records = this.ix.recordsOf(project.id);
    const base: LineBase = {
      projectId: project.id,
      placementKey,
      nodePath: this.ix.pathOf(nodeId),
      crossListed,
      records,
    };
    if (this.layout.rowUnit === 'project') {
      this.lines.push({
        ...base,
        departmentId: null,
        recordKey: placementKey,
        record: null,
        indicator: null,
        grade: null,
      });
      return;
    }
    const departments = this.ix.projectDepartments(project.id);
    for (const [i, d] of (departments.length ? departments : [null]).entries()) this.addDepartment(base, d, i === 0);
  }

  private addDepartment(base: LineBase, departmentId: number | null, first: boolean): void {
    const record = departmentId === null ? null : (base.records.find((r) => r.departmentId === departmentId) ?? null);
    const row = { ...base, departmentId, recordKey: `${base.placementKey}|${departmentId ?? 0}`, record };
    const indicators =
      this.layout.rowUnit === 'record'
        ? []
        : departmentId === null
          ? this.ix.indicatorsOf(base.projectId)
          : this.ix.indicatorsFor(base.projectId, departmentId, first);
    // A row without an indicator line keeps its place unless the layout leaves such rows out.
    if (indicators.length === 0 && !(this.layout.rowUnit === 'indicator' && this.layout.emptyRows === 'omit'))
      this.lines.push({ ...row, indicator: null, grade: null });
    // A line has a grade of its own only where the slot grades lines; else its row prints the answer's.
    for (const indicator of indicators)
      this.lines.push({
        ...row,
        indicator,
        grade: this.grader.computes ? this.grader.line(indicator, departmentId) : null,
      });
  }
}
