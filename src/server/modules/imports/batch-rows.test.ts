import { describe, expect, it } from 'vitest';
import { hashOf } from './batch-rows.js';

/**
 * A row's fingerprint is stored with each import (the plan as the import left it) and compared with
 * the row now, before an undo: it must stay the same function of the row's columns and values, or
 * every earlier import would look edited since.
 */
describe('import batch fingerprints', () => {
  it('gives the fingerprints stored by earlier imports, whatever the order of the columns', () => {
    // Values written by the first version of the fingerprint (JSON of the sorted [column, value] pairs).
    expect(hashOf('evaluation', { id: 1, a: 'x"y\\z\n\ud800', b: null, c: 1.5, version: 3 })).toBe('15xattt.1dgkuxv');
    expect(hashOf('project', { id: 2, name: '講座', depth: 0 })).toBe('1oxonr3.1w1pqn0');
    expect(hashOf('node', { t: '相談', id: 5 })).toBe('14j82n7.1c0x88n');
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

  it('is the fingerprint of the row written out as JSON, for any text a cell can hold', () => {
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
      expect(hashOf('record', row), JSON.stringify(text)).toBe(reference(row));
    }
    for (const value of numbers)
      expect(hashOf('actual', { id: 1, value }), String(value)).toBe(reference({ id: 1, value }));
  });
});
