import fs from 'node:fs';
import path from 'node:path';
import { applyFixes, mapTable, type ImportMapping, type RowFix } from './mapping.js';
import { parseTsv, type Table } from './table.js';
import { builtinMapping } from './builtin-mappings.js';

/**
 * The real reports in ../shared/seeds (read from there, never copied) and the fixes a user makes in
 * the preview after reading them: accepting suggested moves and typing what the extraction lost.
 * Shared by the domain acceptance tests and the database import tests.
 */
const SEEDS = path.resolve(import.meta.dirname, '../../../../shared/seeds');
export const seedTable = (prefix: string): Table =>
  parseTsv(
    fs.readFileSync(
      path.join(
        SEEDS,
        fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix))!,
      ),
      'utf8',
    ),
  );

export interface FixedSeed {
  mapping: ImportMapping;
  table: Table;
  /** lines the user leaves out */
  excluded: number[];
  suggested: RowFix[];
  /** lines the user changed by hand */
  typed: number[];
}

function editor(table: Table) {
  const rows = table.map((r) => [...r]);
  const typed = new Set<number>();
  const set = (line: number, column: number, value: string) => {
    const row = rows[line - 1]!;
    while (row.length <= column) row.push('');
    row[column] = value;
    typed.add(line);
  };
  return { rows, set, typed };
}

/** 002: one 基本目標 cell, blank under a merge, typed in. */
export function fixed002(): FixedSeed {
  const mapping = builtinMapping('narrative-status')!;
  const e = editor(seedTable('002'));
  e.set(33, 0, 'III 被害者の保護と自立支援の充実');
  return { mapping, table: e.rows, excluded: [], suggested: [], typed: [...e.typed] };
}

/** 004: nothing to fix. */
export function fixed004(): FixedSeed {
  return {
    mapping: builtinMapping('department-sheets')!,
    table: seedTable('004'),
    excluded: [],
    suggested: [],
    typed: [],
  };
}

/**
 * 001 as read: the whole-line one-column moves the importer offers where the document bears them out,
 * three answers the extraction pushed three columns left (department first), and the second
 * departments' rows whose department slipped left while their marks and text slipped right (a plain
 * move would make a bare 「○」 the narrative). A single mark in such a row with no text is the
 * report's year: the cells of a department's row are packed towards its text.
 */
export function fixed001(): FixedSeed {
  const mapping = builtinMapping('multi-year-values')!;
  const table = seedTable('001');
  const first = mapTable(table, mapping);
  const split = [150, 155, 163, 164, 166, 173, 174, 178, 180];
  const suggested = first.flatMap((r) => (r.fix && !split.includes(r.line) ? [r.fix] : []));
  const scrambled = first.filter((r) => !r.fix && r.flags.length > 0).map((r) => r.line);
  const e = editor(applyFixes(table, suggested));
  // Department, blank baseline, last year's and this year's value, text.
  for (const line of scrambled) {
    const row = e.rows[line - 1]!;
    e.rows[line - 1] = ['', '', '', row[0]!, '', row[3]!, row[5]!, row[6] ?? ''];
    e.typed.add(line);
  }
  for (const line of split) {
    const row = e.rows[line - 1]!;
    const [dept, a, b, text] = [row[2]!, row[6]!, row[7] ?? '', row[8] ?? ''];
    e.rows[line - 1] = b ? ['', '', '', dept, '', a, b, text] : ['', '', '', dept, '', '', a, ''];
    e.typed.add(line);
  }
  return { mapping, table: e.rows, excluded: [], suggested, typed: [...e.typed].sort((x, y) => x - y) };
}

/** 000: suggested moves, one three-column move, and what the extraction lost or misplaced. */
export function fixed000(): FixedSeed {
  const mapping = builtinMapping('indicator-achievement')!;
  const table = seedTable('000');
  const suggested = mapTable(table, mapping).flatMap((r) => (r.fix ? [r.fix] : []));
  const e = editor(applyFixes(table, [...suggested, { line: 56, shift: 3 }]));
  e.typed.add(56);
  e.set(13, 2, '3'); // 施策No. 3 and line number 4 were lost; the cells had slipped right
  e.set(13, 13, '4');
  e.set(24, 1, e.rows[25 - 1]![1]!); // line 24 belongs to 施策②, whose merged cell the extraction put on line 25
  e.set(38, 0, '(5) 子育てと介護への支援'); // the page header misprints the name of (5)
  e.set(43, 12, '子育て支援課'); // department and line number slipped one column
  e.set(43, 13, '28');
  e.set(76, 13, '55'); // line number lost
  for (const line of [77, 78, 79]) {
    e.set(line, 4, e.rows[line - 1]![0]!); // 主な取組 printed in the 主要課題 column
    e.set(line, 0, '');
  }
  e.set(80, 0, ''); // the same 主な取組 as line 79, repeated by the extraction
  e.set(85, 11, e.rows[85 - 1]![12]!); // 備考, department and line number slipped one column
  e.set(85, 12, '人権市民相談課');
  e.set(85, 13, '62');
  e.set(86, 11, e.rows[86 - 1]![13]!);
  e.set(86, 12, '広報広聴課');
  e.set(86, 13, '63');
  e.set(98, 13, '73'); // line number lost
  // Line 100 names no department anywhere in the report: the user leaves it out.
  return { mapping, table: e.rows, excluded: [100], suggested, typed: [...e.typed].sort((a, b) => a - b) };
}
