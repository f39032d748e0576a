import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, selfGrade, sheet, type CycleFixture } from '../../testing/cycle-fixtures.js';

// The harness lives on 2026-12-05: fiscal year 2026 (令和8年度) has begun, 2027 has not.
const ANSWER = {
  planText: '講座を年4回開催する',
  resultText: '講座を5回開催した',
  remarks: '',
  nextYearPlan: '続ける',
};

type Dept = { id: number; name: string; activeFrom: number | null; activeTo: number | null };

describe('a reorganisation registered for next fiscal year', () => {
  let h: Harness;
  let f: CycleFixture;
  let r2025: number;
  let r2026: number;
  let published: { id: number; document: string };
  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    // 2025: answered, approved, closed and published.
    r2025 = await openRound(f, 2025);
    for (const [c, d] of [
      [f.editorA, f.deptA],
      [f.editorB, f.deptB],
    ] as const) {
      for (const item of (await sheet(c, f, r2025, d)).items)
        await c.put(`/api/m/${f.mid}/records/${item.record.id}`, {
          version: item.record.version,
          ...ANSWER,
          entries: selfGrade(item, 'A'),
          actuals: item.indicators.map((i) => ({ indicatorId: i.id, text: `5${i.unit}` })),
        });
      expect((await c.post(`/api/m/${f.mid}/rounds/${r2025}/departments/${d}/submit`)).statusCode).toBe(200);
      expect((await f.coord.post(`/api/m/${f.mid}/rounds/${r2025}/departments/${d}/approve`)).statusCode).toBe(200);
    }
    await f.coord.post(`/api/m/${f.mid}/rounds/${r2025}/close`);
    const pub = await f.coord.post(`/api/m/${f.mid}/report-snapshots`, {
      planId: f.planId,
      fiscalYear: 2025,
      layout: 'department-sheets',
      asOf: '2026-03-31',
    });
    expect(pub.statusCode, pub.body).toBe(201);
    published = await h.db
      .selectFrom('report_snapshots')
      .select(['id', 'document'])
      .where('id', '=', pub.json().snapshot.id)
      .executeTakeFirstOrThrow();
    // 2026 (this year): open.
    r2026 = await openRound(f, 2026);
  });
  afterAll(() => h.close());

  const departments = async (): Promise<Dept[]> =>
    (await f.coord.get(`/api/m/${f.mid}/departments`)).json().departments;
  const userDept = async (loginLike: string) =>
    (
      await h.db
        .selectFrom('users')
        .select(['department_id'])
        .where('login_name', 'like', `${loginLike}%`)
        .orderBy('id')
        .execute()
    ).map((u) => u.department_id);
  const assignments = () =>
    h.db
      .selectFrom('project_departments')
      .select(['project_id', 'department_id', 'is_lead'])
      .where('municipality_id', '=', f.mid)
      .orderBy('project_id')
      .orderBy('department_id')
      .execute();
  const reportText = async (year: number) =>
    (
      await f.coord.get(
        `/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=${year}&layout=department-sheets&format=csv`,
      )
    ).body;
  const merge = { kind: 'merge', effectiveYear: 2027, fromIds: [] as number[], toNames: ['人権教育推進課'] };

  it('says before registering that it takes effect in its year and what will move then', async () => {
    const preview = await f.coord.post(`/api/m/${f.mid}/departments/reorganisations/preview`, {
      ...merge,
      fromIds: [f.deptA, f.deptB],
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toEqual({ effectiveYear: 2027, appliesNow: false, users: 3, projects: 2 });
    const past = await f.coord.post(`/api/m/${f.mid}/departments/reorganisations/preview`, {
      ...merge,
      effectiveYear: 2026,
      fromIds: [f.deptA, f.deptB],
    });
    expect(past.json().appliesNow).toBe(true);
  });

  it('leaves this year’s round, users, assignments and reports as they are', async () => {
    const usersBefore = await userDept('department-editor');
    const assignedBefore = await assignments();
    const res = await f.coord.post(`/api/m/${f.mid}/departments/reorganisations`, {
      ...merge,
      fromIds: [f.deptA, f.deptB],
    });
    expect(res.statusCode, res.body).toBe(201);
    const merged = (res.json().departments as Dept[]).find((d) => d.name === '人権教育推進課')!;
    expect(merged).toMatchObject({ activeFrom: 2027, activeTo: null });
    expect((res.json().departments as Dept[]).find((d) => d.id === f.deptA)).toMatchObject({ activeTo: 2026 });

    expect(await userDept('department-editor')).toEqual(usersBefore);
    expect(await assignments()).toEqual(assignedBefore);
    // The old 課's open sheet still holds its projects, for its editor and for the coordinator.
    const own = await sheet(f.editorA, f, r2026, f.deptA);
    expect(own.items.map((i) => i.project.number)).toEqual(['1', '2']);
    expect((await sheet(f.coord, f, r2026, f.deptA)).items).toHaveLength(2);
    const item = own.items[0]!;
    const saved = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      ...ANSWER,
      entries: selfGrade(item, 'A'),
      resultText: '組織変更の登録後も入力できる',
    });
    expect(saved.statusCode).toBe(200);
    // Reports of this year and last year name the units of their year.
    for (const year of [2025, 2026]) {
      const text = await reportText(year);
      expect(text).toContain('人権推進課');
      expect(text).not.toContain('人権教育推進課');
    }
    const list = (await f.coord.get(`/api/m/${f.mid}/departments/reorganisations`)).json().reorganisations;
    expect(list[0]).toMatchObject({
      status: 'scheduled',
      effectiveYear: 2027,
      pendingUsers: 3,
      pendingProjects: 2,
      to: [{ name: '人権教育推進課' }],
    });
  });

  it('can be moved to another year and cancelled until it takes effect, with an audit row each', async () => {
    const id = (await f.coord.get(`/api/m/${f.mid}/departments/reorganisations`)).json().reorganisations[0].id;
    const moved = await f.coord.patch(`/api/m/${f.mid}/departments/reorganisations/${id}`, {
      effectiveYear: 2028,
      toNames: ['人権・教育推進課'],
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = await departments();
    expect(after.find((d) => d.name === '人権・教育推進課')).toMatchObject({ activeFrom: 2028 });
    expect(after.find((d) => d.id === f.deptA)).toMatchObject({ activeTo: 2027 });

    expect(
      (await f.editorA.post(`/api/m/${f.mid}/departments/reorganisations/${id}/cancel`, { reason: 'x' })).statusCode,
    ).toBe(403);
    expect(
      (await f.coord.post(`/api/m/${f.mid}/departments/reorganisations/${id}/cancel`, { reason: '' })).statusCode,
    ).toBe(400);
    const cancelled = await f.coord.post(`/api/m/${f.mid}/departments/reorganisations/${id}/cancel`, {
      reason: '議会で見送り',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const now = await departments();
    expect(now.some((d) => d.name === '人権・教育推進課')).toBe(false);
    expect(now.find((d) => d.id === f.deptA)).toMatchObject({ activeTo: null });
    expect(now.find((d) => d.id === f.deptB)).toMatchObject({ activeTo: null });
    const list = (await f.coord.get(`/api/m/${f.mid}/departments/reorganisations`)).json().reorganisations;
    expect(list.find((c: { id: number }) => c.id === id)).toMatchObject({
      status: 'cancelled',
      from: [{ name: '人権推進課' }, { name: '学校教育課' }],
      to: [{ id: null, name: '人権・教育推進課' }],
    });
    expect(
      (await f.coord.post(`/api/m/${f.mid}/departments/reorganisations/${id}/cancel`, { reason: '二度目' })).statusCode,
    ).toBe(409);
    const audit = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'department_change')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['reorganise', 'update', 'cancel']);
  });

  it('takes effect when the round of its year opens; the new 課 then answers what the old ones left open', async () => {
    const res = await f.coord.post(`/api/m/${f.mid}/departments/reorganisations`, {
      ...merge,
      fromIds: [f.deptA, f.deptB],
    });
    const merged = (res.json().departments as Dept[]).find(
      (d) => d.name === '人権教育推進課' && d.activeFrom === 2027,
    )!;
    // A round of 2027 cannot ask the units that end in 2026.
    await f.coord.post(`/api/m/${f.mid}/rounds/${r2026}/close`);
    const wrong = await f.coord.post(`/api/m/${f.mid}/rounds`, {
      planId: f.planId,
      fiscalYear: 2027,
      phase: 'start',
      deadline: '2027-05-31',
      departmentIds: [f.deptA],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toContain('2027年度には存続していません');
    const statusOf = async () =>
      (await f.coord.get(`/api/m/${f.mid}/departments/reorganisations`))
        .json()
        .reorganisations.find((c: { to: { id: number }[] }) => c.to[0]?.id === merged.id).status;
    // The refused round wrote nothing, the change included.
    expect(await statusOf()).toBe('scheduled');

    const r2027 = await openRound(f, 2027, 'start', [merged.id]);
    expect(await statusOf()).toBe('applied');
    expect(await userDept('department-editor')).toEqual([merged.id, merged.id]);
    const assigned = await assignments();
    expect(assigned.filter((a) => a.department_id === f.deptA || a.department_id === f.deptB)).toEqual([]);
    expect(assigned).toEqual([
      { project_id: f.p1, department_id: merged.id, is_lead: 1 },
      { project_id: f.p2, department_id: merged.id, is_lead: 1 },
    ]);
    const next = await sheet(f.editorA, f, r2027, merged.id);
    expect(next.items.map((i) => i.project.number)).toEqual(['1', '2']);
    // Last year's 翌年度予定 of the old 課 carries over to the new one.
    expect(next.items[0]!.record.planText).toBe('続ける');
    await f.coord.post(`/api/m/${f.mid}/rounds/${r2027}/close`);

    // 2026's sheet of the old 人権推進課, reopened, is answered by its successor's editor.
    expect((await f.coord.post(`/api/m/${f.mid}/rounds/${r2026}/departments/${f.deptA}/reopen`)).statusCode).toBe(200);
    const rounds = (await f.editorA.get(`/api/m/${f.mid}/rounds`)).json().rounds.map((r: { id: number }) => r.id);
    expect(rounds).toContain(r2026);
    const old = await sheet(f.editorA, f, r2026, f.deptA);
    expect(old.canEdit).toBe(true);
    const item = old.items[1]!;
    const saved = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      ...ANSWER,
      entries: selfGrade(item, 'A'),
      resultText: '統合後の課が入力した',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const stored = await h.db
      .selectFrom('records')
      .select(['department_id', 'result_text'])
      .where('id', '=', item.record.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ department_id: f.deptA, result_text: '統合後の課が入力した' });
    // Another 課's editor gets nothing of theirs.
    const other = await h.as('department_editor', { municipalityId: f.mid, departmentId: f.deptC });
    expect((await other.get(`/api/m/${f.mid}/rounds/${r2026}/departments/${f.deptA}/sheet`)).statusCode).toBe(403);

    // The past still reads as it was: 2026 names the old units, 2025's publication is unchanged.
    expect(await reportText(2026)).not.toContain('人権教育推進課');
    const snapshot = await h.db
      .selectFrom('report_snapshots')
      .select('document')
      .where('id', '=', published.id)
      .executeTakeFirstOrThrow();
    expect(snapshot.document).toBe(published.document);
  });

  it('refuses to change or cancel a change that has taken effect', async () => {
    const applied = (await f.coord.get(`/api/m/${f.mid}/departments/reorganisations`))
      .json()
      .reorganisations.find((c: { status: string }) => c.status === 'applied');
    expect(
      (await f.coord.patch(`/api/m/${f.mid}/departments/reorganisations/${applied.id}`, { effectiveYear: 2029 }))
        .statusCode,
    ).toBe(409);
    expect(
      (await f.coord.post(`/api/m/${f.mid}/departments/reorganisations/${applied.id}/cancel`, { reason: '取消' }))
        .statusCode,
    ).toBe(409);
  });
});

describe('a reorganisation whose fiscal year has begun', () => {
  let h: Harness;
  let f: CycleFixture;
  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
  });
  afterAll(() => h.close());

  it('takes effect at once when registered, and when its year begins by the clock', async () => {
    const now = await f.coord.post(`/api/m/${f.mid}/departments/reorganisations`, {
      kind: 'rename',
      effectiveYear: 2026,
      fromIds: [f.deptC],
      toNames: ['総務企画課'],
    });
    expect(now.statusCode).toBe(201);
    expect((await f.coord.get(`/api/m/${f.mid}/departments/reorganisations`)).json().reorganisations[0].status).toBe(
      'applied',
    );

    const later = await f.coord.post(`/api/m/${f.mid}/departments/reorganisations`, {
      kind: 'rename',
      effectiveYear: 2027,
      fromIds: [f.deptB],
      toNames: ['教育総務課'],
    });
    expect(later.statusCode).toBe(201);
    const { applyReorganisationsDueBy } = await import('./departments.service.js');
    expect(await applyReorganisationsDueBy(h.db, new Date('2027-03-31T14:59:00Z'))).toBe(0);
    expect(await applyReorganisationsDueBy(h.db, new Date('2027-03-31T15:00:00Z'))).toBe(1);
    const renamed = (await f.coord.get(`/api/m/${f.mid}/departments`))
      .json()
      .departments.find((d: Dept) => d.name === '教育総務課');
    expect(
      (await h.db.selectFrom('users').select('department_id').where('department_id', '=', renamed.id).execute()).length,
    ).toBe(1);
  });
});

