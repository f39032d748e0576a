import { describe, expect, it } from 'vitest';
import { changedSince, emptySnapshot, hashOf, sameRow } from './batch-rows.js';

/**
 * A row's fingerprint is stored with each import (the plan as the import left it) and compared with
 * the row now, before an undo: it must stay the same function of the row's columns and values, or
 * every earlier import would look edited since.
 */
describe('import batch fingerprints', () => {
  it('recognises the fingerprints stored by earlier imports (version 1), whatever the order of the columns', () => {
    // Values written by the first version of the fingerprint (JSON of the sorted [column, value] pairs).
    const row = { id: 1, a: 'x"y\\z\n\ud800', b: null, c: 1.5, version: 3 };
    expect(sameRow('evaluation', row, '15xattt.1dgkuxv')).toBe(true);
    expect(sameRow('evaluation', { ...row, c: 2.5 }, '15xattt.1dgkuxv')).toBe(false);
    expect(sameRow('project', { id: 2, name: '講座', depth: 0 }, '1oxonr3.1w1pqn0')).toBe(true);
    expect(sameRow('node', { t: '相談', id: 5 }, '14j82n7.1c0x88n')).toBe(true);
    expect(sameRow('node', { t: '相談', id: 6 }, '14j82n7.1c0x88n')).toBe(false);
    // A batch recorded since keeps version 2, compared in version 2.
    expect(hashOf('node', { t: '相談', id: 5 })).toMatch(/^[0-9a-z]+:[0-9a-z]+$/);
    expect(sameRow('node', { id: 5, t: '相談' }, hashOf('node', { t: '相談', id: 5 }))).toBe(true);
    expect(sameRow('node', { t: '相談', id: 5 }, undefined)).toBe(false);
  });

  it('tells an undo which rows changed since a digest of either version', () => {
    const now = emptySnapshot();
    now.project.set('1', { id: 1, name: '講座', depth: 0 });
    now.project.set('2', { id: 2, name: '講座', depth: 0 });
    now.project.set('3', { id: 3, name: '新しい事業', depth: 0 });
    const changed = changedSince(
      {
        project: {
          1: hashOf('project', { id: 1, name: '講座', depth: 0 }),
          2: '1oxonr3.1w1pqn0', // version 1 of { id: 2, name: '講座', depth: 0 }: unchanged
          4: hashOf('project', { id: 4, name: '消えた事業', depth: 0 }),
        },
      },
      now,
    );
    // 1 is as stored (version 2), 2 as stored in version 1; 4 is gone and 3 is new.
    expect(changed).toEqual({ project: ['4', '3'] });
  });

  it('keeps the fingerprint of a row stored before a column was added while the column is empty', () => {
    // An indicator as an import before the indicators' years fingerprinted it, and as it reads now.
    const before = { id: 3, name: '講座の回数', unit: '回', position: 1 };
    const stored = hashOf('indicator', before);
    expect(hashOf('indicator', { ...before, first_year: null, last_year: null })).toBe(stored);
    expect(hashOf('indicator', { ...before, first_year: 2026, last_year: null })).not.toBe(stored);
    expect(hashOf('indicator', { ...before, first_year: null, last_year: 2027 })).not.toBe(stored);
    expect(hashOf('indicator', { ...before, first_year: 2026 })).not.toBe(
      hashOf('indicator', { ...before, last_year: 2026 }),
    );
  });

  it('ignores what a kind ignores and sees every other change', () => {
    const row = { id: 1, code: 'A', version: 1, entered_by: 3, entered_at: '2026-01-01' };
    const base = hashOf('evaluation', row);
    expect(hashOf('evaluation', { ...row, version: 2, entered_by: 4, entered_at: '2026-02-01' })).toBe(base);
    expect(hashOf('evaluation', { ...row, code: 'B' })).not.toBe(base);
    expect(hashOf('record', { id: 1, text: 'a' })).not.toBe(hashOf('record', { id: 1, text: 'a ' }));
    expect(hashOf('record', { id: 1, text: null })).not.toBe(hashOf('record', { id: 1, text: 'null' }));
  });

  it('reads version 1 as the fingerprint of the row written out as JSON, for any text a cell can hold', () => {
    // The definition, written the plain way: the text built whole, then hashed.
    const reference = (row: Record<string, unknown>) => {
      const text = JSON.stringify(
        Object.keys(row)
          .sort()
          .map((k) => [k, row[k] ?? null]),
      );
      let h1 = 0xdeadbeef;
      let h2 = 0x41c6ce57;
      for (let i = 0; i < text.length; i++) {
        h1 = Math.imul(h1 ^ text.charCodeAt(i), 2654435761);
        h2 = Math.imul(h2 ^ text.charCodeAt(i), 1597334677);
      }
      const a = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
      const b = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
      return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
    };
    const controls = Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)).join('');
    const texts = [
      '',
      controls,
      '"\\"\\\\',
      '絵文字😀と結合文字が̈',
      '\ud83d',
      'a\ud83dz',
      '\ude00a',
      '\ude00\ud83d',
      '\u2028\u2029\u007f\u0080\uffff',
      '事業1 男女共同参画の推進（再掲）',
    ];
    const numbers = [
      0,
      -0,
      7,
      123456,
      2 ** 31 - 1,
      2 ** 31,
      1.5,
      -3,
      1e21,
      1e-7,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      2 ** 53,
    ];
    for (const [i, text] of texts.entries()) {
      const row = { id: i, text, value: numbers[i % numbers.length], note: null, z: `${text}${i}` };
      expect(sameRow('record', row, reference(row)), JSON.stringify(text)).toBe(true);
    }
    for (const value of numbers)
      expect(sameRow('actual', { id: 1, value }, reference({ id: 1, value })), String(value)).toBe(true);
  });

  it('is, in version 2, the hash of each column’s name code, its type tag and its value, written the plain way', () => {
    // The definition: the codes listed whole, then hashed.
    const name = (n: string) => {
      let x = 0x811c9dc5;
      for (const ch of n) x = Math.imul(x ^ ch.charCodeAt(0), 16777619);
      return x >>> 0;
    };
    // A text: its length, then its code units two to a code (the first in the high half), a last odd one alone.
    const text = (t: string) => [
      t.length,
      ...Array.from({ length: Math.ceil(t.length / 2) }, (_, i) =>
        2 * i + 1 < t.length ? (t.charCodeAt(2 * i) << 16) | t.charCodeAt(2 * i + 1) : t.charCodeAt(2 * i),
      ),
    ];
    const reference = (row: Record<string, unknown>) => {
      const codes: number[] = [];
      for (const k of Object.keys(row).sort()) {
        const v = row[k];
        codes.push(name(k));
        if (typeof v === 'string') codes.push(1, ...text(v));
        else if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31 && !Object.is(v, -0))
          codes.push(2, v);
        else if (v === null || v === undefined) codes.push(3);
        else if (typeof v === 'number') codes.push(4, ...text(String(v)));
        else codes.push(5, ...text(JSON.stringify(v)));
      }
      let h1 = 0x243f6a88;
      let h2 = 0x85a308d3;
      for (const c of codes) {
        h1 = Math.imul(h1 ^ c, 2654435761);
        h2 = Math.imul(h2 ^ c, 1597334677);
      }
      const a = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
      const b = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
      return `${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}`;
    };
    const rows: Record<string, unknown>[] = [
      { id: 1, text: '講座を年4回開催した。', value: 4, note: null, custom: '{}' },
      { id: 2, text: '"\\\n\u0000絵文字😀\ud83d', value: -0, half: 1.5, big: 2 ** 31, neg: -3 },
      { id: 3, flag: true, parts: { a: 1 }, when: new Date(0), nan: Number.NaN, inf: Number.POSITIVE_INFINITY },
    ];
    for (const row of rows) expect(hashOf('record', row), JSON.stringify(row)).toBe(reference(row));
  });

  it('tells apart, in version 2, rows whose values would run together or change type', () => {
    const pairs: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        { id: 1, a: 'ab', b: 'c' },
        { id: 1, a: 'a', b: 'bc' },
      ],
      [
        { id: 1, a: '', b: 'x' },
        { id: 1, a: 'x', b: '' },
      ],
      [
        { id: 1, a: null },
        { id: 1, a: 'null' },
      ],
      [
        { id: 1, a: 3 },
        { id: 1, a: '3' },
      ],
      [
        { id: 1, a: 3 },
        { id: 1, a: 3.5 },
      ],
      [
        { id: 1, a: 0 },
        { id: 1, a: -0 },
      ],
      [
        { id: 1, a: 1, b: 2 },
        { id: 1, a: 2, b: 1 },
      ],
      [
        { id: 1, a: 'x' },
        { id: 1, b: 'x' },
      ],
    ];
    for (const [x, y] of pairs) expect(hashOf('record', x), JSON.stringify([x, y])).not.toBe(hashOf('record', y));
  });
});
