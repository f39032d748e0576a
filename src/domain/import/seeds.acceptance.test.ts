import { describe, expect, it } from 'vitest';
import { applyFixes, summarise, type ImportRow } from './mapping.js';
import { readImport } from './read.js';
import { NO_FIXES } from './fixes.js';
import { fixed000, fixed001, fixed002, fixed004, seedTable, type FixedSeed } from './seed-fixes.test-support.js';

/**
 * The real reports in ../shared/seeds, read with their layouts' mappings and automatic repairs and
 * no hand-made fix. Each line is compared field by field with the document as read by a person (the
 * fixtures in seed-fixes.test-support.ts: cell edits that put each value where the document shows
 * it), not by counts alone; the counts were taken by reading each document.
 */

/** A line as it would be stored: its place in the tree, its project, departments and every value. */
const view = (r: ImportRow) => ({
  line: r.line,
  hierarchy: r.hierarchy.map((h) => `${h.number} ${h.title}`),
  number: r.projectNumber,
  name: r.projectName,
  departments: r.departments.map((d) => d.name),
  values: r.values,
  continuation: r.continuation,
  sameAs: r.sameAs ?? null,
  groups: r.groups ?? [],
});

/** The lines read automatically against the person's reading: the lines whose stored values differ. */
function differences(auto: ImportRow[], f: FixedSeed): number[] {
  const expected = readImport(f.table, f.mapping, { autoRepair: false }).rows;
  const got = new Map(auto.map((r) => [r.line, r]));
  return expected
    .filter((e) => !f.excluded.includes(e.line))
    .filter((e) => JSON.stringify(view(e)) !== JSON.stringify(got.has(e.line) ? view(got.get(e.line)!) : null))
    .map((e) => e.line);
}

const seeds: [string, () => FixedSeed][] = [
  ['000', fixed000],
  ['001', fixed001],
  ['002', fixed002],
  ['004', fixed004],
];

describe.each(seeds)('seed %s, read with automatic repairs and no hand fixes', (prefix, fixture) => {
  const f = fixture();
  const read = readImport(seedTable(prefix), f.mapping);

  it('stores every line as the document shows it, field by field', () => {
    expect(differences(read.rows, f)).toEqual([]);
  });

  it('without automatic repairs, reads each line as the document shows it or flags it — never silently wrong', () => {
    const plain = readImport(seedTable(prefix), f.mapping, { autoRepair: false });
    const flagged = new Set(plain.rows.filter((r) => r.flags.length > 0).map((r) => r.line));
    expect(differences(plain.rows, f).filter((line) => !flagged.has(line))).toEqual([]);
  });

  it('lists each automatic repair with its reason and cell edits', () => {
    for (const r of read.repairs) {
      expect(r.reason).not.toBe('');
      expect(r.edits.length).toBeGreaterThan(0);
    }
  });
});

describe('seed 000: indicator achievement', () => {
  const f = fixed000();
  const read = readImport(seedTable('000'), f.mapping);
  const summary = summarise(read.rows, f.mapping);

  it('flags only line 100, which names no department anywhere in the report', () => {
    expect(summary.flagged.map((x) => x.line)).toEqual([100]);
    expect(summary.flagged[0]!.reason).toContain('担当課の列に「-」');
  });

  it('repairs the 13 damaged lines a person retyped, and moves none the document contradicts', () => {
    expect([...new Set(read.repairs.map((r) => r.line))].sort((a, b) => a - b)).toEqual([
      13, 25, 38, 42, 43, 44, 45, 46, 56, 76, 77, 78, 79, 80, 85, 86, 88, 98,
    ]);
  });

  it('holds 12 主要課題, 27 施策, 31 施策No., 57 主な取組 and 74 numbered lines: ◎ 52, ○ 3, △ 5, × 4', () => {
    const kept = read.rows.filter((r) => r.flags.length === 0);
    const s = summarise(kept, f.mapping);
    expect(s.nodes).toEqual({ 主要課題: 12, 施策: 27, 施策の内容: 31 });
    expect(s.projects).toBe(57);
    expect(kept.map((r) => Number(r.projectNumber))).toEqual(
      Array.from({ length: 74 }, (_, i) => i + 1).filter((n) => n !== 75),
    );
    expect(s.grades).toEqual({ '◎': 52, '○': 3, '△': 5, '×': 4, '—': 4, '-': 4 });
  });

  it('reads the fiscal year, title and as-of date from the title lines', () => {
    expect(read.meta).toMatchObject({ fiscalYear: 2021, asOf: '令和4年3月31日時点' });
    expect(read.meta.title).toContain('令和3年度事業最終評価');
    expect(read.meta.title).not.toMatch(/事業最終評価\s*事業最終評価/);
  });
});

