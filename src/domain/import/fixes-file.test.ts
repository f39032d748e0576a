import { describe, expect, it } from 'vitest';
import { NO_FIXES } from './fixes.js';
import { fixesFileText, fixesInEffect, planTitleFrom, readFixesFile } from './fixes-file.js';

describe('the fixes file', () => {
  it('writes the automatic repairs in as typed cells, after the user’s own', () => {
    const fixes = {
      ...NO_FIXES,
      moves: [{ line: 9, shift: 1 }],
      edits: [{ line: 2, column: 0, value: 'x' }],
      rejected: [7],
    };
    const repairs = [
      { line: 3, kind: 'align' as const, shift: -1, reason: 'ずれ', edits: [{ line: 3, column: 4, value: 'a' }] },
      { line: 4, kind: 'number' as const, shift: 0, reason: '番号', edits: [{ line: 4, column: 13, value: '5' }] },
    ];
    expect(fixesInEffect(fixes, repairs)).toEqual({
      ...fixes,
      edits: [
        { line: 2, column: 0, value: 'x' },
        { line: 3, column: 4, value: 'a' },
        { line: 4, column: 13, value: '5' },
      ],
    });
    expect(fixesInEffect(fixes, [])).toEqual(fixes);
  });

  it('reads back what it writes, and a file of an older hand without the fields it leaves out', () => {
    const fixes = {
      ...NO_FIXES,
      moves: [{ line: 3, shift: 1 }],
      edits: [{ line: 5, column: 2, value: '人権推進課' }],
      names: { 人権・同和对策室: '人権・同和対策室', 関係各課: '' },
      words: { データDV: 'デートDV' },
    };
    expect(readFixesFile(fixesFileText(fixes))).toEqual({ ok: true, fixes });
    expect(readFixesFile(`\uFEFF{ "excluded": [4] }`)).toEqual({ ok: true, fixes: { ...NO_FIXES, excluded: [4] } });
  });

  it('says what is wrong with a file in Japanese, naming the place', () => {
    expect(readFixesFile('{ "moves": [ { "line": 2, "shift": 9 } ] }')).toEqual({
      ok: false,
      message: 'ずれの修正（moves）の1件目のずらす列数（shift）: 5 以下にしてください',
    });
    expect(readFixesFile('[1, 2]')).toMatchObject({
      ok: false,
      message: expect.stringContaining('修正内容のファイルではありません'),
    });
    expect(readFixesFile('{ "moves": ')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^JSON として読めません/),
    });
    expect(readFixesFile('{ "names": { "関係各課": 3 } }')).toMatchObject({
      ok: false,
      message: expect.stringContaining('担当課の読み替え（names）の「関係各課」'),
    });
  });

  it('takes the new plan’s name from the title line once', () => {
    expect(planTitleFrom({ title: '第5次ひがしまつやま共生プラン 令和3年度事業最終評価' })).toBe(
      '第5次ひがしまつやま共生プラン 令和3年度事業最終評価',
    );
    expect(planTitleFrom({ title: '第5次ひがしまつやま共生プラン 令和3年度事業最終評価 事業最終評価' })).toBe(
      '第5次ひがしまつやま共生プラン 令和3年度事業最終評価',
    );
    expect(planTitleFrom({ title: '男女共同参画プラン\u3000\u3000男女共同参画プラン' })).toBe('男女共同参画プラン');
    expect(planTitleFrom({ title: null })).toBeNull();
    expect(planTitleFrom({ title: '  ' })).toBeNull();
  });
});
