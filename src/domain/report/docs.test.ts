import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLUMN_KEYS, COLUMN_KEY_LABELS } from './columns.js';

/** docs/reports.md lists every column a layout can have, with the words the screens use for it. */
describe('the report layout documentation', () => {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/reports.md'), 'utf8');
  const rows = doc
    .split('\n')
    .filter((l) => /^\| `[a-zA-Z]+` \|/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()));

  it('has one row per column kind, in the code’s order, with its label', () => {
    expect(rows.map((r) => r[1]!.replaceAll('`', ''))).toEqual([...COLUMN_KEYS]);
    for (const r of rows)
      expect(r[2]).toBe(COLUMN_KEY_LABELS[r[1]!.replaceAll('`', '') as keyof typeof COLUMN_KEY_LABELS]);
  });
});
