import fs from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD } from './support.js';

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

/**
 * A plan graded by achievement (達成度 1–5 shown as ◎○△×), with 30 projects under two goals so that
 * the print view runs over several pages, and answers for fiscal 2025 entered by the departments.
 */
async function reportSetup(request: import('@playwright/test').APIRequestContext) {
  const f = await createMunicipality(request, '報告市');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const plan = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '報告市男女共同参画プラン',
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
  const projects: { id: number; indicator: number; actual: string }[] = [];
  for (const [g, goal] of ['意識の啓発', '暴力の根絶'].entries()) {
    const top = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: goal })) as {
      node: { id: number };
    };
    const mid = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, {
      title: `${goal}の施策`,
      parentId: top.node.id,
    })) as { node: { id: number } };
    const leaf = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, {
      title: `${goal}のための取組を進めます。`,
      parentId: mid.node.id,
    })) as { node: { id: number } };
    for (let i = 1; i <= 15; i++) {
      const n = g * 15 + i;
      const p = (await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
        nodeId: leaf.node.id,
        number: String(n),
        name: `取組${n}：講座と広報`,
        leadDepartmentId: f.departments['人権推進課'],
      })) as { project: { id: number } };
      const ind = (await call('post', `/api/m/${f.mid}/projects/${p.project.id}/indicators`, {
        name: '講座開催回数',
        unit: '回',
        kind: 'number',
        direction: 'higher',
        targets: [{ fiscalYear: 2025, text: '4回' }],
      })) as { indicator: { id: number } };
      projects.push({ id: p.project.id, indicator: ind.indicator.id, actual: `${n % 5}回` });
    }
  }
  const round = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId,
    fiscalYear: 2025,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: [f.departments['人権推進課']],
  })) as { round: { id: number } };
  const editor = await apiLogin(request, f.editor, PASSWORD);
  const sheet = (await (
    await request.get(`/api/m/${f.mid}/rounds/${round.round.id}/departments/${f.departments['人権推進課']}/sheet`)
  ).json()) as {
    items: { project: { id: number }; record: { id: number; version: number } }[];
  };
  for (const p of projects) {
    const item = sheet.items.find((i) => i.project.id === p.id)!;
    await editor('put', `/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '講座を年4回開く',
      resultText: `講座を${p.actual}開いた`,
      actuals: [{ indicatorId: p.indicator, text: p.actual }],
    });
  }
  // The department submits and the coordinator approves: only approved answers are published.
  await editor('post', `/api/m/${f.mid}/rounds/${round.round.id}/departments/${f.departments['人権推進課']}/submit`);
  const coordinator = await apiLogin(request, f.coordinator, PASSWORD);
  await coordinator(
    'post',
    `/api/m/${f.mid}/rounds/${round.round.id}/departments/${f.departments['人権推進課']}/approve`,
  );
  const municipalities = (await (await request.get('/api/municipalities')).json()) as {
    municipalities: { id: number; code: string }[];
  };
  await request.post('/api/auth/logout', {
    headers: {
      'x-csrf-token': ((await (await request.get('/api/session')).json()) as { csrfToken: string }).csrfToken,
    },
  });
  return {
    ...f,
    planId,
    roundId: round.round.id,
    projects,
    code: municipalities.municipalities.find((m) => m.id === f.mid)!.code,
  };
}

test('the coordinator reads the report on screen, prints it to PDF, publishes it, and the public reads it logged out', async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  const f = await reportSetup(request);
  const context = await browser.newContext();
  const page = await context.newPage();
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '報告', exact: true }).click();
  await expect(page.getByRole('heading', { name: '報告', level: 1 })).toBeVisible();
  // Sent without a year: the form says so beside the field and shows nothing.
  const year = page.getByRole('form', { name: '報告の条件' }).getByLabel('年度');
  await year.fill('');
  await page.getByRole('button', { name: '表示する' }).click();
  await expect(year).toHaveAccessibleDescription(/年度を入力してください/);
  await expect(page.getByRole('group', { name: '出力' })).toHaveCount(0);
  await year.fill('R7');
  await page.getByLabel('レイアウト').selectOption('indicator-achievement');
  await page.getByRole('button', { name: '表示する' }).click();
  await expect(year).not.toHaveAttribute('aria-invalid', 'true');
  const table = page.getByRole('table', { name: /報告市男女共同参画プラン 令和7年度事業最終評価の表|/ }).first();
  await expect(page.getByRole('heading', { name: '報告市男女共同参画プラン 令和7年度事業最終評価' })).toBeVisible();
  await expect(table).toBeVisible();
  // 取組1: 1 of 4 → 25% → 2 → △; 取組4: 4 of 4 → 5 → ◎; the tally counts the 30 lines.
  const row1 = page.getByRole('row').filter({ hasText: '取組1：講座と広報' });
  await expect(row1.getByRole('cell').filter({ hasText: '△' })).toBeVisible();
  await expect(row1).toContainText('△（一部達成（達成度2））');
  const total = page.getByRole('row', { name: /^合計/ });
  await expect(total).toContainText('30');
  await expectNoViolations(page, 'report');

  // The print view: the layout's paper (A4 landscape), the header row repeated on every page, page numbers in the margin.
  const print = await context.newPage();
  await print.goto(
    `/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=2025&layout=indicator-achievement&format=html`,
  );
  await expect(print.getByRole('heading', { name: '報告市男女共同参画プラン 令和7年度事業最終評価' })).toBeVisible();
  await print.emulateMedia({ media: 'print' });
  expect(await print.locator('table.paper-table thead').evaluate((e) => getComputedStyle(e).display)).toBe(
    'table-header-group',
  );
  const css = await (await request.get('/public/report.css')).text();
  expect(css).toContain('size: A4 landscape');
  expect(css).toContain('counter(page)');
  const pdfPath = testInfo.outputPath('report.pdf');
  const pdf = await print.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  // the pages the print view planned, no more: the first page holds rows, not only the title and the header
  expect(pages).toBe(await print.locator('table.paper-table tbody').count());
  expect(fs.statSync(pdfPath).size).toBeGreaterThan(10_000);
  await print.close();

  // Publish through the dialog that says what goes public, then read it logged out.
  await page.getByRole('button', { name: '公表する…' }).click();
  const dialog = page.getByRole('dialog', { name: '報告を公表します' });
  await expect(dialog).toContainText('確定した回答30件を公表します。確定していない回答はありません。');
  await dialog.getByLabel('時点（この日付の内容として公表）').fill('2026-03-31');
  await dialog.getByRole('button', { name: '公表する', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: '公表しました' })).toBeVisible();
  await expect(page.getByRole('table', { name: '公表の履歴' })).toContainText('令和8年3月31日');

  const publicContext = await browser.newContext();
  const visitor = await publicContext.newPage();
  await visitor.goto(`/public/${f.code}`);
  await expect(visitor.getByRole('heading', { name: /報告市 公表された進捗報告/ })).toBeVisible();
  await expectNoViolations(visitor, 'public list');
  await visitor.getByRole('link', { name: '報告市男女共同参画プラン 令和7年度事業最終評価' }).click();
  await expect(visitor.getByText('令和8年3月31日時点', { exact: true }).filter({ visible: true })).toBeVisible();
  await expect(visitor.getByRole('row').filter({ hasText: '取組1：講座と広報' })).toContainText('△');
  await expectNoViolations(visitor, 'public report');
  // The visitor has no session and the API stays closed.
  expect(
    (
      await publicContext.request.get(
        `/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=2025&layout=indicator-achievement`,
      )
    ).status(),
  ).toBe(401);
  await publicContext.close();
  await context.close();
});

test('the summary shows grade counts by the plan’s own levels, says there is no last year to compare with, and charts them', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const f = await reportSetup(request);
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '集計', exact: true }).click();
  // Opened from the menu, the page tallies the plan and the year its form proposes at once, and says so in the address.
  const conditions = page.getByRole('form', { name: '集計の条件' });
  await expect(page.getByRole('table', { name: /主要課題ごとの評価（令和\d+年度）/ })).toBeVisible();
  const proposed = await conditions.getByLabel('年度').inputValue();
  await expect(page).toHaveURL(new RegExp(`plan=${f.planId}&year=${proposed}`));
  await conditions.getByLabel('年度').fill('2025');
  await expect(page.getByLabel('集計する階層').getByRole('option')).toHaveText([
    '主要課題ごと',
    '施策ごと',
    '施策No.ごと',
  ]);
  await page.getByRole('button', { name: '集計する' }).click();
  const byNode = page.getByRole('table', { name: /主要課題ごとの評価（令和7年度）/ });
  await expect(byNode).toBeVisible();
  // 15 lines per goal: actuals 1,2,3,4,0 回 of 4 repeat → ◎ 3, ○ 3 (3 of 4 = 75%), △ 6, × 3 per goal.
  // 令和6年度 had no round: the counts stand alone, and the page says why.
  const goal = byNode.getByRole('row', { name: /^\(1\) 意識の啓発/ });
  await expect(goal.getByRole('cell').first()).toHaveText('3（20%）');
  await expect(byNode).not.toContainText('前年比');
  await expect(page.getByText('令和6年度の回答がないため、前年度との比較はありません。').first()).toBeVisible();
  await expect(page.getByRole('img', { name: /主要課題ごとの評価の積み上げ棒グラフ/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: '活動指標の推移' })).toBeVisible();
  await expect(page.getByRole('img', { name: /講座開催回数の推移/ })).toBeVisible();
  await expectNoViolations(page, 'summary');
  await page.screenshot({ path: test.info().outputPath('summary.png') });
});

test('the summary of a second year compares with the first and shows how each heading’s grades moved', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const f = await reportSetup(request);
  // 令和8年度: every line reaches its target of 4回.
  const coordinator = await apiLogin(request, f.coordinator, PASSWORD);
  await coordinator('post', `/api/m/${f.mid}/rounds/${f.roundId}/close`);
  for (const p of f.projects)
    await coordinator('put', `/api/m/${f.mid}/indicators/${p.indicator}`, {
      name: '講座開催回数',
      unit: '回',
      kind: 'number',
      direction: 'higher',
      targets: [
        { fiscalYear: 2025, text: '4回' },
        { fiscalYear: 2026, text: '4回' },
      ],
    });
  const round = (await coordinator('post', `/api/m/${f.mid}/rounds`, {
    planId: f.planId,
    fiscalYear: 2026,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: [f.departments['人権推進課']],
  })) as { round: { id: number } };
  const editor = await apiLogin(request, f.editor, PASSWORD);
  const sheetUrl = `/api/m/${f.mid}/rounds/${round.round.id}/departments/${f.departments['人権推進課']}/sheet`;
  const sheet = (await (await request.get(sheetUrl)).json()) as {
    items: { project: { id: number }; record: { id: number; version: number } }[];
  };
  for (const p of f.projects) {
    const item = sheet.items.find((i) => i.project.id === p.id)!;
    await editor('put', `/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      resultText: '講座を4回開いた',
      actuals: [{ indicatorId: p.indicator, text: '4回' }],
    });
  }

  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '集計', exact: true }).click();
  // The page tallies the proposed year at once: its chart, named by years (令和7年度…), may be drawn already.
  await page.getByRole('form', { name: '集計の条件' }).getByLabel('年度').fill('2026');
  // Two years evaluated on a shared machine can take a while: the summary's answer is awaited, then read.
  const answered = page.waitForResponse(
    (r) => r.url().includes('/report-summary?') && r.url().includes('fiscalYear=2026'),
    {
      timeout: 60_000,
    },
  );
  await page.getByRole('button', { name: '集計する' }).click();
  expect((await answered).status()).toBe(200);
  const byNode = page.getByRole('table', { name: /主要課題ごとの評価（令和8年度）/ });
  // ◎: 15 of 15 lines, 12 more than the 3 of 令和7年度.
  await expect(
    byNode
      .getByRole('row', { name: /^\(1\) 意識の啓発/ })
      .getByRole('cell')
      .first(),
  ).toHaveText('15（前年比+12）（100%）');
  // Each 主要課題's grades by year: 令和7年度 as counted then, 令和8年度 all reached.
  const history = page.getByRole('table', { name: '主要課題ごとの評価の推移' });
  await expect(history.getByRole('columnheader')).toHaveText(['区分', '令和7年度', '令和8年度']);
  const goal = history.getByRole('row', { name: /^\(1\) 意識の啓発/ }).getByRole('cell');
  await expect(goal.nth(0)).toContainText('◎3 ○3 △6 ×3');
  await expect(goal.nth(0)).toContainText('（計15）');
  await expect(goal.nth(1)).toContainText('◎15 ○0 △0 ×0');
  await expect(history.getByRole('row', { name: /^合計/ }).getByRole('cell').nth(1)).toContainText('（計30）');
  await expectNoViolations(page, 'summary with its history');
  await page.screenshot({ path: test.info().outputPath('summary-history.png') });
});

