import { z } from 'zod';
import { PHASES } from '../cycle-terms.js';
import { ACTUAL_STATUSES } from '../values.js';
import { codesPrintedByRule } from './codes.js';
import { rollupCycle, slotProblems } from './slots.js';
import { ENTRY_ROLES, INDICATOR_PURPOSES, ROLLUP_METHODS, SUBJECT_KINDS, TREND_BASES } from './terms.js';

/**
 * The schemas of scales, slots and configurations (server side: the SPA imports only their types).
 * Types are inferred from them; what is checked across fields is in the pure modules beside.
 */

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

const key = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, '英小文字で始まる半角英数字（32文字以内）で入力してください');

export const slotInput = z.object({
  key,
  /** the column's name: 自己評価, 担当課評価, 審議会評価, 目標に対する達成状況, 前年度との比較 */
  name: z.string().trim().min(1, '名前を入力してください').max(30, '名前は30文字以内で入力してください'),
  subject: z.enum(SUBJECT_KINDS),
  /** node slots: the depth of the plan's tree they evaluate (0 = the top level); null = every node */
  depth: z.number().int().min(0).max(5).nullable().default(null),
  enteredBy: z.enum(ENTRY_ROLES),
  /** the round phase in which it is entered; null = any */
  phase: z.enum(PHASES).nullable().default(null),
  scale: key,
  /** indicator slots: the kinds of indicator they evaluate (monitoring is never graded) */
  purposes: z.array(z.enum(INDICATOR_PURPOSES)).max(3).default(['target', 'expected']),
  /** computed slots: the department may enter another code with a reason, printed beside it */
  override: z.boolean().default(false),
  /** rollup slots: the slot whose evaluations are summed up */
  rollupFrom: key.nullable().default(null),
  /** a comment is written with the code (審議会の意見, 総評) */
  comment: z.boolean().default(false),
  /** department slots: the answer cannot be submitted without it */
  required: z.boolean().default(false),
  printed: z.boolean().default(true),
  tallied: z.boolean().default(true),
  /** entered slots: compared with this computed slot by the self-evaluation checks */
  checkAgainst: key.nullable().default(null),
});
export type Slot = z.output<typeof slotInput>;

export const configInput = z
  .object({
    scales: z.array(scaleInput).min(1, '尺度を1つ以上入れてください').max(12),
    slots: z.array(slotInput).min(1, '評価を1つ以上入れてください').max(12),
  })
  .superRefine((c, ctx) => checkConfig(c, ctx));
export type EvaluationConfig = z.output<typeof configInput>;
export type EvaluationConfigInput = z.input<typeof configInput>;

function issue(ctx: z.RefinementCtx, path: (string | number)[], message: string) {
  ctx.addIssue({ code: 'custom', path, message });
}

function checkConfig(c: { scales: Scale[]; slots: Slot[] }, ctx: z.RefinementCtx) {
  const scaleKeys = new Set(c.scales.map((s) => s.key));
  if (scaleKeys.size !== c.scales.length) issue(ctx, ['scales'], '同じキーの尺度が2つあります');
  const slotKeys = new Set(c.slots.map((s) => s.key));
  if (slotKeys.size !== c.slots.length) issue(ctx, ['slots'], '同じキーの評価が2つあります');
  for (const [i, slot] of c.slots.entries()) {
    const scale = c.scales.find((s) => s.key === slot.scale);
    if (!scale) issue(ctx, ['slots', i, 'scale'], `尺度「${slot.scale}」がありません`);
    else for (const m of slotProblems(slot, scale, c.slots)) issue(ctx, ['slots', i, m.field], m.message);
  }
  const cycle = rollupCycle(c.slots);
  if (cycle) issue(ctx, ['slots'], `集約の元が循環しています（${cycle.join(' → ')}）`);
}
