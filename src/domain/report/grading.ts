import { findSlot, slotScale } from '../evaluation/slots.js';
import { codeSpeech } from '../evaluation/resolve.js';
import type { Scale, Slot } from '../evaluation/schema.js';
import { gradeOf, NO_GRADE, printedSlot, SlotValues, type GradeValue } from './evaluation.js';
import type { DatasetIndicator, ReportIndex } from './report-index.js';
import type { ReportCell } from './types.js';

export interface GradeCells {
  level: ReportCell;
  grade: ReportCell;
  reason: ReportCell;
  points: ReportCell;
  /** the ratios the rule computed (1 = 100%), for a ratio column to print with its own decimals */
  ratios: number[];
  /** a grade shown differs from what the rule computed (entered with a reason) */
  overridden: boolean;
}

const copy = (cells: GradeCells): GradeCells => ({
  level: { ...cells.level },
  grade: { ...cells.grade },
  reason: { ...cells.reason },
  points: { ...cells.points },
  ratios: cells.ratios,
  overridden: cells.overridden,
});

const oneOrNone = (values: number[]): number | null => (values.length === 1 ? values[0]! : null);

/**
 * Grades as a report prints them: the values of the plan's printed slot (see `printedSlot`) as the
 * engine resolved them — per indicator line where the slot evaluates lines, per answer where it
 * evaluates answers — and the three cells a row prints them in.
 */
export class Grader {
  /** the printed slot evaluates indicator lines (a line's grade), not answers */
  readonly computes: boolean;
  readonly slot: Slot | null;
  readonly scale: Scale | null;
  private readonly values: SlotValues;
  private readonly rowCells = new Map<object, GradeCells>();

  /**
   * `slotKey`: the slot printed, where a column names one; the plan's printed slot otherwise (for a layout
   * of one row per indicator line, `rowUnit` 'indicator', its first slot on lines)
   */
  constructor(
    private readonly ix: ReportIndex,
    slotKey?: string,
    rowUnit?: string,
  ) {
    const config = ix.ds.evaluation.config;
    this.slot = slotKey === undefined ? printedSlot(config, rowUnit) : (findSlot(config, slotKey) ?? null);
    this.scale = this.slot ? slotScale(config, this.slot) : null;
    this.computes = this.slot?.subject === 'indicator';
    this.values = new SlotValues(ix.ds.evaluation);
  }

  /** One indicator line's grade: one department's, or where no department is named, the only one there is. */
  line(indicator: DatasetIndicator, departmentId: number | null): GradeValue {
    if (!this.slot) return NO_GRADE;
    const year = this.ix.year;
    if (departmentId !== null)
      return gradeOf(this.values.get(year, this.slot.key, 'indicator', indicator.id, departmentId));
    const all = this.values
      .of(year, this.slot.key)
      .filter((v) => v.subjectKind === 'indicator' && v.subjectId === indicator.id);
    return all.length === 1 ? gradeOf(all[0]) : NO_GRADE;
  }

  /** An answer's own grade: in a slot on answers, or a line slot's where the answer has no line. */
  record(projectId: number, departmentId: number): GradeValue | null {
    if (!this.slot) return null;
    const v = this.values.get(this.ix.year, this.slot.key, 'record', projectId, departmentId);
    return v ? gradeOf(v) : null;
  }

  /** The grades printed on a record or project row: its lines' where the slot evaluates lines, with the answers' own. */
  ofRow(projectId: number, departmentId: number | null): GradeValue[] {
    const departments = departmentId === null ? this.ix.projectDepartments(projectId) : [departmentId];
    const own = departments.map((d) => this.record(projectId, d)).filter((g): g is GradeValue => g !== null);
    if (!this.computes) return own;
    return [...this.ix.indicatorsOfRow(projectId, departmentId).map((i) => this.line(i, departmentId)), ...own];
  }

  /** A row's 達成度, 評価 and 評価の理由 cells, worked out once per row (each call gets its own copies). */
  cells(row: object, grades: () => GradeValue[]): GradeCells {
    const known = this.rowCells.get(row);
    if (known) return copy(known);
    const made = this.makeCells(grades());
    this.rowCells.set(row, made);
    return copy(made);
  }

  private makeCells(grades: GradeValue[]): GradeCells {
    const shown = grades.filter((g) => g.grade !== null);
    const text = [...new Set(shown.map((g) => g.grade!))].join('／');
    const level = [...new Set(shown.map((g) => g.level).filter((x): x is string => !!x))].join('／');
    const overrides = shown.filter((g) => g.source === 'override');
    const speech = (g: GradeValue) => (this.scale ? codeSpeech(this.scale, g.grade) : (g.grade ?? '未評価'));
    return {
      level: { text: level, value: level !== '' && /^\d+$/.test(level) ? Number(level) : null },
      grade: {
        text,
        speech: shown.length ? shown.map(speech).join('、') : '未評価',
        ...(overrides.length ? { note: overrides.map((o) => o.reason).join('／') } : {}),
      },
      reason: { text: overrides.map((o) => o.reason).join('／') },
      points: this.pointsCell(shown),
      ratios: grades.map((g) => g.ratio).filter((r): r is number => r !== null),
      overridden: overrides.length > 0,
    };
  }

  /** The points the scale gives the codes shown: one number where there is one, all of them otherwise. */
  private pointsCell(shown: GradeValue[]): ReportCell {
    const points = shown
      .map((g) => this.scale?.grades.find((x) => x.code === g.grade)?.points ?? null)
      .filter((p): p is number => p !== null);
    return { text: points.join('／'), value: oneOrNone(points) };
  }
}
