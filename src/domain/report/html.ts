import type { Tally } from '../evaluation.js';
import type { ReportDocument, ReportRow } from './build.js';

/**
 * The report as one HTML document: the print view (A4 landscape, header row on every page, page
 * numbers), the public page and the CLI's html all come from here. No scripts, no outside hosts.
 */

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const multiline = (s: string) => escapeHtml(s).replace(/\n/g, '<br>');

export const REPORT_CSS = `
@page { size: A4 landscape; margin: 12mm 10mm 14mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
:root { color: #111; background: #fff; font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif; }
body { margin: 0; padding: 1rem; font-size: 10.5pt; line-height: 1.45; }
a { color: #0645ad; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.report-nav { margin-bottom: 1rem; }
.sheet { margin-bottom: 2rem; }
.sheet + .sheet { break-before: page; }
.report-head { display: grid; grid-template-columns: 1fr auto; gap: 0.25rem 1rem; align-items: end; margin-bottom: 0.5rem; }
.report-head h1, .report-head h2 { font-size: 13pt; margin: 0; }
.doc-number { grid-column: 2; grid-row: 1; border: 1px solid #111; padding: 0 0.5em; margin: 0; }
.as-of { grid-column: 2; margin: 0; text-align: right; }
.report-notice { margin: 0 0 0.5rem; padding: 0.25rem 0.5rem; border: 2px solid #a00; font-weight: bold; }
.withdrawn { margin: 1rem 0; padding: 1rem; border: 2px solid #a00; font-weight: bold; }
.withdrawn-mark { color: #a00; font-weight: bold; }
.preliminary { font-weight: bold; }
.legend { margin: 0 0 0.5rem; padding: 0; list-style: none; font-size: 9.5pt; }
.legend-title { font-weight: bold; margin: 0; }
table.report { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.report th, table.report td { border: 1px solid #333; padding: 2px 4px; vertical-align: top; overflow-wrap: anywhere; }
table.report thead th { background: #e8eef5; font-weight: bold; text-align: center; vertical-align: middle; }
table.report thead { display: table-header-group; }
table.report tr { break-inside: avoid; }
table.report tr.section th { background: #f3f3f3; text-align: left; font-weight: bold; break-after: avoid; }
td.c-grade, td.c-level, td.c-rowNumber, td.c-nodeNumber, td.c-projectNumber, td.c-category { text-align: center; }
td.c-target, td.c-actual, td.c-actualPrevious, td.c-baseline { text-align: right; }
.override { display: block; font-size: 8.5pt; color: #444; }
table.tally { border-collapse: collapse; margin-top: 1rem; }
table.tally th, table.tally td { border: 1px solid #333; padding: 2px 8px; }
table.tally td { text-align: right; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
${Array.from({ length: 100 }, (_, i) => `col.p-${i + 1} { width: ${i + 1}%; }`).join('\n')}
@media print { body { padding: 0; font-size: 8.5pt; } .report-nav, .no-print { display: none; } }
`;

function headerHtml(doc: ReportDocument): string {
  const rows: string[] = [];
  for (let line = 0; line < doc.headerRows; line++) {
    const cells: string[] = [];
    for (const c of doc.columns) {
      const text = c.header[line] ?? '';
      // A column whose lower header line is blank shows its upper line over both.
      if (line > 0 && text === '') continue;
      const rowspan =
        line === 0 && doc.headerRows > 1 && c.header.slice(1).every((h) => h === '')
          ? ` rowspan="${doc.headerRows}"`
          : '';
      const label = text || (line === 0 ? '番号' : '');
      cells.push(
        `<th scope="col"${rowspan}>${text ? multiline(text) : `<span class="sr-only">${escapeHtml(label)}</span>`}</th>`,
      );
    }
    rows.push(`<tr>${cells.join('')}</tr>`);
  }
  return `<thead>${rows.join('')}</thead>`;
}

