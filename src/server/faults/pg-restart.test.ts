import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The database restarts while people are saving: two app processes on one PostgreSQL, twenty
 * clients autosaving their own answers. While the database is down the processes answer 503 with
 * Retry-After and stay up; when it is back they answer again by themselves; no save that was
 * acknowledged is lost. The suite starts its own throw-away cluster (it stops and starts it), so it
 * runs with the PostgreSQL project only.
 */

const haveServer = (() => {
  try {
    return fs.readdirSync('/usr/lib/postgresql').some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  } catch {
    return false;
  }
})();
const SCRIPT = path.resolve('scripts/pg-throwaway.sh');
const PASSWORD = 'kaze-no-tayori-8x';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('timed out waiting');
}

class Browser {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}
  async session(): Promise<void> {
    const res = await fetch(`${this.base}/api/session`, { headers: { cookie: this.cookie } });
    this.keep(res);
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }
  keep(res: Response): void {
    const jar = new Map(this.cookie ? this.cookie.split('; ').map((c) => c.split('=') as [string, string]) : []);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      jar.set(k!, v ?? '');
    }
    this.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async call(method: string, url: string, body?: unknown): Promise<Response> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrf, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.keep(res);
    return res;
  }
  async login(loginName: string): Promise<void> {
    await this.session();
    const res = await this.call('POST', '/api/auth/login', { loginName, password: PASSWORD });
    if (res.status !== 200) throw new Error(`login ${loginName}: ${res.status} ${await res.text()}`);
    await this.session();
  }
}

