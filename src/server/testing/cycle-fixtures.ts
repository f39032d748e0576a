import { createdId, type Client, type Harness } from './harness.js';

export interface CycleFixture {
  mid: number;
  planId: number;
  deptA: number;
  deptB: number;
  deptC: number;
  p1: number;
  p2: number;
  ind1: number;
  ind2: number;
  coord: Client;
  editorA: Client;
  editorB: Client;
  viewerA: Client;
  council: Client;
}

/**
 * A plan with two projects: P1 of 人権推進課 alone, with 講座開催回数 (target 4回 a year);
 * P2 shared by 人権推進課 and 学校教育課, with 参加者数 to which both contribute.
 */
export async function cycleFixture(h: Harness): Promise<CycleFixture> {
  const mid = (await h.municipality('周期市')).id;
  const deptA = await h.department(mid, '人権推進課');
  const deptB = await h.department(mid, '学校教育課');
  const deptC = await h.department(mid, '総務課');
  const coord = await h.as('coordinator', { municipalityId: mid });
  const plan = await coord.post(`/api/m/${mid}/plans`, {
    title: '周期市男女共同参画プラン',
    firstYear: 2021,
    lastYear: 2030,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  });
  const planId = createdId(plan, 'plan');
  const node = createdId(await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '意識づくり' }), 'node');
  const p1 = createdId(
    await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
      nodeId: node,
      number: '1',
      name: '啓発講座',
      leadDepartmentId: deptA,
    }),
    'project',
  );
  const p2 = createdId(
    await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
      nodeId: node,
      number: '2',
      name: '研修会',
      leadDepartmentId: deptA,
      coDepartmentIds: [deptB],
    }),
    'project',
  );
  const ind1 = createdId(
    await coord.post(`/api/m/${mid}/projects/${p1}/indicators`, {
      name: '講座開催回数',
      unit: '回',
      kind: 'number',
      direction: 'higher',
      baseline: '2回',
      baselineYear: 2020,
      targets: [{ fiscalYear: 2023, text: '4回' }],
    }),
    'indicator',
  );
  const ind2 = createdId(
    await coord.post(`/api/m/${mid}/projects/${p2}/indicators`, {
      name: '参加者数',
      unit: '人',
      kind: 'number',
      direction: 'higher',
      finalTarget: '200人',
    }),
    'indicator',
  );
  return {
    mid,
    planId,
    deptA,
    deptB,
    deptC,
    p1,
    p2,
    ind1,
    ind2,
    coord,
    editorA: await h.as('department_editor', { municipalityId: mid, departmentId: deptA }),
    editorB: await h.as('department_editor', { municipalityId: mid, departmentId: deptB }),
    viewerA: await h.as('department_viewer', { municipalityId: mid, departmentId: deptA }),
    council: await h.as('council_member', { municipalityId: mid }),
  };
}

export async function openRound(
  f: CycleFixture,
  fiscalYear: number,
  phase: 'start' | 'mid' | 'end' = 'end',
  departmentIds = [f.deptA, f.deptB],
): Promise<number> {
  const res = await f.coord.post(`/api/m/${f.mid}/rounds`, {
    planId: f.planId,
    fiscalYear,
    phase,
    deadline: `${fiscalYear + 1}-04-30`,
    departmentIds,
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return createdId(res, 'round');
}

export async function sheet(c: Client, f: CycleFixture, roundId: number, departmentId: number) {
  const res = await c.get(`/api/m/${f.mid}/rounds/${roundId}/departments/${departmentId}/sheet`);
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json<import('../../domain/api-types.js').Sheet>();
}

/** The department's self-evaluation of an answer, in the default configuration's slot ('self', A〜D). */
export const selfGrade = (item: { project: { id: number } }, code: string | null) => [
  { slotKey: 'self', subjectKind: 'record' as const, subjectId: item.project.id, code },
];