function rowHtml(doc: ReportDocument, row: ReportRow): string {
  if (row.type === 'section')
    return `<tr class="section depth-${row.depth}"><th scope="rowgroup" colspan="${doc.columns.length}">${escapeHtml(row.text)}</th></tr>`;
  const cells = row.cells.map((cell, i) => {
    if (cell.span === 0) return '';
    const key = doc.columns[i]!.field;
    const span = cell.span && cell.span > 1 ? ` rowspan="${cell.span}"` : '';
    let body = multiline(cell.text);
    if (key === 'grade')
      body = cell.text
        ? `<span aria-hidden="true">${escapeHtml(cell.text)}</span><span class="sr-only">${escapeHtml(cell.speech ?? cell.text)}</span>`
        : '';
    if (cell.note) body += `<span class="override">（評価を変更：${escapeHtml(cell.note)}）</span>`;
    return `<td class="c-${key}"${span}>${body}</td>`;
  });
  return `<tr>${cells.join('')}</tr>`;
}

export function tallyTableHtml(doc: ReportDocument, caption = '評価の集計'): string {
  const codes = doc.tallies.codes;
  const line = (label: string, t: Tally) =>
    `<tr><th scope="row">${escapeHtml(label)}</th>${codes.map((c) => `<td>${t.counts[c] ?? 0}</td>`).join('')}<td>${t.graded}</td><td>${t.notGraded}</td><td>${t.ungraded}</td></tr>`;
  return `<table class="tally"><caption>${escapeHtml(caption)}（${doc.tallies.unit === 'indicator' ? '活動指標ごと' : '事業と課ごと'}）</caption><thead><tr><th scope="col">区分</th>${codes
    .map((c) => `<th scope="col">${escapeHtml(c)}</th>`)
    .join(
      '',
    )}<th scope="col">評価あり計</th><th scope="col">評価対象外</th><th scope="col">未評価</th></tr></thead><tbody>${doc.tallies.byNode.map((n) => line(n.label, n.tally)).join('')}${line('合計', doc.tallies.total)}</tbody></table>`;
}

export interface HtmlOptions {
  /** a stylesheet to link (served pages, under the CSP) — else the CSS is written into the page */
  stylesheetHref?: string;
  /** links above the report (public page navigation) */
  navHtml?: string;
  subtitle?: string;
}

export function renderReportHtml(doc: ReportDocument, options: HtmlOptions = {}): string {
  const style = options.stylesheetHref
    ? `<link rel="stylesheet" href="${escapeHtml(options.stylesheetHref)}">`
    : `<style>${REPORT_CSS}</style>`;
  const totalWidth = doc.columns.reduce((sum, c) => sum + c.width, 0);
  const sheets = doc.sheets.map((sheet, si) => {
    const heading = si === 0 && doc.sheets.length === 1 ? 'h1' : 'h2';
    const legend = doc.legend
      ? `<div class="legend-box"><p class="legend-title">${escapeHtml(doc.legend.title)}</p>${doc.legend.note ? `<p class="legend-title">${escapeHtml(doc.legend.note)}</p>` : ''}<ul class="legend">${doc.legend.items
          .map((i) => `<li>${escapeHtml(i.code)}: ${escapeHtml(i.label)}</li>`)
          .join('')}</ul></div>`
      : '';
    return `<section class="sheet" aria-labelledby="sheet-${si}"><header class="report-head"><${heading} id="sheet-${si}">${escapeHtml(sheet.title)}</${heading}>${
      doc.documentNumber ? `<p class="doc-number">${escapeHtml(doc.documentNumber)}</p>` : ''
    }${doc.asOfLabel ? `<p class="as-of">${escapeHtml(doc.asOfLabel)}</p>` : ''}</header>${doc.notice ? `<p class="report-notice">${escapeHtml(doc.notice)}</p>` : ''}${legend}<table class="report"><caption class="sr-only">${escapeHtml(sheet.title)}</caption><colgroup>${doc.columns.map((c) => `<col class="p-${Math.max(1, Math.round((c.width / totalWidth) * 100))}">`).join('')}</colgroup>${headerHtml(doc)}<tbody>${sheet.rows.map((r) => rowHtml(doc, r)).join('')}</tbody></table></section>`;
  });
  const many = doc.sheets.length > 1;
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(doc.title)}</title>${style}</head>
<body><main>${options.navHtml ? `<nav class="report-nav" aria-label="公開ページ">${options.navHtml}</nav>` : ''}${many ? `<h1>${escapeHtml(doc.title)}</h1>` : ''}${
    options.subtitle ? `<p>${escapeHtml(options.subtitle)}</p>` : ''
  }${sheets.join('')}${tallyTableHtml(doc)}</main></body></html>`;
}
