import type { ReviewRow } from '../../lib/types.js';

/** 「人権推進課 2件、学校教育課 1件」 */
export function byDepartment(rows: ReviewRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.departmentName, (counts.get(r.departmentName) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name} ${n}件`).join('、');
}

/** What the selection allows: the selected rows that cannot be approved, those that cannot be returned. */
export function selectionLimits(selected: ReviewRow[]): { notApprovable: number; notReturnable: number } {
  return {
    notApprovable: selected.filter((r) => r.status !== 'submitted').length,
    notReturnable: selected.filter((r) => r.status !== 'submitted' && r.status !== 'approved').length,
  };
}

/** The row a key moves the focus to (↑ ↓ Home End), kept inside the table, or null for other keys. */
export function rowAfterKey(key: string, index: number, count: number): number | null {
  const to =
    key === 'ArrowDown'
      ? index + 1
      : key === 'ArrowUp'
        ? index - 1
        : key === 'Home'
          ? 0
          : key === 'End'
            ? count - 1
            : null;
  return to === null ? null : Math.max(0, Math.min(count - 1, to));
}
