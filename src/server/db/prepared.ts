import { substitute, type Inlined } from './one-trip.js';

/**
 * Statements prepared once per connection and then executed by name (PostgreSQL). Under load most of the
 * database's work for the app's small statements is parsing and planning them again each time; a prepared
 * statement is parsed once per connection and, after a few runs, planned once too (PostgreSQL keeps a generic
 * plan where it costs no more than planning with the values). The statements still go with their BEGIN and
 * COMMIT in one simple-protocol trip (one-trip.ts): `PREPARE sN AS …` the first time on the connection, then
 * `EXECUTE sN('…', …)` with the same quoted literals the statement would have held.
 *
 * - PREPARE and DEALLOCATE are not undone by a rollback. A trip that fails may have prepared its new names or
 *   not: they are forgotten (the next use prepares a new name), counted as unsure, and once there are too many
 *   unsure names everything on the connection is deallocated and begun again.
 * - At most `max` statements per connection; the least recently used one is deallocated in the next trip.
 * - Only statements whose result columns are named: a `*` would bind the prepared statement to the columns a
 *   table had when it was prepared, and PostgreSQL refuses to run it once a migration has added one
 *   ("cached plan must not change result type"). Statements with a `*` are sent with their literals, as before.
 * - Statements run as the app's role and as the owner are prepared apart (`role`): row-level security is
 *   part of the plan.
 * - Sessions behind a pooler in transaction mode do not keep their prepared statements: there the app is
 *   started with DATABASE_PREPARE=off (docs/operations.md).
 */
const UNSURE_LIMIT = 16;

/** A statement of a trip: a text as it is, or a statement with its literals (prepared where it may be). */
export type Piece = string | Inlined;

/**
 * Whether an error says the connection's prepared statements are not as this side knows them: one is missing
 * (the session was reset under the app), or a table changed under one.
 */
function lostStatements(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return code === '26000' || code === '0A000';
}

/**
 * Whether a statement may be prepared: a query or a write (PREPARE takes no other), whose result columns are
 * named, never `*` (count(*) is named).
 */
export function preparable(sql: string): boolean {
  return /^(select|insert|update|delete|with|values)\s/i.test(sql) && !sql.replace(/count\(\*\)/gi, '').includes('*');
}

export class PreparedStatements {
  /** by role and text, the name on this connection; in the order of use (the first is the least recent) */
  private readonly names = new Map<string, string>();
  private counter = 0;
  private unsure = 0;
  /** names to deallocate with the next trip */
  private drops: string[] = [];
  private dropAll = false;

  constructor(private readonly max = 200) {}

  /** How many are prepared (as far as is known), for tests and the operators' figures. */
  get size(): number {
    return this.names.size;
  }

  /**
   * The texts of a trip of these pieces run as `role`, and what to do if it fails: deallocations first (of
   * everything, after failures left too many unsure names; else of the least recently used beyond the bound),
   * then each piece, prepared where it may be and not yet.
   */
  render(pieces: Piece[], role: string): { texts: string[]; at: number[]; failed: (err: unknown) => void } {
    const created: [string, string][] = [];
    const statements = pieces.map((piece) => {
      if (typeof piece === 'string') return [piece];
      if (!preparable(piece.sql)) return [substitute(piece)];
      const key = `${role}\n${piece.sql}`;
      let name = this.names.get(key);
      const first = name === undefined;
      if (name === undefined) created.push([key, (name = `s${++this.counter}`)]);
      this.names.delete(key);
      this.names.set(key, name);
      const run = piece.values.length ? `execute ${name}(${piece.values.join(', ')})` : `execute ${name}`;
      return first ? [`prepare ${name} as ${piece.sql}`, run] : [run];
    });
    for (const [key, name] of this.names) {
      if (this.names.size <= this.max) break;
      this.names.delete(key);
      this.drops.push(name);
    }
    const drops = this.dropAll ? ['deallocate all'] : this.drops.map((n) => `deallocate ${n}`);
    const dropped = this.dropAll ? 0 : this.drops.length;
    this.dropAll = false;
    this.drops = [];
    // Where each piece's own statement (not its PREPARE) stands among the texts.
    const at: number[] = [];
    let next = drops.length;
    for (const s of statements) at.push((next += s.length) - 1);
    return {
      texts: [...drops, ...statements.flat()],
      at,
      failed: (err) => {
        for (const [key, name] of created) if (this.names.get(key) === name) this.names.delete(key);
        this.unsure += created.length + dropped;
        if (this.unsure > UNSURE_LIMIT || drops[0] === 'deallocate all' || lostStatements(err)) {
          this.names.clear();
          this.drops = [];
          this.unsure = 0;
          this.dropAll = true;
        }
      },
    };
  }
}
