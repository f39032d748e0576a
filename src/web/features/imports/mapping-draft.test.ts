import { describe, expect, it } from 'vitest';
import { draftMapping } from './mapping-draft.js';

describe('a new import mapping', () => {
  it('names the levels by their columns and the fields by theirs, from the header row', () => {
    const m = draftMapping(
      [' 基本目標 ', '施策', '', '番号', '事業名', '担当課', '予算額'],
      '課別調査票',
      ['基本目標', '施策', ''],
      ['level0', 'level1', '', 'projectNumber', 'projectName', 'department', 'custom:budget'],
    );
    expect(m).toEqual({
      name: '課別調査票',
      label: '',
      headerWords: ['基本目標', '施策', '番号', '事業名', '担当課', '予算額'],
      extraHeaderRows: 0,
      levels: [
        { name: '基本目標', column: 0 },
        { name: '施策', column: 1 },
      ],
      columns: { projectNumber: 3, projectName: 4, department: 5 },
      // A column of a plan's extra field is named by the field's key.
      customColumns: { budget: 6 },
      numberInName: false,
    });
  });

  it('leaves out levels without a name or a column, and names itself until given a name', () => {
    const m = draftMapping(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'],
      '',
      ['基本目標', '', '事業群'],
      ['level1', 'level0'],
    );
    expect(m.name).toBe('新しい取り込み設定');
    expect(m.headerWords).toHaveLength(8);
    expect(m.levels).toEqual([{ name: '基本目標', column: 1 }]);
    expect(m.columns).toEqual({});
  });
});
