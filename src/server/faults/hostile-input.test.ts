import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Client, type Harness } from '../testing/harness.js';
import { cycleFixture, openRound, type CycleFixture } from '../testing/cycle-fixtures.js';
import { hostileWorkbook } from './hostile-files.js';

/**
 * Hostile input costs the attacker, never the other users: the files, pastes and patterns that
 * used to stall or crash the whole server, sent over real HTTP while another client keeps asking
 * whether the server is alive. The parsing work runs in worker threads, so this suite needs one
 * database only (it runs on SQLite).
 */
describe.skipIf(process.env.TEST_DB === 'postgres')('hostile input against a running server', () => {
  let h: Harness;
  let f: CycleFixture;
  let base: string;
  let roundId: number;
  let hostile: string;

  beforeAll(async () => {
    h = await createHarness({ IMPORT_TIMEOUT_SECONDS: '3', IMPORT_WORKERS: '2' });
    f = await cycleFixture(h);
    roundId = await openRound(f, 2025);
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    hostile = hostileWorkbook().toString('base64');
  });
  afterAll(() => h.close());

  const post = (c: Client, path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: c.httpHeaders(), body: JSON.stringify(body) });

  /** Polls /api/health every 50 ms while `work` runs; the slowest answer and the peak RSS growth. */
  async function whileServing<T>(
    work: () => Promise<T>,
  ): Promise<{ result: T; slowestHealthMs: number; polls: number; rssGrowthMb: number }> {
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    let slowest = 0;
    let polls = 0;
    let done = false;
    const poller = (async () => {
      while (!done) {
        const t = performance.now();
        const res = await fetch(`${base}/api/health`);
        expect(res.status).toBe(200);
        slowest = Math.max(slowest, performance.now() - t);
        polls++;
        peak = Math.max(peak, process.memoryUsage().rss);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const result = await work();
    done = true;
    await poller;
    return { result, slowestHealthMs: slowest, polls, rssGrowthMb: (peak - rss0) / 1024 / 1024 };
  }

  it('refuses five copies of a 0.7 MB workbook of 3,000,000 rows sent at once, while health answers within a second', async () => {
    expect(Buffer.from(hostile, 'base64').length).toBeLessThan(1024 * 1024);
    const { result, slowestHealthMs, polls, rssGrowthMb } = await whileServing(() =>
      Promise.all([
        ...[0, 1, 2].map(() =>
          post(f.editorA, `/api/m/${f.mid}/rounds/${roundId}/departments/${f.deptA}/workbook`, { base64: hostile }),
        ),
        ...[0, 1].map(() =>
          post(f.coord, `/api/m/${f.mid}/imports/source`, {
            source: { kind: 'file', name: '回答.xlsx', base64: hostile },
          }),
        ),
      ]),
    );
    for (const res of result) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain('行数が多すぎます（上限 20000行）');
    }
    expect(polls).toBeGreaterThan(0);
    expect(slowestHealthMs).toBeLessThan(1000);
    // Measured here: a few MB. The bound leaves room for two workers starting up.
    expect(rssGrowthMb).toBeLessThan(300);
    process.stdout.write(
      `hostile workbook ×5: slowest health ${slowestHealthMs.toFixed(0)} ms over ${polls} polls, RSS growth ${rssGrowthMb.toFixed(0)} MB\n`,
    );
  });

  const mapping = (extra: Record<string, unknown>) => ({
    name: 'テスト',
    headerWords: ['番号', '事業名'],
    levels: [],
    columns: { projectNumber: 0, projectName: 1 },
    ...extra,
  });

  it('refuses a mapping pattern with a repetition inside a repetition, naming the field', async () => {
    const res = await post(f.coord, `/api/m/${f.mid}/imports/preview`, {
      source: { kind: 'paste', text: '番号\t事業名\n1\t講座\n' },
      mapping: mapping({ sections: [{ level: 0, pattern: '^(a+)+$' }] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; details: { field: string; message: string }[] };
    expect(body.details[0]).toMatchObject({
      field: 'mapping.sections.0.pattern',
      message: expect.stringContaining('繰り返しの中に繰り返し'),
    });
  });

  it('cuts a pattern that runs away within the time limit, while health answers, and serves the next preview', async () => {
    const runaway = mapping({ ignore: ['^(?:a|a)*b$'] });
    // A line of one cell: every filled cell is tested against the ignore pattern.
    const text = `番号\t事業名\n\t${'a'.repeat(34)}!\n`;
    const t = performance.now();
    const { result, slowestHealthMs } = await whileServing(() =>
      post(f.coord, `/api/m/${f.mid}/imports/preview`, { source: { kind: 'paste', text }, mapping: runaway }),
    );
    const elapsed = performance.now() - t;
    expect(result.status).toBe(400);
    expect(((await result.json()) as { message: string }).message).toContain('3秒以上かかるため中止しました');
    expect(elapsed).toBeLessThan(8000);
    expect(slowestHealthMs).toBeLessThan(1000);
    const next = await post(f.coord, `/api/m/${f.mid}/imports/preview`, {
      source: { kind: 'paste', text: '番号\t事業名\n1\t講座\n' },
      mapping: mapping({}),
    });
    expect(next.status).toBe(200);
    expect(((await next.json()) as { rows: unknown[] }).rows).toHaveLength(1);
  });

  it('refuses a pasted table of 300,000 rows', async () => {
    const text = `番号\t事業名\n${'1\t講座\n'.repeat(300_000)}`;
    const res = await post(f.coord, `/api/m/${f.mid}/imports/preview`, {
      source: { kind: 'paste', text },
      mapping: mapping({}),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('行数が多すぎます（上限 20000行）');
  });
});
