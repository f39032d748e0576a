import { z } from 'zod';
import {
  categoriesInput,
  customFieldsInput,
  customValuesInput,
  fiscalYear,
  gradeOptionsInput,
  levelInput,
} from './schemas.js';
import { DEFAULT_CATEGORIES, readCustomValues, type CategoryDef, type CustomFieldDef } from './plan-fields.js';
import { DEFAULT_GRADE_OPTIONS } from './grades.js';
import { configFromLegacy } from './evaluation/legacy.js';
import { configInput, type EvaluationConfig } from './evaluation/schema.js';
import { INDICATOR_PURPOSES, SUBJECT_KINDS, TARGET_BASES } from './evaluation/terms.js';
import { findSlot, versionFor } from './evaluation/slots.js';
import { DIRECTIONS, INDICATOR_KINDS } from './cycle-terms.js';
import { forForm } from './field-labels.js';

/**
 * The portable form of a plan's whole structure. Nodes refer to each other by keys local to the
 * file, departments by name, so a file moves between installations and municipalities.
 */
export const PLAN_EXPORT_FORMAT = 'shinchoku.plan-structure';
export const PLAN_EXPORT_VERSION = 1;

const text = (max: number) => z.string().max(max);

/** What decides how an indicator is evaluated, as of a year (its revisions repeat it from their year). */
const indicatorTerms = {
  direction: z.enum(DIRECTIONS),
  purpose: z.enum(INDICATOR_PURPOSES).default('target'),
  targetBasis: z.enum(TARGET_BASES).default('annual'),
  baseline: text(100).default(''),
  baselineYear: fiscalYear.nullable().default(null),
  finalTarget: text(100).default(''),
};

/**
 * An indicator with its yearly targets and its revisions (terms changed from a year on): of a project
 * (projectNumber), of a node (nodeKey) or of the whole plan (neither).
 */
const indicatorExport = z.object({
  projectNumber: text(20).min(1).nullable().default(null),
  /** the node whose indicator (成果指標) it is; only without projectNumber */
  nodeKey: text(40).min(1).nullable().default(null),
  /** the department whose row it belongs to (null for the whole project); the reporting department of a node's or the plan's */
  department: text(60).min(1).nullable().default(null),
  name: text(200).min(1),
  unit: text(20).default(''),
  kind: z.enum(INDICATOR_KINDS).default('number'),
  ...indicatorTerms,
  /** the fiscal years it applies in (null: the plan's first / last year); files written before these have none */
  startYear: fiscalYear.nullable().default(null),
  endYear: fiscalYear.nullable().default(null),
  targets: z
    .array(z.object({ fiscalYear, text: text(100) }))
    .max(50)
    .default([]),
  revisions: z
    .array(z.object({ fromYear: fiscalYear, note: text(200).default(''), ...indicatorTerms }))
    .max(50)
    .default([]),
});
export type IndicatorExport = z.output<typeof indicatorExport>;

/**
 * An evaluation entered for a subject of the plan (a value a person stored, not one the rules compute).
 * The subject is named by its place in the file: an answer by project number and department, a
 * project by number, a node by key, an indicator line by its number in `indicators` (1 = the first)
 * and department, the plan by nothing.
 */
const entryExport = z.object({
  slot: text(32).min(1),
  fiscalYear,
  subject: z.enum(SUBJECT_KINDS),
  projectNumber: text(20).min(1).nullable().default(null),
  nodeKey: text(40).min(1).nullable().default(null),
  indicator: z.number().int().min(1).max(50000).nullable().default(null),
  department: text(60).min(1).nullable().default(null),
  code: text(40).nullable().default(null),
  level: text(40).nullable().default(null),
  reason: text(1000).default(''),
  comment: text(4000).default(''),
});
export type EntryExport = z.output<typeof entryExport>;

/** The references each kind of subject takes: the others must be left empty. */
const ENTRY_REFERENCES: Record<EntryExport['subject'], (keyof EntryExport)[]> = {
  record: ['projectNumber', 'department'],
  project: ['projectNumber'],
  node: ['nodeKey'],
  indicator: ['indicator', 'department'],
  plan: [],
};
const REFERENCE_FIELDS = ['projectNumber', 'nodeKey', 'indicator', 'department'] as const;

