import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { zipOfTexts } from '../../faults/hostile-files.js';
import { refusalMessage } from '../../testing/refusal.js';
import { readXlsx } from './readers.js';

/**
 * The .xlsx reader against what a spreadsheet library reads from the same files (exceljs, which
 * wrote them), and against hand-written parts for what other producers write and the library
 * misreads: Japanese built-in date formats, ふりがな, ISO dates, prefixed XML, cells without
 * references, dates from formulas.
 */

/** The text the import took from a cell when it read through exceljs: the reference. */
function libraryText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) {
    const result = 'result' in v ? v.result : undefined;
    if (result === undefined || result === null || typeof result === 'object') return '';
    return String(result);
  }
  if ('text' in v) return String(v.text);
  return '';
}

async function libraryRead(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  // exceljs's typings declare a Buffer of their own; it reads Node's Buffer.
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const width = Math.min(ws.columnCount, 100);
    const table: string[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        cells.push(cell.isMerged && cell.master !== cell ? '' : libraryText(cell));
      }
      table.push(cells);
    }
    return { name: ws.name, table };
  });
}

async function built(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const WORKSHEET = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';

/** A workbook written by hand: its sheets' XML, and optionally shared strings, styles and the 1904 system. */
function handWritten(opts: {
  sheets: { name: string; xml: string }[];
  shared?: string;
  styles?: string;
  date1904?: boolean;
  prefix?: string;
  /** sheets marked hidden in the workbook */
  hidden?: string[];
  /** every sheet names the first one's part */
  samePart?: boolean;
}): Buffer {
  const p = opts.prefix ?? '';
  const entries: Record<string, string> = {
    '[Content_Types].xml': '<?xml version="1.0"?><Types/>',
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<${p}workbook ${p ? NS.replace('xmlns=', `xmlns:${p.slice(0, -1)}=`) : NS} ${REL_NS}>${opts.date1904 ? `<${p}workbookPr date1904="1"/>` : ''}<${p}sheets>${opts.sheets
      .map(
        (s, i) =>
          `<${p}sheet name="${s.name}" sheetId="${i + 7}" r:id="rId${opts.samePart ? 1 : i + 1}"${opts.hidden?.includes(s.name) ? ' state="hidden"' : ''}/>`,
      )
      .join('')}</${p}sheets></${p}workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${opts.sheets
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="${WORKSHEET}" Target="${i % 2 ? '/xl/' : ''}worksheets/part${i + 1}.xml"/>`,
      )
      .join('')}</Relationships>`,
  };
  opts.sheets.forEach((s, i) => (entries[`xl/worksheets/part${i + 1}.xml`] = s.xml));
  if (opts.shared) entries['xl/sharedStrings.xml'] = opts.shared;
  if (opts.styles) entries['xl/styles.xml'] = opts.styles;
  return zipOfTexts(entries);
}

const sheetXml = (rows: string, extra = '') =>
  `<?xml version="1.0"?><worksheet ${NS}><sheetData>${rows}</sheetData>${extra}</worksheet>`;

describe('the .xlsx reader', () => {
  it('reads what a spreadsheet library reads from the same workbook, cell for cell', async () => {
    const buf = await built((wb) => {
      const ws = wb.addWorksheet('事業一覧');
      ws.addRow(['基本目標', '施策', '番号', '事業名', '担当課', '目標', '実績', '率', '日付', '真偽']);
      for (let i = 1; i <= 60; i++)
        ws.addRow([
          i % 20 === 1 ? `Ⅰ 基本目標${i}` : '',
          i % 5 === 1 ? `(${i}) 施策 & "引用" <b>` : null,
          i,
          `事業${i}\n改行あり\t타브 😀`,
          `推進${i % 7}課`,
          i * 1.5,
          { formula: `F${i + 1}*2`, result: i * 3 },
          i / 7,
          '',
          i % 11 === 0 ? i % 2 === 0 : '',
        ]);
      ws.getCell('K3').value = { richText: [{ text: '太字', font: { bold: true } }, { text: 'と普通' }] };
      ws.getCell('K4').value = { text: 'リンク', hyperlink: 'https://example.jp/' };
      ws.getCell('K5').value = { formula: 'NA()', result: { error: '#N/A' } };
      ws.getCell('K6').value = { formula: 'A1&"x"', result: '基本目標x' };
      ws.getCell('K7').value = { formula: 'RAND()' };
      ws.getCell('K8').value = '  前後に空白  ';
      ws.getCell('L70').value = '離れたセル';
      ws.mergeCells('A2:A21');
      ws.mergeCells('D30:F31');
      ws.getCell('O2').numFmt = '"第"0"回"';
      ws.getCell('O2').value = 3;
      const second = wb.addWorksheet('空');
      second.getCell('C3').value = null;
      wb.addWorksheet('課別').addRow(['課', '件数', 1e21, -0.000001]);
    });
    const mine = await readXlsx(buf);
    expect(mine.sheets).toEqual(await libraryRead(buf));
    expect(mine.sheets[0]!.table[1]![3]).toBe('事業1\n改行あり\t타브 😀');
    // A date reads as its format shows it (the library gives ISO dates): checked here on its own.
    const dated = await built((wb) => {
      const ws = wb.addWorksheet('日付');
      ws.getCell('A1').numFmt = 'yyyy"年"m"月"d"日"';
      ws.getCell('A1').value = new Date(Date.UTC(2025, 2, 31));
      ws.getCell('B1').value = new Date(Date.UTC(2024, 3, 9));
    });
    expect((await readXlsx(dated)).sheets[0]!.table).toEqual([['2025年3月31日', '2024/4/9']]);
    // A budget shown in thousands (1,500千円) reads as shown, not as the 1500000 the cell holds.
    const budget = await built((wb) => {
      const ws = wb.addWorksheet('予算');
      ws.getCell('A1').numFmt = '#,##0,"千円"';
      ws.getCell('A1').value = 1500000;
      ws.getCell('B1').numFmt = '#,##0"円"';
      ws.getCell('B1').value = 1500000;
    });
    expect((await readXlsx(budget)).sheets[0]!.table).toEqual([['1500千円', '1500000']]);
  });

  it('reads many sheets and wide rows as the library does, the 100th column being the last', async () => {
    const buf = await built((wb) => {
      for (let s = 0; s < 3; s++) {
        const ws = wb.addWorksheet(`シート${s}`);
        for (let r = 1; r <= 30; r++)
          ws.addRow(Array.from({ length: 120 }, (_, c) => ((c + r + s) % 4 ? `${s}-${r}-${c}` : null)));
      }
    });
    const mine = await readXlsx(buf);
    expect(mine.sheets).toEqual(await libraryRead(buf));
    expect(mine.sheets[2]!.table[0]).toHaveLength(100);
  });

  it('reads a day as its format shows it — Japanese built-in formats, 和暦 — and ISO dates and dates of formulas, in either date system', async () => {
    const styles = `<styleSheet ${NS}><numFmts count="1"><numFmt numFmtId="180" formatCode="[$-411]ggge&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
      <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
      <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="31"/><xf numFmtId="57"/><xf numFmtId="180"/><xf numFmtId="176"/></cellXfs></styleSheet>`;
    const rows = `<row r="1"><c r="A1" s="1"><v>45383</v></c><c r="B1" s="2"><v>45383</v></c><c r="C1" s="3"><v>45383</v></c>
      <c r="D1" t="d"><v>2024-04-01T00:00:00</v></c><c r="E1" s="1"><f>DATE(2024,4,1)</f><v>45383</v></c><c r="F1"><v>45383</v></c>
      <c r="G1" s="0"><v>0.1</v></c><c r="H1" s="4"><v>12</v></c></row>`;
    const read = await readXlsx(handWritten({ sheets: [{ name: '日付', xml: sheetXml(rows) }], styles }));
    expect(read.sheets[0]!.table).toEqual([
      ['2024年4月1日', 'R6.4.1', '令和6年4月1日', '2024-04-01', '2024年4月1日', '45383', '0.1', '12'],
    ]);
    const in1904 = await readXlsx(
      handWritten({ sheets: [{ name: '日付', xml: sheetXml(rows) }], styles, date1904: true }),
    );
    expect(in1904.sheets[0]!.table[0]![0]).toBe('2028年4月2日');
  });

  it('leaves ふりがな out of shared and inline strings and undoes Excel’s escapes and XML’s', async () => {
    const shared = `<sst ${NS} count="3" uniqueCount="3">
      <si><t>男女共同参画課</t><rPh sb="0" eb="2"><t>だんじょ</t></rPh><phoneticPr fontId="1"/></si>
      <si><r><rPr><b/></rPr><t xml:space="preserve">太字 </t></r><r><t>と&amp;&lt;&#x41;&#12354;</t></r><rPh sb="0" eb="1"><t>ふと</t></rPh></si>
      <si><t>一行目_x000D_
二行目</t></si></sst>`;
    const rows = `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>
      <c r="D1" t="inlineStr"><is><t>人権・同和対策室</t><rPh sb="0" eb="2"><t>じんけん</t></rPh></is></c>
      <c r="E1" t="str"><f>"a&amp;lt;b"</f><v>a&amp;lt;b</v></c><c r="F1" t="b"><v>1</v></c><c r="G1" t="e"><v>#N/A</v></c>
      <c r="H1" t="s"><v>99</v></c></row>`;
    const read = await readXlsx(handWritten({ sheets: [{ name: 'a', xml: sheetXml(rows) }], shared }));
    expect(read.sheets[0]!.table).toEqual([
      // An error and a shared string that is not there read as nothing (and do not widen the table).
      ['男女共同参画課', '太字 と&<Aあ', '一行目\r\n二行目', '人権・同和対策室', 'a&lt;b', 'true'],
    ]);
  });

  it('reads prefixed XML, cells and rows without references, merges and sheets in the workbook’s order', async () => {
    const prefixed = `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
      <x:row><x:c t="inlineStr"><x:is><x:t>一</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row>
      <x:row><x:c r="C2"><x:v>3</x:v></x:c></x:row><!-- a comment <c><v>9</v></c> -->
      <x:row r="4"><x:c r="A4" t="inlineStr"><x:is><x:t><![CDATA[<そのまま> & 読む]]></x:t></x:is></x:c></x:row>
      </x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A1:B2"/></x:mergeCells></x:worksheet>`;
    const read = await readXlsx(
      handWritten({
        prefix: 'x:',
        sheets: [
          { name: '二番目&amp;後', xml: sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>') },
          { name: '前', xml: prefixed },
        ],
      }),
    );
    expect(read.sheets.map((s) => s.name)).toEqual(['二番目&後', '前']);
    expect(read.sheets[1]!.table).toEqual([
      ['一', '', ''],
      ['', '', '3'],
      ['', '', ''],
      ['<そのまま> & 読む', '', ''],
    ]);
  });

  it('refuses a document type declaration, a broken part and a sheet reaching past the row limit, in Japanese', async () => {
    const doctype = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row></sheetData></worksheet>`;
    expect(await refusalMessage(readXlsx(handWritten({ sheets: [{ name: 'a', xml: doctype }] })))).toContain(
      'として読めません',
    );
    expect(
      await refusalMessage(
        readXlsx(handWritten({ sheets: [{ name: 'a', xml: `<worksheet><sheetData><row r="1"><c r="A1` }] })),
      ),
    ).toContain('として読めません');
    const far = sheetXml('<row r="20001"><c r="A20001"><v>1</v></c></row>');
    expect(await refusalMessage(readXlsx(handWritten({ sheets: [{ name: '長い', xml: far }] })))).toBe(
      'シート「長い」の行数が多すぎます（上限 20000行）。分けて取り込んでください',
    );
    const merged = sheetXml(
      '<row r="1"><c r="A1"><v>1</v></c></row>',
      '<mergeCells><mergeCell ref="A1:A30000"/></mergeCells>',
    );
    expect(await refusalMessage(readXlsx(handWritten({ sheets: [{ name: '結合', xml: merged }] })))).toContain(
      '行数が多すぎます',
    );
    const overlapping = sheetXml(
      '<row r="1"><c r="A1"><v>1</v></c></row>',
      `<mergeCells>${'<mergeCell ref="A1:CV19999"/>'.repeat(3)}</mergeCells>`,
    );
    expect(await refusalMessage(readXlsx(handWritten({ sheets: [{ name: '重複', xml: overlapping }] })))).toContain(
      'として読めません',
    );
  });

  it('reads a number by its format: percentages as typed, times, truth values, units written around it', async () => {
    const styles = `<styleSheet ${NS}><numFmts count="9">
      <numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="&quot;TRUE&quot;;&quot;TRUE&quot;;&quot;FALSE&quot;"/>
      <numFmt numFmtId="166" formatCode="[$-411]0\\h"/><numFmt numFmtId="167" formatCode="h:mm AM/PM"/>
      <numFmt numFmtId="168" formatCode="[h]:mm:ss"/><numFmt numFmtId="169" formatCode="G/標準"/>
      <numFmt numFmtId="170" formatCode="0.00E+00"/><numFmt numFmtId="171" formatCode="#,##0_m&quot;件&quot;"/>
      <numFmt numFmtId="172" formatCode="yyyy/m/d h:mm"/></numFmts>
      <cellXfs count="11"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="167"/>
      <xf numFmtId="168"/><xf numFmtId="169"/><xf numFmtId="170"/><xf numFmtId="171"/><xf numFmtId="172"/><xf numFmtId="9"/></cellXfs>
      <dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="yyyy/m/d"/></dxf></dxfs></styleSheet>`;
    const values = ['0.319', '1', '0', '8', '0.5625', '1.5', '12', '123456', '5', '45383.5', '0.4'];
    const styleOf = [1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const rows = `<row r="1">${values
      .map((v, i) => `<c r="${String.fromCharCode(65 + i)}1" s="${styleOf[i]}"><v>${v}</v></c>`)
      .join(
        '',
      )}</row><row r="2"><c r="A2" s="2"><f>1=1</f><v>1</v></c><c r="B2" s="1"><f>A1*2</f><v>0.638</v></c></row>`;
    const read = await readXlsx(handWritten({ sheets: [{ name: '書式', xml: sheetXml(rows) }], styles }));
    expect(read.sheets[0]!.table).toEqual([
      ['31.9%', 'true', 'false', '8', '13:30', '36:00:00', '12', '123456', '5', '2024/4/1 12:00', '40%'],
      ['true', '63.8%', '', '', '', '', '', '', '', '', ''],
    ]);
  });

  it('reads an ISO date cell as its day wherever the server runs, and the days Excel counts before March 1900', async () => {
    const was = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      const styles = `<styleSheet ${NS}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`;
      const rows = `<row r="1"><c r="A1" t="d"><v>2024-04-01T00:00:00</v></c><c r="B1" t="d"><v>2024-04-01</v></c>
        <c r="C1" s="1"><v>1</v></c><c r="D1" s="1"><v>61</v></c></row>`;
      const read = await readXlsx(handWritten({ sheets: [{ name: '日付', xml: sheetXml(rows) }], styles }));
      expect(read.sheets[0]!.table).toEqual([['2024-04-01', '2024-04-01', '1900/1/1', '1900/3/1']]);
    } finally {
      if (was === undefined) delete process.env.TZ;
      else process.env.TZ = was;
    }
  });

  it('reads line ends as XML does, and leaves hidden sheets out unless every sheet is hidden', async () => {
    const shared = `<sst ${NS}><si><t>一行目\r\n二行目\r三行目</t></si></sst>`;
    const one = sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>');
    const hiddenFirst = handWritten({
      sheets: [
        { name: 'リスト', xml: sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>選択肢</t></is></c></row>') },
        { name: '事業一覧', xml: one },
      ],
      shared,
      hidden: ['リスト'],
    });
    const read = await readXlsx(hiddenFirst);
    expect(read.sheets).toEqual([{ name: '事業一覧', table: [['一行目\n二行目\n三行目']] }]);
    const allHidden = await readXlsx(
      handWritten({
        sheets: [
          { name: 'リスト', xml: one },
          { name: '作業用', xml: one },
        ],
        shared,
        hidden: ['リスト', '作業用'],
      }),
    );
    expect(allHidden.sheets.map((s) => s.name)).toEqual(['リスト', '作業用']);
  });

  it('bounds what merges, wide references and repeated sheets cost before building anything', async () => {
    // Merges right of the columns read neither widen the table nor escape the budget.
    const beyond = sheetXml(
      '<row r="1"><c r="A1"><v>1</v></c></row>',
      '<mergeCells><mergeCell ref="CW1:CX3"/></mergeCells>',
    );
    expect((await readXlsx(handWritten({ sheets: [{ name: 'a', xml: beyond }] }))).sheets[0]!.table).toEqual([
      ['1'],
      [''],
      [''],
    ]);
    const many = sheetXml(
      '<row r="1"><c r="A1"><v>1</v></c></row>',
      `<mergeCells>${'<mergeCell ref="CW1:CW20000"/>'.repeat(300)}</mergeCells>`,
    );
    const started = performance.now();
    expect(await refusalMessage(readXlsx(handWritten({ sheets: [{ name: 'a', xml: many }] })))).toContain(
      'として読めません',
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    // Two full-size sheets: the second passes the workbook's cells.
    const full = sheetXml('<row r="20000"><c r="CV20000"><v>1</v></c></row>');
    expect(
      await refusalMessage(
        readXlsx(
          handWritten({
            sheets: [
              { name: '一', xml: full },
              { name: '二', xml: full },
            ],
          }),
        ),
      ),
    ).toBe('セルの数が多すぎます（上限 2000000個）。分けて取り込んでください');
    // Sheets naming one part: read once would be enough to cost twice; such a file is refused.
    const shared = handWritten({
      sheets: [
        { name: '一', xml: sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>') },
        { name: '二', xml: '' },
      ],
      samePart: true,
    });
    expect(await refusalMessage(readXlsx(shared))).toContain('として読めません');
  });
});
