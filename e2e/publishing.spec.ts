import { AxeBuilder } from '@axe-core/playwright';
import ExcelJS from 'exceljs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD, type Fixture } from './support.js';

const APPROVED_TEXT = '確定した実績テキスト';
const DRAFT_TEXT = '下書きの実績テキスト';
const VIEWPORT = { width: 1366, height: 768 };

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

async function expectNoHorizontalScroll(page: Page, what: string) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `horizontal scrolling on ${what}`).toBeLessThanOrEqual(0);
}

interface Snapshot {
  id: number;
  title: string;
  asOf: string;
  includesUnapproved: boolean;
  statusCounts: Record<string, number>;
  supersededBy: number | null;
  withdrawnAt: string | null;
  withdrawReason: string;
}

/**
 * A plan answered by two departments for fiscal 2025: 人権推進課's answer saved, submitted and
 * approved; 学校教育課's answer saved as a draft only. Everything through the API.
 */
async function setup(request: APIRequestContext): Promise<Fixture & { planId: number; code: string }> {
  const f = await createMunicipality(request, '公表市');
  let call = await apiLogin(request, f.coordinator, PASSWORD);
  const plan = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '公表市男女共同参画プラン',
    firstYear: 2021,
    lastYear: 2030,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策の方向', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const planId = plan.plan.id;
  const goal = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const direction = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, {
    title: '啓発の推進',
    parentId: goal.node.id,
  })) as { node: { id: number } };
  await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
    nodeId: direction.node.id,
    number: '1',
    name: '啓発講座',
    leadDepartmentId: f.departments['人権推進課'],
  });
  await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
    nodeId: direction.node.id,
    number: '2',
    name: '学校での学習',
    leadDepartmentId: f.departments['学校教育課'],
  });
  const round = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId,
    fiscalYear: 2025,
    phase: 'mid',
    deadline: '2099-04-30',
    departmentIds: [f.departments['人権推進課'], f.departments['学校教育課']],
  })) as { round: { id: number } };
  const recordOf = async (departmentId: number) => {
    const res = await request.get(`/api/m/${f.mid}/rounds/${round.round.id}/departments/${departmentId}/sheet`);
    expect(res.ok()).toBe(true);
    return ((await res.json()) as { items: { record: { id: number; version: number } }[] }).items[0]!.record;
  };

  const editorA = await apiLogin(request, f.editor, PASSWORD);
  const a = await recordOf(f.departments['人権推進課']!);
  await editorA('put', `/api/m/${f.mid}/records/${a.id}`, {
    version: a.version,
    planText: '講座を年4回開く',
    resultText: APPROVED_TEXT,
  });
  await editorA('post', `/api/m/${f.mid}/records/${a.id}/submit`);

  const editorB = await apiLogin(request, f.editorB, PASSWORD);
  const b = await recordOf(f.departments['学校教育課']!);
  await editorB('put', `/api/m/${f.mid}/records/${b.id}`, {
    version: b.version,
    planText: '全校で学習する',
    resultText: DRAFT_TEXT,
  });

  call = await apiLogin(request, f.coordinator, PASSWORD);
  await call('post', `/api/m/${f.mid}/records/${a.id}/approve`);
  const municipalities = (await (await request.get('/api/municipalities')).json()) as {
    municipalities: { id: number; code: string }[];
  };
  return { ...f, planId, code: municipalities.municipalities.find((m) => m.id === f.mid)!.code };
}

async function snapshots(request: APIRequestContext, mid: number): Promise<Snapshot[]> {
  const res = await request.get(`/api/m/${mid}/report-snapshots`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { snapshots: Snapshot[] }).snapshots;
}

