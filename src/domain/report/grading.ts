import { evaluate, gradeSpeech, resolveGrade, type ResolvedGrade } from '../evaluation.js';
import type { DatasetIndicator, ReportIndex } from './report-index.js';
import type { ReportCell } from './types.js';

export interface GradeCells {
  level: ReportCell;
  grade: ReportCell;
  reason: ReportCell;
}

const copy = (cells: GradeCells): GradeCells => ({
  level: { ...cells.level },
  grade: { ...cells.grade },
  reason: { ...cells.reason },
});

/**
 * Grades as a report prints them: an indicator line's resolved by the plan's scale (computed, entered,
 * or overridden with a reason), a record's entered by hand, and the three cells a row prints them in.
 */
export class Grader {
  /** the scale computes grades per indicator line; otherwise departments grade their records */
  readonly computes: boolean;
  private readonly lines = new Map<string, ResolvedGrade>();
  private readonly rowCells = new Map<object, GradeCells>();

  constructor(private readonly ix: ReportIndex) {
    this.computes = ix.ds.scale.method !== 'manual';
  }

  /** One indicator line's grade: one department's, or the project's values summed (`departmentId` null). */
  line(indicator: DatasetIndicator, departmentId: number | null): ResolvedGrade {
    const key = `${indicator.id}|${departmentId ?? 0}`;
    const known = this.lines.get(key);
    if (known) return known;
    const resolved = this.resolveLine(indicator, departmentId);
    this.lines.set(key, resolved);
    return resolved;
  }

  /** The grades printed on a record or project row: its own where graded by hand, else its lines'. */
  ofRow(projectId: number, departmentId: number | null): ResolvedGrade[] {
    const scale = this.ix.ds.scale;
    if (this.computes) return this.ix.indicatorsOfRow(projectId, departmentId).map((i) => this.line(i, departmentId));
    return this.ix
      .recordsOf(projectId)
      .filter((x) => (departmentId === null || x.departmentId === departmentId) && x.grade)
      .map((x) => resolveGrade({ achievement: null, level: null, grade: null, basis: '' }, { grade: x.grade }, scale));
  }

  /** A row's 達成度, 評価 and 評価の理由 cells, worked out once per row (each call gets its own copies). */
  cells(row: object, grades: () => ResolvedGrade[]): GradeCells {
    const known = this.rowCells.get(row);
    if (known) return copy(known);
    const made = this.makeCells(grades());
    this.rowCells.set(row, made);
    return copy(made);
  }

  private makeCells(grades: ResolvedGrade[]): GradeCells {
    const scale = this.ix.ds.scale;
    const shown = grades.filter((g) => g.grade !== null);
    const text = [...new Set(shown.map((g) => g.grade!))].join('／');
    const level = [...new Set(shown.map((g) => g.level).filter((x): x is string => !!x))].join('／');
    const overrides = shown.filter((g) => g.source === 'override');
    return {
      level: { text: level, value: level !== '' && /^\d+$/.test(level) ? Number(level) : null },
      grade: {
        text,
        speech: shown.length ? shown.map((g) => gradeSpeech(scale, g.grade)).join('、') : '未評価',
        ...(overrides.length ? { note: overrides.map((o) => o.reason).join('／') } : {}),
      },
      reason: { text: overrides.map((o) => o.reason).join('／') },
    };
  }

  private resolveLine(indicator: DatasetIndicator, departmentId: number | null): ResolvedGrade {
    const { ds, year } = this.ix;
    const target = this.ix.target(indicator.id, year);
    const actual = this.ix.actualFor(indicator.id, year, departmentId);
    const computed = evaluate(ds.scale, {
      direction: indicator.direction,
      target: { value: target?.value ?? null, text: target?.text ?? '' },
      actual: { value: actual?.value ?? null, text: actual?.text ?? '', status: actual?.status ?? null },
      baseline: indicator.baselineValue,
      finalTarget: indicator.finalTargetValue,
    });
    return resolveGrade(
      computed,
      { grade: actual?.grade ?? null, level: actual?.level ?? null, reason: actual?.gradeReason ?? '' },
      ds.scale,
    );
  }
}
