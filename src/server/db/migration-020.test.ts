import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, migrateUpTo } from './db.js';
import { testDatabase } from '../testing/harness.js';

/**
 * Migration 020 moves SQLite's closed lists from triggers into the tables' CHECK constraints by
 * building the tables again: a database at 019 with rows (and an id freed by a deletion) keeps every
 * row, id, counter, index and other trigger, refuses the same values with the same message, and
 * goes back to the triggers when migrated down. On PostgreSQL the migration changes nothing.
 */
describe('migration 020: closed lists as CHECK constraints on SQLite', () => {
  let t: Awaited<ReturnType<typeof testDatabase>>;
  let db: Kysely<any>;
  const at = '2026-04-01T00:00:00.000Z';
  let sqlite = false;

  const insert = async (table: string, values: Record<string, unknown>) =>
    Number((await db.insertInto(table).values(values).returning('id').executeTakeFirstOrThrow()).id);
  /** Indexes and triggers (and on PostgreSQL the constraints), by name, with their definitions. */
  const objects = async () =>
    sqlite
      ? (
          await sql<{ type: string; name: string; sql: string }>`
            SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name`.execute(
            db,
          )
        ).rows
      : (
          await sql<{ type: string; name: string; sql: string }>`
            SELECT 'index' AS type, indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema()
            UNION ALL SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint
              WHERE connamespace = current_schema()::regnamespace
            ORDER BY 2, 1`.execute(db)
        ).rows;
  /** The error each database gives for the named list check (SQLite's message is the same before and after). */
  const refused = (name: string) => new RegExp(`check constraint.*${name}`, 'i');
  const rows = async (table: string) => db.selectFrom(table).selectAll().orderBy('id').execute();

  beforeAll(async () => {
    t = await testDatabase();
    db = t.handle.owner;
    sqlite = t.handle.dialect === 'sqlite';
    await migrateUpTo(t.handle, '019-evaluation-subject-lookup');
  });
  afterAll(() => t.drop());

  it('keeps every row, id and counter, refuses what the triggers refused, and goes back down', async () => {
    const m = await insert('municipalities', { code: '999998', name: 'サンプル市', era2019: 'reiwa1', created_at: at });
    const dep = (name: string, kind: string) =>
      insert('departments', { municipality_id: m, name, kind, position: 0, created_at: at });
    await dep('総務部', 'bu');
    await dep('人権推進課', 'ka');
    const freed = await dep('廃止課', 'ka');
    await db.deleteFrom('departments').where('id', '=', freed).execute();
    const plan = await insert('plans', {
      ...{ municipality_id: m, title: '計画', slogan: '', first_year: 2024, last_year: 2028 },
      ...{ created_at: at, updated_at: at },
    });
    await insert('indicators', {
      ...{ municipality_id: m, plan_id: plan, name: '講座の回数', unit: '回', kind: 'number', direction: 'higher' },
      ...{ position: 1, created_at: at, updated_at: at },
    });
    const before = { departments: await rows('departments'), indicators: await rows('indicators') };
    const objectsBefore = await objects();

    await migrateToLatest(t.handle);
    expect(await rows('departments')).toEqual(before.departments);
    expect(await rows('indicators')).toEqual(before.indicators);
    // The id freed by the deletion is not given again (AUTOINCREMENT's counter came along).
    expect(await dep('新設課', 'ka')).toBe(freed + 1);
    const bad = (table: string, column: string, value: string) =>
      table === 'departments'
        ? dep(`x-${value}`, value)
        : insert('indicators', {
            ...{ municipality_id: m, plan_id: plan, name: 'x', unit: '', kind: 'number', direction: 'higher' },
            ...{ position: 2, created_at: at, updated_at: at, [column]: value },
          });
    await expect(bad('departments', 'kind', 'kyoku')).rejects.toThrow(refused('departments_kind_check'));
    await expect(bad('indicators', 'direction', 'up')).rejects.toThrow(refused('indicators_direction_check'));
    await expect(bad('indicators', 'purpose', 'wish')).rejects.toThrow(refused('indicators_purpose_check'));
    await expect(db.updateTable('indicators').set({ kind: 'money' }).execute()).rejects.toThrow(
      refused('indicators_kind_check'),
    );
    expect(await rows('indicators')).toEqual(before.indicators);

    const after = await objects();
    if (!sqlite) {
      expect(after).toEqual(objectsBefore);
      return;
    }
    const listTriggers = (o: { type: string; name: string }[]) =>
      o.filter((x) => x.type === 'trigger' && /_check_(insert|update)$/.test(x.name)).map((x) => x.name);
    expect(listTriggers(objectsBefore).length).toBeGreaterThan(20);
    expect(listTriggers(after)).toEqual([]);
    // Everything else (indexes, the guards against deleting kept rows) is as it was.
    const others = (o: { type: string; name: string }[]) => o.filter((x) => !listTriggers([x]).length);
    expect(others(after)).toEqual(others(objectsBefore));
    const fk = await sql`PRAGMA foreign_key_check`.execute(db);
    expect(fk.rows).toEqual([]);
    await migrateUpTo(t.handle, '019-evaluation-subject-lookup');
    expect(await objects()).toEqual(objectsBefore);
    await expect(bad('indicators', 'direction', 'up')).rejects.toThrow(refused('indicators_direction_check'));
    const definition = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE name = 'indicators'`.execute(db);
    expect(definition.rows[0]!.sql).not.toMatch(/CHECK/);
  });
});
