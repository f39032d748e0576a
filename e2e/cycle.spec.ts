import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD, type Fixture } from './support.js';

/** A plan with 啓発講座 (人権推進課, with an indicator) and 研修会 (人権推進課 and 学校教育課), and an open round. */
async function cycleSetup(
  request: import('@playwright/test').APIRequestContext,
  name: string,
): Promise<Fixture & { roundId: number; planId: number }> {
  const f = await createMunicipality(request, name);
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const plan = (await call('post', `/api/m/${f.mid}/plans`, {
    title: `${name}男女共同参画プラン`,
    firstYear: 2021,
    lastYear: 2030,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const node = (await call('post', `/api/m/${f.mid}/plans/${plan.plan.id}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const p1 = (await call('post', `/api/m/${f.mid}/plans/${plan.plan.id}/projects`, {
    nodeId: node.node.id,
    number: '1',
    name: '啓発講座',
    leadDepartmentId: f.departments['人権推進課'],
  })) as { project: { id: number } };
  const p2 = (await call('post', `/api/m/${f.mid}/plans/${plan.plan.id}/projects`, {
    nodeId: node.node.id,
    number: '2',
    name: '研修会',
    leadDepartmentId: f.departments['人権推進課'],
    coDepartmentIds: [f.departments['学校教育課']],
  })) as { project: { id: number } };
  await call('post', `/api/m/${f.mid}/projects/${p2.project.id}/indicators`, {
    name: '受講者数',
    unit: '人',
    kind: 'number',
    direction: 'higher',
  });
  await call('post', `/api/m/${f.mid}/projects/${p1.project.id}/indicators`, {
    name: '講座開催回数',
    unit: '回',
    kind: 'number',
    direction: 'higher',
    targets: [{ fiscalYear: 2025, text: '4回' }],
  });
  const round = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId: plan.plan.id,
    fiscalYear: 2025,
    phase: 'end',
    deadline: '2099-04-30',
    instructions: '実績と自己評価を入力してください。',
    departmentIds: [f.departments['人権推進課'], f.departments['学校教育課']],
  })) as { round: { id: number } };
  await request.post('/api/auth/logout', {
    headers: {
      'x-csrf-token': ((await (await request.get('/api/session')).json()) as { csrfToken: string }).csrfToken,
    },
  });
  return { ...f, roundId: round.round.id, planId: plan.plan.id };
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

const card = (page: Page, name: string) => page.getByRole('article', { name: new RegExp(name) });

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

test('a department fills and submits its sheet; the coordinator returns one record, the department fixes it, the coordinator approves; the council comments and the department answers', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const f = await cycleSetup(request, '循環市');
  const dept = await newPage(browser);
  const coord = await newPage(browser);

  // The department finds its sheet from ホーム.
  await loginThroughUi(dept, f.editor);
  await dept.getByRole('link', { name: /回答の入力/ }).click();
  await expect(dept.getByRole('heading', { level: 1, name: /人権推進課の回答シート/ })).toBeVisible();
  await expectNoViolations(dept, 'department sheet');

  const kouza = card(dept, '啓発講座');
  await kouza.getByLabel('事業予定', { exact: true }).fill('講座を年4回開催する');
  await kouza.getByLabel('実績・取組状況', { exact: true }).fill('講座を5回開催した');
  await kouza.getByLabel('講座開催回数の今年度の実績').fill('５回');
  await expect(kouza.getByText('5回として保存します')).toBeVisible();
  await kouza.getByRole('combobox', { name: /^評価/ }).selectOption('A');
  await expect(kouza.getByText(/保存しました/)).toBeVisible();
  const kenshu = card(dept, '研修会');
  await kenshu.getByLabel('事業予定', { exact: true }).fill('教職員研修を開く');
  await kenshu.getByLabel('実績・取組状況', { exact: true }).fill('研修を2回開いた');
  await kenshu.getByLabel('受講者数の今年度の実績').fill('90人');
  await kenshu.getByRole('combobox', { name: /^評価/ }).selectOption('B');
  await expect(kenshu.getByText(/保存しました/)).toBeVisible();

  await dept.getByRole('button', { name: /この課の回答を提出する/ }).click();
  await dept.getByRole('dialog', { name: '2件の回答を提出します' }).getByRole('button', { name: '提出する' }).click();
  await expect(dept.getByRole('status').filter({ hasText: '提出しました' })).toBeVisible();
  await expect(kouza.locator('.status-badge')).toHaveText('提出済');
  await expect(kouza.getByLabel('実績・取組状況', { exact: true })).toBeDisabled();
  // Submitted, the answer is read only: its actual as stored, and no word of how it would be saved.
  await expect(kouza.getByLabel('講座開催回数の今年度の実績')).toHaveValue(/^[5５]回$/);
  await expect(kouza.getByText(/として保存します/)).toHaveCount(0);

  // The coordinator sees it on the board and returns one record with a message.
  await loginThroughUi(coord, f.coordinator);
  await coord.getByRole('link', { name: '照会', exact: true }).click();
  await coord.getByRole('link', { name: '状況を見る' }).click();
  const row = coord.getByRole('row', { name: /人権推進課/ });
  await expect(row.getByRole('cell').nth(2)).toHaveText('2');
  await expectNoViolations(coord, 'status board');
  await row.getByRole('link', { name: '人権推進課' }).click();
  const coordKouza = card(coord, '啓発講座');
  await coordKouza.getByLabel('差戻しの理由').fill('開催回数の根拠を備考に書いてください');
  await coordKouza.getByRole('button', { name: '差戻す' }).click();
  await expect(coordKouza.locator('.status-badge')).toHaveText('差戻し');

  // The department sees the message, fixes the record and submits again.
  await dept.reload();
  await expect(kouza.getByText('開催回数の根拠を備考に書いてください')).toBeVisible();
  await kouza.getByLabel('備考', { exact: true }).fill('各回の参加者名簿による');
  await expect(kouza.getByText(/保存しました/)).toBeVisible();
  await kouza.getByRole('link', { name: '変更履歴' }).click();
  await expect(dept.getByRole('heading', { name: '前回の提出からの変更' })).toBeVisible();
  await expect(dept.getByRole('table', { name: '前回の提出からの変更' })).toContainText('各回の参加者名簿による');
  await expectNoViolations(dept, 'history');
  await dept.goBack();
  await dept.getByRole('button', { name: /この課の回答を提出する（1件）/ }).click();
  await dept.getByRole('dialog').getByRole('button', { name: '提出する' }).click();
  await expect(dept.getByRole('status').filter({ hasText: '提出しました' })).toBeVisible();

  // The coordinator approves both.
  await coord.reload();
  await coord.getByRole('button', { name: '提出済みの2件をすべて確定する' }).click();
  await coord
    .getByRole('dialog', { name: /提出済み2件を確定します/ })
    .getByRole('button', { name: '確定する' })
    .click();
  await expect(card(coord, '啓発講座').locator('.status-badge')).toHaveText('確定');
  await expect(card(coord, '研修会').locator('.status-badge')).toHaveText('確定');

  // The council reads the approved answers and comments; the department answers.
  const council = await newPage(browser);
  await loginThroughUi(council, f.council);
  await council.goto(`/m/${f.mid}/council?planId=${f.planId}&fiscalYear=2025`);
  const councilCard = card(council, '啓発講座');
  await expect(councilCard).toContainText('講座を5回開催した');
  // The department's evaluation beside its answer, by the slot's name, with the code's words.
  await expect(councilCard.getByRole('row', { name: /人権推進課/ })).toContainText('評価: AA（順調または目標達成）');
  await council.setViewportSize({ width: 1366, height: 768 });
  await council.screenshot({ path: test.info().outputPath('council.png') });
  await expectNoViolations(council, 'council page');
  await councilCard.getByLabel('この事業への意見').fill('参加者の男女比を示してください');
  await councilCard.getByRole('button', { name: '意見を書き込む' }).click();
  await expect(councilCard.getByText('参加者の男女比を示してください')).toBeVisible();

  await dept.goto(`/m/${f.mid}/home`);
  await dept.getByRole('link', { name: /審議会の意見への回答/ }).click();
  const deptCouncil = card(dept, '啓発講座');
  await deptCouncil.getByLabel('この意見への回答').fill('次回から男女別に集計します');
  await deptCouncil.getByRole('button', { name: '回答する' }).click();
  await expect(deptCouncil.getByText(/回答（人権推進課/)).toBeVisible();
  await council.reload();
  await expect(card(council, '啓発講座').getByText('次回から男女別に集計します')).toBeVisible();
});

test('two people editing one record see the conflict instead of overwriting each other', async ({
  browser,
  request,
}) => {
  const f = await cycleSetup(request, '競合市');
  const one = await newPage(browser);
  const two = await newPage(browser);
  await loginThroughUi(one, f.editor);
  await loginThroughUi(two, f.coordinator);
  const url = `/m/${f.mid}/rounds/${f.roundId}/departments/${f.departments['人権推進課']}`;
  await one.goto(url);
  await two.goto(url);
  await expect(card(one, '啓発講座')).toBeVisible();
  await expect(card(two, '啓発講座')).toBeVisible();

  await card(one, '啓発講座').getByLabel('事業予定', { exact: true }).fill('担当課の入力');
  await expect(card(one, '啓発講座').getByText(/保存しました/)).toBeVisible();
  await card(two, '啓発講座').getByLabel('事業予定', { exact: true }).fill('取りまとめ課の入力');
  const alert = card(two, '啓発講座').getByRole('alert');
  await expect(alert).toContainText('先に保存しました');
  await expect(alert).toContainText('担当課の入力');
  await expectNoViolations(two, 'sheet with a conflict');
  await alert.getByRole('button', { name: /相手の内容を読み込む/ }).click();
  await expect(card(two, '啓発講座').getByLabel('事業予定', { exact: true })).toHaveValue('担当課の入力');
  await one.reload();
  await expect(card(one, '啓発講座').getByLabel('事業予定', { exact: true })).toHaveValue('担当課の入力');
});

test('each department adds its contribution and the sheet shows the project total', async ({ browser, request }) => {
  const f = await cycleSetup(request, '合計市');
  const b = await newPage(browser);
  await loginThroughUi(b, f.editorB);
  await b.goto(`/m/${f.mid}/rounds/${f.roundId}/departments/${f.departments['学校教育課']}`);
  await card(b, '研修会').getByLabel('受講者数の今年度の実績').fill('69人');
  await expect(card(b, '研修会').getByText(/保存しました/)).toBeVisible();
  const a = await newPage(browser);
  await loginThroughUi(a, f.editor);
  await a.goto(`/m/${f.mid}/rounds/${f.roundId}/departments/${f.departments['人権推進課']}`);
  await card(a, '研修会').getByLabel('受講者数の今年度の実績').fill('90人');
  await expect(card(a, '研修会').getByText('事業全体: この課 90人 ＋ 学校教育課 69人 ＝ 159人')).toBeVisible();
});

test('a department downloads its sheet as Excel, fills it offline, uploads it and applies the changes', async ({
  browser,
  request,
}) => {
  const { default: ExcelJS } = await import('exceljs');
  const f = await cycleSetup(request, '表計算市');
  const page = await newPage(browser);
  await loginThroughUi(page, f.editor);
  await page.goto(`/m/${f.mid}/rounds/${f.roundId}/departments/${f.departments['人権推進課']}`);
  await page.getByText('Excel で入力する').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'この課の回答シートを Excel でダウンロード' }).click(),
  ]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(await download.path());
  const answers = wb.getWorksheet('回答')!;
  /** The column a header of the first row names. */
  const column = (header: string) => {
    const row = answers.getRow(1);
    for (let c = 1; c <= row.cellCount; c++) if (row.getCell(c).value === header) return c;
    throw new Error(`no column ${header}`);
  };
  answers.getRow(2).getCell(column('実績・取組状況')).value = 'オフラインで入力した実績';
  answers.getRow(2).getCell(column('評価')).value = 'B';
  // A grade below the best, with its reason, written offline.
  answers.getRow(2).getCell(column('評価の理由')).value = '講師の都合で1回を中止した';
  const file = test.info().outputPath('filled.xlsx');
  await wb.xlsx.writeFile(file);

  await page.getByLabel('入力した Excel ファイル').setInputFiles(file);
  await page.getByRole('button', { name: '変更点を確認する' }).click();
  const changes = page.getByRole('table', { name: /反映される変更（3件）/ });
  await expect(changes).toContainText('オフラインで入力した実績');
  await expect(changes.getByRole('row').filter({ hasText: '評価の理由' })).toContainText('講師の都合で1回を中止した');
  await page.getByRole('button', { name: '反映する' }).click();
  await expect(page.getByText('1件の回答に反映しました')).toBeVisible();
  await page.reload();
  const saved = card(page, '啓発講座');
  await expect(saved.getByLabel('実績・取組状況', { exact: true })).toHaveValue('オフラインで入力した実績');
  await expect(saved.getByRole('combobox', { name: /^評価/ })).toHaveValue('B');
  await expect(saved.getByLabel(/評価の理由・今後の対応/)).toHaveValue('講師の都合で1回を中止した');
});
