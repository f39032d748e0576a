import { Fragment } from 'react';
import {
  blankHeaderLabel,
  columnAlign,
  overrideNote,
  spansHeaderRows,
  type ReportColumn,
} from '../../domain/report/columns.js';
import type { ReportCell, ReportDocument, ReportRow, ReportSheet } from '../../domain/report/build.js';
import { countOf } from '../../domain/report/evaluation.js';

/**
 * The report document drawn as HTML: one set of components for the screen (in the SPA) and for the
 * print view and the public pages (rendered to static markup on the server). No state, no effects,
 * no browser APIs: what they draw is the document and nothing else.
 */

/** Text with its line breaks: each line break of the text is a <br>. */
export function Lines({ text }: { text: string }) {
  return (
    <>
      {text.split('\n').map((line, i) => (
        <Fragment key={i}>
          {i > 0 && <br />}
          {line}
        </Fragment>
      ))}
    </>
  );
}

/**
 * How a cell prints, wherever it prints: a grade as its symbol, with the words a screen reader says
 * in its place (◎ is read as 「◎（達成）」); any other text with its line breaks; a grade changed by
 * hand with the reason under it.
 */
export function CellContent({ cell, column }: { cell: ReportCell; column: ReportColumn }) {
  return (
    <>
      {column.field === 'grade' && cell.text ? (
        <>
          <span aria-hidden="true">{cell.text}</span>
          <span className="visually-hidden">{cell.speech ?? cell.text}</span>
        </>
      ) : (
        <Lines text={cell.text} />
      )}
      {cell.note && <span className="override-note">{overrideNote(cell.note)}</span>}
    </>
  );
}

/** A cell's classes: its column (c-grade) and, where it is not left, its alignment. */
export function cellClass(column: ReportColumn): string {
  const align = columnAlign(column.field);
  return align === 'left' ? `c-${column.field}` : `c-${column.field} align-${align}`;
}

function HeaderCell({
  doc,
  column,
  index,
  line,
}: {
  doc: ReportDocument;
  column: ReportColumn;
  index: number;
  line: number;
}) {
  const spans = spansHeaderRows(column, doc.headerRows);
  // A column whose lower header lines are blank shows its upper line over them all.
  if (line > 0 && spans) return null;
  const text = column.header[line] ?? '';
  return (
    <th scope="col" rowSpan={line === 0 && spans ? doc.headerRows : undefined}>
      {text ? <Lines text={text} /> : <span className="visually-hidden">{blankHeaderLabel(column, index)}</span>}
    </th>
  );
}

export function HeaderRows({ doc }: { doc: ReportDocument }) {
  return (
    <thead>
      {Array.from({ length: doc.headerRows }, (_, line) => (
        <tr key={line}>
          {doc.columns.map((column, ci) => (
            <HeaderCell key={ci} doc={doc} column={column} index={ci} line={line} />
          ))}
        </tr>
      ))}
    </thead>
  );
}

export function ReportTableRow({ doc, row }: { doc: ReportDocument; row: ReportRow }) {
  if (row.type === 'section')
    return (
      <tr className={`section-row depth-${row.depth}`}>
        <th scope="rowgroup" colSpan={doc.columns.length}>
          {row.text}
        </th>
      </tr>
    );
  return (
    <tr>
      {row.cells.map((cell, ci) => {
        if (cell.span === 0) return null;
        const column = doc.columns[ci]!;
        return (
          <td key={ci} rowSpan={cell.span && cell.span > 1 ? cell.span : undefined} className={cellClass(column)}>
            <CellContent cell={cell} column={column} />
          </td>
        );
      })}
    </tr>
  );
}

/** Column widths in percent of the whole (the print view lays the table out by them). */
function ColumnWidths({ columns }: { columns: ReportColumn[] }) {
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  return (
    <colgroup>
      {columns.map((c, i) => (
        <col key={i} className={`p-${Math.max(1, Math.round((c.width / total) * 100))}`} />
      ))}
    </colgroup>
  );
}

