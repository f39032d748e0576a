import { describe, expect, it } from 'vitest';
import { mapTable, splitNumber, summarise, type ImportMapping } from './mapping.js';

describe('numbers in cells', () => {
  it.each([
    ['(1) 男女平等の意識啓発', '(1)', '男女平等の意識啓発'],
    ['（２）教育の推進', '(2)', '教育の推進'],
    ['① 情報発信', '①', '情報発信'],
    ['①固定的な性別役割分担意識の解消', '①', '固定的な性別役割分担意識の解消'],
    ['Ⅲ 被害者の保護', 'Ⅲ', '被害者の保護'],
    ['II 被害者の早期発見', 'II', '被害者の早期発見'],
    ['12 DV相談事業', '12', 'DV相談事業'],
    ['1-2 相談', '1-2', '相談'],
    ['DV相談事業', '', 'DV相談事業'],
  ])('splits %s', (cell, number, title) => {
    expect(splitNumber(cell)).toEqual({ number, title });
  });
});

const mapping: ImportMapping = {
  name: 't',
  label: 't',
  headerWords: ['目標', '施策', '事業', '担当課'],
  extraHeaderRows: 0,
  levels: [
    { name: '目標', column: 0 },
    { name: '施策', column: 1 },
  ],
  columns: { projectNumber: 2, projectName: 3, department: 4, grade: 5 },
  numberInName: false,
};

describe('mapping a table', () => {
  it('carries the hierarchy down, skips repeated headers, and reads continuation rows as more departments', () => {
    const rows = mapTable(
      [
        ['表題'],
        ['目標', '施策', '事業', '', '担当課', '評価'],
        ['Ⅰ 意識', '(1) 啓発', '1', '講座', '人権課', 'A'],
        ['', '', '', '', '学校課', 'B'],
        ['目標', '施策', '事業', '', '担当課', '評価'],
        ['', '(2) 学習', '2', '研修', '人権課 学校課', 'A'],
      ],
      mapping,
      ['人権課', '学校課'],
    );
    expect(
      rows.map((r) => [
        r.line,
        r.hierarchy.map((h) => h.number).join('/'),
        r.projectNumber,
        r.continuation,
        r.departments.map((d) => d.name).join('・'),
      ]),
    ).toEqual([
      [3, 'Ⅰ/(1)', '1', false, '人権課'],
      [4, 'Ⅰ/(1)', '', true, '学校課'],
      [6, 'Ⅰ/(2)', '2', false, '人権課・学校課'],
    ]);
    expect(summarise(rows, mapping)).toEqual({
      nodes: { 目標: 1, 施策: 2 },
      projects: 2,
      records: 4,
      grades: { A: 2, B: 1 },
      flagged: [],
    });
  });

  it('flags what does not fit instead of storing it wrong', () => {
    const rows = mapTable(
      [
        ['目標', '施策', '事業', '', '担当課', '評価'],
        ['Ⅰ 意識', '(1) 啓発', '講座を開く', '', '未登録課', ''],
      ],
      mapping,
      ['人権課'],
    );
    // A department the municipality lacks is not a flag here: the names list offers it as new (names.ts).
    expect(rows[0]!.flags).toEqual(['事業番号「講座を開く」が番号ではありません。列がずれている可能性があります']);
  });
});

describe('reports whose lines are rows of a project', () => {
  const byLine: ImportMapping = {
    name: 'l',
    label: 'l',
    headerWords: ['施策', '取組', '担当課', '番号'],
    extraHeaderRows: 0,
    levels: [{ name: '施策', column: 0 }],
    columns: { projectName: 1, indicator: 2, department: 3, projectNumber: 4 },
    numberInName: false,
    continueWhenNameBlank: true,
  };
  it('reads a line with a blank project name as another line of the project above', () => {
    const rows = mapTable(
      [
        ['施策', '取組', '指標', '担当課', '番号'],
        ['① 子育て', '相談窓口', '相談件数', '子育て支援課', '21'],
        ['', '', '健診時の相談', '健康推進課', '22'],
      ],
      byLine,
    );
    expect(rows.map((r) => [r.continuation, r.departments[0]!.name])).toEqual([
      [false, '子育て支援課'],
      [true, '健康推進課'],
    ]);
    expect(summarise(rows, byLine)).toMatchObject({ projects: 1, records: 2, flagged: [] });
  });
  it('suggests moving a line left when its cells slipped right, and asks for a missing number', () => {
    const rows = mapTable(
      [
        ['施策', '取組', '指標', '担当課', '番号'],
        ['', '', '情報提供', '', '市民課'],
        ['① 子育て', '一時預かり', '利用者数', '保育課', ''],
      ],
      byLine,
    );
    expect(rows[0]!.fix).toEqual({ line: 2, shift: -1 });
    expect(rows[1]!.flags).toEqual(['事業番号がありません。番号を入力してください']);
  });
});

describe('cells that slipped', () => {
  const m: ImportMapping = {
    name: 's',
    label: 's',
    headerWords: ['課題', '施策', '取組', '担当課', '番号'],
    extraHeaderRows: 0,
    levels: [
      { name: '課題', column: 0 },
      { name: '施策', column: 1 },
    ],
    columns: { projectName: 2, department: 3, projectNumber: 4 },
    numberInName: false,
    continueWhenNameBlank: true,
  };
  const header = ['課題', '施策', '取組', '担当課', '番号'];
  it('suggests moving a whole line left, but not when a hierarchy cell would land on another level', () => {
    const rows = mapTable(
      [
        header,
        ['(1) 啓発', '① 広報', '講座', '人権課', '1'],
        ['', '', '', '図書の収集', '生涯学習課（市立図書館）', '2'],
        ['', '② 学習', '研修', '', '学校課', '3'],
      ],
      m,
    );
    expect(rows[1]!.fix).toEqual({ line: 3, shift: -1 });
    // 「② 学習」 would move into the 課題 column, numbered (1): only a flag.
    expect(rows[2]!.fix).toBeUndefined();
    expect(rows[2]!.flags[0]).toContain('事業番号「学校課」が番号ではありません');
  });
  it('flags a hierarchy cell without a number, and a continuation line that changes the hierarchy', () => {
    const rows = mapTable(
      [header, ['(1) 啓発', '① 広報', '講座', '人権課', '1'], ['職員研修の充実', '', '', '人事課', '2']],
      m,
    );
    expect(rows[1]!.flags).toEqual([
      '課題の列の「職員研修の充実」に番号がありません。列がずれている可能性があります',
      'この行は上の事業の続きですが、課題が変わっています。上の行の課題が正しいか確認してください',
    ]);
  });
});
