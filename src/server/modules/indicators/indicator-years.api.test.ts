import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../../domain/report/build.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { openYearRound } from '../../testing/plan-fixtures.js';

/**
 * An indicator applies in some years of its plan. Once a year is fixed (an answer approved), an
 * indicator added afterwards is for the years after it: the approved year's sheet, report, save check
 * and evaluation stay as they were approved; an indicator that year used is ended after it, not deleted.
 */
describe('the years an indicator applies in', () => {
  let h: Harness;
  let mid: number;
  let dept: number;
  let planId: number;
  let projectId: number;
  let goal: number;
  let coord: Client;
  let editor: Client;
  let first: number;
  let round2025: number;
  let round2026: number;
  let added: number;

  const indicator = (name: string, over: Record<string, unknown> = {}) => ({
    name,
    unit: '回',
    kind: 'number',
    direction: 'higher',
    targets: [{ fiscalYear: 2026, text: '5' }],
    ...over,
  });
  const sheetOf = async (roundId: number) => {
    const res = await editor.get(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/sheet`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const sheetIndicators = async (roundId: number): Promise<string[]> =>
    (await sheetOf(roundId)).items[0].indicators.map((i: { name: string }) => i.name);
  /** The indicator lines of the year's report, as printed: name, target, actual. */
  const reportLines = async (year: number): Promise<string[][]> => {
    const res = await coord.get(
      `/api/m/${mid}/report?planId=${planId}&fiscalYear=${year}&layout=indicator-achievement`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const doc: ReportDocument = res.json().document;
    const col = (key: string) => doc.columns.findIndex((c) => c.key === key);
    return doc.sheets[0]!.rows.flatMap((r) =>
      r.type === 'data' ? [[col('indicator'), col('target'), col('actual')].map((c) => r.cells[c]!.text)] : [],
    );
  };
  const listed = async () =>
    (await coord.get(`/api/m/${mid}/projects/${projectId}/indicators`))
      .json()
      .indicators.map((i: { name: string; startYear: number | null; endYear: number | null }) => [
        i.name,
        i.startYear,
        i.endYear,
      ]);

  beforeAll(async () => {
    h = await createHarness();
    mid = (await h.municipality('年度市')).id;
    dept = await h.department(mid, '生涯学習課');
    coord = await h.as('coordinator', { municipalityId: mid });
    editor = await h.as('department_editor', { municipalityId: mid, departmentId: dept });
    planId = (
      await coord.post(`/api/m/${mid}/plans`, {
        title: '年度市プラン',
        firstYear: 2024,
        lastYear: 2028,
        evaluationPreset: 'achievement-5',
        levels: [
          { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
          { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
        ],
      })
    ).json().plan.id;
    goal = (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: '学びの機会' })).json().node.id;
    projectId = (
      await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
        nodeId: goal,
        number: '1',
        name: '男女共同参画講座',
        leadDepartmentId: dept,
      })
    ).json().project.id;
    const both = {
      targets: [
        { fiscalYear: 2025, text: '4' },
        { fiscalYear: 2026, text: '5' },
      ],
    };
    const created = await coord.post(
      `/api/m/${mid}/projects/${projectId}/indicators`,
      indicator('講座の開催回数', both),
    );
    expect(created.statusCode, created.body).toBe(201);
    first = created.json().indicator.id;
    // Nothing is fixed yet: the indicator applies throughout the plan, as before years were kept.
    expect(created.json().indicator).toMatchObject({ startYear: null, endYear: null });

    // 2025: the department answers with the indicator's actual; the coordinator approves: 2025 is fixed.
    round2025 = await openYearRound(coord, mid, planId, dept, 2025);
    const item = (await sheetOf(round2025)).items[0];
    const saved = await editor.put(`/api/m/${mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '講座を4回開く',
      resultText: '講座を4回開いた',
      actuals: [{ indicatorId: first, text: '4' }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await editor.post(`/api/m/${mid}/records/${item.record.id}/submit`)).statusCode).toBe(200);
    expect((await coord.post(`/api/m/${mid}/records/${item.record.id}/approve`)).statusCode).toBe(200);
  });
  afterAll(() => h.close());

  /** What the approved year shows beyond its sheet: the review's checks, the council's page, the 集計. */
  const approvedYear = async () => ({
    review: (await coord.get(`/api/m/${mid}/rounds/${round2025}/review`)).json(),
    council: (await coord.get(`/api/m/${mid}/council?planId=${planId}&fiscalYear=2025`)).json(),
    summary: (await coord.get(`/api/m/${mid}/report-summary?planId=${planId}&fiscalYear=2025&depth=0`)).json(),
  });

  it('adds an indicator for the years after the approved one, leaving the approved year as it was', async () => {
    const sheetBefore = await sheetOf(round2025);
    const reportBefore = await reportLines(2025);
    const before = await approvedYear();
    expect(JSON.stringify(before.council)).toContain('講座の開催回数');
    expect(reportBefore).toEqual([['講座の開催回数', '4', '4回']]);

    const res = await coord.post(
      `/api/m/${mid}/projects/${projectId}/indicators`,
      indicator('参加者数', { unit: '人', targets: [{ fiscalYear: 2026, text: '100' }] }),
    );
    expect(res.statusCode, res.body).toBe(201);
    added = res.json().indicator.id;
    expect(res.json().indicator).toMatchObject({ startYear: 2026, endYear: null });

    // The approved year: the same sheet line, the same report.
    const sheetAfter = await sheetOf(round2025);
    expect(sheetAfter.items[0].indicators).toEqual(sheetBefore.items[0].indicators);
    expect(sheetAfter.items[0].values).toEqual(sheetBefore.items[0].values);
    expect(await reportLines(2025)).toEqual(reportBefore);
    const after = await approvedYear();
    expect(after.review, 'the review of the approved year').toEqual(before.review);
    expect(after.council, 'the council’s page').toEqual(before.council);
    expect(after.summary, '集計').toEqual(before.summary);

    // The next year asks for both.
    expect((await coord.post(`/api/m/${mid}/rounds/${round2025}/close`)).statusCode).toBe(200);
    round2026 = await openYearRound(coord, mid, planId, dept, 2026);
    expect(await sheetIndicators(round2026)).toEqual(['講座の開催回数', '参加者数']);
    const item = (await sheetOf(round2026)).items[0];
    const saved = await editor.put(`/api/m/${mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '講座を5回開く',
      actuals: [
        { indicatorId: first, text: '5' },
        { indicatorId: added, text: '120' },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(await reportLines(2026)).toEqual([
      ['講座の開催回数', '5', '5回'],
      ['参加者数', '100', '120人'],
    ]);
  });

  it('refuses an actual of an indicator in a year it does not apply in', async () => {
    // 2024 is not fixed, but 参加者数 applies from 2026 on: its 2024 sheet has no line for it, and a save is refused.
    expect((await coord.post(`/api/m/${mid}/rounds/${round2026}/close`)).statusCode).toBe(200);
    const round2024 = await openYearRound(coord, mid, planId, dept, 2024);
    const item = (await sheetOf(round2024)).items[0];
    expect(item.indicators.map((i: { name: string }) => i.name)).toEqual(['講座の開催回数']);
    const res = await editor.put(`/api/m/${mid}/records/${item.record.id}`, {
      version: item.record.version,
      actuals: [{ indicatorId: added, text: '80' }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0]).toMatchObject({
      field: `actuals.${added}`,
      message: 'この年度のこの事業・課の活動指標ではありません',
    });
    const stored = await h.db
      .selectFrom('indicator_actuals')
      .select('text')
      .where('indicator_id', '=', added)
      .where('fiscal_year', '=', 2024)
      .execute();
    expect(stored).toEqual([]);
    expect((await coord.post(`/api/m/${mid}/rounds/${round2024}/close`)).statusCode).toBe(200);
  });

  it('refuses to add an indicator to a fixed year or take one out of it, naming the year', async () => {
    const into = await coord.post(
      `/api/m/${mid}/projects/${projectId}/indicators`,
      indicator('相談件数', { startYear: 2025 }),
    );
    expect(into.statusCode).toBe(400);
    expect(into.json().details[0]).toMatchObject({
      field: 'startYear',
      message:
        '令和7年度は確定または公表済みの年度のため、この指標をその年度に加えることはできません（令和8年度以降を選んでください）',
    });
    const target = await coord.post(
      `/api/m/${mid}/projects/${projectId}/indicators`,
      indicator('相談件数', { targets: [{ fiscalYear: 2025, text: '3' }] }),
    );
    expect(target.statusCode).toBe(400);
    expect(target.json().details[0]).toMatchObject({
      field: 'targets',
      message: '令和7年度はこの指標を使わない年度のため、目標は入力できません（適用する年度を見直してください）',
    });
    const out = await coord.put(
      `/api/m/${mid}/indicators/${first}`,
      indicator('講座の開催回数', { startYear: 2026, targets: [] }),
    );
    expect(out.statusCode).toBe(400);
    expect(out.json().details[0]).toMatchObject({
      field: 'startYear',
      message: '令和7年度は確定または公表済みの年度のため、この指標をその年度から外すことはできません',
    });
    const early = await coord.put(
      `/api/m/${mid}/indicators/${first}`,
      indicator('講座の開催回数', { endYear: 2024, targets: [] }),
    );
    expect(early.statusCode).toBe(400);
    expect(early.json().details[0].field).toBe('endYear');
    const outside = await coord.put(
      `/api/m/${mid}/indicators/${added}`,
      indicator('参加者数', { endYear: 2030, targets: [{ fiscalYear: 2026, text: '100' }] }),
    );
    expect(outside.statusCode).toBe(400);
    expect(outside.json().details[0]).toMatchObject({
      field: 'endYear',
      message: '計画期間（令和6年度〜令和10年度）内の年度を選んでください',
    });
    const backwards = await coord.put(
      `/api/m/${mid}/indicators/${added}`,
      indicator('参加者数', { startYear: 2027, endYear: 2026 }),
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().details[0]).toMatchObject({
      field: 'endYear',
      message: '終了年度は開始年度以降にしてください',
    });
    // Its 2026 actual keeps 参加者数 in 2026.
    const late = await coord.put(`/api/m/${mid}/indicators/${added}`, indicator('参加者数', { startYear: 2027 }));
    expect(late.statusCode).toBe(400);
    expect(late.json().details[0]).toMatchObject({
      field: 'startYear',
      message: '令和8年度の実績が入力されているため、開始年度をそれより後にはできません',
    });
    expect(await listed()).toEqual([
      ['講座の開催回数', null, null],
      ['参加者数', 2026, null],
    ]);
    // A span that leaves the fixed year as it is, is kept: 参加者数 until 2027.
    const kept = await coord.put(
      `/api/m/${mid}/indicators/${added}`,
      indicator('参加者数', { endYear: 2027, targets: [{ fiscalYear: 2026, text: '100' }] }),
    );
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json().indicator).toMatchObject({ startYear: 2026, endYear: 2027 });
  });

  it('ends an indicator a fixed year or an actual used, instead of deleting it; deletes one never used', async () => {
    const unused = (
      await coord.post(`/api/m/${mid}/projects/${projectId}/indicators`, indicator('来場者アンケート回収数'))
    ).json().indicator.id;
    const gone = await coord.delete(`/api/m/${mid}/indicators/${unused}`);
    expect(gone.statusCode, gone.body).toBe(200);
    expect(gone.json()).toEqual({ endedAfter: null });
    expect(await h.db.selectFrom('indicators').select('id').where('id', '=', unused).execute()).toEqual([]);

    // 講座の開催回数: approved in 2025, entered in 2026: ended after 2026, both years keep it.
    const ended = await coord.delete(`/api/m/${mid}/indicators/${first}`);
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toEqual({ endedAfter: 2026 });
    expect(await reportLines(2025)).toEqual([['講座の開催回数', '4', '4回']]);
    expect((await reportLines(2026)).map((l) => l[0])).toEqual(['講座の開催回数', '参加者数']);
    expect((await reportLines(2027)).map((l) => l[0])).toEqual(['参加者数']);
    // A new round carries last year's targets forward to the indicators of its year only.
    const round2027 = await openYearRound(coord, mid, planId, dept, 2027);
    const carried = await h.db
      .selectFrom('indicator_targets')
      .select(['indicator_id', 'text'])
      .where('fiscal_year', '=', 2027)
      .orderBy('indicator_id')
      .execute();
    expect(carried).toEqual([{ indicator_id: added, text: '100' }]);
    expect((await coord.post(`/api/m/${mid}/rounds/${round2027}/close`)).statusCode).toBe(200);
    const trail = (await coord.get(`/api/m/${mid}/audit?entity=indicator`)).json().entries;
    expect(
      trail.find(
        (e: { action: string; entityId: number }) => e.action === 'end' && String(e.entityId) === String(first),
      ),
    ).toBeTruthy();

    // An actual in the indicator's own last year: it cannot be ended before it, nor deleted.
    const refused = await coord.delete(`/api/m/${mid}/indicators/${first}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe(
      '指標「講座の開催回数」は令和8年度まで使われている（実績の入力、または確定・公表済みの年度がある）ため、削除も、それより前での終了もできません',
    );
  });

  it('keeps a node’s indicator added later out of the approved year’s outcome lines', async () => {
    const res = await coord.post(`/api/m/${mid}/plans/${planId}/outcome-indicators`, {
      ...indicator('講座後の意識の変化', { unit: '%' }),
      nodeId: goal,
      departmentId: dept,
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().indicator.id;
    expect(res.json().indicator).toMatchObject({ startYear: 2026 });
    const lines = async (year: number) =>
      (await coord.get(`/api/m/${mid}/plans/${planId}/years/${year}/outcome-indicators`))
        .json()
        .lines.map((l: { indicator: { id: number } }) => l.indicator.id);
    expect(await lines(2025)).toEqual([]);
    expect(await lines(2026)).toEqual([id]);
    const old = await coord.put(`/api/m/${mid}/indicators/${id}/actuals/2025`, { text: '60', readText: '' });
    expect(old.statusCode).toBe(400);
    expect(old.json().message).toContain('「講座後の意識の変化」はこの年度には適用されていません');
  });

  it('goes with the plan file, years and all', async () => {
    const file = (await coord.get(`/api/m/${mid}/plans/${planId}/export`)).json();
    const years = file.indicators.map((i: { name: string; startYear: number | null; endYear: number | null }) => [
      i.name,
      i.startYear,
      i.endYear,
    ]);
    expect(years).toEqual([
      ['講座の開催回数', null, 2026],
      ['参加者数', 2026, 2027],
      ['講座後の意識の変化', 2026, null],
    ]);
    const copy = await coord.post(`/api/m/${mid}/plans/import`, { ...file, plan: { ...file.plan, title: '写し' } });
    expect(copy.statusCode, copy.body).toBe(201);
    const again = (await coord.get(`/api/m/${mid}/plans/${copy.json().plan.id}/export`)).json();
    expect(
      again.indicators.map((i: { startYear: number | null; endYear: number | null }) => [i.startYear, i.endYear]),
    ).toEqual(years.map((y: unknown[]) => y.slice(1)));
  });

  it('keeps an ended indicator’s series to the years it applies in', async () => {
    // 講座の開催回数: ended after 2026; its 2026 target stays, none after.
    const series = (await coord.get(`/api/m/${mid}/indicators/${first}/series`)).json().series;
    expect(series.points.map((p: { fiscalYear: number }) => p.fiscalYear)).toEqual([2025, 2026]);
    expect(series.finalTarget.year).toBe(2026);
  });

  describe('an import', () => {
    const mapping = {
      name: 'years',
      label: 'years',
      headerWords: ['施策', '番号', '事業名', '担当課', '指標'],
      extraHeaderRows: 0,
      levels: [{ name: '施策', column: 0 }],
      columns: { projectNumber: 1, projectName: 2, department: 3, indicator: 4, target: 5, actual: 6 },
      numberInName: false,
    };
    const paste = (indicator: string) =>
      [
        ['施策', '番号', '事業名', '担当課', '指標', '目標', '実績'],
        ['(1) 学びの機会', '1', '男女共同参画講座', '生涯学習課', indicator, '9', '7'],
      ]
        .map((r) => r.join('\t'))
        .join('\n');
    const commit = (indicator: string, fiscalYear: number) =>
      coord.post(`/api/m/${mid}/imports/commit`, {
        source: { kind: 'paste', text: paste(indicator) },
        mapping,
        planId,
        fiscalYear,
      });

    it('refuses to write the values of an indicator in a year it does not apply in, and stores nothing', async () => {
      // 講座の開催回数 ended after 2026.
      const res = await commit('講座の開催回数', 2027);
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toBe(
        '指標「講座の開催回数」は令和9年度には使われていない指標です（その年度の前に終了したか、後の年度から使う指標です）。計画の画面で指標の対象年度を見直してから取り込んでください',
      );
      const stored = await h.db
        .selectFrom('indicator_actuals')
        .select('id')
        .where('indicator_id', '=', first)
        .where('fiscal_year', '=', 2027)
        .execute();
      expect(stored).toEqual([]);
    });

    it('refuses to add an indicator to a fixed year', async () => {
      const res = await commit('講座の参加者の満足度', 2025);
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toBe(
        '令和7年度は確定または公表済みの年度のため、新しい指標「講座の参加者の満足度」を加えられません。表の指標名を計画の指標に合わせるか、指標の列を対応づけずに取り込んでください',
      );
      expect(
        await h.db.selectFrom('indicators').select('id').where('name', '=', '講座の参加者の満足度').execute(),
      ).toEqual([]);
    });

    it('gives an indicator it adds to a later year the years after the fixed one', async () => {
      const res = await commit('講座の参加者の満足度', 2026);
      expect(res.statusCode, res.body).toBe(200);
      const added = await h.db
        .selectFrom('indicators')
        .select(['first_year', 'last_year'])
        .where('name', '=', '講座の参加者の満足度')
        .execute();
      expect(added).toEqual([{ first_year: 2026, last_year: null }]);
    });
  });
});
