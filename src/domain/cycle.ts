import { z } from 'zod';
import { customValuesInput, fiscalYear, id, spanOk } from './schemas.js';
import { ACTUAL_STATUSES } from './values.js';
import { DIRECTIONS, INDICATOR_KINDS, PHASES, TEXT_LIMIT } from './cycle-terms.js';
import { INDICATOR_PURPOSES, TARGET_BASES } from './evaluation/terms.js';
import { forForm } from './field-labels.js';
export * from './cycle-terms.js';
export { DEFAULT_GRADE_OPTIONS, type GradeOption } from './grades.js';

/** The yearly cycle's input schemas; its words and rules are in cycle-terms.ts. */
const text = (label: string) =>
  z.string().max(TEXT_LIMIT, `${label}は${TEXT_LIMIT}文字以内で入力してください`).default('');

const indicatorFields = z.object({
  /**
   * the fiscal years the indicator applies in (null: the plan's first / last year). Absent: on a new indicator,
   * every year not yet fixed (approved or published); on a change, as they were
   */
  startYear: fiscalYear.nullable().optional(),
  endYear: fiscalYear.nullable().optional(),
  departmentId: id.nullable().default(null),
  name: z.string().trim().min(1).max(200),
  unit: z.string().trim().max(20).default(''),
  kind: z.enum(INDICATOR_KINDS),
  direction: z.enum(DIRECTIONS),
  baseline: z.string().trim().max(100).default(''),
  baselineYear: fiscalYear.nullable().default(null),
  finalTarget: z.string().trim().max(100).default(''),
  /** 目標値 (graded), 期待値 (graded where the plan's slots take it), モニタリング (shown, never graded) */
  purpose: z.enum(INDICATOR_PURPOSES).default('target'),
  /** whether a year's target is that year's, the sum of the years so far, or the plan's final target */
  targetBasis: z.enum(TARGET_BASES).default('annual'),
  /** why the indicator's terms change (kept with the change when a year is already fixed) */
  note: z.string().trim().max(200, '200文字以内で入力してください').default(''),
  /**
   * the first fiscal year the changed terms apply to (the mid-term review's year): the years before it keep
   * theirs. null: the first year not yet fixed, or the terms changed in place while no year is fixed
   */
  fromYear: fiscalYear.nullable().default(null),
  targets: z
    .array(z.object({ fiscalYear, text: z.string().trim().max(100) }))
    .max(50)
    .default([]),
});
export const indicatorInput = forForm('indicator', indicatorFields.superRefine(spanOk));
export type IndicatorInput = z.infer<typeof indicatorInput>;

/** An indicator of a node (成果指標 of a 施策 or 基本目標) or of the whole plan (nodeId null). */
export const outcomeIndicatorInput = forForm(
  'indicator',
  indicatorFields.extend({ nodeId: id.nullable().default(null) }).superRefine(spanOk),
);
export type OutcomeIndicatorInput = z.infer<typeof outcomeIndicatorInput>;

/** A year's actual of a node's or the plan's indicator, with the text the writer last read. */
export const outcomeActualInput = forForm(
  'outcomeActual',
  z.object({
    text: z.string().trim().max(200).default(''),
    status: z.enum(ACTUAL_STATUSES).nullable().default(null),
    reason: z.string().trim().max(400).default(''),
    /** the actual as the writer saw it before changing it: a different stored one means someone else saved first */
    readText: z.string().max(200).default(''),
  }),
);
export type OutcomeActualInput = z.infer<typeof outcomeActualInput>;

export const roundInput = forForm(
  'round',
  z.object({
    planId: id,
    fiscalYear,
    phase: z.enum(PHASES),
    deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '「2026-04-30」のように年-月-日で入力してください'),
    instructions: z.string().max(TEXT_LIMIT).default(''),
    departmentIds: z.array(id).min(1, '照会先の課を1つ以上選んでください').max(500),
  }),
);

const actualInput = z.object({
  indicatorId: id,
  text: z.string().max(200).default(''),
  status: z.enum(ACTUAL_STATUSES).nullable().default(null),
  reason: z.string().max(400).default(''),
  parts: z
    .array(
      z.object({ label: z.string().trim().min(1, '内訳の名称を入力してください').max(60), text: z.string().max(100) }),
    )
    .max(20)
    .default([]),
});
export type ActualInput = z.infer<typeof actualInput>;

/** The longest reason of an evaluation entry (the offline workbook's 評価の理由 column says so too). */
export const ENTRY_REASON_LIMIT = 1000;

export const answerEntryInput = z.object({
  slotKey: z.string().trim().min(1).max(32),
  subjectKind: z.enum(['record', 'indicator']),
  /** the project (record) or the indicator (indicator line) */
  subjectId: id,
  code: z.string().trim().max(12, '記号は12文字以内で入力してください').nullable().default(null),
  reason: z
    .string()
    .trim()
    .max(ENTRY_REASON_LIMIT, `理由は${ENTRY_REASON_LIMIT}文字以内で入力してください`)
    .default(''),
  comment: z.string().trim().max(4000, 'コメントは4000文字以内で入力してください').default(''),
});
export type AnswerEntryInput = z.infer<typeof answerEntryInput>;

export const recordSaveInput = forForm(
  'record',
  z.object({
    version: z.number().int().min(1),
    planText: text('事業予定'),
    resultText: text('実績・取組状況'),
    remarks: text('備考'),
    nextYearPlan: text('翌年度予定'),
    sameAsDepartmentId: id.nullable().default(null),
    /** the plan's extra fields on answers (read against their definitions); absent keeps what is stored */
    custom: customValuesInput.optional(),
    actuals: z.array(actualInput).max(50).default([]),
    /**
     * The department's evaluations of this answer and of its indicator lines: every slot the plan gives
     * the department, and overrides of computed ones (with their reason). Entries not sent stay as they
     * are; one sent empty (or equal to what the rule computes) clears the stored one.
     */
    entries: z.array(answerEntryInput).max(200).default([]),
  }),
);
export type RecordSaveInput = z.infer<typeof recordSaveInput>;

const picks = z
  .array(z.object({ id, version: z.number().int().min(1) }))
  .min(1, '回答を1件以上選んでください')
  .max(2000);
export const bulkReviewInput = forForm(
  'review',
  z.object({
    action: z.enum(['approve', 'return']),
    records: picks,
    message: z.string().trim().max(2000).optional(),
  }),
);
export const undoReviewInput = z.object({ action: z.enum(['approve', 'return']), records: picks });

export const messageInput = forForm(
  'review',
  z.object({
    message: z.string().trim().min(1).max(2000),
  }),
);
export const commentInput = z.object({
  body: z.string().trim().min(1).max(2000),
});