/** What is wrong with an entry's slot or subject, if anything. */
function entryIssue(
  e: EntryExport,
  file: {
    versions: { fromYear: number; config: EvaluationConfig }[];
    projects: Set<string>;
    nodes: Map<string, number>;
  },
  indicatorCount: number,
): { field: string; message: string } | null {
  const slot = findSlot(versionFor(file.versions, e.fiscalYear)?.config ?? { scales: [], slots: [] }, e.slot);
  if (!slot) return { field: 'slot', message: `評価の項目「${e.slot}」が${e.fiscalYear}年度の評価方法にありません` };
  if (slot.subject !== e.subject) return { field: 'subject', message: `評価の項目「${e.slot}」の対象と合いません` };
  const wanted = ENTRY_REFERENCES[e.subject];
  for (const f of REFERENCE_FIELDS) {
    if (wanted.includes(f) && e[f] === null) return { field: f, message: '評価の対象を指定してください' };
    if (!wanted.includes(f) && e[f] !== null) return { field: f, message: 'この評価の対象には指定できません' };
  }
  if (e.projectNumber !== null && !file.projects.has(e.projectNumber))
    return { field: 'projectNumber', message: `事業番号「${e.projectNumber}」の事業がありません` };
  if (e.nodeKey !== null && !file.nodes.has(e.nodeKey))
    return { field: 'nodeKey', message: `項目「${e.nodeKey}」がありません` };
  if (e.indicator !== null && e.indicator > indicatorCount)
    return { field: 'indicator', message: `${e.indicator}件目の指標がありません` };
  return null;
}

/** Each entry's subject, slot and year once: the key an entry is stored under. */
const entryKey = (e: EntryExport) =>
  [e.fiscalYear, e.slot, e.subject, e.projectNumber, e.nodeKey, e.indicator, e.department].join('|');

/** What is wrong with where a file's indicator belongs, if anything. */
function indicatorIssue(
  ind: IndicatorExport,
  projectNumbers: Set<string>,
  nodeKeys: Map<string, number>,
): { field: string; message: string } | null {
  if (ind.startYear !== null && ind.endYear !== null && ind.endYear < ind.startYear)
    return { field: 'endYear', message: '終了年度は開始年度以降にしてください' };
  if (ind.projectNumber !== null) {
    if (ind.nodeKey !== null) return { field: 'nodeKey', message: '事業の指標には項目を指定できません' };
    if (!projectNumbers.has(ind.projectNumber))
      return { field: 'projectNumber', message: `事業番号「${ind.projectNumber}」の事業がありません` };
    return null;
  }
  if (ind.nodeKey !== null && !nodeKeys.has(ind.nodeKey))
    return { field: 'nodeKey', message: `項目「${ind.nodeKey}」がありません` };
  if (ind.department === null) return { field: 'department', message: '実績を報告する課を指定してください' };
  return null;
}

/** A project's 区分 and extra fields read against the plan's lists in the same file. */
function projectFieldProblems(
  plan: { categories?: CategoryDef[] | undefined; customFields: CustomFieldDef[] },
  p: { category: string | null; custom: Record<string, unknown> },
): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const categories = plan.categories ?? DEFAULT_CATEGORIES;
  if (p.category !== null && !categories.some((c) => c.code === p.category))
    out.push({ path: 'category', message: `区分「${p.category}」が計画の区分にありません` });
  for (const problem of readCustomValues(plan.customFields, 'project', p.custom).problems)
    out.push({ path: 'custom', message: problem.message });
  return out;
}

