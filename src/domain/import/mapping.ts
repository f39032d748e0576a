import { toHalfWidth } from '../fiscal-year.js';
import { readDepartments, type DepartmentMention } from './departments.js';
import { isGroupWord } from './names.js';
import { findHeaderRow, htmlToText, isBlankRow, isRepeatedHeader, type Table } from './table.js';
import { readCustomValue, type CustomFieldDef, type CustomFieldPlace, type CustomValues } from '../plan-fields.js';

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
  'finalTarget',
  'targetKind',
  'direction',
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
  finalTarget: '最終目標',
  targetKind: '目標の種類（目標値・期待値・モニタリング・累計）',
  direction: '方向（増やす・減らす）',
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
  /** the heading over the number where it stands in a column of its own, as the report prints it (施策 No.) */
  numberHeading?: string;
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
  /** columns holding the plan's extra fields, by the field's key */
  customColumns?: Record<string, number>;
  /**
   * Where the project number and name share a cell (「12 DV相談事業」), the number is read from the
   * start of the name.
   */
  numberInName: boolean;
  /**
   * Rows that name a node on their own, above the projects under it (「基本目標Ⅱ …」, 「(2) …」): a
   * pattern per level with named groups `number` and `title`. Read anywhere, also above the header.
   */
  sections?: { level: number; pattern: string }[];
  /** Lines that are neither data nor hierarchy (legends, page titles), skipped without a flag. */
  ignore?: string[];
  /** A marker inside the project name after which the indicator's name follows (「【数値目標】」). */
  indicatorInName?: string;
  /**
   * Where the number column is a running line number and a project spans several lines (one per
   * department or indicator), a line with a blank project name continues the project above.
   */
  continueWhenNameBlank?: boolean;
}

export interface HierarchyCell {
  level: number;
  number: string;
  title: string;
}

/** A change to a source row that would make it fit: here, moving its cells right (+) or left (−). */
export interface RowFix {
  line: number;
  shift: number;
}

export interface ImportRow {
  /** 1-based line in the source */
  line: number;
  /** what would make a flagged row fit, for the preview to offer */
  fix?: RowFix;
  hierarchy: HierarchyCell[];
  projectNumber: string;
  projectName: string;
  departments: DepartmentMention[];
  values: Partial<Record<ImportField, string>>;
  /** the cells of the plan's extra fields, by the field's key (read against the plan's fields: flagCustomValues) */
  custom?: Record<string, string>;
  /** a second line of the project above (another department's answer) */
  continuation: boolean;
  /** words in the department cell that name many departments (関係各課, 全庁), kept as a note */
  groups?: string[];
  /** 「地域支援課に同じ」: the department whose answer this line repeats */
  sameAs?: string;
  flags: string[];
}

const NUMBER_AND_TITLE =
  /^\s*(\(\s*[0-9０-９]+(?:[-－][0-9０-９]+)?\s*\)|（\s*[0-9０-９]+(?:[-－][0-9０-９]+)?\s*）|[①-⑳㉑-㉟]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+(?:[-－][0-9０-９]+)?|[IVX]+(?:[-－][0-9０-９]+)?(?=\s)|[0-9０-９]+(?:[-－][0-9０-９]+)?(?=[\s\u3000.．、]|$))[\s\u3000.．、]*(.*)$/s;

/** 「(1) 男女平等の意識啓発」 → (1) and the title; a cell without a leading number keeps its text as the title. */
export function splitNumber(cell: string): { number: string; title: string } {
  const text = cell.replace(/\s+/g, ' ').trim();
  const m = NUMBER_AND_TITLE.exec(text);
  if (!m) return { number: '', title: text };
  return {
    number: toHalfWidth(m[1]!).replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')'),
    title: m[2]!.trim(),
  };
}

