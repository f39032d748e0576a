import { describe, expect, it } from 'vitest';
import { Limiter, SheetCache, type BuiltSheetJson, type SheetLine } from './sheet-cache.js';

const line = (projectId: number, revision: number, text: string): SheetLine => ({
  projectId,
  revision,
  json: JSON.stringify({ project: projectId, text }),
});
const built = (lines: SheetLine[], open = true): BuiltSheetJson => ({ head: '{"open":true}', open, lines });

describe('the sheet cache', () => {
  it('builds a sheet once for the requests that ask for it at the same moment, then serves it from memory', async () => {
    const cache = new SheetCache();
    let builds = 0;
    let finish: (sheet: BuiltSheetJson) => void = () => {};
    const build = () => {
      builds++;
      return new Promise<BuiltSheetJson>((resolve) => (finish = resolve));
    };
    const waiting = [1, 2, 3].map(() => cache.getOrBuild(7, 100, '3:5', build));
    finish(built([]));
    const empty = { json: '{"open":true,"items":[]}', open: true };
    expect(await Promise.all(waiting)).toEqual(Array(3).fill(empty));
    expect(builds).toBe(1);
    expect(cache.stats).toMatchObject({ hits: 0, misses: 3, shared: 2 });
    expect(await cache.getOrBuild(7, 100, '3:5', build)).toEqual(empty);
    expect(builds).toBe(1);
    // A newer revision is built again; another department's sheet is its own.
    const newer = cache.getOrBuild(7, 100, '3:6', build);
    finish(built([line(1, 0, 'a')]));
    expect((await newer).json).toBe('{"open":true,"items":[{"project":1,"text":"a"}]}');
    expect(builds).toBe(2);
  });

  it("gives a rebuild the earlier lines while the plan's revision stands, and none after it moved", async () => {
    const cache = new SheetCache();
    const given: (Map<number, SheetLine> | undefined)[] = [];
    const first = [line(1, 0, 'a'), line(2, 4, 'b'), line(3, 0, 'c')];
    await cache.getOrBuild(7, 100, '3:5', async (kept) => (given.push(kept), built(first)));
    expect(given[0]).toBeUndefined();
    // The department's revision moved (project 2 was saved): the lines come back as they were built.
    const second = await cache.getOrBuild(7, 100, '3:6', async (kept) => {
      given.push(kept);
      return built([kept!.get(1)!, line(2, 5, 'b2'), kept!.get(3)!]);
    });
    expect([...given[1]!.values()].map((l) => [l.projectId, l.revision, l.json])).toEqual(
      first.map((l) => [l.projectId, l.revision, l.json]),
    );
    expect(JSON.parse(second.json).items.map((i: { text: string }) => i.text)).toEqual(['a', 'b2', 'c']);
    expect(cache.stats).toMatchObject({ linesBuilt: 4, linesReused: 2 });
    // The plan's revision moved (a structure change): nothing is reused.
    await cache.getOrBuild(7, 100, '4:6', async (kept) => (given.push(kept), built(first)));
    expect(given[2]).toBeUndefined();
    // Another department's sheet never gets this one's lines.
    await cache.getOrBuild(7, 101, '4:6', async (kept) => (given.push(kept), built([])));
    expect(given[3]).toBeUndefined();
  });

  it('forgets a build that failed, so that the next request tries again', async () => {
    const cache = new SheetCache();
    await expect(cache.getOrBuild(1, 1, '1:1', () => Promise.reject(new Error('database busy')))).rejects.toThrow(
      'database busy',
    );
    expect(await cache.getOrBuild(1, 1, '1:1', async () => built([], false))).toEqual({
      json: '{"open":true,"items":[]}',
      open: false,
    });
  });
});

describe('builds taking turns', () => {
  it('runs at most the limit at once, the others in the order they came, and a failed one hands its turn on', async () => {
    const limit = new Limiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const finishers: (() => void)[] = [];
    const task = (i: number) => () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      return new Promise<number>((resolve, reject) => {
        finishers[i] = () => {
          running--;
          if (i === 1) reject(new Error('失敗'));
          else resolve(i);
        };
      });
    };
    const results = [0, 1, 2, 3, 4].map((i) => limit.run(task(i)).catch((e: Error) => e.message));
    expect(started).toEqual([0, 1]);
    expect(limit.full).toBe(true);
    finishers[1]!();
    await expect(results[1]).resolves.toBe('失敗');
    expect(started).toEqual([0, 1, 2]);
    finishers[0]!();
    await results[0];
    expect(started).toEqual([0, 1, 2, 3]);
    for (const i of [2, 3]) finishers[i]!();
    await Promise.all([results[2], results[3]]);
    finishers[4]!();
    expect(await Promise.all(results)).toEqual([0, '失敗', 2, 3, 4]);
    expect(most).toBe(2);
    expect(limit.full).toBe(false);
  });

  it("makes a second sheet wait for the first one's build, while requests for one sheet still share it", async () => {
    const cache = new SheetCache(1);
    const finish: Record<number, (sheet: BuiltSheetJson) => void> = {};
    const build = (dept: number) => () => new Promise<BuiltSheetJson>((resolve) => (finish[dept] = resolve));
    const a = [cache.getOrBuild(7, 100, '3:5', build(100)), cache.getOrBuild(7, 100, '3:5', build(100))];
    const b = cache.getOrBuild(7, 200, '3:5', build(200));
    await Promise.resolve();
    expect(Object.keys(finish)).toEqual(['100']);
    finish[100]!(built([line(1, 0, 'a')]));
    await Promise.all(a);
    await expect.poll(() => Object.keys(finish)).toEqual(['100', '200']);
    finish[200]!(built([]));
    expect((await b).json).toBe('{"open":true,"items":[]}');
    expect(cache.stats).toMatchObject({ misses: 3, shared: 1, waited: 1 });
  });
});
