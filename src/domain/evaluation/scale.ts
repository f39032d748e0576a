import { z } from 'zod';
import { ACTUAL_STATUSES, type ActualStatus } from '../values.js';

/**
 * A scale is the list of codes an evaluation can take (A–D, ◎○△×, ★★★, 改善/悪化/横ばい …), in
 * the order the plan prints them, with what each code means, whether it counts in tallies and how
 * many points it is worth — and the rule that computes a code from the facts, if any. Scales are
 * data: every municipality's grading is one of these, never code.
 */

export const RULE_KINDS = ['manual', 'ratio', 'progress', 'trend', 'done', 'rollup'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const RULE_KIND_LABELS: Record<RuleKind, string> = {
  manual: '手入力（凡例から選ぶ）',
  ratio: '達成率（実績 ÷ 目標、少ないほどよい指標は目標 ÷ 実績）から計算',
  progress: '進捗率（現状値から最終目標までの進み具合）から計算',
  trend: '前年度または現状値との比較（改善・横ばい・悪化）から計算',
  done: '実施／未実施（○ × —）から',
  rollup: '下位の評価から集約（割合・平均・最も低いもの）',
};

export const ROLLUP_METHODS = ['share', 'average', 'worst', 'best'] as const;
export type RollupMethod = (typeof ROLLUP_METHODS)[number];
export const ROLLUP_METHOD_LABELS: Record<RollupMethod, string> = {
  share: '指定した評価の割合（%）',
  average: '点数の平均',
  worst: '最も低い評価',
  best: '最も高い評価',
};

export const TREND_BASES = ['previous', 'baseline'] as const;
export type TrendBasis = (typeof TREND_BASES)[number];
export const TREND_BASIS_LABELS: Record<TrendBasis, string> = {
  previous: '前年度の実績と比べる',
  baseline: '現状値（計画策定時）と比べる',
};

const codeText = z
  .string()
  .trim()
  .min(1, '記号を入力してください')
  .max(12, '記号は12文字以内で入力してください')
  .refine((s) => !/[\r\n\t]/.test(s), '記号に改行やタブは使えません');
const optionalCode = codeText.nullable().default(null);

export const gradeDefInput = z.object({
  code: codeText,
  /** the legend's words: 順調または目標達成 */
  label: z.string().trim().max(80, '説明は80文字以内で入力してください').default(''),
  /** false: printed, but left out of the counts (—, 隔年実施, 評価不能 where the plan says so) */
  tally: z.boolean().default(true),
  /** points for totals and averages (3/2/1/0); null: no points */
  points: z.number().min(-100).max(100).nullable().default(null),
  /** a code a person may choose by hand beside a computation (着手, 未着手) */
  hand: z.boolean().default(false),
});
export type GradeDef = z.output<typeof gradeDefInput>;

/** A level by lower bound in percent; `min: null` catches everything below the other levels. */
const levelInput = z.object({
  code: codeText,
  min: z
    .number()
    .min(-100000, '下限は-100000以上で入力してください')
    .max(100000, '下限は100000以下で入力してください')
    .nullable(),
});
export type LevelDef = z.output<typeof levelInput>;

const levels = z.array(levelInput).min(1, '段階を1つ以上入れてください').max(12, '段階は12まで入れられます');
const levelGrades = z
  .array(z.object({ level: codeText, grade: codeText }))
  .max(12)
  .default([]);
const statusGrades = z.partialRecord(z.enum(ACTUAL_STATUSES), codeText).default({});

export const ruleInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual') }),
  z.object({
    kind: z.literal('ratio'),
    levelName: z.string().trim().max(20).default('達成度'),
    levels,
    levelGrades,
    /** printed where the plan sets no target (「—」) */
    noTarget: optionalCode,
    /** printed where nothing can be computed: no target written, a target or actual that is not a number */
    cannotCompute: optionalCode,
    statusGrades,
  }),
  z.object({
    kind: z.literal('progress'),
    levelName: z.string().trim().max(20).default('進捗率'),
    levels,
    levelGrades,
    noTarget: optionalCode,
    /** no baseline, a value that is not a number, a baseline equal to the target */
    cannotCompute: optionalCode,
    statusGrades,
  }),
  z.object({
    kind: z.literal('trend'),
    against: z.enum(TREND_BASES),
    /** a change no larger than this is 「横ばい」 */
    tolerance: z.number().min(0).max(100000).default(0),
    toleranceUnit: z.enum(['percent', 'absolute']).default('percent'),
    improved: codeText,
    unchanged: codeText,
    worsened: codeText,
    cannotCompute: optionalCode,
    statusGrades,
  }),
  z.object({
    kind: z.literal('done'),
    done: codeText,
    notDone: codeText,
    notApplicable: optionalCode,
    statusGrades,
  }),
  z.object({
    kind: z.literal('rollup'),
    method: z.enum(ROLLUP_METHODS),
    /** share: the codes of the slot summed up that count as good (A, ◎) */
    shareOf: z.array(codeText).max(20).default([]),
    /** share and average: the first band whose lower bound is reached gives the code, best first */
    bands: z
      .array(z.object({ min: z.number().min(-100000).max(100000), code: codeText }))
      .max(12)
      .default([]),
    /** printed where nothing below is graded */
    cannotCompute: optionalCode,
  }),
]);
export type Rule = z.output<typeof ruleInput>;

const scaleKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, '英小文字で始まる半角英数字（32文字以内）で入力してください');