/** The numbering style of a printed number, to tell a 主要課題 (1) from a 施策 ① when cells slip. */
export function styleOf(number: string): string {
  if (/^\(\d+(-\d+)?\)$/.test(number)) return 'paren';
  if (/^[①-⑳㉑-㉟]$/.test(number)) return 'circled';
  if (/^[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩIVX]+(-\d+)?$/.test(number)) return 'roman';
  if (/^\d+(-\d+)?$/.test(number)) return 'arabic';
  return number ? 'other' : '';
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

/** A shift is safe to suggest only if every hierarchy cell it moves lands on a level numbered the same way. */
function shiftKeepsLevels(
  mapping: ImportMapping,
  row: string[],
  shift: number,
  styles: ReadonlyMap<number, string>,
): boolean {
  return mapping.levels.every((lc, level) => {
    if (lc.column < 0) return true;
    const moved = (row[lc.column - shift] ?? '').trim();
    if (!moved) return true;
    const style =
      lc.titleColumn === undefined
        ? styleOf(splitNumber(moved).number)
        : styleOf(toHalfWidth(moved).replace(/\s+/g, ''));
    return !styles.has(level) || styles.get(level) === style;
  });
}

const cell = (row: string[], c: number | undefined) => (c === undefined ? '' : htmlToText(row[c] ?? ''));
const BARE_NUMBER = /^[0-9０-９]+(-[0-9]+)?$/;
const PROJECT_NUMBER = /^\d+(-\d+)?$/;

/** Whether the raw cell at `c` holds a bare number (a slipped project number). */
const bare = (row: string[], c: number | undefined) =>
  c !== undefined && c >= 0 && BARE_NUMBER.test((row[c] ?? '').trim());

/** 「生涯学習課（市立図書館）」 counts too: a department name, then perhaps a note in brackets. */
function looksLikeDepartment(row: string[], c: number | undefined): boolean {
  if (c === undefined || c < 0) return false;
  return isDepartmentName(row[c] ?? '');
}

/** 「生涯学習課（市立図書館）」 counts too: a department name, then perhaps a note in brackets. */
export function isDepartmentName(text: string): boolean {
  const v = text.trim().replace(/\s*[（(][^）)]*[）)]$/, '');
  // A count with its unit (「5校」) is not a unit's name.
  return /^[^\d０-９].*(課|室|所|館|センター|学院|局|部|委員会|協議会|係|担当|署|園|校)$/.test(v) && v.length <= 30;
}

/** A table being read through a mapping: what the mapping compiles to, and what the lines read so far leave behind. */
interface Reading {
  mapping: ImportMapping;
  known: readonly string[];
  header: string[];
  /** the header lines below the first one */
  extra: Table;
  sections: { level: number; re: RegExp }[];
  ignore: RegExp[];
  levelNames: Set<string>;
  /** the node in effect at each level */
  current: readonly (HierarchyCell | undefined)[];
  /** header lines still to skip after a repeated page header */
  skipExtra: number;
  /** a level whose blank cells were carried down after numbers below it restarted: doubtful until filled */
  suspect: number | null;
  /** levels whose cells have carried numbers: a later cell there without one is out of place */
  numbered: ReadonlySet<number>;
  /** the numbering style last seen at each level */
  lastStyle: ReadonlyMap<number, string>;
}

/**
 * The reading's state before a line. The list, set and map of a state are never changed once made (a
 * line that changes one makes a new one), so that a state is kept per line without copying it.
 */
interface LineState {
  current: Reading['current'];
  skipExtra: number;
  suspect: number | null;
  numbered: Reading['numbered'];
  lastStyle: Reading['lastStyle'];
  /** whether a row was read before the line (the first row cannot continue a project) */
  started: boolean;
}

/** A node in effect from `level` down: the levels above kept, the deeper ones ended (a new list). */
function setLevel(rd: Reading, level: number, node: HierarchyCell): void {
  const next = rd.current.slice(0, level);
  next[level] = node;
  rd.current = next;
}

function startReading(table: Table, headerAt: number, mapping: ImportMapping, known: readonly string[]): Reading {
  return {
    mapping,
    known,
    header: table[headerAt]!,
    extra: table.slice(headerAt + 1, headerAt + 1 + mapping.extraHeaderRows),
    sections: (mapping.sections ?? []).map((sec) => ({ level: sec.level, re: new RegExp(sec.pattern, 's') })),
    ignore: (mapping.ignore ?? []).map((p) => new RegExp(p)),
    levelNames: new Set(mapping.levels.map((l) => l.name.replace(/\s+/g, ''))),
    current: [],
    skipExtra: 0,
    suspect: null,
    numbered: new Set(),
    lastStyle: new Map(),
  };
}

