import { SheetCache } from '../modules/rounds/sheet-cache.js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { z } from 'zod';
import { buildApp, type AppContext } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { migrateToLatest, openDatabase, type DbHandle } from '../db/db.js';
import { now } from '../db/util.js';
import type { Db } from '../db/types.js';
import { inMunicipality } from '../db/tenant.js';
import type { Actor } from '../modules/auth/index.js';
import { hashPassword } from '../modules/auth/index.js';
import { localGovernmentCheckDigit } from '../../domain/municipality.js';
import type { Role } from '../../domain/roles.js';

export const PASSWORD = 'correct-horse-battery';

/**
 * A service function called directly, as the command line calls it: in the scope of the
 * municipality it is given (its third argument), as a request under `/api/m/:mid` runs.
 */
export function inItsMunicipality<A extends [AppContext, Actor, number, ...unknown[]], R>(
  service: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return (...args) => inMunicipality(args[2], () => service(...args));
}

/** The code a database error carries (PostgreSQL's SQLSTATE), if any. */
function errorCode(e: unknown): unknown {
  return typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
}

/** The id of the row an API answer carries under `key` (`{ plan: { id } }`), checked as it is read. */
export function createdId(res: LightMyRequestResponse, key: string): number {
  const body = z.record(z.string(), z.unknown()).parse(res.json());
  return z.object({ id: z.number().int() }).parse(body[key]).id;
}

