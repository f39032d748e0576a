import type { ReportDocument } from './build.js';
import { dataTable } from './table-data.js';

/**
 * A cell a spreadsheet would read as a formula (=, +, -, @, tab, CR at the start, and their
 * full-width forms ＝ ＋ － ＠, which Japanese Excel also takes as formulas) is written with a leading
 * apostrophe. Plain numbers and dash-only codes (「-」 for "not graded") are left as they are.
 */
export function protectCell(text: string): string {
  if (!/^[=+\-@\t\r＝＋－＠]/.test(text)) return text;
  if (/^-?\d+(\.\d+)?$/.test(text) || /^[-]+$/.test(text)) return text;
  return `'${text}`;
}

const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** CSV text (CRLF line ends) of the machine-readable table. */
export function reportCsv(doc: ReportDocument): string {
  const t = dataTable(doc);
  const line = (cells: (string | number | null)[]) =>
    cells.map((c) => (typeof c === 'number' ? String(c) : quote(protectCell(c ?? '')))).join(',');
  return [line(t.headers), ...t.rows.map(line)].join('\r\n') + '\r\n';
}