describe('seed 001: multi-year values', () => {
  const f = fixed001();
  const read = readImport(seedTable('001'), f.mapping);
  const summary = summarise(read.rows, f.mapping);

  it('reads every line without a flag: 69 projects numbered 1 to 69 and 95 department records', () => {
    expect(summary.flagged).toEqual([]);
    expect(summary.nodes).toEqual({ 基本目標: 5, 施策の方向: 13, 基本事業: 23 });
    expect(summary.projects).toBe(69);
    expect(new Set(read.rows.filter((r) => !r.continuation).map((r) => Number(r.projectNumber)))).toEqual(
      new Set(Array.from({ length: 69 }, (_, i) => i + 1)),
    );
  });

  it('keeps the marks of second departments in the year columns, never as the narrative', () => {
    const at = (line: number) => read.rows.find((r) => r.line === line)!;
    expect(at(163)).toMatchObject({ departments: [{ name: '保育幼稚園課' }] });
    expect(at(163).values).toMatchObject({ previousActual: '○', actual: '○' });
    expect(at(163).values.resultText).toContain('関係機関と連携');
    expect(at(150).values).toEqual({ actual: '○' });
    // 事業7: the second department's own values report on the project's indicator.
    expect(at(29).values).toMatchObject({
      indicator: expect.stringContaining('研修会等受講者数'),
      previousActual: '49人',
      actual: '54人',
    });
  });

  it('fails when a move the document contradicts is made (the naive one-column move of line 163)', () => {
    const naive = applyFixes(seedTable('001'), [{ line: 163, shift: 1 }]);
    const wrong = readImport(naive, f.mapping, { fixes: { ...NO_FIXES, rejected: [163] } });
    expect(differences(wrong.rows, f)).toContain(163);
  });

  it('matches 人権・同和对策室 to 人権・同和対策室 and keeps 「(関係各課)」 as a note, not a department', () => {
    expect(read.names).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ written: '人権・同和对策室', meant: '人権・同和対策室', kind: 'variant' }),
        expect.objectContaining({ written: '(関係各課)', meant: null, kind: 'group' }),
      ]),
    );
    expect(read.rows.find((r) => r.line === 59)!.groups).toEqual(['(関係各課)']);
  });

  it('reads the years of the value columns from the header: 現状値 平成27年度, 令和元年度, 令和2年度', () => {
    expect(read.meta.fiscalYear).toBe(2020);
    expect(read.meta.columnYears).toEqual({ baseline: 2015, previousActual: 2019, actual: 2020 });
  });

  it('lists パバママ as a probable misread of パパママ', () => {
    expect(read.suspects).toContainEqual(expect.objectContaining({ word: 'パバママ', suggestion: 'パパママ' }));
  });
});

describe('seed 002: narrative status', () => {
  const f = fixed002();
  const read = readImport(seedTable('002'), f.mapping);
  const summary = summarise(read.rows, f.mapping);

  it('infers the 基本目標 a merged cell printed five lines lower, and reads 57 projects and 61 records', () => {
    expect(summary.flagged).toEqual([]);
    expect(read.repairs.find((r) => r.line === 33)).toMatchObject({ kind: 'merged' });
    expect(summary.nodes).toEqual({ 基本目標: 5, 施策の方向: 15 });
    expect(summary.projects).toBe(57);
    expect(summary.records + read.rows.filter((r) => r.groups?.length).length).toBe(61);
  });

  it('lists データDV, 志春期 and 「Y ou」 as probable misreads, and 全庁 as a group word', () => {
    const words = read.suspects.map((s) => `${s.word}→${s.suggestion}`);
    expect(words).toEqual(expect.arrayContaining(['データDV→デートDV', '志春期→思春期', 'Y ou→You']));
    expect(read.names.find((n) => n.written === '全庁')).toMatchObject({ kind: 'group', meant: null });
  });

  it('lists 府内 as 庁内 misread for a municipality outside a 府, and not for one in 大阪府', () => {
    // The document's municipality is in 埼玉県 (prefecture 11): 府内 and 府外 there are the city hall's 庁内, 庁外.
    const saitama = readImport(seedTable('002'), f.mapping, { municipalityCode: '112011' });
    const fu = saitama.suspects.filter((s) => s.word.startsWith('府'));
    expect(new Set(fu.map((s) => `${s.word}→${s.suggestion}`))).toEqual(
      new Set(['府内→庁内', '府外→庁外', '府内外→庁内外']),
    );
    // Each line that prints the word is listed, with the field it stands in.
    const lines = seedTable('002')
      .map((cells, i) => ({ line: i + 1, text: cells.join('\t') }))
      .filter((l) => /(?<![政道閣阪都])府[内外]/.test(l.text) && saitama.rows.some((r) => r.line === l.line));
    expect(new Set(fu.map((s) => s.line))).toEqual(new Set(lines.map((l) => l.line)));
    const osaka = readImport(seedTable('002'), f.mapping, { municipalityCode: '271004' });
    expect(osaka.suspects.filter((s) => s.word.startsWith('府'))).toEqual([]);
    // Without the municipality known (a dry run without it), the word is not judged.
    expect(read.suspects.filter((s) => s.word.startsWith('府'))).toEqual([]);
  });

  it('applies the misreads the user accepts to the stored texts', () => {
    const fixed = readImport(seedTable('002'), f.mapping, {
      fixes: { ...NO_FIXES, words: { データDV: 'デートDV' } },
    });
    expect(JSON.stringify(fixed.rows)).not.toContain('データDV');
    expect(fixed.suspects.map((s) => s.word)).not.toContain('データDV');
  });

  it('reads 平成29年度 from the header as the fiscal year', () => {
    expect(read.meta.fiscalYear).toBe(2017);
  });
});

describe('seed 004: per-department sheets', () => {
  const f = fixed004();
  const read = readImport(seedTable('004'), f.mapping);
  const summary = summarise(read.rows, f.mapping);

  it('is unchanged: 40 projects, 41 records, A 28 B 12 D 1, no flag and no repair', () => {
    expect(summary.flagged).toEqual([]);
    expect(read.repairs).toEqual([]);
    expect(summary.projects).toBe(40);
    expect(summary.records).toBe(41);
    expect(summary.grades).toEqual({ A: 28, B: 12, D: 1 });
  });

  it('reads 「地域支援課に同じ。」 as a link to that department, and the plan title without the sheet part', () => {
    expect(read.rows.find((r) => r.line === 24)).toMatchObject({ sameAs: '地域支援課' });
    expect(read.meta.title).not.toContain('【対象課');
    expect(read.meta.fiscalYear).toBe(2019);
  });
});
