import { DEFAULT_GRADE_OPTIONS, type GradeOption } from './grades.js';
import type { ActualStatus } from './values.js';

/**
 * Evaluation scales are data: each plan says how its grades are reached and printed. A scale is
 * either entered by hand (A–D with a legend) or computed from an indicator's values: achievement as
 * actual ÷ target (inverted where less is better), or progress from the baseline toward the final
 * target, read against levels by lower bound (100% → 5, 80% → 4 …) and mapped to what is printed
 * (5, 4 → ◎). Codes that mean "not graded" (—, 隔年実施) are printed but left out of tallies.
 * No schemas here (the SPA computes grades as it shows them and stays free of zod): the scale's
 * schema and the reading of a stored scale are in evaluation-schema.ts.
 */

export const SCALE_METHODS = ['manual', 'ratio', 'progress', 'done'] as const;
export type ScaleMethod = (typeof SCALE_METHODS)[number];
export const SCALE_METHOD_LABELS: Record<ScaleMethod, string> = {
  manual: '手入力（凡例から選ぶ）',
  ratio: '達成率（実績 ÷ 目標）から計算',
  progress: '現状値から最終目標までの進み具合から計算',
  done: '実施／未実施（○ × —）から',
};

export interface ScaleGrade {
  code: string;
  /** the legend's words: 順調または目標達成 */
  label: string;
  /** false: printed, but not counted in tallies (—, 隔年実施) */
  tally: boolean;
  /** for averaging grades into a goal-level mark; higher is better */
  score: number | null;
}

export interface EvaluationScale {
  method: ScaleMethod;
  /** the name of the computed level's column, printed beside the grade (達成度) */
  levelName: string;
  /** levels by lower bound in percent, best first; the first reached applies */
  levels: { code: string; min: number }[];
  /** what each level prints as; a level with no entry prints as itself */
  levelGrades: { level: string; grade: string }[];
  grades: ScaleGrade[];
  /** printed when a target is given as not applicable (「—」): no achievement can be computed */
  noTargetGrade: string | null;
  /** printed for an actual that is a status rather than a value */
  statusGrades: Partial<Record<ActualStatus, string>>;
  /** for the done method */
  doneGrade: string | null;
  notDoneGrade: string | null;
  /** a mark per node at one depth from the average score of its grades (★★★ on the 基本目標) */
  rollup: { depth: number; bands: { min: number; code: string }[] } | null;
}

/** A scale of grades entered by hand: the plan's grade options, all counted. */
export function manualScale(options: GradeOption[] = DEFAULT_GRADE_OPTIONS): EvaluationScale {
  return {
    method: 'manual',
    levelName: '',
    levels: [],
    levelGrades: [],
    grades: options.map((o, i) => ({ code: o.code, label: o.label, tally: true, score: options.length - i })),
    noTargetGrade: null,
    statusGrades: {},
    doneGrade: null,
    notDoneGrade: null,
    rollup: null,
  };
}

