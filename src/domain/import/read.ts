import { parseFiscalYear, toHalfWidth } from '../fiscal-year.js';
import { NO_FIXES, type ImportFixes } from './fixes.js';
import {
  applyFixes,
  IMPORT_FIELD_LABELS,
  mapTable,
  readTable,
  rereadTable,
  type ImportMapping,
  type ImportRow,
  type TableReading,
} from './mapping.js';
import { findHeaderRow } from './table.js';
import { parseValue } from '../values.js';
import type { Table } from './table.js';
import { matchNames, normaliseName, sameAsIn, type NameMatch } from './names.js';
import { applyWords, findSuspects, type Suspect } from './suspects.js';
import {
  alignRepairs,
  applyRepairs,
  columnKinds,
  levelStyles,
  lineFits,
  mergedCellRepairs,
  numberRepairs,
  repeatRepairs,
  titleRepairs,
  type Repair,
} from './repair.js';

/**
 * A file read for import, from the table to the rows as they would be stored: the user's fixes
 * (fixes.ts) applied, high-confidence repairs made and listed as 自動修正, names checked against
 * the municipality, probable misreads listed, and the document's own title and year read. Shared
 * by the preview, the commit and the command line, so that all three read a file the same way.
 */

export type { Repair } from './repair.js';

export type { NameMatch } from './names.js';
export type { Suspect } from './suspects.js';

/** What the document says about itself in its title lines. */
export interface DocumentMeta {
  title: string | null;
  fiscalYear: number | null;
  /** 「令和4年3月31日時点」 as printed */
  asOf: string | null;
  /** the fiscal year the header gives a value column (現状値 「27年度」 → 2015) */
  columnYears: Partial<Record<'baseline' | 'previousActual' | 'actual' | 'target', number>>;
}

export interface ReadOptions {
  /** the municipality's department names */
  known?: readonly string[];
  fixes?: ImportFixes;
  /** make high-confidence repairs without asking (default: on) */
  autoRepair?: boolean;
  /** the municipality's 団体コード, when known: a word that names a prefecture it is not in is a probable misread */
  municipalityCode?: string;
}

export interface ReadResult {
  /** the source as corrected: the user's moves and typed cells, then the automatic repairs */
  table: Table;
  /** the rows as they would be stored, excluded lines left out; a row with flags is not stored */
  rows: ImportRow[];
  repairs: Repair[];
  suspects: Suspect[];
  names: NameMatch[];
  meta: DocumentMeta;
}

/** The source with the user's moves and typed cells. */
export function correctedTable(table: Table, fixes: Pick<ImportFixes, 'moves' | 'edits'>): Table {
  const fixed = applyFixes(table, fixes.moves);
  // Only the lines typed in are copied: the others stay shared with the source, which is never changed.
  const copied = new Set<number>();
  for (const e of fixes.edits) {
    const at = e.line - 1;
    if (!fixed[at]) throw new Error(`${e.line}行目はありません`);
    if (!copied.has(at)) {
      fixed[at] = [...fixed[at]];
      copied.add(at);
    }
    const row = fixed[at];
    while (row.length <= e.column) row.push('');
    row[e.column] = e.value;
  }
  return fixed;
}

/**
 * Reads a table for import. Nothing is decided silently: a repair is listed, a doubt is a flag, a
 * suspicious word is listed for the user to accept.
 */
export function readImport(source: Table, mapping: ImportMapping, options: ReadOptions = {}): ReadResult {
  const fixes = options.fixes ?? NO_FIXES;
  const known = options.known ?? [];
  const corrected = correctedTable(source, fixes);
  const repaired =
    options.autoRepair === false
      ? { repairs: [], rows: mapTable(corrected, mapping, known) }
      : autoRepairs(corrected, mapping, known, new Set(fixes.rejected));
  const { repairs, rows: all } = repaired;
  const table = applyRepairs(corrected, repairs);
  const excluded = new Set(fixes.excluded);
  const meta = readMeta(source, mapping.headerWords);
  meta.columnYears = readColumnYears(table, mapping, meta.fiscalYear);
  placeNumbers(all, mapping);
  flagUnreadableTerms(all);
  if (meta.columnYears.baseline === undefined) flagBaselineWithoutYear(all);
  const names = matchNames(all, known, fixes.names);
  readSameAs(all, [...known, ...names.flatMap((n) => (n.meant ? [n.meant] : n.kind === 'new' ? [n.written] : []))]);
  applyWords(all, fixes.words);
  flagReusedNumbers(all, excluded);
  flagOrphans(all, excluded);
  const rows = all.filter((r) => !excluded.has(r.line));
  const suspects = findSuspects(rows, {
    prefectureCode: options.municipalityCode ? Number(options.municipalityCode.slice(0, 2)) : undefined,
  });
  return { table, rows, repairs, suspects, names, meta };
}

