import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, sheet, type CycleFixture } from '../../testing/cycle-fixtures.js';

describe('department sheets served from memory', () => {
  let h: Harness;
  let f: CycleFixture;
  let round: number;
  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    round = await openRound(f, 2025);
  });
  afterAll(() => h.close());

  const item = async (c = f.editorA) => (await sheet(c, f, round, f.deptA)).items.find((i) => i.project.id === f.p1)!;

  it('show every kind of change at once', async () => {
    const first = await item();
    // Another writer's save.
    await f.coord.put(`/api/m/${f.mid}/records/${first.record.id}`, {
      version: first.record.version,
      planText: '所管課が直した予定',
    });
    expect((await item()).record.planText).toBe('所管課が直した予定');
    // A comment.
    await f.coord.post(`/api/m/${f.mid}/records/${first.record.id}/comments`, { body: '確認しました' });
    expect((await item()).comments.map((c) => c.body)).toEqual(['確認しました']);
    // An indicator's new name.
    await f.coord.put(`/api/m/${f.mid}/indicators/${f.ind1}`, {
      name: '講座の開催回数',
      unit: '回',
      kind: 'number',
      direction: 'higher',
    });
    expect((await item()).indicators[0]!.name).toBe('講座の開催回数');
    // The project's new name in the plan.
    const detail = (await f.coord.get(`/api/m/${f.mid}/plans/${f.planId}`)).json();
    const p1 = detail.projects.find((p: { id: number }) => p.id === f.p1);
    await f.coord.put(`/api/m/${f.mid}/projects/${f.p1}`, {
      nodeId: p1.nodeId,
      number: '1',
      name: '男女共同参画啓発講座',
      leadDepartmentId: f.deptA,
    });
    expect((await item()).project.name).toBe('男女共同参画啓発講座');
    // A department's new name.
    await f.coord.patch(`/api/m/${f.mid}/departments/${f.deptB}`, { name: '学校教育指導課' });
    const shared = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === f.p2)!;
    expect(shared.others.map((o) => o.name)).toEqual(['学校教育指導課']);
    // The round closing.
    await f.coord.post(`/api/m/${f.mid}/rounds/${round}/close`);
    const closed = await sheet(f.editorA, f, round, f.deptA);
    expect(closed).toMatchObject({ open: false, canEdit: false });
  });

  it('works out per user whether they may write', async () => {
    const r = await openRound(f, 2026);
    const asEditor = await sheet(f.editorA, f, r, f.deptA);
    const asViewer = await sheet(f.viewerA, f, r, f.deptA);
    expect(asEditor.canEdit).toBe(true);
    expect(asViewer.canEdit).toBe(false);
    expect((await sheet(f.coord, f, r, f.deptA)).canEdit).toBe(true);
  });
});
