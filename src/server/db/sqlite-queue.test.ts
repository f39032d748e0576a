import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { QueuedSqliteDialect } from './sqlite-queue.js';
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
});