test('publishing prints approved answers only unless a 速報 is chosen, and a withdrawn version leaves only its notice', async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  const f = await setup(request);
  const reportQuery = `planId=${f.planId}&fiscalYear=2025&layout=narrative-status`;
  // The coordinator's own report holds every answer, draft included (what publishing must leave out).
  const coordinatorJson = await (await request.get(`/api/m/${f.mid}/report?${reportQuery}&format=json`)).text();
  expect(coordinatorJson).toContain(DRAFT_TEXT);

  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '報告', exact: true }).click();
  await page.getByLabel('年度').fill('R7');
  await page.getByLabel('レイアウト').selectOption('narrative-status');
  await page.getByRole('button', { name: '表示する' }).click();
  await expect(page.getByRole('heading', { name: /公表市男女共同参画プラン/ }).first()).toBeVisible();

  // ---- 1. Publish with the default: approved answers only.
  await page.getByRole('button', { name: '公表する…' }).click();
  const dialog = page.getByRole('dialog', { name: '報告を公表します' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('公表市男女共同参画プラン');
  await expect(dialog).toContainText('令和7年度');
  await expect(dialog).toContainText('実施状況（文章）の一覧');
  await expect(dialog).toContainText(
    '確定した回答1件を公表します。確定していない回答1件（提出済 0件・入力中 1件・未着手 0件・差戻し 0件）は掲載しません',
  );
  await expect(dialog).toContainText('公開中の版はありません');
  const preliminary = dialog.getByLabel('確定していない回答も含めて速報として公表する');
  await expect(preliminary).not.toBeChecked();
  await expect(dialog.getByLabel('時点（この日付の内容として公表）')).toHaveValue('2026-03-31');
  await expectNoViolations(page, 'publish dialog');
  await page.screenshot({ path: testInfo.outputPath('1-publish-dialog.png') });

  // A refused request is answered in the dialog, beside the field, and nothing is published.
  await dialog.getByLabel('時点（この日付の内容として公表）').fill('');
  await dialog.getByRole('button', { name: '公表する', exact: true }).click();
  await expect(dialog.locator('.field-error')).toContainText('時点を入力してください');
  await expect(dialog.getByLabel('時点（この日付の内容として公表）')).toHaveAttribute('aria-invalid', 'true');
  expect(await snapshots(request, f.mid)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath('1b-publish-dialog-error.png') });

  await dialog.getByLabel('時点（この日付の内容として公表）').fill('2026-03-31');
  await dialog.getByRole('button', { name: '公表する', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: '公表しました' })).toContainText('令和8年3月31日時点');
  let list = await snapshots(request, f.mid);
  expect(list).toHaveLength(1);
  const first = list[0]!;
  expect(first).toMatchObject({ includesUnapproved: false, asOf: '2026-03-31', supersededBy: null, withdrawnAt: null });
  expect(first.statusCounts).toEqual({ not_started: 0, draft: 1, submitted: 0, returned: 0, approved: 1 });
  expect(first.title).not.toContain('【速報】');
  const history = page.getByRole('table', { name: '公表の履歴' });
  await expect(history.getByRole('row').nth(1)).toContainText('公開中');
  await expect(history.getByRole('row').nth(1)).toContainText('確定1件を掲載（未確定1件は掲載せず）');
  // The history links to the public page of that very version.
  await expect(history.getByRole('link', { name: /開く/ }).first()).toHaveAttribute(
    'href',
    `/public/${f.code}/reports/${first.id}`,
  );

  const visitorContext = await browser.newContext({ viewport: VIEWPORT });
  const visitor = await visitorContext.newPage();
  await visitor.goto(`/public/${f.code}`);
  await expect(visitor.getByRole('heading', { name: '公表市 公表された進捗報告' })).toBeVisible();
  await visitor.getByRole('link', { name: first.title }).click();
  await expect(visitor.getByRole('heading', { name: first.title })).toBeVisible();
  await expect(visitor.locator('main')).toContainText(APPROVED_TEXT);
  await expect(visitor.locator('main')).not.toContainText(DRAFT_TEXT);
  await expect(visitor.getByText('確定していない回答1件は掲載していません').filter({ visible: true })).toBeVisible();
  await expect(visitor.locator('main')).not.toContainText('速報');
  await expectNoViolations(visitor, 'public report (approved only)');
  await visitor.screenshot({ path: testInfo.outputPath('2-public-approved.png'), fullPage: true });

  // ---- 2. Publish again as a 速報 that includes the draft.
  await page.getByRole('button', { name: '公表する…' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`いま公開中の「${first.title}」（令和8年3月31日時点・`);
  await expect(dialog).toContainText('は「新しい版あり」になります');
  await expect(dialog.getByText('速報（未確定を含む）')).toHaveCount(0);
  await preliminary.check();
  await expect(dialog).toContainText(
    '確定した回答1件と、確定していない回答1件（提出済 0件・入力中 1件・未着手 0件・差戻し 0件）を速報として公表します',
  );
  await expect(dialog).toContainText(
    '公表ページには「速報（未確定を含む）」と表示され、表題の先頭に【速報】が付きます',
  );
  await expectNoViolations(page, 'publish dialog with 速報');
  await page.screenshot({ path: testInfo.outputPath('3-publish-dialog-preliminary.png') });
  await dialog.getByRole('button', { name: '速報として公表する' }).click();
  await expect(dialog).toBeHidden();
  list = await snapshots(request, f.mid);
  expect(list).toHaveLength(2);
  const second = list.find((s) => s.id !== first.id)!;
  expect(second.includesUnapproved).toBe(true);
  expect(second.title.startsWith('【速報】')).toBe(true);
  expect(list.find((s) => s.id === first.id)!.supersededBy).toBe(second.id);
  await expect(history.getByRole('row').filter({ hasText: second.title })).toContainText('速報');
  await expect(
    history.getByRole('row').filter({ hasText: first.title }).filter({ hasNotText: '【速報】' }),
  ).toContainText('新しい版あり');

  await visitor.goto(`/public/${f.code}/reports/${second.id}`);
  await expect(visitor.getByRole('heading', { name: second.title })).toBeVisible();
  await expect(visitor.locator('main')).toContainText(DRAFT_TEXT);
  await expect(visitor.locator('main')).toContainText(APPROVED_TEXT);
  await expect(visitor.locator('main')).toContainText('速報（未確定を含む）');
  await expectNoViolations(visitor, 'public report (速報)');
  await visitor.screenshot({ path: testInfo.outputPath('3b-public-preliminary.png'), fullPage: true });

  // ---- 3. Withdraw the first version with a reason.
  const firstRow = history.getByRole('row').filter({ hasText: first.title }).filter({ hasNotText: '【速報】' });
  await firstRow.getByRole('button', { name: /取り下げる/ }).click();
  const withdrawDialog = page.getByRole('dialog', { name: '公表した報告を取り下げます' });
  await expect(withdrawDialog).toBeVisible();
  await expect(withdrawDialog).toContainText('内容の代わりに「この報告は');
  await expectNoViolations(page, 'withdraw dialog');
  // No reason: refused, with the message beside the field, and nothing withdrawn.
  await withdrawDialog.getByRole('button', { name: '取り下げる' }).click();
  const reason = withdrawDialog.getByLabel('取り下げの理由');
  await expect(reason).toHaveAttribute('aria-invalid', 'true');
  await expect(withdrawDialog.locator('.field-error')).toHaveText('理由を入力してください');
  expect((await snapshots(request, f.mid)).find((s) => s.id === first.id)!.withdrawnAt).toBeNull();
  await reason.fill('集計に誤りがあったため');
  await page.screenshot({ path: testInfo.outputPath('4-withdraw-dialog.png') });
  await withdrawDialog.getByRole('button', { name: '取り下げる' }).click();
  await expect(withdrawDialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: '取り下げました' })).toBeVisible();
  const withdrawn = (await snapshots(request, f.mid)).find((s) => s.id === first.id)!;
  expect(withdrawn.withdrawnAt).not.toBeNull();
  expect(withdrawn.withdrawReason).toBe('集計に誤りがあったため');
  expect((await snapshots(request, f.mid)).find((s) => s.id === second.id)!.withdrawnAt).toBeNull();
  await expect(firstRow).toContainText(/取り下げ（令和\d+年\d+月\d+日・集計に誤りがあったため）/);
  await expect(firstRow.getByRole('button', { name: /取り下げる/ })).toHaveCount(0);
  await expectNoHorizontalScroll(page, 'reports page');
  await history.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('5-history.png') });

  await visitor.goto(`/public/${f.code}/reports/${first.id}`);
  await expect(visitor.getByRole('note')).toHaveText(
    /^この報告は令和\d+年\d+月\d+日に取り下げられました（集計に誤りがあったため）$/,
  );
  await expect(visitor.locator('main')).not.toContainText(APPROVED_TEXT);
  await expect(visitor.locator('table')).toHaveCount(0);
  await expectNoViolations(visitor, 'withdrawn public report');
  await visitor.screenshot({ path: testInfo.outputPath('6-public-withdrawn.png'), fullPage: true });
  await visitor.goto(`/public/${f.code}`);
  await expect(
    visitor.getByRole('listitem').filter({ hasText: first.title }).filter({ hasNotText: '【速報】' }),
  ).toContainText(/令和\d+年\d+月\d+日に取り下げ/);
  await expect(visitor.getByRole('listitem').filter({ hasText: second.title })).toContainText('速報・未確定を含む');
  await expectNoViolations(visitor, 'public list');
  await visitor.screenshot({ path: testInfo.outputPath('7-public-list.png'), fullPage: true });
  // The visitor has no session.
  expect((await visitorContext.request.get(`/api/m/${f.mid}/report-snapshots`)).status()).toBe(401);
  await visitorContext.close();
  await context.close();
});