export const planExportSchema = forForm(
  'planFile',
  z
    .object({
      format: z.literal(PLAN_EXPORT_FORMAT, { error: 'ファイルの形式が計画構造ファイルではありません' }),
      version: z.literal(PLAN_EXPORT_VERSION, { error: 'このバージョンの計画構造ファイルには対応していません' }),
      plan: z.object({
        title: text(120).min(1),
        slogan: text(200),
        firstYear: fiscalYear,
        lastYear: fiscalYear,
        subPlans: z.array(text(80).min(1)).max(10),
        /** files written before evaluation configurations: the codes departments chose from */
        gradeOptions: gradeOptionsInput.optional(),
        /** how the plan evaluates, by the fiscal year each configuration applies from */
        evaluation: z
          .array(z.object({ fromYear: fiscalYear, note: text(200).default(''), config: configInput }))
          .max(50)
          .optional(),
        /** files written before plans had their own 区分 list carry the default one */
        categories: categoriesInput.default(() => DEFAULT_CATEGORIES.map((c) => ({ ...c }))),
        customFields: customFieldsInput.default([]),
      }),
      levels: z.array(levelInput).min(2).max(6),
      nodes: z
        .array(
          z.object({
            key: text(40).min(1),
            parentKey: text(40).nullable(),
            title: text(200).min(1),
            description: text(2000),
            numberOverride: text(20).nullable(),
            priority: z.boolean(),
            subPlans: z.array(text(80).min(1)).max(10),
            startYear: fiscalYear.nullable().default(null),
            endYear: fiscalYear.nullable().default(null),
            /** false: numberOverride was appended without renumbering the nodes after it */
            countsInNumbering: z.boolean().default(true),
          }),
        )
        .max(5000),
      projects: z
        .array(
          z.object({
            number: text(20).min(1),
            nodeKey: text(40).min(1),
            name: text(200).min(1),
            summary: text(4000),
            category: text(20).nullable(),
            audience: text(200),
            custom: customValuesInput.default({}),
            leadDepartment: text(60).min(1),
            coDepartments: z.array(text(60).min(1)).max(30),
            crossListNodeKeys: z.array(text(40).min(1)).max(30),
            startYear: fiscalYear.nullable().default(null),
            endYear: fiscalYear.nullable().default(null),
          }),
        )
        .max(20000),
      /** files written before indicators were carried have none */
      indicators: z.array(indicatorExport).max(50000).default([]),
      /** the evaluations entered, in year, slot and subject order; files written before entries were carried have none */
      entries: z.array(entryExport).max(200000).default([]),
    })
    .superRefine((v, ctx) => {
      const depth = new Map<string, number>();
      v.nodes.forEach((n, i) => {
        if (depth.has(n.key))
          ctx.addIssue({ code: 'custom', path: ['nodes', i, 'key'], message: `キー「${n.key}」が重複しています` });
        if (n.parentKey === null) depth.set(n.key, 0);
        else if (!depth.has(n.parentKey))
          ctx.addIssue({
            code: 'custom',
            path: ['nodes', i, 'parentKey'],
            message: `上位の項目「${n.parentKey}」がこれより前にありません`,
          });
        else depth.set(n.key, depth.get(n.parentKey)! + 1);
        if ((depth.get(n.key) ?? 0) >= v.levels.length)
          ctx.addIssue({ code: 'custom', path: ['nodes', i, 'parentKey'], message: '階層の段数を超えています' });
        const unknownTag = n.subPlans.find((t) => !v.plan.subPlans.includes(t));
        if (unknownTag)
          ctx.addIssue({
            code: 'custom',
            path: ['nodes', i, 'subPlans'],
            message: `関連計画「${unknownTag}」が計画に定義されていません`,
          });
      });
      const numbers = new Set<string>();
      v.projects.forEach((p, i) => {
        if (numbers.has(p.number))
          ctx.addIssue({
            code: 'custom',
            path: ['projects', i, 'number'],
            message: `事業番号「${p.number}」が重複しています`,
          });
        numbers.add(p.number);
        for (const problem of projectFieldProblems(v.plan, p))
          ctx.addIssue({ code: 'custom', path: ['projects', i, problem.path], message: problem.message });
        for (const key of [p.nodeKey, ...p.crossListNodeKeys])
          if (!depth.has(key))
            ctx.addIssue({ code: 'custom', path: ['projects', i, 'nodeKey'], message: `項目「${key}」がありません` });
      });
      v.indicators.forEach((ind, i) => {
        const issue = indicatorIssue(ind, numbers, depth);
        if (issue) ctx.addIssue({ code: 'custom', path: ['indicators', i, issue.field], message: issue.message });
      });
      const versions = evaluationOfExport(v.plan);
      const seen = new Set<string>();
      v.entries.forEach((e, i) => {
        const issue = entryIssue(e, { versions, projects: numbers, nodes: depth }, v.indicators.length);
        if (issue) ctx.addIssue({ code: 'custom', path: ['entries', i, issue.field], message: issue.message });
        else if (seen.has(entryKey(e)))
          ctx.addIssue({ code: 'custom', path: ['entries', i, 'slot'], message: '同じ対象の評価が重複しています' });
        seen.add(entryKey(e));
      });
      if (v.plan.lastYear < v.plan.firstYear)
        ctx.addIssue({
          code: 'custom',
          path: ['plan', 'lastYear'],
          message: '計画期間（終了年度）は開始年度以降にしてください',
        });
    }),
);

export type PlanExport = z.infer<typeof planExportSchema>;
/** A plan structure as written by hand (sample data, benchmarks): fields with defaults may be left out. */
export type PlanExportInput = z.input<typeof planExportSchema>;

/** A file's evaluation versions: as written, or for an older file, A〜D-style codes chosen by hand from its options. */
export function evaluationOfExport(
  plan: PlanExport['plan'],
): { fromYear: number; note: string; config: EvaluationConfig }[] {
  if (plan.evaluation?.length) return [...plan.evaluation].sort((a, b) => a.fromYear - b.fromYear);
  const options = plan.gradeOptions ?? DEFAULT_GRADE_OPTIONS;
  return [{ fromYear: plan.firstYear, note: '', config: configFromLegacy('', options, true) }];
}
