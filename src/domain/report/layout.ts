import { z } from 'zod';
import { COLUMN_KEYS, SLOT_COLUMNS, YEAR_COLUMNS, type ColumnKey } from './columns.js';
import { fiscalYear } from '../schemas.js';
import { forForm } from '../field-labels.js';
import { PAPER_ORIENTATIONS, PAPER_SIZES } from './paper.js';

/**
 * A report layout is data: which columns in which order under which headers, how the plan's tree
 * is shown (merged columns or heading rows), what one row is (a project, a department's record, or
 * one indicator line), one sheet per department or one table, the title, document number, as-of
 * date, legend and row numbering. The built-in layouts reproduce reports met in practice and are
 * named like the import mappings that read them.
 */

export { COLUMN_KEYS, COLUMN_KEY_LABELS, type ColumnKey } from './columns.js';

export const ROW_UNITS = ['project', 'record', 'indicator'] as const;
export type RowUnit = (typeof ROW_UNITS)[number];
export const ROW_UNIT_LABELS: Record<RowUnit, string> = {
  project: '事業ごとに1行（複数の課は1つの欄に）',
  record: '事業と課ごとに1行',
  indicator: '活動指標ごとに1行',
};

const column = z.object({
  key: z.enum(COLUMN_KEYS),
  /** one or two header lines; {plan}, {year}, {year-2:西暦}, {year+1:略}, {yearShort} … are replaced (docs/reports.md) */
  header: z.array(z.string().max(60)).min(1).max(2),
  /** width in characters (Excel) */
  width: z.number().min(2).max(120),
  /** for node columns: the depth of the plan tree */
  depth: z.number().int().min(0).max(5).optional(),
  /** cells of consecutive rows with the same node, project or record print once (merged) */
  merge: z.boolean().optional(),
  /** for projectName: print the project's indicator after this marker (「【数値目標】」) */
  indicatorMarker: z.string().max(20).optional(),
  /** for grade, level, gradeReason, ratio and points: the key of the evaluation slot printed (default: the plan's printed slot) */
  slot: z.string().trim().min(1).max(32).optional(),
  /** for the year columns (actual, target, the texts, council comments): years after (+) or before (−) the report's */
  yearOffset: z.number().int().min(-20).max(1).optional(),
  /** for the year columns: a fiscal year named (令和2年度 = 2020) */
  fiscalYear: fiscalYear.optional(),
  /** for actual: one part of the value (男女別: 「女性」) as its own column, or every part on lines of its own */
  part: z.string().trim().min(1).max(60).optional(),
  parts: z.boolean().optional(),
  /** for grade: print every code of the scale as □, the one given as ■ (「■A □B □C □D」), as evaluation sheets do */
  choices: z.boolean().optional(),
  /** for ratio: decimals printed (0–2) */
  digits: z.number().int().min(0).max(2).optional(),
  /** for councilComments: the latest remark with its answers, or every remark of the year */
  which: z.enum(['latest', 'all']).optional(),
  /** for priority: the mark printed where the node is a 重点 (default ★); for overrideMark: where a grade differs from the computed one (default ※) */
  mark: z.string().max(10).optional(),
  /** for custom: the key of the plan's extra field (計画の設定 → 追加の項目) */
  field: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,29}$/, '追加の項目の識別名（半角英小文字で始まる英数字）を入力してください')
    .optional(),
});
export type LayoutColumn = z.output<typeof column>;