/** A row naming a node on its own; the deeper levels end there. */
function readSection(rd: Reading, row: string[]): boolean {
  if (rd.sections.length === 0) return false;
  const filled = row.map((c) => c.replace(/\s+/g, ' ').trim()).filter(Boolean);
  if (filled.length !== 1) return false;
  for (const sec of rd.sections) {
    const m = sec.re.exec(filled[0]!);
    if (!m) continue;
    setLevel(rd, sec.level, {
      level: sec.level,
      number: toHalfWidth(m.groups?.number ?? '').replace(/\s+/g, ''),
      title: (m.groups?.title ?? '').trim(),
    });
    return true;
  }
  return false;
}

/** Lines that are not data: blank, a section row, page furniture, ignored lines, repeated headers. */
function skipLine(rd: Reading, row: string[]): boolean {
  if (isBlankRow(row)) return true;
  if (readSection(rd, row)) return true;
  const filled = row.map((c) => c.trim()).filter(Boolean);
  // Page furniture: level names alone as column titles, legends, page titles.
  if (filled.every((c) => rd.levelNames.has(c.replace(/\s+/g, '')))) return true;
  if (rd.ignore.some((re) => filled.length > 0 && filled.every((c) => re.test(c)))) return true;
  if (isRepeatedHeader(row, rd.header)) {
    rd.skipExtra = rd.mapping.extraHeaderRows;
    return true;
  }
  if (rd.skipExtra > 0 && rd.extra.some((e) => isRepeatedHeader(row, e) || row.join('') === e.join(''))) {
    rd.skipExtra--;
    return true;
  }
  rd.skipExtra = 0;
  return false;
}

/** A level carried down doubtfully stays in doubt (flagged) until a line fills it or a level above. */
function checkSuspect(rd: Reading, row: string[], flags: string[]): void {
  if (rd.suspect === null) return;
  const { levels } = rd.mapping;
  if (levels.slice(0, rd.suspect + 1).some((p) => cell(row, p.column))) rd.suspect = null;
  else
    flags.push(
      `上位の${levels[rd.suspect]!.name}が空欄のため前の行を引き継ぎました。上の行と同じく、正しい${levels[rd.suspect]!.name}を確認してください`,
    );
}

/** Numbers restarting under an unchanged parent: the parent's cell was probably blank from a merge. */
function checkRestart(
  rd: Reading,
  row: string[],
  level: number,
  before: HierarchyCell,
  number: string,
  flags: string[],
): void {
  const { levels } = rd.mapping;
  const a = ordinal(before.number);
  const b = ordinal(number);
  if (a === null || b === null || b >= a || level === 0) return;
  if (levels.slice(0, level).some((p) => cell(row, p.column))) return;
  flags.push(
    `${levels[level]!.name}の番号が ${before.number} から ${number} に戻っています。上位の${levels[level - 1]!.name}が空欄のため前の行を引き継ぎました。正しい${levels[level - 1]!.name}を確認してください`,
  );
  rd.suspect = level - 1;
}

/**
 * One level's cell: a filled cell starts a new node there and ends the deeper ones (true). The same
 * node written again (a merged cell or a page repeating it) changes nothing; the same number under
 * another name is one of them misread, for the user to settle.
 */
function readLevel(rd: Reading, row: string[], level: number, flags: string[]): boolean {
  const lc = rd.mapping.levels[level]!;
  const raw = cell(row, lc.column);
  const title = lc.titleColumn === undefined ? '' : cell(row, lc.titleColumn);
  if (!raw && !title) return false;
  const split =
    lc.titleColumn === undefined ? splitNumber(raw) : { number: toHalfWidth(raw).replace(/\s+/g, ''), title };
  if (lc.titleColumn !== undefined && split.number && styleOf(split.number) === 'other') {
    flags.push(`${lc.name}の列の「${raw.slice(0, 20)}」が番号ではありません。列がずれている可能性があります`);
    return false;
  }
  const before = rd.current[level];
  if (before && split.number && before.number === split.number) {
    if (split.title && split.title !== before.title)
      flags.push(
        `${lc.name} ${split.number} の名称が前の行と異なります（「${before.title.slice(0, 20)}」と「${split.title.slice(0, 20)}」）。どちらかに揃えてください`,
      );
    return false;
  }
  if (before && !split.number && !before.number && split.title === before.title) return false;
  if (split.number) {
    if (!rd.numbered.has(level)) rd.numbered = new Set(rd.numbered).add(level);
    const style = styleOf(split.number);
    if (rd.lastStyle.get(level) !== style) rd.lastStyle = new Map(rd.lastStyle).set(level, style);
  } else if (lc.titleColumn === undefined && rd.numbered.has(level))
    flags.push(`${lc.name}の列の「${raw.slice(0, 20)}」に番号がありません。列がずれている可能性があります`);
  if (before && split.number) checkRestart(rd, row, level, before, split.number, flags);
  setLevel(rd, level, { level, number: split.number, title: split.title || before?.title || '' });
  return true;
}

