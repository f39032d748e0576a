import { CompiledQuery, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/harness.js';
import { PreparedStatements, preparable } from './prepared.js';
import { inMunicipality } from './tenant.js';
import type { Database } from './types.js';
import { now } from './util.js';

const onPostgres = process.env.TEST_DB === 'postgres';

const select = { sql: 'select "id" from "plans" where "id" = $1', values: ["'5'"] };

describe('statements prepared once per connection', () => {
  it('prepares a statement the first time and executes it by name after, apart for each role', () => {
    const p = new PreparedStatements();
    expect(p.render(['begin', select], 'app').texts).toEqual([
      'begin',
      'prepare s1 as select "id" from "plans" where "id" = $1',
      "execute s1('5')",
    ]);
    expect(p.render([{ ...select, values: ["'6'"] }, 'commit'], 'app').texts).toEqual(["execute s1('6')", 'commit']);
    expect(p.render([select], 'owner').texts).toEqual([
      'prepare s2 as select "id" from "plans" where "id" = $1',
      "execute s2('5')",
    ]);
    expect(p.render([{ sql: 'select 1', values: [] }], 'app').texts).toEqual(['prepare s3 as select 1', 'execute s3']);
    expect(p.size).toBe(3);
  });

  it('writes in the literals of a statement it may not prepare', () => {
    const p = new PreparedStatements();
    const star = { sql: 'select * from "plans" where "id" = $1', values: ["'5'"] };
    expect(p.render([star], 'app').texts).toEqual([`select * from "plans" where "id" = '5'`]);
    expect(preparable('select count(*) as "n" from "plans"')).toBe(true);
    expect(preparable('select "r".*, "u"."name" from "records" as "r"')).toBe(false);
    expect(preparable('update "records" set "version" = $1 returning *')).toBe(false);
    expect(preparable('lock table "plans" in exclusive mode')).toBe(false);
    expect(preparable('deallocate all')).toBe(false);
    expect(p.size).toBe(0);
  });

  it('forgets what a failed trip prepared, and begins again after too many such failures', () => {
    const p = new PreparedStatements();
    const failed = p.render([select], 'app');
    failed.failed(new Error('unique violation'));
    // Whether s1 exists is not known: a new name is prepared.
    expect(p.render([select], 'app').texts[0]).toBe('prepare s2 as select "id" from "plans" where "id" = $1');
    for (let i = 0; i < 17; i++) p.render([{ sql: `select ${i}`, values: [] }], 'app').failed(new Error('x'));
    const next = p.render([select], 'app').texts;
    expect(next[0]).toBe('deallocate all');
    expect(next[1]).toMatch(/^prepare s\d+ as select "id"/);
  });

  it('begins again when the server no longer has a statement this side prepared', () => {
    const p = new PreparedStatements();
    p.render([select], 'app');
    p.render([select], 'app').failed(
      Object.assign(new Error('prepared statement "s1" does not exist'), { code: '26000' }),
    );
    expect(p.render([select], 'app').texts).toEqual([
      'deallocate all',
      'prepare s2 as select "id" from "plans" where "id" = $1',
      "execute s2('5')",
    ]);
  });

  it('keeps at most its bound, deallocating the least recently used first', () => {
    const p = new PreparedStatements(2);
    const q = (n: number) => ({ sql: `select ${n}`, values: [] });
    p.render([q(1)], 'app');
    p.render([q(2)], 'app');
    p.render([q(1)], 'app');
    expect(p.render([q(3)], 'app').texts).toEqual(['deallocate s2', 'prepare s3 as select 3', 'execute s3']);
    expect(p.render([q(1)], 'app').texts).toEqual(['execute s1']);
    expect(p.size).toBe(2);
  });
});

// Not when the suite runs as the app does behind a pooler in transaction mode (DATABASE_PREPARE=off).
describe.skipIf(!onPostgres || process.env.DATABASE_PREPARE === 'off')('prepared statements on PostgreSQL', () => {
  let h: Harness;
  let mid: number;
  /** the app's handle, on a pool of one connection so that what it prepared can be seen on it */
  let one: Kysely<Database>;
  beforeAll(async () => {
    h = await createHarness({ DATABASE_POOL_SIZE: '1', DATABASE_PREPARE: 'on' });
    mid = (await h.municipality('準備市')).id;
    one = h.ctx.db;
  });
  afterAll(() => h.close());

  /** what the one connection has prepared: the text that prepared each, and how often each ran */
  const prepared = async () =>
    (
      await sql<{
        statement: string;
        runs: number;
      }>`select "statement", ("generic_plans" + "custom_plans")::int as "runs"
        from pg_prepared_statements`.execute(h.db)
    ).rows;

  it('prepares a statement once on its connection and answers as without', async () => {
    const names = ['準備課', "O'Reilly の課", 'バックスラッシュ \\ の課'];
    for (const name of names)
      await inMunicipality(mid, () =>
        one
          .insertInto('departments')
          .values({ municipality_id: mid, name, position: 0, kind: 'ka', created_at: now() })
          .execute(),
      );
    for (let i = 0; i < 8; i++)
      for (const name of names) {
        const rows = await inMunicipality(mid, () =>
          one.selectFrom('departments').select(['name']).where('name', '=', name).execute(),
        );
        expect(rows).toEqual([{ name }]);
      }
    // Each prepared once (the text that prepared it is the whole trip it went in), and run by name each time.
    const statements = await prepared();
    const select = statements.filter((s) =>
      s.statement.includes('as select "name" from "departments" where "name" = $1'),
    );
    expect(select.map((s) => s.runs)).toEqual([8 * names.length]);
    const insert = statements.filter((s) => s.statement.includes('as insert into "departments"'));
    expect(insert.map((s) => s.runs)).toEqual([names.length]);
  });

  it('goes on after a failed statement, and after the server forgot what was prepared', async () => {
    const insert = (name: string) =>
      inMunicipality(mid, () =>
        one
          .insertInto('departments')
          .values({ municipality_id: mid, name, position: 0, kind: 'ka', created_at: now() })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
    await insert('一意の課');
    await sql`create unique index "prepared_test_unique" on "departments" ("municipality_id", "name")`.execute(h.db);
    await expect(insert('一意の課')).rejects.toThrow();
    await sql`drop index "prepared_test_unique"`.execute(h.db);
    expect((await insert('一意の課')).id).toBeGreaterThan(0);
    // The session's statements dropped behind the app's back: one statement fails, then it prepares again.
    await one.executeQuery(CompiledQuery.raw('deallocate all'));
    await insert('次の課').catch(() => undefined);
    expect((await insert('その次の課')).id).toBeGreaterThan(0);
  });

  it('keeps working when a migration adds a column to a table its statements read', async () => {
    const read = () =>
      inMunicipality(mid, () =>
        one.selectFrom('departments').select(['id', 'name']).where('name', '=', '準備課').execute(),
      );
    const all = () =>
      inMunicipality(mid, () => one.selectFrom('departments').selectAll().where('name', '=', '準備課').execute());
    for (let i = 0; i < 6; i++) await Promise.all([read(), all()]);
    await sql`alter table "departments" add column "prepared_test" integer`.execute(h.db);
    expect(await read()).toHaveLength(1);
    expect(await all()).toHaveLength(1);
    await sql`alter table "departments" drop column "prepared_test"`.execute(h.db);
  });
});
