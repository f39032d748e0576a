import iconv from 'iconv-lite';
import { parseDelimited, TooManyRows, type Table } from '../../../domain/import/table.js';
import { AppError } from '../../http/errors.js';
import {
  readNumberFormats,
  readSharedStrings,
  readSheet,
  readWorkbook,
  SheetTooLong,
  TooManyCells,
  XlsxBroken,
} from './xlsx-reader.js';
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

export interface Workbook {
  sheets: { name: string; table: Table }[];
}

const BROKEN = 'Excel ファイル（.xlsx）として読めません。ファイルが壊れていないか確認してください';

/** The parts of an .xlsx the reader needs: the sheet list and its links, shared strings, styles and the worksheets. */
const PARTS = /^xl\/(workbook\.xml|_rels\/workbook\.xml\.rels|sharedStrings\.xml|styles\.xml|worksheets\/[^/]+\.xml)$/;

/** A part's XML as text: UTF-8 (with or without its byte order mark) or UTF-16. */
function xmlText(bytes: Buffer | undefined): string | null {
  if (!bytes) return null;
  const text =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? bytes.subarray(2).toString('utf16le')
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? Buffer.from(bytes.subarray(2)).swap16().toString('utf16le')
        : bytes.toString('utf8').replace(/^\uFEFF/, '');
  // XML reads every line end as a line feed (a carriage return written as &#13; or _x000D_ stays).
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * An .xlsx as tables, one per worksheet in the workbook's order (xlsx-reader.ts says what each cell
 * reads as); cells covered by a merge read as blank, as on paper. The file is measured while it is
 * inflated (zip-inspect.ts) and refused past its budgets before any table is built.
 */
export async function readXlsx(buf: Buffer): Promise<Workbook> {
  if (buf.length > LIMITS.fileBytes) throw refuse(`ファイルが大きすぎます（上限 ${LIMITS.fileBytes / 1024 / 1024}MB）`);
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0)
    throw refuse(
      'パスワードで保護された Excel ファイル、または古い形式（.xls）のファイルは読み込めません。保護を解除して .xlsx で保存し直してください',
    );
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) throw refuse(BROKEN);
  const zip = await inspectXlsx(
    buf,
    { unpackedBytes: LIMITS.unpackedBytes, rows: LIMITS.rows, cells: LIMITS.cells, entries: LIMITS.entries },
    (name) => PARTS.test(name) || name === 'mimetype',
  );
  if (zip.unpackedBytes > Math.max(buf.length, 1) * LIMITS.unpackRatio)
    throw refuse('展開後の大きさが異常なファイルのため読み込みを中止しました（圧縮爆弾の可能性があります）');
  const part = (name: string) => xmlText(zip.files.get(name));
  const sheets: Workbook['sheets'] = [];
  let current = '';
  try {
    const workbookXml = part('xl/workbook.xml');
    const relsXml = part('xl/_rels/workbook.xml.rels');
    if (workbookXml === null || relsXml === null) {
      // An OpenDocument spreadsheet (LibreOffice's own .ods) is a zip too, named by its first entry.
      if (part('mimetype')?.startsWith('application/vnd.oasis.opendocument'))
        throw refuse(
          'OpenDocument 形式（.ods）のファイルは読み込めません。LibreOffice の「名前を付けて保存」で「Excel 2007-365 (.xlsx)」を選んで保存し直してください',
        );
      throw refuse(BROKEN);
    }
    const workbook = readWorkbook(workbookXml, relsXml);
    const sharedXml = part('xl/sharedStrings.xml');
    const stylesXml = part('xl/styles.xml');
    const ctx = {
      sharedStrings: sharedXml === null ? [] : readSharedStrings(sharedXml),
      formats: stylesXml === null ? [] : readNumberFormats(stylesXml),
      date1904: workbook.date1904,
      maxRows: LIMITS.rows,
      maxColumns: LIMITS.columns,
      budget: { cells: LIMITS.cells },
    };
    const read = new Set<string>();
    // Hidden sheets (a drop-down's list, working sheets) are not what a person imports: the visible ones
    // are read (all of them, should a workbook hide every sheet).
    const visible = workbook.sheets.filter((sheet) => !sheet.hidden);
    for (const sheet of visible.length ? visible : workbook.sheets) {
      current = sheet.name;
      const xml = part(sheet.path);
      // Each sheet has its own part: one part named by several sheets is a broken (or hostile) file.
      if (xml === null || read.has(sheet.path)) throw refuse(BROKEN);
      read.add(sheet.path);
      sheets.push({ name: sheet.name, table: readSheet(xml, ctx) });
    }
  } catch (e) {
    if (e instanceof SheetTooLong)
      throw refuse(`シート「${current}」の行数が多すぎます（上限 ${LIMITS.rows}行）。分けて取り込んでください`);
    if (e instanceof XlsxBroken) throw refuse(BROKEN);
    if (e instanceof TooManyCells)
      throw refuse(`セルの数が多すぎます（上限 ${LIMITS.cells}個）。分けて取り込んでください`);
    throw e;
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
