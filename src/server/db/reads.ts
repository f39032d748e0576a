import type { Compilable, Kysely, Transaction } from 'kysely';
import { sendsTogether, together } from './tenant.js';
import type { Database } from './types.js';

type Handle = Kysely<Database> | Transaction<Database>;

/** Each statement's rows, in the statements' order. */
type RowsOf<Q extends readonly Compilable<unknown>[]> = {
  -readonly [K in keyof Q]: Q[K] extends Compilable<infer O> ? O[] : never;
};

/**
 * A read that several can share a round trip with (`readAll`): statements that do not depend on each other
 * or on the other reads, and what their rows make; or, for a read in steps (`inSteps`), no statements and how it
 * runs on its own.
 */
export interface Read<T> {
  readonly statements: readonly Compilable<unknown>[];
  make(rows: readonly unknown[][]): T;
  readonly alone?: (db: Handle) => Promise<T>;
}

/** A read of these statements, made into a value from their rows. */
export function read<const Q extends readonly Compilable<unknown>[], T>(
  statements: Q,
  make: (rows: RowsOf<Q>) => T,
): Read<T> {
  // `readAll` hands each read the rows of its own statements, in their order: the rows at each place are
  // those of the statement at that place, as `together` answers them.
  return { statements, make: (rows) => make(rows as RowsOf<Q>) };
}

/**
 * A read that runs only on its own, in steps (`alone`): for a handle where statements go one by one anyway, so
 * that the statements written for one trip are not even built.
 */
export function inSteps<T>(run: (db: Handle) => Promise<T>): Read<T> {
  return {
    statements: [],
    make: () => {
      throw new Error('a read in steps runs on its own');
    },
    alone: run,
  };
}

/** A read that needs no statement: the value is known. */
export function known<T>(value: T): Read<T> {
  return { statements: [], make: () => value };
}

/** A read whose value is made into another. */
export function mapRead<T, U>(r: Read<T>, f: (value: T) => U): Read<U> {
  return {
    statements: r.statements,
    make: (rows) => f(r.make(rows)),
    alone: r.alone && (async (db) => f(await r.alone!(db))),
  };
}

/**
 * Runs reads together: on the app's PostgreSQL handle every statement of every read in one round trip (with
 * the transaction's BEGIN where it is not yet sent), in the order given — in a READ COMMITTED transaction each
 * statement sees what was committed when it starts, so a read that must not be newer than another goes after
 * it; a read in steps after the trip. Elsewhere one read after another, a read in steps by its steps.
 */
export async function readAll<const R extends readonly Read<unknown>[]>(
  db: Handle,
  reads: R,
): Promise<{ -readonly [K in keyof R]: R[K] extends Read<infer T> ? T : never }> {
  const values: unknown[] = [];
  if (sendsTogether(db)) {
    const statements = reads.flatMap((r) => r.statements);
    const rows: unknown[][] = statements.length ? await together(db, statements) : [];
    let at = 0;
    for (const r of reads) {
      // a read in steps runs after the trip: what it reads next depends on what it read first
      values.push(
        r.statements.length === 0 && r.alone ? await r.alone(db) : r.make(rows.slice(at, at + r.statements.length)),
      );
      at += r.statements.length;
    }
  } else for (const r of reads) values.push(r.alone ? await r.alone(db) : r.make(await together(db, r.statements)));
  // Each value is made by the read at its place.
  return values as { -readonly [K in keyof R]: R[K] extends Read<infer T> ? T : never };
}

/** Runs one read. */
export async function readOne<T>(db: Handle, r: Read<T>): Promise<T> {
  const [value] = await readAll(db, [r]);
  return value;
}
