import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addNode, createPlan } from '../../testing/plan-fixtures.js';

describe('municipalities are isolated from each other', () => {
  let h: Harness;
  let a: number;
  let b: number;
  let planB: number;
  let nodeB: number;
  let projectB: number;
  let deptB: number;
  let userB: number;
  let coordA: Client;
  let editorA: Client;
  beforeAll(async () => {
    h = await createHarness();
    a = (await h.municipality('A市')).id;
    b = (await h.municipality('B町')).id;
    const deptA = await h.department(a, 'A市 総務課');
    deptB = await h.department(b, 'B町 総務課');
    coordA = await h.as('coordinator', { municipalityId: a });
    editorA = await h.as('department_editor', { municipalityId: a, departmentId: deptA });
    const coordB = await h.as('coordinator', { municipalityId: b, loginName: 'coord-b' });
    userB = (await h.db.selectFrom('users').select('id').where('login_name', '=', 'coord-b').executeTakeFirstOrThrow())
      .id;
    planB = await createPlan(coordB, b);
    nodeB = await addNode(coordB, b, planB, 'B町の目標');
    projectB = (
      await coordB.post(`/api/m/${b}/plans/${planB}/projects`, {
        nodeId: nodeB,
        number: '1',
        name: 'B町の事業',
        leadDepartmentId: deptB,
      })
    ).json().project.id;
  });
  afterAll(() => h.close());

  it("refuses another municipality's data through its path with 403", async () => {
    for (const c of [coordA, editorA]) {
      for (const url of [
        `/api/m/${b}`,
        `/api/m/${b}/plans`,
        `/api/m/${b}/plans/${planB}`,
        `/api/m/${b}/plans/${planB}/export`,
        `/api/m/${b}/departments`,
      ])
        expect((await c.get(url)).statusCode, url).toBe(403);
      expect((await c.patch(`/api/m/${b}/nodes/${nodeB}`, { title: '乗っ取り' })).statusCode).toBe(403);
      expect((await c.delete(`/api/m/${b}/projects/${projectB}`)).statusCode).toBe(403);
      expect((await c.post(`/api/m/${b}/departments`, { name: '侵入課', kind: 'ka' })).statusCode).toBe(403);
    }
  });

  it("answers another municipality's ids under one's own path with 404", async () => {
    for (const c of [coordA, editorA]) {
      expect((await c.get(`/api/m/${a}/plans/${planB}`)).statusCode).toBe(404);
      expect((await c.get(`/api/m/${a}/plans/${planB}/export`)).statusCode).toBe(404);
    }
    expect((await coordA.patch(`/api/m/${a}/nodes/${nodeB}`, { title: '乗っ取り' })).statusCode).toBe(404);
    expect((await coordA.post(`/api/m/${a}/nodes/${nodeB}/move`, { parentId: null, index: 0 })).statusCode).toBe(404);
    expect((await coordA.delete(`/api/m/${a}/nodes/${nodeB}`)).statusCode).toBe(404);
    expect(
      (
        await coordA.put(`/api/m/${a}/projects/${projectB}`, {
          nodeId: nodeB,
          number: '1',
          name: 'x',
          leadDepartmentId: deptB,
        })
      ).statusCode,
    ).toBe(404);
    expect((await coordA.patch(`/api/m/${a}/departments/${deptB}`, { name: 'x' })).statusCode).toBe(404);
    expect((await coordA.patch(`/api/users/${userB}`, { displayName: 'x' })).statusCode).toBe(404);
  });

  it("cannot point its own data at another municipality's rows", async () => {
    const planA = await createPlan(coordA, a);
    const nodeA = await addNode(coordA, a, planA, 'A市の目標');
    const res = await coordA.post(`/api/m/${a}/plans/${planA}/projects`, {
      nodeId: nodeA,
      number: '1',
      name: 'x',
      leadDepartmentId: deptB,
    });
    expect(res.statusCode).toBe(400);
    const cross = await coordA.post(`/api/m/${a}/plans/${planA}/nodes`, { title: 'x', parentId: nodeB });
    expect(cross.statusCode).toBe(400);
    const user = await coordA.post('/api/users', {
      loginName: 'sneaky',
      displayName: 'x',
      role: 'department_editor',
      municipalityId: b,
      departmentId: deptB,
      password: 'long-enough-pw',
    });
    expect(user.statusCode).toBe(403);
  });

  it('lists only its own municipality and users', async () => {
    const list = (await coordA.get('/api/municipalities')).json().municipalities;
    expect(list.map((m: { id: number }) => m.id)).toEqual([a]);
    const users = (await coordA.get('/api/users')).json().users;
    expect(users.every((u: { municipalityId: number }) => u.municipalityId === a)).toBe(true);
    expect((await coordA.get(`/api/users?municipalityId=${b}`)).statusCode).toBe(403);
  });

  it('still shows every row of B unchanged', async () => {
    const node = await h.db.selectFrom('plan_nodes').select('title').where('id', '=', nodeB).executeTakeFirstOrThrow();
    expect(node.title).toBe('B町の目標');
    expect(await h.db.selectFrom('projects').select('id').where('id', '=', projectB).execute()).toHaveLength(1);
  });
});

describe('municipality registration', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('checks the 全国地方公共団体コード check digit', async () => {
    const admin = await h.as('system_admin');
    const bad = await admin.post('/api/municipalities', { name: '武蔵野市', code: '132038' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('全国地方公共団体コード');
    expect(bad.json().message).toContain('検査数字');
    const ok = await admin.post('/api/municipalities', { name: '武蔵野市', code: '132039' });
    expect(ok.statusCode).toBe(201);
    const dup = await admin.post('/api/municipalities', { name: '別の市', code: '132039' });
    expect(dup.statusCode).toBe(409);
    const era = await admin.patch(`/api/m/${ok.json().municipality.id}`, { era2019: 'heisei31' });
    expect(era.json().municipality).toMatchObject({ name: '武蔵野市', code: '132039', era2019: 'heisei31' });
  });

  it('is for system administrators only', async () => {
    const m = await h.municipality();
    const coord = await h.as('coordinator', { municipalityId: m.id });
    expect((await coord.post('/api/municipalities', { name: 'x', code: '130001' })).statusCode).toBe(403);
    expect((await coord.patch(`/api/m/${m.id}`, { name: 'x' })).statusCode).toBe(403);
  });
});
