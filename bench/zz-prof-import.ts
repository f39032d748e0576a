import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import * as B from './import-10k.js';
export async function run() {
  const s = new Session(); s.connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prof-import-'));
  const file = path.join(dir, 'x.xlsx');
  await (B as any).writeFile(file);
  const buf = fs.readFileSync(file);
  await (B as any).commit(buf, dir, 0);
  await s.post('Profiler.enable');
  await s.post('Profiler.setSamplingInterval', { interval: 200 });
  await s.post('Profiler.start');
  const c = await (B as any).commit(buf, dir, 1);
  const { profile } = await s.post('Profiler.stop');
  fs.mkdirSync('/tmp/impprof', { recursive: true });
  fs.writeFileSync('/tmp/impprof/c.cpuprofile', JSON.stringify(profile));
  (globalThis as any).__laps = {};
  const t = performance.now();
  const c2 = await (B as any).commit(buf, dir, 2);
  return { laps: (globalThis as any).__laps, profiled_ms: c.ms, plain_ms: c2.ms, t: performance.now() - t };
}
export async function run2() {}