/** What a column's options say that its kind cannot do, if anything. */
function columnIssue(c: z.output<typeof column>): { field: string; message: string } | null {
  if (c.slot !== undefined && !SLOT_COLUMNS.has(c.key))
    return { field: 'slot', message: '評価の項目を選べるのは評価・達成度・評価の理由・達成率・点数の列だけです' };
  if ((c.yearOffset !== undefined || c.fiscalYear !== undefined) && !YEAR_COLUMNS.has(c.key))
    return { field: 'yearOffset', message: '年度を選べるのは実績・目標・記述・審議会の意見の列だけです' };
  if (c.yearOffset !== undefined && c.fiscalYear !== undefined)
    return {
      field: 'fiscalYear',
      message: '年度は「報告の年度から何年前か」か「年度の指定」のどちらか一方にしてください',
    };
  const only: [keyof typeof c, ColumnKey[], string][] = [
    ['digits', ['ratio'], '小数の桁数は達成率の列だけに指定できます'],
    ['choices', ['grade'], '選択肢の印（□■）は評価の列だけに指定できます'],
    ['which', ['councilComments'], '意見の範囲は審議会の意見の列だけに指定できます'],
    ['mark', ['priority', 'overrideMark'], '印は重点・計算と異なる評価の印の列だけに指定できます'],
    ['part', ['actual'], '内訳は実績の列だけに指定できます'],
    ['parts', ['actual'], '内訳は実績の列だけに指定できます'],
    ['field', ['custom'], '追加の項目を選べるのは追加の項目の列だけです'],
  ];
  for (const [option, keys, message] of only)
    if (c[option] !== undefined && !keys.includes(c.key)) return { field: option, message };
  if (c.key === 'custom' && c.field === undefined)
    return { field: 'field', message: '追加の項目の列には、印刷する項目の識別名を指定してください' };
  return null;
}

export const layoutInput = forForm(
  'layout',
  z
    .object({
      name: z
        .string()
        .trim()
        .min(1, '名前を入力してください')
        .max(60)
        .regex(/^[^/\\]+$/, '名前に「/」と「\\」は使えません'),
      label: z.string().max(200).default(''),
      /** {plan}, {year}, {yearShort} are replaced */
      title: z.string().max(200).default('{plan} {year}'),
      /** a sheet's own title where there is one per department; {department} is replaced too */
      sheetTitle: z.string().max(200).optional(),
      documentNumber: z.string().max(30).default(''),
      /** print 「令和4年3月31日時点」 */
      showAsOf: z.boolean().default(true),
      hierarchy: z.enum(['columns', 'sections']),
      /** for sections: the text of a heading row per depth; {name} {number} {title} {count} {grade:slot} {comment:slot} */
      sectionFormats: z.array(z.string().max(60)).max(6).default([]),
      /** print the 区分 counts of all the plan's projects under each heading of this depth */
      categoryCountsDepth: z.number().int().min(0).max(5).nullable().default(null),
      /** count the 区分 of every project of the plan under the heading, or only of those the sheet prints */
      categoryCountsOf: z.enum(['plan', 'shown']).default('plan'),
      rowUnit: z.enum(ROW_UNITS),
      /** with one row per indicator line: keep a row for an answer without any line, or leave it out */
      emptyRows: z.enum(['keep', 'omit']).default('keep'),
      /** one table, one sheet per department, or one sheet per project as a form (label and value per column) */
      grouping: z.enum(['tree', 'department', 'project']),
      /** print rows for projects cross-listed (再掲) under another node, with this mark after the name */
      crossListingMark: z.string().max(30).nullable().default('（再掲）'),
      legend: z
        .object({ title: z.string().max(60), note: z.string().max(200) })
        .nullable()
        .default(null),
      columns: z.array(column).min(1, '列を1つ以上入れてください').max(30),
      /** the paper it prints on (print view, public page, .xlsx); A4 landscape when absent */
      paper: z.object({ size: z.enum(PAPER_SIZES), orientation: z.enum(PAPER_ORIENTATIONS) }).optional(),
    })
    .superRefine((l, ctx) => {
      for (const [i, c] of l.columns.entries()) {
        const issue = columnIssue(c);
        if (issue)
          ctx.addIssue({
            code: 'custom',
            path: ['columns', i, issue.field],
            message: `${i + 1}列目: ${issue.message}`,
          });
      }
      for (const [i, c] of l.columns.entries())
        if ((c.key === 'node' || c.key === 'nodeNumber' || c.key === 'nodeTitle') && c.depth === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['columns', i, 'depth'],
            message: `${i + 1}列目は体系の列です。階層を選んでください`,
          });
    }),
);

