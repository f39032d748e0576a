import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../domain/roles.js';
import { createHarness, uniqueCode, type Client, type Harness } from './testing/harness.js';
import { addNode, createPlan, THREE_LEVELS } from './testing/plan-fixtures.js';

/**
 * Every endpoint of the foundation × every role: who may read, who may write, and what the
 * others get. Each call gets fresh rows of its own, so a permitted delete never hides a refusal.
 */
type Who = Role | 'anonymous' | 'other_coordinator';
const WHO: Who[] = [
  'system_admin',
  'coordinator',
  'department_editor',
  'department_viewer',
  'council_member',
  'other_coordinator',
  'anonymous',
];

interface Rows {
  planId: number;
  nodeId: number;
  childId: number;
  projectId: number;
  deptId: number;
  spareDeptId: number;
  userId: number;
}

type Call = { method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; body?: object };

const READ = 'read';
const EDIT = 'edit';
const ADMIN = 'admin';
const USERS = 'users';

const ENDPOINTS: { name: string; access: string; call: (mid: number, r: Rows) => Call }[] = [
  { name: 'list plans', access: READ, call: (m) => ({ method: 'GET', url: `/api/m/${m}/plans` }) },
  { name: 'read a plan', access: READ, call: (m, r) => ({ method: 'GET', url: `/api/m/${m}/plans/${r.planId}` }) },
  {
    name: 'export a plan',
    access: READ,
    call: (m, r) => ({ method: 'GET', url: `/api/m/${m}/plans/${r.planId}/export` }),
  },
  { name: 'list departments', access: READ, call: (m) => ({ method: 'GET', url: `/api/m/${m}/departments` }) },
  { name: 'read the municipality', access: READ, call: (m) => ({ method: 'GET', url: `/api/m/${m}` }) },
  {
    name: 'create a plan',
    access: EDIT,
    call: (m) => ({
      method: 'POST',
      url: `/api/m/${m}/plans`,
      body: { title: 'x', firstYear: 2021, lastYear: 2022, levels: THREE_LEVELS },
    }),
  },
  {
    name: 'update a plan',
    access: EDIT,
    call: (m, r) => ({ method: 'PATCH', url: `/api/m/${m}/plans/${r.planId}`, body: { title: 'y' } }),
  },
  {
    name: 'import a plan',
    access: EDIT,
    call: (m) => ({
      method: 'POST',
      url: `/api/m/${m}/plans/import`,
      body: {
        format: 'shinchoku.plan-structure',
        version: 1,
        plan: { title: 'i', slogan: '', firstYear: 2021, lastYear: 2022, subPlans: [] },
        levels: THREE_LEVELS,
        nodes: [],
        projects: [],
      },
    }),
  },
  {
    name: 'add a node',
    access: EDIT,
    call: (m, r) => ({ method: 'POST', url: `/api/m/${m}/plans/${r.planId}/nodes`, body: { title: 'n' } }),
  },
  {
    name: 'rename a node',
    access: EDIT,
    call: (m, r) => ({ method: 'PATCH', url: `/api/m/${m}/nodes/${r.nodeId}`, body: { title: 'n2' } }),
  },
  {
    name: 'move a node',
    access: EDIT,
    call: (m, r) => ({
      method: 'POST',
      url: `/api/m/${m}/nodes/${r.childId}/move`,
      body: { parentId: r.nodeId, index: 0 },
    }),
  },
  {
    name: 'delete a node',
    access: EDIT,
    call: (m, r) => ({ method: 'DELETE', url: `/api/m/${m}/nodes/${r.childId}` }),
  },
  {
    name: 'add a project',
    access: EDIT,
    call: (m, r) => ({
      method: 'POST',
      url: `/api/m/${m}/plans/${r.planId}/projects`,
      body: { nodeId: r.nodeId, number: '99', name: 'p', leadDepartmentId: r.deptId },
    }),
  },
  {
    name: 'update a project',
    access: EDIT,
    call: (m, r) => ({
      method: 'PUT',
      url: `/api/m/${m}/projects/${r.projectId}`,
      body: { nodeId: r.nodeId, number: '1', name: 'p2', leadDepartmentId: r.deptId },
    }),
  },
  {
    name: 'delete a project',
    access: EDIT,
    call: (m, r) => ({ method: 'DELETE', url: `/api/m/${m}/projects/${r.projectId}` }),
  },
  { name: 'delete a plan', access: EDIT, call: (m) => ({ method: 'DELETE', url: `/api/m/${m}/plans/999999` }) },
  {
    name: 'add a department',
    access: EDIT,
    call: (m) => ({ method: 'POST', url: `/api/m/${m}/departments`, body: { name: '新設課', kind: 'ka' } }),
  },
  {
    name: 'update a department',
    access: EDIT,
    call: (m, r) => ({ method: 'PATCH', url: `/api/m/${m}/departments/${r.spareDeptId}`, body: { name: '改称課' } }),
  },
  {
    name: 'delete a department',
    access: EDIT,
    call: (m, r) => ({ method: 'DELETE', url: `/api/m/${m}/departments/${r.spareDeptId}` }),
  },
  {
    name: 'reorganise',
    access: EDIT,
    call: (m, r) => ({
      method: 'POST',
      url: `/api/m/${m}/departments/reorganisations`,
      body: { kind: 'rename', effectiveYear: 2024, fromIds: [r.spareDeptId], toNames: ['後継課'] },
    }),
  },
  { name: 'read the audit log', access: EDIT, call: (m) => ({ method: 'GET', url: `/api/m/${m}/audit` }) },
  { name: 'list users', access: USERS, call: (m) => ({ method: 'GET', url: `/api/users?municipalityId=${m}` }) },
  {
    name: 'add a user',
    access: USERS,
    call: (m) => ({
      method: 'POST',
      url: '/api/users',
      body: {
        loginName: `u${Math.random().toString(36).slice(2, 10)}`,
        displayName: 'x',
        role: 'council_member',
        municipalityId: m,
        password: 'long-enough-1',
      },
    }),
  },
  {
    name: 'update a user',
    access: USERS,
    call: (_m, r) => ({ method: 'PATCH', url: `/api/users/${r.userId}`, body: { displayName: 'z' } }),
  },
  {
    name: 'update the municipality',
    access: ADMIN,
    call: (m) => ({ method: 'PATCH', url: `/api/m/${m}`, body: { era2019: 'heisei31' } }),
  },
  {
    name: 'register a municipality',
    access: ADMIN,
    call: () => ({ method: 'POST', url: '/api/municipalities', body: { name: '新市', code: uniqueCode() } }),
  },
];

