import { describe, expect, it } from 'vitest';
import { indexPlan, keyboardMoveTarget, serverMoveIndex, visibleItems } from './tree-model.js';
import type { PlanDetail, PlanNode, Project } from '../../lib/types.js';

const node = (id: number, parentId: number | null, depth: number, position: number): PlanNode => ({
  id,
  parentId,
  depth,
  position,
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
const project = (id: number, nodeId: number, crossListNodeIds: number[] = []): Project => ({
  id,
  nodeId,
  number: String(id),
  name: `p${id}`,
  summary: '',
  category: null,
  audience: '',
  custom: {},
  position: id,
  leadDepartmentId: 1,
  coDepartmentIds: [],
  crossListNodeIds,
  startYear: null,
  endYear: null,
  archived: false,
});
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
  nodes: [node(1, null, 0, 1), node(2, null, 0, 2), node(3, 1, 1, 1), node(4, 1, 1, 2), node(5, 2, 1, 1)],
  projects: [project(10, 3), project(11, 5, [3])],
};

describe('the plan tree as shown', () => {
  it('lists expanded nodes with their projects and cross-listed copies', () => {
    const items = visibleItems(indexPlan(plan), new Set([1, 2, 3, 5]));
    expect(items.map((i) => i.key)).toEqual(['n1', 'n3', 'p10@3', 'p11@3', 'n4', 'n2', 'n5', 'p11@5']);
    const copy = items.find((i) => i.key === 'p11@3');
    expect(copy?.kind === 'project' && copy.crossListed).toBe(true);
  });
  it('hides what is under a collapsed node', () => {
    const items = visibleItems(indexPlan(plan), new Set([2]));
    expect(items.map((i) => i.key)).toEqual(['n1', 'n2', 'n5']);
  });
});

describe('moving a node by keyboard', () => {
  const index = indexPlan(plan);
  it('moves among siblings', () => {
    expect(keyboardMoveTarget(index, 4, -1)).toEqual({ parentId: 1, index: 0 });
    expect(keyboardMoveTarget(index, 3, 1)).toEqual({ parentId: 1, index: 1 });
  });
  it('crosses into the neighbouring parent at the edge', () => {
    expect(keyboardMoveTarget(index, 4, 1)).toEqual({ parentId: 2, index: 0 });
    expect(keyboardMoveTarget(index, 5, -1)).toEqual({ parentId: 1, index: 2 });
  });
  it('stops at the ends of the plan', () => {
    expect(keyboardMoveTarget(index, 1, -1)).toBeNull();
    expect(keyboardMoveTarget(index, 2, 1)).toBeNull();
  });
});

describe('archived nodes and projects', () => {
  const withArchive: PlanDetail = {
    ...plan,
    nodes: [...plan.nodes, { ...node(6, 1, 1, 3), archived: true }, { ...node(7, 1, 1, 4) }],
    projects: [...plan.projects, { ...project(12, 3), archived: true }, project(13, 4, [6])],
  };
  it('are left out of the tree, with cross-listings under archived nodes', () => {
    const items = visibleItems(indexPlan(withArchive), new Set([1, 2, 3, 4, 5, 6]));
    expect(items.map((i) => i.key)).toEqual(['n1', 'n3', 'p10@3', 'p11@3', 'n4', 'p13@4', 'n7', 'n2', 'n5', 'p11@5']);
  });
  it("keep their place in the server's count of siblings", () => {
    // Live siblings under 1: 3, 4, 7 (6 is archived, between 4 and 7). Moving 3 to the end.
    expect(serverMoveIndex(withArchive, 1, 3, 2)).toBe(3);
    // Moving 7 up one place: before 4, which is at index 1 among [3, 4, 6].
    expect(serverMoveIndex(withArchive, 1, 7, 1)).toBe(1);
    expect(serverMoveIndex(withArchive, 2, 3, 0)).toBe(0);
  });
});
