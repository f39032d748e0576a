import { normaliseNumberText, parseValue, type ActualStatus } from './values.js';

/**
 * The yearly cycle: 照会 (survey round) → 回答 → 確認 → 差戻し → 確定. Its words (phases, statuses,
 * kinds and their labels) and the rules that read them, with no schemas: the SPA imports this file
 * and so stays free of zod; the input schemas are in cycle.ts.
 */

export const PHASES = ['start', 'mid', 'end'] as const;
export type Phase = (typeof PHASES)[number];
export const PHASE_LABELS: Record<Phase, string> = {
  start: '年度当初（事業予定）',
  mid: '中間',
  end: '年度末（実績・評価）',
};

export const RECORD_STATUSES = ['not_started', 'draft', 'submitted', 'returned', 'approved'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** A value for every status, in the order of RECORD_STATUSES (counts per status and the like). */
export function perRecordStatus<T>(value: (status: RecordStatus) => T): Record<RecordStatus, T> {
  return {
    not_started: value('not_started'),
    draft: value('draft'),
    submitted: value('submitted'),
    returned: value('returned'),
    approved: value('approved'),
  };
}
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

/** Reads an actual as typed into value, status and parts; the words 該当なし etc. become statuses. */
export function readActual(
  a: { text: string; status: ActualStatus | null },
  kind: IndicatorKind,
  /** the indicator's unit: a number written with another is refused, a count cannot be negative */
  unit?: string,
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
  // A unit written after the number must be the indicator's: 「12人」 is not 12件.
  if (unit && p.unit && p.unit !== normaliseNumberText(unit))
    return {
      value: null,
      status: null,
      text: typed,
      error: `単位は「${unit}」です。「${typed}」の「${p.unit}」は使えません`,
    };
  if (p.value < 0 && COUNTED_UNITS.has(unit ?? ''))
    return { value: null, status: null, text: typed, error: `${unit}の数に負の値（「${typed}」）は入れられません` };
  // A number typed without its unit is kept as it reads, with the indicator's unit (「9」 → 「9回」, as the sheet says).
  return { value: p.value, status: null, text: unit && !p.unit ? `${typed}${unit}` : typed };
}

/** Units of things counted: an actual in them cannot be below zero. */
const COUNTED_UNITS = new Set([
  '件',
  '回',
  '人',
  '名',
  '校',
  '園',
  '社',
  '団体',
  '事業所',
  '世帯',
  '部',
  '冊',
  '枚',
  '講座',
  '箇所',
  'か所',
  'ヶ所',
  '施設',
  '店舗',
]);

export interface SubmitProblem {
  field: string;
  message: string;
}

/** What a phase asks for before a record can be submitted. */
export function submitProblems(
  phase: Phase,
  record: { planText: string; resultText: string; sameAsDepartmentId: number | null },
  indicators: { id: number; name: string; kind: IndicatorKind }[],
  actuals: { indicatorId: number; value: number | null; status: string | null; text: string }[],
): SubmitProblem[] {
  if (record.sameAsDepartmentId !== null) return [];
  const out: SubmitProblem[] = [];
  if (record.planText.trim() === '') out.push({ field: 'planText', message: '事業予定を入力してください' });
  if (phase !== 'start' && record.resultText.trim() === '')
    out.push({ field: 'resultText', message: '実績・取組状況を入力してください' });
  if (phase === 'end') {
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