/** The hierarchy cells of a line; the highest level at which it starts a new node. */
function readHierarchy(rd: Reading, row: string[], flags: string[]): number | undefined {
  let changedLevel: number | undefined;
  for (const level of rd.mapping.levels.keys()) if (readLevel(rd, row, level, flags)) changedLevel ??= level;
  return changedLevel;
}

/** The project's number and name, with a number written inside the name and an indicator after the name's marker. */
function readProject(mapping: ImportMapping, row: string[]) {
  const values: Partial<Record<ImportField, string>> = {};
  let projectNumber = toHalfWidth(cell(row, mapping.columns.projectNumber)).replace(/\s+/g, '');
  let projectName = cell(row, mapping.columns.projectName);
  // 「37 児童生徒の…」 in the name cell with the number cell empty: the number belongs to the project.
  if ((mapping.numberInName || !projectNumber) && projectName) {
    const split = splitNumber(projectName);
    if (PROJECT_NUMBER.test(split.number)) {
      projectNumber = split.number;
      projectName = split.title;
    }
  }
  if (mapping.indicatorInName && projectName.includes(mapping.indicatorInName)) {
    const [name = '', indicator = ''] = projectName.split(mapping.indicatorInName, 2);
    projectName = name.trim();
    if (indicator.trim()) values.indicator = indicator.trim();
  }
  return { projectNumber, projectName, values };
}

/** A project number cell that is not a number: the cells slipped one column left or right, or it is flagged as it is. */
function numberCellFix(
  rd: Reading,
  row: string[],
  line: number,
  projectNumber: string,
  stylesBefore: ReadonlyMap<number, string>,
  flags: string[],
): RowFix | undefined {
  const numberCol = rd.mapping.columns.projectNumber!;
  const deptCol = rd.mapping.columns.department;
  if (bare(row, numberCol - 1)) {
    flags.push(`セルが左に1列ずれています（事業番号の列に「${projectNumber.slice(0, 20)}」）。右へ1列ずらすと読めます`);
    return { line, shift: 1 };
  }
  if (
    looksLikeDepartment(row, numberCol) &&
    deptCol === numberCol - 1 &&
    (bare(row, numberCol + 1) || !(row[deptCol] ?? '').trim()) &&
    !(row[0] ?? '').trim() &&
    shiftKeepsLevels(rd.mapping, row, -1, stylesBefore)
  ) {
    flags.push(`セルが右に1列ずれています（事業番号の列に「${projectNumber.slice(0, 20)}」）。左へ1列ずらすと読めます`);
    return { line, shift: -1 };
  }
  flags.push(`事業番号「${projectNumber.slice(0, 30)}」が番号ではありません。列がずれている可能性があります`);
  return undefined;
}

/** A line whose cells slipped one column, told by where the project number and the department landed. */
function suggestShift(
  rd: Reading,
  row: string[],
  line: number,
  projectNumber: string,
  stylesBefore: ReadonlyMap<number, string>,
  flags: string[],
): RowFix | undefined {
  const numberCol = rd.mapping.columns.projectNumber;
  const deptCol = rd.mapping.columns.department;
  if (numberCol !== undefined && projectNumber && !PROJECT_NUMBER.test(projectNumber))
    return numberCellFix(rd, row, line, projectNumber, stylesBefore, flags);
  if (numberCol !== undefined && !projectNumber && bare(row, numberCol + 1)) {
    flags.push('セルが右に1列ずれています。左へ1列ずらすと読めます');
    return { line, shift: -1 };
  }
  if (
    !projectNumber &&
    deptCol !== undefined &&
    !(row[deptCol] ?? '').trim() &&
    looksLikeDepartment(row, deptCol - 1)
  ) {
    flags.push(
      `セルが左に1列ずれています（担当課の列の左に「${(row[deptCol - 1] ?? '').trim()}」）。右へ1列ずらすと読めます`,
    );
    return { line, shift: 1 };
  }
  return undefined;
}