/** A report layout as stored and used: what layoutInput reads (one type, inferred from its schema). */
export type ReportLayout = z.output<typeof layoutInput>;

export const BUILTIN_LAYOUTS: ReportLayout[] = [
  {
    name: 'indicator-achievement',
    label: '活動指標ごとの達成度と最終評価（上位3階層を結合した列、第3階層は番号と名称を別の列に、通し番号つき）',
    title: '{plan} {year}事業最終評価',
    documentNumber: '資料2',
    showAsOf: true,
    hierarchy: 'columns',
    sectionFormats: [],
    categoryCountsDepth: null,
    categoryCountsOf: 'plan',
    rowUnit: 'indicator',
    emptyRows: 'keep',
    grouping: 'tree',
    crossListingMark: '（再掲）',
    legend: null,
    paper: { size: 'A4', orientation: 'landscape' },
    columns: [
      { key: 'node', depth: 0, header: ['{level:0}'], width: 16, merge: true },
      { key: 'node', depth: 1, header: ['{level:1}'], width: 18, merge: true },
      { key: 'nodeNumber', depth: 2, header: ['{levelNo:2}'], width: 5, merge: true },
      { key: 'nodeTitle', depth: 2, header: ['{level:2}'], width: 24, merge: true },
      { key: 'projectName', header: ['主な取組'], width: 20, merge: true },
      { key: 'planText', header: ['{year}事業予定'], width: 28 },
      { key: 'indicator', header: ['活動指標'], width: 14 },
      { key: 'target', header: ['目標'], width: 7 },
      { key: 'actual', header: ['最終実績'], width: 8 },
      { key: 'level', header: ['達成度'], width: 5 },
      { key: 'grade', header: ['最終評価'], width: 5 },
      { key: 'remarks', header: ['備考'], width: 14 },
      { key: 'department', header: ['担当部署'], width: 12 },
      { key: 'rowNumber', header: [''], width: 4 },
    ],
  },
  {
    name: 'multi-year-values',
    label: '事業実績一覧：現状値と2年分の実績値、取組状況（基本目標・施策の方向・基本事業を見出し行に）',
    title: '{plan}事業実績一覧（{yearShort}）',
    documentNumber: '資料 1-3',
    showAsOf: false,
    hierarchy: 'sections',
    sectionFormats: ['{name}{number} {title}', '{number} {title}', '{number} {title}'],
    categoryCountsDepth: null,
    categoryCountsOf: 'plan',
    rowUnit: 'project',
    emptyRows: 'keep',
    grouping: 'tree',
    crossListingMark: '（再掲）',
    legend: null,
    paper: { size: 'A4', orientation: 'landscape' },
    columns: [
      { key: 'blank', header: ['施策の方向', ''], width: 4 },
      { key: 'projectNumber', header: ['基本事業', ''], width: 5 },
      { key: 'projectName', header: ['事業', ''], width: 34, indicatorMarker: '【数値目標】' },
      { key: 'departments', header: ['担当課', ''], width: 12 },
      { key: 'baseline', header: ['現状値', ''], width: 8 },
      { key: 'actualPrevious', header: ['実績値', '{year-1}'], width: 9 },
      { key: 'actual', header: ['①実績値', '{year}'], width: 9 },
      { key: 'resultText', header: ['②{year}実績', '（事業の内容・取り組み状況）'], width: 60 },
    ],
  },
  {
    name: 'narrative-status',
    label: '実施状況（文章）の一覧：基本目標・施策の方向を結合した列、担当課に組織変更の注記',
    title: '{plan}の実施状況について',
    documentNumber: '',
    showAsOf: false,
    hierarchy: 'columns',
    sectionFormats: [],
    categoryCountsDepth: null,
    categoryCountsOf: 'plan',
    rowUnit: 'project',
    emptyRows: 'keep',
    grouping: 'tree',
    crossListingMark: '（再掲）',
    legend: null,
    paper: { size: 'A4', orientation: 'portrait' },
    columns: [
      { key: 'node', depth: 0, header: ['{level:0}'], width: 14, merge: true },
      { key: 'node', depth: 1, header: ['{level:1}'], width: 16, merge: true },
      { key: 'projectNumberName', header: ['事業名称'], width: 18 },
      { key: 'summary', header: ['事業内容'], width: 40 },
      { key: 'resultText', header: ['{year}実施状況'], width: 44 },
      { key: 'departments', header: ['担当課'], width: 16 },
    ],
  },
  {
    name: 'department-sheets',
    label: '対象課別シート：課ごとのシートに区分・対象者・評価（A〜D の凡例）・翌年度予定、基本目標に区分の件数',
    title: '{plan} 進捗状況調査報告書(ヒアリング対象課別シート)',
    sheetTitle: '{plan} 進捗状況調査報告書(ヒアリング対象課別シート)【対象課 {department}】',
    documentNumber: '',
    showAsOf: false,
    hierarchy: 'sections',
    sectionFormats: ['{name}{number} {title}', '{name}{number} {title}', '{number} {title}'],
    categoryCountsDepth: 0,
    categoryCountsOf: 'plan',
    rowUnit: 'record',
    emptyRows: 'keep',
    grouping: 'department',
    crossListingMark: '（再掲）',
    legend: { title: '【評価基準について】', note: '<主管課の自己評価>' },
    paper: { size: 'A3', orientation: 'landscape' },
    columns: [
      { key: 'projectNumber', header: ['No.'], width: 4, merge: true },
      { key: 'projectName', header: ['事業名'], width: 16, merge: true },
      { key: 'summary', header: ['事業概要'], width: 28, merge: true },
      { key: 'category', header: ['区分'], width: 5, merge: true },
      { key: 'audience', header: ['事業の対象者'], width: 8, merge: true },
      { key: 'department', header: ['主管課'], width: 10 },
      { key: 'planText', header: ['{year}事業予定'], width: 28 },
      { key: 'resultText', header: ['{year}事業実績'], width: 30 },
      { key: 'grade', header: ['評価'], width: 5 },
      { key: 'nextYearPlan', header: ['{year+1}事業予定'], width: 28 },
    ],
  },
  {
    name: 'project-sheet',
    label: '事業評価シート：事業ごとに1枚、項目と内容の欄（評価は尺度の□■で）',
    title: '{plan} 事業評価シート（{year}）',
    documentNumber: '',
    showAsOf: false,
    hierarchy: 'sections',
    sectionFormats: [],
    categoryCountsDepth: null,
    categoryCountsOf: 'plan',
    rowUnit: 'indicator',
    emptyRows: 'keep',
    grouping: 'project',
    crossListingMark: null,
    legend: null,
    paper: { size: 'A4', orientation: 'portrait' },
    columns: [
      { key: 'projectNumber', header: ['事業番号'], width: 6 },
      { key: 'projectName', header: ['事業名'], width: 20 },
      { key: 'category', header: ['区分'], width: 5 },
      { key: 'departments', header: ['担当課'], width: 12 },
      { key: 'summary', header: ['事業概要'], width: 30 },
      { key: 'planText', header: ['{year}事業予定'], width: 30 },
      { key: 'resultText', header: ['{year}実績・取組状況'], width: 30 },
      { key: 'indicator', header: ['活動指標'], width: 14 },
      { key: 'target', header: ['目標'], width: 7 },
      { key: 'actual', header: ['実績'], width: 7 },
      { key: 'ratio', header: ['達成率'], width: 6 },
      { key: 'grade', header: ['評価'], width: 12, choices: true },
      { key: 'gradeReason', header: ['評価の理由'], width: 20 },
      { key: 'nextYearPlan', header: ['{year+1}事業予定'], width: 30 },
    ],
  },
];

export function builtinLayout(name: string): ReportLayout | undefined {
  return BUILTIN_LAYOUTS.find((l) => l.name === name);
}
