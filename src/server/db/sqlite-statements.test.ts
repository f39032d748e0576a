import SQLite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedStatements } from './sqlite-statements.js';

/**
 * The embedded database's statements, kept and read as arrays: every row is the object better-sqlite3
 * itself would give, whatever the query, schema change or nesting.
 */
describe.skipIf(process.env.TEST_DB === 'postgres')('SQLite statements kept and read as arrays', () => {
  let raw: SQLite.Database;
  let db: Kysely<any>;
  beforeEach(() => {
    raw = new SQLite(':memory:');
    db = new Kysely<any>({ dialect: new SqliteDialect({ database: cachedStatements(raw, 3) }) });
    raw.exec(`create table t (id integer primary key, name text, amount real, note text)`);
    raw.exec(`insert into t (name, amount, note) values ('講座', 1.5, null), ('相談', 2, '再掲'), ('研修', null, '')`);
  });
  afterEach(() => db.destroy());

  const same = async (query: string) => {
    const own = raw.prepare(query).all();
    const kept = (await sql.raw(query).execute(db)).rows;
    expect(kept).toEqual(own);
    // Same keys in the same order, so that spreading and JSON give the same result.
    expect(kept.map((r) => Object.keys(r as object))).toEqual(own.map((r) => Object.keys(r as object)));
    return kept;
  };

  it('gives the rows better-sqlite3 gives: names, values, nulls, numbers, repeated and odd names', async () => {
    expect(await same('select * from t order by id')).toHaveLength(3);
    await same(`select a.id, b.id, a.name as "名前", 'x"y' as "q""uote", 1 as "a.b" from t a join t b on b.id = a.id`);
    await same('select count(*) from t');
    await same('select * from t where 0');
  });

  it('keeps a column named __proto__ as a value, never as the prototype', async () => {
    const rows = (await sql.raw(`select '汚染' as "__proto__", 1 as ok`).execute(db)).rows as Record<string, unknown>[];
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(rows[0], '__proto__')?.value).toBe('汚染');
    expect(rows[0]!.ok).toBe(1);
  });

  it('reads the new columns of SELECT * after a schema change, and writes report their changes', async () => {
    const query = 'select * from t where id = 1';
    expect(Object.keys((await sql.raw(query).execute(db)).rows[0] as object)).toEqual(['id', 'name', 'amount', 'note']);
    await sql.raw(`alter table t add column extra text not null default '追加'`).execute(db);
    expect((await sql.raw(query).execute(db)).rows[0]).toEqual({
      id: 1,
      name: '講座',
      amount: 1.5,
      note: null,
      extra: '追加',
    });
    const written = await db.updateTable('t').set({ note: '更新' }).where('id', '>', 1).executeTakeFirst();
    expect(written.numUpdatedRows).toBe(2n);
    const added = await db.insertInto('t').values({ name: '追加の事業' }).executeTakeFirst();
    expect(added.insertId).toBe(4n);
  });

  it('streams rows as objects, and keeps only the most recent statements', async () => {
    const streamed: unknown[] = [];
    for await (const row of db.selectFrom('t').select(['id', 'name']).orderBy('id').stream()) streamed.push(row);
    expect(streamed).toEqual(raw.prepare('select id, name from t order by id').all());
    // More texts than the cache holds, each run twice: each still runs, each still right.
    for (const round of [1, 2])
      for (let i = 0; i < 10; i++)
        expect(
          (await sql.raw(`select ${i} as n, name from t where id = 1`).execute(db)).rows,
          `round ${round}`,
        ).toEqual([{ n: i, name: '講座' }]);
  });

  it('prepares a text once while it is kept, and again after a schema change', async () => {
    const prepared: string[] = [];
    const original = raw.prepare.bind(raw);
    raw.prepare = (q: string) => {
      prepared.push(q);
      return original(q);
    };
    const query = 'select name from t where id = 2';
    for (let i = 0; i < 3; i++) expect((await sql.raw(query).execute(db)).rows).toEqual([{ name: '相談' }]);
    expect(prepared.filter((q) => q === query)).toHaveLength(1);
    await sql.raw('create index t_name on t (name)').execute(db);
    expect((await sql.raw(query).execute(db)).rows).toEqual([{ name: '相談' }]);
    expect(prepared.filter((q) => q === query)).toHaveLength(2);
  });
});
