import { addToTally, emptyTally, type Tally } from '../evaluation.js';
import type { Grader } from './grading.js';
import type { Line, ReportScope } from './lines.js';
import type { ReportIndex } from './report-index.js';
import type { ReportDocument } from './types.js';

/**
 * Grade counts per top-level node and in total. Each graded unit counts once: indicator lines where
 * the scale computes, records where departments grade by hand; cross-listed placements are not
 * counted twice.
 */
export class Tallies {
  private readonly total: Tally;
  private readonly byTop = new Map<number, Tally>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly ix: ReportIndex,
    private readonly grader: Grader,
    private readonly scope: ReportScope,
  ) {
    this.total = emptyTally(ix.ds.scale);
  }

  count(lines: Line[]): ReportDocument['tallies'] {
    const scale = this.ix.ds.scale;
    for (const l of lines) {
      if (l.crossListed) continue;
      const grades = this.grader.computes ? this.lineGrades(l.projectId) : this.recordGrades(l.projectId);
      const top = l.nodePath[0]!;
      if (!this.byTop.has(top)) this.byTop.set(top, emptyTally(scale));
      for (const g of grades) {
        addToTally(scale, this.total, g);
        addToTally(scale, this.byTop.get(top)!, g);
      }
    }
    return {
      unit: this.grader.computes ? 'indicator' : 'record',
      total: this.total,
      byNode: [...this.byTop.entries()].map(([nodeId, tally]) => ({ nodeId, label: this.ix.nodeText(nodeId), tally })),
      codes: scale.grades.filter((g) => g.tally).map((g) => g.code),
    };
  }

  /** The grades of a project's records not counted yet, of the departments the reader may see. */
  private recordGrades(projectId: number): (string | null)[] {
    const grades: (string | null)[] = [];
    for (const d of this.ix.projectDepartments(projectId)) {
      if (!this.firstTime(`${projectId}|${d}`, d)) continue;
      grades.push(this.ix.recordsOf(projectId).find((x) => x.departmentId === d)?.grade ?? null);
    }
    return grades;
  }

  /** The grades of a project's indicator lines not counted yet, of the departments the reader may see. */
  private lineGrades(projectId: number): (string | null)[] {
    const grades: (string | null)[] = [];
    for (const [i, d] of this.ix.projectDepartments(projectId).entries()) {
      if (!this.scope.departmentAllowed(d)) continue;
      for (const ind of this.ix.indicatorsFor(projectId, d, i === 0))
        if (this.firstTime(`${ind.id}|${d}`, d)) grades.push(this.grader.line(ind, d).grade);
    }
    return grades;
  }

  /** Whether a unit of an allowed department is met for the first time (and marks it counted). */
  private firstTime(key: string, departmentId: number): boolean {
    if (this.seen.has(key) || !this.scope.departmentAllowed(departmentId)) return false;
    this.seen.add(key);
    return true;
  }
}
