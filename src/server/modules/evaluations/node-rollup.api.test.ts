import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeEvaluationsDto, Sheet, SlotValueDto } from '../../../domain/api-types.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';

/**
 * A plan on the `node-share` preset: each indicator line graded A–D by its achievement ratio, each 施策
 * computed from the share of A among its counted lines (80% and over ◎, 50% and over ○, below △). The
 * node evaluation screen shows the 施策's computed code, and it follows the departments' actuals.
 */
describe('a 施策 computed from the share of A among its projects’ lines', () => {
  let h: Harness;
  let mid: number;
  let planId: number;
  let dept: number;
  let coord: Client;
  let editor: Client;
  let goal: number;
  let measure: number;
  let other: number;
  let roundId: number;
  /** the five projects under 施策 啓発, by number, each with one line 受講者数 (target 10人) */
  const lines = new Map<string, { project: number; indicator: number }>();
  let monitoring: number;
  let elsewhere: { project: number; indicator: number };

  const nodeValues = async (): Promise<Map<number, Record<string, SlotValueDto>>> => {
    const res = await coord.get(`/api/m/${mid}/plans/${planId}/years/2024/node-evaluations`);
    expect(res.statusCode, res.body).toBe(200);
    const dto: NodeEvaluationsDto = res.json();
    return new Map(dto.rows.filter((r) => r.subjectKind === 'node').map((r) => [r.subjectId, r.values]));
  };
  const measureValue = async () => (await nodeValues()).get(measure)!.measure!;

  /** The department's answer for a project, saved with the actuals given (by indicator id). */
  const report = async (project: number, actuals: [indicatorId: number, text: string][]) => {
    const sheet: Sheet = (await editor.get(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/sheet`)).json();
    const record = sheet.items.find((i) => i.project.id === project)!.record;
    const saved = await editor.put(`/api/m/${mid}/records/${record.id}`, {
      version: record.version,
      planText: '講座を開く',
      resultText: '講座を開いた',
      actuals: actuals.map(([indicatorId, text]) => ({ indicatorId, text })),
    });
    expect(saved.statusCode, saved.body).toBe(200);
  };

  const addProject = async (nodeId: number, number: string, name: string) => {
    const project: number = (
      await coord.post(`/api/m/${mid}/plans/${planId}/projects`, { nodeId, number, name, leadDepartmentId: dept })
    ).json().project.id;
    const indicator = await addIndicator(project, { name: '受講者数', targets: [{ fiscalYear: 2024, text: '10人' }] });
    return { project, indicator };
  };
  const addIndicator = async (project: number, more: Record<string, unknown>): Promise<number> => {
    const res = await coord.post(`/api/m/${mid}/projects/${project}/indicators`, {
      unit: '人',
      kind: 'number',
      direction: 'higher',
      ...more,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().indicator.id;
  };

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('施策評価市')).id;
    dept = await h.department(mid, '生涯学習課');
    coord = await h.as('coordinator', { municipalityId: mid });
    editor = await h.as('department_editor', { municipalityId: mid, departmentId: dept });
    const plan = await coord.post(`/api/m/${mid}/plans`, {
      title: '施策評価市プラン',
      firstYear: 2021,
      lastYear: 2030,
      evaluationPreset: 'node-share',
      levels: [
        { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
        { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
      ],
    });
    expect(plan.statusCode, plan.body).toBe(201);
    planId = plan.json().plan.id;
    const node = async (title: string, parentId?: number): Promise<number> =>
      (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title, parentId })).json().node.id;
    goal = await node('学びの場づくり');
    measure = await node('啓発', goal);
    other = await node('相談', goal);
    const names = ['市民講座', '出前講座', '講演会', '研修会', '展示'];
    for (const [i, name] of names.entries()) lines.set(String(i + 1), await addProject(measure, String(i + 1), name));
    // A monitoring line under 啓発 (never graded, though it has a target) and a line under another 施策:
    // neither counts in 啓発's share.
    monitoring = await addIndicator(lines.get('1')!.project, {
      name: '問合せ件数',
      purpose: 'monitoring',
      targets: [{ fiscalYear: 2024, text: '10人' }],
    });
    elsewhere = await addProject(other, '6', '相談窓口');
    const round = await coord.post(`/api/m/${mid}/rounds`, {
      planId,
      fiscalYear: 2024,
      phase: 'end',
      deadline: '2025-04-30',
      departmentIds: [dept],
    });
    expect(round.statusCode, round.body).toBe(201);
    roundId = round.json().round.id;
  });
  afterAll(() => h.close());

  it('has no code for a 施策 before any of its lines is graded', async () => {
    const values = await nodeValues();
    expect(values.get(goal)).toEqual({});
    expect(values.get(measure)!.measure).toMatchObject({
      code: null,
      source: 'none',
      basis: '下位に評価済みのものがありません',
    });
  });

  it('computes ◎ at exactly 80% A, ○ once one line falls just short of its target, and tells how', async () => {
    const [first, second, third, fourth, fifth] = ['1', '2', '3', '4', '5'].map((n) => lines.get(n)!);
    await report(first!.project, [
      [first!.indicator, '10人'],
      [monitoring, '1人'],
    ]);
    await report(second!.project, [[second!.indicator, '10人']]);
    await report(third!.project, [[third!.indicator, '12人']]);
    await report(fourth!.project, [[fourth!.indicator, '10人']]);
    await report(fifth!.project, [[fifth!.indicator, '8人']]);
    await report(elsewhere.project, [[elsewhere.indicator, '1人']]);

    // A A A A B: 4 of 5 = 80%, the bound of ◎. The monitoring line and 相談's D are left out.
    expect(await measureValue()).toMatchObject({
      code: '◎',
      computedCode: '◎',
      source: 'computed',
      basis: 'Aの割合 80%（5件中4件）',
      entryId: null,
    });
    // 相談 has one line, a D: 0% → △.
    expect((await nodeValues()).get(other)!.measure).toMatchObject({ code: '△', source: 'computed' });

    // 研修会 reaches 9.9 of 10 (99%, just under A's 100%): B, and 啓発 falls to 3 of 5 = 60% → ○.
    await report(fourth!.project, [[fourth!.indicator, '9.9人']]);
    expect(await measureValue()).toMatchObject({
      code: '○',
      computedCode: '○',
      source: 'computed',
      basis: 'Aの割合 60%（5件中3件）',
    });
    // Back at its target: ◎ again.
    await report(fourth!.project, [[fourth!.indicator, '10人']]);
    expect(await measureValue()).toMatchObject({ code: '◎', basis: 'Aの割合 80%（5件中4件）' });
  });

  it('computes ○ at exactly 50% A and △ just below, with the lines the year has', async () => {
    const [first, second, third] = ['1', '2', '3'].map((n) => lines.get(n)!);
    // A line with no actual is not graded and not counted: A A B B of 4 lines = 50%, the bound of ○.
    await report(third!.project, [[third!.indicator, '']]);
    await report(second!.project, [[second!.indicator, '5人']]);
    expect(await measureValue()).toMatchObject({ code: '○', basis: 'Aの割合 50%（4件中2件）' });
    // 市民講座 at 9 of 10: A B B B = 25% → △.
    await report(first!.project, [
      [first!.indicator, '9人'],
      [monitoring, '1人'],
    ]);
    expect(await measureValue()).toMatchObject({ code: '△', basis: 'Aの割合 25%（4件中1件）' });
  });

  it('takes no hand entry on the computed 施策, from the coordinating section or the department', async () => {
    const url = `/api/m/${mid}/plans/${planId}/years/2024/evaluations`;
    const body = {
      slotKey: 'measure',
      subjectKind: 'node',
      subjectId: measure,
      departmentId: 0,
      code: '◎',
      version: 0,
    };
    for (const c of [coord, editor]) {
      const res = await c.post(url, body);
      expect(res.statusCode).toBe(403);
      // Nobody enters it, so the message says it is computed rather than sending anyone elsewhere.
      expect(res.json().message).toMatch(/は計算で決まるため入力できません$/);
    }
    expect(await measureValue()).toMatchObject({ code: '△', source: 'computed', entryId: null });
    expect(await h.db.selectFrom('evaluations').select('id').where('plan_id', '=', planId).execute()).toEqual([]);
  });
});
