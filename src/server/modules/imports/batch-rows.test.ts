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

  it('ignores what a kind ignores and sees every other change', () => {
    const row = { id: 1, code: 'A', version: 1, entered_by: 3, entered_at: '2026-01-01' };
    const base = hashOf('evaluation', row);
    expect(hashOf('evaluation', { ...row, version: 2, entered_by: 4, entered_at: '2026-02-01' })).toBe(base);
    expect(hashOf('evaluation', { ...row, code: 'B' })).not.toBe(base);
    expect(hashOf('record', { id: 1, text: 'a' })).not.toBe(hashOf('record', { id: 1, text: 'a ' }));
    expect(hashOf('record', { id: 1, text: null })).not.toBe(hashOf('record', { id: 1, text: 'null' }));
  });
});
