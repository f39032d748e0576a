import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../app.js';
import { Client, createHarness, PASSWORD, type Harness } from '../testing/harness.js';
import { createPlan } from '../testing/plan-fixtures.js';
import { now } from './util.js';
import { acrossMunicipalities, APP_ROLE, inMunicipality } from './tenant.js';
import { TENANT_TABLES } from './migrations/012-tenant-isolation.js';
import { SHEET_PROJECT_TABLES } from './migrations/016-sheet-project-revisions.js';
import { IMPORT_BATCH_TABLES } from './migrations/014-import-batches.js';

/**
 * The second wall: on PostgreSQL a query that forgets its `WHERE municipality_id` still sees one
 * municipality only, and a row written with another municipality's id is refused — by the
 * database, through the same handle and scopes the app uses. SQLite keeps the application's checks.
 */

const onPostgres = process.env.TEST_DB === 'postgres';

/** The SQLSTATE a database error carries, read as it is checked. */
function sqlState(e: unknown): unknown {
  return typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
}

async function refusal(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return sqlState(e);
  }
  return 'accepted';
}

const planRows = z.array(z.object({ id: z.number(), municipality_id: z.number() }));

describe.skipIf(!onPostgres)('PostgreSQL row-level security between municipalities', () => {
  let h: Harness;
  let a: number;
  let b: number;
  let planA: number;
  let planB: number;
  /** an app with a route that forgets both its policy check and its municipality filter, on purpose */
  let careless: FastifyInstance;

  beforeAll(async () => {
    h = await createHarness();
    a = (await h.municipality('A市')).id;
    b = (await h.municipality('B町')).id;
    planA = await createPlan(await h.as('coordinator', { municipalityId: a, loginName: 'coord-a' }), a);
    planB = await createPlan(await h.as('coordinator', { municipalityId: b, loginName: 'coord-b' }), b);
    await h.as('system_admin', { loginName: 'root' });
    careless = await buildApp({ ...h.ctx, sessionSecret: crypto.randomBytes(32).toString('hex'), logger: false });
    careless.get('/api/m/:mid/every-plan', async () => ({
      plans: await h.ctx.db.selectFrom('plans').select(['id', 'municipality_id']).execute(),
    }));
  });
  afterAll(async () => {
    await careless?.close();
    await h?.close();
  });

  it('puts every table with a municipality_id behind a policy for a role that cannot bypass it', async () => {
    const withColumn = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'municipality_id' ORDER BY table_name`.execute(h.db);
    const tables = withColumn.rows.map((r) => r.table_name);
    expect([...tables].sort()).toEqual([...TENANT_TABLES, ...IMPORT_BATCH_TABLES, ...SHEET_PROJECT_TABLES].sort());
    const guarded = await sql<{ relname: string; policies: string }>`
      SELECT c.relname, count(p.polname) AS policies FROM pg_class c
      LEFT JOIN pg_policy p ON p.polrelid = c.oid
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
      GROUP BY c.relname`.execute(h.db);
    const byName = new Map(guarded.rows.map((r) => [r.relname, Number(r.policies)]));
    for (const t of [...tables, 'municipalities']) expect(byName.get(t), t).toBe(1);
    const role = await sql<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>`
      SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = ${APP_ROLE}`.execute(h.db);
    expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcanlogin: false }]);
    const owners = await sql<{ tableowner: string }>`
      SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`.execute(h.db);
    expect(owners.rows.map((r) => r.tableowner)).not.toContain(APP_ROLE);
  });

  it('shows a query without WHERE municipality_id one municipality only', async () => {
    const everything = await h.db.selectFrom('plans').select(['id', 'municipality_id']).execute();
    expect(new Set(everything.map((p) => p.municipality_id))).toEqual(new Set([a, b]));

    const forgetful = () => h.ctx.db.selectFrom('plans').select(['id', 'municipality_id']).execute();
    expect(await inMunicipality(a, forgetful)).toEqual([{ id: planA, municipality_id: a }]);
    expect(await inMunicipality(b, forgetful)).toEqual([{ id: planB, municipality_id: b }]);
    // In a transaction, as services run, and in plain SQL.
    expect(
      await inMunicipality(a, () =>
        h.ctx.db.transaction().execute(async (tx) => {
          const users = await tx.selectFrom('users').select('municipality_id').execute();
          const raw = await sql<{ n: string }>`SELECT count(*) AS n FROM plans`.execute(tx);
          return { users: new Set(users.map((u) => u.municipality_id)), plans: raw.rows[0]!.n };
        }),
      ),
    ).toEqual({ users: new Set([a]), plans: '1' });
    // A municipality sees only itself in the list of municipalities, too.
    expect(await inMunicipality(a, () => h.ctx.db.selectFrom('municipalities').select('id').execute())).toEqual([
      { id: a },
    ]);
  });

  it('shows nothing where no municipality is set, and everything only where a path says it crosses', async () => {
    expect(await h.ctx.db.selectFrom('plans').select('id').execute()).toEqual([]);
    expect(await h.ctx.db.selectFrom('users').select('id').execute()).toEqual([]);
    const across = await acrossMunicipalities('command-line', () =>
      h.ctx.db.selectFrom('plans').select('municipality_id').execute(),
    );
    expect(new Set(across.map((p) => p.municipality_id))).toEqual(new Set([a, b]));
  });

  it("refuses to insert or move a row into another municipality, and cannot touch the other's rows", async () => {
    const t = now();
    const intruder = {
      municipality_id: b,
      title: '侵入',
      slogan: '',
      first_year: 2025,
      last_year: 2029,
      created_at: t,
      updated_at: t,
    };
    // 42501: new row violates row-level security policy.
    expect(await refusal(inMunicipality(a, () => h.ctx.db.insertInto('plans').values(intruder).execute()))).toBe(
      '42501',
    );
    expect(
      await refusal(
        inMunicipality(a, () =>
          h.ctx.db.updateTable('plans').set({ municipality_id: b }).where('id', '=', planA).execute(),
        ),
      ),
    ).toBe('42501');
    expect(await refusal(h.ctx.db.insertInto('plans').values(intruder).execute())).toBe('42501');
    const touched = await inMunicipality(a, () =>
      h.ctx.db.updateTable('plans').set({ title: '乗っ取り' }).where('id', '=', planB).executeTakeFirst(),
    );
    expect(touched.numUpdatedRows).toBe(0n);
    const removed = await inMunicipality(a, () =>
      h.ctx.db.deleteFrom('plan_levels').where('plan_id', '=', planB).executeTakeFirst(),
    );
    expect(removed.numDeletedRows).toBe(0n);
    const b2 = await h.db.selectFrom('plans').select('title').where('id', '=', planB).executeTakeFirstOrThrow();
    expect(b2.title).not.toBe('乗っ取り');
    expect(await h.db.selectFrom('plan_levels').select('id').where('plan_id', '=', planB).execute()).toHaveLength(3);
  });

  it('keeps sessions, failed logins and the cookie secret out of reach of every request', async () => {
    for (const table of ['sessions', 'login_failures', 'settings'] as const)
      expect(
        await refusal(inMunicipality(a, () => sql`SELECT * FROM ${sql.table(table)}`.execute(h.ctx.db))),
        table,
      ).toBe('42501');
  });

  it("confines a request to its path's municipality when the actor may read it, to none when not", async () => {
    const read = async (loginName: string, mid: number) => {
      const c = new Client(careless);
      expect((await c.login(loginName, PASSWORD)).statusCode).toBe(200);
      const res = await c.get(`/api/m/${mid}/every-plan`);
      expect(res.statusCode).toBe(200);
      return planRows.parse(res.json<{ plans: unknown }>().plans);
    };
    expect(await read('coord-a', a)).toEqual([{ id: planA, municipality_id: a }]);
    // The route forgot to ask the policy: the database still shows A's coordinator nothing of B.
    expect(await read('coord-a', b)).toEqual([]);
    // An administrator acting in a municipality sees that municipality only.
    expect(await read('root', b)).toEqual([{ id: planB, municipality_id: b }]);
  });
});
