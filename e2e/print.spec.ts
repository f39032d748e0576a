import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { BENCH_PASSWORD, gradeIndicatorLines, largeMunicipality } from '../bench/fixtures.js';
import { achievementPlan, apiLogin, createMunicipality, loginThroughUi, PASSWORD } from './support.js';

/**
 * Printing like paper: the 1,000-project plan of the report-1000 bench printed to PDF in the
 * indicator-achievement layout (A4 landscape), the 報告 screen printing the same pages, and the
 * department sheet printed as what the department answered, without a form field or a button.
 */

const VIEWPORT = { width: 1366, height: 768 };
const MM = 96 / 25.4;
/** A4 landscape less the print view's margins (10 mm at the sides and top, 12 mm at the foot), in CSS pixels. */
const A4_LANDSCAPE = { width: (297 - 20) * MM, height: (210 - 10 - 12) * MM };

/** Pages of a PDF as Chromium writes it: one /Type /Page object each (the /Pages tree aside). */
const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

/** No horizontal scrolling of the page at 1366 wide. */
async function expectNoHorizontalScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORT.width);
}

/** The print view's planned pages as the browser lays them out for print at the page's width. */
async function measuredPages(page: Page) {
  return page.locator('table.paper-table').evaluate((table) => {
    const thead = table.querySelector('thead')!.getBoundingClientRect().height;
    const head = table.getBoundingClientRect().top - table.closest('section')!.getBoundingClientRect().top;
    const pages = [...table.querySelectorAll('tbody')].map((tbody) => {
      const rows = [...tbody.rows];
      const body = rows.filter((r) => !r.classList.contains('continued') && !r.classList.contains('section-row'));
      return { height: tbody.getBoundingClientRect().height, bodyRows: body.length };
    });
    const rowHeights = [...table.querySelectorAll('tbody tr')].map((r) => r.getBoundingClientRect().height);
    return { thead, head, pages, rowHeights };
  });
}