test('a council member reads approved answers only, in every format, without the status counts', async ({
  request,
}) => {
  const f = await setup(request);
  const query = `planId=${f.planId}&fiscalYear=2025`;
  // The coordinator sees the draft and the completeness: what the council must not.
  const coordinatorSummary = (await (await request.get(`/api/m/${f.mid}/report-summary?${query}`)).json()) as {
    summary: { completeness: unknown };
  };
  expect(coordinatorSummary.summary.completeness).not.toBeNull();

  await apiLogin(request, f.council, PASSWORD);
  for (const layout of ['narrative-status', 'department-sheets']) {
    const json = await request.get(`/api/m/${f.mid}/report?${query}&layout=${layout}&format=json`);
    expect(json.ok()).toBe(true);
    const text = await json.text();
    expect(text).toContain(APPROVED_TEXT);
    expect(text).not.toContain(DRAFT_TEXT);

    const csv = await request.get(`/api/m/${f.mid}/report?${query}&layout=${layout}&format=csv`);
    expect(csv.ok()).toBe(true);
    const csvText = (await csv.body()).toString('utf8');
    expect(csvText).toContain(APPROVED_TEXT);
    expect(csvText).not.toContain(DRAFT_TEXT);

    const xlsx = await request.get(`/api/m/${f.mid}/report?${query}&layout=${layout}&format=xlsx`);
    expect(xlsx.ok()).toBe(true);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.body()) as unknown as ArrayBuffer);
    const cells: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void cells.push(cell.text))));
    expect(cells.some((c) => c.includes(APPROVED_TEXT))).toBe(true);
    expect(cells.some((c) => c.includes(DRAFT_TEXT))).toBe(false);
  }
  const summary = await request.get(`/api/m/${f.mid}/report-summary?${query}`);
  expect(summary.ok()).toBe(true);
  const body = (await summary.json()) as { summary: { completeness: unknown } };
  expect(body.summary.completeness).toBeNull();
  const summaryText = JSON.stringify(body);
  expect(summaryText).not.toContain(DRAFT_TEXT);
  for (const word of ['draft', 'submitted', 'not_started', 'returned']) expect(summaryText).not.toContain(`"${word}"`);
});
