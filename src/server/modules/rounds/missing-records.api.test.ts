import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createdId, createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, sheet, type CycleFixture } from '../../testing/cycle-fixtures.js';

describe('a project given to a 課 the open round does not ask', () => {
  let h: Harness;
  let f: CycleFixture;
  let round: number;
  let p3: number;
  let nodeId: number;
  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    // The round asks 人権推進課 and 学校教育課, not 総務課.
    round = await openRound(f, 2024);
    nodeId = (await f.coord.get(`/api/m/${f.mid}/plans/${f.planId}`)).json().nodes[0].id as number;
    // Added while the round is open: 人権推進課's answer is made at once, 総務課's is not.
    p3 = createdId(
      await f.coord.post(`/api/m/${f.mid}/plans/${f.planId}/projects`, {
        nodeId,
        number: '3',
        name: '新規の相談事業',
        leadDepartmentId: f.deptA,
        coDepartmentIds: [f.deptC],
      }),
      'project',
    );
  });
  afterAll(() => h.close());

  const board = async () => (await f.coord.get(`/api/m/${f.mid}/rounds/${round}/board`)).json();

  it('is named on the board as an answer the round lacks', async () => {
    expect((await board()).missing).toEqual([
      {
        projectId: p3,
        number: '3',
        name: '新規の相談事業',
        departmentId: f.deptC,
        departmentName: '総務課',
        asked: false,
      },
    ]);
    expect((await sheet(f.editorA, f, round, f.deptA)).items.map((i) => i.project.number)).toEqual(['1', '2', '3']);
  });

  it('gets its answer added by the coordinator only, once, audited, the 課 asked from then on', async () => {
    const url = `/api/m/${f.mid}/rounds/${round}/missing-records`;
    expect((await f.editorA.post(url)).statusCode).toBe(403);
    expect((await f.viewerA.post(url)).statusCode).toBe(403);
    expect((await f.council.post(url)).statusCode).toBe(403);
    const res = await f.coord.post(url);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().added).toEqual([expect.objectContaining({ projectId: p3, departmentId: f.deptC })]);
    const b = await board();
    expect(b.missing).toEqual([]);
    expect(b.round.departments.map((d: { name: string }) => d.name)).toContain('総務課');
    const items = (await sheet(f.coord, f, round, f.deptC)).items;
    expect(items.map((i) => i.project.number)).toEqual(['3']);
    expect(items[0]!.record).toMatchObject({ status: 'not_started', fiscalYear: 2024, isLead: false });
    // Again: nothing more to add, nothing written.
    expect((await f.coord.post(url)).json()).toEqual({ added: [] });
    const log = (await f.coord.get(`/api/m/${f.mid}/audit?action=add_records`)).json().entries;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ entity: 'survey_round', entityId: String(round) });
    expect(log[0].detail).toEqual({
      records: [{ projectId: p3, departmentId: f.deptC }],
      departmentsAdded: [f.deptC],
    });
  });

  it('is refused once the round is closed, and a closed round names nothing missing', async () => {
    const deptD = await h.department(f.mid, '防災課');
    await f.coord.post(`/api/m/${f.mid}/plans/${f.planId}/projects`, {
      nodeId,
      number: '4',
      name: '防災と男女共同参画',
      leadDepartmentId: deptD,
    });
    expect((await board()).missing.map((m: { number: string }) => m.number)).toEqual(['4']);
    await f.coord.post(`/api/m/${f.mid}/rounds/${round}/close`);
    expect((await board()).missing).toEqual([]);
    const res = await f.coord.post(`/api/m/${f.mid}/rounds/${round}/missing-records`);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('締め切った照会には回答欄を追加できません');
  });
});
