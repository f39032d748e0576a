import type { ReportDocument } from './build.js';
import { columnLabel } from './columns.js';

/**
 * The report as plain rows for machines: one value per cell, no merged cells, the fiscal year in
 * 和暦 and western, the sheet (department) and the plan tree path spelled out.
 */
export interface DataTable {
  headers: string[];
  rows: (string | number | null)[][];
}

/** Headers as a spreadsheet or a JSON key needs them: a name met again gets its count (施策, 施策（2）). */
function unique(headers: string[]): string[] {
  const seen = new Map<string, number>();
  return headers.map((h) => {
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n === 1 ? h : `${h}（${n}）`;
  });
}

export function dataTable(doc: ReportDocument): DataTable {
  const many = doc.sheets.length > 1;
  const headers = unique([
    '年度（西暦）',
    '年度（和暦）',
    ...(many ? ['シート'] : []),
    ...doc.levelNames,
    ...doc.columns.map(columnLabel),
  ]);
  const rows: DataTable['rows'] = [];
  for (const sheet of doc.sheets)
    for (const r of sheet.rows) {
      if (r.type !== 'data') continue;
      rows.push([
        doc.fiscalYear,
        doc.fiscalYearLabel,
        ...(many ? [sheet.name] : []),
        ...doc.levelNames.map((_, i) => r.path[i] ?? ''),
        ...r.cells.map((c) => (typeof c.value === 'number' ? c.value : c.text)),
      ]);
    }
  return { headers, rows };
}

/** Rows as printed, keyed by header, for `--format json`. */
export function printedRows(doc: ReportDocument): Record<string, string | number | null>[] {
  const t = dataTable(doc);
  return t.rows.map((r) => Object.fromEntries(t.headers.map((h, i) => [h, r[i] ?? null])));
}
