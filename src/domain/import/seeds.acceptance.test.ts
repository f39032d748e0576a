import { describe, expect, it } from 'vitest';
import { applyFixes, mapTable, summarise, type ImportMapping } from './mapping.js';
import type { Table } from './table.js';
import { builtinMapping } from './builtin-mappings.js';
import { fixed000, fixed001, fixed002, seedTable } from './seed-fixes.test-support.js';

/**
 * The real reports in ../shared/seeds, read with their layouts' mappings. The expected counts were
 * taken by reading each document, not from the importer; the fixes are the ones a user makes in the
 * preview: accepting the suggested one-column shifts and retyping rows the extraction scrambled.
 */
const seed = seedTable;

function importWithSuggestedFixes(table: Table, mapping: ImportMapping) {
  const first = mapTable(table, mapping);
  const fixes = first.flatMap((r) => (r.fix ? [r.fix] : []));
  const rows = mapTable(applyFixes(table, fixes), mapping);
  return { first, fixes, rows, summary: summarise(rows, mapping) };
}

describe('seed 002: narrative status (narrative-status)', () => {
  const m = builtinMapping('narrative-status')!;
  const before = importWithSuggestedFixes(seed('002'), m);
  // The user types the 基本目標 the merged cell left blank into the first flagged row.
  const rows = mapTable(fixed002().table, m);
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
    expect(rows.find((r) => r.projectNumber === '7')!.departments.map((d) => d.name)).toEqual([
      '男女共同参画課',
      '人権教育推進室',
    ]);
    expect(rows.find((r) => r.projectNumber === '32')!.departments[0]).toMatchObject({
      name: '住宅政策課',
      change: { effectiveYear: 2016, fromNames: ['住宅課'] },
    });
    expect(rows.find((r) => r.projectNumber === '53')!.departments[0]).toMatchObject({
      name: '危機管理課',
      change: { effectiveYear: 2018, fromNames: ['安心安全課'] },
    });
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
  // Three answers the extraction pushed three columns left (department first) are retyped into place.
  const f = fixed001();
  const fixes = f.suggested;
  const scrambled = f.typed;
  const rows = mapTable(f.table, m);
  const summary = summarise(rows, m);

  it('needs 41 one-column shifts and 3 retyped rows, and then reads without a flag', () => {
    expect(fixes).toHaveLength(41);
    expect(scrambled).toHaveLength(3);
    expect(summary.flagged).toEqual([]);
  });

  it('holds 5 基本目標, 13 施策の方向, 23 基本事業, 69 事業 numbered 1 to 69 and 95 department records', () => {
    expect(summary.nodes).toEqual({ 基本目標: 5, 施策の方向: 13, 基本事業: 23 });
    expect(summary.projects).toBe(69);
    expect(new Set(rows.filter((r) => !r.continuation).map((r) => Number(r.projectNumber)))).toEqual(
      new Set(Array.from({ length: 69 }, (_, i) => i + 1)),
    );
    expect(summary.records).toBe(95);
  });

  it('splits the indicator out of the project text and keeps the three values', () => {
    const p1 = rows.find((r) => r.projectNumber === '1')!;
    expect(p1.projectName).toBe('男女共同参画を推進するための研修会等を開催し、意識啓発を行う。');
    expect(p1.values).toMatchObject({
      indicator: '男女共同参画に関する研修会等の受講者数',
      baseline: '172人',
      previousActual: '213人',
      actual: '159人',
    });
    expect(p1.departments.map((d) => d.name)).toEqual(['企画政策課', '生涯学習課']);
  });
});

describe('seed 000: indicator achievement (indicator-achievement)', () => {
  const m = builtinMapping('indicator-achievement')!;
  const first = mapTable(seed('000'), m);
  const f = fixed000();
  const rows = mapTable(f.table, m);
  const kept = rows.filter((r) => !f.excluded.includes(r.line));
  const summary = summarise(kept, m);

  it('flags every line the extraction damaged, and suggests a move for the whole-line slips', () => {
    expect(first.filter((r) => r.flags.length > 0).map((r) => r.line)).toEqual([
      13, 25, 38, 42, 43, 44, 45, 46, 56, 76, 77, 78, 79, 85, 86, 88, 98, 100,
    ]);
    expect(f.suggested.map((x) => x.line)).toEqual([13, 42, 44, 45, 46, 76, 88, 98]);
    expect(rows.find((r) => r.line === 100)!.flags[0]).toContain('担当課の列に「-」');
  });

  it('needs 8 suggested moves, 12 lines typed by hand and 1 line left out', () => {
    expect(f.typed).toEqual([13, 24, 38, 43, 56, 76, 77, 78, 79, 80, 85, 86, 98]);
    expect(f.excluded).toEqual([100]);
  });

  it('holds 12 主要課題, 27 施策, 31 施策No., 57 主な取組 and 73 department records after the fixes', () => {
    expect(summary.flagged).toEqual([]);
    expect(summary.nodes).toEqual({ 主要課題: 12, 施策: 27, '施策No.': 31 });
    expect(summary.projects).toBe(57);
    expect(summary.records).toBe(73);
  });

  it('counts the final evaluations of its 74 numbered lines: ◎ 52, ○ 3, △ 5, × 4, and 8 not graded (— or -)', () => {
    expect(summary.grades).toEqual({ '◎': 52, '○': 3, '△': 5, '×': 4, '—': 4, '-': 4 });
    expect(kept.map((r) => Number(r.projectNumber))).toEqual(Array.from({ length: 74 }, (_, i) => i + 1));
  });
});
