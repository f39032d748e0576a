import { describe, expect, it } from 'vitest';
import { SheetCache } from './sheet-cache.js';

describe('the sheet cache', () => {
  it('builds a sheet once for the requests that ask for it at the same moment, then serves it from memory', async () => {
    const cache = new SheetCache();
    let builds = 0;
    let finish: (sheet: { json: string; open: boolean }) => void = () => {};
    const build = () => {
      builds++;
      return new Promise<{ json: string; open: boolean }>((resolve) => (finish = resolve));
    };
    const waiting = [1, 2, 3].map(() => cache.getOrBuild(7, 100, '3:5', build));
    finish({ json: '{"items":[]}', open: true });
    expect(await Promise.all(waiting)).toEqual(Array(3).fill({ json: '{"items":[]}', open: true }));
    expect(builds).toBe(1);
    expect(cache.stats).toEqual({ hits: 0, misses: 3, shared: 2 });
    expect(await cache.getOrBuild(7, 100, '3:5', build)).toEqual({ json: '{"items":[]}', open: true });
    expect(builds).toBe(1);
    // A newer revision is built again; another department's sheet is its own.
    const newer = cache.getOrBuild(7, 100, '3:6', build);
    finish({ json: '{"items":[1]}', open: true });
    expect((await newer).json).toBe('{"items":[1]}');
    expect(builds).toBe(2);
  });

  it('forgets a build that failed, so that the next request tries again', async () => {
    const cache = new SheetCache();
    await expect(cache.getOrBuild(1, 1, '1:1', () => Promise.reject(new Error('database busy')))).rejects.toThrow(
      'database busy',
    );
    expect(await cache.getOrBuild(1, 1, '1:1', async () => ({ json: '{}', open: false }))).toEqual({
      json: '{}',
      open: false,
    });
  });
});
