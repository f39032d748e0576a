import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, sheet, type CycleFixture } from '../../testing/cycle-fixtures.js';

describe('the history of an answer', () => {
  let h: Harness;
  let f: CycleFixture;
  let round: number;
  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    round = await openRound(f, 2024);
  });
  afterAll(() => h.close());

  it('says whose answer it is, and shows a person’s close saves as one version while keeping every save', async () => {
    const item = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.name === '啓発講座')!;
    const url = `/api/m/${f.mid}/records/${item.record.id}`;
    let version = item.record.version;
    const save = async (c: typeof f.editorA, resultText: string) => {
      const res = await c.put(url, { version, resultText });
      expect(res.statusCode, res.body).toBe(200);
      version = res.json().record.version;
    };
    // Autosaves as one types, then a colleague of the same 課 saves, then the first editor again.
    await save(f.editorA, '講座');
    await save(f.editorA, '講座を5回');
    await save(f.editorA, '講座を5回開催した');
    const colleague = await h.as('department_editor', { municipalityId: f.mid, departmentId: f.deptA });
    await save(colleague, '講座を5回開催した。');
    await save(f.editorA, '講座を5回開催した。延べ120人');

    const res = await f.editorA.get(`${url}/history`);
    expect(res.statusCode).toBe(200);
    const history = res.json();
    expect(history.subject).toEqual({
      planTitle: '周期市男女共同参画プラン',
      fiscalYear: 2024,
      projectNumber: '1',
      projectName: '啓発講座',
      departmentName: '人権推進課',
      roundId: round,
    });
    // Every save is kept…
    expect(history.entries.filter((e: { action: string }) => e.action === 'save')).toHaveLength(5);
    // …and the first three, one person's close saves, read as one version.
    const saves = history.versions.filter((v: { action: string }) => v.action === 'save');
    expect(
      saves.map((v: { saves: number; fromVersion: number; version: number }) => [v.saves, v.fromVersion, v.version]),
    ).toEqual([
      [1, version, version],
      [1, version - 1, version - 1],
      [3, version - 4, version - 2],
    ]);
    expect(saves[2].changes).toEqual([
      expect.objectContaining({ label: '実績・取組状況', before: '', after: '講座を5回開催した' }),
    ]);
    // Another department cannot read it.
    expect((await f.editorB.get(`${url}/history`)).statusCode).toBe(403);
  });
});
