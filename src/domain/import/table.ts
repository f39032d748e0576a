/**
 * Tables as they arrive for import: pasted from Excel or from a PDF, read from CSV or .xlsx. A
 * table is rows of text cells; the helpers here clean up what real onboarding meets — HTML list
 * fragments, repeated page headers, blanks left by merged cells — before any row is mapped.
 */
export type Table = string[][];

/**
 * Tab-separated text as Excel puts it on the clipboard: a cell holding a line break, a tab or a
 * quote is wrapped in quotes, with quotes doubled. Text copied from a PDF has no such quoting and
 * reads the same way, one line a row.
 */
export function parseTsv(text: string, maxRows = Infinity): Table {
  return parseDelimited(text, '\t', maxRows);
}

/** A table longer than the import takes: refused while reading, before the rest is built. */
export class TooManyRows extends Error {
  constructor(readonly limit: number) {
    super(`行数が多すぎます（上限 ${limit}行）。分けて取り込んでください`);
  }
}

export function parseDelimited(text: string, delimiter: string, maxRows = Infinity): Table {
  const rows: Table = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let atCellStart = true;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '\r' && src[i + 1] === '\n') continue;
      // A doubled quote inside quotes is one quote; a single one ends the quoted part.
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
      continue;
    }
    if (c === '"' && atCellStart) {
      quoted = true;
      atCellStart = false;
      continue;
    }
    if (c === delimiter) {
      row.push(cell);
      cell = '';
      atCellStart = true;
      continue;
    }
    if (c === '\r' && src[i + 1] === '\n') continue;
    if (c === '\n' || c === '\r') {
      row.push(cell);
      rows.push(row);
      if (rows.length > maxRows) throw new TooManyRows(maxRows);
      row = [];
      cell = '';
      atCellStart = true;
      continue;
    }
    cell += c;
    atCellStart = false;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
    if (rows.length > maxRows) throw new TooManyRows(maxRows);
  }
  return rows;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/**
 * Turns HTML list fragments left in extracted text (<ul><li>…</li></ul>, <p>…</p>, <br>) into
 * plain lines; text without tags is only trimmed. Lists without <li> (「<ul …> 項目 項目 </ul>」, as
 * PDF extraction leaves them) keep their words as they stand.
 */
export function htmlToText(input: string): string {
  if (!/<\/?(ul|ol|li|p|br|div|span)\b/i.test(input)) return input.trim();
  return input
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n・')
    .replace(/<\/(p|li|div|ul|ol)>/gi, '\n')
    .replace(/<(p|div|ul|ol)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '')
    .split('\n')
    .map((l) => l.replace(/[ \t\u3000]+/g, ' ').trim())
    .filter((l) => l !== '')
    .join('\n');
}

const squash = (s: string) => s.replace(/[\s\u3000]+/g, '');
const SPACE = /[\s\u3000]/;

/** The first row whose cells contain all the given header words (spaces ignored). */
export function findHeaderRow(table: Table, words: string[], from = 0): number {
  const wanted = words.map(squash);
  for (let r = from; r < table.length; r++) {
    const cells = table[r]!.map(squash);
    if (wanted.every((w) => cells.includes(w))) return r;
  }
  return -1;
}

/** A header's cells squashed once, however many rows are compared with it. */
const squashedHeaders = new WeakMap<string[], string[]>();

/** Whether a row repeats the header row, as a PDF's every page does. */
export function isRepeatedHeader(row: string[], header: string[]): boolean {
  let b = squashedHeaders.get(header);
  if (!b) squashedHeaders.set(header, (b = header.map(squash).filter(Boolean)));
  // Counted cell by cell (every line of a file comes here): a cell without spaces is its own squashed form.
  let filled = 0;
  let matches = 0;
  for (const c of row) {
    const cell = SPACE.test(c) ? squash(c) : c;
    if (!cell) continue;
    filled++;
    if (b.includes(cell)) matches++;
  }
  if (filled === 0 || filled < b.length * 0.6) return false;
  return matches >= Math.max(2, Math.ceil(b.length * 0.6));
}

export function isBlankRow(row: string[]): boolean {
  return row.every((c) => c.trim() === '');
}

/** Fills blanks in the given columns from the row above: what merged cells left empty. */
export function fillDown(rows: string[][], columns: number[]): string[][] {
  const last = new Map<number, string>();
  return rows.map((row) => {
    const out = [...row];
    for (const c of columns) {
      const v = (out[c] ?? '').trim();
      if (v) last.set(c, out[c]!);
      else if (last.has(c)) out[c] = last.get(c)!;
    }
    return out;
  });
}
