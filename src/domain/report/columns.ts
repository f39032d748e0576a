import type { LayoutColumn } from './layout.js';

/**
 * A report column's identity and the rules every output follows to print it: which column it is
 * (what it shows and, for the plan tree's columns, which level), its text form for JSON readers,
 * the label of a column printed without a header, how its cells align, how a changed grade's note
 * reads. No zod here: the SPA draws reports with these rules.
 */

/** What a column can show (a layout's column `key`). */
export const COLUMN_KEYS = [
  'node',
  'nodeNumber',
  'nodeTitle',
  'projectNumber',
  'projectName',
  'projectNumberName',
  'summary',
  'category',
  'audience',
  'departments',
  'department',
  'planText',
  'resultText',
  'nextYearPlan',
  'remarks',
  'indicator',
  'baseline',
  'target',
  'actual',
  'actualPrevious',
  'finalTarget',
  'level',
  'grade',
  'gradeReason',
  'rowNumber',
  'blank',
  'unit',
  'ratio',
  'points',
  'priority',
  'subPlans',
  'councilComments',
  'overrideMark',
  'custom',
] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

/** The two columns of a form (one sheet per project): what each line is, and its value. Not for layouts. */
export const FORM_COLUMN_KEYS = ['label', 'value'] as const;
/** A column of a document: a layout's, or a form's. */
export type DocumentColumnKey = ColumnKey | (typeof FORM_COLUMN_KEYS)[number];

export const COLUMN_KEY_LABELS: Record<ColumnKey, string> = {
  node: '体系（番号と名称）',
  nodeNumber: '体系の番号',
  nodeTitle: '体系の名称',
  projectNumber: '事業番号',
  projectName: '事業名',
  projectNumberName: '事業番号と事業名',
  summary: '事業概要',
  category: '区分',
  audience: '対象者',
  departments: '担当課（事業のすべての課）',
  department: '担当課（その行の課）',
  planText: '事業予定',
  resultText: '実績・取組状況',
  nextYearPlan: '翌年度予定',
  remarks: '備考',
  indicator: '活動指標',
  baseline: '現状値',
  target: '目標（その年度）',
  actual: '実績（その年度）',
  actualPrevious: '前年度実績',
  finalTarget: '最終目標',
  level: '達成度（計算の段階）',
  grade: '評価',
  gradeReason: '評価の理由（計算と異なる場合）',
  rowNumber: '通し番号',
  blank: '空欄（字下げ用）',
  unit: '単位',
  ratio: '達成率・進捗率（%）',
  points: '評価の点数',
  priority: '重点の印',
  subPlans: '関連計画',
  councilComments: '審議会の意見と回答',
  overrideMark: '計算と異なる評価の印',
  custom: '計画の追加の項目（予算額など）',
};

/** The columns whose values belong to a fiscal year: the report's, one before or after it, or a year named. */
export const YEAR_COLUMNS: ReadonlySet<ColumnKey> = new Set([
  'actual',
  'target',
  'planText',
  'resultText',
  'nextYearPlan',
  'remarks',
  'councilComments',
  'custom',
]);

/** The columns that print an evaluation slot's value (the plan's printed slot, or the one the column names). */
export const SLOT_COLUMNS: ReadonlySet<ColumnKey> = new Set([
  'grade',
  'level',
  'gradeReason',
  'ratio',
  'points',
  'overrideMark',
]);

/** Which column: what it shows and, for the plan tree's columns, at which level. */
export interface ColumnId {
  field: DocumentColumnKey;
  depth?: number;
  /** for the grade columns: the evaluation slot printed, where it is not the plan's printed slot */
  slot?: string;
  /** for the year columns: years after (+) or before (−) the report's */
  yearOffset?: number;
  /** for the year columns: the fiscal year named */
  fiscalYear?: number;
  /** for custom: the key of the plan's extra field printed */
  customField?: string;
}

/** The year columns that print a department's answer of their year (its texts, extra fields, the council's remarks). */
const ANSWER_YEAR_COLUMNS: ReadonlySet<ColumnKey> = new Set([
  'planText',
  'resultText',
  'nextYearPlan',
  'remarks',
  'councilComments',
  'custom',
]);

/**
 * The fiscal years other than the report's whose values a layout's columns print: of every year column, of
 * those printing answers (`answers`), or of those printing indicator values (`values`), so that a report
 * reads no year's rows it does not print.
 */
export function layoutYears(
  columns: readonly { key: ColumnKey; yearOffset?: number; fiscalYear?: number }[],
  year: number,
  only?: 'answers' | 'values',
): number[] {
  const chosen = columns.filter((c) => !only || ANSWER_YEAR_COLUMNS.has(c.key) === (only === 'answers'));
  return [...new Set(chosen.map((c) => columnYear(c, year)).filter((y) => y !== year))].sort((a, b) => a - b);
}

/** The texts of a department's answer that columns print. */
export const ANSWER_TEXT_KEYS = ['planText', 'resultText', 'nextYearPlan', 'remarks'] as const;
export type AnswerTextKey = (typeof ANSWER_TEXT_KEYS)[number];

/** The answer texts a layout's columns print, by fiscal year: a report reads no text it does not print. */
export function layoutTexts(
  columns: readonly { key: ColumnKey; yearOffset?: number; fiscalYear?: number }[],
  year: number,
): Map<number, AnswerTextKey[]> {
  const texts = new Map<number, AnswerTextKey[]>();
  for (const c of columns) {
    if (!(ANSWER_TEXT_KEYS as readonly string[]).includes(c.key)) continue;
    const y = columnYear(c, year);
    const list = texts.get(y) ?? [];
    if (!list.includes(c.key as AnswerTextKey)) list.push(c.key as AnswerTextKey);
    texts.set(y, list);
  }
  return texts;
}

