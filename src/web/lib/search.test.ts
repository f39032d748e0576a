import { describe, expect, it } from 'vitest';
import { highlightParts, matchesSearch, searchWords } from './search.js';

describe('incremental search', () => {
  it('matches every word in any of the texts, whatever the width and case', () => {
    expect(matchesSearch('ＤＶ 相談', 'DV相談窓口の周知', '子育て支援課')).toBe(true);
    expect(matchesSearch('dv 子育て', 'DV相談窓口の周知', '子育て支援課')).toBe(true);
    expect(matchesSearch('１２', '12', '講座')).toBe(true);
    expect(matchesSearch('講座 学校', '講座の開催', '人権推進課')).toBe(false);
    expect(matchesSearch('  ', 'anything')).toBe(true);
    expect(searchWords(' a  Ｂ ')).toEqual(['a', 'b']);
  });

  it('cuts the text where the words are found, as written', () => {
    expect(highlightParts('ＤＶ相談窓口の周知', 'dv 窓口')).toEqual(['', 'ＤＶ', '相談', '窓口', 'の周知']);
    expect(highlightParts('講座の開催', '')).toEqual(['講座の開催']);
    expect(highlightParts('講座の開催', '研修')).toEqual(['講座の開催']);
    expect(highlightParts('講座の開催', '講座の開催')).toEqual(['', '講座の開催']);
  });
});
