import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type {
  CouncilProject,
  EvaluationSettingsDto,
  NodeEvaluationsDto,
  RoundDto,
  Sheet,
  SlotValueDto,
} from '../src/domain/api-types.js';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD, type Fixture } from './support.js';

const VIEWPORT = { width: 1366, height: 768 };

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

async function newPage(browser: Browser, loginName: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(page, loginName);
  return page;
}

/** The plan's tree through the API: one 基本目標, one 施策 under it, one project of 人権推進課. */
async function planSetup(request: APIRequestContext, f: Fixture) {
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const plan = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '三者評価市プラン',
    firstYear: 2021,
    lastYear: 2030,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const planId = plan.plan.id;
  const goal = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const measure = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, {
    title: '啓発',
    parentId: goal.node.id,
  })) as { node: { id: number } };
  const project = (await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
    nodeId: measure.node.id,
    number: '1',
    name: '啓発講座',
    leadDepartmentId: f.departments['人権推進課'],
  })) as { project: { id: number } };
  return { planId, measure: measure.node.id, project: project.project.id };
}

/** What the API holds now, read as the given user. */
async function readAs<T>(request: APIRequestContext, loginName: string, url: string): Promise<T> {
  await apiLogin(request, loginName, PASSWORD);
  const res = await request.get(url);
  expect(res.ok(), url).toBe(true);
  return (await res.json()) as T;
}

const card = (page: Page, name: string) => page.getByRole('article', { name: new RegExp(name) });

/**
 * A whole round of a plan evaluated four ways, through the screens as each person does it: the
 * coordinator sets the evaluation (the department's 自己評価, its own 所管課評価, the council's evaluation
 * of each answer with a comment, the council's ★ on each 施策) and opens the round; the department answers,
 * grades itself and submits; the coordinator grades the answer and approves it; the council member
 * evaluates the answer and the 施策; the report prints the three evaluations side by side.
 */
