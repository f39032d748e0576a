import { describe, expect, it } from 'vitest';
import { descendantIds, placeAt, wouldCreateCycle } from './tree.js';

const tree = [
  { id: 1, parentId: null },
  { id: 2, parentId: 1 },
  { id: 3, parentId: 2 },
  { id: 4, parentId: null },
];

describe('tree rules', () => {
  it('finds every descendant', () => {
    expect([...descendantIds(tree, 1)].sort()).toEqual([2, 3]);
  });
  it('refuses to put a node under itself or its descendants', () => {
    expect(wouldCreateCycle(tree, 1, 1)).toBe(true);
    expect(wouldCreateCycle(tree, 1, 3)).toBe(true);
    expect(wouldCreateCycle(tree, 3, 4)).toBe(false);
    expect(wouldCreateCycle(tree, 2, null)).toBe(false);
  });
  it('places a moved id at an index among the others', () => {
    expect(placeAt([1, 2, 3, 4], 4, 0)).toEqual([4, 1, 2, 3]);
    expect(placeAt([1, 2, 3], 1, 9)).toEqual([2, 3, 1]);
    expect(placeAt([1, 2], 5, 1)).toEqual([1, 5, 2]);
  });
});

describe('tree order', () => {
  it('lists nodes depth first with siblings by position, whatever order they come in', async () => {
    const { inTreeOrder } = await import('./tree.js');
    const n = (id: number, parentId: number | null, position: number) => ({ id, parentId, position });
    const order = inTreeOrder([n(3, 1, 2), n(2, null, 2), n(1, null, 1), n(4, 1, 1), n(5, 2, 1)]).map((x) => x.id);
    expect(order).toEqual([1, 4, 3, 2, 5]);
  });
});
