import SQLite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, DbOrTx } from './types.js';
import { oneShape, UNUSED } from './shapes.js';
import type { Role } from '../../domain/roles.js';

/**
 * Statements built and compiled once: each run gives the rows the same statement built anew gives, with its own
 * values in their places; a statement whose shape depends on its values is refused, never run with stale ones.
 */
describe.skipIf(process.env.TEST_DB === 'postgres')('statements of one shape', () => {
  let raw: SQLite.Database;
  let db: Kysely<Database>;
  const open = () => {
    const r = new SQLite(':memory:');
    r.exec(
      `create table users (id integer primary key, login_name text, display_name text, role text, active integer)`,
    );
    r.exec(`insert into users (login_name, display_name, role, active) values
      ('a', '青木', 'coordinator', 1), ('b', '馬場', 'department_editor', 1), ('c', '千葉', 'department_editor', 0)`);
    return { r, k: new Kysely<Database>({ dialect: new SqliteDialect({ database: r }) }) };
  };
  beforeEach(() => {
    ({ r: raw, k: db } = open());
  });
  afterEach(() => db.destroy());

  let builds = 0;
  const byRole = oneShape(['role', 'active'], (d: DbOrTx, v: { role: Role; active: number }) => {
    builds++;
    return d
      .selectFrom('users')
      .select(['login_name', 'display_name'])
      .where('role', '=', v.role)
      .where('active', '=', v.active)
      .where('login_name', '<>', 'zz')
      .orderBy('id');
  });

  it('runs with each call’s values, in their places, and builds only to learn the shape', async () => {
    builds = 0;
    const run = async (role: Role, active: number) =>
      (await db.executeQuery(byRole(db, { role, active }).compile())).rows;
    expect(await run('department_editor', 1)).toEqual([{ login_name: 'b', display_name: '馬場' }]);
    expect(await run('department_editor', 0)).toEqual([{ login_name: 'c', display_name: '千葉' }]);
    expect(await run('coordinator', 1)).toEqual([{ login_name: 'a', display_name: '青木' }]);
    expect(await run('coordinator', 0)).toEqual([]);
    // twice the first time (the two texts compared), never again on this handle
    expect(builds).toBe(2);
    // the same rows as the statement built anew, with the constant kept
    const anew = db
      .selectFrom('users')
      .select(['login_name', 'display_name'])
      .where('role', '=', 'department_editor')
      .where('active', '=', 1)
      .where('login_name', '<>', 'zz')
      .orderBy('id')
      .compile();
    const once = byRole(db, { role: 'department_editor', active: 1 }).compile();
    expect(once.sql).toBe(anew.sql);
    expect(once.parameters).toEqual(anew.parameters);
    expect(once.queryId).not.toBe(byRole(db, { role: 'department_editor', active: 1 }).compile().queryId);
  });

  it('learns the shape again for another database handle', async () => {
    builds = 0;
    const other = open();
    try {
      await db.executeQuery(byRole(db, { role: 'coordinator', active: 1 }).compile());
      const rows = (await other.k.executeQuery(byRole(other.k, { role: 'coordinator', active: 1 }).compile())).rows;
      expect(rows).toEqual([{ login_name: 'a', display_name: '青木' }]);
      expect(builds).toBe(4);
    } finally {
      await other.k.destroy();
    }
  });

  it('refuses a statement whose text changes with its values', () => {
    const inText = oneShape(['name'], (d: DbOrTx, v: { name: string }) =>
      d.selectFrom('users').select('id').where('login_name', '=', sql.lit(v.name)),
    );
    expect(() => inText(db, { name: 'a' }).compile()).toThrow(/changes with its values/);
  });

  it('refuses a value changed on its way into the statement', () => {
    const changed = oneShape(['active'], (d: DbOrTx, v: { active: boolean }) =>
      d
        .selectFrom('users')
        .select('id')
        .where('active', '=', v.active ? 1 : 0),
    );
    expect(() => changed(db, { active: true }).compile()).toThrow(/active does not reach the statement/);
  });

  it('refuses a value given as unused that the statement does use', () => {
    const uses = oneShape(['role'], (d: DbOrTx, v: { role: Role }) =>
      d.selectFrom('users').select('id').where('role', '=', v.role).where('active', '=', UNUSED),
    );
    expect(() => uses(db, { role: 'coordinator' }).compile()).toThrow(/given as unused is parameter 2/);
  });

  it('refuses a missing value and a value it does not know, rather than run without them', () => {
    // a caller typed loosely (a value read from JSON) may still pass undefined
    expect(() => byRole(db, { role: 'coordinator', active: undefined as unknown as number }).compile()).toThrow(
      /no value for active/,
    );
    const extra = { role: 'coordinator' as const, active: 1, id: 3 };
    expect(() => byRole(db, extra).compile()).toThrow(/id is not one of the statement's values/);
    expect(raw.open).toBe(true);
  });
});
