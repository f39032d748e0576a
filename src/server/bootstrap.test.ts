import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepare } from './bootstrap.js';
import { loadConfig } from './config.js';
import { testDatabase } from './testing/harness.js';
import { samplePlan } from './modules/sample/index.js';

describe('first start', () => {
  it('creates the admin with a generated password and loads サンプル市 once', async () => {
    const db = await testDatabase();
    const env = {
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-boot-')),
      ...(db.url ? { DATABASE_URL: db.url } : {}),
    };
    await db.handle.close();
    const first = await prepare(loadConfig(env));
    expect(first.generatedAdminPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(first.sampleLoaded).toBe(true);
    const d = first.handle.owner;
    const m = await d.selectFrom('municipalities').selectAll().executeTakeFirstOrThrow();
    expect(m.name).toBe('サンプル市');
    const levels = await d.selectFrom('plan_levels').select('depth').execute();
    expect(levels).toHaveLength(4);
    const projects = await d.selectFrom('projects').select('id').execute();
    expect(projects.length).toBeGreaterThanOrEqual(40);
    const units = await d.selectFrom('departments').select('id').where('kind', '=', 'ka').execute();
    expect(units.length).toBeGreaterThanOrEqual(12);
    expect(await d.selectFrom('department_change_links').select('id').execute()).toHaveLength(1);
    expect((await d.selectFrom('project_listings').select('project_id').execute()).length).toBeGreaterThanOrEqual(1);
    expect((await d.selectFrom('plan_node_sub_plans').select('node_id').execute()).length).toBeGreaterThanOrEqual(1);
    const shared = await d.selectFrom('project_departments').select('project_id').where('is_lead', '=', 0).execute();
    expect(shared.length).toBeGreaterThanOrEqual(1);
    // The answers vary as a year's do, and each self-evaluation below the top says why (nothing left to check).
    const self = await d.selectFrom('evaluations').select(['code', 'reason']).where('slot_key', '=', 'self').execute();
    expect(new Set(self.map((e) => e.code))).toEqual(new Set(['A', 'B', 'C']));
    expect(self.filter((e) => e.code !== 'A' && e.reason === '')).toEqual([]);
    await first.handle.close();

    const second = await prepare(loadConfig(env));
    expect(second.generatedAdminPassword).toBeUndefined();
    expect(second.sampleLoaded).toBe(false);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(await second.handle.owner.selectFrom('municipalities').select('id').execute()).toHaveLength(1);
    await second.handle.close();
    await db.drop().catch(() => undefined);
  });

  it('leaves the database empty but for the admin when sample data is off', async () => {
    const db = await testDatabase();
    const env = {
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-boot-')),
      SAMPLE_DATA: 'off',
      INITIAL_ADMIN_PASSWORD: 'given-password-123',
      ...(db.url ? { DATABASE_URL: db.url } : {}),
    };
    await db.handle.close();
    const p = await prepare(loadConfig(env));
    expect(p.generatedAdminPassword).toBeUndefined();
    expect(await p.handle.owner.selectFrom('municipalities').select('id').execute()).toHaveLength(0);
    expect(await p.handle.owner.selectFrom('users').select('login_name').execute()).toEqual([{ login_name: 'admin' }]);
    await p.handle.close();
    await db.drop().catch(() => undefined);
  });

  it('ships a sample plan shaped like real plans', () => {
    const plan = samplePlan();
    expect(plan.levels).toHaveLength(4);
    expect(plan.projects.length).toBeGreaterThanOrEqual(40);
    expect(new Set(plan.projects.map((p) => p.number)).size).toBe(plan.projects.length);
  });
});

async function waitForHealth(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

describe.runIf(process.env.TEST_DB === 'postgres')('two app processes on one PostgreSQL', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGTERM');
  });

  it('share sessions: a login on one is valid on the other', async () => {
    const db = await testDatabase();
    await db.handle.close();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-two-'));
    const ports = [41000 + Math.floor(Math.random() * 2000), 43500 + Math.floor(Math.random() * 2000)];
    for (const port of ports) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          PORT: String(port),
          DATA_DIR: dataDir,
          INITIAL_ADMIN_PASSWORD: 'two-process-pass',
          SAMPLE_DATA: 'off',
          LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      });
      children.push(child);
      await waitForHealth(port, child);
    }
    const [a, b] = ports.map((p) => `http://127.0.0.1:${p}`) as [string, string];
    const session = await fetch(`${a}/api/session`);
    const csrfCookie = session.headers
      .getSetCookie()
      .find((c) => c.startsWith('shinchoku_csrf='))!
      .split(';')[0]!;
    const csrf = ((await session.json()) as { csrfToken: string }).csrfToken;
    const login = await fetch(`${a}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: csrfCookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ loginName: 'admin', password: 'two-process-pass' }),
    });
    expect(login.status).toBe(200);
    const sid = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('shinchoku_sid='))!
      .split(';')[0]!;
    const cookie = `${sid}; ${csrfCookie}`;
    const onB = await fetch(`${b}/api/session`, { headers: { cookie } });
    expect(((await onB.json()) as { user: { loginName: string } }).user.loginName).toBe('admin');
    // A write through B with the session's token that A issued: the secret is shared too.
    const bound = ((await (await fetch(`${a}/api/session`, { headers: { cookie } })).json()) as { csrfToken: string })
      .csrfToken;
    expect(bound).not.toBe(csrf);
    const created = await fetch(`${b}/api/municipalities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': bound },
      body: JSON.stringify({ name: '二重市', code: '132039' }),
    });
    expect(created.status).toBe(201);
    const logout = await fetch(`${b}/api/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': bound } });
    expect(logout.status).toBe(200);
    const afterLogout = await fetch(`${a}/api/session`, { headers: { cookie } });
    expect(((await afterLogout.json()) as { user: unknown }).user).toBeNull();
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await db.drop().catch(() => undefined);
  });
});
