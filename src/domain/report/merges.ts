import type { LayoutColumn } from './layout.js';
import type { Line } from './lines.js';
import type { ReportRow } from './types.js';

/** A data row with the line it was made from and its place among the sheet's rows (headings included). */
export interface PlacedRow {
  row: Extract<ReportRow, { type: 'data' }>;
  line: Line;
  at: number;
}

/** What makes two rows' cells in a column the same merged cell: the node, the record, or the placement. */
function mergeKey(c: LayoutColumn, l: Line): string {
  switch (c.key) {
    case 'node':
    case 'nodeNumber':
    case 'nodeTitle':
      return `n${l.nodePath[c.depth ?? 0] ?? 'none'}`;
    case 'planText':
    case 'resultText':
    case 'nextYearPlan':
    case 'remarks':
    case 'department':
      return `r${l.recordKey}`;
    default:
      return `p${l.placementKey}`;
  }
}

/** Whether two paths agree down to a depth. */
function samePathTo(a: number[], b: number[], depth: number): boolean {
  for (let i = 0; i <= depth && (i < a.length || i < b.length); i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether row `i` continues the run that began at `start` in a column. */
function continuesRun(c: LayoutColumn, rows: PlacedRow[], start: number, i: number): boolean {
  const row = rows[i]!;
  const first = rows[start]!;
  return (
    row.at === rows[i - 1]!.at + 1 &&
    mergeKey(c, row.line) === mergeKey(c, first.line) &&
    // a node column merges only while the nodes above it stay the same too
    samePathTo(row.line.nodePath, first.line.nodePath, c.depth ?? 99)
  );
}

/** The runs of rows (start, length) whose cells in a column print as one. */
function runsOf(c: LayoutColumn, rows: PlacedRow[]): [number, number][] {
  const runs: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && continuesRun(c, rows, start, i)) continue;
    if (i - start > 1) runs.push([start, i - start]);
    start = i;
  }
  return runs;
}

/**
 * Merges runs of equal keys in merging columns: the first cell spans the run, the others get span 0.
 * A heading row between two rows breaks the run.
 */
export function applyMerges(columns: readonly LayoutColumn[], rows: PlacedRow[]): void {
  for (const [ci, c] of columns.entries()) {
    if (!c.merge) continue;
    for (const [start, length] of runsOf(c, rows)) {
      rows[start]!.row.cells[ci]!.span = length;
      for (let k = start + 1; k < start + length; k++) rows[k]!.row.cells[ci]!.span = 0;
    }
  }
}
