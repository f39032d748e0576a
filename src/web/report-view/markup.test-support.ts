/**
 * Reads back the report tables of rendered markup (ReportView's own output, not any HTML): the
 * header cells and each body row's cells as their inner markup, so that two renderings of one
 * document can be compared cell for cell.
 */

const inner = (html: string, tag: string) =>
  [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);

const reportTables = (html: string) =>
  inner(html, 'table').filter((t) => t.includes('<tbody>') && t.includes('<colgroup>'));

export function headerCells(html: string): string[] {
  return reportTables(html).flatMap((t) => inner(inner(t, 'thead').join(''), 'th'));
}

/** Each body row: its cells (data rows) or its heading (section rows), as inner markup. */
export function bodyCells(html: string): string[][] {
  return reportTables(html).flatMap((t) =>
    inner(inner(t, 'tbody').join(''), 'tr').map((row) => [...inner(row, 'th'), ...inner(row, 'td')]),
  );
}
