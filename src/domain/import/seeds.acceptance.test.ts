import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFixes, mapTable, summarise, type ImportMapping } from './mapping.js';
import { parseTsv, type Table } from './table.js';
import { builtinMapping } from './builtin-mappings.js';

/**
 * The real reports in ../shared/seeds, read with their layouts' mappings. The expected counts were
 * taken by reading each document, not from the importer; the fixes are the ones a user makes in the
 * preview: accepting the suggested one-column shifts and retyping rows the extraction scrambled.
 */
const SEEDS = path.resolve(import.meta.dirname, '../../../../shared/seeds');
const seed = (prefix: string) => parseTsv(fs.readFileSync(path.join(SEEDS, fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix))!), 'utf8'));

function importWithSuggestedFixes(table: Table, mapping: ImportMapping) {
  const first = mapTable(table, mapping);
  const fixes = first.flatMap((r) => (r.fix ? [r.fix] : []));
  const rows = mapTable(applyFixes(table, fixes), mapping);
  return { first, fixes, rows, summary: summarise(rows, mapping) };
}

describe('seed 002: narrative status (narrative-status)', () => {
  const m = builtinMapping('narrative-status')!;
  const table = seed('002');
  const before = importWithSuggestedFixes(table, m);
  // The user types the 基本目標 the merged cell left blank into the first flagged row.
  const fixed = table.map((row, i) => (i + 1 === 33 ? ['III 被害者の保護と自立支援の充実', ...row.slice(1)] : row));
  const rows = mapTable(fixed, m);
  const summary = summarise(rows, m);

  it('flags the five rows under a merged 基本目標 cell that the extraction left blank', () => {
    expect(before.summary.flagged.map((f) => f.line)).toEqual([33, 34, 35, 36, 37]);
    expect(before.summary.flagged[0]!.reason).toContain('施策の方向の番号が 4 から 1 に戻っています');
  });

  it('holds 5 基本目標, 15 施策の方向 and 57 事業, numbered 1 to 57, once that one cell is typed in', () => {
    expect(summary.flagged).toEqual([]);
    expect(summary.nodes).toEqual({ 基本目標: 5, 施策の方向: 15 });
    expect(summary.projects).toBe(57);
    expect(rows.map((r) => Number(r.projectNumber))).toEqual(Array.from({ length: 57 }, (_, i) => i + 1));
    expect(rows.find((r) => r.projectNumber === '24')!.hierarchy.map((h) => h.number)).toEqual(['III', '1']);
  });

  it('reads several departments in a cell and reorganisation notes on names', () => {
    expect(rows.find((r) => r.projectNumber === '7')!.departments.map((d) => d.name)).toEqual(['男女共同参画課', '人権教育推進室']);
    expect(rows.find((r) => r.projectNumber === '32')!.departments[0]).toMatchObject({ name: '住宅政策課', change: { effectiveYear: 2016, fromNames: ['住宅課'] } });
    expect(rows.find((r) => r.projectNumber === '53')!.departments[0]).toMatchObject({ name: '危機管理課', change: { effectiveYear: 2018, fromNames: ['安心安全課'] } });
  });
});

describe('seed 004: per-department sheets (department-sheets)', () => {
  const m = builtinMapping('department-sheets')!;
  const { fixes, summary, rows } = importWithSuggestedFixes(seed('004'), m);

  it('holds 2 基本目標, 5 基本施策, 12 施策, 40 事業 and 41 department records, with no row needing a fix', () => {
    expect(fixes).toEqual([]);
    expect(summary.flagged).toEqual([]);
    expect(summary.nodes).toEqual({ 基本目標: 2, 基本施策: 5, 施策: 12 });
    expect(summary.projects).toBe(40);
    expect(summary.records).toBe(41);
  });

  it('counts the self-evaluations A 28, B 12, D 1', () => {
    expect(summary.grades).toEqual({ A: 28, B: 12, D: 1 });
  });

  it('reads 区分, 対象者 and the second department of a shared project', () => {
    const p39 = rows.filter((r) => r.projectNumber === '39' || (r.continuation && r.line === 24));
    expect(p39.map((r) => [r.departments[0]?.name, r.values.grade])).toEqual([
      ['地域支援課', 'B'],
      ['高齢者支援課', 'B'],
    ]);
    expect(rows.find((r) => r.projectNumber === '19')!.values).toMatchObject({ category: '継続', audience: '市民' });
  });
});

describe('seed 001: multi-year values (multi-year-values)', () => {
  const m = builtinMapping('multi-year-values')!;
  const table = seed('001');
  const { first, fixes } = importWithSuggestedFixes(table, m);
  // Three answers the extraction pushed three columns left (department first); a user retypes them
  // into place in the preview: department, blank baseline, last year's and this year's value, text.
  const scrambled = first.filter((r) => !r.fix && r.flags.length > 0).map((r) => r.line);
  const fixed = applyFixes(table, fixes).map((row, i) => (scrambled.includes(i + 1) ? ['', '', '', row[0]!, '', row[3]!, row[5]!, row[6] ?? ''] : row));
  const rows = mapTable(fixed, m);
  const summary = summarise(rows, m);

  it('needs 41 one-column shifts and 3 retyped rows, and then reads without a flag', () => {
    expect(fixes).toHaveLength(41);
    expect(scrambled).toHaveLength(3);
    expect(summary.flagged).toEqual([]);
  });

  it('holds 5 基本目標, 13 施策の方向, 23 基本事業, 69 事業 numbered 1 to 69 and 95 department records', () => {
    expect(summary.nodes).toEqual({ 基本目標: 5, 施策の方向: 13, 基本事業: 23 });
    expect(summary.projects).toBe(69);
    expect(new Set(rows.filter((r) => !r.continuation).map((r) => Number(r.projectNumber)))).toEqual(new Set(Array.from({ length: 69 }, (_, i) => i + 1)));
    expect(summary.records).toBe(95);
  });

  it('splits the indicator out of the project text and keeps the three values', () => {
    const p1 = rows.find((r) => r.projectNumber === '1')!;
    expect(p1.projectName).toBe('男女共同参画を推進するための研修会等を開催し、意識啓発を行う。');
    expect(p1.values).toMatchObject({ indicator: '男女共同参画に関する研修会等の受講者数', baseline: '172人', previousActual: '213人', actual: '159人' });
    expect(p1.departments.map((d) => d.name)).toEqual(['企画政策課', '生涯学習課']);
  });
});