/**
 * A 現状値 of ○ × — on a line without an indicator is the answer's status of the baseline year: with
 * no year in the header or in a column, it has no place and is flagged.
 */
function flagBaselineWithoutYear(rows: ImportRow[]): void {
  for (const row of rows) {
    const kind = parseValue(row.values.baseline ?? '').kind;
    if (row.values.indicator || row.values.baselineYear || (kind !== 'flag' && kind !== 'status')) continue;
    row.flags.push(
      `現状値「${row.values.baseline!.slice(0, 10)}」の年度が分かりません。見出しに年度を書くか、現状値の年度の列を対応づけてください`,
    );
  }
}

/** A direction or a target kind written in words the import cannot read is flagged, never taken as the default. */
function flagUnreadableTerms(rows: ImportRow[]): void {
  for (const row of rows) {
    const d = row.values.direction?.trim();
    if (d && !/減|下げ|少な|低|↓|抑|増|上げ|多|高|↑|伸/.test(d))
      row.flags.push(`方向「${d.slice(0, 20)}」が読めません。「増やす」「減らす」のように書いてください`);
    const k = row.values.targetKind?.trim();
    if (k && !/目標|期待|モニタ|参考|累計|最終|毎年|単年|年度/.test(k))
      row.flags.push(
        `目標の種類「${k.slice(0, 20)}」が読めません。目標値・期待値・モニタリング・累計のいずれかにしてください`,
      );
  }
}

/** 「地域支援課に同じ。」 in a line's answer: the line repeats that department's answer (a link, not text). */
function readSameAs(rows: ImportRow[], names: readonly string[]): void {
  for (const row of rows) {
    const written = sameAsIn(row.values.resultText) ?? sameAsIn(row.values.planText);
    if (!written) continue;
    const meant = names.find((n) => normaliseName(n) === normaliseName(written));
    if (meant && !row.departments.some((d) => d.name === meant)) row.sameAs = meant;
  }
}

const GENERATORS = [alignRepairs, mergedCellRepairs, titleRepairs, numberRepairs, repeatRepairs];

/**
 * Repairs found pass by pass (a line moved into place may then show its lost number), kept only
 * where every line they touch then reads without a flag, in columns that take its cells.
 */
function autoRepairs(
  table: Table,
  mapping: ImportMapping,
  known: readonly string[],
  rejected: ReadonlySet<number>,
): { repairs: Repair[]; rows: ImportRow[] } {
  let accepted: Repair[] = [];
  const failed = new Set<number>(rejected);
  let rows: ImportRow[] = [];
  // Each reading after the first reads again only the lines the repairs changed (and what follows from them).
  let reading: TableReading | null = null;
  const read = (t: Table) => (reading = reading ? rereadTable(reading, t) : readTable(t, mapping, known)).rows;
  for (let round = 0; round < 4; round++) {
    // Each pass maps the table as repaired so far; the pass that finds nothing more has read the
    // repaired table, and its rows are the ones checked (and, when they pass, the ones returned).
    for (let pass = 0; pass < 4; pass++) {
      const current = applyRepairs(table, accepted);
      rows = read(current);
      const done = new Set(accepted.map((r) => `${r.line}|${r.kind}`));
      const found = GENERATORS.flatMap((g) => g(current, mapping, rows)).filter(
        (r) => !failed.has(r.line) && !done.has(`${r.line}|${r.kind}`),
      );
      if (found.length === 0) break;
      accepted = [...accepted, ...found];
      if (pass === 3) rows = read(applyRepairs(table, accepted));
    }
    const repaired = applyRepairs(table, accepted);
    const kinds = columnKinds(mapping);
    const styles = levelStyles(rows);
    const byLine = new Map(rows.map((r) => [r.line, r]));
    const bad = new Set(
      accepted
        .filter((r) =>
          [r.line, ...r.edits.map((e) => e.line)].some((line) => {
            const row = byLine.get(line);
            return row !== undefined && (row.flags.length > 0 || !lineFits(repaired[line - 1]!, kinds, styles));
          }),
        )
        .map((r) => r.line),
    );
    if (bad.size === 0) return { repairs: accepted, rows };
    for (const line of bad) failed.add(line);
    accepted = accepted.filter((r) => !bad.has(r.line));
  }
  return { repairs: accepted, rows: read(applyRepairs(table, accepted)) };
}

