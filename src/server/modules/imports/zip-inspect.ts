import zlib from 'node:zlib';
import { AppError } from '../../http/errors.js';

/**
 * What an .xlsx really holds, measured by inflating it — not what its directory declares. Every
 * entry is inflated as a stream and thrown away chunk by chunk: the inflated bytes are counted
 * against a budget, and in worksheets the rows and cells are counted against theirs, so that a file
 * of millions of tiny rows is refused after reading a few kilobytes past the limit, before any
 * spreadsheet library builds it in memory. ZIP64 (for files over 4 GB) is refused outright: no
 * upload of this size limit needs it, and its sizes are where bombs hide.
 */

export interface ZipBudget {
  /** inflated bytes of all entries together */
  unpackedBytes: number;
  /** rows of any one worksheet */
  rows: number;
  /** cells of all worksheets together */
  cells: number;
  entries: number;
}

export interface ZipReport {
  entries: number;
  unpackedBytes: number;
  sheets: { name: string; rows: number; cells: number }[];
  /** the inflated contents of the entries asked for (`keep`), within the same budget */
  files: Map<string, Buffer>;
}

const refuse = (message: string) => new AppError('VALIDATION', message);
const BOMB = '展開後の大きさが異常なファイルのため読み込みを中止しました（圧縮爆弾の可能性があります）';
const BROKEN = 'Excel ファイル（.xlsx）として読めません。ファイルが壊れていないか確認してください';

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

function centralDirectory(buf: Buffer, maxEntries: number): Entry[] {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) !== 0x06054b50) continue;
    // A ZIP64 end-of-directory locator sits just before the classic record.
    if (i >= 20 && buf.readUInt32LE(i - 20) === 0x07064b50)
      throw refuse('ZIP64 形式のファイルは取り込めません。Excel で .xlsx として保存し直してください');
    const count = buf.readUInt16LE(i + 10);
    const offset = buf.readUInt32LE(i + 16);
    if (count === 0xffff || offset === 0xffffffff)
      throw refuse('ZIP64 形式のファイルは取り込めません。Excel で .xlsx として保存し直してください');
    if (count > maxEntries) throw refuse(BOMB);
    const entries: Entry[] = [];
    let p = offset;
    for (let n = 0; n < count; n++) {
      if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw refuse(BROKEN);
      const method = buf.readUInt16LE(p + 10);
      const compressedSize = buf.readUInt32LE(p + 20);
      const declared = buf.readUInt32LE(p + 24);
      const nameLength = buf.readUInt16LE(p + 28);
      const localOffset = buf.readUInt32LE(p + 42);
      if (compressedSize === 0xffffffff || declared === 0xffffffff || localOffset === 0xffffffff)
        throw refuse('ZIP64 形式のファイルは取り込めません。Excel で .xlsx として保存し直してください');
      entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLength), method, compressedSize, localOffset });
      p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    }
    return entries;
  }
  throw refuse(BROKEN);
}

function entryData(buf: Buffer, e: Entry): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) throw refuse(BROKEN);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw refuse(BROKEN);
  return buf.subarray(start, start + e.compressedSize);
}

/** Counts row and cell start tags (`<row …>`, `<c …>`, with or without a namespace prefix) across chunk boundaries. */
class TagCounter {
  rows = 0;
  cells = 0;
  private tail = '';
  private static readonly TAG = /<(?:[\w.-]{1,20}:)?(row|c)[\s>/]/g;
  /** characters held back for the next chunk: a tag may be cut between two chunks */
  private static readonly KEEP = 32;
  feed(chunk: string, last = false): void {
    const text = this.tail + chunk;
    const cutoff = last ? text.length : Math.max(0, text.length - TagCounter.KEEP);
    TagCounter.TAG.lastIndex = 0;
    for (let m = TagCounter.TAG.exec(text); m && m.index < cutoff; m = TagCounter.TAG.exec(text)) {
      if (m[1] === 'row') this.rows++;
      else this.cells++;
    }
    this.tail = text.slice(cutoff);
  }
}

function inflate(data: Buffer, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const z = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
    z.on('data', (chunk: Buffer) => {
      try {
        onChunk(chunk);
      } catch (e) {
        z.destroy();
        reject(e);
      }
    });
    z.on('error', () => reject(refuse(BROKEN)));
    z.on('end', resolve);
    z.end(data);
  });
}

/**
 * Inflates every entry within the budget, counting worksheet rows and cells; the entries `keep`
 * names are kept whole (the reader's parts), the others thrown away chunk by chunk.
 */
export async function inspectXlsx(
  buf: Buffer,
  budget: ZipBudget,
  keep: (name: string) => boolean = () => false,
): Promise<ZipReport> {
  const entries = centralDirectory(buf, budget.entries);
  let unpacked = 0;
  let cells = 0;
  const sheets: ZipReport['sheets'] = [];
  const files = new Map<string, Buffer>();
  for (const e of entries) {
    const data = entryData(buf, e);
    const sheet = /^xl\/worksheets\/[^/]+\.xml$/.test(e.name) ? new TagCounter() : null;
    const decoder = sheet ? new TextDecoder('utf-8') : null;
    const kept: Buffer[] | null = keep(e.name) ? [] : null;
    const take = (chunk: Buffer) => {
      unpacked += chunk.length;
      if (unpacked > budget.unpackedBytes) throw refuse(BOMB);
      kept?.push(chunk);
      if (!sheet || !decoder) return;
      sheet.feed(decoder.decode(chunk, { stream: true }));
      if (sheet.rows > budget.rows)
        throw refuse(
          `シート（${e.name.replace(/^xl\/worksheets\//, '')}）の行数が多すぎます（上限 ${budget.rows}行）。分けて取り込んでください`,
        );
      if (cells + sheet.cells > budget.cells)
        throw refuse(`セルの数が多すぎます（上限 ${budget.cells}個）。分けて取り込んでください`);
    };
    if (e.method === 0) take(data);
    else if (e.method === 8) await inflate(data, take);
    else throw refuse(BROKEN);
    if (sheet && decoder) {
      sheet.feed(decoder.decode(), true);
      if (sheet.rows > budget.rows)
        throw refuse(
          `シート（${e.name.replace(/^xl\/worksheets\//, '')}）の行数が多すぎます（上限 ${budget.rows}行）。分けて取り込んでください`,
        );
      cells += sheet.cells;
      sheets.push({ name: e.name, rows: sheet.rows, cells: sheet.cells });
    }
    if (kept) files.set(e.name, Buffer.concat(kept));
  }
  return { entries: entries.length, unpackedBytes: unpacked, sheets, files };
}
