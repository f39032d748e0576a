import {
  evaluateYear,
  lineFactsOf,
  type EvaluationConfig,
  type StoredEntry,
  type YearFacts,
} from '../evaluation/index.js';
import { presetConfig } from '../evaluation/presets.js';
import type { ReportDataset } from './build.js';
import type { CodeCount, DatasetValue } from './evaluation.js';

/** An entry of a year, as the test datasets give them. */
export type YearEntry = StoredEntry & { fiscalYear: number };

/** A year's facts as the server's engine would read them from the dataset's rows. */
function yearFacts(ds: ReportDataset, year: number, entries: YearEntry[]): YearFacts {
  const records = ds.records.filter((r) => r.fiscalYear === year);
  const lines = records.flatMap((r) =>
    ds.indicators
      .filter((i) => i.projectId === r.projectId && (i.departmentId === null || i.departmentId === r.departmentId))
      .map((i) => ({
        indicatorId: i.id,
        departmentId: r.departmentId,
        projectId: i.projectId,
        nodeId: i.nodeId,
        name: i.name,
        facts: lineFactsOf(
          {
            id: i.id,
            direction: i.direction,
            purpose: 'target',
            targetBasis: 'annual',
            baselineValue: i.baselineValue,
            baselineText: i.baselineText,
            baselineYear: null,
            finalTargetValue: i.finalTargetValue,
            finalTargetText: i.finalTargetText,
            revisions: [],
          },
          year,
          {
            target: ds.targets.find((t) => t.indicatorId === i.id && t.fiscalYear === year)?.text ?? '',
            actuals: ds.actuals
              .filter((a) => a.indicatorId === i.id && a.departmentId === r.departmentId)
              .map((a) => ({
                fiscalYear: a.fiscalYear,
                value: a.value,
                text: a.text,
                status: (a.status as 'not_done' | null) ?? null, // the test rows hold statuses of the domain's list
              })),
            firstYear: ds.fiscalYear - 1,
          },
        ),
      })),
  );
  return {
    planId: ds.plan.id,
    nodes: ds.nodes.map((n) => ({ id: n.id, parentId: n.parentId, depth: n.depth })),
    projects: ds.projects.map((p) => ({ id: p.id, nodeId: p.nodeId })),
    records: records.map((r) => ({ projectId: r.projectId, departmentId: r.departmentId })),
    lines,
    entries: entries.filter((e) => e.fiscalYear === year),
  };
}

/** The dataset with its evaluation as the server's engine computes it: the real rules, on its rows. */
export function withEvaluation(ds: ReportDataset, config: EvaluationConfig, entries: YearEntry[] = []): ReportDataset {
  const values: DatasetValue[] = [];
  for (const year of [ds.fiscalYear - 1, ds.fiscalYear]) {
    const evaluations = evaluateYear(config, yearFacts(ds, year, entries));
    for (const slot of config.slots)
      for (const v of evaluations.of(slot.key))
        values.push({
          fiscalYear: year,
          slotKey: slot.key,
          subjectKind: v.subject.kind,
          subjectId: v.subject.id,
          departmentId: v.subject.departmentId,
          code: v.code,
          level: v.level,
          source: v.source,
          reason: v.source === 'override' || v.source === 'entered' ? v.reason : '',
          comment: v.comment,
          ratio: v.computed?.ratio ?? null,
        });
  }
  return { ...ds, evaluation: { config, values } };
}

/** A department's self-evaluation of an answer, in the default configuration's slot. */
export const selfGrade = (fiscalYear: number, projectId: number, departmentId: number, code: string): YearEntry => ({
  fiscalYear,
  slotKey: 'self',
  subjectKind: 'record',
  subjectId: projectId,
  departmentId,
  code,
  level: null,
  reason: '',
  comment: '',
});

/** An indicator line of the fixture: 講座 (P11)'s 開催回数, 2回 at the start and 6回 aimed at, unless told otherwise. */
export const indicator = (
  over: Partial<ReportDataset['indicators'][number]> = {},
): ReportDataset['indicators'][number] => ({
  id: 1,
  projectId: 11,
  nodeId: null,
  departmentId: null,
  name: '開催回数',
  unit: '回',
  direction: 'higher',
  baselineValue: 2,
  baselineText: '2回',
  finalTargetValue: 6,
  finalTargetText: '6回',
  position: 1,
  ...over,
});

const project = (
  id: number,
  nodeId: number,
  number: string,
  name: string,
  summary: string,
  category: string,
  audience: string,
) => ({ id, nodeId, number, name, summary, category, audience, position: Number(number) });

const record = (id: number, projectId: number, departmentId: number, fiscalYear: number, resultText = `結果${id}`) => ({
  id,
  projectId,
  departmentId,
  fiscalYear,
  planText: `予定${id}`,
  resultText,
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
  priority: false,
});

/**
 * A small plan: Ⅰ (1)(2) and Ⅱ (1); P1 and P2 under Ⅰ-(1) (P2 shared by two departments), P3 under
 * Ⅰ-(2) and cross-listed under Ⅱ-(1), P4 under Ⅱ-(1). Ⅱ is tagged with the DV sub-plan.
 */
export function dataset(overrides: Partial<ReportDataset> = {}): ReportDataset {
  const base: ReportDataset = {
    municipality: { name: 'サンプル市', era2019: 'reiwa1' },
    plan: { id: 1, title: 'サンプル市プラン', subPlans: [{ id: 9, name: 'DV防止計画' }] },
    fiscalYear: 2024,
    evaluation: { config: presetConfig('manual-a-d')!, values: [] },
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
      record(1, 11, 100, 2024),
      record(2, 12, 100, 2024),
      record(3, 12, 200, 2024),
      record(4, 13, 200, 2024),
      record(5, 14, 100, 2024),
      record(6, 11, 100, 2023),
      record(7, 14, 100, 2023),
    ],
    indicators: [],
    targets: [],
    actuals: [],
    comments: [],
    ...overrides,
  };
  if (overrides.evaluation) return base;
  // Each answer graded A〜D by its department, as the default configuration asks.
  return withEvaluation(base, base.evaluation.config, [
    selfGrade(2024, 11, 100, 'A'),
    selfGrade(2024, 12, 100, 'B'),
    selfGrade(2024, 12, 200, 'A'),
    selfGrade(2024, 13, 200, 'C'),
    selfGrade(2024, 14, 100, 'A'),
    selfGrade(2023, 11, 100, 'B'),
    selfGrade(2023, 14, 100, 'A'),
  ]);
}

/** Counts written as { code: count } (in the order meant), as the list a tally holds. */
export const codeCounts = (o: Record<string, number>): CodeCount[] =>
  Object.entries(o).map(([code, count]) => ({ code, count }));
