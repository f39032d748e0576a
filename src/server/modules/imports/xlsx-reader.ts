/**
 * The cells of an .xlsx as text, read straight from the XML parts the zip inspection has already
 * inflated (zip-inspect.ts): the workbook's sheet list, shared strings, the number formats, each
 * worksheet's cells and merges. Nothing else of the file is built — no styles as objects, no formulas,
 * no drawing — which is why this reads a 10,000-line sheet several times faster than a general
 * spreadsheet library, within the byte, row and cell budgets checked before.
 *
 * What a cell reads as:
 * - text as written (shared, inline or a formula's text), with Excel's `_xHHHH_` escapes undone and
 *   phonetic guides (ふりがな, `<rPh>`) left out;
 * - a number as its format makes it (xlsx-formats.ts): a day as the format shows it (`令和6年4月1日`,
 *   `2024/4/1`, `R6.4.1`; Japanese Excel's built-in formats included; 1900 or 1904 as the workbook
 *   counts), a time `9:30`, a percentage `31.9%`, or the number as JavaScript writes it (`4`, `0.5`);
 *   an ISO date cell as its day `YYYY-MM-DD`;
 * - a formula by the value Excel last computed (nothing if it never computed one); an error (#N/A) as nothing;
 * - TRUE/FALSE as `true` / `false`;
 * - a cell covered by a merge as blank, as on paper.
 * A document type declaration (the door to entity expansion) is refused: Excel never writes one.
 */
import { builtInKind, formatKind, numberText, type NumberKind } from './xlsx-formats.js';

export class XlsxBroken extends Error {}

// ---- XML, as spreadsheet parts write it

const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Character and predefined entity references resolved; any other `&` stays as it is. */
export function decodeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name]!;
    const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    return code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

/** Excel's escape of characters XML cannot hold (`_x000D_` for a carriage return). */
const undoExcelEscapes = (text: string) =>
  text.includes('_x')
    ? text.replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;

interface XmlVisitor {
  /**
   * An element opens: its local name (without a namespace prefix) and where its attribute text
   * lies in the XML (`attributesOf(xml, from, to)` reads it).
   */
  open(name: string, from: number, to: number, selfClosing: boolean): void;
  close(name: string): void;
  /** character data between tags, still encoded: `xml.slice(from, to)`, taken only where wanted */
  text(xml: string, from: number, to: number): void;
}

const localName = (qualified: string) => {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
};

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Where a comment, a processing instruction or CDATA at `lt` ends (CDATA given to the visitor as text). */
function skipSpecial(xml: string, lt: number, visit: XmlVisitor): number {
  const end = (marker: string, from: number) => {
    const at = xml.indexOf(marker, from);
    if (at < 0) throw new XlsxBroken(`unterminated ${marker}`);
    return at;
  };
  if (xml.charCodeAt(lt + 1) === 63 /* ? */) return end('?>', lt + 2) + 2;
  if (xml.startsWith('<!--', lt)) return end('-->', lt + 4) + 3;
  if (xml.startsWith('<![CDATA[', lt)) {
    const close = end(']]>', lt + 9);
    // Character data needs no decoding: encode the two characters the visitor will decode again.
    const data = xml
      .slice(lt + 9, close)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;');
    visit.text(data, 0, data.length);
    return close + 3;
  }
  throw new XlsxBroken('document type declarations are not read');
}

/** Where the tag started before `from` ends: the first `>` outside quotes. */
function tagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let end = from; end < xml.length; end++) {
    const c = xml.charCodeAt(end);
    if (quote) quote = c === quote ? 0 : quote;
    else if (c === 34 || c === 39) quote = c;
    else if (c === 62 /* > */) return end;
  }
  throw new XlsxBroken('unterminated tag');
}

/**
 * Walks the tags of an XML text in order. Comments and processing instructions are skipped, CDATA
 * is character data; a `>` inside a quoted attribute value does not end its tag.
 */
export function scanXml(xml: string, visit: XmlVisitor): void {
  let at = 0;
  const n = xml.length;
  while (at < n) {
    const lt = xml.indexOf('<', at);
    if (lt < 0) {
      visit.text(xml, at, n);
      return;
    }
    if (lt > at) visit.text(xml, at, lt);
    const next = xml.charCodeAt(lt + 1);
    if (next === 63 /* ? */ || next === 33 /* ! */) {
      at = skipSpecial(xml, lt, visit);
      continue;
    }
    const end = tagEnd(xml, lt + 1);
    if (next === 47 /* / */) visit.close(localName(xml.slice(lt + 2, end).trim()));
    else {
      const selfClosing = xml.charCodeAt(end - 1) === 47;
      const to = selfClosing ? end - 1 : end;
      let space = lt + 1;
      while (space < to && !isSpace(xml.charCodeAt(space))) space++;
      const name = localName(xml.slice(lt + 1, space));
      visit.open(name, space, to, selfClosing);
      if (selfClosing) visit.close(name);
    }
    at = end + 1;
  }
}