/** Department names that are not names (a slipped column) or not registered are flagged; a one-column slip gets its fix. */
function checkDepartments(
  rd: Reading,
  row: string[],
  line: number,
  departments: DepartmentMention[],
  fix: RowFix | undefined,
  flags: string[],
): RowFix | undefined {
  const deptCol = rd.mapping.columns.department;
  for (const d of departments) {
    if (!/[\p{Script=Han}\p{Script=Katakana}\p{Script=Hiragana}A-Za-z]{2,}/u.test(d.name)) {
      flags.push(`担当課の列に「${d.name}」があります。列がずれている可能性があります`);
      // Only a one-column slip is safe to suggest; wider ones need the user's eye on every cell.
      if (!fix && deptCol !== undefined && looksLikeDepartment(row, deptCol - 1)) fix = { line, shift: 1 };
    } else if (!rd.known.includes(d.name) && !isDepartmentName(d.name) && !isGroupWord(d.name)) {
      // Not the shape of a unit's name (「事業50」): a slipped column, never a department made up.
      flags.push(`担当課の列の「${d.name.slice(0, 20)}」は課の名前に見えません。列がずれている可能性があります`);
    }
    // A name the municipality does not have is listed with the names (names.ts), not flagged here.
  }
  return fix;
}

/** What a line still lacks once read: a continuation under another node, level numbers, a project number or name. */
function checkLine(
  rd: Reading,
  row: string[],
  read: { continuation: boolean; changedLevel: number | undefined; projectNumber: string; projectName: string },
  fix: RowFix | undefined,
  flags: string[],
): void {
  const { mapping } = rd;
  const { continuation, changedLevel, projectNumber, projectName } = read;
  if (continuation && changedLevel !== undefined)
    flags.push(
      `この行は上の事業の続きですが、${mapping.levels[changedLevel]!.name}が変わっています。上の行の${mapping.levels[changedLevel]!.name}が正しいか確認してください`,
    );
  for (const [level, lc] of mapping.levels.entries())
    if (lc.titleColumn !== undefined && rd.current[level] && !rd.current[level].number && cell(row, lc.titleColumn))
      flags.push(
        `${lc.name}の番号がありません（「${cell(row, lc.titleColumn).slice(0, 20)}…」）。番号を入力してください`,
      );
  if (!continuation && projectName && mapping.columns.projectNumber !== undefined && !projectNumber && !fix)
    flags.push('事業番号がありません。番号を入力してください');
  if (!projectNumber && !projectName && !continuation) flags.push('事業番号も事業名もない行です');
}

/** One data line as it would be stored, with its flags. */
function readLine(rd: Reading, row: string[], line: number, afterFirst: boolean): ImportRow {
  const { mapping } = rd;
  const flags: string[] = [];
  // The styles as the line began (a line changing one makes a new map).
  const stylesBefore = rd.lastStyle;
  checkSuspect(rd, row, flags);
  const changedLevel = readHierarchy(rd, row, flags);
  const { projectNumber, projectName, values } = readProject(mapping, row);
  const shift = suggestShift(rd, row, line, projectNumber, stylesBefore, flags);
  const departments = readDepartments(cell(row, mapping.columns.department), rd.known);
  const fix = checkDepartments(rd, row, line, departments, shift, flags);
  for (const field of IMPORT_FIELDS) {
    if (field === 'projectNumber' || field === 'projectName' || field === 'department') continue;
    const v = cell(row, mapping.columns[field]);
    if (v) values[field] = field === 'grade' ? gradeCode(v) : v;
  }
  const custom: Record<string, string> = {};
  for (const [key, column] of Object.entries(mapping.customColumns ?? {})) {
    const v = cell(row, column);
    if (v) custom[key] = v;
  }
  const continuation = afterFirst && !projectName && (!projectNumber || mapping.continueWhenNameBlank === true);
  checkLine(rd, row, { continuation, changedLevel, projectNumber, projectName }, fix, flags);
  return {
    ...(fix ? { fix } : {}),
    line,
    hierarchy: rd.current.filter((h): h is HierarchyCell => h !== undefined).map((h) => ({ ...h })),
    projectNumber,
    projectName,
    departments,
    values,
    ...(Object.keys(custom).length ? { custom } : {}),
    continuation,
    flags,
  };
}

