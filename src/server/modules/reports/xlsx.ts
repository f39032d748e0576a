import type ExcelJS from 'exceljs';
import type { ReportCell, ReportColumn, ReportDocument, ReportRow } from '../../../domain/report/build.js';
import {
  columnAlign,
  overrideNote,
  percentFormat,
  printsUnit,
  spansHeaderRows,
} from '../../../domain/report/columns.js';
import { DEFAULT_PAPER, type PaperSize } from '../../../domain/report/paper.js';
import { dataTable } from '../../../domain/report/table-data.js';
import { countOf, type Tally } from '../../../domain/report/evaluation.js';

const thin = { style: 'thin' as const };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };
const HEADER_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFE8EEF5' } };
const SECTION_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFF3F3F3' } };

type Merge = [number, number, number, number];

/** A paper sheet being written: the worksheet, the document, and the next row to write. */
interface Paper {
  ws: ExcelJS.Worksheet;
  doc: ReportDocument;
  width: number;
  row: number;
}

/** Excel's codes of the paper sizes (the OOXML ST_PaperSize values). */
const EXCEL_PAPER_SIZE: Record<PaperSize, number> = { A4: 9, A3: 8 };

/** The page footer: 「- 1 -」 in the middle, 「1 / 8」 (page / pages) at the right. */
export const PAGE_FOOTER = '&C- &P -&R&P / &N';

/**
 * A sheet that prints like the paper report: the layout's paper size and orientation, as wide as
 * the page (any number of pages down), margins as the print view's (10 mm, the footer in 12 mm).
 */
function addPaperSheet(wb: ExcelJS.Workbook, doc: ReportDocument, name: string): Paper {
  const paper = doc.paper ?? DEFAULT_PAPER;
  const ws = wb.addWorksheet(name, {
    pageSetup: {
      // exceljs types paperSize as its few named codes; A3 (8) is one Excel knows but exceljs does not name
      paperSize: EXCEL_PAPER_SIZE[paper.size] as ExcelJS.PageSetup['paperSize'],
      orientation: paper.orientation,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.4, bottom: 0.5, header: 0.2, footer: 0.2 },
    },
    headerFooter: { oddFooter: PAGE_FOOTER, evenFooter: PAGE_FOOTER },
  });
  ws.columns = doc.columns.map((c) => ({ width: Math.max(3, c.width * 1.9) }));
  return { ws, doc, width: doc.columns.length, row: 1 };
}

/** A line of text over the whole width (the notice, the legend). */
function wideLine(p: Paper, text: string, font?: Partial<ExcelJS.Font>): void {
  p.ws.getCell(p.row, 1).value = text;
  if (font) p.ws.getCell(p.row, 1).font = font;
  p.ws.mergeCells(p.row, 1, p.row, p.width);
  p.row++;
}

/** Above the table: the title with the document number beside it, the as-of date, the notice, the legend. */
function writeHead(p: Paper, title: string): void {
  const { ws, doc, width } = p;
  ws.getCell(p.row, 1).value = title;
  ws.getCell(p.row, 1).font = { bold: true, size: 13 };
  ws.mergeCells(p.row, 1, p.row, Math.max(1, width - 2));
  if (doc.documentNumber) {
    ws.getCell(p.row, width).value = doc.documentNumber;
    ws.getCell(p.row, width).border = BORDER;
    ws.getCell(p.row, width).alignment = { horizontal: 'center' };
  }
  p.row++;
  if (doc.asOfLabel) {
    ws.getCell(p.row, width).value = doc.asOfLabel;
    ws.getCell(p.row, width).alignment = { horizontal: 'right' };
    p.row++;
  }
  if (doc.notice) wideLine(p, doc.notice, { bold: true });
  if (doc.legend)
    for (const text of [
      doc.legend.title,
      doc.legend.note,
      ...doc.legend.items.map((i) => ` ${i.code}: ${i.label}`),
    ].filter((t) => t !== ''))
      wideLine(p, text);
}

/** The header rows, printed on every page; a column with a single header line is one cell over all of them. */
function writeHeader(p: Paper): void {
  const { ws, doc } = p;
  const headerStart = p.row;
  for (let line = 0; line < doc.headerRows; line++, p.row++)
    doc.columns.forEach((c, i) => {
      const cell = ws.getRow(p.row).getCell(i + 1);
      cell.value = c.header[line] ?? '';
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
      cell.border = BORDER;
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    });
  const headerEnd = headerStart + doc.headerRows - 1;
  doc.columns.forEach(
    (c, i) => spansHeaderRows(c, doc.headerRows) && ws.mergeCells(headerStart, i + 1, headerEnd, i + 1),
  );
  ws.pageSetup.printTitlesRow = `${headerStart}:${headerEnd}`;
  ws.views = [{ state: 'frozen', ySplit: headerEnd }];
}

