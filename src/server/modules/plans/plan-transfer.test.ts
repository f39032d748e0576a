import { planExportSchema, type PlanExportInput } from '../../../domain/plan-export.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sheet } from '../../../domain/api-types.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { samplePlan } from '../sample/index.js';

/** The department's override of the computed 達成度 of the first indicator line in 2022, with its reason. */
const OVERRIDE = { code: '○', reason: '目標には届かないが、受講者の満足度が高い' };

/**
 * The sample plan with an indicator, slots on every kind of subject (one of them computed on the
 * indicator lines, which a department may override with a reason) and evaluations entered in two
 * years, listed as an export lists them: by year, slot, subject (in the file's order) and department.
 */
function withEntries(file: PlanExportInput): PlanExportInput {
  const config = structuredClone(file.plan.evaluation![0]!.config);
  config.scales.push(presetConfig('achievement-5')!.scales[0]!);
  config.slots.push(
    { ...config.slots[1]!, key: 'line', name: '指標の評価', subject: 'indicator' },
    { ...config.slots[1]!, key: 'proj', name: '事業の評価', subject: 'project' },
    { ...config.slots[3]!, key: 'plan', name: '計画全体の総評', subject: 'plan', depth: null },
    {
      key: 'achv',
      name: '達成度',
      subject: 'indicator',
      enteredBy: 'computed',
      scale: 'achievement',
      override: true,
    },
  );
  file.plan.evaluation = [{ fromYear: 2021, note: '', config }];
  const [p1, p2] = file.projects;
  const goal = file.nodes.find((n) => n.parentKey === null)!.key;
  const issue = file.nodes.find((n) => n.parentKey === goal)!.key;
  file.indicators = [
    {
      projectNumber: p1!.number,
      name: '受講者数',
      unit: '人',
      direction: 'higher',
      targets: [{ fiscalYear: 2022, text: '100人' }],
    },
  ];
  const d1 = p1!.leadDepartment;
  const entry = (slot: string, subject: 'indicator' | 'record' | 'project' | 'node' | 'plan', more: object) => ({
    slot,
    fiscalYear: 2022,
    subject,
    projectNumber: null,
    nodeKey: null,
    indicator: null,
    department: null,
    code: null,
    level: null,
    reason: '',
    comment: '',
    ...more,
  });
  file.entries = [
    entry('achv', 'indicator', { indicator: 1, department: d1, ...OVERRIDE }),
    entry('coord', 'record', { projectNumber: p1!.number, department: d1, code: 'B', reason: '参加者が少ない' }),
    entry('council', 'node', { nodeKey: issue, code: '★★', comment: '相談体制の周知を' }),
    entry('line', 'indicator', { indicator: 1, department: d1, code: 'A' }),
    entry('plan', 'plan', { comment: '全体として順調' }),
    entry('proj', 'project', { projectNumber: p2!.number, code: 'C' }),
    entry('self', 'record', { projectNumber: p1!.number, department: d1, code: 'A' }),
    entry('self', 'record', { projectNumber: p2!.number, department: p2!.leadDepartment, code: 'B', level: 'B' }),
    entry('summary', 'node', { nodeKey: goal, code: '—', comment: '総評' }),
    { ...entry('self', 'record', { projectNumber: p1!.number, department: d1, code: 'D' }), fiscalYear: 2023 },
  ];
  return file;
}

