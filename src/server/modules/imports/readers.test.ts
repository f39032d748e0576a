import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { zipOfTexts } from '../../faults/hostile-files.js';
import { refusalMessage } from '../../testing/refusal.js';
import { decodeText, readDelimited, readXlsx } from './readers.js';
import { inspectXlsx } from './zip-inspect.js';

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A one-entry ZIP whose directory says what we want it to say. */
function zip(name: string, data: Buffer, declaredSize = data.length): Buffer {
  const packed = zlib.deflateRawSync(data);
  const nameBuf = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(nameBuf.length, 28);
  const body = Buffer.concat([local, nameBuf, packed]);
  const dir = Buffer.concat([central, nameBuf]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, dir, end]);
}

describe('reading .xlsx', () => {
  it('reads every sheet, leaves cells covered by a merge blank, and takes formulas by their value', async () => {
    const buf = await workbook((wb) => {
      const ws = wb.addWorksheet('体系');
      ws.addRow(['主要課題', '施策', '事業', '目標']);
      ws.addRow(['(1) 啓発', '① 広報', '講座', 4]);
      ws.addRow(['', '', '相談', { formula: 'D2*2', result: 8 }]);
      ws.mergeCells('A2:A3');
      ws.getCell('B3').value = { richText: [{ text: '② ' }, { text: '情報' }] };
      wb.addWorksheet('課別').addRow(['課', '件数']);
    });
    const { sheets } = await readXlsx(buf);
    expect(sheets.map((s) => s.name)).toEqual(['体系', '課別']);
    expect(sheets[0]!.table).toEqual([
      ['主要課題', '施策', '事業', '目標'],
      ['(1) 啓発', '① 広報', '講座', '4'],
      ['', '② 情報', '相談', '8'],
    ]);
  });

  it('refuses a corrupt file, a password-protected one and a zip bomb in Japanese', async () => {
    expect(await refusalMessage(readXlsx(Buffer.from('これは Excel ではありません')))).toContain(
      'Excel ファイル（.xlsx）として読めません',
    );
    const truncated = (await workbook((wb) => wb.addWorksheet('a').addRow(['x']))).subarray(0, 300);
    expect(await refusalMessage(readXlsx(truncated))).toContain('読めません');
    const ole = Buffer.alloc(512);
    ole.writeUInt32BE(0xd0cf11e0, 0);
    expect(await refusalMessage(readXlsx(ole))).toContain('パスワードで保護');
    // 300 MB of nothing: refused once the inflated bytes pass the budget, whatever the directory says.
    const bomb = zip('xl/worksheets/sheet1.xml', Buffer.alloc(300 * 1024 * 1024), 1000);
    expect(await refusalMessage(readXlsx(bomb))).toContain('圧縮爆弾');
  });

  it('measures what a zip really holds, not what its directory declares', async () => {
    const budget = { unpackedBytes: 1024 * 1024, rows: 100, cells: 1000, entries: 10 };
    expect(await inspectXlsx(zip('a.txt', Buffer.from('hello'), 3_000_000_000), budget)).toMatchObject({
      entries: 1,
      unpackedBytes: 5,
    });
    await expect(inspectXlsx(zip('a.txt', Buffer.alloc(2 * 1024 * 1024), 10), budget)).rejects.toThrow('圧縮爆弾');
  });

  it('counts the rows of a sheet while inflating it and stops past the limit', async () => {
    const rows = (n: number, prefix = '') =>
      `<worksheet><sheetData>${Array.from({ length: n }, (_, i) => `<${prefix}row r="${i + 1}"><${prefix}c r="A${i + 1}"><v>1</v></${prefix}c></${prefix}row>`).join('')}</sheetData></worksheet>`;
    const budget = { unpackedBytes: 50 * 1024 * 1024, rows: 20_000, cells: 2_000_000, entries: 10 };
    expect((await inspectXlsx(zip('xl/worksheets/sheet1.xml', Buffer.from(rows(20_000))), budget)).sheets).toEqual([
      { name: 'xl/worksheets/sheet1.xml', rows: 20_000, cells: 20_000 },
    ]);
    await expect(inspectXlsx(zip('xl/worksheets/sheet1.xml', Buffer.from(rows(20_001))), budget)).rejects.toThrow(
      '行数が多すぎます',
    );
    // A namespace prefix does not hide the rows.
    await expect(inspectXlsx(zip('xl/worksheets/sheet1.xml', Buffer.from(rows(20_001, 'x:'))), budget)).rejects.toThrow(
      '行数が多すぎます',
    );
    expect(await refusalMessage(readXlsx(zip('xl/worksheets/sheet1.xml', Buffer.from(rows(30_000)))))).toContain(
      '行数が多すぎます（上限 20000行）',
    );
  });

  it('says how to save a LibreOffice .ods as .xlsx', async () => {
    const ods = zipOfTexts({
      mimetype: 'application/vnd.oasis.opendocument.spreadsheet',
      'content.xml': '<office:document-content/>',
    });
    expect(await refusalMessage(readXlsx(ods))).toContain('OpenDocument 形式（.ods）のファイルは読み込めません');
  });

  it('refuses ZIP64', async () => {
    const z = zip('a.txt', Buffer.from('hello'));
    const end = z.length - 22;
    z.writeUInt16LE(0xffff, end + 10);
    expect(await refusalMessage(readXlsx(z))).toContain('ZIP64');
  });
});

describe('reading CSV and text', () => {
  const rows = '番号,事業名,実績\n1,講座,"1,234人"\n';
  it('detects UTF-8 with BOM, UTF-8, UTF-16 and Shift_JIS', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rows)])).encoding).toBe('utf-8-bom');
    expect(decodeText(Buffer.from(rows)).encoding).toBe('utf-8');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows, 'utf16le')])).encoding).toBe(
      'utf-16le',
    );
    const sjis = iconv.encode(rows, 'cp932');
    expect(decodeText(sjis)).toEqual({ text: rows, encoding: 'shift_jis' });
  });
  it('reads CP932-only characters such as ①, ㈱ and 髙', () => {
    const text = '施策,会社,氏名\n①,㈱サンプル,髙橋\n';
    expect(readDelimited(iconv.encode(text, 'cp932')).table[1]).toEqual(['①', '㈱サンプル', '髙橋']);
  });
  it('picks tab or comma by what the file uses', () => {
    expect(readDelimited(Buffer.from('a\tb,c\td\n1\t2,3\t4\n'))).toMatchObject({
      delimiter: '\t',
      table: [
        ['a', 'b,c', 'd'],
        ['1', '2,3', '4'],
      ],
    });
    expect(readDelimited(Buffer.from(rows)).table[1]).toEqual(['1', '講座', '1,234人']);
  });
  it('refuses binary data and too many rows', () => {
    expect(() => readDelimited(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toThrow('CSV');
    expect(() => readDelimited(Buffer.from('a\n'.repeat(100_001)))).toThrow('行数が多すぎます');
  });
});
