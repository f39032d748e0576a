import iconv from 'iconv-lite';
import type ExcelJS from 'exceljs';
import { parseDelimited, TooManyRows, type Table } from '../../../domain/import/table.js';
import { AppError } from '../../http/errors.js';
import { inspectXlsx } from './zip-inspect.js';

export const LIMITS = {
  /** bytes of an upload */
  fileBytes: 20 * 1024 * 1024,
  /** bytes an .xlsx may unpack to */
  unpackedBytes: 200 * 1024 * 1024,
  /** how much larger than the file its contents may be: more is a zip bomb */
  unpackRatio: 200,
  rows: 20_000,
  columns: 100,
  /** cells of all sheets of a workbook together */
  cells: 2_000_000,
  /** files inside an .xlsx */
  entries: 2_000,
};

const refuse = (message: string) => new AppError('VALIDATION', message);

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    // A formula keeps the value Excel last computed; a formula never computed yields nothing.
    if ('formula' in v || 'sharedFormula' in v) {
      const result = 'result' in v ? v.result : undefined;
      if (result === undefined || result === null || typeof result === 'object') return '';
      return String(result);
    }
    if ('text' in v) return String(v.text);
    if ('error' in v) return '';
  }
  return String(v);
}

export interface Workbook {
  sheets: { name: string; table: Table }[];
}

/** An .xlsx as tables, one per sheet; cells covered by a merge read as blank, as on paper. */
export async function readXlsx(buf: Buffer): Promise<Workbook> {
  if (buf.length > LIMITS.fileBytes) throw refuse(`ファイルが大きすぎます（上限 ${LIMITS.fileBytes / 1024 / 1024}MB）`);
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0)
    throw refuse(
      'パスワードで保護された Excel ファイル、または古い形式（.xls）のファイルは読み込めません。保護を解除して .xlsx で保存し直してください',
    );
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50)
    throw refuse('Excel ファイル（.xlsx）として読めません。ファイルが壊れていないか確認してください');
  // Measured by inflating, before exceljs builds anything: bytes, rows and cells within their budgets.
  const zip = await inspectXlsx(buf, {
    unpackedBytes: LIMITS.unpackedBytes,
    rows: LIMITS.rows,
    cells: LIMITS.cells,
    entries: LIMITS.entries,
  });
  if (zip.unpackedBytes > Math.max(buf.length, 1) * LIMITS.unpackRatio)
    throw refuse('展開後の大きさが異常なファイルのため読み込みを中止しました（圧縮爆弾の可能性があります）');
  // exceljs is loaded when first used: the server starts without it.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    // exceljs's typings declare a Buffer of their own (an ArrayBuffer); it reads Node's Buffer, as it always has.
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw refuse('Excel ファイル（.xlsx）として読めません。ファイルが壊れていないか確認してください');
  }
  const sheets: Workbook['sheets'] = [];
  for (const ws of wb.worksheets) {
    if (ws.rowCount > LIMITS.rows)
      throw refuse(
        `シート「${ws.name}」の行数が多すぎます（${ws.rowCount}行。上限 ${LIMITS.rows}行）。分けて取り込んでください`,
      );
    const width = Math.min(ws.columnCount, LIMITS.columns);
    const table: Table = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        cells.push(cell.isMerged && cell.master !== cell ? '' : cellText(cell));
      }
      table.push(cells);
    }
    sheets.push({ name: ws.name, table });
  }
  return { sheets };
}

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'shift_jis';

/** Decodes CSV or text: UTF-8 with or without BOM, UTF-16 (Excel's 「Unicode テキスト」), else Shift_JIS (CP932). */
export function decodeText(buf: Buffer): { text: string; encoding: Encoding } {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe)
    return { text: buf.subarray(2).toString('utf16le'), encoding: 'utf-16le' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(buf, 'cp932'), encoding: 'shift_jis' };
  }
}

/** A CSV or tab-separated text file as a table; the delimiter is whichever the first lines use more. */
export function readDelimited(buf: Buffer): { table: Table; encoding: Encoding; delimiter: ',' | '\t' } {
  if (buf.length > LIMITS.fileBytes) throw refuse(`ファイルが大きすぎます（上限 ${LIMITS.fileBytes / 1024 / 1024}MB）`);
  if (buf.includes(0) && !(buf[0] === 0xff && buf[1] === 0xfe))
    throw refuse('テキストファイル（CSV）として読めません。Excel ファイルなら .xlsx として取り込んでください');
  const { text, encoding } = decodeText(buf);
  const head = text.slice(0, 4000);
  const delimiter = (head.match(/\t/g)?.length ?? 0) > (head.match(/,/g)?.length ?? 0) ? '\t' : ',';
  return { table: boundedRows(() => parseDelimited(text, delimiter, LIMITS.rows)), encoding, delimiter };
}

/** Runs a parse that stops at the row limit, turning its refusal into the API's. */
export function boundedRows(read: () => Table): Table {
  try {
    return read();
  } catch (e) {
    if (e instanceof TooManyRows) throw refuse(e.message);
    throw e;
  }
}