/**
 * Reads a table through a mapping into rows as they would be stored. Nothing is decided silently:
 * a row that does not fit carries the reasons in `flags`, for the preview to show.
 */
export function mapTable(table: Table, mapping: ImportMapping, knownDepartments: readonly string[] = []): ImportRow[] {
  return readTable(table, mapping, knownDepartments).rows;
}

/** A table read through a mapping, with the reading's state before each line: what `rereadTable` starts from. */
export interface TableReading {
  table: Table;
  mapping: ImportMapping;
  known: readonly string[];
  headerAt: number;
  rows: ImportRow[];
  /** per line (index in the table) from the first line below the header: the state before it */
  states: LineState[];
  /** per line: the index of its row in `rows`, or -1 for a line that is not data */
  rowOf: number[];
}

/** `mapTable` keeping the state before each line. */
export function readTable(table: Table, mapping: ImportMapping, known: readonly string[] = []): TableReading {
  const headerAt = findHeaderRow(table, mapping.headerWords);
  if (headerAt < 0) throw new Error(`見出し行（${mapping.headerWords.join('・')}）が見つかりません`);
  const rd = startReading(table, headerAt, mapping, known);
  for (let r = 0; r < headerAt; r++) readSection(rd, table[r]!);
  return readLines(rd, { table, mapping, known, headerAt }, null);
}

/**
 * The same table read again after some of its lines were replaced (`applyRepairs` gives each line it
 * changes a new list and leaves the others as they were): only the lines from a replaced one on are
 * read again, until the reading's state is again the state the earlier reading had there; the lines
 * after that give the rows they gave. The rows are those `readTable` would give (reread.test.ts).
 */
export function rereadTable(before: TableReading, table: Table): TableReading {
  const { mapping, known, headerAt } = before;
  const first = headerAt + 1 + mapping.extraHeaderRows;
  // Lines up to the header's decide the header and the state at the first line: read again whole if one changed.
  let same = table.length === before.table.length;
  for (let r = 0; same && r < first; r++) same = table[r] === before.table[r];
  if (!same) return readTable(table, mapping, known);
  return readLines(startReading(table, headerAt, mapping, known), { table, mapping, known, headerAt }, before);
}

const sameCells = (a: LineState['current'], b: LineState['current']) =>
  a.length === b.length &&
  a.every((x, i) => {
    const y = b[i];
    return x === y || (x !== undefined && y !== undefined && x.number === y.number && x.title === y.title);
  });

/** Whether the reading is in the state a line was read in before. */
function sameState(s: LineState, rd: Reading, started: boolean): boolean {
  return (
    s.started === started &&
    s.skipExtra === rd.skipExtra &&
    s.suspect === rd.suspect &&
    sameCells(s.current, rd.current) &&
    s.numbered.size === rd.numbered.size &&
    [...s.numbered].every((l) => rd.numbered.has(l)) &&
    s.lastStyle.size === rd.lastStyle.size &&
    [...s.lastStyle].every(([l, style]) => rd.lastStyle.get(l) === style)
  );
}

