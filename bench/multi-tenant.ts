/**
 * A shared service: one PostgreSQL, two app processes, 100 municipalities. Starts its own throw-away
 * PostgreSQL cluster (as the test suite does: `scripts/pg-throwaway.sh`, fsync off), loads 100
 * municipalities (each a plan of 300 projects, 60 departments with an editor each, three fiscal years
 * of records, the last year's round open), builds the app and starts two processes of it on that
 * database. Then 200 clients in 50 of the municipalities (4 departments each) do the deadline rush,
 * their requests going to the two processes in turn as behind a load balancer: each arrives at a random
 * moment of the first 20 s and opens its department's sheet (cold: nothing of it is cached yet), then
 * autosaves one answer at a time about every second, reads its sheet again about every 20 s, and about
 * every 10 s tries to read a record of another municipality (which must fail); the rush goes on for 30 s
 * after the last arrival. People do not all open their sheet in the same second: the 20 s are the period
 * of the sheet's reloads, so that the opening loads come at the rate the reloads keep up afterwards.
 * Every request of the 50 s is counted; `full_load` gives those started after the last arrival.
 * Afterwards every accepted save is checked against the database (lost updates), and each process's
 * largest resident memory during the run is reported.
 *
 *   npm run bench -- multi-tenant          (MT_MUNICIPALITIES=10 for a quick look; MT_PROFILE_DIR=dir for
 *                                           a CPU profile of each app process; MT_POOL=n for the pool size of
 *                                           each process, 2 unless told; MT_PG_STATS=file for the statements
 *                                           that took the database's time in the rush, by pg_stat_statements)
 *
 * The machine's cores are shared by PostgreSQL, both app processes and the load generator.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CompiledQuery } from 'kysely';
import { localGovernmentCheckDigit } from '../src/domain/municipality.js';
import { loadConfig } from '../src/server/config.js';
import { migrateToLatest, openDatabase } from '../src/server/db/db.js';
import { hashPassword } from '../src/server/modules/auth/password.js';
import {
  BENCH_PASSWORD,
  benchAdmin,
  insertBenchAdmin,
  loadLargeMunicipality,
  login,
  lostUpdates,
  type LoadedMunicipality,
} from './fixtures.js';

const MUNICIPALITIES = Number(process.env.MT_MUNICIPALITIES ?? 100);
const ACTIVE = Math.min(50, MUNICIPALITIES);
const CLIENTS = 200;
const DEPARTMENTS_PER_ACTIVE = CLIENTS / ACTIVE;
const PROCESSES = 2;
const SECONDS = 30;
/** the clients arrive over this time before the 30 s with everyone in (see the top of this file) */
const ARRIVAL_SECONDS = 20;
const YEARS = [2023, 2024, 2025];
/**
 * Connections of each process: 2, four in all for the two cores PostgreSQL shares with both processes and the
 * load generator. More connections than the database has cores to run them make its backends take turns on
 * the CPU mid-request (measured: docs/operations.md, "PostgreSQL connections"); MT_POOL=10 is the app's default.
 */
const POOL_SIZE = Number(process.env.MT_POOL ?? 2);
const root = path.join(import.meta.dirname, '..');

const code = (i: number) => {
  const prefix = `98${String(100 + i).padStart(3, '0')}`;
  return prefix + String(localGovernmentCheckDigit(prefix));
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(address: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`app process exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${address}/api/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${address} did not become ready`);
}

