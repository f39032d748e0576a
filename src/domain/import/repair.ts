import { toHalfWidth } from '../fiscal-year.js';
import { ordinalOf } from '../numbering.js';
import { parseValue } from '../values.js';
import {
  isDepartmentName,
  splitNumber,
  styleOf,
  type ImportField,
  type ImportMapping,
  type ImportRow,
} from './mapping.js';
import type { Table } from './table.js';

/**
 * Repairs of what a PDF's extraction does to a table, made only where the repaired line reads as an
 * ordinary line would: every cell of the type its column takes, numbering continuous, no flag. Each
 * repair is a list of cell edits, so that it can be shown, undone (by its line) and kept as data.
 */

export type RepairKind = 'align' | 'merged' | 'title' | 'number' | 'repeat';

export interface CellEdit {
  line: number;
  column: number;
  value: string;
}

export interface Repair {
  /** the line the repair is for (undone by this line) */
  line: number;
  kind: RepairKind;
  reason: string;
  /** for a whole-line move: how far the cells moved (+ right, − left); 0 otherwise */
  shift: number;
  edits: CellEdit[];
}

type Kind =
  'number' | 'text' | 'any' | 'short' | 'dept' | 'value' | { level: number; numberOnly: boolean } | { titleOf: number };

const TEXT_FIELDS: ImportField[] = ['projectName', 'summary', 'planText', 'resultText', 'nextYearPlan'];
/** columns where a dash or a mark is as good as text (no indicator: 「—」) */
const ANY_FIELDS: ImportField[] = ['audience', 'indicator', 'remarks'];
const VALUE_FIELDS: ImportField[] = ['baseline', 'previousActual', 'target', 'actual', 'achievement', 'grade'];

/** What each column of the mapping takes. */
export function columnKinds(mapping: ImportMapping): Map<number, Kind> {
  const kinds = new Map<number, Kind>();
  mapping.levels.forEach((l, level) => {
    if (l.column < 0) return;
    kinds.set(l.column, { level, numberOnly: l.titleColumn !== undefined });
    if (l.titleColumn !== undefined) kinds.set(l.titleColumn, { titleOf: l.column });
  });
  for (const [field, column] of Object.entries(mapping.columns) as [ImportField, number][]) {
    if (field === 'projectNumber') kinds.set(column, 'number');
    else if (field === 'department') kinds.set(column, 'dept');
    else if (VALUE_FIELDS.includes(field)) kinds.set(column, 'value');
    else if (TEXT_FIELDS.includes(field)) kinds.set(column, 'text');
    else if (ANY_FIELDS.includes(field)) kinds.set(column, 'any');
    else kinds.set(column, 'short');
  }
  for (const column of Object.values(mapping.customColumns ?? {})) kinds.set(column, 'short');
  return kinds;
}

const BARE_MARK = /^[○〇◯×✕△▲◎●☆★—－ー\-―‐・*＊]+$/;
const plain = (s: string) => s.replace(/<[^>]+>/g, '').trim();

function isValue(text: string): boolean {
  if (text.length > 20 || isDepartmentName(text)) return false;
  // A number with its unit, a mark, a status (未実施), a letter grade; words alone are text.
  return parseValue(text).kind !== 'text' || BARE_MARK.test(text) || /^[A-Ea-e]$/.test(text) || /[0-9０-９]/.test(text);
}

/** Whether a cell's text can stand in a column of this kind (levels: numbered the way the level is). */
function fits(kind: Kind, raw: string, styles: ReadonlyMap<number, string>): boolean {
  const text = plain(raw);
  if (typeof kind === 'object' && 'titleOf' in kind) return fits('text', raw, styles);
  if (typeof kind === 'object') {
    const number = kind.numberOnly ? toHalfWidth(text).replace(/\s+/g, '') : splitNumber(text).number;
    const style = styleOf(number);
    if (kind.numberOnly) return style !== '' && style !== 'other' && (styles.get(kind.level) ?? style) === style;
    return style !== '' && (styles.get(kind.level) ?? style) === style;
  }
  switch (kind) {
    case 'number':
      return /^\d+(-\d+)?$/.test(toHalfWidth(text).replace(/\s+/g, ''));
    case 'dept':
      return text
        .replace(/[（(][^）)]*[）)]/g, ' ')
        .split(/[\s、/]+/)
        .filter(Boolean)
        .every((p) => isDepartmentName(p) || /に同じ|関係各課|各課|全庁|全課/.test(p));
    case 'value':
      return isValue(text);
    case 'short':
      return text.length <= 40 && !BARE_MARK.test(text);
    case 'any':
      return true;
    case 'text':
      return !BARE_MARK.test(text) && !/^\d+$/.test(text) && !(isDepartmentName(text) && text.length <= 15);
  }
}