function expected(access: string, who: Who, name: string): number[] {
  if (who === 'anonymous') return [401];
  if (who === 'system_admin') return name === 'delete a plan' ? [404] : [200, 201, 204];
  if (access === ADMIN) return [403];
  // Users of another municipality are refused by the path; a user record of ours is simply not theirs to find.
  if (who === 'other_coordinator') return name === 'update a user' ? [404] : [403];
  if (access === READ) return [200];
  if (who === 'coordinator') return name === 'delete a plan' ? [404] : [200, 201, 204];
  return [403];
}

describe('authorization matrix of the foundation endpoints', () => {
  let h: Harness;
  let mid: number;
  let clients: Map<Who, Client>;
  let coord: Client;

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('本市')).id;
    const other = (await h.municipality('他市')).id;
    const dept = await h.department(mid, '担当課');
    clients = new Map<Who, Client>([
      ['system_admin', await h.as('system_admin')],
      ['coordinator', await h.as('coordinator', { municipalityId: mid })],
      ['department_editor', await h.as('department_editor', { municipalityId: mid, departmentId: dept })],
      ['department_viewer', await h.as('department_viewer', { municipalityId: mid, departmentId: dept })],
      ['council_member', await h.as('council_member', { municipalityId: mid })],
      ['other_coordinator', await h.as('coordinator', { municipalityId: other })],
      ['anonymous', h.client()],
    ]);
    coord = clients.get('coordinator')!;
  });
  afterAll(() => h.close());

  async function freshRows(): Promise<Rows> {
    const planId = await createPlan(coord, mid);
    const nodeId = await addNode(coord, mid, planId, 'top');
    await addNode(coord, mid, planId, 'top2');
    const childId = await addNode(coord, mid, planId, 'child', nodeId);
    const deptId = await h.department(mid, `課${Math.random()}`);
    const spareDeptId = await h.department(mid, `予備課${Math.random()}`);
    const project = await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
      nodeId,
      number: '1',
      name: 'p',
      leadDepartmentId: deptId,
    });
    const user = await coord.post('/api/users', {
      loginName: `m${Math.random().toString(36).slice(2, 10)}`,
      displayName: 'x',
      role: 'council_member',
      password: 'long-enough-1',
    });
    return {
      planId,
      nodeId,
      childId,
      projectId: project.json().project.id,
      deptId,
      spareDeptId,
      userId: user.json().user.id,
    };
  }

  for (const endpoint of ENDPOINTS)
    it(`${endpoint.name}: answers each role as its policy says`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number[]> = {};
      for (const who of WHO) {
        const c = endpoint.call(mid, await freshRows());
        const res = await clients.get(who)!.request(c.method, c.url, c.body);
        got[who] = res.statusCode;
        want[who] = expected(endpoint.access, who, endpoint.name);
      }
      for (const who of WHO) expect(want[who], `${endpoint.name} as ${who} answered ${got[who]}`).toContain(got[who]);
    });
});