test('the 1,000-project report prints to PDF on as many A4 pages as its rows fill, every page but the last full', async ({
  browser,
}, testInfo) => {
  test.setTimeout(300_000);
  // The report-1000 bench's own plan: 1,000 projects, 60 departments, three years, indicators graded every year.
  const years = [2023, 2024, 2025];
  const m = await largeMunicipality({ projects: 1000, departments: 60, years });
  try {
    await gradeIndicatorLines(m, years);
    const context = await browser.newContext({ baseURL: m.address, viewport: VIEWPORT });
    await apiLogin(context.request, 'bench-admin', BENCH_PASSWORD);
    const query = `planId=${m.planId}&fiscalYear=2025&layout=indicator-achievement`;
    const doc = (
      (await (await context.request.get(`/api/m/${m.mid}/report?${query}`)).json()) as {
        document: { paper: unknown; sheets: { rows: { type: string }[] }[] };
      }
    ).document;
    expect(doc.paper).toEqual({ size: 'A4', orientation: 'landscape' });
    const rows = doc.sheets[0]!.rows.filter((r) => r.type === 'data').length;
    expect(rows).toBeGreaterThan(1000);

    const page = await context.newPage();
    await page.goto(`/api/m/${m.mid}/report?${query}&format=html`);
    await expect(page.getByRole('heading', { name: 'ベンチマーク計画 令和7年度事業最終評価' })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('print-view-1366.png') });
    await expectNoHorizontalScroll(page);

    // Laid out for print at the page's width: what a row measures, and what a page holds.
    await page.setViewportSize({ width: Math.round(A4_LANDSCAPE.width), height: 768 });
    await page.emulateMedia({ media: 'print' });
    const measured = await measuredPages(page);
    const rowHeight = measured.rowHeights.reduce((s, h) => s + h, 0) / measured.rowHeights.length;
    const usable = A4_LANDSCAPE.height - measured.thead;
    const expected = (rows * rowHeight) / usable;

    const pdf = await page.pdf({
      path: testInfo.outputPath('report.pdf'),
      preferCSSPageSize: true,
      printBackground: true,
    });
    const pages = pdfPages(pdf);
    testInfo.annotations.push({
      type: 'pages',
      description: `${pages} PDF pages for ${rows} rows of ${rowHeight.toFixed(1)} px on ${usable.toFixed(0)} px: expected ${expected.toFixed(1)}; rows per page ${measured.pages.map((p) => p.bodyRows).join(',')}`,
    });
    expect(Math.abs(pages - expected)).toBeLessThanOrEqual(expected * 0.1);

    // Each planned page fits its paper (the title on the first), so each is one PDF page: the PDF has
    // the planned pages, and one more only where the tally at the end needs a page of its own.
    const planned = measured.pages.length;
    measured.pages.forEach((p, i) =>
      expect(p.height + measured.thead + (i === 0 ? measured.head : 0), `page ${i + 1}`).toBeLessThanOrEqual(
        A4_LANDSCAPE.height,
      ),
    );
    expect(pages).toBeGreaterThanOrEqual(planned);
    expect(pages).toBeLessThanOrEqual(planned + 1);
    // N = 15: the fixture's rows are one to three lines of 8pt text (17 to 45 px), and an A4 landscape
    // page holds about 670 px of rows under the header; a page the planner ended early for no reason
    // (the old print: a title-only first page, a break before every 主要課題) would hold fewer. A page
    // ends only where the next row does not fit, so it holds at least (670 − 45) ÷ 45 ≈ 13.9 rows of
    // the tallest kind, and rows are mostly shorter: 15 is well under what a full page holds (~30).
    const tallest = Math.max(...measured.rowHeights);
    expect(tallest, 'the rows are as the bound above assumes').toBeLessThanOrEqual(45);
    const N = 15;
    const bodyRows = measured.pages.map((p) => p.bodyRows);
    expect(bodyRows[0], 'the first page holds rows, not only the title and the header').toBeGreaterThanOrEqual(N);
    for (const [i, n] of bodyRows.slice(0, -1).entries()) expect(n, `rows on page ${i + 1}`).toBeGreaterThanOrEqual(N);
    expect(bodyRows.reduce((s, n) => s + n, 0)).toBe(rows);
    await context.close();
  } finally {
    await m.close();
  }
});