describe('plan structure export and import', () => {
  let h: Harness;
  let mid: number;
  let coord: Client;
  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality()).id;
    coord = await h.as('coordinator', { municipalityId: mid });
    const names = new Set(samplePlan().projects.flatMap((p) => [p.leadDepartment, ...p.coDepartments]));
    for (const name of names) await h.department(mid, name);
  });
  afterAll(() => h.close());

  it('imports a whole structure and exports it back identically', async () => {
    const file = withEntries(samplePlan());
    const res = await coord.post(`/api/m/${mid}/plans/import`, file);
    expect(res.statusCode, res.body).toBe(201);
    const detail = res.json();
    expect(detail.nodes).toHaveLength(file.nodes.length);
    expect(detail.projects).toHaveLength(file.projects.length);
    const exported = await coord.get(`/api/m/${mid}/plans/${detail.plan.id}/export`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toContain('attachment');
    // The file as read: fields the sample leaves out take their defaults (years: the whole period).
    expect(exported.json()).toEqual(planExportSchema.parse(file));
    expect(exported.json().entries).toHaveLength(file.entries!.length);
    // The entries belong to the new plan's own subjects.
    const first = detail.projects.find((p: { number: string }) => p.number === file.projects[0]!.number);
    const stored = await h.db
      .selectFrom('evaluations')
      .select(['subject_id', 'code', 'entered_by_name'])
      .where('plan_id', '=', detail.plan.id)
      .where('slot_key', '=', 'self')
      .where('fiscal_year', '=', 2023)
      .execute();
    expect(stored).toEqual([{ subject_id: first.id, code: 'D', entered_by_name: expect.any(String) }]);
    // A second round through the file changes nothing either.
    const again = await coord.post(`/api/m/${mid}/plans/import`, exported.json());
    const reexported = await coord.get(`/api/m/${mid}/plans/${again.json().plan.id}/export`);
    expect(reexported.json()).toEqual(exported.json());
    // The override of the computed slot came through both rounds with its reason.
    const overrides = (f: PlanExportInput) => f.entries!.filter((e) => e.slot === 'achv');
    const d1 = file.projects[0]!.leadDepartment;
    expect(overrides(reexported.json())).toEqual([
      {
        ...{ slot: 'achv', fiscalYear: 2022, subject: 'indicator', indicator: 1, department: d1 },
        ...{ projectNumber: null, nodeKey: null, level: null, comment: '', ...OVERRIDE },
      },
    ]);
    // And the plan reads it as the department's override: with 40 of 100 the rules compute 達成度2 △, and the
    // ○ entered stands beside it with its reason.
    const planId: number = again.json().plan.id;
    const deptId = (
      await h.db
        .selectFrom('departments')
        .select('id')
        .where('name', '=', d1)
        .where('municipality_id', '=', mid)
        .execute()
    )[0]!.id;
    const round = await coord.post(`/api/m/${mid}/rounds`, {
      ...{ planId, fiscalYear: 2022, phase: 'end', deadline: '2023-04-30' },
      departmentIds: [deptId],
    });
    expect(round.statusCode, round.body).toBe(201);
    const sheetUrl = `/api/m/${mid}/rounds/${round.json().round.id}/departments/${deptId}/sheet`;
    const firstNumber = file.projects[0]!.number;
    const item = (await coord.get(sheetUrl)).json<Sheet>().items.find((i) => i.project.number === firstNumber)!;
    const saved = await coord.put(`/api/m/${mid}/records/${item.record.id}`, {
      ...{ version: item.record.version, planText: '講座を開く', resultText: '講座を開いた' },
      actuals: [{ indicatorId: item.indicators[0]!.id, text: '40人' }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const line = (await coord.get(sheetUrl)).json<Sheet>().items.find((i) => i.project.number === firstNumber)!
      .evaluations.lines[0]!;
    expect(line.values.achv).toMatchObject({ ...OVERRIDE, computedCode: '△', source: 'override' });

    // An entry must name a slot of the year's configuration and a subject of the file.
    const unknownSlot = withEntries(samplePlan());
    unknownSlot.entries![0]!.slot = 'nothing';
    const refused = await coord.post(`/api/m/${mid}/plans/import`, unknownSlot);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('評価の項目「nothing」が2022年度の評価方法にありません');
    const unknownLine = withEntries(samplePlan());
    unknownLine.entries!.find((e) => e.subject === 'indicator')!.indicator = 9;
    const refusedLine = await coord.post(`/api/m/${mid}/plans/import`, unknownLine);
    expect(refusedLine.statusCode).toBe(400);
    expect(refusedLine.json().message).toContain('9件目の指標がありません');
  });

  it('carries the evaluation configuration by year, and reads a file written before slots as hand grades', async () => {
    const file = samplePlan();
    const later = structuredClone(file.plan.evaluation![0]!);
    later.fromYear = 2026;
    later.note = '中間見直し';
    later.config.slots[0]!.name = '担当課評価';
    file.plan.evaluation = [file.plan.evaluation![0]!, later];
    const res = await coord.post(`/api/m/${mid}/plans/import`, file);
    expect(res.statusCode, res.body).toBe(201);
    const exported = (await coord.get(`/api/m/${mid}/plans/${res.json().plan.id}/export`)).json();
    expect(exported.plan.evaluation).toEqual(planExportSchema.parse(file).plan.evaluation);
    const settings = (await coord.get(`/api/m/${mid}/plans/${res.json().plan.id}/evaluation`)).json();
    expect(settings.versions.map((v: { fromYear: number; toYear: number | null }) => [v.fromYear, v.toYear])).toEqual([
      [2021, 2025],
      [2026, null],
    ]);

    const old = samplePlan();
    delete old.plan.evaluation;
    old.plan.gradeOptions = [
      { code: 'S', label: '大きく進んだ' },
      { code: 'A', label: '進んだ' },
    ];
    const imported = await coord.post(`/api/m/${mid}/plans/import`, old);
    expect(imported.statusCode, imported.body).toBe(201);
    const oldSettings = (await coord.get(`/api/m/${mid}/plans/${imported.json().plan.id}/evaluation`)).json();
    const config = oldSettings.versions[0].config;
    expect(config.slots.map((s: { subject: string; enteredBy: string }) => [s.subject, s.enteredBy])).toEqual([
      ['record', 'department'],
    ]);
    expect(config.scales[0].grades.map((g: { code: string }) => g.code)).toEqual(['S', 'A']);
  });

  it('carries indicators with their targets and revisions, and brings them back identically', async () => {
    const file = samplePlan();
    const [first, second] = file.projects;
    file.indicators = [
      {
        projectNumber: first!.number,
        department: null,
        name: '受講者数',
        unit: '人',
        kind: 'number',
        direction: 'higher',
        purpose: 'target',
        targetBasis: 'cumulative',
        baseline: '80人',
        baselineYear: 2020,
        finalTarget: '400人',
        targets: [{ fiscalYear: 2023, text: '100人' }],
        revisions: [
          {
            fromYear: 2026,
            note: '中間見直し',
            direction: 'higher',
            purpose: 'expected',
            targetBasis: 'annual',
            baseline: '80人',
            baselineYear: 2020,
            finalTarget: '500人',
          },
        ],
      },
      {
        projectNumber: second!.number,
        department: second!.leadDepartment,
        name: '相談件数',
        unit: '件',
        kind: 'number',
        direction: 'none',
        purpose: 'monitoring',
      },
    ];
    const res = await coord.post(`/api/m/${mid}/plans/import`, file);
    expect(res.statusCode, res.body).toBe(201);
    const exported = (await coord.get(`/api/m/${mid}/plans/${res.json().plan.id}/export`)).json();
    expect(exported.indicators).toEqual(planExportSchema.parse(file).indicators);
    const again = await coord.post(`/api/m/${mid}/plans/import`, exported);
    const reexported = (await coord.get(`/api/m/${mid}/plans/${again.json().plan.id}/export`)).json();
    expect(reexported.indicators).toEqual(exported.indicators);
    // The indicator as the editor shows it: the terms in force now, and the year its revision applies from.
    const projectId = res.json().projects.find((p: { number: string }) => p.number === first!.number).id;
    const shown = (await coord.get(`/api/m/${mid}/projects/${projectId}/indicators`)).json().indicators[0];
    expect(shown).toMatchObject({
      purpose: 'expected',
      finalTarget: { text: '500人' },
      revisions: [{ fromYear: 2026 }],
    });

    const bad = samplePlan();
    bad.indicators = [{ ...file.indicators[0]!, projectNumber: '999' }];
    const refused = await coord.post(`/api/m/${mid}/plans/import`, bad);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('事業番号「999」の事業がありません');
  });

  it('keeps number overrides, priority marks, sub-plan tags and cross-listings', async () => {
    const file = samplePlan();
    file.nodes[1]!.numberOverride = '(1)-2';
    const res = await coord.post(`/api/m/${mid}/plans/import`, file);
    const exported = (await coord.get(`/api/m/${mid}/plans/${res.json().plan.id}/export`)).json();
    expect(exported.nodes[1].numberOverride).toBe('(1)-2');
    expect(exported.nodes.filter((n: { priority: boolean }) => n.priority)).toHaveLength(
      file.nodes.filter((n) => n.priority).length,
    );
    expect(exported.projects.filter((p: { crossListNodeKeys: string[] }) => p.crossListNodeKeys.length)).toHaveLength(
      1,
    );
    expect(exported.nodes.flatMap((n: { subPlans: string[] }) => n.subPlans)).toEqual(
      file.nodes.flatMap((n) => n.subPlans),
    );
  });

  it('refuses a file naming an unknown department and writes nothing', async () => {
    const before = await h.db.selectFrom('plans').select('id').execute();
    const beforeNodes = await h.db.selectFrom('plan_nodes').select('id').execute();
    const file = samplePlan();
    file.projects[5]!.coDepartments = ['存在しない課'];
    const res = await coord.post(`/api/m/${mid}/plans/import`, file);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('存在しない課');
    expect(res.json().message).toContain('6件目');
    expect(await h.db.selectFrom('plans').select('id').execute()).toHaveLength(before.length);
    expect(await h.db.selectFrom('plan_nodes').select('id').execute()).toHaveLength(beforeNodes.length);
  });

  it('refuses a file that is not a plan structure', async () => {
    const res = await coord.post(`/api/m/${mid}/plans/import`, { format: 'something-else' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('計画構造ファイルではありません');
  });
});
