import { TEXT_LIMIT } from '../../../domain/cycle-terms.js';
import type { EvaluationConfig } from '../../../domain/evaluation/index.js';
import type { RecordDto } from '../../lib/types.js';
import type { Draft } from './record-edit-state.js';
import { entriesToSend } from './sheet-evaluation.js';

/**
 * The body of a save: the draft with the version it was typed over (a breakdown's unnamed parts left
 * out), and every evaluation the department enters on the answer — those it removed sent empty, so
 * that the stored ones are cleared.
 */
export function savePayload(d: Draft, base: Pick<RecordDto, 'version' | 'entries'>, config: EvaluationConfig) {
  return {
    version: base.version,
    planText: d.planText,
    resultText: d.resultText,
    remarks: d.remarks,
    nextYearPlan: d.nextYearPlan,
    sameAsDepartmentId: d.sameAsDepartmentId,
    custom: d.custom,
    actuals: d.actuals.map((a) => ({
      indicatorId: a.indicatorId,
      text: a.text,
      status: a.status,
      reason: a.reason,
      parts: a.parts.filter((p) => p.label.trim()),
    })),
    entries: entriesToSend(config, d.entries, base.entries),
  };
}

const LONG_FIELDS = [
  ['planText', '事業予定'],
  ['resultText', '実績・取組状況'],
  ['remarks', '備考'],
  ['nextYearPlan', '翌年度予定'],
] as const;

/** The long texts over the limit, each with the message shown beside it. */
export function overLimit(d: Draft) {
  return LONG_FIELDS.filter(([k]) => d[k].length > TEXT_LIMIT).map(([field, label]) => ({
    field,
    label,
    message: `${label}は${TEXT_LIMIT}文字以内で入力してください（${d[field].length - TEXT_LIMIT}文字多い）`,
  }));
}
