import { describe, expect, it } from 'vitest';
import { readTable, rereadTable, type ImportMapping } from './mapping.js';
import { fixed000, fixed001, fixed002, fixed004, seedTable } from './seed-fixes.test-support.js';
import type { Table } from './table.js';

/**
 * Reading a table again after some lines were replaced (what automatic repairs do between their
 * passes) reads only from the replaced lines until the reading is back in step: the rows must be
 * exactly those of reading the whole table, whatever the lines became. Checked on the four seed
 * reports with random replacements of the kinds a repair or an extraction makes.
 */

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One line changed as a slip, a repair, a merged cell or a page break would change it (a new list). */
function changeLine(table: Table, at: number, rnd: () => number, header: string[]): string[] {
  const row = table[at]!;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  switch (Math.floor(rnd() * 8)) {
    case 0:
      return ['', ...row]; // slipped right
    case 1:
      return row.slice(1); // slipped left
    case 2: {
      const out = [...row];
      out[Math.floor(rnd() * Math.max(1, out.length))] = ''; // a cell lost
      return out;
    }
    case 3:
      return [...table[Math.floor(rnd() * table.length)]!]; // another line's cells
    case 4: {
      const out = [...row];
      out[Math.floor(rnd() * 3)] = pick(['(3) 別の施策', 'Ⅱ 別の基本目標', '②', '12', '1-2 施策']); // a level or number
      return out;
    }
    case 5:
      return row.map(() => ''); // blank
    case 6:
      return [...header]; // the header repeated by a page break
    default:
      return [...row]; // the same cells in a new list
  }
}

function checkRereads(table: Table, mapping: ImportMapping, seed: number, trials: number) {
  const rnd = random(seed);
  const full = readTable(table, mapping);
  const header = table[full.headerAt]!;
  const first = full.headerAt + 1 + mapping.extraHeaderRows;
  let previous = full;
  for (let t = 0; t < trials; t++) {
    // From the first reading, or (every third trial) from the last re-reading: chains as repair passes make them.
    const base = t % 3 === 2 ? previous : full;
    const next = base.table.slice();
    const count = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < count; k++) {
      // One change in four among the first lines, where the first row (which cannot continue a project) is decided.
      const span = rnd() < 0.25 ? Math.min(4, next.length - first) : next.length - first;
      const at = first + Math.floor(rnd() * span);
      next[at] = changeLine(next, at, rnd, header);
    }
    const again = rereadTable(base, next);
    expect(again.rows, `trial ${t}`).toEqual(readTable(next, mapping).rows);
    previous = again;
  }
}

const seeds = [
  ['000', fixed000],
  ['001', fixed001],
  ['002', fixed002],
  ['004', fixed004],
] as const;

describe('reading a table again after some lines changed', () => {
  it.each(seeds)('gives the rows of a whole reading: seed %s, 150 random changes', (prefix, fixture) => {
    const { mapping } = fixture();
    checkRereads(seedTable(prefix), mapping, Number(prefix) + 1, 150);
  });

  it('reads a line again whose row became the first: the first row continues no project', () => {
    const mapping: ImportMapping = {
      name: 'test',
      label: 'test',
      headerWords: ['基本目標', '番号', '事業名', '担当課'],
      extraHeaderRows: 0,
      levels: [{ name: '基本目標', column: 0 }],
      columns: { projectNumber: 1, projectName: 2, department: 3, resultText: 4 },
      numberInName: false,
    };
    const table: Table = [
      ['基本目標', '番号', '事業名', '担当課', '実績'],
      ['', '1', '講座の開催', '推進課', '年4回開いた'],
      ['', '', '', '推進課', '延べ120人が参加した'],
      ['', '2', '相談', '推進課', '随時'],
    ];
    const full = readTable(table, mapping);
    expect(full.rows[1]!.continuation).toBe(true);
    const next = table.slice();
    next[1] = ['', '', '', '', ''];
    const again = rereadTable(full, next);
    expect(again.rows[0]!.continuation).toBe(false);
    expect(again.rows).toEqual(readTable(next, mapping).rows);
  });

  it('reads again only from a changed line until in step, and reads everything again when the header changes', () => {
    const { mapping } = fixed002();
    const table = seedTable('002');
    const full = readTable(table, mapping);
    const at = full.rows[Math.floor(full.rows.length / 2)]!.line - 1;
    const next = table.slice();
    next[at] = [...table[at]!];
    const again = rereadTable(full, next);
    // The rows of far lines are the earlier reading's own; the changed line's is read anew.
    expect(again.rows[0]).toBe(full.rows[0]);
    expect(again.rows.at(-1)).toBe(full.rows.at(-1));
    const changed = again.rows.find((r) => r.line === at + 1)!;
    expect(changed).not.toBe(full.rows.find((r) => r.line === at + 1));
    expect(changed).toEqual(full.rows.find((r) => r.line === at + 1));
    // The first data line blanked: the next line gives the first row, which continues nothing.
    const blanked = table.slice();
    const firstLine = full.rows[0]!.line - 1;
    blanked[firstLine] = table[firstLine]!.map(() => '');
    expect(rereadTable(full, blanked).rows).toEqual(readTable(blanked, mapping).rows);
    // A changed header line: nothing is taken from the earlier reading.
    const newHeader = table.slice();
    newHeader[full.headerAt] = [...table[full.headerAt]!];
    const whole = rereadTable(full, newHeader);
    expect(whole.rows[0]).not.toBe(full.rows[0]);
    expect(whole.rows).toEqual(full.rows);
  });
});
