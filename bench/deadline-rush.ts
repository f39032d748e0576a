/**
 * A deadline rush on a large plan: 1,000 projects, 60 departments, three fiscal years of records.
 * 100 clients autosave their department's records for 10 s over loopback while the server keeps
 * every version check; then department sheets are loaded as fast as they come, next to a bare
 * Fastify route answering a body of a sheet's size, measured in the same run by the same load
 * generator; then the deadline as it is (`mixed`): each client arrives at a moment of the first 20 s (the
 * period of the sheet's reloads, as in the multi-tenant bench) and opens its own department's sheet, then
 * autosaves about every second, one answer at a time, and reads its sheet again about every 20 s, for 30 s
 * after the last arrival, with the sheet cache's hit ratio over that phase and the share of lines a rebuilt
 * sheet took from its earlier build; last (`opening`), everyone opening their sheet in the same second
 * after a change to the plan, measured apart.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { largeMunicipality, login, lostUpdates } from './fixtures.js';

const CLIENTS = 100;
const SECONDS = 10;
/** How often one person's sheet autosaves while they type. The sheet waits 1.2 s after a keystroke. */
const AUTOSAVE_INTERVAL_MS = 1000;
const CLOSED_CONCURRENCY = 16;
const CLOSED_SECONDS = 5;
/** The rush after the last arrival: long enough for every client to read its sheet again at least once. */
const RUSH_SECONDS = 30;
const SHEET_EVERY_MS = 20_000;
/**
 * Clients arrive (open their sheet) over the period of the sheet's reloads, as in the multi-tenant bench: people
 * do not all open their sheet in the same second, and the opening loads come at the rate the reloads keep up.
 */
const ARRIVAL_SECONDS = 20;
/** Everyone opening in the same second after a change to the plan, measured apart from the rush. */
const OPENING_SECONDS = 5;

type Rush = {
  autosave: { requests: number; p50_ms: number; p99_ms: number; conflicts: number; errors: number };
  saves: { recordId: number; version: number; token: string }[];
  sheet: { requests: number; p50_ms: number; p99_ms: number; rps: number; errors: number };
  timeline: unknown[];
  full_load: unknown;
  generator_busy: number;
};

