/**
 * The stylesheet of the print view and the public pages, served as /public/report.css (those pages
 * carry no inline styles, under the CSP) and written into the command line's stand-alone HTML. It
 * styles the class names of ReportView.tsx; the SPA styles the same names in styles.css.
 */
export const REPORT_CSS = `
@page { size: A4 landscape; margin: 12mm 10mm 14mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
:root { color: #111; background: #fff; font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif; }
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
`;
