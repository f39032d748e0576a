import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sheet } from '../domain/api-types.js';
import { createHarness, type Client, type Harness } from './testing/harness.js';

/**
 * Every endpoint of the yearly cycle × every role. Each call works on a plan and round of its
 * own, so what one permitted role did never decides what the next one gets.
 */
type Who =
  | 'system_admin'
  | 'coordinator'
  | 'editor_a'
  | 'viewer_a'
  | 'editor_b'
  | 'council_member'
  | 'committee_member'
  | 'other_coordinator'
  | 'anonymous';
const WHO: Who[] = [
  'system_admin',
  'coordinator',
  'editor_a',
  'viewer_a',
  'editor_b',
  'council_member',
  'committee_member',
  'other_coordinator',
  'anonymous',
];

interface Fresh {
  planId: number;
  projectId: number;
  roundId: number;
  recordA: { id: number; version: number };
  indicatorId: number;
}

type Call = { method: 'GET' | 'POST' | 'PUT'; url: string; body?: object };
type Rule = Partial<Record<Who, number>> & { default: number };

describe('authorization matrix of the yearly cycle', () => {
  let h: Harness;
  let mid: number;
  let deptA: number;
  let deptB: number;
  let clients: Map<Who, Client>;

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('本市')).id;
    const other = (await h.municipality('他市')).id;
    deptA = await h.department(mid, '人権推進課');
    deptB = await h.department(mid, '学校教育課');
    clients = new Map<Who, Client>([
      ['system_admin', await h.as('system_admin')],
      ['coordinator', await h.as('coordinator', { municipalityId: mid })],
      ['editor_a', await h.as('department_editor', { municipalityId: mid, departmentId: deptA })],
      ['viewer_a', await h.as('department_viewer', { municipalityId: mid, departmentId: deptA })],
      ['editor_b', await h.as('department_editor', { municipalityId: mid, departmentId: deptB })],
      ['council_member', await h.as('council_member', { municipalityId: mid })],
      ['committee_member', await h.as('committee_member', { municipalityId: mid })],
      ['other_coordinator', await h.as('coordinator', { municipalityId: other })],
      ['anonymous', h.client()],
    ]);
  });
  afterAll(() => h.close());

  async function fresh(state: 'open' | 'submitted' | 'closed' = 'open'): Promise<Fresh> {
    const c = clients.get('coordinator')!;
    const plan = (
      await c.post(`/api/m/${mid}/plans`, {
        title: '権限確認',
        firstYear: 2021,
        lastYear: 2030,
        levels: [
          { name: '目標', numberingStyle: 'arabic', numberingScope: 'plan' },
          { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
        ],
      })
    ).json().plan.id as number;
    const node = (await c.post(`/api/m/${mid}/plans/${plan}/nodes`, { title: '目標' })).json().node.id as number;
    const projectId = (
      await c.post(`/api/m/${mid}/plans/${plan}/projects`, {
        nodeId: node,
        number: '1',
        name: '事業',
        leadDepartmentId: deptA,
        coDepartmentIds: [deptB],
      })
    ).json().project.id as number;
    const indicatorId = (
      await c.post(`/api/m/${mid}/projects/${projectId}/indicators`, {
        name: '回数',
        unit: '回',
        kind: 'number',
        direction: 'higher',
      })
    ).json().indicator.id as number;
    const roundId = (
      await c.post(`/api/m/${mid}/rounds`, {
        planId: plan,
        fiscalYear: 2024,
        phase: 'start',
        deadline: '2024-05-31',
        departmentIds: [deptA, deptB],
      })
    ).json().round.id as number;
    const sheet = (await c.get(`/api/m/${mid}/rounds/${roundId}/departments/${deptA}/sheet`)).json<Sheet>();
    let record = { id: sheet.items[0]!.record.id, version: sheet.items[0]!.record.version };
    const saved = await c.put(`/api/m/${mid}/records/${record.id}`, { version: record.version, planText: '予定' });
    record = { id: record.id, version: saved.json().record.version };
    if (state === 'submitted') {
      await c.post(`/api/m/${mid}/rounds/${roundId}/departments/${deptA}/submit`);
      record.version++;
    }
    if (state === 'closed') await c.post(`/api/m/${mid}/rounds/${roundId}/close`);
    return { planId: plan, projectId, roundId, recordA: record, indicatorId };
  }

  const COORD_ONLY: Rule = { default: 403, system_admin: 200, coordinator: 200, anonymous: 401 };
  const ENDPOINTS: { name: string; state?: 'open' | 'submitted' | 'closed'; call: (f: Fresh) => Call; rule: Rule }[] = [
    {
      name: 'list rounds',
      call: () => ({ method: 'GET', url: `/api/m/${mid}/rounds` }),
      rule: { default: 200, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: 'list tasks',
      call: () => ({ method: 'GET', url: `/api/m/${mid}/tasks` }),
      rule: { default: 200, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: 'open a round',
      state: 'closed',
      call: (f) => ({
        method: 'POST',
        url: `/api/m/${mid}/rounds`,
        body: { planId: f.planId, fiscalYear: 2025, phase: 'start', deadline: '2025-05-31', departmentIds: [deptA] },
      }),
      rule: { ...COORD_ONLY, system_admin: 201, coordinator: 201 },
    },
    {
      name: 'close a round',
      call: (f) => ({ method: 'POST', url: `/api/m/${mid}/rounds/${f.roundId}/close` }),
      rule: COORD_ONLY,
    },
    {
      name: 'reopen for a department',
      state: 'closed',
      call: (f) => ({ method: 'POST', url: `/api/m/${mid}/rounds/${f.roundId}/departments/${deptA}/reopen` }),
      rule: COORD_ONLY,
    },
    {
      name: 'status board',
      call: (f) => ({ method: 'GET', url: `/api/m/${mid}/rounds/${f.roundId}/board` }),
      rule: COORD_ONLY,
    },
    {
      name: 'send reminders',
      call: (f) => ({ method: 'POST', url: `/api/m/${mid}/rounds/${f.roundId}/remind` }),
      rule: { ...COORD_ONLY, system_admin: 409, coordinator: 409 },
    },
    {
      name: "read department A's sheet",
      call: (f) => ({ method: 'GET', url: `/api/m/${mid}/rounds/${f.roundId}/departments/${deptA}/sheet` }),
      rule: { default: 403, system_admin: 200, coordinator: 200, editor_a: 200, viewer_a: 200, anonymous: 401 },
    },
    {
      name: "save department A's record",
      call: (f) => ({
        method: 'PUT',
        url: `/api/m/${mid}/records/${f.recordA.id}`,
        body: { version: f.recordA.version, planText: '変更' },
      }),
      rule: {
        default: 403,
        system_admin: 200,
        coordinator: 200,
        editor_a: 200,
        anonymous: 401,
        other_coordinator: 403,
      },
    },
    {
      name: "submit department A's sheet",
      call: (f) => ({ method: 'POST', url: `/api/m/${mid}/rounds/${f.roundId}/departments/${deptA}/submit` }),
      rule: { default: 403, system_admin: 200, coordinator: 200, editor_a: 200, anonymous: 401 },
    },
    {
      name: 'submit one record',
      call: (f) => ({ method: 'POST', url: `/api/m/${mid}/records/${f.recordA.id}/submit` }),
      rule: { default: 403, system_admin: 200, coordinator: 200, editor_a: 200, anonymous: 401 },
    },
    {
      name: 'return one record',
      state: 'submitted',
      call: (f) => ({ method: 'POST', url: `/api/m/${mid}/records/${f.recordA.id}/return`, body: { message: '確認' } }),
      rule: COORD_ONLY,
    },
    {
      name: 'return a department',
      state: 'submitted',
      call: (f) => ({
        method: 'POST',
        url: `/api/m/${mid}/rounds/${f.roundId}/departments/${deptA}/return`,
        body: { message: '確認' },
      }),
      rule: COORD_ONLY,
    },
    {
      name: 'approve one record',
      state: 'submitted',
      call: (f) => ({ method: 'POST', url: `/api/m/${mid}/records/${f.recordA.id}/approve` }),
      rule: COORD_ONLY,
    },
    {
      name: 'approve a department',
      state: 'submitted',
      call: (f) => ({ method: 'POST', url: `/api/m/${mid}/rounds/${f.roundId}/departments/${deptA}/approve` }),
      rule: COORD_ONLY,
    },
    {
      name: 'comment on a record',
      call: (f) => ({
        method: 'POST',
        url: `/api/m/${mid}/records/${f.recordA.id}/comments`,
        body: { body: 'コメント' },
      }),
      rule: { default: 403, system_admin: 201, coordinator: 201, editor_a: 201, anonymous: 401 },
    },
    {
      name: "read a record's history",
      call: (f) => ({ method: 'GET', url: `/api/m/${mid}/records/${f.recordA.id}/history` }),
      rule: { default: 403, system_admin: 200, coordinator: 200, editor_a: 200, viewer_a: 200, anonymous: 401 },
    },
    {
      name: 'define an indicator',
      call: (f) => ({
        method: 'POST',
        url: `/api/m/${mid}/projects/${f.projectId}/indicators`,
        body: { name: '人数', unit: '人', kind: 'number', direction: 'higher' },
      }),
      rule: { ...COORD_ONLY, system_admin: 201, coordinator: 201 },
    },
    {
      name: 'read indicators',
      call: (f) => ({ method: 'GET', url: `/api/m/${mid}/projects/${f.projectId}/indicators` }),
      rule: { default: 200, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: 'read the council view',
      call: (f) => ({ method: 'GET', url: `/api/m/${mid}/council?planId=${f.planId}&fiscalYear=2024` }),
      rule: { default: 200, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: 'write a council comment',
      call: (f) => ({
        method: 'POST',
        url: `/api/m/${mid}/projects/${f.projectId}/council-comments`,
        body: { fiscalYear: 2024, body: '意見' },
      }),
      // The member is allowed but this year has no approved answer yet.
      rule: { default: 403, council_member: 409, anonymous: 401 },
    },
    // Grades and reports.
    {
      name: 'read the evaluation settings',
      call: (f) => ({ method: 'GET', url: `/api/m/${mid}/plans/${f.planId}/evaluation` }),
      rule: { default: 200, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: 'change the evaluation settings',
      call: (f) => ({
        method: 'PUT',
        url: `/api/m/${mid}/plans/${f.planId}/evaluation`,
        body: {
          fromYear: 2021,
          config: {
            scales: [{ key: 'a', name: 'A', rule: { kind: 'manual' }, grades: [{ code: 'A', label: '順調' }] }],
            slots: [{ key: 'self', name: '評価', subject: 'record', enteredBy: 'department', scale: 'a' }],
          },
        },
      }),
      rule: COORD_ONLY,
    },
    {
      name: "read the year's evaluations of nodes",
      call: (f) => ({ method: 'GET', url: `/api/m/${mid}/plans/${f.planId}/years/2024/node-evaluations` }),
      rule: { default: 200, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: "enter a department's evaluation outside its answer",
      call: (f) => ({
        method: 'POST',
        url: `/api/m/${mid}/plans/${f.planId}/years/2024/evaluations`,
        body: {
          slotKey: 'self',
          subjectKind: 'record',
          subjectId: f.projectId,
          departmentId: deptA,
          code: 'A',
          version: 0,
        },
      }),
      // Department slots are entered with the answer only, whoever asks.
      rule: { default: 403, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: 'read a report',
      call: (f) => ({
        method: 'GET',
        url: `/api/m/${mid}/report?planId=${f.planId}&fiscalYear=2024&layout=department-sheets`,
      }),
      rule: { default: 200, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: "read department A's report as department B",
      call: (f) => ({
        method: 'GET',
        url: `/api/m/${mid}/report?planId=${f.planId}&fiscalYear=2024&layout=department-sheets&departmentId=${deptA}`,
      }),
      rule: { default: 200, editor_b: 403, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: 'read a summary',
      call: (f) => ({ method: 'GET', url: `/api/m/${mid}/report-summary?planId=${f.planId}&fiscalYear=2024` }),
      rule: { default: 200, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: "read an indicator's series",
      call: (f) => ({ method: 'GET', url: `/api/m/${mid}/indicators/${f.indicatorId}/series` }),
      rule: { default: 200, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: 'list layouts',
      call: () => ({ method: 'GET', url: `/api/m/${mid}/report-layouts` }),
      rule: { default: 200, other_coordinator: 403, anonymous: 401 },
    },
    {
      name: 'save a layout',
      call: () => ({
        method: 'POST',
        url: `/api/m/${mid}/report-layouts`,
        body: {
          name: `庁内${Math.random()}`,
          hierarchy: 'columns',
          rowUnit: 'project',
          grouping: 'tree',
          columns: [{ key: 'projectName', header: ['事業'], width: 10 }],
        },
      }),
      rule: { ...COORD_ONLY, system_admin: 201, coordinator: 201 },
    },
    {
      name: 'publish a report',
      call: (f) => ({
        method: 'POST',
        url: `/api/m/${mid}/report-snapshots`,
        body: {
          planId: f.planId,
          fiscalYear: 2024,
          layout: 'department-sheets',
          asOf: '2025-03-31',
          includeUnapproved: true,
        },
      }),
      rule: { ...COORD_ONLY, system_admin: 201, coordinator: 201 },
    },
    {
      name: 'list published reports',
      call: () => ({ method: 'GET', url: `/api/m/${mid}/report-snapshots` }),
      rule: { default: 200, other_coordinator: 403, anonymous: 401 },
    },
  ];

  for (const e of ENDPOINTS)
    it(`${e.name}: answers each role as its policy says`, async () => {
      const got: Partial<Record<Who, number>> = {};
      for (const who of WHO) {
        const c = e.call(await fresh(e.state));
        got[who] = (await clients.get(who)!.request(c.method, c.url, c.body)).statusCode;
      }
      const want = Object.fromEntries(WHO.map((w) => [w, e.rule[w] ?? e.rule.default]));
      expect(got).toEqual(want);
    });
});
