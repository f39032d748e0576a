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

/**
 * `insert into "t" ("a", "b") values (?, @s0), (?, @s0) …` (PostgreSQL: `($2, $1), ($3, $1)`): a column whose value
 * is the same in every row of the chunk (the municipality, the plan, a timestamp…) is one parameter named in every
 * row and bound once — on SQLite a named one, given with the others as an object after them (better-sqlite3 takes
 * no numbered `?NNN` from a list) — while the other columns take one parameter per row. An import's rows share
 * about half their columns; 10,000 rows of 22 columns, two thirds shared, went in 15–40% sooner on SQLite.
 */
function insertSql(
  pg: boolean,
  table: string,
  columns: string[],
  shared: boolean[],
  rows: number,
  returning: readonly string[],
): string {
  const sharedCount = shared.filter(Boolean).length;
  const sharedMark: string[] = [];
  let k = 0;
  for (const [i, s] of shared.entries()) if (s) sharedMark[i] = pg ? `$${++k}` : `@s${k++}`;
  let n = sharedCount;
  const own = pg ? () => `$${++n}` : () => '?';
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++)
    tuples.push(`(${columns.map((_, i) => (shared[i] ? sharedMark[i]! : own())).join(', ')})`);
  const tail = returning.length ? ` returning ${returning.map(quote).join(', ')}` : '';
  return `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}${tail}`;
}

const sqlCache = new Map<string, string>();

/** Per column: whether every row of the chunk has the same value in it (a number, text, null…; never an object). */
function sharedValues(chunk: readonly Record<string, unknown>[], columns: string[]): boolean[] {
  return columns.map((c) => {
    const v = chunk[0]![c];
    if (chunk.length < 2 || (typeof v === 'object' && v !== null)) return false;
    for (const row of chunk) if (!Object.is(row[c], v)) return false;
    return true;
  });
}

/** The values of a chunk as `insertSql` names them: the shared ones first (SQLite: as an object after the others). */
function chunkParameters(
  pg: boolean,
  chunk: readonly Record<string, unknown>[],
  columns: string[],
  shared: boolean[],
): unknown[] {
  const own = columns.filter((_, c) => !shared[c]);
  const once = columns.filter((_, c) => shared[c]).map((column) => chunk[0]![column]);
  const values: unknown[] = pg ? once : [];
  for (const row of chunk) for (const column of own) values.push(row[column]);
  if (!pg && once.length) values.push(Object.fromEntries(once.map((v, k) => [`s${k}`, v])));
  return values;
}

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
    const shared = sharedValues(chunk, columns);
    const key = `${pg}|${table}|${columns.join(',')}|${shared.map(Number).join('')}|${chunk.length}|${returning.join(',')}`;
    let text = sqlCache.get(key);
    if (text === undefined) {
      text = insertSql(pg, table, columns, shared, chunk.length, returning);
      if (sqlCache.size > 200) sqlCache.clear();
      sqlCache.set(key, text);
    }
    const parameters = chunkParameters(pg, chunk, columns, shared);
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