/**
 * A continuation line that changes a level (a merged cell printed mid-span) puts its project's first
 * line in doubt too: that line's node is probably the one printed below it.
 */
function flagOwnersOfMovedLevels(rows: ImportRow[]): void {
  let owner: ImportRow | undefined;
  for (const row of rows) {
    if (!row.continuation) owner = row;
    else if (owner && row.flags.some((f) => f.startsWith('この行は上の事業の続きですが、'))) {
      const flag = `続きの行（${row.line}行目）で体系が変わっています。この行の体系を確かめてください`;
      if (!owner.flags.includes(flag)) owner.flags.push(flag);
    }
  }
}

const pathOf = (r: ImportRow) => r.hierarchy.map((h) => `${h.number}\u0000${h.title}`).join('\u0001');

/**
 * A line that only inherits the tree a flagged or excluded line set (its own cells name no other
 * node) would be filed under a node nobody confirmed: it is flagged, never re-parented silently.
 */
function flagInheritedFromFlagged(rows: ImportRow[], excluded: ReadonlySet<number>): void {
  let confirmed = '';
  let doubtful: { path: string; line: number } | null = null;
  for (const row of rows) {
    const path = pathOf(row);
    const bad = row.flags.length > 0 || excluded.has(row.line);
    if (bad) {
      if (path !== confirmed) doubtful = { path, line: row.line };
      continue;
    }
    if (doubtful && path === doubtful.path) {
      row.flags.push(
        `体系は読み取れない行（${doubtful.line}行目）から引き継いだものです。その行を直すと、この行も読めます`,
      );
      continue;
    }
    confirmed = path;
    doubtful = null;
  }
}

/**
 * A line continuing a project whose first line is flagged or left out has no project to join: it
 * is flagged too, never attached to the project before.
 */
function flagOrphans(rows: ImportRow[], excluded: ReadonlySet<number>): void {
  flagOwnersOfMovedLevels(rows);
  flagInheritedFromFlagged(rows, excluded);
  let owner: ImportRow | undefined;
  for (const row of rows) {
    if (!row.continuation) {
      owner = row;
      continue;
    }
    if (!owner) continue;
    const why = excluded.has(owner.line) ? '取り込みから除外されている' : owner.flags.length ? '読み取れない' : null;
    if (why && !excluded.has(row.line))
      row.flags.push(`この行が続く事業の行（${owner.line}行目）が${why}ため、この行の事業が決まりません`);
  }
}

/**
 * One number names one project: a later line starting a project under a number an earlier line gave
 * another name is flagged (stored, it would merge into the first, its name lost), naming both.
 */
function flagReusedNumbers(rows: ImportRow[], excluded: ReadonlySet<number>): void {
  const first = new Map<string, ImportRow>();
  const squash = (t: string) => t.normalize('NFKC').replace(/[\s\u3000]+/g, '');
  for (const row of rows) {
    if (row.continuation || !row.projectNumber || !row.projectName || excluded.has(row.line)) continue;
    const was = first.get(row.projectNumber);
    if (!was) first.set(row.projectNumber, row);
    else if (squash(was.projectName) !== squash(row.projectName))
      row.flags.push(
        `事業番号「${row.projectNumber}」は${was.line}行目の「${was.projectName}」と同じ番号です。番号か事業名を確かめてください`,
      );
  }
}

const TITLE = /(計画|プラン)/;
const YEAR = /(令和|平成|R|H)\s*(元|[0-9０-９]{1,2})\s*年度|[（(](R|H)\s*([0-9０-９]{1,2})[)）]|([0-9]{4})年度/;

function yearIn(text: string): number | null {
  const m = YEAR.exec(text);
  if (!m) return null;
  if (m[1]) return parseFiscalYear(`${m[1]}${toHalfWidth(m[2]!)}年度`);
  if (m[3]) return parseFiscalYear(`${m[3]}${toHalfWidth(m[4]!)}`);
  return parseFiscalYear(m[5]!);
}

/** 「…事業最終評価 事業最終評価」: a phrase printed twice (a title and a running head) once. */
function once(title: string): string {
  const words = title.split(/\s+/);
  return words.filter((w, i) => i === 0 || w !== words[i - 1]).join(' ');
}

