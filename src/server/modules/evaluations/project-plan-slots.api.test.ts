import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeEvaluationsDto } from '../../../domain/api-types.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';

/**
 * Evaluations of a project as a whole (across its departments) and of the whole plan: the coordinating
 * section enters them on the 体系ごとの評価 screen, each project under its node; 集計 counts them in their
 * own scale; a department may enter neither.
 */
describe('evaluations of projects and of the whole plan', () => {
  let h: Harness;
  let mid: number;
  let planId: number;
  let projects: number[];
  let coord: Client;
  let editor: Client;
  const url = () => `/api/m/${mid}/plans/${planId}/years/2024/evaluations`;

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('全体評価市')).id;
    const dept = await h.department(mid, '人権推進課');
    coord = await h.as('coordinator', { municipalityId: mid });
    editor = await h.as('department_editor', { municipalityId: mid, departmentId: dept });
    planId = (
      await coord.post(`/api/m/${mid}/plans`, {
        title: '全体評価市プラン',
        firstYear: 2021,
        lastYear: 2030,
        levels: [
          { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
          { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
        ],
      })
    ).json().plan.id;
    const abcd = {
      key: 'a-d',
      name: 'A〜D',
      rule: { kind: 'manual' },
      grades: ['A', 'B', 'C', 'D'].map((code, i) => ({ code, label: '', tally: true, points: 4 - i, hand: false })),
    };
    const saved = await coord.put(`/api/m/${mid}/plans/${planId}/evaluation`, {
      fromYear: 2021,
      config: {
        scales: [abcd],
        slots: [
          { key: 'self', name: '自己評価', subject: 'record', enteredBy: 'department', scale: 'a-d' },
          { key: 'proj', name: '事業評価', subject: 'project', enteredBy: 'coordinator', scale: 'a-d' },
          {
            key: 'whole',
            name: '計画全体の評価',
            subject: 'plan',
            enteredBy: 'coordinator',
            scale: 'a-d',
            comment: true,
          },
        ],
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const goal = (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '意識づくり' })).json().node.id;
    projects = [];
    for (const [number, name] of [
      ['2', '研修'],
      ['1', '講座'],
    ])
      projects.push(
        (
          await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
            nodeId: goal,
            number,
            name,
            leadDepartmentId: dept,
          })
        ).json().project.id,
      );
  });
  afterAll(() => h.close());

  const rows = async () =>
    (await coord.get(`/api/m/${mid}/plans/${planId}/years/2024/node-evaluations`)).json<NodeEvaluationsDto>().rows;

  it('lists each project under its node and the plan last, with the slots that evaluate each', async () => {
    expect((await rows()).map((r) => [r.subjectKind, r.depth, r.number, r.title, Object.keys(r.values)])).toEqual([
      ['node', 0, 'Ⅰ', '意識づくり', []],
      ['project', 1, '事業2', '研修', ['proj']],
      ['project', 1, '事業1', '講座', ['proj']],
      ['plan', 0, '', '計画全体', ['whole']],
    ]);
  });

  it('takes the project’s and the plan’s evaluations from the coordinating section only, and counts them in 集計', async () => {
    const [first, second] = projects;
    const body = { slotKey: 'proj', subjectKind: 'project', subjectId: first, departmentId: 0, code: 'B', version: 0 };
    expect((await editor.post(url(), body)).statusCode).toBe(403);
    expect((await coord.post(url(), body)).statusCode).toBe(200);
    expect((await coord.post(url(), { ...body, subjectId: second, code: 'D' })).statusCode).toBe(200);
    const whole = await coord.post(url(), {
      ...{ slotKey: 'whole', subjectKind: 'plan', subjectId: planId, departmentId: 0, version: 0 },
      ...{ code: 'A', comment: '全体として順調に進んでいる' },
    });
    expect(whole.statusCode, whole.body).toBe(200);

    const shown = await rows();
    expect(shown.find((r) => r.subjectId === first && r.subjectKind === 'project')!.values.proj).toMatchObject({
      code: 'B',
      source: 'entered',
      version: 1,
    });
    expect(shown.find((r) => r.subjectKind === 'plan')!.values.whole).toMatchObject({
      code: 'A',
      comment: '全体として順調に進んでいる',
    });
    const stored = await h.db
      .selectFrom('evaluations')
      .select(['slot_key', 'subject_kind', 'subject_id', 'code'])
      .where('plan_id', '=', planId)
      .orderBy('id')
      .execute();
    expect(stored).toEqual([
      { slot_key: 'proj', subject_kind: 'project', subject_id: first, code: 'B' },
      { slot_key: 'proj', subject_kind: 'project', subject_id: second, code: 'D' },
      { slot_key: 'whole', subject_kind: 'plan', subject_id: planId, code: 'A' },
    ]);

    const summary = (await coord.get(`/api/m/${mid}/report-summary?planId=${planId}&fiscalYear=2024&depth=0`)).json()
      .summary;
    const bySlot = Object.fromEntries(
      summary.slots.map(
        (s: { slotKey: string; total: { counts: { code: string; count: number }[]; points: unknown } }) => [
          s.slotKey,
          { counts: s.total.counts.map((c) => `${c.code}${c.count}`).join(' '), points: s.total.points },
        ],
      ),
    );
    expect(bySlot.proj).toEqual({ counts: 'A0 B1 C0 D1', points: { total: 4, scored: 2, average: 2 } });
    expect(bySlot.whole).toEqual({ counts: 'A1 B0 C0 D0', points: { total: 4, scored: 1, average: 4 } });
  });

  it('lists for the coordinating section an entered evaluation whose project the year no longer has', async () => {
    const [first] = projects;
    const detail = (await coord.get(`/api/m/${mid}/plans/${planId}`)).json();
    const p = detail.projects.find((x: { id: number }) => x.id === first);
    // 研修 ends with 令和5年度: its 令和6年度 evaluation (B) is neither printed nor counted any more.
    const ended = await coord.put(`/api/m/${mid}/projects/${first}`, {
      ...{ nodeId: p.nodeId, number: p.number, name: p.name, leadDepartmentId: p.leadDepartmentId },
      endYear: 2023,
    });
    expect(ended.statusCode, ended.body).toBe(200);
    const dto = (
      await coord.get(`/api/m/${mid}/plans/${planId}/years/2024/node-evaluations`)
    ).json<NodeEvaluationsDto>();
    expect(dto.rows.map((r) => r.title)).toEqual(['意識づくり', '講座', '計画全体']);
    expect(dto.stray).toEqual([
      {
        ...{ slotKey: 'proj', slotName: '事業評価', subjectKind: 'project', subjectId: first },
        ...{ subject: '事業2 研修', department: null, code: 'B', comment: '' },
      },
    ]);
    // A department user reads the screen without the list.
    expect((await editor.get(`/api/m/${mid}/plans/${planId}/years/2024/node-evaluations`)).json().stray).toEqual([]);
  });
});
