import { toHalfWidth } from '../fiscal-year.js';
import { readDepartments, type DepartmentMention } from './departments.js';
import { findHeaderRow, htmlToText, isBlankRow, isRepeatedHeader, type Table } from './table.js';

/**
 * A mapping says how a table's columns become Shinchoku's fields. Mappings are data: saved by
 * name, reused for next year's file, shipped for known report layouts.
 */
export const IMPORT_FIELDS = [
  'projectNumber',
  'projectName',
  'summary',
  'category',
  'audience',
  'department',
  'indicator',
  'unit',
  'baseline',
  'baselineYear',
  'previousActual',
  'target',
  'actual',
  'achievement',
  'grade',
  'planText',
  'resultText',
  'nextYearPlan',
  'remarks',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  projectNumber: '事業番号',
  projectName: '事業名',
  summary: '事業概要',
  category: '区分',
  audience: '対象者',
  department: '担当課',
  indicator: '活動指標',
  unit: '単位',
  baseline: '現状値',
  baselineYear: '現状値の年度',
  previousActual: '前年度実績',
  target: '目標',
  actual: '実績',
  achievement: '達成度',
  grade: '評価',
  planText: '事業予定',
  resultText: '実績・取組状況',
  nextYearPlan: '翌年度予定',
  remarks: '備考',
};

export interface LevelColumn {
  /** level name as in the plan: 基本目標, 施策の方向 … */
  name: string;
  /** the column holding 「(1) 男女平等の意識啓発」; number and title are split */
  column: number;
  /** a separate column for the title, where number and title stand apart (施策 No. | 施策の内容) */
  titleColumn?: number;
}

export interface ImportMapping {
  name: string;
  label: string;
  /** words that together identify the header row; rows repeating it later are skipped */
  headerWords: string[];
  /** header lines below the first one (a second header line of year labels) */
  extraHeaderRows: number;
  levels: LevelColumn[];
  columns: Partial<Record<ImportField, number>>;
  /**
   * Where the project number and name share a cell (「12 DV相談事業」), the number is read from the
   * start of the name.
   */
  numberInName: boolean;
}

export interface HierarchyCell {
  level: number;
  number: string;
  title: string;
}

export interface ImportRow {
  /** 1-based line in the source */
  line: number;
  hierarchy: HierarchyCell[];
  projectNumber: string;
  projectName: string;
  departments: DepartmentMention[];
  values: Partial<Record<ImportField, string>>;
  /** a second line of the project above (another department's answer) */
  continuation: boolean;
  flags: string[];
}

const NUMBER_AND_TITLE = /^\s*(\(\s*[0-9０-９]+\s*\)|（\s*[0-9０-９]+\s*）|[①-⑳㉑-㉟]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|[IVX]+(?=\s)|[0-9０-９]+(?:[-－][0-9０-９]+)?(?=[\s\u3000.．、]|$))[\s\u3000.．、]*(.*)$/s;

/** 「(1) 男女平等の意識啓発」 → (1) and the title; a cell without a leading number keeps its text as the title. */
export function splitNumber(cell: string): { number: string; title: string } {
  const text = cell.replace(/\s+/g, ' ').trim();
  const m = NUMBER_AND_TITLE.exec(text);
  if (!m) return { number: '', title: text };
  return { number: toHalfWidth(m[1]!).replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')'), title: m[2]!.trim() };
}

function ordinal(number: string): number | null {
  const n = toHalfWidth(number);
  const roman = 'ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ'.indexOf(n);
  if (roman >= 0) return roman + 1;
  const latin = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'].indexOf(n);
  if (latin >= 0) return latin + 1;
  const circled = n.charCodeAt(0) - 0x2460;
  if (n.length === 1 && circled >= 0 && circled < 20) return circled + 1;
  const digits = /(\d+)(?!.*\d)/.exec(n);
  return digits ? Number(digits[1]) : null;
}

/**
 * Reads a table through a mapping into rows as they would be stored. Nothing is decided silently:
 * a row that does not fit carries the reasons in `flags`, for the preview to show.
 */
