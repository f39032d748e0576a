import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  PostgresAdapter,
  type Compilable,
  type Kysely,
  type Transaction,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { inlineParts, oneTrip, substitute, type Inlined } from './one-trip.js';
import { PreparedStatements, type Piece } from './prepared.js';
import type { Database } from './types.js';

/**
 * Tenant isolation on PostgreSQL, the second wall behind the application's own checks.
 *
 * Every table holding municipal data has row-level security (migration 012) for the role
 * `shinchoku_app`, keyed by the transaction setting `app.municipality_id`. The server's database
 * handle runs every statement in a transaction that first switches to that role and sets the
 * municipality of the scope it runs in (`SET LOCAL`, gone at COMMIT, so nothing stays on the
 * connection). The scope follows the async call chain:
 *
 * - a request under `/api/m/:mid/…` runs in `:mid` once the actor may read it (app.ts);
 * - another request runs in the actor's own municipality, or in none;
 * - outside any scope the role is switched and no municipality set: every tenant table reads
 *   empty and refuses writes. A forgotten scope fails closed.
 *
 * The few paths that are cross-tenant by nature say so with `acrossMunicipalities(reason, …)`:
 * the role is not switched, the connecting (owner) role reads every municipality. The reasons
 * are the list of those places (see docs/architecture.md, "Tenancy").
 *
 * SQLite has one tenant-less connection: the scopes are recorded but change nothing there.
 */

/** Why a path reads or writes across municipalities: each value is one listed place. */
export type CrossTenantReason =
  /** the session cookie's user, before anything else of the request is known */
  | 'session'
  /** login by login ID, logout and one's own password: accounts of every municipality and none */
  | 'account'
  /** users managed by coordinators and administrators: one namespace of login IDs for all */
  | 'user-admin'
  /** the administrator's municipality list, creation and change (団体コード unique across all) */
  | 'municipality-admin'
  /** the administrator's audit log of everything */
  | 'audit-admin'
  /** the public pages find a municipality by its 団体コード */
  | 'public-page'
  /** reorganisations that take effect when their fiscal year begins, for every municipality */
  | 'reorganisations'
  /** the first start: the secret, the first administrator, the sample municipality */
  | 'bootstrap'
  /** the administrator's command line on the server */
  | 'command-line';

export type TenantScope = { kind: 'municipality'; municipalityId: number } | { kind: 'all'; reason: CrossTenantReason };

const scopes = new AsyncLocalStorage<TenantScope | null>();

/** Runs `fn` reading and writing one municipality's rows only. */
export function inMunicipality<T>(municipalityId: number, fn: () => T): T {
  if (!Number.isSafeInteger(municipalityId) || municipalityId <= 0)
    throw new Error(`municipality id out of range: ${municipalityId}`);
  return scopes.run({ kind: 'municipality', municipalityId }, fn);
}

/** Runs `fn` across every municipality: only for the reasons listed in `CrossTenantReason`. */
export function acrossMunicipalities<T>(reason: CrossTenantReason, fn: () => T): T {
  return scopes.run({ kind: 'all', reason }, fn);
}

/** Runs `fn` in no municipality: tenant tables read empty (a request whose actor may not read its `:mid`). */
export function inNoMunicipality<T>(fn: () => T): T {
  return scopes.run(null, fn);
}

/** The scope the current call chain runs in (null: none). */
export function currentScope(): TenantScope | null {
  return scopes.getStore() ?? null;
}

/** The PostgreSQL role that requests run as: no BYPASSRLS, not the owner of the tables. */
export const APP_ROLE = 'shinchoku_app';
/** The transaction setting the policies read. */
export const MUNICIPALITY_SETTING = 'app.municipality_id';

export interface ScopeOptions {
  /** per statement, in milliseconds; 0 for none */
  statementTimeoutMs: number;
  /** whether each connection keeps prepared statements (prepared.ts): not behind a pooler in transaction mode */
  prepare?: boolean;
}

/**
 * The statement that starts each transaction: the role, the municipality and the statement
 * timeout, all `SET LOCAL` (set_config's third argument), so they end with the transaction and a
 * pooler in transaction mode may hand the connection to anyone next. The values are an integer
 * and fixed names, written inline so that it is one simple-protocol round trip with BEGIN.
 */
export function scopePrelude(scope: TenantScope | null, options: ScopeOptions): string {
  const settings = [`set_config('statement_timeout', '${Math.max(0, Math.round(options.statementTimeoutMs))}', true)`];
  if (scope?.kind !== 'all') {
    settings.push(`set_config('role', '${APP_ROLE}', true)`);
    const mid = scope?.kind === 'municipality' ? String(scope.municipalityId) : '';
    settings.push(`set_config('${MUNICIPALITY_SETTING}', '${mid}', true)`);
  }
  return `select ${settings.join(', ')}`;
}

