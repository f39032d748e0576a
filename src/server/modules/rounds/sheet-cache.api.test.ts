import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sheet } from '../../../domain/api-types.js';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, selfGrade, sheet, type CycleFixture } from '../../testing/cycle-fixtures.js';
import { sheetJson } from './sheet-cache.js';
import { buildDepartmentSheet } from './sheet.service.js';

const onPostgres = process.env.TEST_DB === 'postgres';

/**
 * Sheets served from memory while people save: a save shows on the sheets of the departments that
 * answer the same project and leaves the others cached; a change to the plan's tree reaches all.
 * P1 is 人権推進課's alone, P2 is shared by 人権推進課 and 学校教育課.
 */
describe('the sheet cache per department', () => {
  let h: Harness;
  let f: CycleFixture;
  let round: number;

  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    round = await openRound(f, 2024);
  });
  afterAll(() => h.close());

  /** Reads both sheets and says which came from memory. */
  const read = async () => {
    const stats = h.ctx.sheetCache!.stats;
    const served = (fn: () => Promise<unknown>) => async () => {
      const hits = stats.hits;
      await fn();
      return stats.hits > hits ? 'cached' : 'built';
    };
    return {
      a: await served(() => sheet(f.editorA, f, round, f.deptA))(),
      b: await served(() => sheet(f.editorB, f, round, f.deptB))(),
    };
  };
  const save = async (projectId: number, text: string) => {
    const item = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === projectId)!;
    const res = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: text,
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('keeps the other department’s sheet cached when a department saves an answer of its own', async () => {
    await read();
    expect(await read()).toEqual({ a: 'cached', b: 'cached' });
    await save(f.p1, '講座を開く');
    expect(await read()).toEqual({ a: 'built', b: 'cached' });
    // What was saved is on the sheet that was built again.
    const item = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === f.p1)!;
    expect(item.record.planText).toBe('講座を開く');
  });

  it('builds both sheets again after a save on the project they share, and after a change to the tree', async () => {
    await read();
    await save(f.p2, '共同で講座を開く');
    expect(await read()).toEqual({ a: 'built', b: 'built' });
    expect(await read()).toEqual({ a: 'cached', b: 'cached' });
    const nodes = (await f.coord.get(`/api/m/${f.mid}/plans/${f.planId}`)).json().nodes as { id: number }[];
    const renamed = await f.coord.patch(`/api/m/${f.mid}/nodes/${nodes[0]!.id}`, { title: '名称を変えた目標' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await read()).toEqual({ a: 'built', b: 'built' });
  });

  it('builds the other department’s sheet again when its answer on a shared project is returned', async () => {
    const bSheet = await sheet(f.editorB, f, round, f.deptB);
    const shared = bSheet.items.find((i) => i.project.id === f.p2)!;
    const filled = await f.editorB.put(`/api/m/${f.mid}/records/${shared.record.id}`, {
      version: shared.record.version,
      planText: '出前授業を行う',
      resultText: '3校で行った',
      entries: selfGrade(shared, 'B'),
      actuals: [{ indicatorId: f.ind2, text: '45人' }],
    });
    expect(filled.statusCode, filled.body).toBe(200);
    const submitted = await f.editorB.post(`/api/m/${f.mid}/records/${shared.record.id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    await read();
    expect(
      (await f.coord.post(`/api/m/${f.mid}/records/${shared.record.id}/return`, { message: '数字を確認してください' }))
        .statusCode,
    ).toBe(200);
    expect(await read()).toEqual({ a: 'built', b: 'built' });
    const after = (await sheet(f.editorB, f, round, f.deptB)).items.find((i) => i.project.id === f.p2)!;
    expect(after.record.status).toBe('returned');
  });

  it('builds again only the lines of the projects that changed, and serves what a build from nothing gives', async () => {
    const stats = h.ctx.sheetCache!.stats;
    /** The sheet as served, and as built from the database alone, without what the cache kept. */
    const servedAndFresh = async (c: typeof f.editorA, departmentId: number) => {
      const res = await c.get(`/api/m/${f.mid}/rounds/${round}/departments/${departmentId}/sheet`);
      const { canEdit: _canEdit, ...served } = res.json<Record<string, unknown>>();
      const { sheet: head, lines } = await buildDepartmentSheet(h.db, f.mid, round, departmentId);
      const fresh: unknown = JSON.parse(sheetJson({ head: JSON.stringify(head), open: head.open, lines }).json);
      return { served, fresh };
    };
    await read();
    const counted = () => ({ built: stats.linesBuilt, reused: stats.linesReused });
    const steps: [string, () => Promise<void>][] = [
      ['a save on the shared project', () => save(f.p2, '学校と講座を開く')],
      [
        'a comment on the other department’s answer',
        async () => {
          const b = (await sheet(f.editorB, f, round, f.deptB)).items.find((i) => i.project.id === f.p2)!;
          const res = await f.coord.post(`/api/m/${f.mid}/records/${b.record.id}/comments`, { body: '人数を確認' });
          expect(res.statusCode, res.body).toBe(201);
        },
      ],
    ];
    for (const [, change] of steps) {
      await change();
      const before = counted();
      const a = await servedAndFresh(f.editorA, f.deptA);
      expect(a.served).toEqual(a.fresh);
      // 人権推進課's own project P1 is taken as it was; only the shared P2 is built again.
      expect(counted()).toEqual({ built: before.built + 1, reused: before.reused + 1 });
      const b = await servedAndFresh(f.editorB, f.deptB);
      expect(b.served).toEqual(b.fresh);
    }
    const a = (await sheet(f.editorA, f, round, f.deptA)).items;
    expect(a.find((i) => i.project.id === f.p2)!.record.planText).toBe('学校と講座を開く');
    expect(a.find((i) => i.project.id === f.p2)!.others[0]!.record.id).toBeGreaterThan(0);
  });

  it('reads the plan’s part of the sheets once per plan revision, and every change to it reaches the sheets', async () => {
    const stats = h.ctx.sheetCache!.stats;
    const url = (d: number) => `/api/m/${f.mid}/rounds/${round}/departments/${d}/sheet`;
    /** Both sheets as served, each checked against a build from the database alone. */
    const bothAsFresh = async () => {
      const served = [];
      for (const [c, d] of [
        [f.editorA, f.deptA],
        [f.editorB, f.deptB],
      ] as const) {
        const { canEdit: _canEdit, ...json } = (await c.get(url(d))).json<Sheet>();
        const { sheet: head, lines } = await buildDepartmentSheet(h.db, f.mid, round, d);
        expect(json).toEqual(JSON.parse(sheetJson({ head: JSON.stringify(head), open: head.open, lines }).json));
        served.push(json);
      }
      return served;
    };
    // A change to the plan: both sheets are built again, the plan's part read by the first and taken by the second.
    const planChange = async (change: () => Promise<{ statusCode: number; body: string }>) => {
      const res = await change();
      expect(res.statusCode, res.body).toBeLessThan(300);
      const before = { hits: stats.planHits, misses: stats.planMisses };
      const sheets = await bothAsFresh();
      expect({ hits: stats.planHits - before.hits, misses: stats.planMisses - before.misses }).toEqual({
        hits: 1,
        misses: 1,
      });
      return sheets;
    };
    await bothAsFresh();

    // A new indicator of 人権推進課's own project, with this year's target.
    const [a1] = await planChange(() =>
      f.coord.post(`/api/m/${f.mid}/projects/${f.p1}/indicators`, {
        ...{ name: '相談窓口の周知回数', unit: '回', kind: 'number', direction: 'higher' },
        targets: [{ fiscalYear: 2024, text: '6回' }],
      }),
    );
    const p1 = a1!.items.find((i) => i.project.id === f.p1)!;
    expect(p1.indicators.map((i) => [i.name, i.targets.find((t) => t.fiscalYear === 2024)?.text])).toContainEqual([
      '相談窓口の周知回数',
      '6回',
    ]);
    // A target of the shared project's indicator: both departments see it.
    const [a2, b2] = await planChange(() =>
      f.coord.put(`/api/m/${f.mid}/indicators/${f.ind2}`, {
        ...{ name: '参加者数', unit: '人', kind: 'number', direction: 'higher', finalTarget: '200人' },
        targets: [{ fiscalYear: 2024, text: '150人' }],
      }),
    );
    for (const s of [a2!, b2!]) {
      const shared = s.items.find((i) => i.project.id === f.p2)!;
      expect(shared.indicators.find((i) => i.id === f.ind2)!.targets).toContainEqual(
        expect.objectContaining({ fiscalYear: 2024, text: '150人' }),
      );
    }
    // A field of the plan's own.
    const [a3] = await planChange(() =>
      f.coord.patch(`/api/m/${f.mid}/plans/${f.planId}`, {
        customFields: [{ key: 'participants', label: '参加者数', on: 'record', type: 'number', unit: '人' }],
      }),
    );
    expect(a3!.customFields.map((c) => c.label)).toEqual(['参加者数']);
    // The title of a node above the projects: the path printed on each line.
    const nodes = (await f.coord.get(`/api/m/${f.mid}/plans/${f.planId}`)).json().nodes as { id: number }[];
    const [a4] = await planChange(() =>
      f.coord.patch(`/api/m/${f.mid}/nodes/${nodes[0]!.id}`, { title: '人権を尊重する地域づくり' }),
    );
    expect(a4!.items.find((i) => i.project.id === f.p1)!.project.path).toContain('人権を尊重する地域づくり');
    // A save leaves the plan's part as it was: the sheet built again takes it.
    await save(f.p1, '周知を増やす');
    const before = { hits: stats.planHits, misses: stats.planMisses };
    await bothAsFresh();
    expect({ hits: stats.planHits - before.hits, misses: stats.planMisses - before.misses }).toEqual({
      hits: 1,
      misses: 0,
    });
  });
  it.skipIf(!onPostgres)('builds a sheet again after a save in five round trips to PostgreSQL', async () => {
    const { default: pgModule } = await import('pg');
    // A round trip is a simple query, or the Sync ending the messages of one with parameters.
    const { query, sync } = pgModule.Connection.prototype;
    let trips = 0;
    const counted = async (fn: () => Promise<unknown>) => {
      trips = 0;
      pgModule.Connection.prototype.query = function (this: pg.Connection, text: string) {
        trips++;
        return query.call(this, text);
      };
      pgModule.Connection.prototype.sync = function (this: pg.Connection) {
        trips++;
        return sync.call(this);
      };
      try {
        await fn();
      } finally {
        Object.assign(pgModule.Connection.prototype, { query, sync });
      }
      return trips;
    };
    const url = `/api/m/${f.mid}/rounds/${round}/departments/${f.deptA}/sheet`;
    await f.editorA.get(url);
    await save(f.p2, '学校と地域で講座を開く');
    const before = h.ctx.sheetCache!.stats.linesBuilt;
    let res: Awaited<ReturnType<typeof f.editorA.get>> | undefined;
    // The session, the sheet's revision, what tells which lines to build, what they show, COMMIT.
    expect(await counted(async () => (res = await f.editorA.get(url)))).toBe(5);
    expect(h.ctx.sheetCache!.stats.linesBuilt).toBe(before + 1);
    const p2 = res!.json<Sheet>().items.find((i) => i.project.id === f.p2)!;
    expect(p2.record.planText).toBe('学校と地域で講座を開く');
    expect(p2.others.map((o) => o.departmentId)).toEqual([f.deptB]);
    expect(p2.others[0]!.name).not.toBe('');
  });
});