/** Resident memory of a process now, in MB (Linux). */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** CPU time a process has used so far, user and system, in ms (Linux: /proc/pid/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The PostgreSQL cluster's processes now: its postmaster and every process it started. */
function clusterPids(dataDir: string): number[] {
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = fs.readdirSync('/proc').flatMap((d) => {
    if (!/^\d+$/.test(d)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster ? [Number(d)] : [];
    } catch {
      return [];
    }
  });
  return [postmaster, ...children];
}

/**
 * CPU used during the rush by the app processes and by the database, per request: what a request costs the
 * machine, which stays comparable between runs where the machine's other load makes the latencies differ.
 */
function cpuMeter(apps: ChildProcess[], dataDir: string) {
  const before = new Map<number, number>();
  const take = () => {
    const pids = [...apps.map((a) => a.pid!), ...clusterPids(dataDir)];
    return new Map(pids.map((pid) => [pid, cpuMs(pid)]));
  };
  for (const [pid, ms] of take()) before.set(pid, ms);
  return (requests: number) => {
    const after = take();
    const used = (pids: number[]) => pids.reduce((sum, pid) => sum + (after.get(pid) ?? 0) - (before.get(pid) ?? 0), 0);
    const appPids = apps.map((a) => a.pid!);
    const app = used(appPids);
    const db = used([...after.keys()].filter((pid) => !appPids.includes(pid)));
    return {
      requests,
      app_ms: app,
      database_ms: db,
      per_request_ms: { app: Number((app / requests).toFixed(2)), database: Number((db / requests).toFixed(2)) },
    };
  };
}

function runWorker<T>(data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./load-worker-entry.mjs', import.meta.url), { workerData: data });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

type Rush = {
  autosave: { requests: number; p50_ms: number; p99_ms: number; conflicts: number; errors: number };
  saves: { recordId: number; version: number; token: string }[];
  sheet: { requests: number; p50_ms: number; p99_ms: number; rps: number; errors: number };
  foreign: { attempts: number; returned: number; errors: number };
  full_load: {
    from_s: number;
    autosave: { requests: number; p50_ms: number | null; p99_ms: number | null };
    sheet: { requests: number; p50_ms: number | null; p99_ms: number | null };
  };
  timeline: {
    from_s: number;
    autosaves: number;
    autosave_p99_ms: number | null;
    sheets: number;
    sheet_p99_ms: number | null;
  }[];
  generator_busy: number;
};

/** The same database through the cluster's Unix socket (in its folder) rather than TCP on 127.0.0.1. */
function socketUrl(url: string, socketDir: string): string {
  const u = new URL(url);
  return `postgres://${u.username}@/${u.pathname.slice(1)}?host=${encodeURIComponent(socketDir)}&port=${u.port}`;
}

/** Starts the app on the database as a process of its own. */
function startApp(databaseUrl: string, port: number, dataDir: string): ChildProcess {
  // MT_PROFILE_DIR: each app process writes a CPU profile there when it stops.
  const profile = process.env.MT_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.MT_PROFILE_DIR] : [];
  return spawn(process.execPath, [...profile, path.join(root, 'dist/server/main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      DATA_DIR: dataDir,
      SAMPLE_DATA: 'off',
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT: '100000',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-multi-'));
  // The cluster's own user (postgres, where the bench runs as root) reaches its folder through this one.
  fs.chmodSync(dir, 0o755);
  const pgPort = await freePort();
  const stats = process.env.MT_PG_STATS
    ? '-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on'
    : '';
  const url = execFileSync(
    'bash',
    [path.join(root, 'scripts/pg-throwaway.sh'), 'start', path.join(dir, 'pg'), String(pgPort)],
    { encoding: 'utf8', env: { ...process.env, PG_THROWAWAY_OPTS: stats } },
  ).trim();
  const apps: ChildProcess[] = [];
  try {
    return await measure(dir, url, apps);
  } finally {
    // Stopped as a load balancer drains them, each waited for (a profile is written on the way out).
    await Promise.all(
      apps.map(
        (a) =>
          new Promise<void>((resolve) =>
            a.exitCode !== null ? resolve() : (a.once('exit', () => resolve()), a.kill('SIGTERM')),
          ),
      ),
    );
    execFileSync('bash', [path.join(root, 'scripts/pg-throwaway.sh'), 'stop', path.join(dir, 'pg')]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(dir: string, url: string, apps: ChildProcess[]): Promise<Record<string, unknown>> {
  const handle = await openDatabase({ databaseUrl: url, poolSize: 4 });
  await migrateToLatest(handle);
  if (process.env.MT_PG_STATS)
    await handle.owner.executeQuery(CompiledQuery.raw('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
  const hash = await hashPassword(BENCH_PASSWORD);
  const adminId = await insertBenchAdmin(handle.owner, hash);
  const config = loadConfig({ SAMPLE_DATA: 'off', LOG_LEVEL: 'silent', DATA_DIR: dir });
  // Loading goes as the owner, without a tenant scope, as the CLI and the bootstrap write.
  const ctx = { db: handle.owner, dialect: 'postgres' as const, config };
  const loadStarted = performance.now();
  const loaded: LoadedMunicipality[] = [];
  for (let i = 1; i <= MUNICIPALITIES; i++) {
    loaded.push(
      await loadLargeMunicipality(ctx, benchAdmin(adminId), hash, {
        ...{ projects: 300, departments: 60, years: YEARS },
        ...{ code: code(i), name: `ベンチ市${i}`, loginPrefix: `m${i}-` },
      }),
    );
    if (i % 10 === 0)
      process.stderr.write(`${i} municipalities loaded (${Math.round((performance.now() - loadStarted) / 1000)} s)\n`);
  }
  const loadSeconds = Math.round((performance.now() - loadStarted) / 1000);
  await handle.owner.executeQuery(CompiledQuery.raw('VACUUM ANALYZE'));
  const size = await handle.owner.executeQuery<{ bytes: string }>(
    CompiledQuery.raw('SELECT pg_database_size(current_database()) AS bytes'),
  );
  const counts = await handle.owner
    .selectFrom('records')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();

  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'ignore' });
  const addresses: string[] = [];
  for (let k = 0; k < PROCESSES; k++) {
    const port = await freePort();
    const app = startApp(
      process.env.MT_SOCKET ? socketUrl(url, path.join(dir, 'pg')) : url,
      port,
      path.join(dir, `app${k}`),
    );
    apps.push(app);
    addresses.push(`http://127.0.0.1:${port}`);
    await waitReady(addresses[k]!, app);
  }

  const clients = await rushClients(handle.owner, loaded, addresses);
  const memory = apps.map(() => 0);
  const meter = cpuMeter(apps, path.join(dir, 'pg', 'data'));
  if (process.env.MT_PG_STATS) await handle.owner.executeQuery(CompiledQuery.raw('SELECT pg_stat_statements_reset()'));
  const sampler = setInterval(() => apps.forEach((a, k) => (memory[k] = Math.max(memory[k]!, rssMb(a.pid!)))), 250);
  const rush = await runWorker<Rush>({
    kind: 'rush',
    address: addresses[0],
    mid: 0,
    clients,
    seconds: SECONDS,
    intervalMs: 1000,
    sheetEveryMs: 20_000,
    foreignEveryMs: 10_000,
    arrivalMs: ARRIVAL_SECONDS * 1000,
  });
  clearInterval(sampler);
  // Backends that ended during the rush are not counted (the pools keep theirs open).
  const cpu = meter(rush.autosave.requests + rush.sheet.requests + rush.foreign.attempts);
  const lost = await lostUpdates(handle.owner, rush.saves);
  if (process.env.MT_PG_STATS) await writeStatementStats(handle.owner, process.env.MT_PG_STATS);
  await handle.close();

  return {
    processes: PROCESSES,
    municipalities: MUNICIPALITIES,
    clients: CLIENTS,
    cores: os.cpus().length,
    note: `${CLIENTS} clients in ${ACTIVE} municipalities (${DEPARTMENTS_PER_ACTIVE} departments each), arriving over ${ARRIVAL_SECONDS} s (each opens its sheet, cold, when it arrives), then ${SECONDS} s with all of them in; requests to the ${PROCESSES} processes in turn; every request of the ${ARRIVAL_SECONDS + SECONDS} s counted (full_load: those started after the last arrival); PostgreSQL, both processes and the load generator share the machine's ${os.cpus().length} cores; the throw-away cluster runs with fsync off, as the tests' does`,
    arrival_s: ARRIVAL_SECONDS,
    autosave: {
      p50_ms: rush.autosave.p50_ms,
      p99_ms: rush.autosave.p99_ms,
      errors: rush.autosave.errors,
      lost_updates: lost,
      requests: rush.autosave.requests,
      accepted: rush.saves.length,
      conflicts: rush.autosave.conflicts,
    },
    sheet: { p50_ms: rush.sheet.p50_ms, p99_ms: rush.sheet.p99_ms, rps: rush.sheet.rps, errors: rush.sheet.errors },
    full_load: rush.full_load,
    timeline: rush.timeline,
    cross_tenant_reads: rush.foreign.returned,
    cross_tenant_attempts: rush.foreign.attempts,
    cross_tenant_errors: rush.foreign.errors,
    cpu,
    /** the share of the rush the load generator's thread was busy, of one of the machine's cores */
    generator_busy: rush.generator_busy,
    rss_mb_per_process: Math.round(Math.max(...memory)),
    rss_mb: memory.map((m) => Math.round(m)),
    setup: {
      projects_per_municipality: 300,
      departments_per_municipality: 60,
      years: YEARS,
      records: Number(counts.n),
      database_mb: Math.round(Number(size.rows[0]!.bytes) / 1024 / 1024),
      load_seconds: loadSeconds,
      pool_size_per_process: POOL_SIZE,
      /** sheets each process builds at once (SHEET_BUILDS; by default half the pool) */
      sheet_builds_per_process: Number(process.env.SHEET_BUILDS ?? Math.max(1, Math.floor(POOL_SIZE / 2))),
    },
    node: process.version,
    at: new Date().toISOString(),
  };
}

/** The statements that took the database's time since the rush began, planning and running, to a file. */
async function writeStatementStats(db: Parameters<typeof lostUpdates>[0], file: string): Promise<void> {
  const top = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(
      `SELECT calls, round(total_exec_time::numeric, 1) AS exec_ms, round(total_plan_time::numeric, 1) AS plan_ms,
         rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 300) AS query
       FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 60`,
    ),
  );
  fs.writeFileSync(file, JSON.stringify(top.rows, null, 1));
}

/**
 * The rush's clients: four departments in each active municipality, each client signed in (on the
 * processes in turn) as its department's editor, with its department's answers of the open year, its
 * sheet, and a record of another municipality to try — half of them under its own municipality's
 * address (a forgotten filter would show it), half under the other's (the authorization must refuse).
 */
async function rushClients(db: Parameters<typeof lostUpdates>[0], loaded: LoadedMunicipality[], addresses: string[]) {
  const current = YEARS.at(-1)!;
  const clients = [];
  for (let c = 0; c < CLIENTS; c++) {
    const m = loaded[c % ACTIVE]!;
    const editor = m.editors[Math.floor(c / ACTIVE) * Math.floor(m.editors.length / DEPARTMENTS_PER_ACTIVE)]!;
    const other = loaded[(c % ACTIVE) + (MUNICIPALITIES > ACTIVE ? ACTIVE : 1)] ?? loaded[0]!;
    const [records, foreign] = await Promise.all([
      db
        .selectFrom('records')
        .select(['id', 'version'])
        .where('plan_id', '=', m.planId)
        .where('fiscal_year', '=', current)
        .where('department_id', '=', editor.departmentId)
        .execute(),
      db
        .selectFrom('records')
        .select('id')
        .where('plan_id', '=', other.planId)
        .where('fiscal_year', '=', current)
        .executeTakeFirstOrThrow(),
    ]);
    const session = await login(addresses[c % addresses.length]!, editor.loginName);
    clients.push({
      ...session,
      records,
      addresses,
      mid: m.mid,
      sheetPath: `/api/m/${m.mid}/rounds/${m.roundId}/departments/${editor.departmentId}/sheet`,
      foreignPath: `/api/m/${c % 2 === 0 ? m.mid : other.mid}/records/${foreign.id}/history`,
    });
  }
  return clients;
}
