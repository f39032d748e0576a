import { describe, expect, it } from 'vitest';
import { indexPlan, keyboardMoveTarget, visibleItems } from './tree-model.js';
import type { PlanDetail, PlanNode, Project } from '../../lib/types.js';

const node = (id: number, parentId: number | null, depth: number, position: number): PlanNode => ({
  id, parentId, depth, position, number: String(id), numberOverride: null, title: `n${id}`, description: '', priority: false, subPlanIds: [], effectiveSubPlanIds: [],
  startYear: null, endYear: null, countsInNumbering: true, archived: false,
});
const project = (id: number, nodeId: number, crossListNodeIds: number[] = []): Project => ({
  id, nodeId, number: String(id), name: `p${id}`, summary: '', category: null, audience: '', position: id, leadDepartmentId: 1, coDepartmentIds: [], crossListNodeIds,
  startYear: null, endYear: null, archived: false,
});
const plan: PlanDetail = {
  plan: { id: 1, title: 't', slogan: '', firstYear: 2021, lastYear: 2025, subPlans: [], gradeOptions: [], updatedAt: '', archived: false, currentYear: null },
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
