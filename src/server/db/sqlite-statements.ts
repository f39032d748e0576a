import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * The embedded database as Kysely's SQLite dialect uses it, with two savings on every query:
 * - statements are prepared once per SQL text and kept (the most recently used, up to `cacheSize`);
 *   a schema statement (CREATE, ALTER, DROP …) empties the cache, so that no statement prepared
 *   against the old schema is kept;
 * - rows are read as arrays and made into objects by a constructor built once per column list, which
 *   is faster than better-sqlite3 naming each value of each row (the objects are the same).
 */
export function cachedStatements(db: BetterSqlite3.Database, cacheSize = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const known = cache.get(sql);
      if (known) {
        // Most recently used last: the first key is the one to drop.
        cache.delete(sql);
        cache.set(sql, known);
        return known;
      }
      const statement = arrayRows(db, sql);
      if (SCHEMA_STATEMENT.test(sql)) {
        cache.clear();
        return statement;
      }
      cache.set(sql, statement);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

const SCHEMA_STATEMENT = /^\s*(create|alter|drop|pragma|vacuum|attach|detach|reindex|analyze)\b/i;

type Row = Record<string, unknown>;
type RowMaker = (values: unknown[]) => Row;

/** One statement: readers return objects built from the value arrays; writers run as they are. */
function arrayRows(db: BetterSqlite3.Database, sql: string): SqliteStatement {
  const statement = db.prepare(sql);
  const reader = statement.reader;
  if (reader) statement.raw(true);
  let maker: { names: string; make: RowMaker } | null = null;
  const makerOf = (s: BetterSqlite3.Statement): RowMaker => {
    // The column list is read on each call: a statement SQLite has prepared again after a schema
    // change (SELECT *) may have other columns.
    const names = s.columns().map((c) => c.name);
    const key = names.join('\u0000');
    if (maker?.names !== key) maker = { names: key, make: rowMaker(names) };
    return maker.make;
  };
  return {
    reader,
    all: (parameters) => {
      if (!reader) return statement.all(...parameters);
      const make = makerOf(statement);
      // raw(true) above: each row is the array of its values
      return (statement.all(...parameters) as unknown[][]).map(make);
    },
    run: (parameters) => statement.run(...parameters),
    *iterate(parameters) {
      if (!reader) return yield* statement.iterate(...parameters);
      const make = makerOf(statement);
      // raw(true) above: each row is the array of its values
      for (const values of statement.iterate(...parameters) as IterableIterator<unknown[]>) yield make(values);
    },
  };
}

/**
 * A function returning `{ name0: values[0], name1: values[1] … }` as one object literal: objects of
 * one shape, made without a lookup per value. A repeated name keeps its last value, as
 * better-sqlite3's own rows do. The names are written as JSON strings, so no name can be code; a
 * column named __proto__ (which a literal would take as the prototype) gets a plain own property.
 */
function rowMaker(names: string[]): RowMaker {
  if (names.includes('__proto__'))
    return (values) => {
      const row: Row = {};
      names.forEach((n, i) => Object.defineProperty(row, n, { value: values[i], enumerable: true, writable: true }));
      return row;
    };
  const body = `return {${names.map((n, i) => `${JSON.stringify(n)}: values[${i}]`).join(', ')}};`;
  // the body returns one object of the named values
  return new Function('values', body) as RowMaker;
}