/** Scales met in practice, for the coordinator to start from. */
export const SCALE_PRESETS: { name: string; label: string; scale: EvaluationScale }[] = [
  {
    name: 'manual-a-d',
    label: 'A〜D を各課が自己評価（A 順調または目標達成／B 概ね順調／C 検討が必要／D 極めて不十分・実施せず）',
    scale: manualScale(),
  },
  {
    // The rule behind the 達成度 and 最終評価 columns of a report that grades each indicator line:
    // derived from its rows (see evaluation.test.ts) — 100% and over is 5, 80% 4, 60% 3, above 0 is 2.
    name: 'achievement-5',
    label: '達成度1〜5（目標に対する実績の割合）を ◎○△× で表示',
    scale: {
      method: 'ratio',
      levelName: '達成度',
      levels: [
        { code: '5', min: 100 },
        { code: '4', min: 80 },
        { code: '3', min: 60 },
        { code: '2', min: 20 },
        { code: '1', min: 0 },
      ],
      levelGrades: [
        { level: '5', grade: '◎' },
        { level: '4', grade: '◎' },
        { level: '3', grade: '○' },
        { level: '2', grade: '△' },
        { level: '1', grade: '×' },
      ],
      grades: [
        { code: '◎', label: '目標を達成（達成度4・5）', tally: true, score: 4 },
        { code: '○', label: '概ね達成（達成度3）', tally: true, score: 3 },
        { code: '△', label: '一部達成（達成度2）', tally: true, score: 2 },
        { code: '×', label: '未達成（達成度1）', tally: true, score: 1 },
        { code: '—', label: '評価の対象外', tally: false, score: null },
      ],
      noTargetGrade: '—',
      statusGrades: { not_applicable: '—', biennial: '—', not_done: '×', cancelled: '×' },
      doneGrade: null,
      notDoneGrade: null,
      rollup: null,
    },
  },
  {
    name: 'done-flag',
    label: '実施（○）／未実施（×）／該当なし（—）',
    scale: {
      method: 'done',
      levelName: '',
      levels: [],
      levelGrades: [],
      grades: [
        { code: '○', label: '実施した', tally: true, score: 1 },
        { code: '×', label: '実施しなかった', tally: true, score: 0 },
        { code: '—', label: '該当なし', tally: false, score: null },
        { code: '隔年実施', label: '隔年実施のため今年度は対象外', tally: false, score: null },
      ],
      noTargetGrade: null,
      statusGrades: { not_applicable: '—', biennial: '隔年実施', not_done: '×', cancelled: '×' },
      doneGrade: '○',
      notDoneGrade: '×',
      rollup: null,
    },
  },
  {
    name: 'progress-stars',
    label: '現状値から最終目標への進み具合で A〜C、着手・未着手は手入力、基本目標に★',
    scale: {
      method: 'progress',
      levelName: '進捗率',
      levels: [
        { code: 'A', min: 100 },
        { code: 'B', min: 50 },
        { code: 'C', min: 0 },
      ],
      levelGrades: [],
      grades: [
        { code: 'A', label: '最終目標を達成', tally: true, score: 3 },
        { code: 'B', label: '半分以上進んだ', tally: true, score: 2 },
        { code: 'C', label: '進みが半分に届かない', tally: true, score: 1 },
        { code: '着手', label: '取組を始めた（数値なし）', tally: true, score: 1 },
        { code: '未着手', label: '取組を始めていない', tally: true, score: 0 },
        { code: '—', label: '評価の対象外', tally: false, score: null },
      ],
      noTargetGrade: '—',
      statusGrades: { not_applicable: '—', biennial: '—', not_done: '未着手' },
      doneGrade: null,
      notDoneGrade: null,
      rollup: {
        depth: 0,
        bands: [
          { min: 2.5, code: '★★★' },
          { min: 1.5, code: '★★' },
          { min: 0, code: '★' },
        ],
      },
    },
  },
];

export function presetScale(name: string): EvaluationScale | undefined {
  return SCALE_PRESETS.find((p) => p.name === name)?.scale;
}

export interface EvaluationInput {
  direction: 'higher' | 'lower' | 'keep' | 'none';
  target: { value: number | null; text: string };
  actual: { value: number | null; text: string; status: string | null };
  baseline?: number | null;
  finalTarget?: number | null;
}

export interface Computed {
  /** actual ÷ target (or progress), 1 = 100%; null when nothing could be computed */
  achievement: number | null;
  level: string | null;
  grade: string | null;
  /** how the grade was reached, in words, for the screen and screen readers */
  basis: string;
}

const NONE: Computed = { achievement: null, level: null, grade: null, basis: '' };
const DASH = /^[—–―‐−－ー-]+$/;

/** Achievement with less-is-better inverted: 3 incidents against a target of 4 is 133%. */
export function achievementRatio(
  direction: EvaluationInput['direction'],
  target: number,
  actual: number,
): number | null {
  if (direction === 'none') return null;
  if (direction === 'lower') {
    if (actual <= 0) return target >= 0 ? Infinity : 0;
    return target / actual;
  }
  if (target === 0) return actual >= 0 ? Infinity : 0;
  return actual / target;
}

