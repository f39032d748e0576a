import { describe, expect, it } from 'vitest';
import { splitNumber } from './mapping.js';
import { NodeMatcher, ordinalPath, samePlace } from './node-match.js';

describe('ordinal paths of printed numbers', () => {
  it.each([
    ['Ⅰ', [1]],
    ['I', [1]],
    ['ⅲ', [3]],
    ['IV', [4]],
    ['(1)', [1]],
    ['（１）', [1]],
    ['①', [1]],
    ['㉑', [21]],
    ['12', [12]],
    ['1-2', [1, 2]],
    ['Ⅰ-1', [1, 1]],
    ['(3-1)', [3, 1]],
    ['（３－１）', [3, 1]],
  ])('%s → %j', (printed, path) => expect(ordinalPath(printed)).toEqual(path));

  it('is null for what is not a number', () => {
    expect(ordinalPath('')).toBeNull();
    expect(ordinalPath('第一')).toBeNull();
    expect(ordinalPath('A')).toBeNull();
  });

  it('compares places: equal paths, or the last ordinal where one path carries its parent', () => {
    expect(samePlace([1], [1])).toBe(true);
    expect(samePlace([1, 2], [2])).toBe(true);
    expect(samePlace([1, 2], [1, 3])).toBe(false);
    expect(samePlace([2], [3])).toBe(false);
  });
});

describe('the importer reads numbers with a part after a hyphen', () => {
  it.each([
    ['Ⅰ-1 意識の醸成', 'Ⅰ-1', '意識の醸成'],
    ['(3-1) 相談体制', '(3-1)', '相談体制'],
    ['（３－１）　相談体制', '(3-1)', '相談体制'],
    ['I-2 啓発', 'I-2', '啓発'],
    ['1-2 学習', '1-2', '学習'],
  ])('%s', (cell, number, title) => expect(splitNumber(cell)).toEqual({ number, title }));
});

describe('matching a file’s nodes to a plan numbered by its styles', () => {
  // Ⅰ / (1) (2) / Ⅱ, numbered by the levels' styles; (2) carries a number of its own.
  const nodes = [
    { id: 1, parentId: null, depth: 0, position: 1, title: '意識づくり' },
    { id: 2, parentId: 1, depth: 1, position: 1, title: '啓発の推進' },
    { id: 3, parentId: 1, depth: 1, position: 2, title: '学習の充実', numberOverride: '(2)' },
    { id: 4, parentId: null, depth: 0, position: 2, title: '暴力の根絶' },
    { id: 5, parentId: null, depth: 0, position: 3, title: '古い目標', archived: true },
  ].map((n) => ({ numberOverride: null, countsInNumbering: true, archived: false, ...n }));
  const matcher = new NodeMatcher(nodes, [
    { style: 'roman', scope: 'parent' },
    { style: 'paren', scope: 'parent' },
  ]);

  it('by number in any style, by title, or not at all', () => {
    expect(matcher.match(null, 0, 'I', '別の名前')).toEqual({ id: 1, label: 'Ⅰ 意識づくり' });
    expect(matcher.match(null, 0, '2', '')).toEqual({ id: 4, label: 'Ⅱ 暴力の根絶' });
    expect(matcher.match(null, 0, '', '暴力の 根絶')).toMatchObject({ id: 4 });
    expect(matcher.match(1, 1, '②', '')).toMatchObject({ id: 3 });
    expect(matcher.match(1, 1, '1-2', '')).toMatchObject({ id: 3 });
    expect(matcher.match(null, 0, 'Ⅳ', '新しい目標')).toBeNull();
    // Archived nodes take no rows; a node of another parent is not this one.
    expect(matcher.match(null, 0, 'Ⅲ', '古い目標')).toBeNull();
    expect(matcher.match(4, 1, '(1)', '啓発の推進')).toBeNull();
  });

  it('prefers the node matching both, then the title, over a number alone', () => {
    expect(matcher.match(1, 1, '(1)', '学習の充実')).toMatchObject({ id: 3 });
    expect(matcher.match(1, 1, '(2)', '学習の充実')).toMatchObject({ id: 3 });
  });

  it('matches a node the import has just added', () => {
    const m = new NodeMatcher([], [{ style: 'roman', scope: 'parent' }]);
    m.add(null, { id: -1, depth: 0, number: 'Ⅰ', title: '新しい目標' });
    expect(m.match(null, 0, 'I', '新しい目標')).toMatchObject({ id: -1 });
  });
});
