// Load generator, run in a worker thread so that it does not share the server's event loop.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { percentile } from './lib.js';
import type { IndicatorDto, RecordDto, Sheet } from '../src/domain/api-types.js';
import { actualDraftsOf } from '../src/web/features/sheet/actual-draft.js';

/** An answer as the client holds it: its version, and from its sheet what the sheet sends with every save. */
interface BenchRecord {
  id: number;
  version: number;
  /** each of the answer's indicator lines and its entries, as the sheet read them (sent back unchanged) */
  sent?: { sameAsDepartmentId: number | null; custom: RecordDto['custom']; actuals: unknown[]; entries: unknown[] };
  indicators?: IndicatorDto[];
}

/** What the sheet sends with a save besides the texts: every line and entry of the answer as it holds them. */
function sentWithSave(record: RecordDto, indicators: IndicatorDto[]): BenchRecord['sent'] {
  return {
    sameAsDepartmentId: record.sameAsDepartmentId,
    custom: record.custom,
    actuals: actualDraftsOf(indicators, record.actuals),
    entries: record.entries,
  };
}

interface AutosaveClient {
  cookie: string;
  csrf: string;
  records: BenchRecord[];
  /** the client's own department's sheet (the rush loads it on open and every ≈20 s) */
  sheetUrl?: string;
  /** several app processes: the client's requests go to each in turn, as behind a load balancer */
  addresses?: string[];
  /** with `addresses`: the client's municipality, and its sheet's path */
  mid?: number;
  sheetPath?: string;
  /** a record of another municipality the client tries to read now and then (it must never get it) */
  foreignPath?: string;
  /** requests sent so far, for the turn of the processes */
  sent?: number;
}

/** Where the client's next request goes: the next app process in turn, or the one address of the job. */
function target(job: { address: string; mid: number }, client: AutosaveClient): { address: string; mid: number } {
  if (!client.addresses?.length) return job;
  const address = client.addresses[(client.sent = (client.sent ?? 0) + 1) % client.addresses.length]!;
  return { address, mid: client.mid ?? job.mid };
}

type Job =
  | { kind: 'autosave'; address: string; mid: number; clients: AutosaveClient[]; seconds: number; intervalMs: number }
  | { kind: 'closed'; url: string; headers: Record<string, string>; concurrency: number; seconds: number }
  | {
      kind: 'rush';
      address: string;
      mid: number;
      clients: AutosaveClient[];
      seconds: number;
      intervalMs: number;
      sheetEveryMs: number;
      /** how often each client with a `foreignPath` tries it */
      foreignEveryMs?: number;
      /**
       * Clients arrive — open their sheet for the first time — at random moments over this time (one
       * autosave interval unless told), and the rush goes on for `seconds` after it with everyone in.
       */
      arrivalMs?: number;
    };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The generator's requests: node:http on kept-alive connections, as lean as a client can be, so that the
 * generator (which shares the machine's cores with the server) takes as little of them as it can: over the
 * same rush `fetch` kept the generator's thread busy 19–20% of the time, node:http 11–12%. The server sends the
 * API's bodies uncompressed to any client, so both read the same bytes.
 */
const agent = new http.Agent({ keepAlive: true });

interface Answer {
  status: number;
  body: Buffer;
}

function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const headers =
      init.body === undefined
        ? init.headers
        : { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) };
    const req = http.request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const json = <T>(a: Answer): T => JSON.parse(a.body.toString('utf8')) as T;
const ok = (a: Answer) => a.status >= 200 && a.status < 300;