/** A plan of `projects` projects of 人権推進課 under two goals (the first with an indicator), and an open round for 2025. */
async function planWithRound(request: APIRequestContext, name: string, projects: number) {
  const f = await createMunicipality(request, name);
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const planId = await achievementPlan(call, f.mid, name);
  const projectIds: number[] = [];
  for (const goal of ['意識づくり', '働く場の男女共同参画']) {
    const node = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: goal })) as {
      node: { id: number };
    };
    for (let i = 0; i < projects / 2; i++) {
      const n = projectIds.length + 1;
      const p = (await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
        nodeId: node.node.id,
        number: String(n),
        name: `${goal}の取組${n}`,
        summary: '市民向けの講座と広報を行う。',
        leadDepartmentId: f.departments['人権推進課'],
      })) as { project: { id: number } };
      projectIds.push(p.project.id);
    }
  }
  const indicator = (await call('post', `/api/m/${f.mid}/projects/${projectIds[0]}/indicators`, {
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
  const sheetApi = `/api/m/${f.mid}/rounds/${round.round.id}/departments/${department}/sheet`;
  return {
    ...f,
    planId,
    department,
    indicatorId: indicator.indicator.id,
    roundId: round.round.id,
    sheetApi,
    sheetUrl: `/m/${f.mid}/rounds/${round.round.id}/departments/${department}`,
  };
}

interface StoredSheet {
  items: {
    project: { number: string; name: string };
    record: { id: number; version: number; planText: string; resultText: string; actuals: { text: string }[] };
  }[];
}

/** The form controls and buttons a printed page shows: there must be none. */
const visibleControls = (page: Page) =>
  page.locator('button, input, select, textarea, [role="button"]').filter({ visible: true });

test('the department sheet prints what the department answered, without a form field, a button or the menu', async ({
  browser,
  request,
}, testInfo) => {
  const f = await planWithRound(request, '印刷市', 8);
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await loginThroughUi(page, f.editor);
  await page.goto(f.sheetUrl);
  const first = page.getByRole('article', { name: /意識づくりの取組1/ });
  await first.getByLabel('事業予定', { exact: true }).fill('講座を年4回開く。\n広報紙でも周知する。');
  await first.getByLabel('実績・取組状況', { exact: true }).fill('講座を3回開いた（延べ120人）。');
  await first.getByRole('textbox', { name: /講座開催回数/ }).fill('3');
  await expect(first.getByText(/保存しました/)).toBeVisible();
  const second = page.getByRole('article', { name: /働く場の男女共同参画の取組5/ });
  await second.getByLabel('翌年度予定', { exact: true }).fill('企業向けセミナーを開く。');
  await expect(second.getByText(/保存しました/)).toBeVisible();
  await expectNoViolations(page, 'sheet');
  await page.screenshot({ path: testInfo.outputPath('sheet-screen-1366.png') });

  // The answers are stored as typed (read as the coordinator).
  await apiLogin(request, f.coordinator, PASSWORD);
  const stored = (await (await request.get(f.sheetApi)).json()) as StoredSheet;
  const byName = (n: string) => stored.items.find((i) => i.project.name === n)!.record;
  expect(byName('意識づくりの取組1')).toMatchObject({
    planText: '講座を年4回開く。\n広報紙でも周知する。',
    resultText: '講座を3回開いた（延べ120人）。',
    // Typed as 「3」, kept with the indicator's unit.
    actuals: [expect.objectContaining({ text: '3回', value: 3 })],
  });
  expect(byName('働く場の男女共同参画の取組5')).toMatchObject({ nextYearPlan: '企業向けセミナーを開く。' });

  // Come back later and print: what was saved prints as text, nothing to click or type prints.
  await page.reload();
  await expect(first.getByLabel('実績・取組状況', { exact: true })).toHaveValue('講座を3回開いた（延べ120人）。');
  await page.emulateMedia({ media: 'print' });
  await expect(visibleControls(page)).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'メインメニュー' })).toBeHidden();
  await expect(page.getByRole('heading', { name: /人権推進課の回答/ })).toBeVisible();
  const printed = page.locator('.sheet-print-item').filter({ hasText: '意識づくりの取組1' });
  await expect(printed.getByRole('row', { name: /事業予定/ })).toContainText('講座を年4回開く。');
  await expect(printed.getByRole('row', { name: /事業予定/ })).toContainText('広報紙でも周知する。');
  await expect(printed.getByRole('row', { name: /実績・取組状況/ })).toContainText('講座を3回開いた（延べ120人）。');
  await expect(printed.getByRole('row', { name: /活動指標：講座開催回数/ })).toContainText('目標 4回／実績 3回');
  await expect(
    page
      .locator('.sheet-print-item')
      .filter({ hasText: '働く場の男女共同参画の取組5' })
      .getByRole('row', {
        name: /翌年度予定/,
      }),
  ).toContainText('企業向けセミナーを開く。');
  await expect(page.locator('.sheet-print-item')).toHaveCount(8);
  await page.screenshot({ path: testInfo.outputPath('sheet-print-1366.png'), fullPage: true });
  const pdf = await page.pdf({
    path: testInfo.outputPath('sheet.pdf'),
    preferCSSPageSize: true,
    printBackground: true,
  });
  // eight short answers on A4 portrait: two pages at most (the form itself printed on many more)
  expect(pdfPages(pdf)).toBeLessThanOrEqual(2);
  await context.close();
});

