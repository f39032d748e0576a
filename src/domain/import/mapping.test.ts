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
    expect(rows.map((r) => [r.line, r.hierarchy.map((h) => h.number).join('/'), r.projectNumber, r.continuation, r.departments.map((d) => d.name).join('・')])).toEqual([
      [3, 'Ⅰ/(1)', '1', false, '人権課'],
      [4, 'Ⅰ/(1)', '', true, '学校課'],
      [6, 'Ⅰ/(2)', '2', false, '人権課・学校課'],
    ]);
    expect(summarise(rows, mapping)).toEqual({ nodes: { 目標: 1, 施策: 2 }, projects: 2, records: 4, grades: { A: 2, B: 1 }, flagged: [] });
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
    expect(rows[0]!.flags).toEqual(['事業番号「講座を開く」が番号ではありません。列がずれている可能性があります', '担当課「未登録課」が登録されていません']);
  });
});

