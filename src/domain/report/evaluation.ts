import { counts } from '../evaluation/codes.js';
import type { EvaluationSource } from '../evaluation/resolve.js';
import type { EvaluationConfig, Scale, Slot } from '../evaluation/schema.js';
import type { SubjectKind } from '../evaluation/terms.js';

/**
 * The evaluations a report prints: every slot's value for every subject of the year (and of the year
 * before, for summaries), as the server's engine resolved them, and the slot the report's 評価,
 * 達成度 and 理由 columns print.
 */

export interface DatasetValue {
  fiscalYear: number;
  slotKey: string;
  subjectKind: SubjectKind;
  subjectId: number;
  /** 0 for subjects without a department (projects, nodes, the plan) */
  departmentId: number;
  code: string | null;
  level: string | null;
  source: EvaluationSource;
  /** an entry's reason (overrides print it) */
  reason: string;
  comment: string;
  /** what the rule computed: achievement or progress (1 = 100%), the relative change for trends; null where it did not */
  ratio: number | null;
  /** an answer's done flag from before the plan's period and the year before: its 現状値 */
  baseline?: true;
}

export interface DatasetEvaluation {
  /** the configuration in force in the report's year */
  config: EvaluationConfig;
  values: DatasetValue[];
}

/** A printed grade: the code, the level it came from, where it came from, and the reason entered with it. */
export interface GradeValue {
  grade: string | null;
  level: string | null;
  source: EvaluationSource;
  reason: string;
  /** what the rule computed (1 = 100%), where it did */
  ratio: number | null;
}

export const NO_GRADE: GradeValue = { grade: null, level: null, source: 'none', reason: '', ratio: null };

/**
 * The slot the report's grade columns print: the first printed slot on indicator lines or answers,
 * else the first printed slot at all.
 */
export function printedSlot(config: EvaluationConfig, rowUnit?: string): Slot | null {
  const printed = config.slots.filter((s) => s.printed);
  // A report of one row per indicator line prints the first slot on lines, where there is one (its 達成度).
  const onLines = rowUnit === 'indicator' ? printed.find((s) => s.subject === 'indicator') : undefined;
  return onLines ?? printed.find((s) => s.subject === 'indicator' || s.subject === 'record') ?? printed[0] ?? null;
}

const valueKey = (year: number, slotKey: string, kind: SubjectKind, id: number, departmentId: number) =>
  `${year}|${slotKey}|${kind}|${id}|${departmentId}`;

/** The dataset's values, looked up by year, slot and subject. */
export class SlotValues {
  private readonly byKey = new Map<string, DatasetValue>();

  constructor(readonly evaluation: DatasetEvaluation) {
    for (const v of evaluation.values)
      this.byKey.set(valueKey(v.fiscalYear, v.slotKey, v.subjectKind, v.subjectId, v.departmentId), v);
  }

  get(year: number, slotKey: string, kind: SubjectKind, id: number, departmentId = 0): DatasetValue | undefined {
    return this.byKey.get(valueKey(year, slotKey, kind, id, departmentId));
  }

  of(year: number, slotKey: string): DatasetValue[] {
    return this.evaluation.values.filter((v) => v.fiscalYear === year && v.slotKey === slotKey);
  }
}

export const gradeOf = (v: DatasetValue | undefined): GradeValue =>
  v ? { grade: v.code, level: v.level, source: v.source, reason: v.reason, ratio: v.ratio } : NO_GRADE;

/** A code and how many units carry it. */
export interface CodeCount {
  code: string;
  count: number;
}

export interface Tally {
  /** by printed code, in the scale's order, counted codes first (a list: JSON keeps its order) */
  counts: CodeCount[];
  /** graded units that count */
  graded: number;
  /** units printed with a code that is not counted (— 隔年実施) */
  notGraded: number;
  /** units without any grade yet */
  ungraded: number;
}

export function emptyTally(scale: Scale | null): Tally {
  return {
    counts: (scale?.grades ?? []).filter((g) => g.tally).map((g) => ({ code: g.code, count: 0 })),
    graded: 0,
    notGraded: 0,
    ungraded: 0,
  };
}

/**
 * Counts as a tally holds them, from a document stored before they were lists (an object keyed by code,
 * whose numeric keys JSON gave back in ascending order): the scale's codes first, in its order, then the rest.
 */
export function countsList(counts: CodeCount[] | Record<string, number>, codes: readonly string[]): CodeCount[] {
  if (Array.isArray(counts)) return counts;
  const keys = [...codes.filter((c) => c in counts), ...Object.keys(counts).filter((c) => !codes.includes(c))];
  return keys.map((code) => ({ code, count: counts[code] ?? 0 }));
}

/** How many units of a list of counts carry the code. */
export const countOf = (counts: readonly CodeCount[], code: string): number =>
  counts.find((c) => c.code === code)?.count ?? 0;

/** Counts a unit's code; an excluded unit (a monitoring indicator) counts nowhere. */
export function addToTally(scale: Scale | null, t: Tally, grade: string | null, source?: EvaluationSource): void {
  if (source === 'excluded') return;
  if (grade === null) t.ungraded++;
  else if (scale && !counts(scale, grade)) t.notGraded++;
  else {
    const row = t.counts.find((c) => c.code === grade);
    if (row) row.count++;
    else t.counts.push({ code: grade, count: 1 });
    t.graded++;
  }
}