test('the 報告 screen prints the same pages as the print view, and nothing else of the screen', async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  const f = await planWithRound(request, '報告印刷市', 40);
  const editor = await apiLogin(request, f.editor, PASSWORD);
  const sheet = (await (await request.get(f.sheetApi)).json()) as StoredSheet;
  for (const [i, item] of sheet.items.entries())
    await editor('put', `/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: `${item.project.name}を計画どおり実施する。`.repeat(1 + (i % 3)),
      resultText: '実施した。',
    });
  const stored = (await (await request.get(f.sheetApi)).json()) as StoredSheet;
  expect(stored.items.every((i) => i.record.resultText === '実施した。')).toBe(true);

  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '報告', exact: true }).click();
  await page.getByLabel('年度').fill('R7');
  await page.getByLabel('レイアウト').selectOption('indicator-achievement');
  await page.getByRole('button', { name: '表示する' }).click();
  const title = `${'報告印刷市'}男女共同参画プラン 令和7年度事業最終評価`;
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByRole('link', { name: '印刷用の表示（A4横・新しいタブ）' })).toBeVisible();
  await expectNoViolations(page, 'report screen');
  await expectNoHorizontalScroll(page);
  await page.screenshot({ path: testInfo.outputPath('report-screen-1366.png') });

  await page.emulateMedia({ media: 'print' });
  await expect(visibleControls(page)).toHaveCount(0);
  await expect(page.locator('table.report')).toBeHidden();
  await expect(page.locator('table.paper-table')).toBeVisible();
  await expect(page.getByRole('heading', { name: '報告', exact: true })).toBeHidden();
  const screenPdf = await page.pdf({
    path: testInfo.outputPath('report-screen.pdf'),
    preferCSSPageSize: true,
    printBackground: true,
  });

  const print = await context.newPage();
  await print.goto(
    `/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=2025&layout=indicator-achievement&format=html`,
  );
  await expectNoViolations(print, 'print view');
  await print.setViewportSize(VIEWPORT);
  await expectNoHorizontalScroll(print);
  await print.screenshot({ path: testInfo.outputPath('print-view-1366.png') });
  const printPdf = await print.pdf({ preferCSSPageSize: true, printBackground: true });
  const planned = await print.locator('table.paper-table tbody').count();
  expect(planned).toBeGreaterThan(1);
  expect(pdfPages(printPdf)).toBeGreaterThanOrEqual(planned);
  expect(pdfPages(screenPdf)).toBe(pdfPages(printPdf));
  // a merged 基本目標 cell carried onto the next page says so
  await expect(print.locator('tbody[data-page="2"] td.c-node').first()).toContainText('（続き）');
  await context.close();
});

test('the 事業評価シート prints each project on a page of its own, A4 portrait, as a form of labels and values', async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  const f = await planWithRound(request, '個票市', 4);
  const editor = await apiLogin(request, f.editor, PASSWORD);
  const sheet = (await (await request.get(f.sheetApi)).json()) as StoredSheet;
  for (const item of sheet.items)
    await editor('put', `/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: `${item.project.name}を計画どおり実施する。`,
      resultText: `${item.project.name}を実施した。`,
    });

  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '報告', exact: true }).click();
  await page.getByLabel('年度').fill('R7');
  await page.getByLabel('レイアウト').selectOption('project-sheet');
  await page.getByRole('button', { name: '表示する' }).click();
  // One form per project, each under its own heading, the answer beside its label.
  for (const item of sheet.items)
    await expect(page.getByRole('heading', { name: `${item.project.number} ${item.project.name}` })).toBeVisible();
  const firstForm = page.locator('table.report').first();
  await expect(firstForm.getByRole('row', { name: /実績・取組状況/ })).toContainText(
    `${sheet.items[0]!.project.name}を実施した。`,
  );
  await expectNoViolations(page, 'project sheets on screen');
  await expectNoHorizontalScroll(page);
  await page.screenshot({ path: testInfo.outputPath('project-sheet-screen-1366.png') });

  const print = await context.newPage();
  await print.goto(`/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=2025&layout=project-sheet&format=html`);
  await expectNoViolations(print, 'project sheets print view');
  const pdf = await print.pdf({ path: testInfo.outputPath('project-sheet.pdf'), preferCSSPageSize: true });
  // Short answers: each form fits its page, and no two projects share one.
  expect(pdfPages(pdf)).toBe(sheet.items.length);
  await context.close();
});
