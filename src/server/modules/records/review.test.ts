import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../testing/harness.js';
import { cycleFixture, openRound, selfGrade, sheet, type CycleFixture } from '../../testing/cycle-fixtures.js';

type Row = {
  recordId: number;
  version: number;
  projectNumber: string;
  departmentName: string;
  status: string;
  grades: string[];
  changedSinceLastSubmission: string[] | null;
  comments: number;
};

describe('reviewing a round', () => {
  let h: Harness;
  let f: CycleFixture;
  let roundId: number;
  const table = async (): Promise<Row[]> => (await f.coord.get(`/api/m/${f.mid}/rounds/${roundId}/review`)).json().rows;
  const pick = (rows: Row[], ...keys: string[]) =>
    rows
      .filter((r) => keys.includes(`${r.projectNumber}${r.departmentName}`))
      .map((r) => ({ id: r.recordId, version: r.version }));
  const status = async (id: number) =>
    (await h.db.selectFrom('records').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  beforeAll(async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    roundId = await openRound(f, 2025, 'end');
    for (const [c, d] of [
      [f.editorA, f.deptA],
      [f.editorB, f.deptB],
    ] as const) {
      for (const item of (await sheet(c, f, roundId, d)).items)
        await c.put(`/api/m/${f.mid}/records/${item.record.id}`, {
          version: item.record.version,
          planText: `${item.project.name}の予定`,
          resultText: '実施した',
          actuals: item.indicators.map((i) => ({ indicatorId: i.id, text: '3' })),
          entries: selfGrade(item, 'B'),
        });
      {
        const r = await c.post(`/api/m/${f.mid}/rounds/${roundId}/departments/${d}/submit`);
        expect(r.statusCode, r.body).toBe(200);
      }
    }
  });
  afterAll(() => h.close());

  it('lists one row per record for the coordinator only, in plan order', async () => {
    expect((await f.editorA.get(`/api/m/${f.mid}/rounds/${roundId}/review`)).statusCode).toBe(403);
    expect((await f.council.get(`/api/m/${f.mid}/rounds/${roundId}/review`)).statusCode).toBe(403);
    const rows = await table();
    expect(
      rows.map((r) => [r.projectNumber, r.departmentName, r.status, r.grades, r.changedSinceLastSubmission]),
    ).toEqual([
      ['1', '人権推進課', 'submitted', [{ slot: 'self', code: 'B' }], null],
      ['2', '人権推進課', 'submitted', [{ slot: 'self', code: 'B' }], null],
      ['2', '学校教育課', 'submitted', [{ slot: 'self', code: 'B' }], null],
    ]);
  });

  it('approves the chosen records together, and undoes it while nobody has touched them', async () => {
    const rows = await table();
    const chosen = pick(rows, '1人権推進課', '2学校教育課');
    const res = await f.coord.post(`/api/m/${f.mid}/rounds/${roundId}/review`, { action: 'approve', records: chosen });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      action: 'approve',
      records: chosen.map((c) => ({ id: c.id, version: c.version + 1 })),
    });
    expect(await Promise.all(chosen.map((c) => status(c.id)))).toEqual(['approved', 'approved']);
    expect(await status(pick(rows, '2人権推進課')[0]!.id)).toBe('submitted');

    const undo = await f.coord.post(`/api/m/${f.mid}/rounds/${roundId}/review/undo`, {
      action: 'approve',
      records: res.json().records,
    });
    expect(undo.statusCode, undo.body).toBe(200);
    expect(await Promise.all(chosen.map((c) => status(c.id)))).toEqual(['submitted', 'submitted']);
    const history = (await f.coord.get(`/api/m/${f.mid}/records/${chosen[0]!.id}/history`))
      .json()
      .entries.map((e: { action: string }) => e.action);
    expect(history.slice(0, 2)).toEqual(['undo', 'approve']);
    // Undoing twice, or with versions that moved on, is refused.
    expect(
      (
        await f.coord.post(`/api/m/${f.mid}/rounds/${roundId}/review/undo`, {
          action: 'approve',
          records: res.json().records,
        })
      ).statusCode,
    ).toBe(409);
  });

  it('refuses the whole action when one record changed since it was listed, and changes none', async () => {
    const rows = await table();
    const chosen = pick(rows, '1人権推進課', '2人権推進課');
    const stale = [{ ...chosen[0]! }, { ...chosen[1]!, version: chosen[1]!.version - 1 }];
    const res = await f.coord.post(`/api/m/${f.mid}/rounds/${roundId}/review`, { action: 'approve', records: stale });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('一覧を読み込み直して');
    expect(await status(chosen[0]!.id)).toBe('submitted');
  });

  it('returns with a reason only; the department sees the reason and what it then changes shows in the table', async () => {
    const rows = await table();
    const chosen = pick(rows, '2人権推進課', '2学校教育課');
    const noReason = await f.coord.post(`/api/m/${f.mid}/rounds/${roundId}/review`, {
      action: 'return',
      records: chosen,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details[0]).toMatchObject({ field: 'message' });
    const res = await f.coord.post(`/api/m/${f.mid}/rounds/${roundId}/review`, {
      action: 'return',
      records: chosen,
      message: '予定に回数を書いてください',
    });
    expect(res.statusCode, res.body).toBe(200);
    const mine = (await sheet(f.editorA, f, roundId, f.deptA)).items.find((i) => i.project.number === '2')!;
    expect(mine.record.status).toBe('returned');
    expect(mine.comments.map((c) => [c.kind, c.body])).toEqual([['return', '予定に回数を書いてください']]);
    // Other records of the department were not touched.
    expect(
      (await sheet(f.editorA, f, roundId, f.deptA)).items.find((i) => i.project.number === '1')!.record.status,
    ).toBe('submitted');

    await f.editorA.put(`/api/m/${f.mid}/records/${mine.record.id}`, {
      version: mine.record.version,
      planText: '研修会を年3回開く',
      resultText: '実施した',
      actuals: mine.indicators.map((i) => ({ indicatorId: i.id, text: '3' })),
      entries: selfGrade(mine, 'B'),
    });
    expect((await f.editorA.post(`/api/m/${f.mid}/records/${mine.record.id}/submit`)).statusCode).toBe(200);
    const after = (await table()).find((r) => r.recordId === mine.record.id)!;
    expect(after).toMatchObject({ status: 'submitted', changedSinceLastSubmission: ['事業予定'], comments: 1 });
    const detail = (await f.coord.get(`/api/m/${f.mid}/records/${mine.record.id}/history`)).json();
    expect(detail.betweenSubmissions).toEqual([
      { field: 'planText', label: '事業予定', before: '研修会の予定', after: '研修会を年3回開く' },
    ]);
  });

  it('refuses records of another round or municipality', async () => {
    const other = await h.municipality('他市');
    const otherCoord = await h.as('coordinator', { municipalityId: other.id });
    const rows = await table();
    expect(
      (
        await otherCoord.post(`/api/m/${f.mid}/rounds/${roundId}/review`, {
          action: 'approve',
          records: pick(rows, '1人権推進課'),
        })
      ).statusCode,
    ).toBe(403);
    await f.coord.post(`/api/m/${f.mid}/rounds/${roundId}/close`);
    const r2026 = await openRound(f, 2026, 'start');
    const foreign = await f.coord.post(`/api/m/${f.mid}/rounds/${r2026}/review`, {
      action: 'approve',
      records: pick(rows, '1人権推進課'),
    });
    expect(foreign.statusCode).toBe(404);
  });
});

