import type { ReportDocument } from '../../domain/report/build.js';
import {
  columnPercents,
  CONTINUED,
  DEFAULT_PAPER,
  paginate,
  paperName,
  type PaperLead,
  type PaperRow,
  type PaperSheet,
} from '../../domain/report/paper.js';
import { CellContent, cellClass, HeaderRows, SheetHead, TallyTable, type SheetHeading } from './ReportView.js';

/**
 * The report as it prints: on the layout's paper, the rows of each sheet on planned pages (one
 * <tbody> a page, each after the first starting on a new page under the repeated header rows),
 * merged cells and headings continued on a new page marked 「（続き）」. Rendered next to the
 * screen table where a page has one (the stylesheet shows each in its medium), and alone in the
 * print view. No state, no effects, no browser APIs, like ReportView.
 */

/** The stylesheet of the print view and the public pages; the 報告 screen links it for print. */
export const STYLESHEET = '/public/report.css';

function PaperTableRow({ doc, row }: { doc: ReportDocument; row: PaperRow }) {
  if (row.type === 'section')
    return (
      <tr className={`section-row depth-${row.depth}${row.continued ? ' continued' : ''}`}>
        <th scope="rowgroup" colSpan={doc.columns.length}>
          {row.text}
        </th>
      </tr>
    );
  return (
    <tr>
      {row.cells.map((pc, ci) => {
        if (!pc) return null;
        const column = doc.columns[ci]!;
        return (
          <td key={ci} rowSpan={pc.span > 1 ? pc.span : undefined} className={cellClass(column)}>
            <CellContent cell={pc.cell} column={column} />
            {pc.continued && pc.cell.text && <span className="continued">{CONTINUED}</span>}
          </td>
        );
      })}
    </tr>
  );
}

function PaperSheetView({
  doc,
  paper,
  index,
  heading,
}: {
  doc: ReportDocument;
  paper: PaperSheet;
  index: number;
  heading: SheetHeading;
}) {
  const headingId = `paper-sheet-${index}`;
  const widths = columnPercents(doc.columns);
  return (
    <section className="paper-sheet" aria-labelledby={headingId}>
      <SheetHead doc={doc} title={paper.sheet.title} headingId={headingId} heading={heading} />
      <table className="paper-table" aria-labelledby={headingId}>
        <colgroup>
          {widths.map((p, i) => (
            <col key={i} className={`p-${p}`} />
          ))}
        </colgroup>
        <HeaderRows doc={doc} />
        {paper.pages.map((page, pi) => (
          <tbody key={pi} className={page.oversize ? 'oversize' : undefined} data-page={pi + 1}>
            {page.rows.map((row, ri) => (
              <PaperTableRow key={ri} doc={doc} row={row} />
            ))}
          </tbody>
        ))}
      </table>
    </section>
  );
}

/** The document on paper: the lead, each sheet on its pages, the tally. */
export function PaperView({
  doc,
  lead = {},
  sheetHeading = 'h2',
}: {
  doc: ReportDocument;
  lead?: PaperLead;
  sheetHeading?: SheetHeading;
}) {
  const sheets = paginate(doc, lead);
  return (
    <div className={`report-paper paper-${paperName(doc.paper ?? DEFAULT_PAPER)}`}>
      {lead.title && <h1 className="paper-title">{lead.title}</h1>}
      {lead.subtitle && <p className="paper-subtitle">{lead.subtitle}</p>}
      {sheets.map((s, si) => (
        <PaperSheetView key={si} doc={doc} paper={s} index={si} heading={sheetHeading} />
      ))}
      <TallyTable doc={doc} />
    </div>
  );
}