export function progressRatio(baseline: number, finalTarget: number, actual: number): number | null {
  if (finalTarget === baseline) return actual === finalTarget ? 1 : null;
  return (actual - baseline) / (finalTarget - baseline);
}

export function levelFor(scale: EvaluationScale, achievement: number): string | null {
  const percent = achievement * 100;
  // 4 ÷ 5 is 0.8 exactly; rounding to 1e-9 keeps 0.7999999999 from falling a level.
  const rounded = Math.round(percent * 1e9) / 1e9;
  for (const l of [...scale.levels].sort((a, b) => b.min - a.min)) if (rounded >= l.min) return l.code;
  return null;
}

export function gradeForLevel(scale: EvaluationScale, level: string): string {
  return scale.levelGrades.find((m) => m.level === level)?.grade ?? level;
}

const percentText = (a: number) => (Number.isFinite(a) ? `${Math.round(a * 1000) / 10}%` : '目標を上回る');

/** What the scale computes for one indicator line; manual scales compute nothing. */
export function evaluate(scale: EvaluationScale, input: EvaluationInput): Computed {
  const status = input.actual.status as ActualStatus | null;
  if (scale.method === 'manual') return NONE;
  if (status && scale.statusGrades[status])
    return { ...NONE, grade: scale.statusGrades[status], basis: '実績の状態による' };
  if (scale.method === 'done') {
    if (input.actual.value === null)
      return DASH.test(input.actual.text.trim()) && scale.statusGrades.not_applicable
        ? { ...NONE, grade: scale.statusGrades.not_applicable, basis: '該当なし' }
        : NONE;
    const grade = input.actual.value > 0 ? scale.doneGrade : scale.notDoneGrade;
    return { ...NONE, grade, basis: input.actual.value > 0 ? '実施' : '未実施' };
  }
  if (scale.method === 'ratio') {
    if (DASH.test(input.target.text.trim()))
      return { ...NONE, grade: scale.noTargetGrade, level: scale.noTargetGrade, basis: '目標の設定なし' };
    if (input.target.value === null || input.actual.value === null) return NONE;
    const a = achievementRatio(input.direction, input.target.value, input.actual.value);
    if (a === null) return NONE;
    const level = levelFor(scale, a);
    const lower = input.direction === 'lower' ? '（少ないほどよい指標のため目標 ÷ 実績）' : '';
    return {
      achievement: a,
      level,
      grade: level === null ? null : gradeForLevel(scale, level),
      basis: `達成率 ${percentText(a)}${lower}`,
    };
  }
  // progress
  if (input.baseline == null || input.finalTarget == null)
    return DASH.test(input.target.text.trim())
      ? { ...NONE, grade: scale.noTargetGrade, level: scale.noTargetGrade, basis: '目標の設定なし' }
      : NONE;
  if (input.actual.value === null) return NONE;
  const p = progressRatio(input.baseline, input.finalTarget, input.actual.value);
  if (p === null) return NONE;
  const level = levelFor(scale, p);
  return {
    achievement: p,
    level,
    grade: level === null ? null : gradeForLevel(scale, level),
    basis: `現状値からの進み具合 ${percentText(p)}`,
  };
}

export type GradeSource = 'computed' | 'entered' | 'override' | 'none';
export const GRADE_SOURCE_LABELS: Record<GradeSource, string> = {
  computed: '計算',
  entered: '入力',
  override: '計算を変更',
  none: '未評価',
};

export interface ResolvedGrade {
  grade: string | null;
  level: string | null;
  source: GradeSource;
  /** why a computed grade was changed, or how it was computed */
  reason: string;
  computed: Computed;
}

export const isNotGraded = (scale: EvaluationScale, grade: string | null): boolean =>
  grade === null || DASH.test(grade) || scale.grades.find((g) => g.code === grade)?.tally === false;

