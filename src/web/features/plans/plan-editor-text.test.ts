import { describe, expect, it } from 'vitest';
import { archivedItemLabel, deleteTitle, nodeLabel, numberingSubject } from './plan-editor-text.js';
import { indexPlan } from './tree-model.js';
import type { NumberingPreview, PlanDetail, PlanNode, Project } from '../../lib/types.js';

const node = (id: number, parentId: number | null, depth: number): PlanNode => ({
  id,
  parentId,
  depth,
  position: id,
  number: String(id),
  numberOverride: null,
  title: `項目${id}`,
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
  number: '12',
  name: '啓発講座',
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
  levels: [
    { depth: 0, name: '基本目標', numberingStyle: 'roman', numberingScope: 'parent', numberHeading: '' },
    { depth: 1, name: '施策', numberingStyle: 'paren', numberingScope: 'parent', numberHeading: '' },
  ],
  nodes: [node(1, null, 0), node(2, 1, 1), node(3, 2, 2)],
  projects: [project],
};
const preview: NumberingPreview = { year: null, frozen: false, changes: [] };
const draft = {
  title: '新しい施策',
  description: '',
  numberOverride: '',
  priority: false,
  subPlans: [],
  startYear: null,
  endYear: null,
};

describe('the plan editor’s words', () => {
  it('names nodes by their level, and a level the plan has no name for as 項目', () => {
    expect(nodeLabel(plan, plan.nodes[0]!)).toBe('基本目標「項目1」');
    expect(nodeLabel(plan, plan.nodes[2]!)).toBe('項目「項目3」');
    expect(archivedItemLabel(plan, { kind: 'project', project })).toBe('事業12「啓発講座」');
  });

  it('asks about numbering for a new node under the level below its parent, or for the node moved', () => {
    const index = indexPlan(plan);
    expect(numberingSubject(plan, index, null)).toBe('');
    expect(numberingSubject(plan, index, { op: 'create', draft, parentId: 1, preview })).toBe('施策「新しい施策」');
    expect(numberingSubject(plan, index, { op: 'create', draft, parentId: null, preview })).toBe(
      '基本目標「新しい施策」',
    );
    const from = { parentId: 1, index: 1 };
    expect(
      numberingSubject(plan, index, { op: 'move', node: plan.nodes[1]!, from, parentId: 1, index: 0, preview }),
    ).toBe('施策「項目2」');
  });

  it('titles the deletion question with what is deleted', () => {
    expect(deleteTitle(plan, null)).toBe('');
    expect(deleteTitle(plan, { kind: 'node', node: plan.nodes[1]!, preview: null })).toBe('施策「項目2」を削除します');
    expect(deleteTitle(plan, { kind: 'project', project })).toBe('事業12「啓発講座」を削除します');
  });
});