/**
 * The document's title, fiscal year and as-of date, from the lines above its table: the year of its
 * title (「令和3年度事業最終評価」, 「（R2）」), else of the header's results column (「平成29年度実施状況」,
 * 「令和元年度事業実績」). A sheet's own part of the title (【対象課 …】) is not the plan's.
 */
export function readMeta(table: Table, headerWords: readonly string[] = []): DocumentMeta {
  const lines = table
    .slice(0, 15)
    .map((r) => r.map((c) => c.trim()).filter(Boolean))
    .filter((r) => r.length > 0 && r.length <= 2)
    .map((r) => r.join(' '));
  const found = lines.find((l) => TITLE.test(l) && l.length <= 120);
  const title = found ? once(found.replace(/\s*【対象課[^】]*】\s*/g, ' ').trim()) : null;
  let fiscalYear = title ? yearIn(title) : null;
  if (fiscalYear === null) {
    const header = table
      .slice(0, 40)
      .find(
        (r) =>
          headerWords.length > 0 &&
          headerWords.every((w) => r.some((c) => c.replace(/\s+/g, '') === w.replace(/\s+/g, ''))),
      );
    const cells = (header ?? []).map((c) => c.trim());
    const results = cells.find((c) => /(実績|実施状況|取組状況)/.test(c) && yearIn(c) !== null);
    fiscalYear = results ? yearIn(results) : null;
  }
  const asOf = lines.find((l) => /時点$/.test(l)) ?? null;
  return { title, fiscalYear, asOf, columnYears: {} };
}

/**
 * The years the header lines print over the value columns (「27年度」「令和元年度」「令和2年度」). A
 * year without its era (27年度) is the latest era's year not after the document's.
 */
export function readColumnYears(
  table: Table,
  mapping: ImportMapping,
  documentYear: number | null,
): DocumentMeta['columnYears'] {
  const headerAt = findHeaderRow(table, mapping.headerWords);
  if (headerAt < 0) return {};
  const lines = table.slice(headerAt, headerAt + 1 + mapping.extraHeaderRows);
  const out: DocumentMeta['columnYears'] = {};
  for (const field of ['baseline', 'previousActual', 'actual', 'target'] as const) {
    const column = mapping.columns[field];
    if (column === undefined) continue;
    for (const line of lines) {
      const text = toHalfWidth((line[column] ?? '').trim());
      const year = yearIn(text) ?? bareEraYear(text, documentYear);
      if (year !== null) out[field] = year;
    }
  }
  return out;
}

function bareEraYear(text: string, documentYear: number | null): number | null {
  const m = /^(\d{1,2})年度?$/.exec(text.replace(/\s+/g, ''));
  if (!m) return null;
  const n = Number(m[1]);
  const candidates = [2018 + n, 1988 + n].filter((y) => documentYear === null || y <= documentYear);
  return candidates[0] ?? null;
}

/**
 * A line continuing a project (another department's answer) with values but no indicator of its
 * own reports on the project's indicator: the one named on the project's first line.
 */
function inheritIndicators(rows: ImportRow[]): void {
  let indicator: string | undefined;
  for (const row of rows) {
    if (!row.continuation) indicator = row.values.indicator;
    else if (!row.values.indicator && indicator && VALUE_FIELDS.some((f) => row.values[f]))
      row.values.indicator = indicator;
  }
}

const VALUE_FIELDS = ['baseline', 'previousActual', 'actual', 'target', 'finalTarget'] as const;
const hasNumber = (row: ImportRow) => VALUE_FIELDS.some((f) => parseValue(row.values[f] ?? '').kind === 'number');

/**
 * A number with no indicator to hold it has no place: where the table has no indicator column at
 * all, a project's own target and actual make an indicator named after the project (shown so in the
 * preview); where it has one and the line leaves it empty, the line is flagged — never dropped.
 */
function placeNumbers(rows: ImportRow[], mapping: ImportMapping): void {
  if (mapping.columns.indicator === undefined && !mapping.indicatorInName)
    for (const row of rows)
      if (!row.continuation && row.projectName && hasNumber(row)) row.values.indicator = row.projectName;
  inheritIndicators(rows);
  for (const row of rows) {
    if (row.values.indicator) continue;
    const numbers = VALUE_FIELDS.filter((f) => parseValue(row.values[f] ?? '').kind === 'number');
    if (numbers.length)
      row.flags.push(
        `${numbers.map((f) => IMPORT_FIELD_LABELS[f]).join('・')}に数値がありますが、活動指標がありません。指標の列を確かめるか、指標名を入力してください`,
      );
  }
}
