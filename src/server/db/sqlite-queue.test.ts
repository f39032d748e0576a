import SQLite from 'better-sqlite3';
import { Kysely, sql, type DatabaseConnection, type Driver } from 'kysely';
import { describe, expect, it } from 'vitest';
import { QueuedDriver, QueuedSqliteDialect } from './sqlite-queue.js';
import { cachedStatements } from './sqlite-statements.js';

/** The embedded database's one connection goes to queries and transactions in the order they ask for it. */
describe.skipIf(process.env.TEST_DB === 'postgres')('SQLite connection queue', () => {
  it('serves waiting queries first come first served while a transaction holds the connection', async () => {
    const raw = new SQLite(':memory:');
    const db = new Kysely<any>({ dialect: new QueuedSqliteDialect({ database: cachedStatements(raw) }) });
    await sql`create table log (id integer primary key, who text)`.execute(db);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = db.transaction().execute(async (t) => {
      await sql`insert into log (who) values ('tx')`.execute(t);
      await held;
      await sql`insert into log (who) values ('tx-end')`.execute(t);
    });
    // Queued behind the transaction, in this order.
    const waiting = Array.from({ length: 20 }, (_, i) =>
      sql`insert into log (who) values (${`q${i}`})`.execute(db).then(() => order.push(`q${i}`)),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    release();
    await Promise.all([tx, ...waiting]);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => `q${i}`));
    const rows = (await sql<{ who: string }>`select who from log order by id`.execute(db)).rows.map((r) => r.who);
    // The transaction's writes stay together; the queries follow in the order they came.
    expect(rows).toEqual(['tx', 'tx-end', ...order]);
    await db.destroy();
  });

  it('rolls a failed transaction back and goes on serving', async () => {
    const raw = new SQLite(':memory:');
    const db = new Kysely<any>({ dialect: new QueuedSqliteDialect({ database: cachedStatements(raw) }) });
    await sql`create table t (id integer primary key, v text not null)`.execute(db);
    await expect(
      db.transaction().execute(async (t) => {
        await sql`insert into t (v) values ('a')`.execute(t);
        await sql`insert into t (v) values (null)`.execute(t);
      }),
    ).rejects.toThrow();
    expect((await sql`select count(*) as n from t`.execute(db)).rows).toEqual([{ n: 0 }]);
    await db.destroy();
  });

  it('wakes one waiter per hand-over, the one that asked first, and frees the connection when nobody waits', async () => {
    // A stand-in for the SQLite driver that only counts who got the connection.
    const given: number[] = [];
    let next = 0;
    const inner = {
      acquireConnection: () => Promise.resolve({ n: next++ } as unknown as DatabaseConnection),
      releaseConnection: () => Promise.resolve(),
    } as unknown as Driver;
    const driver = new QueuedDriver(inner);
    const first = await driver.acquireConnection();
    const waiters = [1, 2, 3].map((w) => driver.acquireConnection().then((c) => (given.push(w), c)));
    const settle = () => new Promise((r) => setTimeout(r, 5));
    await settle();
    expect(given).toEqual([]);
    await driver.releaseConnection(first);
    await settle();
    // One hand-over, one waiter through; the others still wait.
    expect(given).toEqual([1]);
    await driver.releaseConnection(await waiters[0]!);
    await settle();
    expect(given).toEqual([1, 2]);
    await driver.releaseConnection(await waiters[1]!);
    await driver.releaseConnection(await waiters[2]!);
    expect(given).toEqual([1, 2, 3]);
    // Nobody waiting: the next comes straight in.
    const again = await Promise.race([driver.acquireConnection(), settle().then(() => 'waited')]);
    expect(again).not.toBe('waited');
  });
});