/** The lines below the header read in turn; with an earlier reading, the lines it read in the same state are taken from it. */
function readLines(
  rd: Reading,
  at: Pick<TableReading, 'table' | 'mapping' | 'known' | 'headerAt'>,
  before: TableReading | null,
): TableReading {
  const { table } = at;
  const rows: ImportRow[] = [];
  const states: LineState[] = [];
  const rowOf: number[] = [];
  // In step with the earlier reading: the state before this line is the one it had there.
  let inStep = before !== null;
  for (let r = at.headerAt + 1 + at.mapping.extraHeaderRows; r < table.length; r++) {
    const row = table[r]!;
    const kept = before !== null && row === before.table[r];
    if (before && kept && !inStep && sameState(before.states[r]!, rd, rows.length > 0)) inStep = true;
    if (before && kept && inStep) {
      states[r] = before.states[r]!;
      const k = before.rowOf[r]!;
      rowOf[r] = k < 0 ? -1 : rows.push(before.rows[k]!) - 1;
      continue;
    }
    if (before && inStep) {
      // The first line changed since: the reading goes on from the state the earlier one had before it.
      const s = before.states[r]!;
      Object.assign(rd, { current: s.current, skipExtra: s.skipExtra, suspect: s.suspect });
      Object.assign(rd, { numbered: s.numbered, lastStyle: s.lastStyle });
      inStep = false;
    }
    const started = rows.length > 0;
    states[r] = {
      current: rd.current,
      skipExtra: rd.skipExtra,
      suspect: rd.suspect,
      numbered: rd.numbered,
      lastStyle: rd.lastStyle,
      started,
    };
    rowOf[r] = skipLine(rd, row) ? -1 : rows.push(readLine(rd, row, r + 1, started)) - 1;
  }
  return { ...at, rows, states, rowOf };
}

export interface ImportSummary {
  nodes: Record<string, number>;
  projects: number;
  records: number;
  grades: Record<string, number>;
  flagged: { line: number; reason: string }[];
}

/**
 * A 区分 that is not in the target plan's list is flagged, never dropped: the user adds it to the
 * plan's list (計画の設定) or corrects the cell. Rows read again keep one flag each.
 */
export function flagCategories(rows: ImportRow[], categories: readonly string[]): void {
  for (const row of rows) {
    const value = row.values.category?.trim();
    if (!value || categories.includes(value)) continue;
    const flag = `区分「${value.slice(0, 20)}」は計画の区分（${categories.join('・')}）にありません。計画の設定で区分に加えるか、値を直してください`;
    if (!row.flags.includes(flag)) row.flags.push(flag);
  }
}

/**
 * The cells of the plan's extra fields read by their types: a column the plan has no field for, or a
 * value its field cannot take, is flagged (never stored half-read).
 */
export function flagCustomValues(rows: ImportRow[], fields: readonly CustomFieldDef[]): void {
  for (const row of rows)
    for (const [key, text] of Object.entries(row.custom ?? {})) {
      const def = fields.find((f) => f.key === key);
      const read = def ? readCustomValue(def, text) : null;
      const flag = !def
        ? `取り込み設定の列「${key}」は計画の追加の項目にありません。計画の設定で項目を加えるか、取り込み設定を直してください`
        : read && !read.ok
          ? read.message
          : null;
      if (flag && !row.flags.includes(flag)) row.flags.push(flag);
    }
}

/** A row's values of the extra fields of one place, as stored (rows reaching a commit carry no flag). */
export function customValuesOf(row: ImportRow, fields: readonly CustomFieldDef[], on: CustomFieldPlace): CustomValues {
  const out: CustomValues = {};
  for (const def of fields) {
    if (def.on !== on) continue;
    const read = readCustomValue(def, row.custom?.[def.key]);
    if (read.ok && read.value !== null) out[def.key] = read.value;
  }
  return out;
}

/**
 * A printed grade as a code: a single letter or digit typed full-width or in lower case (「Ａ」「ｂ」) is the
 * usual code (A, B); marks (◎ ○ △ ×) and words stay as printed.
 */
export function gradeCode(text: string): string {
  const t = text.trim();
  const n = t.normalize('NFKC');
  return /^[A-Za-z0-9]$/.test(n) ? n.toUpperCase() : t;
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

/** The table with the given fixes applied, as the user accepts them in the preview. */
export function applyFixes(table: Table, fixes: RowFix[]): Table {
  const byLine = new Map(fixes.map((f) => [f.line, f.shift]));
  return table.map((row, i) => {
    const shift = byLine.get(i + 1);
    if (!shift) return row;
    return shift > 0 ? [...Array<string>(shift).fill(''), ...row] : row.slice(-shift);
  });
}