/** The attribute `nextAttribute` last read: its local name and where its (still encoded) value lies. */
const attribute = { name: '', from: 0, to: 0 };

/**
 * Reads the attribute at or after `i` (up to `to`) into `attribute` and returns where the next may
 * start, or -1 when there is none. Names are local (`r:id` as `id`).
 */
function nextAttribute(xml: string, i: number, to: number): number {
  while (i < to && isSpace(xml.charCodeAt(i))) i++;
  if (i >= to) return -1;
  const eq = xml.indexOf('=', i);
  if (eq < 0 || eq >= to) throw new XlsxBroken('attribute without a value');
  let q = eq + 1;
  while (q < to && isSpace(xml.charCodeAt(q))) q++;
  const quote = xml.charCodeAt(q);
  if (quote !== 34 && quote !== 39) throw new XlsxBroken('attribute without quotes');
  const close = xml.indexOf(quote === 34 ? '"' : "'", q + 1);
  if (close < 0 || close >= to) throw new XlsxBroken('unterminated attribute');
  attribute.name = localName(xml.slice(i, eq).trim());
  attribute.from = q + 1;
  attribute.to = close;
  return close + 1;
}

/** An element's attributes by local name, values decoded. */
export function attributesOf(xml: string, from: number, to: number): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = nextAttribute(xml, from, to); i >= 0; i = nextAttribute(xml, i, to))
    out.set(attribute.name, decodeXml(xml.slice(attribute.from, attribute.to)));
  return out;
}

// ---- the parts

export interface SheetEntry {
  name: string;
  /** the zip entry of its cells */
  path: string;
  /** hidden in the workbook (lists behind a drop-down, working sheets) */
  hidden: boolean;
}

/** The worksheets in the workbook's order (chart sheets left out), and whether dates count from 1904. */
export function readWorkbook(workbookXml: string, relsXml: string): { sheets: SheetEntry[]; date1904: boolean } {
  const targets = new Map<string, string>();
  scanXml(relsXml, {
    open(name, from, to) {
      if (name !== 'Relationship') return;
      const a = attributesOf(relsXml, from, to);
      if (/\/worksheet$/.test(a.get('Type') ?? '')) targets.set(a.get('Id') ?? '', a.get('Target') ?? '');
    },
    close() {},
    text() {},
  });
  const sheets: SheetEntry[] = [];
  let date1904 = false;
  scanXml(workbookXml, {
    open(name, from, to) {
      if (name === 'workbookPr') {
        const v = attributesOf(workbookXml, from, to).get('date1904');
        date1904 = v === '1' || v === 'true';
      }
      if (name !== 'sheet') return;
      const a = attributesOf(workbookXml, from, to);
      const target = targets.get(a.get('id') ?? '');
      if (target === undefined) return;
      const state = a.get('state');
      sheets.push({
        name: a.get('name') ?? '',
        path: partPath(target),
        hidden: state === 'hidden' || state === 'veryHidden',
      });
    },
    close() {},
    text() {},
  });
  return { sheets, date1904 };
}