/** The fiscal year a column's values belong to in a report of `year`. */
export function columnYear(c: { yearOffset?: number; fiscalYear?: number }, year: number): number {
  return c.fiscalYear ?? year + (c.yearOffset ?? 0);
}

export interface ReportColumn extends ColumnId {
  /** the id as text ("grade", "node:1") for readers of the JSON document: encodeColumnId's form */
  key: string;
  /** one entry per header row; '' where the column has no text on that row */
  header: string[];
  width: number;
}

/**
 * The one text form of a column id: "grade", "node:1" for a column of a tree level, "grade@trend" for a
 * slot's, "actual#-2" for two years before the report's, "actual#2020" for a year named.
 */
export function encodeColumnId({ field, depth, slot, yearOffset, fiscalYear, customField }: ColumnId): string {
  const year =
    fiscalYear !== undefined
      ? `#${fiscalYear}`
      : yearOffset !== undefined && yearOffset !== 0
        ? `#${yearOffset > 0 ? '+' : ''}${yearOffset}`
        : '';
  const named = slot ?? customField;
  return `${depth === undefined ? field : `${field}:${depth}`}${named === undefined ? '' : `@${named}`}${year}`;
}

const isColumnKey = (text: string): text is DocumentColumnKey =>
  (COLUMN_KEYS as readonly string[]).includes(text) || (FORM_COLUMN_KEYS as readonly string[]).includes(text);

/** The one reader of that text form (documents published before columns carried their id). */
export function decodeColumnId(key: string): ColumnId {
  const m = /^([a-zA-Z]+)(?::(\d+))?(?:@([^#]+))?(?:#([+-]?)(\d+))?$/.exec(key);
  const field = m?.[1] ?? '';
  if (!m || !isColumnKey(field)) throw new Error(`報告の列「${key}」は読めません`);
  const [, , depth, slot, sign, year] = m;
  return {
    field,
    ...(depth === undefined ? {} : { depth: Number(depth) }),
    ...(slot === undefined ? {} : field === 'custom' ? { customField: slot } : { slot }),
    ...(year === undefined ? {} : sign ? { yearOffset: Number(`${sign}${year}`) } : { fiscalYear: Number(year) }),
  };
}

/** Columns as a stored document holds them: those published before ids were stored get theirs from the key. */
export function readColumns(columns: (Omit<ReportColumn, 'field'> & { field?: DocumentColumnKey })[]): ReportColumn[] {
  return columns.map((c) => (c.field === undefined ? { ...c, ...decodeColumnId(c.key) } : { ...c, field: c.field }));
}

/** A layout's columns as the document prints them: headers filled in, every column as many header rows as the tallest. */
export function documentColumns(
  columns: readonly LayoutColumn[],
  fillHeader: (text: string) => string,
): { columns: ReportColumn[]; headerRows: number } {
  const headerRows = Math.max(...columns.map((c) => c.header.length));
  return {
    headerRows,
    columns: columns.map((c) => {
      const id: ColumnId = {
        field: c.key,
        ...(c.depth === undefined ? {} : { depth: c.depth }),
        ...(c.slot === undefined ? {} : { slot: c.slot }),
        ...(c.yearOffset === undefined || c.yearOffset === 0 ? {} : { yearOffset: c.yearOffset }),
        ...(c.fiscalYear === undefined ? {} : { fiscalYear: c.fiscalYear }),
        ...(c.field === undefined ? {} : { customField: c.field }),
      };
      return {
        key: encodeColumnId(id),
        ...id,
        header: [...c.header.map(fillHeader), ...Array<string>(headerRows - c.header.length).fill('')],
        width: c.width,
      };
    }),
  };
}

/** What a column without header text is called where a name is needed (screen readers, the data sheet's header). */
export const blankHeaderLabel = (column: ColumnId, index: number): string =>
  column.field === 'rowNumber' ? '通し番号' : `列${index + 1}`;

/** The header of a column on one line: its header rows joined, or the blank header's label. */
export const columnLabel = (column: ReportColumn, index: number): string =>
  column.header.filter((h) => h !== '').join(' ') || blankHeaderLabel(column, index);

/** A column with text on its first header row only: that cell spans every header row. */
export const spansHeaderRows = (column: ReportColumn, headerRows: number): boolean =>
  headerRows > 1 && column.header.slice(1).every((h) => h === '');

const CENTERED: ReadonlySet<DocumentColumnKey> = new Set([
  'grade',
  'level',
  'points',
  'priority',
  'overrideMark',
  'rowNumber',
  'nodeNumber',
  'projectNumber',
  'category',
]);
/** Values printed with their unit (「3回」): right-aligned, and written as text, not as the bare number. */
const MEASURED: ReadonlySet<DocumentColumnKey> = new Set(['target', 'actual', 'actualPrevious', 'baseline']);

export type ColumnAlign = 'left' | 'center' | 'right';
export const columnAlign = (field: DocumentColumnKey): ColumnAlign =>
  CENTERED.has(field) ? 'center' : MEASURED.has(field) || field === 'ratio' ? 'right' : 'left';

/** A spreadsheet's number format for a percent cell printed as its text says (「97.1%」: one decimal). */
export function percentFormat(text: string): string {
  const decimals = /\.(\d+)%$/.exec(text)?.[1]?.length ?? 0;
  return `0${decimals ? `.${'0'.repeat(decimals)}` : ''}"%"`;
}

/** Whether a cell's text (with its unit) is printed rather than its bare number. */
export const printsUnit = (field: DocumentColumnKey): boolean => MEASURED.has(field);

/** The note under a grade that a department changed by hand. */
export const overrideNote = (reason: string): string => `（評価を変更：${reason}）`;
