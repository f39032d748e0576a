import { describe, expect, it } from 'vitest';
import { treeKeyAction } from './tree-keys.js';
import { indexPlan, visibleItems } from './tree-model.js';
import type { PlanDetail, PlanNode, Project } from '../../lib/types.js';

const node = (id: number, parentId: number | null, depth: number): PlanNode => ({
  id,
  parentId,
  depth,
  position: id,
  number: String(id),
  numberOverride: null,
  title: `n${id}`,
  description: '',
  priority: false,
  subPlanIds: [],
  effectiveSubPlanIds: [],
  startYear: null,
  endYear: null,
  countsInNumbering: true,
  archived: false,
});
const project: Project = {
  id: 10,
  nodeId: 2,
  number: '10',
  name: 'p10',
  summary: '',
  category: null,
  audience: '',
  custom: {},
  position: 1,
  leadDepartmentId: 1,
  coDepartmentIds: [],
  crossListNodeIds: [],
  startYear: null,
  endYear: null,
  archived: false,
};
const plan: PlanDetail = {
  plan: {
    id: 1,
    title: 't',
    slogan: '',
    firstYear: 2021,
    lastYear: 2025,
    subPlans: [],
    categories: [],
    customFields: [],
    updatedAt: '',
    archived: false,
    currentYear: null,
    fixedYears: [],
  },
  levels: [],
  nodes: [node(1, null, 0), node(2, 1, 1), node(3, null, 0)],
  projects: [project],
};
const index = indexPlan(plan);
const key = (k: string, altKey = false) => ({ key: k, altKey });

describe('the plan tree’s keys', () => {
  const open = new Set([1, 2]);
  const items = visibleItems(index, open); // n1, n2, p10@2, n3

  it('walk the rows with ↑ ↓ Home End, staying put at either end', () => {
    expect(treeKeyAction(key('ArrowDown'), items, 0, open)).toEqual({ kind: 'focus', key: 'n2' });
    expect(treeKeyAction(key('ArrowUp'), items, 0, open)).toEqual({ kind: 'none' });
    expect(treeKeyAction(key('End'), items, 0, open)).toEqual({ kind: 'focus', key: 'n3' });
    expect(treeKeyAction(key('Home'), items, 3, open)).toEqual({ kind: 'focus', key: 'n1' });
  });

  it('open and close nodes with → ←, and go to the child or the parent when there is nothing to open or close', () => {
    const closed = new Set<number>();
    expect(treeKeyAction(key('ArrowRight'), visibleItems(index, closed), 0, closed)).toEqual({
      kind: 'toggle',
      nodeId: 1,
      open: true,
    });
    expect(treeKeyAction(key('ArrowRight'), items, 0, open)).toEqual({ kind: 'focus', key: 'n2' });
    expect(treeKeyAction(key('ArrowLeft'), items, 0, open)).toEqual({ kind: 'toggle', nodeId: 1, open: false });
    expect(treeKeyAction(key('ArrowLeft'), items, 2, open)).toEqual({ kind: 'focus', key: 'n2' });
    expect(treeKeyAction(key('ArrowRight'), items, 2, open)).toEqual({ kind: 'none' });
    expect(treeKeyAction(key('ArrowLeft'), items, 3, open)).toEqual({ kind: 'none' });
  });

  it('move nodes with Alt+↑/↓ (not projects), select with Enter or Space, and leave other keys alone', () => {
    expect(treeKeyAction(key('ArrowUp', true), items, 1, open)).toEqual({ kind: 'move', nodeId: 2, direction: -1 });
    expect(treeKeyAction(key('ArrowDown', true), items, 2, open)).toEqual({ kind: 'none' });
    expect(treeKeyAction(key('Enter'), items, 2, open)).toEqual({ kind: 'select' });
    expect(treeKeyAction(key(' '), items, 0, open)).toEqual({ kind: 'select' });
    expect(treeKeyAction(key('a'), items, 0, open)).toBeNull();
    expect(treeKeyAction(key('Enter'), [], 0, open)).toBeNull();
  });
});
