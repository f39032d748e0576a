import { createQueryId, type Compilable, type CompiledQuery, type RootOperationNode } from 'kysely';
import type { DbOrTx } from './types.js';

/**
 * Statements of one shape, built and compiled once and run again with new values. Building a statement with
 * Kysely (its tree of nodes, each frozen) and compiling it to SQL costs 30–80 µs, about as much as SQLite takes to
 * run it; the statements every request or every autosave runs (the session, the record to save, the sheet
 * counters) are the same text each time, with other values.
 *
 * `oneShape(names, build)` gives a function taking a handle and the values, answering a `Compilable` as Kysely's
 * builders do (to `execute`, or to send with others by `together`). The first time on a database handle the
 * statement is built twice, each time with every value replaced by a marker of its name, and compiled: the two
 * texts must be the same, each marker must come back as a parameter in the same places in both, and every other
 * parameter must be the same constant in both. Otherwise the statement's shape depends on its values (a list of
 * varying length, a value that decides a clause, a value passed through a function) and `oneShape` refuses it.
 * Then each run takes the compiled text and puts the values in the markers' places.
 *
 * `build` must put each value into the statement as it is: a value changed on its way (`flag(v)`,
 * `JSON.stringify(v)`) does not carry its marker, and is refused as a value that does not reach the statement.
 * A value may not be `undefined` (Kysely would leave its column out, another shape); `null` is a value.
 */
export function oneShape<V extends Record<string, unknown>, O>(
  names: readonly (keyof V & string)[],
  build: (db: DbOrTx, values: V) => Compilable<O>,
): (db: DbOrTx, values: V) => Compilable<O> {
  // By the handle's adapter: each database (and the owner's handle on PostgreSQL) compiles its own text.
  const shapes = new WeakMap<object, Shape>();
  return (db, values) => ({
    compile(): CompiledQuery<O> {
      const adapter = db.getExecutor().adapter;
      let shape = shapes.get(adapter);
      if (!shape) shapes.set(adapter, (shape = learn(db, names, build)));
      for (const k of Object.keys(values))
        if (!names.includes(k)) throw new Error(`oneShape: ${k} is not one of the statement's values`);
      const parameters = shape.slots.map((slot) => {
        if (!('name' in slot)) return slot.value;
        const value = values[slot.name];
        if (value === undefined) throw new Error(`oneShape: no value for ${slot.name}`);
        return value;
      });
      return { query: shape.query, queryId: createQueryId(), sql: shape.sql, parameters };
    },
  });
}

/**
 * In place of a value a statement is known not to use (a field of a shared type its builder needs filled): if it
 * ever reaches the statement, `oneShape` refuses it rather than run with it as a constant.
 */
// a symbol of any type, so that it fills any field; it is never a value of the statement (checked in `learn`)
export const UNUSED = Symbol('oneShape: not used by this statement') as never;

type Slot = { name: string } | { value: unknown };

interface Shape {
  sql: string;
  query: RootOperationNode;
  slots: Slot[];
}

const MARK = '\u0000oneShape:';

/** The values as markers of their names, in place of the values of type V the statement is built from. */
function marks<V>(names: readonly string[], round: string): V {
  // markers stand for the values only while the statement is built and compiled; they are never run
  return Object.fromEntries(names.map((n) => [n, `${MARK}${round}:${n}`])) as V;
}

function markOf(value: unknown, round: string): string | undefined {
  const prefix = `${MARK}${round}:`;
  return typeof value === 'string' && value.startsWith(prefix) ? value.slice(prefix.length) : undefined;
}

function learn<V>(db: DbOrTx, names: readonly string[], build: (db: DbOrTx, values: V) => Compilable<unknown>): Shape {
  const a = build(db, marks<V>(names, 'a')).compile();
  const b = build(db, marks<V>(names, 'b')).compile();
  const refuse = (why: string) => new Error(`oneShape: ${why}: ${a.sql}`);
  if (a.sql !== b.sql || a.parameters.length !== b.parameters.length)
    throw refuse('the statement changes with its values');
  const slots = a.parameters.map((p, i): Slot => {
    const name = markOf(p, 'a');
    if (name !== undefined) {
      if (markOf(b.parameters[i], 'b') !== name) throw refuse(`${name} is not in the same place each time`);
      return { name };
    }
    if (!Object.is(p, b.parameters[i]) || markOf(b.parameters[i], 'b') !== undefined)
      throw refuse(`parameter ${i + 1} changes with the values`);
    if (p === UNUSED) throw refuse(`a value given as unused is parameter ${i + 1}`);
    return { value: p };
  });
  for (const n of names)
    if (!slots.some((s) => 'name' in s && s.name === n)) throw refuse(`${n} does not reach the statement as it is`);
  return { sql: a.sql, query: a.query, slots };
}