/** Whether every filled cell of a line stands in a column that takes it. */
export function lineFits(row: string[], kinds: ReadonlyMap<number, Kind>, styles: ReadonlyMap<number, string>) {
  return row.every((c, i) => !plain(c) || (kinds.has(i) && fits(kinds.get(i)!, c, styles)));
}

interface Score {
  /** value cells not packed towards the text after them (the report's year last) */
  gaps: number;
  /** titles placed without the number beside them */
  orphans: number;
  /** runs of equal shift: a whole-line move is one */
  runs: number;
  displacement: number;
}
interface Step {
  score: Score;
  /** placements reaching this one as well as the best (more than one: ambiguous) */
  ways: number;
  from: number;
}

const better = (a: Score, b: Score) =>
  a.gaps - b.gaps || a.orphans - b.orphans || a.runs - b.runs || a.displacement - b.displacement;

/**
 * The cells of a line placed, in their order, into columns that take them — the placement that
 * moves the fewest runs of cells, the values packed towards the text after them. Null when no
 * placement fits or two fit equally well (the user decides).
 */
export function alignLine(
  row: string[],
  kinds: ReadonlyMap<number, Kind>,
  styles: ReadonlyMap<number, string>,
): string[] | null {
  const cells = row.flatMap((c, pos) => (plain(c) ? [{ pos, text: c }] : []));
  const columns = [...kinds.keys()].sort((a, b) => a - b);
  if (cells.length === 0 || cells.length > columns.length || cells.length > 30) return null;
  const valueBlockNext = (j: number) => {
    const c = columns[j]!;
    return kinds.get(c) === 'value' && kinds.get(c + 1) === 'value' ? c + 1 : null;
  };
  const isTitle = (kind: Kind) => typeof kind === 'object' && 'titleOf' in kind;
  // best[i][j]: cell i in columns[j]; ties counted
  const best: (Step | undefined)[][] = cells.map(() => []);
  const step = (i: number, j: number): Step | undefined => {
    const column = columns[j]!;
    const kind = kinds.get(column)!;
    const shift = column - cells[i]!.pos;
    if (i === 0) {
      const score = { gaps: 0, orphans: isTitle(kind) ? 1 : 0, runs: 1, displacement: Math.abs(shift) };
      return { score, ways: 1, from: -1 };
    }
    let found: Step | undefined;
    for (let k = 0; k < j; k++) {
      const prev = best[i - 1]![k];
      if (!prev) continue;
      // A title beside its number column is doubtful without the number (施策の内容 without 施策No.).
      const orphan = isTitle(kind) && columns[k] !== kind.titleOf ? 1 : 0;
      const next = valueBlockNext(k);
      const score: Score = {
        gaps: prev.score.gaps + (next !== null && next !== column ? 1 : 0),
        orphans: prev.score.orphans + orphan,
        runs: prev.score.runs + (columns[k]! - cells[i - 1]!.pos === shift ? 0 : 1),
        displacement: prev.score.displacement + Math.abs(shift),
      };
      const cmp = found ? better(score, found.score) : -1;
      if (cmp < 0) found = { score, ways: prev.ways, from: k };
      else if (cmp === 0) found!.ways += prev.ways;
    }
    return found;
  };
  for (const [i, cell] of cells.entries())
    for (const [j, column] of columns.entries())
      if (fits(kinds.get(column)!, cell.text, styles)) best[i]![j] = step(i, j);
  const last = cells.length - 1;
  let end: { j: number; score: Score; ways: number } | null = null;
  for (const [j, c] of best[last]!.entries()) {
    if (!c) continue;
    const score = { ...c.score, gaps: c.score.gaps + (valueBlockNext(j) !== null ? 1 : 0) };
    const cmp = end ? better(score, end.score) : -1;
    if (cmp < 0) end = { j, score, ways: c.ways };
    else if (cmp === 0) end!.ways += c.ways;
  }
  if (!end || end.ways !== 1) return null;
  const out: string[] = [];
  let j = end.j;
  for (let i = last; i >= 0; i--) {
    out[columns[j]!] = cells[i]!.text;
    j = best[i]![j]!.from;
  }
  return Array.from({ length: Math.max(out.length, 0) }, (_, c) => out[c] ?? '');
}

