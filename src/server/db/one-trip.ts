import type { CompiledQuery } from 'kysely';
import type pg from 'pg';

/**
 * Fewer round trips to PostgreSQL. Every statement of the app runs in a scoped transaction (tenant.ts):
 * BEGIN with the role, municipality and timeout, the statement, COMMIT — three round trips for a statement
 * on its own, and one more for the BEGIN of each transaction. Where the machine is shared by the database
 * and the app, each round trip costs both of them a wake-up and a socket write, and at a deadline those
 * add up to most of the work. So a statement whose parameters can be written as literals is sent together
 * with its BEGIN (and its COMMIT, when it runs on its own) as one simple-protocol query.
 *
 * The literals keep the statement's meaning: the extended protocol sends every parameter as text of an
 * unspecified type, and a quoted literal is text of an unspecified type too, typed by its place in the
 * statement alike. Strings are quoted by the driver's own `escapeLiteral`; numbers, booleans and bigints
 * are quoted as the driver would send them. A statement with anything else among its parameters (dates,
 * arrays, objects, bytes, a string holding a NUL, which would cut the query's text short) or with a quote
 * or comment of its own in its text is sent as before.
 */

/** Starts a text sent in one trip; the numbers say which statements' results are the caller's. */
const MARKER = '/*one-trip:';
const MARKED = /^\/\*one-trip:(\d+(?:,\d+)*)\*\//;
/** The command of the answer to a trip whose caller takes several results: its rows are those results. */
export const SEVERAL = 'SEVERAL';

/** Quotes a string as the driver does: '' for a quote, and E'…' with doubled backslashes where there are any. */
export function quoteLiteral(text: string): string {
  let hasBackslash = false;
  let quoted = "'";
  for (const ch of text) {
    if (ch === "'") quoted += "''";
    else if (ch === '\\') {
      quoted += '\\\\';
      hasBackslash = true;
    } else quoted += ch;
  }
  quoted += "'";
  return hasBackslash ? ` E${quoted}` : quoted;
}

function literal(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value.includes('\0') ? undefined : quoteLiteral(value);
  if (typeof value === 'number') return Number.isFinite(value) ? `'${String(value)}'` : undefined;
  if (typeof value === 'boolean' || typeof value === 'bigint') return `'${String(value)}'`;
  return undefined;
}

/** A statement whose parameters can be written as literals: its text with placeholders, and the literals. */
export interface Inlined {
  sql: string;
  values: string[];
}

/**
 * What a statement's text allows, the same at every call: whether it may take literals at all (no quote or
 * comment of its own), and its text cut at its placeholders outside quoted names — `pieces[i]` comes before
 * placeholder `slots[i]`, the last piece after the last one.
 */
interface Shape {
  pieces: string[];
  slots: number[];
}

/** Shapes by text: the app has a few hundred texts, each worked out once (the bound only guards against more). */
const shapes = new Map<string, Shape | null>();
const MAX_SHAPES = 5000;

function shapeOf(sql: string): Shape | null {
  const known = shapes.get(sql);
  if (known !== undefined) return known;
  const shape = /['";]|--|\/\*|\$\$/.test(sql.replace(/"[^"]*"/g, '')) ? null : cut(sql);
  if (shapes.size >= MAX_SHAPES) shapes.clear();
  shapes.set(sql, shape);
  return shape;
}

/** The text cut at its placeholders outside quoted names (the odd parts of the split are the names). */
function cut(sql: string): Shape {
  const pieces: string[] = [];
  const slots: number[] = [];
  let piece = '';
  sql.split(/("[^"]*")/).forEach((part, i) => {
    if (i % 2 === 1) {
      piece += part;
      return;
    }
    let from = 0;
    for (const m of part.matchAll(/\$(\d+)/g)) {
      pieces.push(piece + part.slice(from, m.index));
      slots.push(Number(m[1]));
      piece = '';
      from = m.index + m[0].length;
    }
    piece += part.slice(from);
  });
  pieces.push(piece);
  return { pieces, slots };
}

/** The statement's parameters as literals, or undefined where it must go with its parameters. */
export function inlineParts(query: CompiledQuery): Inlined | undefined {
  const { sql, parameters } = query;
  const shape = shapeOf(sql);
  if (!shape) return undefined;
  const values = parameters.map(literal);
  if (!values.every((v): v is string => v !== undefined)) return undefined;
  // Every placeholder has its value.
  return shape.slots.every((n) => values[n - 1] !== undefined) ? { sql, values } : undefined;
}

/** The statement with its literals written in place of its placeholders. */
export function substitute({ sql, values }: Inlined): string {
  const shape = shapeOf(sql);
  if (!shape) throw new Error('one-trip: a statement that cannot take literals');
  let text = shape.pieces[0]!;
  for (let i = 0; i < shape.slots.length; i++) text += values[shape.slots[i]! - 1]! + shape.pieces[i + 1]!;
  return text;
}

/** The statement with its parameters written in, or undefined where it must go with its parameters. */
export function inlineStatement(query: CompiledQuery): string | undefined {
  const parts = inlineParts(query);
  return parts && substitute(parts);
}

/**
 * A text of several statements, of which the ones at `indices` (from 0) are the caller's: one answers as that
 * statement alone; several answer with command SEVERAL and their results, in that order, as the rows.
 */
export function oneTrip(statements: string[], indices: number | number[]): string {
  return `${MARKER}${[indices].flat().join(',')}*/${statements.join('; ')}`;
}

/** What the pool's clients answer for a marked text: the result of its statement, as for a query alone, or several. */
function pick(results: pg.QueryResult | pg.QueryResult[], indices: number[]): pg.QueryResult {
  const list = Array.isArray(results) ? results : [results];
  const picked = indices.map((index) => {
    const result = list[index];
    if (!result) throw new Error(`one-trip: no result ${index} of ${list.length}`);
    return result;
  });
  if (picked.length === 1) return picked[0]!;
  return { command: SEVERAL, rowCount: null, oid: 0, fields: [], rows: picked };
}

/**
 * The pool's client: as the driver's, but a marked text (from `oneTrip`) goes as one simple-protocol query
 * and answers with its statement's result.
 */
export function oneTripClient(Base: typeof pg.Client): typeof pg.Client {
  return class OneTripClient extends Base {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      const base = this.query.bind(this);
      const query = (...args: unknown[]): unknown => {
        const [text, values] = args;
        const marked = typeof text === 'string' ? MARKED.exec(text) : null;
        const bare = args.length <= 2 && (values === undefined || (Array.isArray(values) && values.length === 0));
        if (typeof text !== 'string' || !marked || !bare) return Reflect.apply(base, this, args);
        const indices = marked[1]!.split(',').map((n) => Number(n));
        // Several statements answer with a list of results, which the driver's types do not say.
        return base(text).then((r) => pick(r as pg.QueryResult | pg.QueryResult[], indices));
      };
      // The driver's `query` has a dozen overloads; this one takes the text form the dialect uses and
      // hands every other call to the driver unchanged.
      this.query = query as typeof this.query;
    }
  };
}
