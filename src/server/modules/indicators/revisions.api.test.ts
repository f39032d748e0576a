import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../../domain/report/build.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import { codeCounts } from '../../../domain/report/sample-dataset.test-support.js';
import { createHarness, type Client, type Harness } from '../../testing/harness.js';
import { openYearRound } from '../../testing/plan-fixtures.js';

/** A municipality with one department, a plan graded by 'achievement-5', a project under one node and its indicator. */
async function revisionWorld(
  h: Harness,
  names: { municipality: string; department: string; node: string; project: string },
  indicator: Record<string, unknown>,
) {
  const m = await h.municipality(names.municipality);
  const mid = m.id;
  const dept = await h.department(mid, names.department);
  const coord = await h.as('coordinator', { municipalityId: mid });
  const editor = await h.as('department_editor', { municipalityId: mid, departmentId: dept });
  const planId: number = (
    await coord.post(`/api/m/${mid}/plans`, {
      title: `${names.municipality}プラン`,
      firstYear: 2021,
      lastYear: 2030,
      evaluationPreset: 'achievement-5',
      levels: [
        { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
        { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
      ],
    })
  ).json().plan.id;
  const node = (await coord.post(`/api/m/${mid}/plans/${planId}/nodes`, { title: names.node })).json().node.id;
  const project = (
    await coord.post(`/api/m/${mid}/plans/${planId}/projects`, {
      nodeId: node,
      number: '1',
      name: names.project,
      leadDepartmentId: dept,
    })
  ).json().project.id;
  const created = await coord.post(`/api/m/${mid}/projects/${project}/indicators`, indicator);
  expect(created.statusCode, created.body).toBe(201);
  const indicatorId: number = created.json().indicator.id;
  /** A year-end round of the year with the department's answer and its actual saved (not submitted). */
  const answer = async (year: number, actual: string) => {
    const roundId = await openYearRound(coord, mid, planId, dept, year);
    const item = (await editor.get(`/api/m/${mid}/rounds/${roundId}/departments/${dept}/sheet`)).json().items[0];
    const saved = await editor.put(`/api/m/${mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '講座を開く',
      resultText: '講座を開いた',
      actuals: [{ indicatorId, text: actual }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    return { roundId, recordId: item.record.id as number };
  };
  return { mid, code: m.code, dept, coord, editor, planId, indicatorId, answer };
}

/**
 * An indicator revised at the mid-term review: the change applies from the first year not yet fixed;
 * a fixed year keeps the terms, the grade and the counts it was approved with.
 */
describe('an indicator revised after a year is fixed', () => {
  let h: Harness;
  let mid: number;
  let code: string;
  let planId: number;
  let indicatorId: number;
  let coord: Client;
  let editor: Client;

  const gradeIn = async (year: number): Promise<{ grade: string; level: string; counts: Record<string, number> }> => {
    const res = await coord.get(
      `/api/m/${mid}/report?planId=${planId}&fiscalYear=${year}&layout=indicator-achievement`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const doc: ReportDocument = res.json().document;
    const col = (key: string) => doc.columns.findIndex((c) => c.key === key);
    const row = doc.sheets[0]!.rows.find((r) => r.type === 'data')!;
    if (row.type !== 'data') throw new Error('no data row');
    return {
      grade: row.cells[col('grade')]!.text,
      level: row.cells[col('level')]!.text,
      counts: Object.fromEntries(doc.tallies.total.counts.map((c) => [c.code, c.count])),
    };
  };

  const summaryOf = async (year: number) =>
    (await coord.get(`/api/m/${mid}/report-summary?planId=${planId}&fiscalYear=${year}&depth=0`)).json().summary;

  let answer: Awaited<ReturnType<typeof revisionWorld>>['answer'];

  beforeAll(async () => {
    h = await createHarness();
    ({ mid, code, coord, editor, planId, indicatorId, answer } = await revisionWorld(
      h,
      { municipality: '改定市', department: '人権推進課', node: '意識づくり', project: '啓発講座' },
      {
        name: '待ち日数',
        unit: '日',
        kind: 'number',
        direction: 'higher',
        targets: [
          { fiscalYear: 2023, text: '4日' },
          { fiscalYear: 2024, text: '4日' },
        ],
      },
    ));
  });
  afterAll(() => h.close());

  it('keeps the approved year as it was and applies the revision from the next year', async () => {
    const y2023 = await answer(2023, '3日');
    expect((await editor.post(`/api/m/${mid}/records/${y2023.recordId}/submit`)).statusCode).toBe(200);
    expect((await coord.post(`/api/m/${mid}/records/${y2023.recordId}/approve`)).statusCode).toBe(200);
    // 3 of 4, more is better: 75% → 達成度3 → ○.
    expect(await gradeIn(2023)).toMatchObject({ grade: '○', level: '3' });
    expect((await coord.post(`/api/m/${mid}/rounds/${y2023.roundId}/close`)).statusCode).toBe(200);
    await answer(2024, '3日');

    // The review finds the indicator was meant the other way round: fewer days is better.
    const revised = await coord.put(`/api/m/${mid}/indicators/${indicatorId}`, {
      name: '待ち日数',
      unit: '日',
      kind: 'number',
      direction: 'lower',
      note: '中間見直しで少ないほどよい指標に',
      targets: [
        { fiscalYear: 2023, text: '4日' },
        { fiscalYear: 2024, text: '4日' },
      ],
    });
    expect(revised.statusCode, revised.body).toBe(200);
    expect(revised.json().indicator).toMatchObject({
      direction: 'lower',
      revisions: [{ fromYear: 2024, note: '中間見直しで少ないほどよい指標に' }],
    });
    const stored = await h.db.selectFrom('indicators').select('direction').where('id', '=', indicatorId).execute();
    expect(stored).toEqual([{ direction: 'higher' }]);

    // 2023 keeps ○ and its count; 2024: 4 ÷ 3 = 133% → 達成度5 → ◎.
    expect(await gradeIn(2023)).toEqual({ grade: '○', level: '3', counts: { '◎': 0, '○': 1, '△': 0, '×': 0 } });
    expect(await gradeIn(2024)).toMatchObject({ grade: '◎', level: '5' });
  });

  it('keeps the fixed year’s grade, 集計 and published report when the scale is revised from the next year', async () => {
    const published = await coord.post(`/api/m/${mid}/report-snapshots`, {
      planId,
      fiscalYear: 2023,
      layout: 'indicator-achievement',
      asOf: '2024-06-30',
    });
    expect(published.statusCode, published.body).toBe(201);
    const before = { summary: await summaryOf(2023), grade: await gradeIn(2023) };
    // The next plan period grades stricter: 達成度3 needs 80%, and 75% is 達成度2 (△).
    const stricter = structuredClone(presetConfig('achievement-5')!);
    const rule = stricter.scales[0]!.rule;
    if (rule.kind !== 'ratio') throw new Error('a ratio scale was expected');
    rule.levels = rule.levels.map((l) => (l.code === '4' ? { ...l, min: 90 } : l.code === '3' ? { ...l, min: 80 } : l));
    const url = `/api/m/${mid}/plans/${planId}/evaluation`;
    expect((await coord.put(url, { fromYear: 2023, config: stricter })).statusCode).toBe(409);
    const saved = await coord.put(url, { fromYear: 2024, config: stricter, note: '後期計画の基準' });
    expect(saved.statusCode, saved.body).toBe(200);

    expect(await gradeIn(2023)).toEqual(before.grade);
    expect(await summaryOf(2023)).toEqual(before.summary);
    const page = await h.client().get(`/public/${code}/reports/${published.json().snapshot.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/class="c-grade[^"]*"><span aria-hidden="true">○<\/span>/);
    // 2024, answered 3 days with fewer better: 133% stays ◎ under the stricter levels; 2025 at 6 days (4 ÷ 6 = 67%,
    // 達成度3 ○ before) is 達成度2 △ now.
    expect(await gradeIn(2024)).toMatchObject({ grade: '◎', level: '5' });
    const rounds: { id: number; status: string }[] = (await coord.get(`/api/m/${mid}/rounds`)).json().rounds;
    for (const r of rounds.filter((x) => x.status === 'open'))
      expect((await coord.post(`/api/m/${mid}/rounds/${r.id}/close`)).statusCode).toBe(200);
    await answer(2025, '6日');
    expect(await gradeIn(2025)).toMatchObject({ grade: '△', level: '2' });
  });

  it('refuses to change, add or remove a fixed year’s target, and takes it sent again unchanged', async () => {
    const before = { summary: await summaryOf(2023), grade: await gradeIn(2023) };
    const storedTargets = () =>
      h.db
        .selectFrom('indicator_targets')
        .select(['fiscal_year', 'text'])
        .where('indicator_id', '=', indicatorId)
        .orderBy('fiscal_year')
        .execute();
    const stored = await storedTargets();
    const terms = { name: '待ち日数', unit: '日', kind: 'number', direction: 'lower' };
    const put = (targets: { fiscalYear: number; text: string }[]) =>
      coord.put(`/api/m/${mid}/indicators/${indicatorId}`, { ...terms, targets });

    // 2023 was approved (and published): its target of 4日 stays.
    const changed = await put([
      { fiscalYear: 2023, text: '3日' },
      { fiscalYear: 2024, text: '4日' },
    ]);
    expect(changed.statusCode, changed.body).toBe(409);
    expect(changed.json().message).toBe(
      '令和5年度は確定または公表済みのため、その年度の目標は変えられません（登録済みの目標: 4日）',
    );
    expect(changed.json().details).toEqual([
      { field: 'targets', label: '年度目標', message: '令和5年度の目標は変えられません' },
    ]);
    const removed = await put([{ fiscalYear: 2024, text: '4日' }]);
    expect(removed.statusCode, removed.body).toBe(409);
    expect(removed.json().message).toContain('令和5年度は確定または公表済み');
    // A new line cannot bring a target into the fixed year either: it applies from the year after.
    const project = (
      await h.db.selectFrom('indicators').select('project_id').where('id', '=', indicatorId).execute()
    )[0]!;
    const added = await coord.post(`/api/m/${mid}/projects/${project.project_id}/indicators`, {
      ...terms,
      name: '相談件数',
      targets: [{ fiscalYear: 2023, text: '5日' }],
    });
    expect(added.statusCode, added.body).toBe(400);
    expect(added.json().details[0]).toMatchObject({ field: 'targets', message: expect.stringContaining('令和5年度') });
    expect(await h.db.selectFrom('indicators').select('id').where('name', '=', '相談件数').execute()).toEqual([]);

    expect(await storedTargets()).toEqual(stored);
    expect(await gradeIn(2023)).toEqual(before.grade);
    expect(await summaryOf(2023)).toEqual(before.summary);

    // The fixed year's target sent again as it is, with a later year's changed: saved.
    const later = await put([
      { fiscalYear: 2023, text: '4日' },
      { fiscalYear: 2024, text: '5日' },
    ]);
    expect(later.statusCode, later.body).toBe(200);
    expect(await storedTargets()).toEqual([
      { fiscal_year: 2023, text: '4日' },
      { fiscal_year: 2024, text: '5日' },
    ]);
    expect(await gradeIn(2023)).toEqual(before.grade);
  });

  it('applies a revision from the year the coordinator names, says what changed, and refuses a fixed year', async () => {
    const url = `/api/m/${mid}/indicators/${indicatorId}`;
    const terms = {
      name: '待ち日数',
      unit: '日',
      kind: 'number',
      targets: [
        { fiscalYear: 2023, text: '4日' },
        { fiscalYear: 2024, text: '5日' },
      ],
    };
    const before = { y2024: await gradeIn(2024), y2025: await gradeIn(2025) };
    const intoFixed = await coord.put(url, { ...terms, direction: 'higher', fromYear: 2023 });
    expect(intoFixed.statusCode, intoFixed.body).toBe(400);
    expect(intoFixed.json().details).toEqual([
      {
        field: 'fromYear',
        label: '変更を適用する年度',
        message: '令和5年度は確定または公表済みの年度です。令和6年度以降を選んでください',
      },
    ]);
    expect(
      (await h.db.selectFrom('indicator_revisions').select('from_year').execute()).map((r) => r.from_year),
    ).toEqual([2024]);

    // The mid-term review of 令和8年度: more is better again, with a final target, from that year on.
    const review = await coord.put(url, {
      ...terms,
      direction: 'higher',
      finalTarget: '3日',
      fromYear: 2026,
      note: '後期計画で見直し',
    });
    expect(review.statusCode, review.body).toBe(200);
    const { revisions } = review.json().indicator;
    expect(revisions.map((r: { fromYear: number }) => r.fromYear)).toEqual([2024, 2026]);
    expect(revisions[0]).toMatchObject({ before: { direction: 'higher' }, after: { direction: 'lower' } });
    expect(revisions[1]).toMatchObject({
      note: '後期計画で見直し',
      before: { direction: 'lower', finalTarget: '' },
      after: { direction: 'higher', finalTarget: '3日' },
    });
    // 2024 and 2025, not fixed but before the year named, keep the terms they were evaluated with.
    expect(await gradeIn(2024)).toEqual(before.y2024);
    expect(await gradeIn(2025)).toEqual(before.y2025);
  });
});

/**
 * The mid-term review of 令和6年度 revises an indicator's terms from that year and lowers its target,
 * after 令和5年度 was approved and published: the earlier year's 集計, its published page and the report
 * it prints today stay exactly as they were, while 令和6年度's grade follows each revision.
 */
describe('a target and terms revised from the year after a published one', () => {
  let h: Harness;
  let mid: number;
  let code: string;
  let planId: number;
  let indicatorId: number;
  let coord: Client;
  let editor: Client;
  let snapshotId: number;

  const reportOf = async (year: number): Promise<ReportDocument> => {
    const q = `planId=${planId}&fiscalYear=${year}&layout=indicator-achievement&asOf=2024-06-30`;
    const res = await coord.get(`/api/m/${mid}/report?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().document;
  };
  const gradeIn = async (year: number) => {
    const doc = await reportOf(year);
    const col = (key: string) => doc.columns.findIndex((c) => c.key === key);
    const row = doc.sheets[0]!.rows.find((r) => r.type === 'data')!;
    if (row.type !== 'data') throw new Error('no data row');
    return `${row.cells[col('grade')]!.text}（達成度${row.cells[col('level')]!.text}）`;
  };
  const summaryOf = async (year: number) => {
    const res = await coord.get(`/api/m/${mid}/report-summary?planId=${planId}&fiscalYear=${year}&depth=0`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().summary;
  };
  /** Everything a reader sees of 令和5年度: 集計, the published page, the stored snapshot and today's report. */
  const earlierYear = async () => {
    const page = await h.client().get(`/public/${code}/reports/${snapshotId}`);
    expect(page.statusCode).toBe(200);
    const stored = await h.db
      .selectFrom('report_snapshots')
      .select('document')
      .where('id', '=', snapshotId)
      .executeTakeFirstOrThrow();
    return {
      summary: await summaryOf(2023),
      page: page.body,
      snapshot: JSON.parse(stored.document) as ReportDocument,
      report: await reportOf(2023),
    };
  };
  const expectEarlierYearAsBefore = async (before: Awaited<ReturnType<typeof earlierYear>>) => {
    const now = await earlierYear();
    expect(now.summary, '集計').toEqual(before.summary);
    expect(now.page, 'the published page').toBe(before.page);
    expect(now.snapshot, 'the published snapshot').toEqual(before.snapshot);
    expect(now.report, 'the report printed today').toEqual(before.report);
  };
  const terms = {
    name: '講座の受講者数',
    unit: '人',
    kind: 'number',
    direction: 'higher',
    targets: [
      { fiscalYear: 2023, text: '10人' },
      { fiscalYear: 2024, text: '10人' },
    ],
  };

  let answer: Awaited<ReturnType<typeof revisionWorld>>['answer'];

  beforeAll(async () => {
    h = await createHarness();
    ({ mid, code, coord, editor, planId, indicatorId, answer } = await revisionWorld(
      h,
      { municipality: '見直し市', department: '生涯学習課', node: '学びの場づくり', project: '市民講座' },
      terms,
    ));

    // 令和5年度: 7 of 10 = 70% → 達成度3 ○, approved, closed and published.
    const y2023 = await answer(2023, '7人');
    expect((await editor.post(`/api/m/${mid}/records/${y2023.recordId}/submit`)).statusCode).toBe(200);
    expect((await coord.post(`/api/m/${mid}/records/${y2023.recordId}/approve`)).statusCode).toBe(200);
    expect((await coord.post(`/api/m/${mid}/rounds/${y2023.roundId}/close`)).statusCode).toBe(200);
    const published = await coord.post(`/api/m/${mid}/report-snapshots`, {
      planId,
      fiscalYear: 2023,
      layout: 'indicator-achievement',
      asOf: '2024-06-30',
    });
    expect(published.statusCode, published.body).toBe(201);
    snapshotId = published.json().snapshot.id;
    // 令和6年度, answered the same, not yet approved.
    await answer(2024, '7人');
  });
  afterAll(() => h.close());

  it('keeps the published year’s 集計, page and report while the next year follows each revision', async () => {
    const before = await earlierYear();
    expect(await gradeIn(2023)).toBe('○（達成度3）');
    expect(before.summary.total.tally.counts).toEqual(codeCounts({ '◎': 0, '○': 1, '△': 0, '×': 0 }));
    expect(before.page).toMatch(/class="c-grade[^"]*"><span aria-hidden="true">○<\/span>/);
    // The report 令和5年度 prints today is the one published.
    expect(before.report).toEqual(before.snapshot);
    expect(await gradeIn(2024)).toBe('○（達成度3）');
    const summary2024 = await summaryOf(2024);
    expect(summary2024.total.tally.counts).toEqual(before.summary.total.tally.counts);

    // The terms: fewer is better from 令和6年度 on. 10 ÷ 7 = 143% → 達成度5 ◎.
    const url = `/api/m/${mid}/indicators/${indicatorId}`;
    const lower = await coord.put(url, { ...terms, direction: 'lower', fromYear: 2024, note: '中間見直し' });
    expect(lower.statusCode, lower.body).toBe(200);
    expect(lower.json().indicator.revisions).toMatchObject([{ fromYear: 2024, after: { direction: 'lower' } }]);
    expect(await gradeIn(2024)).toBe('◎（達成度5）');
    expect((await summaryOf(2024)).total.tally.counts).toEqual(codeCounts({ '◎': 1, '○': 0, '△': 0, '×': 0 }));
    await expectEarlierYearAsBefore(before);

    // The target: 令和6年度's lowered to 4人. 4 ÷ 7 = 57% → 達成度2 △.
    const lowered = await coord.put(url, {
      ...terms,
      direction: 'lower',
      targets: [
        { fiscalYear: 2023, text: '10人' },
        { fiscalYear: 2024, text: '4人' },
      ],
    });
    expect(lowered.statusCode, lowered.body).toBe(200);
    expect(await gradeIn(2024)).toBe('△（達成度2）');
    expect((await summaryOf(2024)).total.tally.counts).toEqual(codeCounts({ '◎': 0, '○': 0, '△': 1, '×': 0 }));
    await expectEarlierYearAsBefore(before);
    expect(await gradeIn(2023)).toBe('○（達成度3）');
  });
});