/** The numbering style met first at each level, to tell levels apart when cells slip. */
export function levelStyles(rows: ImportRow[]): Map<number, string> {
  const styles = new Map<number, string>();
  for (const r of rows)
    for (const h of r.hierarchy) if (h.number && !styles.has(h.level)) styles.set(h.level, styleOf(h.number));
  return styles;
}

const editsOf = (line: number, before: string[], after: string[]): CellEdit[] => {
  const edits: CellEdit[] = [];
  for (let c = 0; c < Math.max(before.length, after.length); c++)
    if ((before[c] ?? '') !== (after[c] ?? '')) edits.push({ line, column: c, value: after[c] ?? '' });
  return edits;
};

/** The whole-line shift an alignment amounts to, or 0 when the cells moved by different amounts. */
function uniformShift(before: string[], after: string[]): number {
  const from = before.flatMap((c, i) => (plain(c) ? [i] : []));
  const to = after.flatMap((c, i) => (plain(c) ? [i] : []));
  const shifts = new Set(from.map((f, k) => to[k]! - f));
  return shifts.size === 1 ? [...shifts][0]! : 0;
}

/** How many flagged lines one reading tries to place (the rest stay flagged, with the moves offered). */
export const MAX_ALIGNED_LINES = 2000;

/** Lines whose cells stand in columns that do not take them, placed where they fit. */
export function alignRepairs(table: Table, mapping: ImportMapping, rows: ImportRow[]): Repair[] {
  const kinds = columnKinds(mapping);
  const styles = levelStyles(rows);
  const repairs: Repair[] = [];
  let tried = 0;
  for (const row of rows) {
    const cells = table[row.line - 1]!;
    // A line that reads without a flag is left as it is (a textual actual is not a slip).
    if (row.flags.length === 0) continue;
    // A file damaged throughout is for a person to look at: the work spent on it is bounded.
    if (++tried > MAX_ALIGNED_LINES) break;
    const aligned = alignLine(cells, kinds, styles);
    if (!aligned) continue;
    const edits = editsOf(row.line, cells, aligned);
    if (edits.length === 0) continue;
    const shift = uniformShift(cells, aligned);
    repairs.push({
      line: row.line,
      kind: 'align',
      shift,
      reason:
        shift !== 0
          ? `行全体が${Math.abs(shift)}列${shift > 0 ? '左' : '右'}にずれていたため、${shift > 0 ? '右' : '左'}へ${Math.abs(shift)}列ずらしました`
          : 'セルが列からずれていたため、各セルを内容に合う列へ移しました',
      edits,
    });
  }
  return repairs;
}

// ---- the hierarchy and the numbering

const cellAt = (table: Table, line: number, column: number) => plain(table[line - 1]?.[column] ?? '');

/**
 * A merged cell the extraction printed in the middle of its span: a line that starts a node at one
 * level while the node below it goes on (the same 施策No.), or numbers that restart under a blank
 * parent until the next parent appears a few lines later. The cell belongs to the span's first line.
 */