/**
 * Ends a transaction that failed, so the connection never returns to the pool inside it. A dropped
 * connection cannot roll back (the pool discards it), and the first error is the one to report.
 */
async function rollbackQuietly(connection: DatabaseConnection): Promise<void> {
  await connection.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
}

/**
 * A pooled connection whose every statement runs inside a scoped transaction. A transaction's BEGIN is
 * sent with its first statement, and a statement on its own with its BEGIN and COMMIT, in one round trip
 * where the statement allows (one-trip.ts); else each goes by itself. Where the connection keeps prepared
 * statements (prepared.ts), such a statement is executed by name.
 */
class ScopedConnection implements DatabaseConnection {
  inTransaction = false;
  /** the BEGIN of a transaction begun, not yet sent: it goes with the first statement */
  pendingBegin: string[] | undefined;
  /** writes put off (`sentWithNext`), in order: they go with the next statement or the COMMIT */
  deferred: Inlined[] = [];
  /** whom the transaction's statements run as: the app's role, or the owner (`acrossMunicipalities`) */
  role = 'app';
  constructor(
    readonly inner: DatabaseConnection,
    private readonly options: ScopeOptions,
    private readonly prepared: PreparedStatements | undefined,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (query.sql === TOGETHER) return this.together<R>(query.parameters.filter(isCompiledQuery));
    const inlined = inlineParts(query);
    if (this.inTransaction) {
      if (inlined !== undefined && deferrable(query)) {
        this.deferred.push(inlined);
        return { rows: [] };
      }
      const lead = this.takeLead();
      // Sent now, the transaction has begun whatever comes of it: a failure is rolled back by the caller.
      if (inlined !== undefined && (lead.length > 0 || this.prepared))
        return this.trip<R>([...lead, inlined], [lead.length]);
      if (lead.length) await this.trip(lead, [lead.length - 1]);
      return this.inner.executeQuery<R>(query);
    }
    // A statement on its own: BEGIN and the scope, the statement, COMMIT.
    const begin = this.beginLone();
    let result: QueryResult<R>;
    try {
      if (inlined !== undefined) return await this.trip<R>([...begin, inlined, 'commit'], [begin.length]);
      await this.inner.executeQuery(CompiledQuery.raw(begin.join('; ')));
      result = await this.inner.executeQuery<R>(query);
    } catch (err) {
      await rollbackQuietly(this.inner);
      throw err;
    }
    await this.inner.executeQuery(CompiledQuery.raw('commit'));
    return result;
  }

  /** The BEGIN of a statement (or statements) on its own, in the scope of the call. */
  private beginLone(): string[] {
    const scope = currentScope();
    this.role = roleOf(scope);
    return ['begin', scopePrelude(scope, this.options)];
  }

  /**
   * Statements that do not depend on each other (`together`): in one trip where each can be written with its
   * literals, else one after another. Answers with each one's result as the rows.
   */
  private async together<R>(queries: CompiledQuery[]): Promise<QueryResult<R>> {
    const inlined = queries.map(inlineParts);
    const each = async () => {
      const results: QueryResult<unknown>[] = [];
      for (const q of queries) results.push(await this.executeQuery(q));
      return results;
    };
    if (queries.length < 2 || !inlined.every((i): i is Inlined => i !== undefined)) return rowsOf<R>(await each());
    if (this.inTransaction) {
      const lead = this.takeLead();
      const answer = await this.trip(
        [...lead, ...inlined],
        inlined.map((_, i) => lead.length + i),
      );
      return rowsOf<R>(severalResults(answer));
    }
    const begin = this.beginLone();
    try {
      const answer = await this.trip(
        [...begin, ...inlined, 'commit'],
        inlined.map((_, i) => begin.length + i),
      );
      return rowsOf<R>(severalResults(answer));
    } catch (err) {
      await rollbackQuietly(this.inner);
      throw err;
    }
  }

  /**
   * Sends statements in one trip and answers with the results of those at `picks` (indices into `pieces`): one as
   * that statement's, several as the client answers them (one-trip.ts). Statements with literals are executed by
   * name where the connection prepares them.
   */
  async trip<R>(pieces: Piece[], picks: number[]): Promise<QueryResult<R>> {
    const { texts, at, failed } = this.prepared
      ? this.prepared.render(pieces, this.role)
      : {
          texts: pieces.map((p) => (typeof p === 'string' ? p : substitute(p))),
          at: pieces.map((_, i) => i),
          failed: () => undefined,
        };
    try {
      return await this.inner.executeQuery<R>(
        CompiledQuery.raw(
          oneTrip(
            texts,
            picks.map((i) => at[i]!),
          ),
        ),
      );
    } catch (err) {
      failed(err);
      throw err;
    }
  }

