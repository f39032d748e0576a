/**
 * Reads back the report tables of rendered markup (ReportView's own output, not any HTML): the
 * header cells and each body row's cells as their inner markup, so that two renderings of one
 * document can be compared cell for cell.
 */

const inner = (html: string, tag: string) =>
  [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);

const reportTables = (html: string) =>
  inner(html, 'table').filter((t) => /<tbody\b/.test(t) && t.includes('<colgroup>'));

export function headerCells(html: string): string[] {
  return reportTables(html).flatMap((t) => inner(inner(t, 'thead').join(''), 'th'));
}

/** Each body row: its cells (data rows) or its heading (section rows), as inner markup. */
export function bodyCells(html: string): string[][] {
  return reportTables(html).flatMap((t) =>
    inner(inner(t, 'tbody').join(''), 'tr').map((row) => [...inner(row, 'th'), ...inner(row, 'td')]),
  );
}

/**
 * The paper version's body rows as the document has them: without the headings and cells a page
 * repeats from the page before (「（続き）」), so that the paper and the screen compare cell for cell.
 */
export function paperBodyCells(html: string): string[][] {
  const CONTINUED_CELL = /<td\b[^>]*>(?:(?!<\/td>)[\s\S])*<span class="continued">(?:(?!<\/td>)[\s\S])*<\/td>/g;
  const rows = reportTables(html)
    .flatMap((t) => [...t.matchAll(/<tr\b([^>]*)>([\s\S]*?)<\/tr>/g)])
    .filter((m) => !/class="[^"]*\bcontinued\b/.test(m[1]!) && !m[2]!.includes('<th scope="col"'));
  return rows.map((m) => {
    const row = m[2]!.replace(CONTINUED_CELL, '');
    return [...inner(row, 'th'), ...inner(row, 'td')];
  });
}
