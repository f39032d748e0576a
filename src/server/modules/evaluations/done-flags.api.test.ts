import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sheet } from '../../../domain/api-types.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';

/**
 * The done-flags preset (○ × — per project, department and year): a department flags each answer, whether
 * or not the project has an indicator; the flag is stored, printed and counted, and — not counted — is left
 * out of the tally as the scale says.
 */
describe('done flags per answer, with and without an indicator', () => {
  let h: Harness;
  let mid: number;
  let planId: number;
  let roundId: number;
  let dept: number;
  let coord: Client;
  let editor: Client;
  const projects: Record<string, number> = {};

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('実施状況市')).id;
    dept = await h.department(mid, '人権推進課');
    coord = await h.as('coordinator', { municipalityId: mid });
    editor = await h.as('department_editor', { municipalityId: mid, departmentId: dept });
    planId = (
      await coord.post(`/api/m/${mid}/plans`, {
        title: '実施状況市プラン',
        firstYear: 2021,
        lastYear: 2030,
        evaluationPreset: 'done-flags',
        levels: [
          { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
          { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
        ],
      })
    ).json().plan.id;
    const node = (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '意識づくり' })).json().node.id;
    for (const [number, name] of [
      ['1', '講座'],
      ['2', '相談'],
      ['3', '広報'],
    ] as const)
      projects[name] = (
        await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
          nodeId: node,
          number,
          name,
          leadDepartmentId: dept,
        })
      ).json().project.id;
    // Only 講座 has an indicator.
    const indicator = await coord.post(`/api/m/${mid}/projects/${projects['講座']}/indicators`, {
      name: '開催回数',
      unit: '回',
      kind: 'number',
      direction: 'higher',
      targets: [{ fiscalYear: 2024, text: '5回' }],
    });
    expect(indicator.statusCode, indicator.body).toBe(201);
    roundId = (
      await coord.post(`/api/m/${mid}/rounds`, {
        planId,
        fiscalYear: 2024,
        phase: 'end',
        deadline: '2025-04-30',
        departmentIds: [dept],
      })
    ).json().round.id;
  });
  afterAll(() => h.close());

  it('stores the flag of each answer, with an indicator or without, and counts ○ and × but not —', async () => {
    const sheet = (await editor.get(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/sheet`)).json<Sheet>();
    const flags: Record<string, string> = { 講座: '○', 相談: '×', 広報: '—' };
    for (const item of sheet.items) {
      const res = await editor.put(`/api/m/${mid}/records/${item.record.id}`, {
        version: item.record.version,
        planText: '予定',
        resultText: '結果',
        entries: [
          {
            ...{ slotKey: 'done', subjectKind: 'record', subjectId: item.project.id },
            ...{ code: flags[item.project.name], reason: '', comment: '' },
          },
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const stored = await h.db
      .selectFrom('evaluations')
      .select(['subject_id', 'code'])
      .where('plan_id', '=', planId)
      .where('slot_key', '=', 'done')
      .orderBy('subject_id')
      .execute();
    expect(stored).toEqual([
      { subject_id: projects['講座'], code: '○' },
      { subject_id: projects['相談'], code: '×' },
      { subject_id: projects['広報'], code: '—' },
    ]);
    // The sheet shows each flag back, 講座 with its indicator beside it.
    const again = (await editor.get(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/sheet`)).json<Sheet>();
    expect(
      again.items.map((i) => [i.project.name, i.indicators.length, i.evaluations.record.done?.code ?? null]),
    ).toEqual([
      ['講座', 1, '○'],
      ['相談', 0, '×'],
      ['広報', 0, '—'],
    ]);
    const summary = (await coord.get(`/api/m/${mid}/report-summary?planId=${planId}&fiscalYear=2024&depth=0`)).json()
      .summary;
    const done = summary.slots.find((s: { slotKey: string }) => s.slotKey === 'done');
    expect(done.total.counts).toEqual([
      { code: '○', label: '実施した', count: 1 },
      { code: '×', label: '実施しなかった', count: 1 },
    ]);
    expect(done.total).toMatchObject({ graded: 2, notGraded: 1, points: { total: 1, scored: 2 } });
  });
});