  /** What waits to go with the next statement (taken): the BEGIN not yet sent, and the writes put off. */
  takeLead(): Piece[] {
    const lead = [...(this.pendingBegin ?? []), ...this.deferred];
    this.pendingBegin = undefined;
    this.deferred = [];
    return lead;
  }

  /** Sends what waits for the next statement now (before a savepoint or a stream). */
  async beginNow(): Promise<void> {
    const lead = this.takeLead();
    if (lead.length) await this.trip(lead, [lead.length - 1]);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    if (!this.inTransaction) throw new Error('streaming queries run inside a transaction');
    await this.beginNow();
    yield* this.inner.streamQuery<R>(query, chunkSize);
  }
}

/** The text of the query that carries statements to run together (`together`); its parameters are the statements. */
const TOGETHER = '/*together*/';

function isCompiledQuery(value: unknown): value is CompiledQuery {
  return typeof value === 'object' && value !== null && 'sql' in value && 'parameters' in value && 'query' in value;
}

/** A driver's result as Kysely's: the rows, and how many rows a write changed. */
function asQueryResult(r: { command?: unknown; rowCount?: unknown; rows?: unknown }): QueryResult<unknown> {
  const writes = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'];
  return {
    rows: Array.isArray(r.rows) ? r.rows : [],
    numAffectedRows:
      typeof r.command === 'string' && writes.includes(r.command) && typeof r.rowCount === 'number'
        ? BigInt(r.rowCount)
        : undefined,
  };
}

/** The results of a trip whose caller took several (one-trip.ts, SEVERAL): the client's answers, as rows. */
function severalResults(answer: QueryResult<unknown>): QueryResult<unknown>[] {
  return answer.rows.map((r) => asQueryResult(typeof r === 'object' && r !== null ? r : {}));
}

/** Results as the rows of one answer, which `together` reads back (each is the rows of one statement). */
function rowsOf<R>(results: QueryResult<unknown>[]): QueryResult<R> {
  // The rows of a together-answer are results, not rows of R: `together` (db/util.ts) is the only reader.
  return { rows: results as unknown as R[] };
}

/** Whom statements of a scope run as: the owner across municipalities, else the app's role. */
const roleOf = (scope: TenantScope | null) => (scope?.kind === 'all' ? 'owner' : 'app');

const putOff = new AsyncLocalStorage<true>();

/**
 * Runs `fn` with its writes put off: on PostgreSQL, inside a transaction, an INSERT, UPDATE or DELETE
 * without RETURNING that `fn` runs is not sent at once but with the transaction's next statement or its
 * COMMIT, in the same round trip (one-trip.ts). For writes whose answer nobody reads — the audit row, the
 * history, the sheets' counters — at the end of a transaction: they stay in it, in their order, before
 * anything the transaction does next, and a failure of one fails the transaction. Elsewhere (SQLite, a
 * statement on its own, a statement that must go with its parameters) they run as they come.
 */
export function sentWithNext<T>(fn: () => Promise<T>): Promise<T> {
  return putOff.run(true, fn);
}

/** Whether a statement may be put off: asked for, and a write whose answer is not read. */
function deferrable(query: CompiledQuery): boolean {
  return (
    putOff.getStore() === true && /^(insert|update|delete)\s/i.test(query.sql) && !/\sreturning\s/i.test(query.sql)
  );
}

/** Unwraps what Kysely hands back to the driver: always a connection this driver made. */
function scoped(connection: DatabaseConnection): ScopedConnection {
  if (!(connection instanceof ScopedConnection)) throw new Error('not a scoped connection');
  return connection;
}