/** What a cell holds: a number as a number (not where the value prints with its unit), else the text with any note. */
function cellValue(c: ReportCell, column: ReportColumn): ExcelJS.CellValue {
  if (typeof c.value === 'number' && !printsUnit(column.field)) return c.value;
  return c.note ? `${c.text}\n${overrideNote(c.note)}` : c.text;
}

function writeRow(p: Paper, row: ReportRow, merges: Merge[]): void {
  const xrow = p.ws.getRow(p.row);
  if (row.type === 'section') {
    const cell = xrow.getCell(1);
    cell.value = row.text;
    cell.font = { bold: true };
    cell.fill = SECTION_FILL;
    cell.border = BORDER;
    merges.push([p.row, 1, p.row, p.width]);
    return;
  }
  row.cells.forEach((c, i) => {
    const column = p.doc.columns[i]!;
    const cell = xrow.getCell(i + 1);
    if (c.span !== 0) cell.value = cellValue(c, column);
    if (column.field === 'ratio' && typeof c.value === 'number') cell.numFmt = percentFormat(c.text);
    cell.border = BORDER;
    cell.alignment = { vertical: 'top', wrapText: true, horizontal: columnAlign(column.field) };
    if (c.span && c.span > 1) merges.push([p.row, i + 1, p.row + c.span - 1, i + 1]);
  });
}

/** The 「評価の集計」 sheet: the tally the screen and the print view show after the report, numbers as numbers. */
function addTallySheet(wb: ExcelJS.Workbook, doc: ReportDocument): void {
  const { tallies } = doc;
  if (tallies.codes.length === 0) return;
  const ws = wb.addWorksheet('評価の集計');
  ws.getCell(1, 1).value =
    `評価の集計（${tallies.unit === 'indicator' ? '活動指標ごと' : '事業と課ごと'}・${doc.gradedBy}）`;
  ws.getCell(1, 1).font = { bold: true };
  const header = ['区分', ...tallies.codes, '評価あり計', '評価対象外', '未評価'];
  const line = (label: string, t: Tally) => [
    label,
    ...tallies.codes.map((c) => countOf(t.counts, c)),
    t.graded,
    t.notGraded,
    t.ungraded,
  ];
  const rows = [header, ...tallies.byNode.map((n) => line(n.label, n.tally)), line('合計', tallies.total)];
  rows.forEach((values, r) =>
    values.forEach((v, i) => {
      const cell = ws.getCell(r + 2, i + 1);
      cell.value = v;
      cell.border = BORDER;
      if (r === 0 || i === 0) cell.font = { bold: true };
      if (r === 0) cell.fill = HEADER_FILL;
    }),
  );
  ws.columns = header.map((_, i) => ({ width: i === 0 ? 40 : 10 }));
}

/** The 「データ」 sheet for machines: one value per cell, numbers as numbers, no merged cells. */
function addDataSheet(wb: ExcelJS.Workbook, doc: ReportDocument): void {
  const t = dataTable(doc);
  const data = wb.addWorksheet('データ');
  data.columns = t.headers.map((h) => ({ header: h, width: Math.min(40, Math.max(8, h.length * 2)) }));
  data.getRow(1).font = { bold: true };
  data.addRows(t.rows);
  data.views = [{ state: 'frozen', ySplit: 1 }];
}

/**
 * The report as a workbook that looks like the paper one — a sheet per department or one sheet,
 * merged hierarchy cells, header rows printed on every page, the layout's paper fitted to the page
 * width, page numbers, widths and wrapping —
 * plus a 「データ」 sheet for machines: one value per cell, numbers as numbers, no merged cells.
 */
export async function reportWorkbook(doc: ReportDocument): Promise<Buffer> {
  // exceljs is loaded when first used: the server starts without it.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Shinchoku';
  wb.title = doc.title;
  for (const sheet of doc.sheets) {
    const paper = addPaperSheet(wb, doc, sheet.name);
    writeHead(paper, sheet.title);
    writeHeader(paper);
    const merges: Merge[] = [];
    for (const row of sheet.rows) {
      writeRow(paper, row, merges);
      paper.row++;
    }
    for (const m of merges) paper.ws.mergeCells(...m);
  }
  addTallySheet(wb, doc);
  addDataSheet(wb, doc);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
