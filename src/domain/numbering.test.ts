import { describe, expect, it } from 'vitest';
import { formatNumber, numberTree, ordinalOf } from './numbering.js';

describe('numbering styles', () => {
  it('formats each style', () => {
    expect(formatNumber('roman', 2)).toBe('Ⅱ');
    expect(formatNumber('roman', 13)).toBe('XIII');
    expect(formatNumber('paren', 3)).toBe('(3)');
    expect(formatNumber('circled', 1)).toBe('①');
    expect(formatNumber('circled', 20)).toBe('⑳');
    expect(formatNumber('circled', 21)).toBe('㉑');
    expect(formatNumber('arabic', 12)).toBe('12');
    expect(formatNumber('hyphen', 2, '3')).toBe('3-2');
    expect(formatNumber('hyphen', 1, '(2)')).toBe('2-1');
    expect(formatNumber('none', 5)).toBe('');
  });
});

describe('numbering a tree', () => {
  const nodes = [
    { id: 1, parentId: null, depth: 0, position: 1, numberOverride: null },
    { id: 2, parentId: null, depth: 0, position: 2, numberOverride: null },
    { id: 3, parentId: 1, depth: 1, position: 1, numberOverride: null },
    { id: 4, parentId: 1, depth: 1, position: 2, numberOverride: null },
    { id: 5, parentId: 2, depth: 1, position: 1, numberOverride: null },
    { id: 6, parentId: 5, depth: 2, position: 2, numberOverride: null },
    { id: 7, parentId: 5, depth: 2, position: 1, numberOverride: '特' },
  ];
  it('restarts under each parent or runs through the plan, per level', () => {
    const numbers = numberTree(nodes, [
      { style: 'roman', scope: 'plan' },
      { style: 'paren', scope: 'plan' },
      { style: 'circled', scope: 'parent' },
    ]);
    expect(Object.fromEntries(numbers)).toEqual({ 1: 'Ⅰ', 2: 'Ⅱ', 3: '(1)', 4: '(2)', 5: '(3)', 7: '特', 6: '②' });
  });
  it('restarts a parent-scoped level and builds hyphenated numbers from the parent', () => {
    const numbers = numberTree(nodes, [
      { style: 'arabic', scope: 'plan' },
      { style: 'hyphen', scope: 'parent' },
      { style: 'none', scope: 'parent' },
    ]);
    expect(numbers.get(4)).toBe('1-2');
    expect(numbers.get(5)).toBe('2-1');
    expect(numbers.get(6)).toBe('');
  });
});

describe('ordinalOf', () => {
  it('reads the ordinal of every printed style', () => {
    expect(['(2)', '（２）', '②', '⑳', '㉑', 'Ⅱ', 'IV', 'XII', '12', '１２'].map(ordinalOf)).toEqual([
      2, 2, 2, 20, 21, 2, 4, 12, 12, 12,
    ]);
    expect(ordinalOf('1-2')).toBeNull();
    expect(ordinalOf('')).toBeNull();
  });
});
