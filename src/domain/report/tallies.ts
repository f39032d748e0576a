import { addToTally, countOf, emptyTally, NO_GRADE, type GradeValue, type Tally } from './evaluation.js';
import type { Grader } from './grading.js';
import type { Line, ReportScope } from './lines.js';
import type { ReportIndex } from './report-index.js';
import type { ReportDocument } from './types.js';

/**
 * Grade counts of the printed slot per top-level node and in total. Each graded unit counts once:
 * indicator lines where the slot evaluates lines (and answers without a line), answers where it
 * evaluates answers; cross-listed placements are not counted twice, excluded lines not at all.
 */
export class Tallies {
  private readonly total: Tally;
  private readonly byTop = new Map<number, Tally>();
  /** every node on the printed lines' paths, for the headings' {grades} */
  private readonly byNode = new Map<number, Tally>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly ix: ReportIndex,
    private readonly grader: Grader,
    private readonly scope: ReportScope,
  ) {
    this.total = emptyTally(grader.scale);
  }

  count(lines: Line[]): ReportDocument['tallies'] {
    const scale = this.grader.scale;
    for (const l of lines) {
      if (l.crossListed) continue;
      const grades = this.grader.computes ? this.lineGrades(l.projectId) : this.recordGrades(l.projectId);
      const top = l.nodePath[0]!;
      if (!this.byTop.has(top)) this.byTop.set(top, emptyTally(scale));
      for (const id of l.nodePath) if (!this.byNode.has(id)) this.byNode.set(id, emptyTally(scale));
      for (const g of grades) {
        addToTally(scale, this.total, g.grade, g.source);
        addToTally(scale, this.byTop.get(top)!, g.grade, g.source);
        for (const id of l.nodePath) addToTally(scale, this.byNode.get(id)!, g.grade, g.source);
      }
    }
    return {
      unit: this.grader.computes ? 'indicator' : 'record',
      total: this.total,
      byNode: [...this.byTop.entries()].map(([nodeId, tally]) => ({ nodeId, label: this.ix.nodeText(nodeId), tally })),
      codes: (scale?.grades ?? []).filter((g) => g.tally).map((g) => g.code),
      grades: (scale?.grades ?? []).filter((g) => g.tally).map((g) => ({ code: g.code, label: g.label })),
    };
  }

  /** A heading's counts of the printed slot's codes: 「◎3 ○2 △1 ×0」 (after count). */
  nodeText(nodeId: number): string {
    const tally = this.byNode.get(nodeId);
    const codes = (this.grader.scale?.grades ?? []).filter((g) => g.tally).map((g) => g.code);
    return codes.map((c) => `${c}${tally ? countOf(tally.counts, c) : 0}`).join(' ');
  }

  /** The grades of a project's answers not counted yet, of the departments the reader may see. */
  private recordGrades(projectId: number): GradeValue[] {
    const grades: GradeValue[] = [];
    for (const d of this.ix.projectDepartments(projectId)) {
      if (!this.firstTime(`${projectId}|${d}`, d)) continue;
      grades.push(this.grader.record(projectId, d) ?? NO_GRADE);
    }
    return grades;
  }

  /** The grades of a project's indicator lines (or its line-less answers) not counted yet, of the departments the reader may see. */
  private lineGrades(projectId: number): GradeValue[] {
    const grades: GradeValue[] = [];
    for (const [i, d] of this.ix.projectDepartments(projectId).entries()) {
      if (!this.scope.departmentAllowed(d)) continue;
      for (const ind of this.ix.indicatorsFor(projectId, d, i === 0))
        if (this.firstTime(`${ind.id}|${d}`, d)) grades.push(this.grader.line(ind, d));
      const own = this.grader.record(projectId, d);
      if (own && this.firstTime(`${projectId}|${d}`, d)) grades.push(own);
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
