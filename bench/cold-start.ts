/**
 * Cold start: from spawning the process to the first 200 from /api/health/ready, on a database that
 * is already migrated (a restart). The built server (node dist/server/main.js), `npm start`'s way
 * to it (node scripts/start.mjs: the check that dist/ is current, then the same server), and the
 * old way (tsx src/server/main.ts, compiling TypeScript at start), taking turns in the same run.
 * Wall time and the CPU time the process tree used until it answered (less sensitive to a busy
 * machine). dist/ is built from the sources first.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { percentile } from './lib.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const TARGET_MS = 1000;
const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

const WAYS: Record<string, string[]> = {
  built: [process.execPath, 'dist/server/main.js'],
  npm_start: [process.execPath, 'scripts/start.mjs'],
  tsx: [tsx, 'src/server/main.ts'],
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** CPU milliseconds (user + system) used so far by a process and its descendants (Linux /proc). */
function treeCpuMs(pid: number): number | null {
  const hz = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  if (!stats.has(pid)) return null;
  let ticks = 0;
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    ticks += stats.get(p)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === p) todo.push(child);
  }
  return (ticks * 1000) / hz;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** One start: spawn, poll readiness every 5 ms, note wall and CPU time, stop it. */
async function startOnce(command: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; cpuMs: number | null }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}`);
      if (performance.now() - started > 30_000) throw new Error(`${command.join(' ')} did not answer in 30 s`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await sleep(5);
    }
    const wallMs = performance.now() - started;
    return { wallMs, cpuMs: treeCpuMs(child.pid!) };
  } finally {
    await stop(child);
  }
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n);
  return {
    median_ms: round(percentile(sorted, 50)),
    min_ms: round(sorted[0] ?? 0),
    max_ms: round(sorted[sorted.length - 1] ?? 0),
    samples_ms: samples.map(round),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shinchoku-cold-start-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    SAMPLE_DATA: 'off',
    INITIAL_ADMIN_PASSWORD: 'cold-start-owner-pw-58',
    LOG_LEVEL: 'warn',
  };
  try {
    // The first start migrates the empty database and creates the administrator: not measured.
    await startOnce(WAYS.built!, env);
    const wall: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    for (let i = 0; i < ROUNDS; i++) {
      for (const [way, command] of Object.entries(WAYS)) {
        const r = await startOnce(command, env);
        (wall[way] ??= []).push(r.wallMs);
        if (r.cpuMs !== null) (cpu[way] ??= []).push(r.cpuMs);
      }
    }
    const result: Record<string, unknown> = { rounds: ROUNDS, database: 'sqlite (migrated)' };
    for (const way of Object.keys(WAYS))
      result[way] = { wall: summary(wall[way] ?? []), cpu: cpu[way] ? summary(cpu[way]) : null };
    const median = (way: string) =>
      percentile(
        [...(wall[way] ?? [])].sort((a, b) => a - b),
        50,
      );
    result.built_vs_tsx = Number((median('built') / median('tsx')).toFixed(2));
    result.built_within_target = median('built') <= TARGET_MS;
    result.target_ms = TARGET_MS;
    result.cpus = os.cpus().length;
    result.loadavg_1m = Number(os.loadavg()[0]!.toFixed(2));
    result.node = process.version;
    result.at = new Date().toISOString();
    return result;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
