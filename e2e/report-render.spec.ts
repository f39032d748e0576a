import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD } from './support.js';

const VIEWPORT = { width: 1366, height: 768 };
const PLAN_TEXT = '講座を年4回開く\n動画でも配信する';
const TITLE = '描画市プラン 令和7年度事業最終評価';
/** The policy the app has always sent: same-origin everything, no inline script or style, no framing. */
const CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';" +
  "object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'";

/**
 * A plan of three levels graded by achievement, one project with an indicator, and 人権推進課's
 * answer for fiscal 2025 (two lines of 事業予定) submitted and approved. Everything through the API.
 */
async function setup(request: APIRequestContext) {
  const f = await createMunicipality(request, '描画市');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const plan = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '描画市プラン',
    firstYear: 2021,
    lastYear: 2030,
    levels: [
      { name: '主要課題', numberingStyle: 'paren', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'circled', numberingScope: 'parent' },
      { name: '施策No.', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
    evaluationPreset: 'achievement-5',
  })) as { plan: { id: number } };
  const planId = plan.plan.id;
  let parentId: number | undefined;
  for (const title of ['意識の啓発', '啓発の推進', '講座を開きます。']) {
    const node = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title, parentId })) as {
      node: { id: number };
    };
    parentId = node.node.id;
  }
  const project = (await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
    nodeId: parentId,
    number: '1',
    name: '啓発講座',
    leadDepartmentId: f.departments['人権推進課'],
  })) as { project: { id: number } };
  const indicator = (await call('post', `/api/m/${f.mid}/projects/${project.project.id}/indicators`, {
    name: '講座開催回数',
    unit: '回',
    kind: 'number',
    direction: 'higher',
    targets: [{ fiscalYear: 2025, text: '4回' }],
  })) as { indicator: { id: number } };
  const department = f.departments['人権推進課']!;
  const round = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId,
    fiscalYear: 2025,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: [department],
  })) as { round: { id: number } };
  const editor = await apiLogin(request, f.editor, PASSWORD);
  const sheet = (await (
    await request.get(`/api/m/${f.mid}/rounds/${round.round.id}/departments/${department}/sheet`)
  ).json()) as { items: { record: { id: number; version: number } }[] };
  const record = sheet.items[0]!.record;
  await editor('put', `/api/m/${f.mid}/records/${record.id}`, {
    version: record.version,
    planText: PLAN_TEXT,
    resultText: '講座を3回開いた',
    actuals: [{ indicatorId: indicator.indicator.id, text: '3回' }],
  });
  await editor('post', `/api/m/${f.mid}/rounds/${round.round.id}/departments/${department}/submit`);
  const coordinator = await apiLogin(request, f.coordinator, PASSWORD);
  await coordinator('post', `/api/m/${f.mid}/rounds/${round.round.id}/departments/${department}/approve`);
  const published = (await coordinator('post', `/api/m/${f.mid}/report-snapshots`, {
    planId,
    fiscalYear: 2025,
    layout: 'indicator-achievement',
    asOf: '2026-03-31',
  })) as { snapshot: { id: number } };
  const municipalities = (await (await request.get('/api/municipalities')).json()) as {
    municipalities: { id: number; code: string }[];
  };
  const code = municipalities.municipalities.find((m) => m.id === f.mid)!.code;
  return { ...f, planId, code, snapshotId: published.snapshot.id };
}

/**
 * The report table as the browser holds it: header cells, then each body row's cells, as their
 * markup. The screen's table (table.report), or the paper version's (table.paper-table: the print
 * view's, one page here).
 */
async function tableCells(page: Page, table = 'table.report') {
  return page.locator(table).evaluate((table) => ({
    header: [...table.querySelectorAll('thead th')].map((th) => th.innerHTML),
    rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.innerHTML)),
  }));
}

/** What the print and public pages must never carry: a script, or a style written into the page. */
function expectStaticPage(html: string, what: string) {
  expect(html, `${what}: no script`).not.toMatch(/<script/i);
  expect(html, `${what}: no inline style`).not.toMatch(/<style|\sstyle=/i);
  expect(html, `${what}: the stylesheet file`).toMatch(/<link rel="stylesheet" href="\/public\/report.css"\/?>/);
}

test('the print view and the public page draw the report as the screen does, with no script and the same CSP', async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  const f = await setup(request);
  const reportQuery = `planId=${f.planId}&fiscalYear=2025&layout=indicator-achievement`;

  // The screen.
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '報告', exact: true }).click();
  await page.getByLabel('年度').fill('R7');
  await page.getByLabel('レイアウト').selectOption('indicator-achievement');
  await page.getByRole('button', { name: '表示する' }).click();
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  const screen = await tableCells(page);
  await page.screenshot({ path: testInfo.outputPath('screen-1366.png') });
  // Two lines of 事業予定 print as two lines; the blank header of the row numbers is named for screen readers.
  const planCell = page.locator('table.report td.c-planText').first();
  expect(await planCell.innerText()).toBe(PLAN_TEXT);
  expect(screen.header.at(-1)).toBe('<span class="visually-hidden">通し番号</span>');
  expect(screen.rows[0]!.join('')).toContain('講座を年4回開く<br>動画でも配信する');

  // The print view (the paper version alone): the same cells, header and line breaks.
  const print = await context.newPage();
  const printAnswer = await print.goto(`/api/m/${f.mid}/report?${reportQuery}&format=html`);
  expect(printAnswer!.headers()['content-security-policy']).toBe(CSP);
  expectStaticPage(await printAnswer!.text(), 'print view');
  await expect(print.getByRole('heading', { name: TITLE })).toBeVisible();
  expect(await tableCells(print, 'table.paper-table')).toEqual(screen);
  expect(await print.locator('table.paper-table td.c-planText').first().innerText()).toBe(PLAN_TEXT);
  await expect(print.locator('table.paper-table thead .visually-hidden')).toHaveText('通し番号');
  await print.screenshot({ path: testInfo.outputPath('print-view-1366.png') });
  await print.screenshot({ path: testInfo.outputPath('print-view-1366-full.png'), fullPage: true });

  // The public page, logged out: the same cells again, no script in the page or in the DOM, the same CSP.
  const visitorContext = await browser.newContext({ viewport: VIEWPORT });
  const visitor = await visitorContext.newPage();
  const spa = await visitor.goto('/');
  for (const url of [`/public/${f.code}`, `/public/${f.code}/reports/${f.snapshotId}`]) {
    const answer = await visitor.goto(url);
    expect(answer!.status()).toBe(200);
    expect(answer!.headers()['content-security-policy'], url).toBe(CSP);
    expect(answer!.headers()['content-security-policy'], url).toBe(spa!.headers()['content-security-policy']);
    expectStaticPage(await answer!.text(), url);
    await expect(visitor.locator('script')).toHaveCount(0);
    await expect(visitor.locator('[style]')).toHaveCount(0);
  }
  await expect(visitor.getByRole('heading', { name: TITLE })).toBeVisible();
  expect(await tableCells(visitor)).toEqual(screen);
  expect(await visitor.locator('table.report td.c-planText').first().innerText()).toBe(PLAN_TEXT);
  await visitor.screenshot({ path: testInfo.outputPath('public-report-1366.png') });
  await visitor.screenshot({ path: testInfo.outputPath('public-report-1366-full.png'), fullPage: true });
  await visitor.goto(`/public/${f.code}`);
  await visitor.screenshot({ path: testInfo.outputPath('public-list-1366.png') });
  await visitorContext.close();
  await context.close();
});
