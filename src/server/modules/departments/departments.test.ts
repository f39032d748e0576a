import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addNode, createPlan } from '../../testing/plan-fixtures.js';

type Dept = {
  id: number;
  name: string;
  displayName: string;
  activeFrom: number | null;
  activeTo: number | null;
  parentId: number | null;
  successors: unknown[];
};

describe('departments and reorganisations', () => {
  let h: Harness;
  let mid: number;
  let coord: Client;
  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality()).id;
    coord = await h.as('coordinator', { municipalityId: mid });
  });
  afterAll(() => h.close());

  const list = async (): Promise<Dept[]> => (await coord.get(`/api/m/${mid}/departments`)).json().departments;

  it('builds a 部 → 課 tree', async () => {
    const bu = await coord.post(`/api/m/${mid}/departments`, { name: '都市整備部', kind: 'bu' });
    expect(bu.statusCode).toBe(201);
    const ka = await coord.post(`/api/m/${mid}/departments`, {
      name: '道路課',
      kind: 'ka',
      parentId: bu.json().department.id,
      activeFrom: 2010,
    });
    expect(ka.json().department).toMatchObject({
      name: '道路課',
      parentId: bu.json().department.id,
      activeFrom: 2010,
      activeTo: null,
    });
  });

  it('refuses a unit as its own ancestor', async () => {
    const bu = (await coord.post(`/api/m/${mid}/departments`, { name: '環境部', kind: 'bu' })).json().department;
    const ka = (await coord.post(`/api/m/${mid}/departments`, { name: '環境課', kind: 'ka', parentId: bu.id })).json()
      .department;
    const res = await coord.patch(`/api/m/${mid}/departments/${bu.id}`, { parentId: ka.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('上位');
  });

  it('renames a unit from a fiscal year, keeps the old one for earlier years and prints the note', async () => {
    const bu = (await coord.post(`/api/m/${mid}/departments`, { name: '建設部', kind: 'bu' })).json().department;
    const old = (await coord.post(`/api/m/${mid}/departments`, { name: '住宅課', kind: 'ka', parentId: bu.id })).json()
      .department;
    const editor = await h.as('department_editor', {
      municipalityId: mid,
      departmentId: old.id,
      loginName: 'housing-editor',
    });
    const planId = await createPlan(coord, mid);
    const node = await addNode(coord, mid, planId, '住まい');
    const project = (
      await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
        nodeId: node,
        number: '1',
        name: '住宅確保',
        leadDepartmentId: old.id,
      })
    ).json().project;

    const res = await coord.post(`/api/m/${mid}/departments/reorganisations`, {
      kind: 'rename',
      effectiveYear: 2016,
      fromIds: [old.id],
      toNames: ['住宅政策課'],
    });
    expect(res.statusCode).toBe(201);
    const all: Dept[] = res.json().departments;
    const renamed = all.find((d) => d.name === '住宅政策課')!;
    expect(renamed).toMatchObject({
      activeFrom: 2016,
      activeTo: null,
      parentId: bu.id,
      displayName: '住宅政策課（平成28年度より住宅課から組織変更）',
    });
    const before = all.find((d) => d.id === old.id)!;
    expect(before).toMatchObject({ name: '住宅課', activeTo: 2015 });
    expect(before.successors).toHaveLength(1);

    const detail = (await coord.get(`/api/m/${mid}/plans/${planId}`)).json();
    expect(detail.projects.find((p: { id: number }) => p.id === project.id).leadDepartmentId).toBe(renamed.id);
    const user = await h.db
      .selectFrom('users')
      .select('department_id')
      .where('login_name', '=', 'housing-editor')
      .executeTakeFirstOrThrow();
    expect(user.department_id).toBe(renamed.id);
    void editor;
  });

  it('merges two units into one and splits one into two', async () => {
    const a = (await coord.post(`/api/m/${mid}/departments`, { name: '市民課', kind: 'ka' })).json().department;
    const b = (await coord.post(`/api/m/${mid}/departments`, { name: '協働課', kind: 'ka' })).json().department;
    const merged = await coord.post(`/api/m/${mid}/departments/reorganisations`, {
      kind: 'merge',
      effectiveYear: 2022,
      fromIds: [a.id, b.id],
      toNames: ['市民協働課'],
    });
    expect(merged.statusCode).toBe(201);
    expect(merged.json().departments.find((d: Dept) => d.name === '市民協働課').displayName).toBe(
      '市民協働課（令和4年度より市民課・協働課を統合）',
    );

    const c = (await coord.post(`/api/m/${mid}/departments`, { name: '子育て課', kind: 'ka' })).json().department;
    const split = await coord.post(`/api/m/${mid}/departments/reorganisations`, {
      kind: 'split',
      effectiveYear: 2023,
      fromIds: [c.id],
      toNames: ['保育課', 'こども家庭課'],
    });
    expect(split.statusCode).toBe(201);
    const after: Dept[] = split.json().departments;
    expect(after.find((d) => d.name === 'こども家庭課')!.displayName).toBe(
      'こども家庭課（令和5年度より子育て課から分割）',
    );
    expect(after.find((d) => d.id === c.id)!.activeTo).toBe(2022);
  });

  it('refuses a reorganisation of a unit that had already ended', async () => {
    const d = (await coord.post(`/api/m/${mid}/departments`, { name: '旧課', kind: 'ka', activeTo: 2015 })).json()
      .department;
    const res = await coord.post(`/api/m/${mid}/departments/reorganisations`, {
      kind: 'rename',
      effectiveYear: 2020,
      fromIds: [d.id],
      toNames: ['新課'],
    });
    expect(res.statusCode).toBe(400);
    expect((await list()).some((x) => x.name === '新課')).toBe(false);
  });

  it('refuses a rename with two target names', async () => {
    const d = (await coord.post(`/api/m/${mid}/departments`, { name: '名称課', kind: 'ka' })).json().department;
    const res = await coord.post(`/api/m/${mid}/departments/reorganisations`, {
      kind: 'rename',
      effectiveYear: 2020,
      fromIds: [d.id],
      toNames: ['x', 'y'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('組織変更後の課名');
  });

  it('refuses to delete a unit that is in use and deletes an unused one', async () => {
    const bu = (await coord.post(`/api/m/${mid}/departments`, { name: '消防本部', kind: 'bu' })).json().department;
    const ka = (await coord.post(`/api/m/${mid}/departments`, { name: '予防課', kind: 'ka', parentId: bu.id })).json()
      .department;
    const res = await coord.delete(`/api/m/${mid}/departments/${bu.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('下位の課が1件');
    expect((await coord.delete(`/api/m/${mid}/departments/${ka.id}`)).statusCode).toBe(204);
    expect((await coord.delete(`/api/m/${mid}/departments/${bu.id}`)).statusCode).toBe(204);
  });

  it('lets department users read the tree but not change it', async () => {
    const d = (await list())[0]!;
    const viewer = await h.as('department_viewer', { municipalityId: mid, departmentId: d.id });
    expect((await viewer.get(`/api/m/${mid}/departments`)).statusCode).toBe(200);
    expect((await viewer.post(`/api/m/${mid}/departments`, { name: 'x', kind: 'ka' })).statusCode).toBe(403);
    expect((await viewer.patch(`/api/m/${mid}/departments/${d.id}`, { name: 'x' })).statusCode).toBe(403);
  });
});