/**
 * The grade printed for a line: what was entered where nothing is computed, the computed grade
 * where nothing or the same was entered, and an override (with its reason) where they differ.
 * Two codes that both mean "not graded" (— and -) are the same answer, not an override.
 */
export function resolveGrade(
  computed: Computed,
  entered: { grade: string | null; level?: string | null; reason?: string },
  scale: EvaluationScale,
): ResolvedGrade {
  const grade = entered.grade?.trim() || null;
  if (computed.grade === null)
    return {
      grade,
      level: entered.level ?? null,
      source: grade ? 'entered' : 'none',
      reason: entered.reason ?? '',
      computed,
    };
  if (grade === null || grade === computed.grade)
    return { grade: computed.grade, level: computed.level, source: 'computed', reason: computed.basis, computed };
  if (isNotGraded(scale, grade) && isNotGraded(scale, computed.grade))
    return { grade, level: entered.level ?? computed.level, source: 'entered', reason: entered.reason ?? '', computed };
  return { grade, level: entered.level ?? computed.level, source: 'override', reason: entered.reason ?? '', computed };
}

/** The words a screen reader says for a grade: 「◎（目標を達成（達成度4・5））」. */
export function gradeSpeech(scale: EvaluationScale, grade: string | null): string {
  if (grade === null) return '未評価';
  if (DASH.test(grade))
    return `${scale.grades.find((g) => DASH.test(g.code))?.label || '評価の対象外'}（記号 ${grade}）`;
  const g = scale.grades.find((x) => x.code === grade);
  return g?.label ? `${grade}（${g.label}）` : grade;
}

export interface Tally {
  /** by printed code, in the scale's order, counted codes first */
  counts: Record<string, number>;
  /** graded lines that count */
  graded: number;
  /** lines printed with a not-graded code (— 隔年実施) */
  notGraded: number;
  /** lines without any grade yet */
  ungraded: number;
}

export function emptyTally(scale: EvaluationScale): Tally {
  return {
    counts: Object.fromEntries(scale.grades.filter((g) => g.tally).map((g) => [g.code, 0])),
    graded: 0,
    notGraded: 0,
    ungraded: 0,
  };
}

export function addToTally(scale: EvaluationScale, t: Tally, grade: string | null): void {
  if (grade === null) t.ungraded++;
  else if (isNotGraded(scale, grade)) t.notGraded++;
  else {
    t.counts[grade] = (t.counts[grade] ?? 0) + 1;
    t.graded++;
  }
}

export function tally(scale: EvaluationScale, grades: (string | null)[]): Tally {
  const t = emptyTally(scale);
  for (const g of grades) addToTally(scale, t, g);
  return t;
}

/** The mark a node gets from its grades' average score (★★★), or null without scored grades. */
export function rollupMark(
  scale: EvaluationScale,
  grades: (string | null)[],
): { mark: string; average: number } | null {
  if (!scale.rollup) return null;
  const scores = grades
    .map((g) => scale.grades.find((x) => x.code === g && x.tally)?.score)
    .filter((s): s is number => typeof s === 'number');
  if (scores.length === 0) return null;
  const average = scores.reduce((a, b) => a + b, 0) / scores.length;
  const band = [...scale.rollup.bands].sort((a, b) => b.min - a.min).find((b) => average + 1e-9 >= b.min);
  return band ? { mark: band.code, average } : null;
}

/** The scale with grade codes added to the options later (by an import): printable and counted. */
export function withGradeOptions(scale: EvaluationScale, options: GradeOption[]): EvaluationScale {
  const extra = options.filter((o) => !scale.grades.some((g) => g.code === o.code));
  return extra.length
    ? {
        ...scale,
        grades: [
          ...scale.grades,
          ...extra.map((o) => ({ code: o.code, label: o.label, tally: !DASH.test(o.code), score: null })),
        ],
      }
    : scale;
}