function runWorker<T>(data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./load-worker-entry.mjs', import.meta.url), { workerData: data });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const started = performance.now();
  const env = await largeMunicipality({ projects: 1000, departments: 60, years: [2023, 2024, 2025] });
  const setupSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
  const { db } = env.handle;
  const totals = await db
    .selectFrom('records')
    .select(['fiscal_year', (eb) => eb.fn.countAll().as('n')])
    .groupBy('fiscal_year')
    .execute();

  const sessions: { cookie: string; csrf: string; departmentId: number }[] = [];
  for (const e of env.editors)
    sessions.push({ ...(await login(env.address, e.loginName)), departmentId: e.departmentId });
  const current = await db
    .selectFrom('records')
    .select(['id', 'version', 'department_id'])
    .where('fiscal_year', '=', 2025)
    .execute();
  const clients = Array.from({ length: CLIENTS }, (_, i) => {
    const s = sessions[i % sessions.length]!;
    return {
      cookie: s.cookie,
      csrf: s.csrf,
      records: current.filter((r) => r.department_id === s.departmentId).map((r) => ({ id: r.id, version: r.version })),
      sheetUrl: `${env.address}/api/m/${env.mid}/rounds/${env.roundId}/departments/${s.departmentId}/sheet`,
    };
  });

  type Autosave = {
    requests: number;
    p50_ms: number;
    p99_ms: number;
    rps: number;
    conflicts: number;
    errors: number;
    server_errors: number;
    saves: { recordId: number; version: number; token: string }[];
  };
  const autosave = await runWorker<Autosave>({
    kind: 'autosave',
    address: env.address,
    mid: env.mid,
    clients,
    seconds: SECONDS,
    intervalMs: AUTOSAVE_INTERVAL_MS,
  });

  const lost = await lostUpdates(db, autosave.saves);

  const s = sessions[0]!;
  const sheetUrl = `${env.address}/api/m/${env.mid}/rounds/${env.roundId}/departments/${s.departmentId}/sheet`;
  const sheetBytes = (await (await fetch(sheetUrl, { headers: { cookie: s.cookie } })).arrayBuffer()).byteLength;
  // The bare baseline answers a body of a sheet's size, so that the ratio measures the work, not the bytes.
  const bareBody = JSON.stringify({ pad: 'あ'.repeat(Math.max(0, Math.floor((sheetBytes - 12) / 3))) });
  const bare = Fastify({ logger: false });
  bare.get('/hello', async (_req, reply) => reply.type('application/json').send(bareBody));
  const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });
  await runWorker({
    kind: 'closed',
    url: sheetUrl,
    headers: { cookie: s.cookie },
    concurrency: CLOSED_CONCURRENCY,
    seconds: 1,
  });
  type Closed = { requests: number; rps: number; p50_ms: number; p99_ms: number; errors: number };
  const sheet = await runWorker<Closed>({
    kind: 'closed',
    url: sheetUrl,
    headers: { cookie: s.cookie },
    concurrency: CLOSED_CONCURRENCY,
    seconds: CLOSED_SECONDS,
  });
  const bareRun = await runWorker<Closed>({
    kind: 'closed',
    url: `${bareAddress}/hello`,
    headers: {},
    concurrency: CLOSED_CONCURRENCY,
    seconds: CLOSED_SECONDS,
  });
  // The deadline as it is: each client arrives at a moment of the first 20 s and opens its own department's
  // sheet, autosaves about every second and reads its sheet again about every 20 s; a save invalidates the
  // sheets of its own departments only.
  const holdCurrentVersions = async () => {
    const fresh = new Map(
      (await db.selectFrom('records').select(['id', 'version']).where('fiscal_year', '=', 2025).execute()).map((r) => [
        r.id,
        r.version,
      ]),
    );
    for (const c of clients) for (const r of c.records) r.version = fresh.get(r.id)!;
  };
  await holdCurrentVersions();
  const before = { ...env.sheetCache.stats };
  const rush = await runWorker<Rush>({
    kind: 'rush',
    address: env.address,
    mid: env.mid,
    clients,
    seconds: RUSH_SECONDS,
    arrivalMs: ARRIVAL_SECONDS * 1000,
    intervalMs: AUTOSAVE_INTERVAL_MS,
    sheetEveryMs: SHEET_EVERY_MS,
  });
  const hits = env.sheetCache.stats.hits - before.hits;
  const misses = env.sheetCache.stats.misses - before.misses;
  const shared = env.sheetCache.stats.shared - before.shared;
  const linesReused = env.sheetCache.stats.linesReused - before.linesReused;
  const linesBuilt = env.sheetCache.stats.linesBuilt - before.linesBuilt;
  const rushLost = await lostUpdates(db, rush.saves);
  // Everyone at once: the plan changed (every sheet is cold again) and all clients open their sheet within
  // one second, then autosave as in the rush for a few seconds.
  await db
    .updateTable('plans')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('id', '=', env.planId)
    .execute();
  await holdCurrentVersions();
  const opening = await runWorker<Rush>({
    kind: 'rush',
    address: env.address,
    mid: env.mid,
    clients,
    seconds: OPENING_SECONDS,
    arrivalMs: 1000,
    intervalMs: AUTOSAVE_INTERVAL_MS,
    sheetEveryMs: SHEET_EVERY_MS,
  });
  const openingLost = await lostUpdates(db, opening.saves);
  await bare.close();
  await env.close();

  return {
    autosave: {
      p50_ms: autosave.p50_ms,
      p99_ms: autosave.p99_ms,
      errors: autosave.errors,
      lost_updates: lost,
      server_errors: autosave.server_errors,
      requests: autosave.requests,
      accepted: autosave.saves.length,
      conflicts: autosave.conflicts,
      rps: autosave.rps,
    },
    sheet: { rps: sheet.rps, p50_ms: sheet.p50_ms, p99_ms: sheet.p99_ms, errors: sheet.errors, bytes: sheetBytes },
    bare: { rps: bareRun.rps, p50_ms: bareRun.p50_ms, p99_ms: bareRun.p99_ms, errors: bareRun.errors },
    sheet_vs_bare: Number((sheet.rps / bareRun.rps).toFixed(3)),
    mixed: {
      note: `${CLIENTS} clients in ${sessions.length} departments, arriving over ${ARRIVAL_SECONDS} s (each opens its own department's sheet when it arrives), then ${RUSH_SECONDS} s with all of them in: each autosaves about every ${AUTOSAVE_INTERVAL_MS / 1000} s (one answer at a time, 10 to 40 saves each, then another of its department's) and reads its sheet again about every ${SHEET_EVERY_MS / 1000} s; every request of the ${ARRIVAL_SECONDS + RUSH_SECONDS} s counted (full_load: those started after the last arrival); the load generator shares the machine's ${os.cpus().length} cores with the server`,
      arrival_s: ARRIVAL_SECONDS,
      autosave: {
        p50_ms: rush.autosave.p50_ms,
        p99_ms: rush.autosave.p99_ms,
        errors: rush.autosave.errors,
        lost_updates: rushLost,
        requests: rush.autosave.requests,
        accepted: rush.saves.length,
        conflicts: rush.autosave.conflicts,
      },
      sheet: {
        p50_ms: rush.sheet.p50_ms,
        p99_ms: rush.sheet.p99_ms,
        rps: rush.sheet.rps,
        requests: rush.sheet.requests,
        errors: rush.sheet.errors,
      },
      cache_hit_ratio: hits + misses ? Number((hits / (hits + misses)).toFixed(3)) : null,
      /** sheet requests that waited for a build another request had started, instead of building again */
      shared_builds: shared,
      // Of the lines of the sheets built again, those taken from the earlier build (their project unchanged).
      line_reuse_ratio: linesReused + linesBuilt ? Number((linesReused / (linesReused + linesBuilt)).toFixed(3)) : null,
      lines: { reused: linesReused, built: linesBuilt },
      /** the share of the rush the load generator's thread was busy, of one of the machine's cores */
      generator_busy: rush.generator_busy,
      full_load: rush.full_load,
      /** each 5 s of the rush: how many saves and sheet loads started, and their p99 */
      timeline: rush.timeline,
    },
    opening: {
      note: `after a change to the plan (every sheet cold), all ${CLIENTS} clients open their sheet within 1 s, then autosave as in the rush for ${OPENING_SECONDS} s`,
      autosave: {
        p50_ms: opening.autosave.p50_ms,
        p99_ms: opening.autosave.p99_ms,
        errors: opening.autosave.errors,
        lost_updates: openingLost,
        requests: opening.autosave.requests,
      },
      sheet: {
        p50_ms: opening.sheet.p50_ms,
        p99_ms: opening.sheet.p99_ms,
        requests: opening.sheet.requests,
        errors: opening.sheet.errors,
      },
      generator_busy: opening.generator_busy,
    },
    setup: {
      projects: 1000,
      departments: 60,
      records_per_year: Object.fromEntries(totals.map((t) => [t.fiscal_year, Number(t.n)])),
      clients: CLIENTS,
      seconds: SECONDS,
      autosave_interval_ms: AUTOSAVE_INTERVAL_MS,
      closed_loop_concurrency: CLOSED_CONCURRENCY,
      setup_seconds: setupSeconds,
      database: 'sqlite',
    },
    node: process.version,
    at: new Date().toISOString(),
  };
}
