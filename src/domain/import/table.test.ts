import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillDown, findHeaderRow, htmlToText, isRepeatedHeader, parseDelimited, parseTsv } from './table.js';
import { readDepartments } from './departments.js';

const SEEDS = path.resolve(import.meta.dirname, '../../../../shared/seeds');
const seed = (prefix: string) =>
  fs.readFileSync(
    path.join(
      SEEDS,
      fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix))!,
    ),
    'utf8',
  );

describe('pasted tables', () => {
  it('reads Excel clipboard text with quoted multi-line cells and doubled quotes', () => {
    const text = '番号\t事業名\t実績\r\n1\t"講座の\r\n開催"\t"「""ほっとらいん""」を発行"\r\n2\t相談\t\r\n';
    expect(parseTsv(text)).toEqual([
      ['番号', '事業名', '実績'],
      ['1', '講座の\n開催', '「"ほっとらいん"」を発行'],
      ['2', '相談', ''],
    ]);
  });
  it('reads CSV with commas inside quotes and a byte-order mark', () => {
    expect(parseDelimited('\uFEFF番号,名称\n1,"1,234人"\n', ',')).toEqual([
      ['番号', '名称'],
      ['1', '1,234人'],
    ]);
  });
  it('turns HTML list fragments into lines', () => {
    expect(htmlToText('<ul style="list-style-type: none"><li>講座を開催</li><li>相談&amp;支援</li></ul>')).toBe(
      '・講座を開催\n・相談&支援',
    );
    expect(
      htmlToText('<p>【企画政策課】 計 90 人</p> <ul style="list-style-type: none"> 市民講座 フォーラム </ul>'),
    ).toBe('【企画政策課】 計 90 人\n市民講座 フォーラム');
    expect(htmlToText('  ふつうの文章  ')).toBe('ふつうの文章');
  });
  it('fills blanks left by merged cells from the row above', () => {
    expect(
      fillDown(
        [
          ['(1) 啓発', '① 情報', '1'],
          ['', '', '2'],
          ['', '② 学習', '3'],
        ],
        [0, 1],
      ),
    ).toEqual([
      ['(1) 啓発', '① 情報', '1'],
      ['(1) 啓発', '① 情報', '2'],
      ['(1) 啓発', '② 学習', '3'],
    ]);
  });
});

describe('the seed reports as tables', () => {
  it('finds the header of the indicator report and every repeated page header in it', () => {
    const table = parseTsv(seed('000'));
    const header = findHeaderRow(table, [
      '主要課題',
      '施策',
      '主な取組',
      '活動指標',
      '目標',
      '最終実績',
      '達成度',
      '最終評価',
      '担当部署',
    ]);
    expect(header).toBeGreaterThan(0);
    const repeats = table.slice(header + 1).filter((row) => isRepeatedHeader(row, table[header]!));
    // The report spans nine pages; each after the first repeats the header row.
    expect(repeats).toHaveLength(8);
  });
  it('finds the two-line header of the multi-year report', () => {
    const table = parseTsv(seed('001'));
    expect(findHeaderRow(table, ['施策の方向', '基本事業', '事業', '担当課', '現状値', '実績値'])).toBeGreaterThan(0);
  });
});

describe('department cells', () => {
  const known = ['企画政策課', '生涯学習課', '人権・同和対策室', '住宅課', '住宅政策課'];
  it('splits several departments in one cell', () => {
    expect(readDepartments('企画政策課 生涯学習課', known).map((d) => d.name)).toEqual(['企画政策課', '生涯学習課']);
    expect(readDepartments('企画政策課\n人権・同和対策室', known).map((d) => d.name)).toEqual([
      '企画政策課',
      '人権・同和対策室',
    ]);
    expect(readDepartments('企画政策課生涯学習課', known).map((d) => d.name)).toEqual(['企画政策課', '生涯学習課']);
    expect(readDepartments('', known)).toEqual([]);
  });
  it('understands reorganisation notes', () => {
    expect(readDepartments('住宅政策課（平成28年度より住宅課から組織変更）', known)).toEqual([
      { name: '住宅政策課', change: { effectiveYear: 2016, fromNames: ['住宅課'] } },
    ]);
    expect(readDepartments('こども家庭課(R3年度より子育て支援課から組織変更) 保育課', [])).toEqual([
      { name: 'こども家庭課', change: { effectiveYear: 2021, fromNames: ['子育て支援課'] } },
      { name: '保育課', change: null },
    ]);
  });
  it('keeps unknown names as written for the preview to flag', () => {
    expect(readDepartments('未登録課', known)).toEqual([{ name: '未登録課', change: null }]);
  });
});