test('a round with self, coordinator and council evaluations, entered by each role on its own screen and printed side by side', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const f = await createMunicipality(request, '三者評価市');
  const { planId, measure, project } = await planSetup(request, f);
  const dept = f.departments['人権推進課']!;

  // The coordinator sets the evaluation from a preset and adds the council's evaluation of each answer.
  const coord = await newPage(browser, f.coordinator);
  await coord.goto(`/m/${f.mid}/plans/${planId}`);
  await coord.getByRole('link', { name: '評価の方法' }).click();
  await expect(coord.getByRole('heading', { name: '三者評価市プランの評価の方法', level: 1 })).toBeVisible();
  await coord.getByLabel('よく使われる設定から始める').selectOption('council-stars');
  await coord.getByRole('button', { name: '読み込む' }).click();
  const items = coord.getByRole('navigation', { name: '評価の項目と尺度' });
  await items.getByRole('button', { name: '評価の項目を追加' }).click();
  const panel = coord.locator('.eval-panel');
  await panel.getByLabel('名前（報告の列名）').fill('審議会の事業評価');
  await expect(panel.getByLabel('評価する対象')).toHaveValue('record');
  await panel.getByLabel('入力する人').selectOption('council');
  await panel.getByLabel('評価にコメントを添える（審議会の意見、総評など）').check();
  await expectNoViolations(coord, 'evaluation settings with the council’s slot on answers');
  await coord.getByRole('button', { name: 'この内容で保存' }).click();
  await expect(coord.getByRole('status').filter({ hasText: '令和3年度〜の版を保存しました。' })).toBeVisible();
  const settings = await readAs<EvaluationSettingsDto>(
    request,
    f.coordinator,
    `/api/m/${f.mid}/plans/${planId}/evaluation`,
  );
  const slots = settings.versions[0]!.config.slots;
  expect(slots.map((s) => [s.name, s.subject, s.enteredBy, s.scale, s.comment])).toEqual([
    ['自己評価', 'record', 'department', 'a-d', false],
    ['所管課評価', 'record', 'coordinator', 'a-d', false],
    ['審議会評価', 'node', 'council', 'stars', true],
    ['総評', 'node', 'coordinator', 'comment-only', true],
    ['審議会の事業評価', 'record', 'council', 'a-d', true],
  ]);
  const panelKey = slots[4]!.key;

  // The coordinator opens the year-end round of 2025.
  await coord.getByRole('link', { name: '照会', exact: true }).click();
  const roundForm = coord.getByRole('form', { name: '照会を開始する' });
  await expect(roundForm.getByLabel('計画')).toHaveValue(String(planId));
  await roundForm.getByLabel(/^年度/).fill('2025');
  await roundForm.getByLabel(/^回答期限/).fill('2099-04-30');
  await roundForm.getByRole('button', { name: '照会を開始する' }).click();
  await expect(coord.getByRole('status').filter({ hasText: '照会を開始しました' })).toBeVisible();
  await expectNoViolations(coord, 'rounds');
  const rounds = await readAs<{ rounds: RoundDto[] }>(request, f.coordinator, `/api/m/${f.mid}/rounds`);
  const round = rounds.rounds.find((r) => r.planId === planId && r.fiscalYear === 2025 && r.status === 'open')!;
  expect(round).toBeDefined();
  const sheetUrl = `/api/m/${f.mid}/rounds/${round.id}/departments/${dept}/sheet`;

  // The department answers, grades itself and submits.
  const editor = await newPage(browser, f.editor);
  await editor.getByRole('link', { name: /回答の入力/ }).click();
  await expect(editor.getByRole('heading', { level: 1, name: /人権推進課の回答シート/ })).toBeVisible();
  const kouza = card(editor, '啓発講座');
  await kouza.getByLabel('事業予定', { exact: true }).fill('講座を年4回開く');
  await kouza.getByLabel('実績・取組状況', { exact: true }).fill('講座を3回開いた');
  await kouza.getByRole('combobox', { name: /^自己評価/ }).selectOption('B');
  await expect(kouza.getByText(/保存しました/)).toBeVisible();
  await expectNoViolations(editor, 'department sheet with the self-evaluation');
  await editor.getByRole('button', { name: /この課の回答を提出する（1件）/ }).click();
  await editor.getByRole('dialog', { name: '1件の回答を提出します' }).getByRole('button', { name: '提出する' }).click();
  await expect(editor.getByRole('status').filter({ hasText: '提出しました' })).toBeVisible();
  await editor.reload();
  await expect(kouza.getByRole('combobox', { name: /^自己評価/ })).toHaveValue('B');
  let sheet = await readAs<Sheet>(request, f.editor, sheetUrl);
  expect(sheet.items[0]!.record).toMatchObject({ status: 'submitted', resultText: '講座を3回開いた' });
  expect(sheet.items[0]!.evaluations.record.self).toMatchObject({ code: 'B', source: 'entered' });

  // The coordinator reviews it, grades it in its own slot and approves it.
  await coord.goto(`/m/${f.mid}/rounds/${round.id}/review`);
  await coord
    .getByRole('table', { name: '提出された回答の一覧' })
    .getByRole('button', { name: /啓発講座/ })
    .click();
  const detail = coord.getByRole('complementary', { name: '回答の詳細' });
  const coordForm = detail.getByRole('form', { name: '所管課評価を入力' });
  await coordForm.getByLabel('所管課評価').selectOption('A');
  await coordForm.getByLabel('理由').fill('予定どおり実施');
  await coordForm.getByRole('button', { name: '所管課評価を保存' }).click();
  await expect(coordForm.getByRole('status')).toHaveText('保存しました');
  await expect(coordForm).toContainText('最終入力：取りまとめ 担当');
  await expectNoViolations(coord, 'review with the coordinator’s evaluation');
  await detail.getByRole('button', { name: 'この回答を確定する' }).click();
  await expect(detail.getByRole('button', { name: 'この回答を確定する' })).toHaveCount(0);
  await coord.reload();
  sheet = await readAs<Sheet>(request, f.coordinator, sheetUrl);
  expect(sheet.items[0]!.record.status).toBe('approved');
  expect(sheet.items[0]!.evaluations.record.coord).toMatchObject({ code: 'A', reason: '予定どおり実施' });

  // The council member evaluates the approved answer beside the department's and the coordinator's.
  const council = await newPage(browser, f.council);
  await council.getByRole('link', { name: '審議会', exact: true }).click();
  const councilCard = card(council, '啓発講座');
  const answerRow = councilCard.getByRole('row', { name: /人権推進課/ });
  await expect(answerRow).toContainText('自己評価:');
  await expect(answerRow).toContainText('所管課評価:');
  const form = councilCard.getByRole('form', { name: '人権推進課の回答の審議会の事業評価を入力' });
  // The department's and the coordinator's slots are shown, not offered.
  await expect(councilCard.getByRole('form')).toHaveCount(1);
  await form.getByLabel('審議会の事業評価').selectOption('C');
  await form.getByLabel('コメント').fill('参加者の声を集めてください');
  await form.getByRole('button', { name: '審議会の事業評価を保存' }).click();
  await expect(form.getByRole('status')).toHaveText('保存しました');
  await expect(form).toContainText('最終入力：審議会 委員');
  await expectNoViolations(council, 'council page with the entry form');
  await council.evaluate(() => window.scrollTo(0, 0));
  await council.screenshot({ path: test.info().outputPath('council-entry.png') });
  await answerRow.scrollIntoViewIfNeeded();
  await council.screenshot({ path: test.info().outputPath('council-entry-row.png') });
  expect(await council.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORT.width);

  // Meanwhile the coordinator enters the council's evaluation from the minutes: the council member's
  // next save of the version read is refused beside the field, and what was typed stays.
  const fromMinutes = await apiLogin(request, f.coordinator, PASSWORD);
  await fromMinutes('post', `/api/m/${f.mid}/plans/${planId}/years/2025/evaluations`, {
    slotKey: panelKey,
    subjectKind: 'record',
    subjectId: project,
    departmentId: dept,
    code: 'B',
    comment: '議事録より',
    version: 1,
  });
  await form.getByLabel('コメント').fill('参加者の声を集め、次年度に生かしてください');
  await form.getByRole('button', { name: '審議会の事業評価を保存' }).click();
  await expect(form.getByLabel('審議会の事業評価')).toHaveAccessibleDescription(
    /取りまとめ 担当さんが先に保存しました（B）.*保存されなかった入力：評価「C」、コメント「参加者の声を集め、次年度に生かしてください」/,
  );
  await expect(form).toContainText('最終入力：取りまとめ 担当');
  await council.screenshot({ path: test.info().outputPath('council-entry-conflict.png') });
  await expectNoViolations(council, 'council page with a refused save');
  await form.getByRole('button', { name: '審議会の事業評価を保存' }).click();
  await expect(form.getByRole('status')).toHaveText('保存しました');
  await expect(form).toContainText('最終入力：審議会 委員');

  // The council member stars the 施策.
  await council.getByRole('link', { name: '評価', exact: true }).click();
  // the 審議会 page has a 年度 too: the year is chosen once the 評価 page has come
  await expect(council.getByRole('heading', { level: 1 })).toContainText('体系ごとの評価');
  await council.getByLabel('年度', { exact: true }).selectOption('2025');
  await council.getByLabel(/啓発の審議会評価$/).selectOption('★★');
  await council.getByLabel(/啓発の審議会評価のコメント$/).fill('周知の工夫を');
  await council.getByRole('button', { name: /啓発の\s?審議会評価を保存$/ }).click();
  await expect(council.getByRole('row', { name: /啓発/ }).getByRole('status')).toHaveText('保存しました');
  await expectNoViolations(council, 'node evaluations as the council member');

  // Each one comes back to what it entered.
  await council.goto(`/m/${f.mid}/council?planId=${planId}&fiscalYear=2025`);
  await expect(form.getByLabel('審議会の事業評価')).toHaveValue('C');
  await expect(form.getByLabel('コメント')).toHaveValue('参加者の声を集め、次年度に生かしてください');
  const view = await readAs<{ projects: CouncilProject[] }>(
    request,
    f.council,
    `/api/m/${f.mid}/council?planId=${planId}&fiscalYear=2025`,
  );
  const values: Record<string, SlotValueDto> = view.projects[0]!.records[0]!.evaluations.record;
  expect(values.self).toMatchObject({ code: 'B', source: 'entered' });
  expect(values.coord).toMatchObject({ code: 'A', reason: '予定どおり実施', enteredByName: '取りまとめ 担当' });
  expect(values[panelKey]).toMatchObject({
    code: 'C',
    comment: '参加者の声を集め、次年度に生かしてください',
    version: 3,
    enteredByName: '審議会 委員',
  });
  const nodes = await readAs<NodeEvaluationsDto>(
    request,
    f.council,
    `/api/m/${f.mid}/plans/${planId}/years/2025/node-evaluations`,
  );
  expect(nodes.rows.find((r) => r.subjectId === measure)!.values.council).toMatchObject({
    code: '★★',
    comment: '周知の工夫を',
    enteredByName: '審議会 委員',
  });
  await editor.reload();
  await expect(kouza.getByRole('combobox', { name: /^自己評価/ })).toHaveValue('B');
  sheet = await readAs<Sheet>(request, f.editor, sheetUrl);
  expect(sheet.items[0]!.evaluations.record[panelKey]).toMatchObject({ code: 'C' });

  // The report prints the three evaluations of the answer side by side, from a layout read from a file.
  await coord.getByRole('link', { name: '報告', exact: true }).click();
  await coord.getByText('レイアウトをファイルで書き出す・読み込む（JSON）').click();
  await coord.getByLabel('読み込むファイル（JSON）').setInputFiles({
    name: 'three.layout.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        name: 'three-evaluations',
        label: '三者の評価',
        hierarchy: 'columns',
        rowUnit: 'record',
        grouping: 'tree',
        columns: [
          { key: 'projectName', header: ['事業'], width: 20 },
          { key: 'department', header: ['担当課'], width: 10 },
          { key: 'grade', slot: 'self', header: ['自己評価'], width: 6 },
          { key: 'grade', slot: 'coord', header: ['所管課評価'], width: 6 },
          { key: 'grade', slot: panelKey, header: ['審議会評価'], width: 6 },
        ],
      }),
    ),
  });
  await expect(coord.getByRole('status').filter({ hasText: 'レイアウト「三者の評価」を保存しました' })).toBeVisible();
  await coord.getByLabel('年度').fill('R7');
  await coord.getByLabel('レイアウト').selectOption({ label: '三者の評価' });
  await coord.getByRole('button', { name: '表示する' }).click();
  for (const header of ['自己評価', '所管課評価', '審議会評価'])
    await expect(coord.getByRole('columnheader', { name: header }).first()).toBeVisible();
  const printed = coord.getByRole('row').filter({ hasText: '啓発講座' }).first();
  await expect(printed.getByRole('cell')).toHaveText([/啓発講座/, '人権推進課', /^B/, /^A/, /^C/]);
  await expectNoViolations(coord, 'report with the three evaluations');
  await printed.scrollIntoViewIfNeeded();
  await coord.screenshot({ path: test.info().outputPath('report-three.png') });
  const doc = await readAs<{ document: { sheets: { rows: { type: string; cells: { text: string }[] }[] }[] } }>(
    request,
    f.coordinator,
    `/api/m/${f.mid}/report?planId=${planId}&fiscalYear=2025&layout=three-evaluations`,
  );
  const rows = doc.document.sheets[0]!.rows.filter((r) => r.type === 'data').map((r) => r.cells.map((c) => c.text));
  expect(rows).toEqual([['啓発講座', '人権推進課', 'B', 'A', 'C']]);

  // 集計 counts each evaluation in its own scale, side by side, with the points of A〜D (4/3/2/1).
  await coord.getByRole('link', { name: '集計', exact: true }).click();
  await expect(coord).toHaveURL(/\/summary/);
  await coord.getByRole('textbox', { name: /^年度/ }).fill('R7');
  await coord.getByRole('button', { name: '集計する' }).click();
  const totals = async (name: string) => {
    const table = coord.getByRole('table', { name: new RegExp(`^${name}（`) });
    await expect(table).toBeVisible();
    return table.getByRole('row', { name: /^合計/ }).getByRole('cell');
  };
  // A B C D, 評価の対象外, 未評価, 点数の合計, 平均点
  await expect(await totals('自己評価')).toHaveText(['0', '1', '0', '0', '0', '0', '3', '3.00']);
  await expect(await totals('所管課評価')).toHaveText(['1', '0', '0', '0', '0', '0', '4', '4.00']);
  await expect(await totals('審議会の事業評価')).toHaveText(['0', '0', '1', '0', '0', '0', '2', '2.00']);
  await expectNoViolations(coord, 'summary with every evaluation');
  await (await totals('審議会の事業評価')).first().scrollIntoViewIfNeeded();
  await coord.screenshot({ path: test.info().outputPath('summary-slots.png') });
  const summary = await readAs<{ summary: { slots: { slotKey: string; total: { points: { total: number } } }[] } }>(
    request,
    f.coordinator,
    `/api/m/${f.mid}/report-summary?planId=${planId}&fiscalYear=2025&depth=0`,
  );
  expect(summary.summary.slots.map((x) => [x.slotKey, x.total.points.total])).toEqual([
    ['self', 3],
    ['coord', 4],
    ['council', 2],
    [panelKey, 2],
  ]);
});
