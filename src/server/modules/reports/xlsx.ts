import type { ReportDocument } from '../../../domain/report/build.js';
import { dataTable } from '../../../domain/report/table-data.js';

const thin = { style: 'thin' as const };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };
const HEADER_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFE8EEF5' } };
const SECTION_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFF3F3F3' } };
const CENTERED = new Set(['grade', 'level', 'rowNumber', 'nodeNumber', 'projectNumber', 'category']);
const RIGHT = new Set(['target', 'actual', 'actualPrevious', 'baseline']);

/**
 * The report as a workbook that looks like the paper one — a sheet per department or one sheet,
 * merged hierarchy cells, header rows printed on every page, A4 landscape, widths and wrapping —
 * plus a 「データ」 sheet for machines: one value per cell, numbers as numbers, no merged cells.
 */
export async function reportWorkbook(doc: ReportDocument): Promise<Buffer> {
  // exceljs is loaded when first used: the server starts without it.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Shinchoku';
  wb.title = doc.title;
  const width = doc.columns.length;
  const keys = doc.columns.map((c) => c.key.split(':')[0]!);

  for (const sheet of doc.sheets) {
    const ws = wb.addWorksheet(sheet.name, {
      pageSetup: {
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.2, footer: 0.3 },
      },
      headerFooter: { oddFooter: '&C&P / &N' },
    });
    ws.columns = doc.columns.map((c) => ({ width: Math.max(3, c.width * 1.9) }));
    let r = 1;
    ws.getCell(r, 1).value = sheet.title;
    ws.getCell(r, 1).font = { bold: true, size: 13 };
    ws.mergeCells(r, 1, r, Math.max(1, width - 2));
    if (doc.documentNumber) {
      ws.getCell(r, width).value = doc.documentNumber;
      ws.getCell(r, width).border = BORDER;
      ws.getCell(r, width).alignment = { horizontal: 'center' };
    }
    r++;
    if (doc.asOfLabel) {
      ws.getCell(r, width).value = doc.asOfLabel;
      ws.getCell(r, width).alignment = { horizontal: 'right' };
      r++;
    }
    if (doc.notice) {
      ws.getCell(r, 1).value = doc.notice;
      ws.getCell(r, 1).font = { bold: true };
      ws.mergeCells(r, 1, r, width);
      r++;
    }
    if (doc.legend) {
      for (const text of [
        doc.legend.title,
        doc.legend.note,
        ...doc.legend.items.map((i) => ` ${i.code}: ${i.label}`),
      ].filter((t) => t !== '')) {
        ws.getCell(r, 1).value = text;
        ws.mergeCells(r, 1, r, width);
        r++;
      }
    }
    const headerStart = r;
    for (let line = 0; line < doc.headerRows; line++, r++) {
      const row = ws.getRow(r);
      doc.columns.forEach((c, i) => {
        const cell = row.getCell(i + 1);
        cell.value = c.header[line] ?? '';
        cell.font = { bold: true };
        cell.fill = HEADER_FILL;
        cell.border = BORDER;
        cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      });
    }
    // A column with a single header line is one cell over both header rows.
    if (doc.headerRows > 1)
      doc.columns.forEach(
        (c, i) =>
          c.header.slice(1).every((h) => h === '') &&
          ws.mergeCells(headerStart, i + 1, headerStart + doc.headerRows - 1, i + 1),
      );
    ws.pageSetup.printTitlesRow = `${headerStart}:${headerStart + doc.headerRows - 1}`;
    ws.views = [{ state: 'frozen', ySplit: headerStart + doc.headerRows - 1 }];

    const merges: [number, number, number, number][] = [];
    for (const row of sheet.rows) {
      const xrow = ws.getRow(r);
      if (row.type === 'section') {
        const cell = xrow.getCell(1);
        cell.value = row.text;
        cell.font = { bold: true };
        cell.fill = SECTION_FILL;
        cell.border = BORDER;
        merges.push([r, 1, r, width]);
      } else {
        row.cells.forEach((c, i) => {
          const cell = xrow.getCell(i + 1);
          if (c.span !== 0)
            cell.value =
              typeof c.value === 'number' &&
              keys[i] !== 'target' &&
              keys[i] !== 'actual' &&
              keys[i] !== 'actualPrevious' &&
              keys[i] !== 'baseline'
                ? c.value
                : c.note
                  ? `${c.text}\n（評価を変更：${c.note}）`
                  : c.text;
          cell.border = BORDER;
          cell.alignment = {
            vertical: 'top',
            wrapText: true,
            horizontal: CENTERED.has(keys[i]!) ? 'center' : RIGHT.has(keys[i]!) ? 'right' : 'left',
          };
          if (c.span && c.span > 1) merges.push([r, i + 1, r + c.span - 1, i + 1]);
        });
      }
      r++;
    }
    for (const m of merges) ws.mergeCells(...m);
  }

  const t = dataTable(doc);
  const data = wb.addWorksheet('データ');
  data.columns = t.headers.map((h) => ({ header: h, width: Math.min(40, Math.max(8, h.length * 2)) }));
  data.getRow(1).font = { bold: true };
  data.addRows(t.rows);
  data.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
