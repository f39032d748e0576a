import { RECORD_STATUS_LABELS, type RecordStatus } from '../../../domain/cycle-terms.js';
import type { SheetItem } from '../../lib/types.js';

const SUBMITTABLE: readonly RecordStatus[] = ['not_started', 'draft', 'returned'];

/** The sheet's answers by status: the line under the title, and what a submit or a bulk decision would take. */
export function sheetTally(items: SheetItem[]): { summary: string; submittable: number; submitted: number } {
  const counts = new Map<RecordStatus, number>();
  for (const i of items) counts.set(i.record.status, (counts.get(i.record.status) ?? 0) + 1);
  return {
    summary: [...counts].map(([s, n]) => `${RECORD_STATUS_LABELS[s]} ${n}件`).join('・'),
    submittable: items.filter((i) => SUBMITTABLE.includes(i.record.status)).length,
    submitted: counts.get('submitted') ?? 0,
  };
}
