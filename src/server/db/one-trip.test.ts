import {
  CompiledQuery,
  Kysely,
  sql,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/harness.js';
import { inlineStatement, quoteLiteral } from './one-trip.js';
import { inMunicipality, scopedDialect, sentWithNext, together } from './tenant.js';
import { inSteps, known, read, readAll } from './reads.js';
import type { Database } from './types.js';
import { now } from './util.js';

const onPostgres = process.env.TEST_DB === 'postgres';

const department = (municipalityId: number, name: string) => ({
  municipality_id: municipalityId,
  name,
  position: 0,
  kind: 'ka' as const,
  created_at: now(),
});

describe('a statement written with its parameters for one round trip', () => {
  const q = (sql: string, parameters: unknown[]) => CompiledQuery.raw(sql, parameters);

  it('writes each parameter as a quoted literal, as the driver sends it: text of no stated type', () => {
    expect(inlineStatement(q('select "id" from "plans" where "id" = $1 and "title" = $2', [5, '計画']))).toBe(
      `select "id" from "plans" where "id" = '5' and "title" = '計画'`,
    );
    expect(inlineStatement(q('select $1, $2, $3, $10', [true, null, 12n, 1, 2, 3, 4, 5, 6, -0.5]))).toBe(
      `select 'true', NULL, '12', '-0.5'`,
    );
  });

  it('quotes quotes and backslashes as the driver does', () => {
    expect(quoteLiteral("O'Reilly")).toBe("'O''Reilly'");
    expect(quoteLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(inlineStatement(q('select $1', ["'; drop table plans; --"]))).toBe(`select '''; drop table plans; --'`);
  });

  it('leaves placeholders in quoted names alone', () => {
    expect(inlineStatement(q('select "$1" from "t" where "a" = $1', [7]))).toBe(`select "$1" from "t" where "a" = '7'`);
  });

  it('writes each call of a text with its own values, a placeholder used twice with its value each time', () => {
    const text = 'select "x$2" from "t" where "a" = $1 and "b" in ($2, $1) and "c" = $12';
    const values = (n: number) => Array.from({ length: 12 }, (_, i) => n * 100 + i + 1);
    expect(inlineStatement(q(text, values(1)))).toBe(
      `select "x$2" from "t" where "a" = '101' and "b" in ('102', '101') and "c" = '112'`,
    );
    expect(inlineStatement(q(text, values(2)))).toBe(
      `select "x$2" from "t" where "a" = '201' and "b" in ('202', '201') and "c" = '212'`,
    );
    expect(inlineStatement(q(text, values(3).slice(0, 11)))).toBeUndefined();
  });

  it('sends with its parameters a statement it cannot write safely', () => {
    // Values the driver converts itself (dates, arrays, objects, bytes), a NUL that would end the text,
    // a number with no literal, a statement with quotes, comments or several statements of its own.
    for (const value of [new Date(), [1, 2], { a: 1 }, Buffer.from('x'), 'a\0b', Number.NaN, Infinity])
      expect(inlineStatement(q('select $1', [value]))).toBeUndefined();
    for (const sql of ["select 'x', $1", 'select $1 -- c', 'select /* c */ $1', 'select $1; select 2', 'select $$x$$'])
      expect(inlineStatement(q(sql, [1]))).toBeUndefined();
    expect(inlineStatement(q('select $2', [1]))).toBeUndefined();
  });
});

/** A driver that records what it is sent and answers nothing. */
function recording() {
  const sent: string[] = [];
  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
      sent.push(query.sql);
      return Promise.resolve({ rows: [] });
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    init: () => Promise.resolve(),
    acquireConnection: () => Promise.resolve(connection),
    beginTransaction: async (c) => void (await c.executeQuery(CompiledQuery.raw('begin'))),
    commitTransaction: async (c) => void (await c.executeQuery(CompiledQuery.raw('commit'))),
    rollbackTransaction: async (c) => void (await c.executeQuery(CompiledQuery.raw('rollback'))),
    releaseConnection: () => Promise.resolve(),
    destroy: () => Promise.resolve(),
  };
  const base: Dialect = {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
  return { sent, base, db: new Kysely<Database>({ dialect: scopedDialect(base, { statementTimeoutMs: 1000 }) }) };
}

describe('the scoped driver’s round trips', () => {
  it('sends a statement on its own with its BEGIN and COMMIT at once', async () => {
    const { sent, db } = recording();
    await inMunicipality(3, () => db.selectFrom('plans').select('id').where('id', '=', 5).execute());
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^\/\*one-trip:2\*\/begin; select set_config\('statement_timeout', '1000', true\), /);
    expect(sent[0]).toContain(`set_config('app.municipality_id', '3', true)`);
    expect(sent[0]).toMatch(/; select "id" from "plans" where "id" = '5'; commit$/);
  });

  it('sends a transaction’s BEGIN with its first statement, and nothing for a transaction with none', async () => {
    const { sent, db } = recording();
    await inMunicipality(3, () =>
      db.transaction().execute(async (tx) => {
        await tx.selectFrom('plans').select('id').where('id', '=', 1).execute();
        await tx.updateTable('plans').set({ title: '第2次' }).where('id', '=', 1).execute();
      }),
    );
    expect(sent).toEqual([
      expect.stringMatching(
        /^\/\*one-trip:2\*\/begin; select set_config.*; select "id" from "plans" where "id" = '1'$/,
      ),
      'update "plans" set "title" = $1 where "id" = $2',
      'commit',
    ]);
    sent.length = 0;
    await db.transaction().execute(async () => undefined);
    expect(sent).toEqual([]);
  });

  it('sends BEGIN by itself before a statement it cannot write with its parameters', async () => {
    const { sent, db } = recording();
    await db.transaction().execute(async (tx) => {
      await tx.selectFrom('plans').select('id').where('created_at', '<', new Date(0).toISOString()).execute();
      await tx.selectFrom('plans').select('id').where('id', 'in', [1, 2]).execute();
    });
    expect(sent[0]).toMatch(/^\/\*one-trip:2\*\/begin; /);
    const { sent: other, db: db2 } = recording();
    await db2.transaction().execute(async (tx) => {
      await tx.executeQuery(CompiledQuery.raw('select $1::date', [new Date(0)]));
    });
    expect(other).toEqual([
      expect.stringMatching(/^\/\*one-trip:1\*\/begin; select set_config/),
      'select $1::date',
      'commit',
    ]);
  });
});

describe('writes put off to the next statement or the COMMIT', () => {
  it('sends them, in order, with the transaction’s next statement, and the rest with the COMMIT', async () => {
    const { sent, db } = recording();
    await db.transaction().execute(async (tx) => {
      await tx.selectFrom('plans').select('id').where('id', '=', 1).execute();
      await sentWithNext(async () => {
        await tx.updateTable('plans').set({ revision: 2 }).where('id', '=', 1).execute();
        await tx.insertInto('departments').values(department(1, '課')).execute();
      });
      await tx.selectFrom('plans').select('id').where('id', '=', 2).execute();
      await sentWithNext(() => tx.deleteFrom('departments').where('id', '=', 9).execute());
    });
    expect(sent).toHaveLength(3);
    expect(sent[1]).toMatch(
      /^\/\*one-trip:2\*\/update "plans" set "revision" = '2' where "id" = '1'; insert into "departments" .*; select "id" from "plans" where "id" = '2'$/,
    );
    expect(sent[2]).toBe(`/*one-trip:1*/delete from "departments" where "id" = '9'; commit`);
  });

  it('sends at once a write whose answer is read, and drops the writes of a transaction rolled back', async () => {
    const { sent, db } = recording();
    await db.transaction().execute(async (tx) => {
      await sentWithNext(() => tx.insertInto('departments').values(department(1, '課')).returning('id').execute());
    });
    expect(sent).toEqual([expect.stringMatching(/^\/\*one-trip:2\*\/begin; .* returning "id"$/), 'commit']);
    sent.length = 0;
    await expect(
      db.transaction().execute(async (tx) => {
        await sentWithNext(() => tx.insertInto('departments').values(department(1, '課')).execute());
        throw new Error('取りやめ');
      }),
    ).rejects.toThrow('取りやめ');
    expect(sent).toEqual([]);
  });
});

describe('statements that do not depend on each other, together', () => {
  it('sends them in one trip with the transaction’s BEGIN, or with BEGIN and COMMIT on their own', async () => {
    const { sent, db } = recording();
    await inMunicipality(3, () =>
      db
        .transaction()
        .execute((tx) =>
          together(tx, [
            tx.selectFrom('plans').select('id').where('id', '=', 1),
            tx.selectFrom('departments').select('name').where('id', '=', 2),
          ]),
        ),
    );
    expect(sent).toEqual([
      expect.stringMatching(
        /^\/\*one-trip:2,3\*\/begin; select set_config.*; select "id" from "plans" where "id" = '1'; select "name" from "departments" where "id" = '2'$/,
      ),
      'commit',
    ]);
    sent.length = 0;
    await inMunicipality(3, () =>
      together(db, [db.selectFrom('plans').select('id'), db.selectFrom('departments').select('id')]),
    );
    expect(sent).toEqual([
      expect.stringMatching(
        /^\/\*one-trip:2,3\*\/begin; .*; select "id" from "plans"; select "id" from "departments"; commit$/,
      ),
    ]);
  });

  it('sends them one after another where one cannot be written with its parameters', async () => {
    const { sent, db } = recording();
    await db.transaction().execute((tx) =>
      together(tx, [
        tx.selectFrom('plans').select('id').where('id', '=', 1),
        tx
          .selectFrom('plans')
          .select('id')
          .where(sql<boolean>`${new Date(0)} < now()`),
        tx.selectFrom('plans').select('id').where('id', 'in', [1, 2]),
      ]),
    );
    // BEGIN with the first, the date with its parameters by itself, the third, COMMIT.
    expect(sent).toHaveLength(4);
    expect(sent[1]).toBe('select "id" from "plans" where $1 < now()');
    expect(sent[0]).toMatch(/^\/\*one-trip:2\*\/begin; .*where "id" = '1'$/);
  });
});

describe('reads that share a round trip', () => {
  it('sends every statement of every read in one trip, in order, and makes each read’s value', async () => {
    const { sent, db } = recording();
    const [a, b, c, d] = await db
      .transaction()
      .execute((tx) =>
        readAll(tx, [
          read([tx.selectFrom('plans').select('id').where('id', '=', 1)], () => 'a'),
          known('b'),
          read(
            [
              tx.selectFrom('departments').select('name').where('id', '=', 2),
              tx.selectFrom('projects').select('id').where('id', '=', 3),
            ],
            () => 'c',
          ),
          inSteps(async (one) => (await one.selectFrom('records').select('id').where('id', '=', 4).execute(), 'd')),
        ]),
      );
    expect([a, b, c, d]).toEqual(['a', 'b', 'c', 'd']);
    // the three statements with BEGIN, the read in steps after them, COMMIT
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatch(
      /^\/\*one-trip:2,3,4\*\/begin; .*"plans" where "id" = '1'; select "name" from "departments" where "id" = '2'; select "id" from "projects" where "id" = '3'$/,
    );
    expect(sent[1]).toBe('select "id" from "records" where "id" = $1');
  });

  it('runs each read on its own where statements go one by one, a read in steps by its steps', async () => {
    const { sent, base } = recording();
    const plain = new Kysely<Database>({ dialect: base });
    const values = await readAll(plain, [
      read([plain.selectFrom('plans').select('id'), plain.selectFrom('departments').select('id')], () => 'made'),
      inSteps(() => Promise.resolve('steps')),
    ]);
    expect(values).toEqual(['made', 'steps']);
    expect(sent).toEqual(['select "id" from "plans"', 'select "id" from "departments"']);
  });
});

describe.skipIf(!onPostgres)('statements in one round trip on PostgreSQL', () => {
  let h: Harness;
  let mid: number;
  /** the app's handle: every statement in a scoped transaction (the harness's `db` is the owner's) */
  let app: Harness['ctx']['db'];
  beforeAll(async () => {
    h = await createHarness();
    app = h.ctx.db;
    mid = (await h.municipality('往復市')).id;
  });
  afterAll(() => h.close());

  it('stores and reads back text exactly, on its own and in a transaction', async () => {
    const texts = [
      "O'Reilly の課",
      'バックスラッシュ \\ と \\\\ と \\n',
      '改行\nタブ\t全角　スペース',
      '絵文字😀と𠮷',
      '$1 と -- と /* */ と ; と $$',
      "'); delete from departments; --",
    ];
    for (const [i, name] of texts.entries()) {
      const row = await inMunicipality(mid, () =>
        app
          .insertInto('departments')
          .values({ municipality_id: mid, name, position: i, kind: 'ka', created_at: now() })
          .returning(['id', 'name'])
          .executeTakeFirstOrThrow(),
      );
      expect(row.name).toBe(name);
      const back = await inMunicipality(mid, () =>
        app.selectFrom('departments').select('name').where('name', '=', name).execute(),
      );
      expect(back).toEqual([{ name }]);
      const inTx = await inMunicipality(mid, () =>
        app.transaction().execute((tx) => tx.selectFrom('departments').select('id').where('name', '=', name).execute()),
      );
      expect(inTx).toEqual([{ id: row.id }]);
    }
    expect(
      await h.db.selectFrom('departments').select('name').where('municipality_id', '=', mid).execute(),
    ).toHaveLength(texts.length);
  });

  it('runs the writes put off before what comes next, and fails the whole transaction where one fails', async () => {
    const names = async () =>
      (await h.db.selectFrom('departments').select('name').where('municipality_id', '=', mid).execute()).map(
        (r) => r.name,
      );
    const before = await names();
    const seen = await inMunicipality(mid, () =>
      app.transaction().execute(async (tx) => {
        await sentWithNext(() => tx.insertInto('departments').values(department(mid, '後で送る課')).execute());
        // The answer is the select's, and it sees the row written before it.
        return tx.selectFrom('departments').select('name').where('name', '=', '後で送る課').execute();
      }),
    );
    expect(seen).toEqual([{ name: '後で送る課' }]);
    await expect(
      inMunicipality(mid, () =>
        app.transaction().execute(async (tx) => {
          await tx.insertInto('departments').values(department(mid, '取り消される課')).execute();
          // Another municipality's row, refused by the policy when the COMMIT carries it.
          await sentWithNext(() =>
            tx
              .insertInto('departments')
              .values(department(mid + 1, '他市の課'))
              .execute(),
          );
        }),
      ),
    ).rejects.toThrow();
    expect(await names()).toEqual([...before, '後で送る課']);
  });

  it('leaves the connection usable after a statement on its own fails', async () => {
    // More failures than the pool has connections: each must have ended its transaction.
    for (let i = 0; i < 25; i++) {
      await expect(
        inMunicipality(mid, () =>
          // Another municipality's row: refused by the database's policy, inside the statement.
          app
            .insertInto('departments')
            .values({ municipality_id: mid + 1, name: '他市の課', position: 0, kind: 'ka', created_at: now() })
            .execute(),
        ),
      ).rejects.toThrow();
      const n = await inMunicipality(mid, () =>
        app.selectFrom('departments').select('id').where('municipality_id', '=', mid).execute(),
      );
      expect(n.length).toBeGreaterThan(0);
    }
  });
  it('answers statements sent together with each one’s rows, in order, and fails them together', async () => {
    const [named, departments, none] = await inMunicipality(mid, () =>
      together(app, [
        app.selectFrom('departments').select('name').where('name', '=', '後で送る課'),
        app.selectFrom('departments').select(['id', 'name']).where('municipality_id', '=', mid).orderBy('id'),
        app.selectFrom('departments').select('id').where('name', '=', 'どこにもない課'),
      ]),
    );
    expect(named).toEqual([{ name: '後で送る課' }]);
    expect(departments.map((d) => d.name)).toContain("O'Reilly の課");
    expect(none).toEqual([]);
    const inTx = await inMunicipality(mid, () =>
      app.transaction().execute(async (tx) => {
        await sentWithNext(() => tx.insertInto('departments').values(department(mid, '一緒に読む課')).execute());
        return together(tx, [
          tx.selectFrom('departments').select('name').where('name', '=', '一緒に読む課'),
          tx.selectFrom('departments').select('name').where('name', '=', '後で送る課'),
        ]);
      }),
    );
    expect(inTx).toEqual([[{ name: '一緒に読む課' }], [{ name: '後で送る課' }]]);
    await expect(
      inMunicipality(mid, () =>
        together(app, [
          app.selectFrom('departments').select('id'),
          app
            .selectFrom('departments')
            .select('id')
            .where(sql<boolean>`1 / 0 = 1`),
        ]),
      ),
    ).rejects.toThrow();
  });
});
