import type { FieldChange } from '../../../domain/api-types.js';

const LABELS: Record<string, string> = {
  planText: '事業予定',
  resultText: '実績・取組状況',
  grade: '評価',
  remarks: '備考',
  nextYearPlan: '翌年度予定',
  sameAsDepartmentId: '「他課に同じ」',
  status: '状態',
};

const show = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Field-by-field differences between two snapshots, actuals named by their indicator. */
export function diffSnapshots(before: Record<string, unknown>, after: Record<string, unknown>, indicatorNames: Map<number, string>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of Object.keys(LABELS)) {
    if (field === 'status') continue;
    if (show(before[field]) !== show(after[field])) out.push({ field, label: LABELS[field]!, before: show(before[field]), after: show(after[field]) });
  }
  const ba = (before.actuals ?? {}) as Record<string, { text: string; status: string | null; reason: string; parts: unknown[] }>;
  const aa = (after.actuals ?? {}) as typeof ba;
  for (const key of new Set([...Object.keys(ba), ...Object.keys(aa)])) {
    const describe = (a: (typeof ba)[string] | undefined) => (a ? [a.text, a.status ? `(${a.status})` : '', a.reason, a.parts.length ? JSON.stringify(a.parts) : ''].filter(Boolean).join(' ') : '');
    const b = describe(ba[key]);
    const c = describe(aa[key]);
    if (b !== c) out.push({ field: `actuals.${key}`, label: `実績「${indicatorNames.get(Number(key)) ?? key}」`, before: b, after: c });
  }
  return out;
}