export function mapTable(table: Table, mapping: ImportMapping, knownDepartments: readonly string[] = []): ImportRow[] {
  const headerAt = findHeaderRow(table, mapping.headerWords);
  if (headerAt < 0) throw new Error(`見出し行（${mapping.headerWords.join('・')}）が見つかりません`);
  const header = table[headerAt]!;
  const extra = table.slice(headerAt + 1, headerAt + 1 + mapping.extraHeaderRows);
  const rows: ImportRow[] = [];
  const current: (HierarchyCell | undefined)[] = [];
  let skipExtra = 0;
  const cell = (row: string[], c: number | undefined) => (c === undefined ? '' : htmlToText(row[c] ?? ''));

  for (let r = headerAt + 1 + mapping.extraHeaderRows; r < table.length; r++) {
    const row = table[r]!;
    if (isBlankRow(row)) continue;
    if (isRepeatedHeader(row, header)) {
      skipExtra = mapping.extraHeaderRows;
      continue;
    }
    if (skipExtra > 0 && extra.some((e) => isRepeatedHeader(row, e) || row.join('') === e.join(''))) {
      skipExtra--;
      continue;
    }
    skipExtra = 0;
    const flags: string[] = [];

    // Hierarchy: a filled cell starts a new node there and ends the deeper ones.
    for (const [level, lc] of mapping.levels.entries()) {
      const raw = cell(row, lc.column);
      const title = lc.titleColumn === undefined ? '' : cell(row, lc.titleColumn);
      if (!raw && !title) continue;
      const split = lc.titleColumn === undefined ? splitNumber(raw) : { number: toHalfWidth(raw).replace(/\s+/g, ''), title };
      const before = current[level];
      if (before && split.number && before.number !== split.number) {
        const a = ordinal(before.number);
        const b = ordinal(split.number);
        // Numbers restarting under an unchanged parent: the parent's cell was probably blank from a merge.
        if (a !== null && b !== null && b < a && level > 0 && !mapping.levels.slice(0, level).some((p) => cell(row, p.column)))
          flags.push(`${lc.name}の番号が ${before.number} から ${split.number} に戻っています。上位の${mapping.levels[level - 1]!.name}が空欄のため前の行を引き継ぎました。正しい${mapping.levels[level - 1]!.name}を確認してください`);
      }
      current[level] = { level, number: split.number, title: split.title || before?.title || '' };
      current.length = level + 1;
    }

    let projectNumber = toHalfWidth(cell(row, mapping.columns.projectNumber)).replace(/\s+/g, '');
    let projectName = cell(row, mapping.columns.projectName);
    if (mapping.numberInName && projectName) {
      const split = splitNumber(projectName);
      if (/^\d+(-\d+)?$/.test(split.number)) {
        projectNumber = split.number;
        projectName = split.title;
      }
    }
    if (projectNumber && !/^\d+(-\d+)?$/.test(projectNumber)) flags.push(`事業番号「${projectNumber}」が番号ではありません。列がずれている可能性があります`);
    const departments = readDepartments(cell(row, mapping.columns.department), knownDepartments);
    for (const d of departments) if (knownDepartments.length && !knownDepartments.includes(d.name)) flags.push(`担当課「${d.name}」が登録されていません`);

    const values: Partial<Record<ImportField, string>> = {};
    for (const field of IMPORT_FIELDS) {
      if (field === 'projectNumber' || field === 'projectName' || field === 'department') continue;
      const v = cell(row, mapping.columns[field]);
      if (v) values[field] = v;
    }
    const continuation = !projectNumber && !projectName && rows.length > 0;
    if (!projectNumber && !projectName && !continuation) flags.push('事業番号も事業名もない行です');
    rows.push({ line: r + 1, hierarchy: current.filter((h): h is HierarchyCell => h !== undefined).map((h) => ({ ...h })), projectNumber, projectName, departments, values, continuation, flags });
  }
  return rows;
}

export interface ImportSummary {
  nodes: Record<string, number>;
  projects: number;
  records: number;
  grades: Record<string, number>;
  flagged: { line: number; reason: string }[];
}

/** What an import would store: distinct nodes per level, projects, department records, grades. */
export function summarise(rows: ImportRow[], mapping: ImportMapping): ImportSummary {
  const nodes = mapping.levels.map(() => new Set<string>());
  const projects = new Set<string>();
  const records = new Set<string>();
  const grades: Record<string, number> = {};
  let last: ImportRow | undefined;
  for (const row of rows) {
    const path: string[] = [];
    for (const h of row.hierarchy) {
      path.push(`${h.number} ${h.title}`);
      nodes[h.level]?.add(path.join(' › '));
    }
    const owner = row.continuation ? last : row;
    if (!row.continuation) last = row;
    const key = owner ? owner.projectNumber || owner.projectName : '';
    if (key) projects.add(key);
    const departments = row.departments.length ? row.departments : [];
    for (const d of departments) records.add(`${key}|${d.name}`);
    const grade = row.values.grade?.trim();
    if (grade) grades[grade] = (grades[grade] ?? 0) + 1;
  }
  return {
    nodes: Object.fromEntries(mapping.levels.map((l, i) => [l.name, nodes[i]!.size])),
    projects: projects.size,
    records: records.size,
    grades,
    flagged: rows.flatMap((r) => r.flags.map((reason) => ({ line: r.line, reason }))),
  };
}