export function mergedCellRepairs(table: Table, mapping: ImportMapping, rows: ImportRow[]): Repair[] {
  const repairs: Repair[] = [];
  const levels = mapping.levels;
  const styles = levelStyles(rows);
  for (const [index, row] of rows.entries()) {
    for (const [level, lc] of levels.entries()) {
      if (lc.column < 0 || level === 0) continue;
      const parent = levels[level - 1]!;
      if (parent.column < 0) continue;
      // Numbers restarting under a blank parent: the next parent cell with the next number starts here.
      const restart = row.flags.some((f) => f.includes(`${lc.name}の番号が`) && f.includes('に戻っています'));
      if (!restart) continue;
      const before = rows[index - 1]?.hierarchy[level - 1];
      const want = before ? ordinalOf(before.number) : null;
      if (want === null) continue;
      const later = rows.slice(index + 1, index + 40).find((r) => cellAt(table, r.line, parent.column));
      if (later && ordinalOf(splitNumber(cellAt(table, later.line, parent.column)).number) === want + 1)
        repairs.push({
          line: row.line,
          kind: 'merged',
          shift: 0,
          reason: `${parent.name}のセルが${later.line}行目に印字されていたため（結合セル）、この行から${parent.name}「${cellAt(table, later.line, parent.column).slice(0, 20)}」としました`,
          edits: [{ line: row.line, column: parent.column, value: table[later.line - 1]![parent.column]! }],
        });
    }
    // A continuation line that changes a level above the node it continues: the cell was printed mid-span.
    const changed = row.flags.find((f) => f.startsWith('この行は上の事業の続きですが、'));
    if (!changed) continue;
    const level = levels.findIndex((l) => changed.includes(`、${l.name}が変わっています`));
    const lc = levels[level];
    if (!lc || lc.column < 0) continue;
    // Only a cell numbered the way its level is: text slipped into the column is a slip, not a merge.
    const number = splitNumber(cellAt(table, row.line, lc.column)).number;
    if (!number || (styles.has(level) && styles.get(level) !== styleOf(number))) continue;
    let start = index - 1;
    while (start > 0 && rows[start]!.continuation) start--;
    const first = rows[start];
    if (!first || cellAt(table, first.line, lc.column)) continue;
    repairs.push({
      line: row.line,
      kind: 'merged',
      shift: 0,
      reason: `${lc.name}のセルが事業の途中の行に印字されていたため（結合セル）、事業の最初の行（${first.line}行目）へ移しました`,
      edits: [
        { line: first.line, column: lc.column, value: table[row.line - 1]![lc.column]! },
        { line: row.line, column: lc.column, value: '' },
      ],
    });
  }
  return repairs;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

/** The same number printed again with a title one or two characters apart (a page header's misprint): the first title. */
export function titleRepairs(table: Table, mapping: ImportMapping, rows: ImportRow[]): Repair[] {
  const repairs: Repair[] = [];
  for (const row of rows) {
    for (const [level, lc] of mapping.levels.entries()) {
      if (lc.column < 0 || lc.titleColumn !== undefined) continue;
      const flag = row.flags.find((f) => f.startsWith(`${lc.name} `) && f.includes('の名称が前の行と異なります'));
      if (!flag) continue;
      const m = /（「(.*)」と「(.*)」）/.exec(flag);
      const cell = cellAt(table, row.line, lc.column);
      const split = splitNumber(cell);
      const earlier = rows.find((r) => r.line < row.line && r.hierarchy[level]?.number === split.number)?.hierarchy[
        level
      ];
      if (!m || !earlier || distance(earlier.title, split.title) > 2 || earlier.title.length < 4) continue;
      repairs.push({
        line: row.line,
        kind: 'title',
        shift: 0,
        reason: `${lc.name} ${split.number} の名称が前の行と1〜2文字違うため（「${split.title}」）、前の名称「${earlier.title}」に揃えました`,
        edits: [{ line: row.line, column: lc.column, value: `${split.number} ${earlier.title}` }],
      });
    }
  }
  return repairs;
}

/**
 * Numbers the extraction lost where the numbering around them says what they were: a running line
 * number between n−1 and n+1, a 施策No. whose 内容 is there between n−1 and n+1.
 */
export function numberRepairs(table: Table, mapping: ImportMapping, rows: ImportRow[]): Repair[] {
  const numberCol = mapping.columns.projectNumber;
  const numbered = (r: ImportRow) => (/^\d+$/.test(r.projectNumber) ? Number(r.projectNumber) : null);
  // The nearest numbers before and after each line, found in two passes (a long file stays linear).
  const around = <T>(at: (r: ImportRow) => T | null) => {
    const before: (T | null)[] = [];
    const after: (T | null)[] = [];
    let last: T | null = null;
    for (const [i, r] of rows.entries()) {
      before[i] = last;
      last = at(r) ?? last;
    }
    last = null;
    for (let i = rows.length - 1; i >= 0; i--) {
      after[i] = last;
      last = at(rows[i]!) ?? last;
    }
    return { before, after };
  };
  const lineNumbers = around(numbered);
  const levelNumbers = mapping.levels.map((lc, level) =>
    lc.titleColumn === undefined || lc.column < 0
      ? null
      : around((r) => {
          const n = cellAt(table, r.line, lc.column) ? r.hierarchy[level]?.number : undefined;
          return n && /^\d+$/.test(n) ? Number(n) : null;
        }),
  );
  const repairs: Repair[] = [];
  for (const [index, row] of rows.entries()) {
    const edits: CellEdit[] = [];
    const reasons: string[] = [];
    const running = mapping.continueWhenNameBlank === true || !!row.projectName;
    const prev = lineNumbers.before[index]!;
    const next = lineNumbers.after[index]!;
    if (numberCol !== undefined && running && !row.projectNumber && row.departments.length > 0)
      if (prev !== null && next === prev + 2) {
        edits.push({ line: row.line, column: numberCol, value: String(prev + 1) });
        reasons.push(`番号を前後の番号（${prev}・${next}）から ${prev + 1} としました`);
      }
    for (const [level, lc] of mapping.levels.entries()) {
      const around = levelNumbers[level];
      if (!around || cellAt(table, row.line, lc.column) || !cellAt(table, row.line, lc.titleColumn!)) continue;
      const a = around.before[index]!;
      const b = around.after[index]!;
      if (a !== null && b === a + 2) {
        edits.push({ line: row.line, column: lc.column, value: String(a + 1) });
        reasons.push(`${lc.name}を前後の番号（${a}・${b}）から ${a + 1} としました`);
      }
    }
    if (edits.length) repairs.push({ line: row.line, kind: 'number', shift: 0, reason: reasons.join('。'), edits });
  }
  return repairs;
}

/**
 * Where a running number counts lines and a project spans several, the project's name printed again
 * on the next line (a merged cell repeated by the extraction) continues the project.
 */
export function repeatRepairs(table: Table, mapping: ImportMapping, rows: ImportRow[]): Repair[] {
  const nameCol = mapping.columns.projectName;
  if (!mapping.continueWhenNameBlank || nameCol === undefined) return [];
  const repairs: Repair[] = [];
  for (const [index, row] of rows.entries()) {
    const above = rows[index - 1];
    if (!above || !row.projectName || row.projectName !== above.projectName) continue;
    if (row.hierarchy.length !== above.hierarchy.length) continue;
    if (row.hierarchy.some((h, i) => above.hierarchy[i]?.number !== h.number)) continue;
    repairs.push({
      line: row.line,
      kind: 'repeat',
      shift: 0,
      reason: `事業名が上の行と同じため、上の行の事業の続き（別の担当・指標）としました`,
      edits: [{ line: row.line, column: nameCol, value: '' }],
    });
  }
  return repairs;
}

/** The table with the repairs' edits. */
export function applyRepairs(table: Table, repairs: Repair[]): Table {
  // Lines no repair touches are shared with the table given (tables are read, never changed in place):
  // only the lines edited are copied, once each.
  const out = table.slice();
  const copied = new Set<number>();
  for (const r of repairs)
    for (const e of r.edits) {
      const at = e.line - 1;
      if (!out[at]) continue;
      if (!copied.has(at)) {
        out[at] = [...out[at]];
        copied.add(at);
      }
      const row = out[at];
      while (row.length <= e.column) row.push('');
      row[e.column] = e.value;
    }
  return out;
}
