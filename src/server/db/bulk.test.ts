import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/harness.js';
import { insertMany, insertManyReturning } from './bulk.js';
import { now } from './util.js';

/**
 * Many rows written by the import's bulk path land exactly as given, on the database the suite runs
 * on: every column of every row (text with quotes and newlines, NULL, numbers), over several
 * statements, returned in the order written, whether a value is shared by every row of a statement
 * (bound once) or not; rows that name different columns are refused whole.
 */
describe('bulk inserts', () => {
  let h: Harness;
  let municipalityId: number;
  beforeAll(async () => {
    h = await createHarness();
    municipalityId = (await h.municipality('一括市')).id;
  });
  afterAll(() => h.close());

  const department = (i: number) => ({
    municipality_id: municipalityId,
    parent_id: null,
    name: i % 7 === 0 ? `課"${i}"\n'改行'` : `一括${i}課`,
    kind: 'ka' as const,
    active_from: i % 3 === 0 ? null : 2000 + (i % 30),
    active_to: null,
    position: i,
    created_at: now(),
  });

  it('writes 1,234 rows over three statements and returns them in order', async () => {
    const rows = Array.from({ length: 1234 }, (_, i) => department(i));
    const back = await insertManyReturning(h.db, 'departments', rows, ['id', 'name', 'position']);
    expect(back.map((r) => [r.name, r.position])).toEqual(rows.map((r) => [r.name, r.position]));
    const stored = await h.db
      .selectFrom('departments')
      .select(['id', 'name', 'active_from', 'active_to', 'position', 'kind'])
      .where('municipality_id', '=', municipalityId)
      .orderBy('position')
      .execute();
    expect(stored).toEqual(
      rows.map((r, i) => ({
        id: back[i]!.id,
        name: r.name,
        active_from: r.active_from,
        active_to: null,
        position: r.position,
        kind: 'ka',
      })),
    );
  });

  it('writes a value shared by every row of a statement once, and values shared by some rows as each row gives them', async () => {
    // 501 rows: the first statement's 500 share the name (quotes and a newline in it) and a null, then the same
    // columns vary; the second statement is one row alone.
    const rows = Array.from({ length: 501 }, (_, i) => ({
      ...department(10_000 + i),
      name:
        i < 500
          ? `共有"課"
'同じ'`
          : `最後の課`,
      active_from: i < 500 ? null : 2001,
      position: i < 250 ? 7 : i,
    }));
    const back = await insertManyReturning(h.db, 'departments', rows, ['id', 'name', 'active_from', 'position']);
    expect(back.map((r) => [r.name, r.active_from, r.position])).toEqual(
      rows.map((r) => [r.name, r.active_from, r.position]),
    );
    const stored = await h.db
      .selectFrom('departments')
      .select(['name', 'active_from', 'position', 'municipality_id'])
      .where(
        'id',
        'in',
        back.map((r) => r.id),
      )
      .orderBy('id')
      .execute();
    expect(stored).toEqual(
      rows.map((r) => ({
        name: r.name,
        active_from: r.active_from,
        position: r.position,
        municipality_id: municipalityId,
      })),
    );
  });

  it('refuses rows that name different columns, writing none of them', async () => {
    const before = await h.db.selectFrom('departments').select('id').execute();
    const rows = [department(5000), { ...department(5001), active_to: undefined }];
    await expect(insertMany(h.db, 'departments', rows)).rejects.toThrow(/different columns/);
    expect(await h.db.selectFrom('departments').select('id').execute()).toHaveLength(before.length);
  });

  it('writes nothing for no rows', async () => {
    await expect(insertManyReturning(h.db, 'departments', [], ['id'])).resolves.toEqual([]);
  });
});
