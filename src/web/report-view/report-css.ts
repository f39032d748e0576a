import { ALL_PAPERS, PAGE_MARGIN_MM as M, pageBox, paperName, PRINT as P } from '../../domain/report/paper.js';

/**
 * The stylesheet of the print view and the public pages, served as /public/report.css (those pages
 * carry no inline styles, under the CSP) and written into the command line's stand-alone HTML. It
 * styles the class names of ReportView.tsx and PaperView.tsx; the SPA styles ReportView's names in
 * styles.css and links this sheet for print (the 報告 screen prints the same paper version).
 *
 * The paper version's metrics come from PRINT (domain/report/paper.ts), the numbers its pages are
 * planned with: a fixed-pitch Japanese font, lines broken anywhere, a fixed line height.
 */
const PAPER_CSS = `
@page { size: A4 landscape; margin: ${M.top}mm ${M.right}mm ${M.bottom}mm ${M.left}mm;
  @bottom-center { content: "- " counter(page) " -"; font-size: 9pt; }
  @bottom-right { content: "全 " counter(pages) " ページ"; font-size: 8pt; } }
${ALL_PAPERS.map((p) => `@page ${paperName(p)} { size: ${p.size} ${p.orientation}; }\n.paper-${paperName(p)} { page: ${paperName(p)}; }`).join('\n')}
@media screen { .report-screen + .report-paper { display: none; } }
@media print { .report-screen { display: none; } }
.report-paper { font-family: "Noto Sans Mono CJK JP", "MS Gothic", "Osaka-Mono", monospace; color: #000; }
.report-paper .paper-title, .report-paper .report-head h1, .report-paper .report-head h2 { font-size: ${P.titleSize}px; line-height: ${P.titleLine}px; margin: 0; }
.report-paper .paper-title { margin-bottom: ${P.gap}px; }
.report-paper .paper-subtitle, .report-paper .doc-number, .report-paper .as-of, .report-paper .legend, .report-paper .legend-title { font-size: ${P.smallSize}px; line-height: ${P.smallLine}px; }
.report-paper .paper-subtitle { margin: 0 0 ${P.gap}px; }
.report-paper .report-head { margin-bottom: ${P.gap}px; gap: 0 1rem; grid-template-columns: minmax(0, 4fr) minmax(0, 1fr); }
.report-paper .report-notice { font-size: ${P.smallSize}px; line-height: ${P.smallLine}px; margin: 0 0 ${P.gap}px; }
.report-paper .legend { margin: 0 0 ${P.gap}px; }
.report-paper .doc-number { justify-self: end; }
.paper-sheet + .paper-sheet { break-before: page; }
table.paper-table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: ${P.fontSize}px; line-height: ${P.lineHeight}px; }
table.paper-table th, table.paper-table td { border: ${P.border}px solid #333; padding: ${P.padY}px ${P.padX}px; vertical-align: top; white-space: pre-wrap; line-break: anywhere; word-break: break-all; overflow-wrap: anywhere; }
table.paper-table thead { display: table-header-group; }
table.paper-table thead th { background: #e8eef5; font-weight: bold; text-align: center; vertical-align: middle; }
table.paper-table tr { break-inside: avoid; }
table.paper-table tbody.oversize tr { break-inside: auto; }
table.paper-table tbody + tbody { break-before: page; }
table.paper-table tr.section-row th { background: #f3f3f3; text-align: left; font-weight: bold; }
table.paper-table td.align-center { text-align: center; }
table.paper-table td.align-right { text-align: right; }
table.paper-table .override-note { font-size: inherit; }
.report-paper .continued { font-size: inherit; color: #333; }
.report-paper .tally-table { break-inside: avoid; width: auto; margin: 1rem 0 0; font-size: ${P.fontSize}px; line-height: ${P.lineHeight}px; }
.report-paper .tally-table th, .report-paper .tally-table td { border: 1px solid #333; padding: 1px 6px; }
@media screen {
  /* the print view on screen: no wider than the page, so that its lines break as they print */
${ALL_PAPERS.map((p) => `  .paper-${paperName(p)} { max-width: ${Math.floor(pageBox(p).width)}px; }`).join('\n')}
  table.paper-table tbody + tbody > tr:first-child > * { border-top: 3px double #555; }
}
`;

export const REPORT_CSS = `:root { color: #111; background: #fff; font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif; }
body { margin: 0; padding: 1rem; font-size: 10.5pt; line-height: 1.45; }
a { color: #0645ad; }
.visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.report-nav { margin-bottom: 1rem; }
.report-sheet { margin-bottom: 2rem; }
.report-sheet + .report-sheet { break-before: page; }
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
table.report td { white-space: pre-wrap; }
table.report thead th { background: #e8eef5; font-weight: bold; text-align: center; vertical-align: middle; }
table.report thead { display: table-header-group; }
table.report tr { break-inside: avoid; }
table.report tr.section-row th { background: #f3f3f3; text-align: left; font-weight: bold; break-after: avoid; }
table.report td.align-center { text-align: center; }
table.report td.align-right { text-align: right; }
.override-note { display: block; font-size: 8.5pt; color: #444; }
table.tally-table { border-collapse: collapse; margin-top: 1rem; }
table.tally-table th, table.tally-table td { border: 1px solid #333; padding: 2px 8px; }
table.tally-table td { text-align: right; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
${Array.from({ length: 100 }, (_, i) => `col.p-${i + 1} { width: ${i + 1}%; }`).join('\n')}
@media print { body { padding: 0; font-size: 8.5pt; } .report-nav, .no-print { display: none; } }
${PAPER_CSS}`;