describe.skipIf(process.env.TEST_DB !== 'postgres' || !haveServer)(
  'a PostgreSQL restart under autosaving clients',
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-fault-pg-'));
    let pgPort = 0;
    let url = '';
    const apps: { child: ChildProcess; base: string; log: string[] }[] = [];

    beforeAll(async () => {
      pgPort = await freePort();
      const server = execFileSync('bash', [SCRIPT, 'start', dir, String(pgPort)], { encoding: 'utf8' }).trim();
      url = server.replace(/\/postgres$/, '/shinchoku');
      execFileSync('psql', [server, '-qc', 'CREATE DATABASE shinchoku']);
      const secret = crypto.randomBytes(32).toString('hex');
      for (let i = 0; i < 2; i++) {
        const port = await freePort();
        const log: string[] = [];
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
          env: {
            ...process.env,
            DATABASE_URL: url,
            PORT: String(port),
            HOST: '127.0.0.1',
            SAMPLE_DATA: 'off',
            INITIAL_ADMIN_PASSWORD: PASSWORD,
            SESSION_SECRET: secret,
            LOG_LEVEL: 'warn',
            LOGIN_RATE_LIMIT: '1000',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout.on('data', (d: Buffer) => log.push(d.toString()));
        child.stderr.on('data', (d: Buffer) => log.push(d.toString()));
        apps.push({ child, base: `http://127.0.0.1:${port}`, log });
        // The first process migrates and creates the administrator; the second starts on a ready database.
        await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200, 60_000);
      }
    }, 120_000);

    afterAll(async () => {
      for (const a of apps) a.child.kill('SIGTERM');
      execFileSync('bash', [SCRIPT, 'stop', dir]);
    });

    it('keeps both processes up, answers 503 while the database is down, recovers, and loses no acknowledged save', async () => {
      // A municipality, a department with twenty projects, an open round, and one editor.
      const admin = new Browser(apps[0]!.base);
      await admin.login('admin');
      const mres = await admin.call('POST', '/api/municipalities', { name: '障害市', code: '011002' });
      expect(mres.status, await mres.clone().text()).toBe(201);
      const mid = ((await mres.json()) as { municipality: { id: number } }).municipality.id;
      const dept = (
        (await (await admin.call('POST', `/api/m/${mid}/departments`, { name: '人権推進課', kind: 'ka' })).json()) as {
          department: { id: number };
        }
      ).department.id;
      await admin.call('POST', '/api/users', {
        loginName: 'fault-editor',
        displayName: '障害 試験',
        role: 'department_editor',
        municipalityId: mid,
        departmentId: dept,
        password: 'given-first-pw-1',
      });
      const plan = (
        (await (
          await admin.call('POST', `/api/m/${mid}/plans`, {
            title: '障害市プラン',
            firstYear: 2021,
            lastYear: 2030,
            levels: [
              { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
              { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
            ],
          })
        ).json()) as { plan: { id: number } }
      ).plan.id;
      const node = (
        (await (await admin.call('POST', `/api/m/${mid}/plans/${plan}/nodes`, { title: '意識づくり' })).json()) as {
          node: { id: number };
        }
      ).node.id;
      for (let i = 1; i <= 20; i++)
        await admin.call('POST', `/api/m/${mid}/plans/${plan}/projects`, {
          nodeId: node,
          number: String(i),
          name: `事業${i}`,
          leadDepartmentId: dept,
        });
      const round = (
        (await (
          await admin.call('POST', `/api/m/${mid}/rounds`, {
            planId: plan,
            fiscalYear: 2025,
            phase: 'end',
            deadline: '2099-04-30',
            departmentIds: [dept],
          })
        ).json()) as { round: { id: number } }
      ).round.id;
      const first = new Browser(apps[0]!.base);
      await first.session();
      await first.call('POST', '/api/auth/login', { loginName: 'fault-editor', password: 'given-first-pw-1' });
      await first.session();
      expect(
        (await first.call('POST', '/api/auth/password', { currentPassword: 'given-first-pw-1', newPassword: PASSWORD }))
          .status,
      ).toBe(200);

      const records = (
        (await (await first.call('GET', `/api/m/${mid}/rounds/${round}/departments/${dept}/sheet`)).json()) as {
          items: { record: { id: number; version: number } }[];
        }
      ).items.map((i) => i.record);
      expect(records).toHaveLength(20);

      // Twenty clients, half on each process, each autosaving its own record every 100 ms.
      const clients = await Promise.all(
        records.map(async (r, i) => {
          const b = new Browser(apps[i % 2]!.base);
          await b.login('fault-editor');
          return { b, record: { ...r } };
        }),
      );
      const acked: { id: number; version: number; token: string }[] = [];
      const seen = { ok: 0, unavailable: 0, other: 0, network: 0, okAfterRestart: 0 };
      let restarted = false;
      let stop = false;
      const loops = clients.map(async ({ b, record }) => {
        let n = 0;
        while (!stop) {
          const token = `${record.id}-${n++}`;
          try {
            const res = await b.call('PUT', `/api/m/${mid}/records/${record.id}`, {
              version: record.version,
              planText: '予定',
              resultText: token,
            });
            const body = (await res.json()) as { record?: { version: number }; current?: { version: number } };
            if (res.status === 200) {
              record.version = body.record!.version;
              acked.push({ id: record.id, version: record.version, token });
              seen.ok++;
              if (restarted) seen.okAfterRestart++;
            } else if (res.status === 409 && body.current) record.version = body.current.version;
            else if (res.status === 503) {
              expect(res.headers.get('retry-after')).toBe('5');
              seen.unavailable++;
            } else seen.other++;
          } catch {
            seen.network++;
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      });

      await new Promise((r) => setTimeout(r, 2000));
      execFileSync('bash', [SCRIPT, 'pause', dir]);
      await new Promise((r) => setTimeout(r, 3000));
      for (const a of apps) expect((await fetch(`${a.base}/api/health`)).status).toBe(503);
      for (const a of apps) expect((await fetch(`${a.base}/api/health/live`)).status).toBe(200);
      execFileSync('bash', [SCRIPT, 'resume', dir, String(pgPort)]);
      restarted = true;
      await waitFor(async () => seen.okAfterRestart >= 20, 20_000);
      stop = true;
      await Promise.all(loops);

      for (const a of apps) {
        expect(a.child.exitCode, a.log.join('')).toBeNull();
        expect((await fetch(`${a.base}/api/health`)).status).toBe(200);
      }
      expect(seen.unavailable).toBeGreaterThan(0);
      expect(seen.okAfterRestart).toBeGreaterThanOrEqual(20);
      expect(seen.other).toBe(0);

      // Every acknowledged save is in the record's history with what was typed.
      const pg = await import('pg');
      const db = new pg.default.Client({ connectionString: url });
      await db.connect();
      try {
        const rows = (
          await db.query<{ record_id: number; version: number; after: string }>(
            `SELECT record_id, version, after FROM record_history WHERE action = 'save'`,
          )
        ).rows;
        const stored = new Map(
          rows.map((r) => [`${r.record_id}|${r.version}`, (JSON.parse(r.after) as { resultText: string }).resultText]),
        );
        const lost = acked.filter((a) => stored.get(`${a.id}|${a.version}`) !== a.token);
        expect(lost).toEqual([]);
        const final = (await db.query<{ id: number; version: number }>('SELECT id, version FROM records')).rows;
        for (const a of acked) expect(final.find((r) => r.id === a.id)!.version).toBeGreaterThanOrEqual(a.version);
      } finally {
        await db.end();
      }
      process.stdout.write(
        `PostgreSQL restart: ${seen.ok} saves acknowledged (${seen.okAfterRestart} after the restart), ${seen.unavailable} answered 503, ${seen.network} network errors, 0 lost\n`,
      );
    }, 120_000);
  },
);