/** Kysely's PostgreSQL driver with every transaction scoped (see the top of this file). */
class ScopedDriver implements Driver {
  /** each pooled connection's prepared statements, kept as long as the connection lives */
  private readonly prepared = new WeakMap<DatabaseConnection, PreparedStatements>();
  constructor(
    private readonly inner: Driver,
    private readonly options: ScopeOptions,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.inner.acquireConnection();
    let prepared = this.prepared.get(inner);
    if (this.options.prepare && !prepared) this.prepared.set(inner, (prepared = new PreparedStatements()));
    return new ScopedConnection(inner, this.options, prepared);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = scoped(connection);
    // The scope is the one of the call that begins: the first statement may run in a callback of its own.
    const scope = currentScope();
    const prelude = scopePrelude(scope, this.options);
    c.role = roleOf(scope);
    if (!settings.isolationLevel && !settings.accessMode) {
      c.pendingBegin = ['begin', prelude];
      c.inTransaction = true;
      return;
    }
    try {
      await this.inner.beginTransaction(c.inner, settings);
      await c.inner.executeQuery(CompiledQuery.raw(prelude));
    } catch (err) {
      // Kysely rolls back only a transaction that began; this one may have begun halfway.
      await rollbackQuietly(c.inner);
      throw err;
    }
    c.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = scoped(connection);
    c.inTransaction = false;
    // A transaction that ran no statement was never sent: there is nothing to end.
    if (c.pendingBegin !== undefined && c.deferred.length === 0) c.pendingBegin = undefined;
    else if (c.pendingBegin === undefined && c.deferred.length === 0) await this.inner.commitTransaction(c.inner);
    // The writes put off go with the COMMIT; one that fails leaves the transaction aborted, and the COMMIT
    // unsent: the caller rolls back.
    else {
      const lead = c.takeLead();
      await c.trip([...lead, 'commit'], [lead.length]);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = scoped(connection);
    c.inTransaction = false;
    c.deferred = [];
    if (c.pendingBegin !== undefined) c.pendingBegin = undefined;
    else await this.inner.rollbackTransaction(c.inner);
  }

  async savepoint(...[connection, name, compile]: Parameters<NonNullable<Driver['savepoint']>>): Promise<void> {
    const c = scoped(connection);
    await c.beginNow();
    await this.inner.savepoint?.(c.inner, name, compile);
  }

  async rollbackToSavepoint(
    ...[connection, name, compile]: Parameters<NonNullable<Driver['rollbackToSavepoint']>>
  ): Promise<void> {
    await this.inner.rollbackToSavepoint?.(scoped(connection).inner, name, compile);
  }

  async releaseSavepoint(
    ...[connection, name, compile]: Parameters<NonNullable<Driver['releaseSavepoint']>>
  ): Promise<void> {
    await this.inner.releaseSavepoint?.(scoped(connection).inner, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = scoped(connection);
    c.inTransaction = false;
    c.pendingBegin = undefined;
    c.deferred = [];
    return this.inner.releaseConnection(c.inner);
  }

  /** The pool belongs to the owner's handle, which ends it. */
  async destroy(): Promise<void> {}
}

/** The scoped dialect's adapter: PostgreSQL's, marked so that `together` knows it may send statements as one. */
class ScopedAdapter extends PostgresAdapter {}

/**
 * Whether `together` sends its statements in one round trip on this handle (the app's PostgreSQL handle). Where
 * it does not, a statement that finds its keys through a subquery, to go in the same trip as the one reading
 * them, only costs: read the keys first and name them.
 */
export function sendsTogether(db: Kysely<Database> | Transaction<Database>): boolean {
  return db.getExecutor().adapter instanceof ScopedAdapter;
}

/**
 * Runs statements that do not depend on each other and answers with each one's rows, in order. On the app's
 * PostgreSQL handle they go in one round trip (with the transaction's BEGIN where it is not yet sent) where each
 * can be written with its literals; elsewhere (SQLite, the owner's handle) one after another.
 */
export async function together<const Q extends readonly Compilable<unknown>[]>(
  db: Kysely<Database> | Transaction<Database>,
  queries: Q,
): Promise<{ -readonly [K in keyof Q]: Q[K] extends Compilable<infer O> ? O[] : never }> {
  const compiled = queries.map((q) => q.compile());
  const rows: unknown[][] = [];
  if (sendsTogether(db)) {
    const answer = await db.executeQuery(CompiledQuery.raw(TOGETHER, compiled));
    for (const r of answer.rows)
      rows.push(typeof r === 'object' && r !== null && 'rows' in r && Array.isArray(r.rows) ? r.rows : []);
  } else for (const c of compiled) rows.push((await db.executeQuery(c)).rows);
  // Each list holds the rows of the statement at its place, typed as that statement's output.
  return rows as { -readonly [K in keyof Q]: Q[K] extends Compilable<infer O> ? O[] : never };
}

/** A PostgreSQL dialect whose driver scopes every transaction; the rest is the base dialect's. */
export function scopedDialect(base: KyselyDialect, options: ScopeOptions): KyselyDialect {
  return {
    createAdapter: () => new ScopedAdapter(),
    createDriver: () => new ScopedDriver(base.createDriver(), options),
    createIntrospector: (db) => base.createIntrospector(db),
    createQueryCompiler: () => base.createQueryCompiler(),
  };
}
