import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, sheet, type CycleFixture, selfGrade } from '../../testing/cycle-fixtures.js';

const FULL = {
  planText: '講座を年4回開催する',
  resultText: '講座を5回開催した',
  remarks: '',
  nextYearPlan: '引き続き開催する',
};

describe('the yearly cycle', () => {
  let h: Harness;
  let f: CycleFixture;
  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
  });
  afterAll(() => h.close());

  it('rolls last year’s 翌年度予定 into this year’s 事業予定 and carries targets forward', async () => {
    const r2023 = await openRound(f, 2023);
    const s = await sheet(f.editorA, f, r2023, f.deptA);
    const item = s.items.find((i) => i.project.id === f.p1)!;
    expect(item.record.status).toBe('not_started');
    const saved = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      ...FULL,
      entries: selfGrade(item, 'A'),
      nextYearPlan: '令和6年度は出前講座も行う',
    });
    expect(saved.statusCode).toBe(200);
    expect((await f.coord.post(`/api/m/${f.mid}/rounds/${r2023}/close`)).statusCode).toBe(200);

    const r2024 = await openRound(f, 2024, 'start');
    const next = await sheet(f.editorA, f, r2024, f.deptA);
    const p1 = next.items.find((i) => i.project.id === f.p1)!;
    expect(p1.record.planText).toBe('令和6年度は出前講座も行う');
    expect(p1.previous?.nextYearPlan).toBe('令和6年度は出前講座も行う');
    expect(p1.indicators[0]!.targets.map((t) => [t.fiscalYear, t.text, t.value])).toEqual([
      [2023, '4回', 4],
      [2024, '4回', 4],
    ]);
    const history = (await f.editorA.get(`/api/m/${f.mid}/records/${p1.record.id}/history`)).json();
    expect(history.entries.map((e: { action: string }) => e.action)).toEqual(['rollover']);
    expect((await f.coord.post(`/api/m/${f.mid}/rounds/${r2024}/close`)).statusCode).toBe(200);
  });

  it('shows a department only its own projects and refuses another department’s sheet', async () => {
    const round = await openRound(f, 2025);
    const a = await sheet(f.editorA, f, round, f.deptA);
    expect(a.items.map((i) => i.project.number)).toEqual(['1', '2']);
    const b = await sheet(f.editorB, f, round, f.deptB);
    expect(b.items.map((i) => i.project.number)).toEqual(['2']);
    expect((await f.editorA.get(`/api/m/${f.mid}/rounds/${round}/departments/${f.deptB}/sheet`)).statusCode).toBe(403);
    expect((await f.council.get(`/api/m/${f.mid}/rounds/${round}/departments/${f.deptA}/sheet`)).statusCode).toBe(403);
    expect((await f.coord.get(`/api/m/${f.mid}/rounds/${round}/departments/${f.deptB}/sheet`)).statusCode).toBe(200);
    await f.coord.post(`/api/m/${f.mid}/rounds/${round}/close`);
  });

  it('detects a conflicting save and keeps the first one', async () => {
    const round = await openRound(f, 2026);
    const item = (await sheet(f.editorA, f, round, f.deptA)).items[0]!;
    const url = `/api/m/${f.mid}/records/${item.record.id}`;
    const first = await f.editorA.put(url, {
      version: item.record.version,
      ...FULL,
      entries: selfGrade(item, 'A'),
      planText: '一人目の入力',
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().record.version).toBe(item.record.version + 1);
    const second = await f.coord.put(url, {
      version: item.record.version,
      ...FULL,
      entries: selfGrade(item, 'A'),
      planText: '二人目の入力',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toContain('先に保存しました');
    const current = second.json().current;
    expect(current.planText).toBe('一人目の入力');
    const stored = await h.db
      .selectFrom('records')
      .select(['plan_text', 'version'])
      .where('id', '=', item.record.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ plan_text: '一人目の入力', version: item.record.version + 1 });
  });

  it('lets exactly one of many simultaneous saves of one version through', async () => {
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`)).json().rounds[0].id as number;
    const item = (await sheet(f.editorA, f, round, f.deptA)).items[1]!;
    const history = () =>
      h.db
        .selectFrom('record_history')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('record_id', '=', item.record.id)
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    const historyBefore = await history();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
          version: item.record.version,
          ...FULL,
          entries: selfGrade(item, 'A'),
          planText: `同時保存${i}`,
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(11);
    const winner = results.find((r) => r.statusCode === 200)!.json().record.planText;
    const stored = await h.db
      .selectFrom('records')
      .select(['plan_text', 'version'])
      .where('id', '=', item.record.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ plan_text: winner, version: item.record.version + 1 });
    // One save, one history entry: the refused ones left none.
    expect(await history()).toBe(historyBefore + 1);
  });

  it('normalises full-width digits and separators and keeps what was typed', async () => {
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`)).json().rounds[0].id as number;
    const item = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === f.p1)!;
    const res = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      ...FULL,
      entries: selfGrade(item, 'A'),
      actuals: [{ indicatorId: f.ind1, text: '１，２３４回' }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().record.actuals[0]).toMatchObject({ value: 1234, text: '１，２３４回', status: null });
    const status = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: res.json().record.version,
      ...FULL,
      actuals: [{ indicatorId: f.ind1, text: '中止', reason: '感染症拡大のため' }],
    });
    expect(status.json().record.actuals[0]).toMatchObject({
      value: null,
      status: 'cancelled',
      reason: '感染症拡大のため',
    });
    const bad = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: status.json().record.version,
      ...FULL,
      actuals: [{ indicatorId: f.ind1, text: 'たくさん' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('講座開催回数');
    expect(bad.json().message).toContain('数値として読めません');
  });

  it('refuses text over the limit with the field named, and writes nothing', async () => {
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`)).json().rounds[0].id as number;
    const item = (await sheet(f.editorA, f, round, f.deptA)).items[0]!;
    const res = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      ...FULL,
      entries: selfGrade(item, 'A'),
      resultText: 'あ'.repeat(4001),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('実績・取組状況は4000文字以内');
    const stored = await h.db
      .selectFrom('records')
      .select('version')
      .where('id', '=', item.record.id)
      .executeTakeFirstOrThrow();
    expect(stored.version).toBe(item.record.version);
  });

  it('refuses a save of another department’s record with 403', async () => {
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`)).json().rounds[0].id as number;
    const bItem = (await sheet(f.editorB, f, round, f.deptB)).items[0]!;
    const res = await f.editorA.put(`/api/m/${f.mid}/records/${bItem.record.id}`, {
      version: bItem.record.version,
      ...FULL,
      entries: selfGrade(bItem, 'A'),
    });
    expect(res.statusCode).toBe(403);
    expect(
      (
        await f.viewerA.put(`/api/m/${f.mid}/records/${bItem.record.id}`, {
          version: bItem.record.version,
          ...FULL,
          entries: selfGrade(bItem, 'A'),
        })
      ).statusCode,
    ).toBe(403);
    const stored = await h.db
      .selectFrom('records')
      .select('version')
      .where('id', '=', bItem.record.id)
      .executeTakeFirstOrThrow();
    expect(stored.version).toBe(bItem.record.version);
  });

  it('takes submission, return with a message, correction, resubmission and approval', async () => {
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`)).json().rounds[0].id as number;
    const submitUrl = `/api/m/${f.mid}/rounds/${round}/departments/${f.deptA}/submit`;
    const incomplete = await f.editorA.post(submitUrl);
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().message).toContain('参加者数');

    for (const item of (await sheet(f.editorA, f, round, f.deptA)).items) {
      const actuals = item.indicators.map((i) => ({ indicatorId: i.id, text: i.id === f.ind2 ? '90人' : '5回' }));
      const res = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
        version: item.record.version,
        ...FULL,
        entries: selfGrade(item, 'A'),
        actuals,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const submitted = await f.editorA.post(submitUrl);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().records.map((r: { status: string }) => r.status)).toEqual(['submitted', 'submitted']);

    const item = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === f.p1)!;
    const locked = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      ...FULL,
      entries: selfGrade(item, 'A'),
    });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().message).toContain('提出済み');

    const returned = await f.coord.post(`/api/m/${f.mid}/records/${item.record.id}/return`, {
      message: '実績の回数を確認してください',
    });
    expect(returned.statusCode).toBe(200);
    expect(returned.json().records[0].status).toBe('returned');
    const after = (await sheet(f.editorA, f, round, f.deptA)).items.find((i) => i.project.id === f.p1)!;
    expect(after.comments.map((c) => [c.kind, c.body])).toEqual([['return', '実績の回数を確認してください']]);

    const fixed = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: after.record.version,
      ...FULL,
      entries: selfGrade(after, 'A'),
      resultText: '講座を6回開催した',
      actuals: [{ indicatorId: f.ind1, text: '6回' }],
    });
    expect(fixed.statusCode).toBe(200);
    const history = (await f.coord.get(`/api/m/${f.mid}/records/${item.record.id}/history`)).json();
    expect(history.sinceSubmission.map((c: { label: string }) => c.label)).toEqual([
      '実績・取組状況',
      '実績「講座開催回数」',
    ]);
    expect(history.sinceSubmission[0]).toMatchObject({ before: '講座を5回開催した', after: '講座を6回開催した' });
    expect(history.entries.slice(0, 3).map((e: { action: string }) => e.action)).toEqual(['save', 'return', 'submit']);
    expect(history.entries[1].message).toBe('実績の回数を確認してください');
    expect(history.entries[1].userName).toContain('coordinator');

    expect((await f.editorA.post(`/api/m/${f.mid}/records/${item.record.id}/submit`)).statusCode).toBe(200);
    const approved = await f.coord.post(`/api/m/${f.mid}/rounds/${round}/departments/${f.deptA}/approve`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json().records.map((r: { status: string }) => r.status)).toEqual(['approved', 'approved']);
    expect((await f.editorA.post(`/api/m/${f.mid}/records/${item.record.id}/approve`)).statusCode).toBe(403);
  });

  it('keeps each department’s contribution and refers to another department’s answer without copying it', async () => {
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`)).json().rounds[0].id as number;
    const b = (await sheet(f.editorB, f, round, f.deptB)).items[0]!;
    expect(b.others.map((o) => o.name)).toEqual(['人権推進課']);
    const res = await f.editorB.put(`/api/m/${f.mid}/records/${b.record.id}`, {
      version: b.record.version,
      planText: '',
      resultText: '',
      grade: null,
      sameAsDepartmentId: f.deptA,
      actuals: [{ indicatorId: f.ind2, text: '69人' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().record).toMatchObject({ sameAsDepartmentId: f.deptA, planText: '' });
    expect((await f.editorB.post(`/api/m/${f.mid}/rounds/${round}/departments/${f.deptB}/submit`)).statusCode).toBe(
      200,
    );
    const actuals = await h.db
      .selectFrom('indicator_actuals')
      .select(['department_id', 'value'])
      .where('indicator_id', '=', f.ind2)
      .where('fiscal_year', '=', 2026)
      .orderBy('department_id')
      .execute();
    expect(actuals.map((a) => Number(a.value))).toEqual([90, 69]);
  });

  it('refuses saves into a closed round, and reopens it for one department only', async () => {
    const round = (await f.coord.get(`/api/m/${f.mid}/rounds?planId=${f.planId}`)).json().rounds[0].id as number;
    await f.coord.post(
      `/api/m/${f.mid}/records/${(await sheet(f.coord, f, round, f.deptB)).items[0]!.record.id}/return`,
      { message: '確認' },
    );
    expect((await f.coord.post(`/api/m/${f.mid}/rounds/${round}/close`)).statusCode).toBe(200);
    const b = (await sheet(f.editorB, f, round, f.deptB)).items[0]!;
    const closed = await f.editorB.put(`/api/m/${f.mid}/records/${b.record.id}`, {
      version: b.record.version,
      ...FULL,
      entries: selfGrade(b, 'A'),
    });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().message).toContain('締め切られている');
    expect((await f.coord.post(`/api/m/${f.mid}/rounds/${round}/departments/${f.deptB}/reopen`)).statusCode).toBe(200);
    const open = await f.editorB.put(`/api/m/${f.mid}/records/${b.record.id}`, {
      version: b.record.version,
      ...FULL,
      entries: selfGrade(b, 'A'),
      actuals: [{ indicatorId: f.ind2, text: '70人' }],
    });
    expect(open.statusCode, open.body).toBe(200);
    const board = (await f.coord.get(`/api/m/${f.mid}/rounds/${round}/board`)).json();
    expect(
      board.rows.map((r: { name: string; reopened: boolean; counts: Record<string, number> }) => [
        r.name,
        r.reopened,
        r.counts.approved,
        r.counts.returned,
      ]),
    ).toEqual([
      ['人権推進課', false, 2, 0],
      ['学校教育課', true, 0, 1],
    ]);
  });

  it('refuses a second open round for the same plan', async () => {
    await openRound(f, 2027, 'start');
    const again = await f.coord.post(`/api/m/${f.mid}/rounds`, {
      planId: f.planId,
      fiscalYear: 2027,
      phase: 'mid',
      deadline: '2027-10-31',
      departmentIds: [f.deptA],
    });
    expect(again.statusCode).toBe(409);
    const outside = await f.coord.post(`/api/m/${f.mid}/rounds`, {
      planId: f.planId,
      fiscalYear: 2035,
      phase: 'mid',
      deadline: '2035-10-31',
      departmentIds: [f.deptA],
    });
    expect(outside.statusCode).toBe(400);
  });
});