/** One autosave of a record at the version the client holds; the outcome counted. */
async function saveOnce(
  job: { address: string; mid: number },
  client: AutosaveClient,
  token: string,
  out: { latencies: number[]; saves: { recordId: number; version: number; token: string }[]; counts: Counts },
  record = client.records[Math.floor(Math.random() * client.records.length)]!,
) {
  const t = performance.now();
  const to = target(job, client);
  try {
    const res = await send(`${to.address}/api/m/${to.mid}/records/${record.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: client.cookie, 'x-csrf-token': client.csrf },
      // The body the sheet sends: the texts, and every line and entry of the answer as the client holds them.
      body: JSON.stringify({
        version: record.version,
        planText: '事業予定の入力',
        resultText: token,
        remarks: '',
        nextYearPlan: '',
        ...record.sent,
      }),
    });
    const body = json<{ record?: RecordDto; current?: RecordDto }>(res);
    out.latencies.push(performance.now() - t);
    if (res.status === 200) {
      record.version = body.record!.version;
      if (record.sent) record.sent = sentWithSave(body.record!, record.indicators ?? []);
      out.saves.push({ recordId: record.id, version: record.version, token });
    } else if (res.status === 409) {
      out.counts.conflicts++;
      // The conflict answer carries the current version, as the sheet shows it to the user.
      if (body.current?.version) record.version = body.current.version;
    } else {
      out.counts.errors++;
      if (res.status >= 500) out.counts.serverErrors++;
    }
  } catch {
    out.latencies.push(performance.now() - t);
    out.counts.errors++;
  }
}

interface Counts {
  conflicts: number;
  errors: number;
  serverErrors: number;
}

/** How many autosaves one answer takes while it is written: 10 to 40, about 10 to 40 s of typing. */
const savesPerAnswer = () => 10 + Math.floor(Math.random() * 31);

/**
 * What a deadline looks like: each client opens its own department's sheet, autosaves about every
 * second, and reads its sheet again about every 20 s (another tab, a reload after a break).
 */
async function rush(job: Extract<Job, { kind: 'rush' }>) {
  const saveOut = {
    latencies: [] as number[],
    saves: [] as { recordId: number; version: number; token: string }[],
    counts: { conflicts: 0, errors: 0, serverErrors: 0 },
  };
  const sheetLatencies: number[] = [];
  let sheetErrors = 0;
  const foreign = { attempts: 0, returned: 0, errors: 0 };
  const tryForeign = async (client: AutosaveClient) => {
    foreign.attempts++;
    try {
      const res = await send(`${target(job, client).address}${client.foreignPath}`, {
        headers: { cookie: client.cookie },
      });
      if (ok(res)) foreign.returned++;
      else if (res.status !== 403 && res.status !== 404) foreign.errors++;
    } catch {
      foreign.errors++;
    }
  };
  const loadSheet = async (client: AutosaveClient) => {
    const t = performance.now();
    const url = client.sheetPath ? `${target(job, client).address}${client.sheetPath}` : client.sheetUrl!;
    try {
      const res = await send(url, { headers: { cookie: client.cookie } });
      if (!ok(res)) {
        sheetErrors++;
      } else {
        // As the sheet holds them: what its saves send back with the texts.
        const sheet = json<Sheet>(res);
        const mine = new Map(client.records.map((r) => [r.id, r]));
        for (const item of sheet.items) {
          const r = mine.get(item.record.id);
          if (r) Object.assign(r, { indicators: item.indicators, sent: sentWithSave(item.record, item.indicators) });
        }
      }
    } catch {
      sheetErrors++;
    }
    sheetLatencies.push(performance.now() - t);
  };
  const start = performance.now();
  const busyBefore = performance.eventLoopUtilization();
  const arrival = job.arrivalMs ?? job.intervalMs;
  // A rush whose arrival is told lasts `seconds` after it; else `seconds` in all.
  const end = start + (job.arrivalMs ?? 0) + job.seconds * 1000;
  // When each request started and how long it took, for the run's timeline.
  const saveTimes: [number, number][] = [];
  const sheetTimes: [number, number][] = [];
  const timed = async (into: [number, number][], fn: () => Promise<void>) => {
    const t = performance.now();
    await fn();
    into.push([t - start, performance.now() - t]);
  };
  await Promise.all(
    job.clients.map(async (client, c) => {
      let seq = 0;
      await sleep(Math.random() * arrival);
      await timed(sheetTimes, () => loadSheet(client));
      let nextSheet = performance.now() + job.sheetEveryMs * (0.75 + Math.random() * 0.5);
      // A person writes one answer at a time: its autosaves follow each other while they type its texts,
      // then they go on to another of their department's answers.
      let answer = client.records[Math.floor(Math.random() * client.records.length)]!;
      let savesLeft = savesPerAnswer();
      const foreignEvery = job.foreignEveryMs ?? 10_000;
      let nextForeign = performance.now() + Math.random() * foreignEvery;
      while (performance.now() < end) {
        if (client.foreignPath && performance.now() >= nextForeign) {
          await tryForeign(client);
          nextForeign += foreignEvery;
        }
        if (savesLeft-- <= 0) {
          answer = client.records[Math.floor(Math.random() * client.records.length)]!;
          savesLeft = savesPerAnswer();
        }
        await timed(saveTimes, () => saveOnce(job, client, `client${c}-rush${++seq}`, saveOut, answer));
        if (performance.now() >= nextSheet) {
          await timed(sheetTimes, () => loadSheet(client));
          nextSheet = performance.now() + job.sheetEveryMs * (0.75 + Math.random() * 0.5);
        }
        await sleep(job.intervalMs * (0.75 + Math.random() * 0.5));
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  saveOut.latencies.sort((a, b) => a - b);
  sheetLatencies.sort((a, b) => a - b);
  return {
    autosave: {
      requests: saveOut.latencies.length,
      p50_ms: Number(percentile(saveOut.latencies, 50).toFixed(2)),
      p99_ms: Number(percentile(saveOut.latencies, 99).toFixed(2)),
      conflicts: saveOut.counts.conflicts,
      errors: saveOut.counts.errors,
      server_errors: saveOut.counts.serverErrors,
    },
    saves: saveOut.saves,
    sheet: {
      requests: sheetLatencies.length,
      p50_ms: Number(percentile(sheetLatencies, 50).toFixed(2)),
      p99_ms: Number(percentile(sheetLatencies, 99).toFixed(2)),
      rps: Number((sheetLatencies.length / elapsed).toFixed(2)),
      errors: sheetErrors,
    },
    foreign,
    full_load: fullLoad(saveTimes, sheetTimes, arrival),
    /** the share of the rush the generator's own thread was busy (of one core) */
    generator_busy: Number(performance.eventLoopUtilization(busyBefore).utilization.toFixed(3)),
    timeline: timeline(saveTimes, sheetTimes, (job.arrivalMs ?? 0) / 1000 + job.seconds),
  };
}

/** The requests started once every client had arrived: the rush at its full weight. */
function fullLoad(saves: [number, number][], sheets: [number, number][], arrivalMs: number) {
  const after = (list: [number, number][]) =>
    list
      .filter(([t]) => t >= arrivalMs)
      .map(([, ms]) => ms)
      .sort((a, b) => a - b);
  const summary = (ms: number[]) => ({
    requests: ms.length,
    p50_ms: ms.length ? Number(percentile(ms, 50).toFixed(2)) : null,
    p99_ms: ms.length ? Number(percentile(ms, 99).toFixed(2)) : null,
  });
  return { from_s: arrivalMs / 1000, autosave: summary(after(saves)), sheet: summary(after(sheets)) };
}

/** The run in windows of 5 s: how many autosaves and sheet loads started in each, and their p99. */
function timeline(saves: [number, number][], sheets: [number, number][], seconds: number) {
  const WINDOW = 5;
  const inWindow = (list: [number, number][], from: number) =>
    list
      .filter(([t]) => t >= from * 1000 && t < (from + WINDOW) * 1000)
      .map(([, ms]) => ms)
      .sort((a, b) => a - b);
  return Array.from({ length: Math.ceil(seconds / WINDOW) }, (_, i) => {
    const from = i * WINDOW;
    const s = inWindow(saves, from);
    const h = inWindow(sheets, from);
    return {
      from_s: from,
      autosaves: s.length,
      autosave_p99_ms: s.length ? Number(percentile(s, 99).toFixed(1)) : null,
      sheets: h.length,
      sheet_p99_ms: h.length ? Number(percentile(h, 99).toFixed(1)) : null,
    };
  });
}

async function autosave(job: Extract<Job, { kind: 'autosave' }>) {
  const out = {
    latencies: [] as number[],
    saves: [] as { recordId: number; version: number; token: string }[],
    counts: { conflicts: 0, errors: 0, serverErrors: 0 },
  };
  const end = performance.now() + job.seconds * 1000;
  await Promise.all(
    job.clients.map(async (client, c) => {
      let seq = 0;
      // Spread the first saves over one interval, as people do not all type at the same instant.
      await sleep(Math.random() * job.intervalMs);
      while (performance.now() < end) {
        await saveOnce(job, client, `client${c}-save${++seq}`, out);
        await sleep(job.intervalMs * (0.75 + Math.random() * 0.5));
      }
    }),
  );
  out.latencies.sort((a, b) => a - b);
  return {
    requests: out.latencies.length,
    p50_ms: Number(percentile(out.latencies, 50).toFixed(2)),
    p99_ms: Number(percentile(out.latencies, 99).toFixed(2)),
    rps: Math.round(out.latencies.length / job.seconds),
    conflicts: out.counts.conflicts,
    errors: out.counts.errors,
    server_errors: out.counts.serverErrors,
    saves: out.saves,
  };
}

async function closed(job: Extract<Job, { kind: 'closed' }>) {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          const res = await send(job.url, { headers: job.headers });
          if (!ok(res)) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: Math.round(latencies.length / elapsed),
    p50_ms: Number(percentile(latencies, 50).toFixed(2)),
    p99_ms: Number(percentile(latencies, 99).toFixed(2)),
    errors,
  };
}

const job = workerData as Job;
const result =
  job.kind === 'autosave' ? await autosave(job) : job.kind === 'rush' ? await rush(job) : await closed(job);
parentPort!.postMessage(result);