describe('a reorganisation for the year whose round is already open', () => {
  let h: Harness;
  let f: CycleFixture;
  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
  });
  afterAll(() => h.close());

  it('moves that year’s answers to the new unit, keeps earlier years with the old one', async () => {
    const r2025 = await openRound(f, 2025);
    await f.coord.post(`/api/m/${f.mid}/rounds/${r2025}/close`);
    const r2026 = await openRound(f, 2026);
    const item = (await sheet(f.editorB, f, r2026, f.deptB)).items[0]!;
    await f.editorB.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '改名の前に書いた予定',
      actuals: [{ indicatorId: f.ind2, text: '12人' }],
    });
    const res = await f.coord.post(`/api/m/${f.mid}/departments/reorganisations`, {
      kind: 'rename',
      effectiveYear: 2026,
      fromIds: [f.deptB],
      toNames: ['教育政策課'],
    });
    expect(res.statusCode).toBe(201);
    const renamed = (res.json().departments as Dept[]).find((d) => d.name === '教育政策課')!;
    // This year's sheet is the new unit's, with what was typed; the round asks it.
    const now = await sheet(f.editorB, f, r2026, renamed.id);
    expect(now.items.map((i) => [i.project.number, i.record.planText, i.record.actuals[0]?.text])).toEqual([
      ['2', '改名の前に書いた予定', '12人'],
    ]);
    expect(now.department.name).toBe('教育政策課');
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds/${r2026}/board`)).json().round;
    expect(round.departments.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(['教育政策課']));
    expect(round.departments.map((d: { name: string }) => d.name)).not.toContain('学校教育課');
    // Last year stays with 学校教育課.
    const last = await h.db
      .selectFrom('records')
      .select('department_id')
      .where('fiscal_year', '=', 2025)
      .where('project_id', '=', f.p2)
      .execute();
    expect(last.map((r) => r.department_id).sort()).toEqual([f.deptA, f.deptB].sort());
    const audit = await h.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'apply')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail)).toMatchObject({ records: 1 });
  });
});
