import type { ReviewRow } from '../../lib/types.js';
import { RECORD_STATUSES, type RecordStatus } from '../../../domain/cycle-terms.js';

/** The review table's filters, kept in the address so that a filtered view can be linked to. */
export interface ReviewFilters {
  status: RecordStatus | '';
  department: number | null;
  /** a grade as `slot:code` (a bare code: in any slot), or NO_GRADE for rows without any grade */
  grade: string;
  commented: boolean;
  /** only the rows whose self-evaluation checks found something (確認事項あり) */
  checked: boolean;
  q: string;
}

export const NO_GRADE = '-none';

export function readFilters(params: URLSearchParams): ReviewFilters {
  const status = params.get('status') ?? '';
  const department = Number(params.get('department'));
  return {
    status: (RECORD_STATUSES as readonly string[]).includes(status) ? (status as RecordStatus) : '',
    department: Number.isInteger(department) && department > 0 ? department : null,
    grade: params.get('grade') ?? '',
    commented: params.get('comments') === '1',
    checked: params.get('checks') === '1',
    q: params.get('q') ?? '',
  };
}

/** The filters written back into the query string, leaving out what is not set (and other keys as they were). */
export function writeFilters(params: URLSearchParams, f: ReviewFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (key: string, value: string) => (value ? next.set(key, value) : next.delete(key));
  set('status', f.status);
  set('department', f.department ? String(f.department) : '');
  set('grade', f.grade);
  set('comments', f.commented ? '1' : '');
  set('checks', f.checked ? '1' : '');
  set('q', f.q);
  return next;
}

/** The filter's value of a grade: its slot and code. */
export const gradeValue = (g: { slot: string; code: string }) => `${g.slot}:${g.code}`;

/** Whether a row's grade is the one filtered for (`slot:code`, or a code in any slot as links before slots had). */
function gradeMatches(g: { slot: string; code: string }, wanted: string): boolean {
  return wanted.includes(':') ? gradeValue(g) === wanted : g.code === wanted;
}

export function matches(row: ReviewRow, f: ReviewFilters): boolean {
  if (f.status && row.status !== f.status) return false;
  if (f.department && row.departmentId !== f.department) return false;
  if (f.grade === NO_GRADE ? row.grades.length > 0 : f.grade && !row.grades.some((g) => gradeMatches(g, f.grade)))
    return false;
  if (f.commented && row.comments === 0) return false;
  if (f.checked && row.checks.length === 0) return false;
  const q = f.q.trim().normalize('NFKC').toLowerCase();
  if (q && !`${row.projectNumber} ${row.projectName}`.normalize('NFKC').toLowerCase().includes(q)) return false;
  return true;
}