export const scaleInput = z
  .object({
    key: scaleKey,
    name: z.string().trim().min(1, '名前を入力してください').max(40, '名前は40文字以内で入力してください'),
    rule: ruleInput,
    /** best first: the order the plan prints, counts and exports the codes in */
    grades: z.array(gradeDefInput).min(1, '評価の記号を1つ以上入れてください').max(24),
  })
  .superRefine((s, ctx) => checkScale(s, ctx));
export type Scale = z.output<typeof scaleInput>;
export type ScaleInput = z.input<typeof scaleInput>;

/** The codes a rule can print, each with where it is named (for the message). */
export function codesPrintedByRule(rule: Rule): { path: (string | number)[]; code: string }[] {
  const out: { path: (string | number)[]; code: string }[] = [];
  const add = (path: (string | number)[], code: string | null | undefined) => {
    if (code) out.push({ path, code });
  };
  if (rule.kind === 'ratio' || rule.kind === 'progress') {
    for (const [i, l] of rule.levels.entries())
      if (!rule.levelGrades.some((m) => m.level === l.code)) add(['rule', 'levels', i, 'code'], l.code);
    for (const [i, m] of rule.levelGrades.entries()) add(['rule', 'levelGrades', i, 'grade'], m.grade);
    add(['rule', 'noTarget'], rule.noTarget);
  }
  if (rule.kind === 'trend') {
    add(['rule', 'improved'], rule.improved);
    add(['rule', 'unchanged'], rule.unchanged);
    add(['rule', 'worsened'], rule.worsened);
  }
  if (rule.kind === 'done') {
    add(['rule', 'done'], rule.done);
    add(['rule', 'notDone'], rule.notDone);
    add(['rule', 'notApplicable'], rule.notApplicable);
  }
  if (rule.kind === 'rollup') for (const [i, b] of rule.bands.entries()) add(['rule', 'bands', i, 'code'], b.code);
  if ('cannotCompute' in rule) add(['rule', 'cannotCompute'], rule.cannotCompute);
  if ('statusGrades' in rule)
    for (const status of ACTUAL_STATUSES) add(['rule', 'statusGrades', status], rule.statusGrades[status]);
  return out;
}

function checkScale(s: { rule: Rule; grades: GradeDef[] }, ctx: z.RefinementCtx) {
  const codes = new Set(s.grades.map((g) => g.code));
  if (codes.size !== s.grades.length)
    ctx.addIssue({ code: 'custom', path: ['grades'], message: '同じ記号が重複しています' });
  // Every code a computation can print must be in the legend, so that tallies and the legend agree.
  for (const { path, code } of codesPrintedByRule(s.rule))
    if (!codes.has(code))
      ctx.addIssue({ code: 'custom', path, message: `評価「${code}」が凡例にありません。凡例に加えてください` });
  const rule = s.rule;
  if (rule.kind === 'ratio' || rule.kind === 'progress') checkLevels(rule, ctx);
  if (rule.kind === 'rollup') {
    if ((rule.method === 'share' || rule.method === 'average') && rule.bands.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['rule', 'bands'],
        message: '割合・平均から決める評価には段階を入れてください',
      });
    if (rule.method === 'share' && rule.shareOf.length === 0)
      ctx.addIssue({ code: 'custom', path: ['rule', 'shareOf'], message: '割合を数える評価を選んでください' });
  }
}

function checkLevels(rule: Extract<Rule, { kind: 'ratio' | 'progress' }>, ctx: z.RefinementCtx) {
  const seen = new Set(rule.levels.map((l) => l.code));
  if (seen.size !== rule.levels.length)
    ctx.addIssue({ code: 'custom', path: ['rule', 'levels'], message: '同じ段階が重複しています' });
  const open = rule.levels.filter((l) => l.min === null).length;
  if (open > 1)
    ctx.addIssue({ code: 'custom', path: ['rule', 'levels'], message: '下限なしの段階は1つだけにしてください' });
  const mins = rule.levels.filter((l) => l.min !== null).map((l) => l.min);
  if (new Set(mins).size !== mins.length)
    ctx.addIssue({ code: 'custom', path: ['rule', 'levels'], message: '同じ下限の段階が2つあります' });
  for (const [i, m] of rule.levelGrades.entries())
    if (!seen.has(m.level))
      ctx.addIssue({
        code: 'custom',
        path: ['rule', 'levelGrades', i, 'level'],
        message: `段階「${m.level}」がありません`,
      });
}

/** A scale's status code for an actual that is a status rather than a value, if the rule gives one. */
export function statusGradeOf(rule: Rule, status: ActualStatus | null): string | null {
  if (!status || !('statusGrades' in rule)) return null;
  return rule.statusGrades[status] ?? null;
}

export const gradeDef = (scale: Scale, code: string | null): GradeDef | undefined =>
  code === null ? undefined : scale.grades.find((g) => g.code === code);

/** Whether a code counts in tallies: as the scale says; a code the scale does not list counts only if it is not a dash. */
export function counts(scale: Scale, code: string | null): boolean {
  if (code === null) return false;
  const def = gradeDef(scale, code);
  return def ? def.tally : !DASH.test(code);
}

/** The place of a code in the scale's order (best first); unknown codes go last. */
export function codeOrder(scale: Scale, code: string): number {
  const i = scale.grades.findIndex((g) => g.code === code);
  return i === -1 ? scale.grades.length : i;
}

export const DASH = /^[—–―‐−－ー-]+$/;

/** Whether the rule computes anything. */
export const computes = (scale: Scale): boolean => scale.rule.kind !== 'manual';

/** The codes a person may choose for this scale where its rule computes nothing. */
export function handCodes(scale: Scale): GradeDef[] {
  if (scale.rule.kind === 'manual') return scale.grades;
  return scale.grades.filter((g) => g.hand);
}
