import { describe, expect, it } from 'vitest';
import type { ImportRow } from './mapping.js';
import { applyWords, findSuspects } from './suspects.js';

const row = (line: number, resultText: string): ImportRow => ({
  line,
  hierarchy: [],
  projectNumber: String(line),
  projectName: '相談事業',
  departments: [],
  values: { resultText },
  continuation: false,
  flags: [],
});

describe('府内 read for 庁内', () => {
  const text = '府内の関係課と連携し、政府内の動向と内閣府内の資料、大阪府内の事例、京都府外の研修を府内外に周知した。';

  it('is listed only where the municipality is not in a 府, and never inside the names of other bodies', () => {
    const saitama = findSuspects([row(3, text)], { prefectureCode: 11 });
    expect(saitama.map((s) => `${s.word}→${s.suggestion}`)).toEqual(['府内→庁内', '府内外→庁内外']);
    expect(saitama[0]).toMatchObject({ line: 3, field: '実績・取組状況' });
    expect(findSuspects([row(3, text)], { prefectureCode: 27 })).toEqual([]);
    expect(findSuspects([row(3, text)])).toEqual([]);
  });

  it('once accepted, is replaced where it was listed and nowhere else', () => {
    const rows = [row(3, text)];
    applyWords(rows, { 府内: '庁内' });
    expect(rows[0]!.values.resultText).toBe(
      '庁内の関係課と連携し、政府内の動向と内閣府内の資料、大阪府内の事例、京都府外の研修を府内外に周知した。',
    );
    applyWords(rows, { 府内外: '庁内外' });
    expect(rows[0]!.values.resultText).toContain('庁内外に周知した');
    expect(rows[0]!.values.resultText).toContain('政府内の動向と内閣府内の資料、大阪府内の事例、京都府外');
  });
});