export function Legend({ legend }: { legend: NonNullable<ReportDocument['legend']> }) {
  return (
    <div className="legend-box">
      <p className="legend-title">{legend.title}</p>
      {legend.note && <p className="legend-title">{legend.note}</p>}
      <ul className="legend">
        {legend.items.map((i) => (
          <li key={i.code}>
            {i.code}: {i.label}
          </li>
        ))}
      </ul>
    </div>
  );
}

export type SheetHeading = 'h1' | 'h2';

/** Above a sheet's table: its title with the document number and as-of date, the notice, the legend. */
export function SheetHead({
  doc,
  title,
  headingId,
  heading: Heading,
}: {
  doc: ReportDocument;
  title: string;
  headingId: string;
  heading: SheetHeading;
}) {
  return (
    <>
      <div className="report-head">
        <Heading id={headingId}>{title}</Heading>
        {doc.documentNumber && <p className="doc-number">{doc.documentNumber}</p>}
        {doc.asOfLabel && <p className="as-of">{doc.asOfLabel}</p>}
      </div>
      {doc.notice && (
        <p className="report-notice" role="note">
          {doc.notice}
        </p>
      )}
      {doc.legend && <Legend legend={doc.legend} />}
    </>
  );
}

function SheetView({
  doc,
  sheet,
  index,
  heading: Heading,
}: {
  doc: ReportDocument;
  sheet: ReportSheet;
  index: number;
  heading: SheetHeading;
}) {
  const headingId = `report-sheet-${index}`;
  return (
    <section className="report-sheet" aria-labelledby={headingId}>
      <SheetHead doc={doc} title={sheet.title} headingId={headingId} heading={Heading} />
      <div className="table-scroll" tabIndex={0} role="region" aria-label={`${sheet.title}の表`}>
        <table className="data-table report" aria-labelledby={headingId}>
          <ColumnWidths columns={doc.columns} />
          <HeaderRows doc={doc} />
          <tbody>
            {sheet.rows.map((row, ri) => (
              <ReportTableRow key={ri} doc={doc} row={row} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function TallyTable({ doc }: { doc: ReportDocument }) {
  const codes = doc.tallies.codes;
  const line = (label: string, t: ReportDocument['tallies']['total'], key: string | number) => (
    <tr key={key}>
      <th scope="row">{label}</th>
      {codes.map((c) => (
        <td key={c}>{countOf(t.counts, c)}</td>
      ))}
      <td>{t.graded}</td>
      <td>{t.notGraded}</td>
      <td>{t.ungraded}</td>
    </tr>
  );
  return (
    <table className="data-table tally-table">
      <caption>
        評価の集計（{doc.tallies.unit === 'indicator' ? '活動指標ごと' : '事業と課ごと'}・{doc.gradedBy}）
      </caption>
      <thead>
        <tr>
          <th scope="col">区分</th>
          {codes.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
          <th scope="col">評価あり計</th>
          <th scope="col">評価対象外</th>
          <th scope="col">未評価</th>
        </tr>
      </thead>
      <tbody>
        {doc.tallies.byNode.map((n) => line(n.label, n.tally, n.nodeId))}
        {line('合計', doc.tallies.total, 'total')}
      </tbody>
    </table>
  );
}

/**
 * The document: its sheets (each with its heading, notice, legend and table) and the tally. On
 * screen the sheets are headed h2 under the page's h1; in print a one-sheet report is headed h1.
 */
export function ReportView({ doc, sheetHeading = 'h2' }: { doc: ReportDocument; sheetHeading?: SheetHeading }) {
  return (
    <div className="report-view">
      {doc.sheets.map((sheet, si) => (
        <SheetView key={si} doc={doc} sheet={sheet} index={si} heading={sheetHeading} />
      ))}
      <TallyTable doc={doc} />
    </div>
  );
}
