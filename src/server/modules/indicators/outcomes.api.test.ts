import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutcomeYearDto } from '../../../domain/api-types.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';

/**
 * Indicators of a 基本目標 and of the whole plan (成果指標): defined by the coordinating section with
 * the department that reports each, entered by that department, evaluated by the plan's indicator
 * slots, carried by the plan file, and fixed once the year's report is published.
 */
describe('indicators of nodes and of the plan', () => {
  let h: Harness;
  let mid: number;
  let planId: number;
  let goal: number;
  let human: number;
  let kids: number;
  let coord: Client;
  let humanEditor: Client;
  let kidsEditor: Client;
  let council: Client;
  let goalIndicator: number;
  let planIndicator: number;

  const body = (over: Record<string, unknown>) => ({
    name: '審議会等の女性委員の割合',
    unit: '%',
    kind: 'number',
    direction: 'higher',
    baseline: '30',
    baselineYear: 2022,
    finalTarget: '40',
    targets: [{ fiscalYear: 2024, text: '35' }],
    ...over,
  });
  const year = async (c: Client, query = ''): Promise<OutcomeYearDto> => {
    const res = await c.get(`/api/m/${mid}/plans/${planId}/years/2024/outcome-indicators${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const saveActual = (c: Client, id: number, fiscalYear: number, text: string, readText: string) =>
    c.put(`/api/m/${mid}/indicators/${id}/actuals/${fiscalYear}`, { text, readText });

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('成果市')).id;
    human = await h.department(mid, '人権推進課');
    kids = await h.department(mid, 'こども課');
    coord = await h.as('coordinator', { municipalityId: mid });
    humanEditor = await h.as('department_editor', { municipalityId: mid, departmentId: human });
    kidsEditor = await h.as('department_editor', { municipalityId: mid, departmentId: kids });
    council = await h.as('council_member', { municipalityId: mid });
    const plan = await coord.post(`/api/m/${mid}/plans`, {
      title: '成果市プラン',
      firstYear: 2023,
      lastYear: 2027,
      evaluationPreset: 'dual-target-trend',
      levels: [
        { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
        { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
      ],
    });
    expect(plan.statusCode, plan.body).toBe(201);
    planId = plan.json().plan.id;
    await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '意識づくり' });
    goal = (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '参画の推進' })).json().node.id;
    const measure = (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '登用', parentId: goal })).json()
      .node.id;
    await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
      nodeId: measure,
      number: '1',
      name: '女性委員の登用',
      leadDepartmentId: human,
    });
    const round = await coord.post(`/api/m/${mid}/rounds`, {
      planId,
      fiscalYear: 2024,
      phase: 'end',
      deadline: '2025-04-30',
      departmentIds: [human],
    });
    expect(round.statusCode, round.body).toBe(201);
  });
  afterAll(() => h.close());

  it('is defined by the coordinating section with the department that reports it, on a node or on the plan', async () => {
    const noDept = await coord.post(`/api/m/${mid}/plans/${planId}/outcome-indicators`, body({ nodeId: goal }));
    expect(noDept.statusCode).toBe(400);
    expect(noDept.json().details[0]).toMatchObject({
      field: 'departmentId',
      message: '実績を報告する課を選んでください',
    });
    const byDept = await humanEditor.post(
      `/api/m/${mid}/plans/${planId}/outcome-indicators`,
      body({ nodeId: goal, departmentId: human }),
    );
    expect(byDept.statusCode).toBe(403);

    const created = await coord.post(
      `/api/m/${mid}/plans/${planId}/outcome-indicators`,
      body({ nodeId: goal, departmentId: human }),
    );
    expect(created.statusCode, created.body).toBe(201);
    goalIndicator = created.json().indicator.id;
    expect(created.json().indicator).toMatchObject({ nodeId: goal, projectId: null, departmentId: human });
    const whole = await coord.post(
      `/api/m/${mid}/plans/${planId}/outcome-indicators`,
      body({ name: '男女の地位が平等だと感じる市民の割合', nodeId: null, departmentId: kids, targets: [] }),
    );
    expect(whole.statusCode, whole.body).toBe(201);
    planIndicator = whole.json().indicator.id;

    const list = (await coord.get(`/api/m/${mid}/plans/${planId}/outcome-indicators`)).json().indicators;
    expect(list.map((i: { id: number }) => i.id).sort()).toEqual([goalIndicator, planIndicator].sort());
    const renamed = await coord.put(
      `/api/m/${mid}/indicators/${goalIndicator}`,
      body({ name: '審議会等における女性委員の割合', departmentId: human }),
    );
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().indicator).toMatchObject({ name: '審議会等における女性委員の割合', nodeId: goal });
  });

  it('refuses a node of another plan', async () => {
    const other = (
      await coord.post(`/api/m/${mid}/plans`, {
        title: '別の計画',
        firstYear: 2023,
        lastYear: 2027,
        levels: [
          { name: '目標', numberingStyle: 'arabic', numberingScope: 'plan' },
          { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
        ],
      })
    ).json().plan.id;
    const res = await coord.post(
      `/api/m/${mid}/plans/${other}/outcome-indicators`,
      body({ nodeId: goal, departmentId: human }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0]).toMatchObject({ field: 'nodeId', message: 'この計画の項目を選んでください' });
  });

  it('is entered by its department only, over the value it read, and evaluated by the plan’s indicator slots', async () => {
    const own = await year(humanEditor);
    expect(own.lines.map((l) => l.indicator.id)).toEqual([goalIndicator]);
    expect(own.lines[0]).toMatchObject({ target: '35', mayEnter: true, node: { id: goal, number: 'Ⅱ' } });
    expect(
      (await humanEditor.get(`/api/m/${mid}/plans/${planId}/years/2024/outcome-indicators?departmentId=${kids}`))
        .statusCode,
    ).toBe(403);

    expect((await saveActual(kidsEditor, goalIndicator, 2024, '50', '')).statusCode).toBe(403);
    const words = await saveActual(humanEditor, goalIndicator, 2024, '三十六', '');
    expect(words.statusCode).toBe(400);
    expect(words.json().details.map((d: { field: string }) => d.field)).toEqual(['text']);

    expect((await saveActual(humanEditor, goalIndicator, 2023, '33', '')).statusCode).toBe(200);
    const saved = await saveActual(humanEditor, goalIndicator, 2024, '36.5', '');
    expect(saved.statusCode, saved.body).toBe(200);
    const stale = await saveActual(coord, goalIndicator, 2024, '37', '');
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toContain('現在：36.5%');

    const line = (await year(coord)).lines.find((l) => l.indicator.id === goalIndicator)!;
    expect(line.actual.text).toBe('36.5%');
    expect(line.previous).toBe('33%');
    expect(line.values.target).toMatchObject({ code: '達成', source: 'computed' });
    expect(line.values.trend).toMatchObject({ code: '改善', source: 'computed' });

    // The coordinating section corrects it over what it read; the audit keeps both.
    expect((await saveActual(coord, goalIndicator, 2024, '34', '36.5%')).statusCode).toBe(200);
    const again = (await year(coord)).lines.find((l) => l.indicator.id === goalIndicator)!;
    expect(again.values.target!.code).toBe('未達成');
    const trail = (await coord.get(`/api/m/${mid}/audit?entity=indicator`)).json();
    const changes = trail.entries.filter((e: { action: string }) => e.action === 'indicator.actual');
    expect(changes.length).toBe(3);
  });

  it('lists the plan’s own before the nodes’, for the city hall and the council; a department its own', async () => {
    const all = await year(coord);
    expect(all.lines.map((l) => l.indicator.id)).toEqual([planIndicator, goalIndicator]);
    expect(all.lines[0]!.node).toBeNull();
    expect(all.lines[0]!.departmentName).toBe('こども課');
    // no actual yet: nothing judged, and said so
    expect(all.lines[0]!.values.target).toMatchObject({ code: null, source: 'none', basis: '実績が未入力' });
    const read = await year(council);
    expect(read.lines.map((l) => [l.indicator.id, l.mayEnter])).toEqual([
      [planIndicator, false],
      [goalIndicator, false],
    ]);
    expect((await year(kidsEditor)).lines.map((l) => l.indicator.id)).toEqual([planIndicator]);
    // A department that reports none gets none, with the year's indicator slots to name them by.
    const other = await h.department(mid, '総務課');
    const none = await year(await h.as('department_editor', { municipalityId: mid, departmentId: other }));
    expect(none.lines).toEqual([]);
    expect(none.config.slots.map((s) => s.key)).toEqual(['target', 'trend']);
  });

  it('goes with the plan file and comes back identical', async () => {
    const file = (await coord.get(`/api/m/${mid}/plans/${planId}/export`)).json();
    const outcomes = file.indicators.filter((i: { projectNumber: string | null }) => i.projectNumber === null);
    expect(outcomes.map((i: { nodeKey: string | null; department: string }) => [i.nodeKey, i.department])).toEqual([
      [null, 'こども課'],
      ['2', '人権推進課'],
    ]);
    const imported = await coord.post(`/api/m/${mid}/plans/import`, { ...file, plan: { ...file.plan } });
    expect(imported.statusCode, imported.body).toBe(201);
    const copy = (await coord.get(`/api/m/${mid}/plans/${imported.json().plan.id}/export`)).json();
    expect(copy.indicators).toEqual(file.indicators);

    const broken = { ...file, indicators: [{ ...outcomes[1], nodeKey: '9', department: null }] };
    const refused = await coord.post(`/api/m/${mid}/plans/import`, broken);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('項目「9」がありません');
  });

  it('stays as published: no change until the report is withdrawn', async () => {
    const layouts = (await coord.get(`/api/m/${mid}/report-layouts`)).json();
    const published = await coord.post(`/api/m/${mid}/report-snapshots`, {
      planId,
      fiscalYear: 2024,
      layout: layouts.layouts[0].name,
      asOf: '2025-06-30',
      includeUnapproved: true,
    });
    expect(published.statusCode, published.body).toBe(201);
    const refused = await saveActual(humanEditor, goalIndicator, 2024, '38', '34%');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('公表済み');
    const line = (await year(humanEditor)).lines[0]!;
    expect(line).toMatchObject({ mayEnter: false, actual: { text: '34%' } });
    expect(line.locked).toContain('公表済み');
    // Another year stays open.
    expect((await saveActual(humanEditor, goalIndicator, 2025, '38', '')).statusCode).toBe(200);
  });
});
