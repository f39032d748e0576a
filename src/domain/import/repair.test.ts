import { describe, expect, it } from 'vitest';
import type { ImportMapping } from './mapping.js';
import { readImport } from './read.js';
import { NO_FIXES } from './fixes.js';
import { alignLine, columnKinds } from './repair.js';

const mapping: ImportMapping = {
  name: 't',
  label: 't',
  headerWords: ['施策', '番号', '事業名', '担当課'],
  extraHeaderRows: 0,
  levels: [{ name: '施策', column: 0 }],
  columns: { projectNumber: 1, projectName: 2, department: 3, actual: 4, resultText: 5 },
  numberInName: false,
};
const header = ['施策', '番号', '事業名', '担当課', '実績', '取組状況'];
const kinds = columnKinds(mapping);
const styles = new Map([[0, 'paren']]);

describe('placing a damaged line’s cells', () => {
  it('moves a whole line back by the columns it slipped', () => {
    expect(alignLine(['', '', '2', '講座', '人権課', '○', '開催した'], kinds, styles)).toEqual([
      '',
      '2',
      '講座',
      '人権課',
      '○',
      '開催した',
    ]);
  });

  it('moves only the cells that slipped: a department one column left, its mark and text one right', () => {
    expect(alignLine(['', '', '人権課', '', '', '○', '開催した'], kinds, styles)).toEqual([
      '',
      '',
      '',
      '人権課',
      '○',
      '開催した',
    ]);
  });

  it('never makes a bare mark the narrative', () => {
    const placed = alignLine(['', '', '人権課', '', '', '', '○'], kinds, styles)!;
    expect(placed[5] ?? '').toBe('');
    expect(placed[4]).toBe('○');
  });

  it('gives up where two placements fit equally well', () => {
    expect(
      alignLine(
        ['講座', '研修', '人権課'],
        columnKinds({ ...mapping, columns: { ...mapping.columns, summary: 6, planText: 7 } }),
        styles,
      ),
    ).toBeNull();
  });
});

describe('a slipped line is never read silently wrong', () => {
  it('flags a line whose number slipped into the name column and repairs it back', () => {
    const table = [
      header,
      ['(1) 啓発', '1', '講座', '人権課', '○', '開催した'],
      ['', '', '2', '相談 窓口の周知', '人権課', '○'],
    ];
    const plain = readImport(table, mapping, { known: ['人権課'], autoRepair: false });
    expect(plain.rows[1]!.flags.join()).toContain('課の名前に見えません');
    const read = readImport(table, mapping, { known: ['人権課'] });
    expect(read.rows[1]).toMatchObject({
      projectNumber: '2',
      projectName: '相談 窓口の周知',
      departments: [{ name: '人権課' }],
      values: { actual: '○' },
      flags: [],
    });
    expect(read.repairs).toEqual([expect.objectContaining({ line: 3, kind: 'align', shift: -1 })]);
  });

  it('keeps a repair the user undid flagged, and attaches no later line to another project', () => {
    const table = [
      header,
      ['(1) 啓発', '1', '講座', '人権課', '○', '開催した'],
      ['', '', '2', '相談 窓口の周知', '人権課', '○'],
    ];
    const read = readImport(table, mapping, {
      known: ['人権課'],
      fixes: { ...NO_FIXES, rejected: [3] },
    });
    expect(read.repairs).toEqual([]);
    expect(read.rows[1]!.flags.length).toBeGreaterThan(0);
  });
});

describe('terms an indicator column gives', () => {
  it('flags a direction or a target kind it cannot read, never taking the default silently', () => {
    const m: ImportMapping = {
      ...mapping,
      columns: { projectNumber: 1, projectName: 2, department: 3, indicator: 4, direction: 5, targetKind: 6 },
    };
    const table = [
      ['施策', '番号', '事業名', '担当課', '指標', '方向', '種類'],
      ['(1) 啓発', '1', '講座', '人権課', '受講者数', '増やす', '目標値'],
      ['', '2', '相談', '人権課', '待機日数', 'なるべく', 'ふつう'],
    ];
    const rows = readImport(table, m, { known: ['人権課'] }).rows;
    expect(rows[0]!.flags).toEqual([]);
    expect(rows[1]!.flags).toEqual([
      '方向「なるべく」が読めません。「増やす」「減らす」のように書いてください',
      '目標の種類「ふつう」が読めません。目標値・期待値・モニタリング・累計のいずれかにしてください',
    ]);
  });
});

describe('numbers and grades as a report prints them', () => {
  it('flags a line giving a project number another line gave to another project, naming both', () => {
    const read = readImport(
      [
        header,
        ['(1) 相談', '101', 'DV相談ホットライン', '人権課', '', ''],
        ['', '101', '女性のための法律相談', '市民課', '', ''],
        ['', '102', '相談員研修', '人権課', '', ''],
        // The same project listed again (再掲) under its own name is no conflict.
        ['(2) 啓発', '102', '相談員研修', '人権課', '', ''],
      ],
      mapping,
      { fixes: NO_FIXES },
    );
    expect(read.rows.map((r) => [r.line, r.flags])).toEqual([
      [2, []],
      [3, ['事業番号「101」は2行目の「DV相談ホットライン」と同じ番号です。番号か事業名を確かめてください']],
      [4, []],
      [5, []],
    ]);
  });
});

describe('grade codes', () => {
  it('reads a letter typed full-width or in lower case as the usual code, and marks and words as printed', async () => {
    const { gradeCode } = await import('./mapping.js');
    expect(['Ａ', 'ｂ', ' c ', 'D', '１', '◎', '○', '着手', 'ａａ'].map(gradeCode)).toEqual([
      'A',
      'B',
      'C',
      'D',
      '1',
      '◎',
      '○',
      '着手',
      'ａａ',
    ]);
  });
});