/** A relationship's target as a zip entry name: relative to xl/, or absolute from the package root. */
function partPath(target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `xl/${target}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

/** The shared strings, each the text of its runs (phonetic guides left out). */
export function readSharedStrings(xml: string): string[] {
  const out: string[] = [];
  let text: string[] | null = null;
  let piece: string[] | null = null;
  let phonetic = 0;
  scanXml(xml, {
    open(name, _from, _to, selfClosing) {
      if (name === 'si') text = [];
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && text && phonetic === 0 && !selfClosing) piece = [];
    },
    close(name) {
      if (name === 't' && piece && text) {
        text.push(undoExcelEscapes(decodeXml(piece.join(''))));
        piece = null;
      } else if (name === 'rPh') phonetic--;
      else if (name === 'si' && text) {
        out.push(text.join(''));
        text = null;
      }
    },
    text(source, from, to) {
      if (piece) piece.push(source.slice(from, to));
    },
  });
  return out;
}

/** For each cell style (the `s` of a cell), what its number format makes of a number (xlsx-formats.ts). */
export function readNumberFormats(xml: string): NumberKind[] {
  const custom = new Map<number, string>();
  const styles: NumberKind[] = [];
  let inCellXfs = false;
  let inNumFmts = false;
  const xfs: number[] = [];
  scanXml(xml, {
    open(name, from, to) {
      // Formats of the list only: those of conditional formatting (<dxfs>) may reuse the same ids.
      if (name === 'numFmt' && inNumFmts) {
        const a = attributesOf(xml, from, to);
        custom.set(Number(a.get('numFmtId')), a.get('formatCode') ?? '');
      } else if (name === 'numFmts') inNumFmts = true;
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfs.push(Number(attributesOf(xml, from, to).get('numFmtId') ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
      else if (name === 'numFmts') inNumFmts = false;
    },
    text() {},
  });
  for (const id of xfs) {
    const code = custom.get(id);
    styles.push(code !== undefined ? formatKind(code) : builtInKind(id));
  }
  return styles;
}

// ---- a worksheet

export interface SheetContext {
  sharedStrings: string[];
  /** what each cell style's number format makes of a number */
  formats: NumberKind[];
  date1904: boolean;
  /** rows a sheet may reach (its last row number), checked before its table is built */
  maxRows: number;
  /** columns kept (the rest of a wider sheet is not read) */
  maxColumns: number;
  /** cells the workbook's tables may still hold (rows × columns, blanks included), shared by its sheets */
  budget: { cells: number };
}

/** The tables of a workbook would hold more cells than an import reads. */
export class TooManyCells extends Error {}

/** A row's or a merge's last row number past the limit: the sheet is refused before anything is built. */
export class SheetTooLong extends Error {
  constructor(readonly rows: number) {
    super(`sheet reaches row ${rows}`);
  }
}

/** `B12` → column 2, row 12; a reference without its row gives row 0. */
function cellRef(ref: string): { column: number; row: number } {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) column = column * 26 + (c - 64);
    else if (c >= 97 && c <= 122) column = column * 26 + (c - 96);
    else break;
  }
  const row = Number(ref.slice(i));
  return { column, row: Number.isInteger(row) ? row : 0 };
}

/** The cell being read: where it is, its type and style, and its value's pieces as they come. */
interface CellState {
  row: number;
  column: number;
  type: string;
  style: number;
  value: string[] | null;
  inline: string[] | null;
}

/** A number cell's text as its format gives it; text that is no number stays as written. */
function numberCell(raw: string, ctx: SheetContext, style: number): string {
  const value = parseFloat(raw);
  if (Number.isNaN(value)) return raw.trim();
  return numberText(value, ctx.formats[style] ?? builtInKind(0), ctx.date1904);
}

/** A cell's text from its parts, as the module comment says. */
function cellText(cell: CellState, ctx: SheetContext): string {
  if (cell.type === 'inlineStr' && cell.inline) return cell.inline.join('');
  const raw = cell.value ? decodeXml(cell.value.join('')) : '';
  if (raw === '') return '';
  switch (cell.type) {
    case 's':
      return ctx.sharedStrings[Number.parseInt(raw, 10)] ?? '';
    case 'str':
    case 'inlineStr':
      return raw;
    case 'b':
      return String(Number.parseInt(raw, 10) !== 0);
    case 'e':
      return '';
    case 'd':
      // The day as written: a date-time without a zone is the same day wherever the server runs.
      return /^\d{4}-\d{2}-\d{2}/.exec(raw.trim())?.[0] ?? raw;
    default:
      return numberCell(raw, ctx, cell.style);
  }
}

interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** A merge's range (`A1:C2`), null when it names no cell. */
function mergeOf(ref: string): Merge | null {
  const [from = '', to = from] = ref.split(':');
  const a = cellRef(from);
  const b = cellRef(to);
  const m = {
    top: Math.min(a.row, b.row),
    left: Math.min(a.column, b.column),
    bottom: Math.max(a.row, b.row),
    right: Math.max(a.column, b.column),
  };
  return m.top < 1 || m.left < 1 ? null : m;
}

/** The cell an opening `<c …>` starts: its reference (or the next column of the row), type and style. */
function openCell(xml: string, from: number, to: number, row: number, previousColumn: number): CellState {
  let ref = '';
  let type = 'n';
  let style = 0;
  for (let i = nextAttribute(xml, from, to); i >= 0; i = nextAttribute(xml, i, to)) {
    const { name } = attribute;
    if (name === 'r') ref = xml.slice(attribute.from, attribute.to);
    else if (name === 't') type = xml.slice(attribute.from, attribute.to);
    else if (name === 's') style = Number(xml.slice(attribute.from, attribute.to));
  }
  const at = ref ? cellRef(ref) : { column: previousColumn + 1, row: 0 };
  if (at.column < 1) throw new XlsxBroken('cell reference');
  return { row: at.row || row, column: at.column, type, style, value: null, inline: null };
}

/** The table of a sheet's cells as they were read: rows of columns, holes where nothing was written. */
class Cells {
  readonly rows: (string[] | undefined)[] = [];
  readonly merges: Merge[] = [];
  lastRow = 0;
  lastColumn = 0;
  private mergedCells = 0;
  constructor(private readonly ctx: SheetContext) {}

  reach(row: number): void {
    if (row > this.ctx.maxRows) throw new SheetTooLong(row);
    if (row > this.lastRow) this.lastRow = row;
  }

  put(cell: CellState): void {
    this.reach(cell.row);
    if (cell.column > this.ctx.maxColumns || cell.row < 1) return;
    const text = cellText(cell, this.ctx);
    // A formatted cell holding nothing does not widen the table.
    if (text === '') return;
    if (cell.column > this.lastColumn) this.lastColumn = cell.column;
    (this.rows[cell.row] ??= [])[cell.column] = text;
  }

  merge(m: Merge): void {
    this.reach(m.bottom);
    // Merges do not overlap in a sound file: together they cover at most the sheet's cells (each counts
    // one cell a row at least, so that many merges outside the columns read cost what they cover).
    const width = Math.max(1, Math.min(m.right, this.ctx.maxColumns) - m.left + 1);
    this.mergedCells += (m.bottom - m.top + 1) * width;
    if (this.mergedCells > this.ctx.maxRows * this.ctx.maxColumns) throw new XlsxBroken('overlapping merges');
    if (m.left > this.ctx.maxColumns) return;
    if (m.right > this.lastColumn) this.lastColumn = m.right;
    this.merges.push(m);
  }

  /** As many rows as the last, as many columns as the widest (at most the limit), merged cells blank. */
  table(): string[][] {
    const width = Math.min(this.lastColumn, this.ctx.maxColumns);
    // The workbook's tables together stay within the cells an import reads, before any is built.
    this.ctx.budget.cells -= this.lastRow * width;
    if (this.ctx.budget.cells < 0) throw new TooManyCells();
    const table: string[][] = [];
    for (let r = 1; r <= this.lastRow; r++) {
      const line = this.rows[r];
      const out = new Array<string>(width);
      for (let c = 1; c <= width; c++) out[c - 1] = line?.[c] ?? '';
      table.push(out);
    }
    for (const m of this.merges)
      for (let r = m.top; r <= m.bottom; r++) {
        const line = table[r - 1]!;
        // The top left cell keeps its text; the others of the merge read blank.
        for (let c = r === m.top ? m.left + 1 : m.left; c <= Math.min(m.right, width); c++) line[c - 1] = '';
      }
    return table;
  }
}

/**
 * A worksheet as a table of text: as many rows as its last row (cells or merges), as many columns as
 * its widest row (at most `maxColumns`), cells covered by a merge blank.
 */
export function readSheet(xml: string, ctx: SheetContext): string[][] {
  const cells = new Cells(ctx);
  let row = 0;
  let column = 0;
  let cell: CellState | null = null;
  let capture: string[] | null = null;
  let phonetic = 0;
  scanXml(xml, {
    open(name, from, to, selfClosing) {
      if (name === 'c') {
        // A self-closing cell is closed by the scanner right after (and counts for the sheet's width).
        cell = openCell(xml, from, to, row, column);
        column = cell.column;
      } else if (cell) {
        if (name === 'v' && !selfClosing) capture = cell.value = [];
        else if (name === 'is') cell.inline = [];
        else if (name === 'rPh') phonetic++;
        else if (name === 't' && cell.inline && phonetic === 0 && !selfClosing) capture = [];
      } else if (name === 'row') {
        const r = attributesOf(xml, from, to).get('r');
        row = r ? Number(r) : row + 1;
        if (!Number.isInteger(row) || row < 1) throw new XlsxBroken('row number');
        column = 0;
        cells.reach(row);
      } else if (name === 'mergeCell') {
        const m = mergeOf(attributesOf(xml, from, to).get('ref') ?? '');
        if (m) cells.merge(m);
      }
    },
    close(name) {
      if (!cell) return;
      if (name === 'c') {
        cells.put(cell);
        cell = null;
        capture = null;
      } else if (name === 'v') capture = null;
      else if (name === 'rPh') phonetic--;
      else if (name === 't' && capture && cell.inline) {
        cell.inline.push(undoExcelEscapes(decodeXml(capture.join(''))));
        capture = null;
      }
    },
    text(source, from, to) {
      if (capture) capture.push(source.slice(from, to));
    },
  });
  return cells.table();
}