/** A throw-away database of the kind this test project runs on: a fresh SQLite file or a fresh PostgreSQL database. */
export async function testDatabase(
  options: { poolSize?: number; statementTimeoutMs?: number; prepare?: boolean } = {},
): Promise<{ handle: DbHandle; url?: string; drop(): Promise<void> }> {
  if (process.env.TEST_DB === 'postgres') {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) throw new Error('TEST_DATABASE_URL is not set: the PostgreSQL suite needs a server');
    const name = `shinchoku_t_${crypto.randomBytes(6).toString('hex')}`;
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ databaseUrl: url.toString(), ...options });
    return {
      handle,
      url: url.toString(),
      drop: async () => {
        await handle.close();
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        // Not WITH (FORCE): killing a pool's connection while it is still closing surfaces as an
        // unhandled error in the test process. Wait for the connections to be gone instead.
        for (let attempt = 0; ; attempt++) {
          try {
            await c.query(`DROP DATABASE IF EXISTS ${name}`);
            break;
          } catch (e) {
            if (errorCode(e) !== '55006' || attempt >= 100) throw e;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-test-'));
  const handle = await openDatabase({ sqliteFile: path.join(dir, 'test.sqlite') });
  return {
    handle,
    drop: async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Harness {
  app: FastifyInstance;
  /** the app's context: on PostgreSQL its `db` reads a municipality's rows only inside its scope (db/tenant.ts) */
  ctx: AppContext;
  /** the tables' owner, for setting up and inspecting rows of any municipality (the same as ctx.db on SQLite) */
  db: Db;
  config: Config;
  handle: DbHandle;
  close(): Promise<void>;
  client(): Client;
  /** A signed-in client for a new user with this role. */
  as(
    role: Role,
    opts?: { municipalityId?: number | null; departmentId?: number | null; loginName?: string },
  ): Promise<Client>;
  municipality(name?: string): Promise<{ id: number; code: string }>;
  department(
    municipalityId: number,
    name: string,
    opts?: { kind?: 'bu' | 'ka'; parentId?: number | null },
  ): Promise<number>;
}

let codeCounter = 0;
/** A valid 全国地方公共団体コード that no other test in this process uses. */
export function uniqueCode(): string {
  codeCounter++;
  const prefix = `${String(10 + ((process.pid + codeCounter) % 37)).padStart(2, '0')}${String((codeCounter * 7919 + process.pid) % 1000).padStart(3, '0')}`;
  return prefix + String(localGovernmentCheckDigit(prefix));
}

/** The date the API tests live on, so that rules tied to the fiscal year (令和8年度) give the same answers every year. */
export const TEST_TODAY = new Date('2026-12-05T03:00:00Z');

export async function createHarness(
  env: Record<string, string> = {},
  opts: { clock?: () => Date } = {},
): Promise<Harness> {
  // DATABASE_PREPARE=off in the environment runs the suite as the app runs behind a pooler in transaction mode.
  const prepare = process.env.DATABASE_PREPARE ?? 'on';
  const config = loadConfig({ SAMPLE_DATA: 'off', LOG_LEVEL: 'silent', DATABASE_PREPARE: prepare, ...env });
  const db = await testDatabase(config.database);
  await migrateToLatest(db.handle);
  const ctx: AppContext = {
    db: db.handle.db,
    dialect: db.handle.dialect,
    config,
    clock: opts.clock ?? (() => TEST_TODAY),
    // The app's sheet cache, so that tests can see what it served from memory.
    sheetCache: new SheetCache(),
  };
  const app = await buildApp({ ...ctx, sessionSecret: crypto.randomBytes(32).toString('hex'), logger: false });
  const hash = await hashPassword(PASSWORD);
  let users = 0;

  const harness: Harness = {
    app,
    ctx,
    db: db.handle.owner,
    config,
    handle: db.handle,
    close: async () => {
      await app.close();
      await db.drop();
    },
    client: () => new Client(app),
    async as(role, opts = {}) {
      const loginName = opts.loginName ?? `${role.replace(/_/g, '-')}-${++users}`;
      const t = now();
      await db.handle.owner
        .insertInto('users')
        .values({
          login_name: loginName,
          display_name: `テスト ${loginName}`,
          role,
          municipality_id: opts.municipalityId ?? null,
          department_id: opts.departmentId ?? null,
          password_hash: hash,
          active: 1,
          created_at: t,
          updated_at: t,
        })
        .execute();
      const c = new Client(app);
      const res = await c.login(loginName, PASSWORD);
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
      return c;
    },
    async municipality(name = 'テスト市') {
      const code = uniqueCode();
      const row = await db.handle.owner
        .insertInto('municipalities')
        .values({ code, name, era2019: 'reiwa1', created_at: now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: row.id, code };
    },
    async department(municipalityId, name, opts = {}) {
      const row = await db.handle.owner
        .insertInto('departments')
        .values({
          municipality_id: municipalityId,
          parent_id: opts.parentId ?? null,
          name,
          kind: opts.kind ?? 'ka',
          active_from: null,
          active_to: null,
          position: 0,
          created_at: now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
  };
  return harness;
}

/** A browser-like client: keeps cookies and sends the CSRF header, as the SPA does. */
export class Client {
  private cookies = new Map<string, string>();
  csrf = '';
  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: object,
    opts: { csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    if (method !== 'GET' && opts.csrf !== false && !this.csrf) await this.get('/api/session');
    const headers: Record<string, string> = { cookie: this.cookieHeader() };
    if (method !== 'GET' && opts.csrf !== false) headers['x-csrf-token'] = this.csrf;
    const res = await this.app.inject({
      method,
      url,
      headers,
      ...(body === undefined ? {} : { payload: body }),
    });
    this.remember(res);
    if (url === '/api/session' && res.statusCode === 200) this.csrf = res.json<{ csrfToken: string }>().csrfToken;
    return res;
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: object, opts?: { csrf?: boolean }) {
    return this.request('POST', url, body ?? {}, opts);
  }
  patch(url: string, body?: object) {
    return this.request('PATCH', url, body ?? {});
  }
  put(url: string, body?: object) {
    return this.request('PUT', url, body ?? {});
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }
  /** Signs in, then reads the session's own CSRF token as the SPA does. */
  async login(loginName: string, password: string) {
    const res = await this.post('/api/auth/login', { loginName, password });
    if (res.statusCode === 200) await this.get('/api/session');
    return res;
  }
  sessionCookie(): string | undefined {
    return this.cookies.get('shinchoku_sid');
  }
  /** The headers a browser of this session sends, for requests over real HTTP (fetch). */
  httpHeaders(): Record<string, string> {
    return { cookie: this.cookieHeader(), 'x-csrf-token': this.csrf, 'content-type': 'application/json' };
  }
}
