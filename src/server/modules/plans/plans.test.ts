import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { addNode, createPlan, THREE_LEVELS } from '../../testing/plan-fixtures.js';

describe('plans, their tree and projects', () => {
  let h: Harness;
  let mid: number;
  let coord: Client;
  let deptA: number;
  let deptB: number;
  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality()).id;
    coord = await h.as('coordinator', { municipalityId: mid });
    deptA = await h.department(mid, '人権推進課');
    deptB = await h.department(mid, '学校教育課');
  });
  afterAll(() => h.close());

  it('creates a plan with its levels, period and sub-plans', async () => {
    const res = await coord.post(`/api/m/${mid}/plans`, {
      title: '第2次テスト市男女共同参画プラン',
      slogan: 'ともに輝く',
      firstYear: 2021,
      lastYear: 2030,
      levels: THREE_LEVELS,
      subPlans: ['女性活躍推進計画', 'DV防止基本計画'],
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.plan).toMatchObject({ title: '第2次テスト市男女共同参画プラン', firstYear: 2021, lastYear: 2030 });
    expect(body.plan.subPlans.map((s: { name: string }) => s.name)).toEqual(['女性活躍推進計画', 'DV防止基本計画']);
    expect(body.levels.map((l: { name: string }) => l.name)).toEqual(['基本目標', '施策の方向', '施策']);
  });

  it('numbers nodes by each level style and inherits sub-plan tags downwards', async () => {
    const planId = await createPlan(coord, mid, { subPlans: ['DV防止基本計画'] });
    const g1 = await addNode(coord, mid, planId, '意識づくり');
    const g2 = await addNode(coord, mid, planId, '暴力の根絶', null, { subPlans: ['DV防止基本計画'], priority: true });
    const d1 = await addNode(coord, mid, planId, '啓発', g1);
    const d2 = await addNode(coord, mid, planId, '相談', g2);
    const m1 = await addNode(coord, mid, planId, '相談窓口', d2);
    const m2 = await addNode(coord, mid, planId, '一時保護', d2);
    const detail = (await coord.get(`/api/m/${mid}/plans/${planId}`)).json();
    const byId = new Map(detail.nodes.map((n: { id: number }) => [n.id, n]));
    const n = (id: number) => byId.get(id) as { number: string; effectiveSubPlanIds: number[]; priority: boolean };
    expect([g1, g2, d1, d2, m1, m2].map((id) => n(id).number)).toEqual(['Ⅰ', 'Ⅱ', '(1)', '(2)', '①', '②']);
    const dv = detail.plan.subPlans[0].id;
    expect(n(m2).effectiveSubPlanIds).toEqual([dv]);
    expect(n(d1).effectiveSubPlanIds).toEqual([]);
    expect(n(g2).priority).toBe(true);
  });

  it('refuses a node below the last level', async () => {
    const planId = await createPlan(coord, mid);
    const a = await addNode(coord, mid, planId, 'a');
    const b = await addNode(coord, mid, planId, 'b', a);
    const c = await addNode(coord, mid, planId, 'c', b);
    const res = await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: 'd', parentId: c });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('3段まで');
  });

  it('moves a node up and down among its siblings and under another parent', async () => {
    const planId = await createPlan(coord, mid);
    const g1 = await addNode(coord, mid, planId, 'g1');
    const g2 = await addNode(coord, mid, planId, 'g2');
    const a = await addNode(coord, mid, planId, 'a', g1);
    const b = await addNode(coord, mid, planId, 'b', g1);
    const c = await addNode(coord, mid, planId, 'c', g2);
    expect((await coord.post(`/api/m/${mid}/nodes/${b}/move`, { parentId: g1, index: 0 })).statusCode).toBe(200);
    let detail = (await coord.get(`/api/m/${mid}/plans/${planId}`)).json();
    const order = (parent: number) =>
      detail.nodes
        .filter((n: { parentId: number }) => n.parentId === parent)
        .sort((x: { position: number }, y: { position: number }) => x.position - y.position)
        .map((n: { title: string; number: string }) => `${n.number} ${n.title}`);
    expect(order(g1)).toEqual(['(1) b', '(2) a']);
    expect((await coord.post(`/api/m/${mid}/nodes/${a}/move`, { parentId: g2, index: 1 })).statusCode).toBe(200);
    detail = (await coord.get(`/api/m/${mid}/plans/${planId}`)).json();
    expect(order(g1)).toEqual(['(1) b']);
    expect(order(g2)).toEqual(['(2) c', '(3) a']);
    void c;
  });

  it('makes cycles and level jumps impossible', async () => {
    const planId = await createPlan(coord, mid);
    const g1 = await addNode(coord, mid, planId, 'g1');
    const d1 = await addNode(coord, mid, planId, 'd1', g1);
    const m1 = await addNode(coord, mid, planId, 'm1', d1);
    const cycle = await coord.post(`/api/m/${mid}/nodes/${g1}/move`, { parentId: m1, index: 0 });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().message).toContain('自分自身');
    const self = await coord.post(`/api/m/${mid}/nodes/${d1}/move`, { parentId: d1, index: 0 });
    expect(self.statusCode).toBe(400);
    const jump = await coord.post(`/api/m/${mid}/nodes/${m1}/move`, { parentId: g1, index: 0 });
    expect(jump.statusCode).toBe(400);
    expect(jump.json().message).toContain('一つ上の階層');
  });

  it('refuses to delete a node while children or projects hang below it', async () => {
    const planId = await createPlan(coord, mid);
    const g1 = await addNode(coord, mid, planId, '基本目標A');
    const d1 = await addNode(coord, mid, planId, '方向A', g1);
    const withChild = await coord.delete(`/api/m/${mid}/nodes/${g1}`);
    expect(withChild.statusCode).toBe(409);
    expect(withChild.json().message).toContain('下位の項目が1件');
    const p = await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
      nodeId: d1,
      number: '1',
      name: '講座',
      leadDepartmentId: deptA,
    });
    expect(p.statusCode).toBe(201);
    const withProject = await coord.delete(`/api/m/${mid}/nodes/${d1}`);
    expect(withProject.statusCode).toBe(409);
    expect(withProject.json().message).toContain('事業が1件');
    expect((await coord.delete(`/api/m/${mid}/projects/${p.json().project.id}`)).statusCode).toBe(204);
    expect((await coord.delete(`/api/m/${mid}/nodes/${d1}`)).statusCode).toBe(204);
    expect((await coord.delete(`/api/m/${mid}/nodes/${g1}`)).statusCode).toBe(204);
  });

  it('stores a cross-listed project once and shows it under both nodes', async () => {
    const planId = await createPlan(coord, mid);
    const g1 = await addNode(coord, mid, planId, '教育');
    const g2 = await addNode(coord, mid, planId, '暴力の根絶');
    const d1 = await addNode(coord, mid, planId, '学校教育', g1);
    const d2 = await addNode(coord, mid, planId, 'DVの防止', g2);
    const res = await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
      nodeId: d2,
      number: '12',
      name: 'デートDV防止講座',
      summary: '中学校で講座を開く',
      category: '充実',
      audience: '中学生',
      leadDepartmentId: deptA,
      coDepartmentIds: [deptB],
      crossListNodeIds: [d1],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().project).toMatchObject({
      nodeId: d2,
      leadDepartmentId: deptA,
      coDepartmentIds: [deptB],
      crossListNodeIds: [d1],
      category: '充実',
    });
    const rows = await h.db.selectFrom('projects').select('id').where('plan_id', '=', planId).execute();
    expect(rows).toHaveLength(1);
    const blocked = await coord.delete(`/api/m/${mid}/nodes/${d1}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().message).toContain('再掲');
  });

  it('keeps project numbers unique within a plan', async () => {
    const planId = await createPlan(coord, mid);
    const g = await addNode(coord, mid, planId, 'g');
    const body = { nodeId: g, number: '7', name: '事業A', leadDepartmentId: deptA };
    expect((await coord.post(`/api/m/${mid}/plans/${planId}/projects`, body)).statusCode).toBe(201);
    const dup = await coord.post(`/api/m/${mid}/plans/${planId}/projects`, { ...body, name: '事業B' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toContain('事業番号「7」');
    const otherPlan = await createPlan(coord, mid);
    const g2 = await addNode(coord, mid, otherPlan, 'g');
    expect((await coord.post(`/api/m/${mid}/plans/${otherPlan}/projects`, { ...body, nodeId: g2 })).statusCode).toBe(
      201,
    );
  });

  it('answers a bad field with 400 naming it in Japanese, and writes nothing', async () => {
    const before = await h.db.selectFrom('plans').select('id').execute();
    const res = await coord.post(`/api/m/${mid}/plans`, {
      title: '',
      firstYear: 2030,
      lastYear: 2021,
      levels: THREE_LEVELS,
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION');
    expect(body.message).toContain('計画名を入力してください');
    expect(body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['title', 'lastYear']));
    const bad = await coord.post(`/api/m/${mid}/plans`, {
      title: 'x',
      firstYear: '令和3',
      lastYear: 2025,
      levels: THREE_LEVELS,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('計画期間（開始年度）');
    expect(await h.db.selectFrom('plans').select('id').execute()).toHaveLength(before.length);
  });

  it('answers malformed JSON with 400 and unknown ids with 404', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/m/${mid}/plans`,
      headers: {
        'content-type': 'application/json',
        cookie: `shinchoku_sid=${coord.sessionCookie()}; shinchoku_csrf=${coord.csrf}`,
        'x-csrf-token': coord.csrf,
      },
      payload: '{"title":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('形式');
    expect((await coord.get(`/api/m/${mid}/plans/999999`)).statusCode).toBe(404);
    expect((await coord.patch(`/api/m/${mid}/nodes/999999`, { title: 'x' })).statusCode).toBe(404);
    expect(
      (await coord.put(`/api/m/${mid}/projects/999999`, { nodeId: 1, number: '1', name: 'x', leadDepartmentId: deptA }))
        .statusCode,
    ).toBe(404);
    expect((await coord.get(`/api/m/${mid}/plans/abc`)).statusCode).toBe(400);
  });

  it('lets only the coordinating section change the structure', async () => {
    const planId = await createPlan(coord, mid);
    const g = await addNode(coord, mid, planId, 'g');
    const editor = await h.as('department_editor', { municipalityId: mid, departmentId: deptA });
    const viewer = await h.as('department_viewer', { municipalityId: mid, departmentId: deptA });
    const council = await h.as('council_member', { municipalityId: mid });
    for (const c of [editor, viewer, council]) {
      expect((await c.get(`/api/m/${mid}/plans/${planId}`)).statusCode).toBe(200);
      expect((await c.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: 'x' })).statusCode).toBe(403);
      expect((await c.patch(`/api/m/${mid}/nodes/${g}`, { title: 'x' })).statusCode).toBe(403);
      expect(
        (await c.post(`/api/m/${mid}/plans`, { title: 'x', firstYear: 2021, lastYear: 2022, levels: THREE_LEVELS }))
          .statusCode,
      ).toBe(403);
    }
  });

  it('refuses fewer levels than the tree already uses', async () => {
    const planId = await createPlan(coord, mid);
    const g = await addNode(coord, mid, planId, 'g');
    await addNode(coord, mid, planId, 'd', await addNode(coord, mid, planId, 'x', g));
    const res = await coord.patch(`/api/m/${mid}/plans/${planId}`, { levels: THREE_LEVELS.slice(0, 2) });
    expect(res.statusCode).toBe(409);
    const renamed = await coord.patch(`/api/m/${mid}/plans/${planId}`, {
      levels: [{ ...THREE_LEVELS[0], name: '目標' }, ...THREE_LEVELS.slice(1)],
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().levels[0].name).toBe('目標');
  });

  it('writes an audit row for every change', async () => {
    const planId = await createPlan(coord, mid);
    const g = await addNode(coord, mid, planId, '監査対象');
    await coord.patch(`/api/m/${mid}/nodes/${g}`, { title: '監査対象（改）' });
    const rows = await h.db
      .selectFrom('audit_log')
      .select(['action', 'entity', 'entity_id'])
      .where('municipality_id', '=', mid)
      .where('entity_id', 'in', [String(planId), String(g)])
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { action: 'create', entity: 'plan', entity_id: String(planId) },
        { action: 'create', entity: 'plan_node', entity_id: String(g) },
        { action: 'update', entity: 'plan_node', entity_id: String(g) },
      ]),
    );
    const log = await coord.get(`/api/m/${mid}/audit`);
    expect(log.statusCode).toBe(200);
    expect(log.json().entries.length).toBeGreaterThan(2);
  });
});