test('the coordinator writes a layout out as JSON, reads a changed one back in, and prints with its new columns', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const f = await reportSetup(request);
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const page = await context.newPage();
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '報告', exact: true }).click();
  await page.getByLabel('レイアウト').selectOption('indicator-achievement');
  await page.getByText('レイアウトをファイルで書き出す・読み込む（JSON）').click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: '書き出す' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('indicator-achievement.layout.json');
  const written = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as { name: string; columns: unknown[] };
  expect(written.name).toBe('indicator-achievement');

  // Changed into a layout of its own: the unit, the target, the actual with the % the rule computed.
  const changed = {
    ...written,
    name: '達成率つき',
    label: '達成率つきの一覧',
    columns: [
      { key: 'projectName', header: ['取組'], width: 20 },
      { key: 'indicator', header: ['指標'], width: 12 },
      { key: 'target', header: ['{year:略}目標'], width: 6 },
      { key: 'actual', header: ['{year:略}実績'], width: 6 },
      { key: 'ratio', digits: 1, header: ['達成率'], width: 6 },
    ],
  };
  const files = page.getByLabel('読み込むファイル（JSON）');
  await files.setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({ ...changed, columns: [{ key: 'indicator', header: ['指標'], width: 8, digits: 1 }] }),
    ),
  });
  await expect(page.getByRole('alert')).toContainText('1列目: 小数の桁数は達成率の列だけに指定できます');
  await files.setInputFiles({
    name: 'changed.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(changed)),
  });
  await expect(
    page.getByRole('status').filter({ hasText: 'レイアウト「達成率つきの一覧」を保存しました' }),
  ).toBeVisible();
  await apiLogin(request, f.coordinator, PASSWORD);
  const saved = (await (await request.get(`/api/m/${f.mid}/report-layouts`)).json()) as {
    layouts: { name: string; definition: { columns: { key: string }[] } }[];
  };
  expect(saved.layouts.find((l) => l.name === '達成率つき')?.definition.columns.map((c) => c.key)).toEqual([
    'projectName',
    'indicator',
    'target',
    'actual',
    'ratio',
  ]);

  await page.getByLabel('年度').fill('R7');
  await page.getByLabel('レイアウト').selectOption({ label: '達成率つきの一覧' });
  await page.getByRole('button', { name: '表示する' }).click();
  await expect(page.getByRole('columnheader', { name: 'R7実績' }).first()).toBeVisible();
  // 取組1: 1 of 4 → 25.0%.
  await expect(page.getByRole('row').filter({ hasText: '取組1：講座と広報' }).first()).toContainText('25.0%');
  await expectNoViolations(page, 'reports with the layout files');
  await page.screenshot({ path: test.info().outputPath('layout-files.png') });
  await context.close();
});
