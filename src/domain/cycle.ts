import { z } from 'zod';
import { fiscalYear, id } from './schemas.js';
import { ACTUAL_STATUSES, parseValue, type ActualStatus } from './values.js';
export { DEFAULT_GRADE_OPTIONS, gradeOptionsInput, type GradeOption } from './grades.js';

/** The yearly cycle: 照会 (survey round) → 回答 → 確認 → 差戻し → 確定. */

export const PHASES = ['start', 'mid', 'end'] as const;
export type Phase = (typeof PHASES)[number];
export const PHASE_LABELS: Record<Phase, string> = {
  start: '年度当初（事業予定）',
  mid: '中間',
  end: '年度末（実績・評価）',
};

export const RECORD_STATUSES = ['not_started', 'draft', 'submitted', 'returned', 'approved'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
export const RECORD_STATUS_LABELS: Record<RecordStatus, string> = {
  not_started: '未着手',
  draft: '入力中',
  submitted: '提出済',
  returned: '差戻し',
  approved: '確定',
};

export const INDICATOR_KINDS = ['number', 'percentage', 'flag', 'text'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export const INDICATOR_KIND_LABELS: Record<IndicatorKind, string> = {
  number: '数値',
  percentage: '割合（%）',
  flag: '実施／未実施（○ × —）',
  text: '文章',
};
export const DIRECTIONS = ['higher', 'lower', 'keep', 'none'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const DIRECTION_LABELS: Record<Direction, string> = {
  higher: '多いほどよい',
  lower: '少ないほどよい',
  keep: '水準を維持',
  none: '方向なし（把握のみ）',
};
export const COMMON_UNITS = ['回', '人', '校', 'か所', '件', '%', '冊', '円', '団体', '事業所'];

export const TEXT_LIMIT = 4000;

/** Statuses in which a department may still change its record. */
export function departmentMayEdit(status: RecordStatus): boolean {
  return status === 'not_started' || status === 'draft' || status === 'returned';
}

const text = (label: string) =>
  z.string().max(TEXT_LIMIT, `${label}は${TEXT_LIMIT}文字以内で入力してください`).default('');

export const indicatorInput = z.object({
  departmentId: id.nullable().default(null),
  name: z.string().trim().min(1, '入力してください').max(200, '200文字以内で入力してください'),
  unit: z.string().trim().max(20).default(''),
  kind: z.enum(INDICATOR_KINDS),
  direction: z.enum(DIRECTIONS),
  baseline: z.string().trim().max(100).default(''),
  baselineYear: fiscalYear.nullable().default(null),
  finalTarget: z.string().trim().max(100).default(''),
  targets: z
    .array(z.object({ fiscalYear, text: z.string().trim().max(100) }))
    .max(50)
    .default([]),
});
export type IndicatorInput = z.infer<typeof indicatorInput>;

export const roundInput = z.object({
  planId: id,
  fiscalYear,
  phase: z.enum(PHASES),
  deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日付を YYYY-MM-DD で入力してください'),
  instructions: z.string().max(TEXT_LIMIT).default(''),
  departmentIds: z.array(id).min(1, '照会先の課を1つ以上選んでください').max(500),
});

const actualInput = z.object({
  indicatorId: id,
  text: z.string().max(200, '200文字以内で入力してください').default(''),
  status: z.enum(ACTUAL_STATUSES).nullable().default(null),
  reason: z.string().max(400).default(''),
  parts: z
    .array(
      z.object({ label: z.string().trim().min(1, '内訳の名称を入力してください').max(60), text: z.string().max(100) }),
    )
    .max(20)
    .default([]),
  /** a grade for this line other than the computed one, with the reason (or the grade where none is computed) */
  grade: z.string().trim().max(10).nullable().default(null),
  gradeReason: z.string().trim().max(400, '400文字以内で入力してください').default(''),
});
export type ActualInput = z.infer<typeof actualInput>;

export const recordSaveInput = z.object({
  version: z.number().int().min(1),
  planText: text('事業予定'),
  resultText: text('実績・取組状況'),
  grade: z.string().max(10).nullable().default(null),
  remarks: text('備考'),
  nextYearPlan: text('翌年度予定'),
  sameAsDepartmentId: id.nullable().default(null),
  actuals: z.array(actualInput).max(50).default([]),
});
export type RecordSaveInput = z.infer<typeof recordSaveInput>;

const picks = z
  .array(z.object({ id, version: z.number().int().min(1) }))
  .min(1, '回答を1件以上選んでください')
  .max(2000);
export const bulkReviewInput = z.object({
  action: z.enum(['approve', 'return']),
  records: picks,
  message: z.string().trim().max(2000, '2000文字以内で入力してください').optional(),
});
export const undoReviewInput = z.object({ action: z.enum(['approve', 'return']), records: picks });

export const messageInput = z.object({
  message: z.string().trim().min(1, 'メッセージを入力してください').max(2000, '2000文字以内で入力してください'),
});
export const commentInput = z.object({
  body: z.string().trim().min(1, 'コメントを入力してください').max(2000, '2000文字以内で入力してください'),
});

/** Reads an actual as typed into value, status and parts; the words 該当なし etc. become statuses. */
export function readActual(
  a: ActualInput,
  kind: IndicatorKind,
): { value: number | null; status: ActualStatus | null; text: string; error?: string } {
  const typed = a.text.trim();
  if (a.status) return { value: null, status: a.status, text: typed };
  const p = parseValue(typed);
  if (p.kind === 'status') return { value: null, status: p.status, text: typed };
  if (kind === 'text' || p.kind === 'empty') return { value: null, status: null, text: typed };
  if (kind === 'flag') {
    if (p.kind !== 'flag')
      return {
        value: null,
        status: null,
        text: typed,
        error: '○（実施）、×（未実施）、—（該当なし）のいずれかを入力してください',
      };
    return {
      value: p.done === null ? null : p.done ? 1 : 0,
      status: p.done === null ? 'not_applicable' : null,
      text: typed,
    };
  }
  if (p.kind !== 'number')
    return { value: null, status: null, text: typed, error: `「${typed}」は数値として読めません` };
  return { value: p.value, status: null, text: typed };
}

export interface SubmitProblem {
  field: string;
  message: string;
}

/** What a phase asks for before a record can be submitted. */
export function submitProblems(
  phase: Phase,
  record: { planText: string; resultText: string; grade: string | null; sameAsDepartmentId: number | null },
  indicators: { id: number; name: string; kind: IndicatorKind }[],
  actuals: { indicatorId: number; value: number | null; status: string | null; text: string }[],
): SubmitProblem[] {
  if (record.sameAsDepartmentId !== null) return [];
  const out: SubmitProblem[] = [];
  if (record.planText.trim() === '') out.push({ field: 'planText', message: '事業予定を入力してください' });
  if (phase !== 'start' && record.resultText.trim() === '')
    out.push({ field: 'resultText', message: '実績・取組状況を入力してください' });
  if (phase === 'end') {
    if (!record.grade) out.push({ field: 'grade', message: '評価を選んでください' });
    for (const ind of indicators) {
      const a = actuals.find((x) => x.indicatorId === ind.id);
      if (!a || (a.value === null && a.status === null && (ind.kind !== 'text' || a.text.trim() === '')))
        out.push({
          field: `actuals.${ind.id}`,
          message: `活動指標「${ind.name}」の実績を入力してください（実施しなかった場合は「未実施」「該当なし」など）`,
        });
    }
  }
  return out;
}
