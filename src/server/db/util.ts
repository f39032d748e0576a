import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { Database, Db, DbOrTx, Dialect } from './types.js';

/** The current time as stored: ISO-8601 text in UTC. */
export function now(): string {
  return new Date().toISOString();
}

/** pg answers counts and bigints as strings; SQLite as numbers. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

export function flag(value: boolean): number {
  return value ? 1 : 0;
}

/**
 * Several reads as one unit of work. On PostgreSQL they run in one transaction: outside one, each
 * statement is a scoped transaction of its own (BEGIN with the scope, the statement, COMMIT: three round
 * trips, see db/tenant.ts), so a page of 30 reads would cost 90. On SQLite they run as they are: a
 * transaction there would hold the one connection against every other request for the whole page.
 */
export function readTogether<T>(ctx: { db: Db; dialect: Dialect }, read: (db: DbOrTx) => Promise<T>): Promise<T> {
  return ctx.dialect === 'postgres' ? ctx.db.transaction().execute(read) : read(ctx.db);
}

/** Whether a statement failed because a row it deleted or changed is still referenced (SQLite and PostgreSQL). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/**
 * The indicators that apply in a fiscal year (first_year and last_year null: the plan's first and last
 * year), as a condition of a query on `indicators`.
 */
export const indicatorInYear = (fiscalYear: number) => (eb: ExpressionBuilder<Database, 'indicators'>) =>
  eb.and([
    eb.or([eb('first_year', 'is', null), eb('first_year', '<=', fiscalYear)]),
    eb.or([eb('last_year', 'is', null), eb('last_year', '>=', fiscalYear)]),
  ]);

/**
 * A column as a condition that no index is looked up by (`+column`: the same value, in SQLite and PostgreSQL).
 * For a statement that also names a more selective key: without statistics SQLite's planner takes the index
 * matching the most equal columns, so `plan_id = ? and fiscal_year = ? and project_id = ?` would walk every
 * answer of the plan's year by `records_plan_year` (a thousand rows) rather than the few of one project by
 * the project's own index. The condition still holds: it is checked on each row found.
 */
export function unindexed(column: string): RawBuilder<number> {
  return sql<number>`+${sql.ref(column)}`;
}
