import type pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Client, type Harness } from '../testing/harness.js';
import { createPlan } from '../testing/plan-fixtures.js';

/**
 * Connections on a shared PostgreSQL: a statement past the per-request limit is cancelled and the
 * request answers in Japanese instead of hanging; the pool outlives its connections being
 * terminated by the server in the middle of requests.
 */

const onPostgres = process.env.TEST_DB === 'postgres';

/**
 * A second connection to the app's database, outside its pool, holding an exclusive lock on
 * `plans` while `during` runs: every request that reads plans waits inside the database.
 */
async function withPlansLocked<T>(h: Harness, during: (other: pg.Client) => Promise<T>): Promise<T> {
  const { default: pgModule } = await import('pg');
  const name = await sql<{ name: string }>`SELECT current_database() AS name`.execute(h.db);
  const url = new URL(process.env.TEST_DATABASE_URL ?? '');
  url.pathname = `/${name.rows[0]!.name}`;
  const other = new pgModule.Client({ connectionString: url.toString() });
  await other.connect();
  try {
    await other.query('BEGIN');
    await other.query('LOCK TABLE plans IN ACCESS EXCLUSIVE MODE');
    try {
      return await during(other);
    } finally {
      await other.query('ROLLBACK');
    }
  } finally {
    await other.end();
  }
}

/** Resolves once `n` statements of other connections wait for a lock. */
async function lockWaiters(other: pg.Client, n: number): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    // The locking connection is inside its transaction, where the activity view is a snapshot: take a new one.
    await other.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await other.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
    );
    if (rows[0]!.n >= n) return;
    if (Date.now() > until) throw new Error(`only ${rows[0]!.n} of ${n} requests reached the lock`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(!onPostgres)('a statement over the per-request limit', () => {
  let h: Harness;
  let mid: number;
  let coordinator: Client;
  beforeAll(async () => {
    h = await createHarness({ DATABASE_STATEMENT_TIMEOUT_SECONDS: '0.5' });
    mid = (await h.municipality()).id;
    coordinator = await h.as('coordinator', { municipalityId: mid });
    await createPlan(coordinator, mid);
  });
  afterAll(() => h?.close());

  it('is cancelled: the request answers 503 in Japanese instead of hanging, and the next one is served', async () => {
    const started = Date.now();
    const res = await withPlansLocked(h, () => coordinator.get(`/api/m/${mid}/plans`));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(500);
    expect(elapsed).toBeLessThan(5_000);
    expect(res.statusCode).toBe(503);
    expect(res.json<{ code: string; message: string }>()).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/^データベースの処理に時間がかかりすぎたため中断しました。/),
    });
    expect((await coordinator.get(`/api/m/${mid}/plans`)).statusCode).toBe(200);
  });
});

describe.skipIf(!onPostgres)("the server terminating the app's connections during requests", () => {
  let h: Harness;
  let mid: number;
  let coordinator: Client;
  beforeAll(async () => {
    h = await createHarness({ DATABASE_POOL_SIZE: '4' });
    mid = (await h.municipality()).id;
    coordinator = await h.as('coordinator', { municipalityId: mid });
    await createPlan(coordinator, mid);
  });
  afterAll(() => h?.close());

  it('costs the requests in flight a 503 at most; the pool opens new connections and later requests succeed', async () => {
    const { inFlight, terminated } = await withPlansLocked(h, async (other) => {
      // Four requests inside the database (the whole pool), four more queued for a connection.
      const requests = Array.from({ length: 8 }, () => coordinator.get(`/api/m/${mid}/plans`));
      await lockWaiters(other, 4);
      const killed = await other.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend') t`,
      );
      await other.query('ROLLBACK');
      await other.query('BEGIN');
      return { inFlight: await Promise.all(requests), terminated: killed.rows[0]!.n };
    });
    expect(terminated).toBeGreaterThanOrEqual(4);
    const statuses = inFlight.map((r) => r.statusCode);
    // Those whose connection was cut answer 503 (retry later); none hangs, none is a 500.
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(4);
    for (const r of inFlight.filter((x) => x.statusCode === 503))
      expect(r.json<{ message: string }>().message).toMatch(/データベースに接続できないため/);
    const later = await Promise.all(Array.from({ length: 12 }, () => coordinator.get(`/api/m/${mid}/plans`)));
    expect(later.map((r) => r.statusCode)).toEqual(Array(12).fill(200));
  });
});
