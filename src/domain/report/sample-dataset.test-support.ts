import { manualScale } from '../evaluation.js';
import type { ReportDataset } from './build.js';

const project = (
  id: number,
  nodeId: number,
  number: string,
  name: string,
  summary: string,
  category: string,
  audience: string,
) => ({ id, nodeId, number, name, summary, category, audience, position: Number(number) });

const record = (
  id: number,
  projectId: number,
  departmentId: number,
  fiscalYear: number,
  grade: string | null,
  resultText = `結果${id}`,
) => ({
  id,
  projectId,
  departmentId,
  fiscalYear,
  planText: `予定${id}`,
  resultText,
  grade,
  remarks: '',
  nextYearPlan: '',
  sameAsDepartmentId: null,
  status: 'approved',
});

const node = (
  id: number,
  parentId: number | null,
  depth: number,
  position: number,
  title: string,
  subPlanIds: number[] = [],
) => ({
  id,
  parentId,
  depth,
  position,
  title,
  numberOverride: null,
  subPlanIds,
});

/**
 * A small plan: Ⅰ (1)(2) and Ⅱ (1); P1 and P2 under Ⅰ-(1) (P2 shared by two departments), P3 under
 * Ⅰ-(2) and cross-listed under Ⅱ-(1), P4 under Ⅱ-(1). Ⅱ is tagged with the DV sub-plan.
 */
export function dataset(overrides: Partial<ReportDataset> = {}): ReportDataset {
  return {
    municipality: { name: 'サンプル市', era2019: 'reiwa1' },
    plan: { id: 1, title: 'サンプル市プラン' },
    fiscalYear: 2024,
    scale: manualScale(),
    levels: [
      { depth: 0, name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { depth: 1, name: '施策', numberingStyle: 'paren', numberingScope: 'parent' },
    ],
    nodes: [
      node(1, null, 0, 1, '意識づくり'),
      node(2, 1, 1, 1, '啓発'),
      node(3, 1, 1, 2, '学習'),
      node(4, null, 0, 2, '暴力の根絶', [9]),
      node(5, 4, 1, 1, '相談'),
    ],
    projects: [
      project(11, 2, '1', '講座', '講座を開く', '継続', '市民'),
      project(12, 2, '2', '研修', '研修する', '新規', '職員'),
      project(13, 3, '3', '出前授業', '学校で', '充実', '児童'),
      project(14, 5, '4', '女性相談', '相談を受ける', '継続', '市民'),
    ],
    listings: [{ projectId: 13, nodeId: 5, position: 1 }],
    assignments: [
      { projectId: 11, departmentId: 100, isLead: true, position: 0 },
      { projectId: 12, departmentId: 100, isLead: true, position: 0 },
      { projectId: 12, departmentId: 200, isLead: false, position: 1 },
      { projectId: 13, departmentId: 200, isLead: true, position: 0 },
      { projectId: 14, departmentId: 100, isLead: true, position: 0 },
    ],
    departments: [
      { id: 100, name: '人権推進課', displayName: '人権推進課', position: 1 },
      { id: 200, name: '学校教育課', displayName: '学校教育課（令和5年度より教育総務課から組織変更）', position: 2 },
    ],
    records: [
      record(1, 11, 100, 2024, 'A'),
      record(2, 12, 100, 2024, 'B'),
      record(3, 12, 200, 2024, 'A'),
      record(4, 13, 200, 2024, 'C'),
      record(5, 14, 100, 2024, 'A'),
      record(6, 11, 100, 2023, 'B'),
      record(7, 14, 100, 2023, 'A'),
    ],
    indicators: [],
    targets: [],
    actuals: [],
    ...overrides,
  };
}