describe('reviewing a round of a plan whose scale computes the grades', () => {
  let h: Harness;
  let f: CycleFixture;
  afterAll(() => h.close());

  it('shows the grade each indicator line computes to, as the sheet and the report do', async () => {
    h = await createHarness();
    f = await cycleFixture(h);
    const { presetConfig } = await import('../../../domain/evaluation/presets.js');
    const settings = (await f.coord.get(`/api/m/${f.mid}/plans/${f.planId}/evaluation`)).json();
    const evaluation = { fromYear: settings.versions[0].fromYear, config: presetConfig('achievement-5') };
    const put = await f.coord.put(`/api/m/${f.mid}/plans/${f.planId}/evaluation`, evaluation);
    expect(put.statusCode, put.body).toBe(200);
    const roundId = await openRound(f, 2023, 'end', [f.deptA]);
    const item = (await sheet(f.editorA, f, roundId, f.deptA)).items.find((i) => i.project.id === f.p1)!;
    // Target 4回, actual 3回: 75% → 達成度3 → ○. Nothing is entered by hand.
    const saved = await f.editorA.put(`/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '予定',
      resultText: '実績',
      actuals: [{ indicatorId: f.ind1, text: '3回' }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const rows: Row[] = (await f.coord.get(`/api/m/${f.mid}/rounds/${roundId}/review`)).json().rows;
    expect(rows.find((r) => r.recordId === item.record.id)!.grades).toEqual([{ slot: 'grade', code: '○' }]);
  });
});
