import { CompiledQuery, PostgresAdapter, type Insertable, type Selectable } from 'kysely';
import type { Database, DbOrTx } from './types.js';

/**
 * Many rows of one table written in few statements, for imports: the SQL of a chunk is written
 * here once per column list and row count, and the values are passed as they are, as Kysely
 * would pass them. Kysely's own `values()` builds and visits a node per value (most of a
 * 10,000-line import's time outside the database). Rows must name the same columns, none `undefined` (a row missing one would mean the column's default on one database and
 * NULL on the other): rows that do not are a programming error, refused before anything is written.
 */

/** Rows to a statement: within SQLite's 32,766 and PostgreSQL's 65,535 parameters for any table here. */
const ROWS_PER_STATEMENT = 500;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The columns all rows name (in the first row's order); null when the rows differ or leave one undefined. */
function sharedColumns(rows: readonly Record<string, unknown>[]): string[] | null {
  const columns = Object.keys(rows[0]!);
  for (const row of rows) {
    if (Object.keys(row).length !== columns.length) return null;
    for (const c of columns) if (row[c] === undefined) return null;
  }
  return columns;
}

/** `insert into "t" ("a", "b") values (?, ?), (?, ?) …` with the dialect's placeholders. */
function insertSql(pg: boolean, table: string, columns: string[], rows: number, returning: readonly string[]): string {
  let n = 0;
  const placeholder = pg ? () => `$${++n}` : () => '?';
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${columns.map(placeholder).join(', ')})`);
  const tail = returning.length ? ` returning ${returning.map(quote).join(', ')}` : '';
  return `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}${tail}`;
}

const sqlCache = new Map<string, string>();

/** The rows the statement returned, in order, with the columns asked for. */
async function insertChunked(
  db: DbOrTx,
  table: keyof Database & string,
  rows: readonly Record<string, unknown>[],
  returning: readonly string[],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  if (rows.length === 0) return out;
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const columns = sharedColumns(rows);
  if (!columns) throw new Error(`insertMany(${table}): the rows name different columns`);
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    const key = `${pg}|${table}|${columns.join(',')}|${chunk.length}|${returning.join(',')}`;
    let text = sqlCache.get(key);
    if (text === undefined) {
      text = insertSql(pg, table, columns, chunk.length, returning);
      if (sqlCache.size > 200) sqlCache.clear();
      sqlCache.set(key, text);
    }
    const parameters: unknown[] = new Array(chunk.length * columns.length);
    let p = 0;
    for (const row of chunk) for (const c of columns) parameters[p++] = row[c];
    const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, parameters));
    if (returning.length) out.push(...result.rows);
  }
  return out;
}

/** Inserts the rows, 500 to a statement. */
export async function insertMany<T extends keyof Database & string>(
  db: DbOrTx,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  await insertChunked(db, table, rows, []);
}

/** Inserts the rows, 500 to a statement, and returns the columns asked for of each, in insertion order. */
export async function insertManyReturning<
  T extends keyof Database & string,
  C extends keyof Selectable<Database[T]> & string,
>(
  db: DbOrTx,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  returning: readonly C[],
): Promise<Pick<Selectable<Database[T]>, C>[]> {
  // The database returns exactly the columns named in `returning`, typed as the table declares them.
  return (await insertChunked(db, table, rows, returning)) as Pick<Selectable<Database[T]>, C>[];
}
