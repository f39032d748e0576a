import { parseFiscalYear, toHalfWidth } from '../fiscal-year.js';
import { NO_FIXES, type ImportFixes } from './fixes.js';
import { applyFixes, mapTable, type ImportMapping, type ImportRow } from './mapping.js';
import type { Table } from './table.js';

/**
 * A file read for import, from the table to the rows as they would be stored: the user's fixes
 * (fixes.ts) applied, high-confidence repairs made and listed as 自動修正, names checked against
 * the municipality, probable misreads listed, and the document's own title and year read. Shared
 * by the preview, the commit and the command line, so that all three read a file the same way.
 */

/** A repair made without asking: a whole-line move after which the line reads without a flag. */
export interface Repair {
  line: number;
  shift: number;
  reason: string;
}

/** A word that appears once and is one character from a word the document uses elsewhere. */
export interface Suspect {
  line: number;
  /** where the word stands: 事業名, 実績・取組状況 … */
  field: string;
  word: string;
  suggestion: string;
}

/** How a department name as written was matched. */
export interface NameMatch {
  written: string;
  /** the department meant; null: a new one (or none, for a group word) */
  meant: string | null;
  kind: 'known' | 'variant' | 'near' | 'group' | 'new';
  lines: number[];
}

/** What the document says about itself in its title lines. */
export interface DocumentMeta {
  title: string | null;
  fiscalYear: number | null;
  /** 「令和4年3月31日時点」 as printed */
  asOf: string | null;
}

export interface ReadOptions {
  /** the municipality's department names */
  known?: readonly string[];
  fixes?: ImportFixes;
  /** make high-confidence repairs without asking (default: on) */
  autoRepair?: boolean;
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
  const fixed = applyFixes(table, fixes.moves).map((row) => [...row]);
  for (const e of fixes.edits) {
    const row = fixed[e.line - 1];
    if (!row) throw new Error(`${e.line}行目はありません`);
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
  let table = correctedTable(source, fixes);
  const repairs: Repair[] = [];
  if (options.autoRepair !== false) ({ table } = autoRepair(table, mapping, known, new Set(fixes.rejected), repairs));
  const excluded = new Set(fixes.excluded);
  const rows = mapTable(table, mapping, known).filter((r) => !excluded.has(r.line));
  return { table, rows, repairs, suspects: [], names: [], meta: readMeta(source) };
}

/** Suggested moves applied where the moved line reads without a flag. */
function autoRepair(
  table: Table,
  mapping: ImportMapping,
  known: readonly string[],
  rejected: ReadonlySet<number>,
  repairs: Repair[],
): { table: Table } {
  let current = table;
  for (let pass = 0; pass < 3; pass++) {
    const rows = mapTable(current, mapping, known);
    const candidates = rows.filter((r) => r.fix && !rejected.has(r.line) && !repairs.some((x) => x.line === r.line));
    if (candidates.length === 0) break;
    let applied = false;
    for (const row of candidates) {
      const trial = applyFixes(current, [row.fix!]);
      const after = mapTable(trial, mapping, known).find((r) => r.line === row.line);
      if (!after || after.flags.length > 0) continue;
      current = trial;
      repairs.push({ line: row.line, shift: row.fix!.shift, reason: row.flags[0] ?? '' });
      applied = true;
    }
    if (!applied) break;
  }
  return { table: current };
}

const TITLE = /(計画|プラン)/;

/** The document's title, fiscal year and as-of date, from the lines above its table. */
export function readMeta(table: Table): DocumentMeta {
  const lines = table
    .slice(0, 15)
    .map((r) => r.map((c) => c.trim()).filter(Boolean))
    .filter((r) => r.length > 0 && r.length <= 2)
    .map((r) => r.join(' '));
  const title = lines.find((l) => TITLE.test(l) && l.length <= 120) ?? null;
  let fiscalYear: number | null = null;
  for (const l of title ? [title, ...lines] : lines) {
    const m = /(令和|平成|R|H)\s*(元|[0-9０-９]{1,2})\s*年度|[（(](R|H)\s*([0-9０-９]{1,2})[)）]|([0-9]{4})年度/.exec(
      l,
    );
    if (!m) continue;
    fiscalYear = m[1]
      ? parseFiscalYear(`${m[1]}${toHalfWidth(m[2]!)}年度`)
      : m[3]
        ? parseFiscalYear(`${m[3]}${toHalfWidth(m[4]!)}`)
        : Number(m[5]);
    if (fiscalYear !== null) break;
  }
  const asOf = lines.find((l) => /時点$/.test(l)) ?? null;
  return { title, fiscalYear, asOf };
}
