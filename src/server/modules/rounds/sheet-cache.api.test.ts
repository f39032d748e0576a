import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, selfGrade, sheet, type CycleFixture } from '../../testing/cycle-fixtures.js';
import { sheetJson } from './sheet-cache.js';
import { buildDepartmentSheet } from './sheet.service.js';

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
});
