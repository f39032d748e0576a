import { describe, expect, it } from 'vitest';
import { departmentTree } from './department-tree.js';
import type { Department } from '../../lib/types.js';

const dept = (id: number, parentId: number | null, kind: 'bu' | 'ka' = 'ka'): Department => ({
  id,
  parentId,
  name: `d${id}`,
  kind,
  activeFrom: null,
  activeTo: null,
  position: id,
  origin: null,
  successors: [],
  displayName: `d${id}`,
});

describe('the org chart as listed', () => {
  it('puts each unit under its parent, deeper by one, keeping the given order', () => {
    const all = [dept(1, null, 'bu'), dept(2, null, 'bu'), dept(3, 1), dept(4, 2), dept(5, 1)];
    expect(departmentTree(all).map((r) => [r.department.id, r.depth])).toEqual([
      [1, 0],
      [3, 1],
      [5, 1],
      [2, 0],
      [4, 1],
    ]);
  });

  it('starts a unit whose parent is missing at the top', () => {
    expect(departmentTree([dept(7, 99), dept(8, 7)]).map((r) => [r.department.id, r.depth])).toEqual([
      [7, 0],
      [8, 1],
    ]);
  });
});
