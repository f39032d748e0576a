import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD, type Fixture } from './support.js';

type Call = Awaited<ReturnType<typeof apiLogin>>;

interface SheetRecord {
  id: number;
  version: number;
  status: string;
  resultText: string;
}
interface SheetItem {
  project: { id: number; name: string };
  record: SheetRecord;
  indicators: { id: number }[];
  comments: { kind: string; body: string }[];
}

interface Setup extends Fixture {
  roundId: number;
  coordinator: string;
  /** project name → record id, per department */
  records: Record<string, Record<string, number>>;
}

const KA = ['人権推進課', '学校教育課', '子育て支援課'] as const;

async function sheet(request: APIRequestContext, f: Fixture, roundId: number, ka: string): Promise<SheetItem[]> {
  const res = await request.get(`/api/m/${f.mid}/rounds/${roundId}/departments/${f.departments[ka]}/sheet`);
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { items: SheetItem[] }).items;
}

/** A department fills every record of its sheet through the API, then submits the sheet. */
async function answerAndSubmit(
  request: APIRequestContext,
  call: Call,
  f: Fixture,
  roundId: number,
  ka: string,
  result: (name: string) => string,
  only?: string[],
) {
  for (const item of await sheet(request, f, roundId, ka)) {
    if (only && !only.includes(item.project.name)) continue;
    await call('put', `/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: `${item.project.name}を実施する`,
      resultText: result(item.project.name),
      entries: [
        {
          slotKey: 'self',
          subjectKind: 'record',
          subjectId: item.project.id,
          code: item.project.name === '啓発講座' ? 'A' : 'B',
        },
      ],
      remarks: '',
      nextYearPlan: '継続する',
      actuals: item.indicators.map((i) => ({ indicatorId: i.id, text: '5回' })),
    });
  }
  await call('post', `/api/m/${f.mid}/rounds/${roundId}/departments/${f.departments[ka]}/submit`);
}

/**
 * A plan with projects of three departments and an open round. 人権推進課 and 学校教育課 submit;
 * 啓発講座 of 人権推進課 is returned and submitted again with a changed 実績. 子育て支援課 has not answered.
 * `extra` more projects of 人権推進課 make a long table.
 */
async function setup(browser: Browser, request: APIRequestContext, name: string, extra = 0): Promise<Setup> {
  const f = await createMunicipality(request, name);
  const coord = await apiLogin(request, f.coordinator, PASSWORD);
  const plan = (await coord('post', `/api/m/${f.mid}/plans`, {
    title: `${name}男女共同参画プラン`,
    firstYear: 2021,
    lastYear: 2030,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const node = (await coord('post', `/api/m/${f.mid}/plans/${plan.plan.id}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const project = async (number: string, projectName: string, lead: string, co: string[] = []) =>
    (
      (await coord('post', `/api/m/${f.mid}/plans/${plan.plan.id}/projects`, {
        nodeId: node.node.id,
        number,
        name: projectName,
        leadDepartmentId: f.departments[lead],
        coDepartmentIds: co.map((c) => f.departments[c]),
      })) as { project: { id: number } }
    ).project.id;
  const kouza = await project('1', '啓発講座', '人権推進課');
  await coord('post', `/api/m/${f.mid}/projects/${kouza}/indicators`, {
    name: '講座開催回数',
    unit: '回',
    kind: 'number',
    direction: 'higher',
  });
  await project('2', '研修会', '人権推進課', ['学校教育課']);
  await project('3', '相談窓口', '人権推進課');
  await project('4', '教職員研修', '学校教育課');
  await project('5', '子育て相談', '子育て支援課');
  for (let i = 0; i < extra; i++) await project(String(10 + i), `広報事業${i + 1}`, '人権推進課');
  const round = (await coord('post', `/api/m/${f.mid}/rounds`, {
    planId: plan.plan.id,
    fiscalYear: 2025,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: KA.map((k) => f.departments[k]),
  })) as { round: { id: number } };
  const roundId = round.round.id;

  const a = await browser.newContext();
  const b = await browser.newContext();
  const editorA = await apiLogin(a.request, f.editor, PASSWORD);
  const editorB = await apiLogin(b.request, f.editorB, PASSWORD);
  await answerAndSubmit(a.request, editorA, f, roundId, '人権推進課', (n) =>
    n === '啓発講座' ? '講座を4回開催した' : `${n}の実績`,
  );
  await answerAndSubmit(b.request, editorB, f, roundId, '学校教育課', (n) => `${n}の実績（学校）`);

  // The coordinator returns 啓発講座; the department changes its 実績 and submits again.
  const kouzaRecord = (await sheet(a.request, f, roundId, '人権推進課')).find(
    (i) => i.project.name === '啓発講座',
  )!.record;
  await coord('post', `/api/m/${f.mid}/rounds/${roundId}/review`, {
    action: 'return',
    records: [{ id: kouzaRecord.id, version: kouzaRecord.version }],
    message: '実績の回数を確認してください',
  });
  await answerAndSubmit(a.request, editorA, f, roundId, '人権推進課', () => '講座を5回開催した（名簿で確認）', [
    '啓発講座',
  ]);
  await a.close();
  await b.close();

  const records: Setup['records'] = {};
  for (const ka of KA)
    records[ka] = Object.fromEntries((await sheet(request, f, roundId, ka)).map((i) => [i.project.name, i.record.id]));
  return { ...f, roundId, records };
}

/** Each record's status as the review endpoint reports it, keyed 「課/事業」. */
async function statuses(request: APIRequestContext, f: Setup): Promise<Record<string, string>> {
  const res = await request.get(`/api/m/${f.mid}/rounds/${f.roundId}/review`);
  expect(res.ok()).toBe(true);
  const rows = ((await res.json()) as { rows: { departmentName: string; projectName: string; status: string }[] }).rows;
  return Object.fromEntries(rows.map((r) => [`${r.departmentName}/${r.projectName}`, r.status]));
}

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

const table = (page: Page) => page.getByRole('table', { name: '提出された回答の一覧' });
const row = (page: Page, project: string, ka: string) =>
  table(page).getByRole('row').filter({ hasText: project }).filter({ hasText: ka });

test('the coordinator filters the review table, opens a record with the keyboard and sees what changed since the returned submission', async ({
  browser,
  request,
}) => {
  const f = await setup(browser, request, '確認市');
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await loginThroughUi(page, f.coordinator);
  await page.goto(`/m/${f.mid}/rounds/${f.roundId}`);
  await expect(page.getByRole('link', { name: '回答を確認する' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('board.png') });
  await page.getByRole('link', { name: '回答を確認する' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /回答の確認/ })).toBeVisible();
  // 5 records of 人権推進課 and 学校教育課, 1 of 子育て支援課.
  await expect(table(page).locator('tbody tr')).toHaveCount(6);
  await expectNoViolations(page, 'review page');

  await page.getByLabel('課', { exact: true }).selectOption({ label: '人権推進課' });
  await page.getByLabel('状態', { exact: true }).selectOption({ label: '提出済' });
  await expect(page).toHaveURL(new RegExp(`status=submitted`));
  await expect(page).toHaveURL(new RegExp(`department=${f.departments['人権推進課']}`));
  await expect(table(page).locator('tbody tr')).toHaveCount(3);
  await expect(row(page, '啓発講座', '人権推進課').getByRole('cell').nth(5)).toHaveText('実績・取組状況');
  await expect(row(page, '相談窓口', '人権推進課')).toContainText('初回提出');
  // A grade below the best with no reason or remark is a 確認事項 (a warning: it was submitted all the same).
  await expect(row(page, '啓発講座', '人権推進課').locator('.c-grade')).toContainText('A（順調または目標達成）');
  await expect(row(page, '啓発講座', '人権推進課').locator('.c-checks')).toContainText('なし');
  await expect(row(page, '相談窓口', '人権推進課').locator('.c-checks')).toContainText('1件');
  await page.getByRole('checkbox', { name: '確認事項あり' }).check();
  await expect(page).toHaveURL(/checks=1/);
  await expect(table(page).locator('tbody tr')).toHaveCount(2);
  await page.getByRole('checkbox', { name: '確認事項あり' }).uncheck();
  await expect(table(page)).not.toContainText('学校教育課');

  // The filters are in the address: a reload (or a shared link) shows the same rows.
  await page.reload();
  await expect(page.getByLabel('課', { exact: true })).toHaveValue(String(f.departments['人権推進課']));
  await expect(table(page).locator('tbody tr')).toHaveCount(3);

  // Arrow keys move between rows, Enter opens the row's detail.
  const open = (project: string) => row(page, project, '人権推進課').getByRole('button', { name: new RegExp(project) });
  await open('相談窓口').focus();
  await page.keyboard.press('ArrowUp');
  await expect(open('研修会')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(open('啓発講座')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(open('啓発講座')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(open('相談窓口')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(open('啓発講座')).toBeFocused();
  // Only the active row is in the tab order.
  await expect(open('啓発講座')).toHaveAttribute('tabindex', '0');
  await expect(open('研修会')).toHaveAttribute('tabindex', '-1');
  await page.keyboard.press('Enter');

  const detail = page.getByRole('complementary', { name: '回答の詳細' });
  await expect(detail.getByRole('heading', { level: 2 })).toContainText('啓発講座');
  await expect(open('啓発講座')).toHaveAttribute('aria-current', 'true');
  const diff = detail.getByRole('table', { name: '前回の提出と今回の提出の違い' });
  const changed = diff.getByRole('row', { name: /実績・取組状況/ });
  await expect(changed.getByRole('cell').nth(0)).toHaveText('講座を4回開催した');
  await expect(changed.getByRole('cell').nth(1)).toHaveText('講座を5回開催した（名簿で確認）');
  await expect(diff.getByRole('columnheader')).toHaveText(['項目', '前回', '今回']);
  await expect(detail).toContainText('実績の回数を確認してください');
  await expect(detail.getByRole('table', { name: '活動指標の実績' })).toContainText('講座開催回数');
  await expect(detail.getByRole('table', { name: '評価' }).getByRole('row', { name: /この回答/ })).toContainText(
    'A（順調または目標達成）',
  );
  await expectNoViolations(page, 'review page with a detail');
  await page.screenshot({ path: test.info().outputPath('review-detail.png') });
  await diff.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('review-detail-diff.png') });

  // A first submission has no diff; the detail returns this one record, and only with a reason.
  await open('相談窓口').click();
  await expect(detail.getByRole('heading', { level: 2 })).toContainText('相談窓口');
  await expect(detail).toContainText('初回提出です');
  await expect(detail.getByRole('heading', { name: '確認事項（1件）' })).toBeVisible();
  await expect(detail).toContainText('評価が「B」（最上位でない）ですが、理由や今後の対応が書かれていません');
  await detail.getByRole('button', { name: 'この回答を差戻す' }).click();
  await expect(detail.getByRole('textbox', { name: '差戻しの理由' })).toHaveAccessibleDescription(
    '差戻しの理由を入力してください',
  );
  expect((await statuses(request, f))['人権推進課/相談窓口']).toBe('submitted');
  await detail.getByRole('textbox', { name: '差戻しの理由' }).fill('相談件数を書いてください');
  await detail.getByRole('button', { name: 'この回答を差戻す' }).click();
  await expect(page.locator('.review-done').getByText('1件を差戻しました')).toBeVisible();
  await expect(detail.locator('.status-badge')).toHaveText('差戻し');
  await expect(detail).toContainText('相談件数を書いてください');
  expect(await statuses(request, f)).toMatchObject({
    '人権推進課/相談窓口': 'returned',
    '人権推進課/啓発講座': 'submitted',
    '人権推進課/研修会': 'submitted',
  });
});

test('the coordinator approves two chosen records from ホーム through the dialog and undoes it', async ({
  browser,
  request,
}) => {
  const f = await setup(browser, request, '一括市');
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: /確認待ち/ }).click();
  await expect(page.getByLabel('状態', { exact: true })).toHaveValue('submitted');
  await expect(table(page).locator('tbody tr')).toHaveCount(5);
  const before = await statuses(request, f);

  await row(page, '研修会', '人権推進課').getByRole('checkbox').check();
  await row(page, '教職員研修', '学校教育課').getByRole('checkbox').check();
  await page.getByRole('button', { name: '選択した2件を確定する' }).click();
  const dialog = page.getByRole('dialog', { name: '2件の回答を確定します' });
  await expect(dialog).toContainText('人権推進課 1件、学校教育課 1件');
  await expect(dialog).toContainText('教職員研修');
  await expectNoViolations(page, 'approve dialog');
  await page.screenshot({ path: test.info().outputPath('review-approve-dialog.png') });
  await dialog.getByRole('button', { name: '2件を確定する' }).click();
  await expect(dialog).toBeHidden();
  const done = page.locator('.review-done');
  await expect(done.getByText('2件を確定しました')).toBeVisible();

  const approved = await statuses(request, f);
  expect(approved).toEqual({ ...before, '人権推進課/研修会': 'approved', '学校教育課/教職員研修': 'approved' });
  expect(Object.values(approved).filter((s) => s === 'approved')).toHaveLength(2);
  await page.screenshot({ path: test.info().outputPath('review-approved.png') });

  await done.getByRole('button', { name: '元に戻す' }).click();
  await expect(done.getByText('2件の確定を取り消し、提出済に戻しました')).toBeVisible();
  await expect(done.getByRole('button', { name: '元に戻す' })).toHaveCount(0);
  expect(await statuses(request, f)).toEqual(before);
});

test('a bulk return needs a reason, and the department sees its records returned with the reason', async ({
  browser,
  request,
}) => {
  const f = await setup(browser, request, '差戻市');
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await loginThroughUi(page, f.coordinator);
  await page.goto(`/m/${f.mid}/rounds/${f.roundId}/review?department=${f.departments['学校教育課']}`);
  await expect(table(page).locator('tbody tr')).toHaveCount(2);
  await page.getByRole('button', { name: /表示中の提出済をすべて選択/ }).click();
  await page.getByRole('button', { name: '選択した2件を差戻す' }).click();
  const dialog = page.getByRole('dialog', { name: '2件の回答を差戻します' });
  await expect(dialog).toContainText('学校教育課 2件');
  await dialog.getByRole('button', { name: '2件を差戻す' }).click();
  const reason = dialog.getByRole('textbox', { name: /差戻しの理由/ });
  await expect(reason).toHaveAccessibleDescription(/差戻しの理由を入力してください/);
  await expect(reason).toBeFocused();
  await expectNoViolations(page, 'return dialog with an error');
  await page.screenshot({ path: test.info().outputPath('review-return-dialog.png') });
  expect(Object.values(await statuses(request, f)).filter((s) => s === 'returned')).toHaveLength(0);

  await reason.fill('評価の根拠を実績に書いてください');
  await dialog.getByRole('button', { name: '2件を差戻す' }).click();
  await expect(page.locator('.review-done').getByText('2件を差戻しました')).toBeVisible();

  // The department's editor, in a session of its own, finds both records returned with the reason.
  const dept = await browser.newContext();
  await apiLogin(dept.request, f.editorB, PASSWORD);
  const items = await sheet(dept.request, f, f.roundId, '学校教育課');
  expect(items.map((i) => [i.project.name, i.record.status])).toEqual([
    ['研修会', 'returned'],
    ['教職員研修', 'returned'],
  ]);
  for (const i of items)
    expect(i.comments).toContainEqual(
      expect.objectContaining({ kind: 'return', body: '評価の根拠を実績に書いてください' }),
    );
  // Nothing of the other departments moved.
  expect((await sheet(request, f, f.roundId, '人権推進課')).map((i) => i.record.status)).toEqual([
    'submitted',
    'submitted',
    'submitted',
  ]);
});

test('a conflict: a record changed after the table was read is refused with the server message and the table reloads', async ({
  browser,
  request,
}) => {
  const f = await setup(browser, request, '競合確認市');
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await loginThroughUi(page, f.coordinator);
  await page.goto(`/m/${f.mid}/rounds/${f.roundId}/review?status=submitted`);
  await row(page, '相談窓口', '人権推進課').getByRole('checkbox').check();
  // Meanwhile someone returns it elsewhere.
  const coord = await apiLogin(request, f.coordinator, PASSWORD);
  await coord('post', `/api/m/${f.mid}/records/${f.records['人権推進課']!['相談窓口']}/return`, {
    message: '別の画面から差戻し',
  });
  await page.getByRole('button', { name: '選択した1件を確定する' }).click();
  await page
    .getByRole('dialog', { name: '1件の回答を確定します' })
    .getByRole('button', { name: '1件を確定する' })
    .click();
  await expect(page.getByRole('alert')).toContainText('表示した後に変更された回答があります');
  // Reloaded: the record is no longer listed as submitted, and nothing was approved.
  await expect(row(page, '相談窓口', '人権推進課')).toHaveCount(0);
  await expect(page.getByText('0件を選択中')).toBeVisible();
  expect(Object.values(await statuses(request, f)).filter((s) => s === 'approved')).toHaveLength(0);
});

test('with 25 records at 1366x768 the page does not scroll: the table scrolls inside and the detail stays in view', async ({
  browser,
  request,
}) => {
  const f = await setup(browser, request, '大量市', 20);
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await loginThroughUi(page, f.coordinator);
  await page.goto(`/m/${f.mid}/rounds/${f.roundId}/review`);
  await expect(table(page).locator('tbody tr')).toHaveCount(26);
  const first = table(page).getByRole('button').first();
  await first.focus();
  await page.keyboard.press('Enter');
  const detail = page.getByRole('complementary', { name: '回答の詳細' });
  await expect(detail.getByRole('heading', { level: 2 })).toContainText('啓発講座');
  await page.keyboard.press('End');
  await expect(table(page).getByRole('button').last()).toBeFocused();
  await expect(table(page).getByRole('button').last()).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(detail.getByRole('heading', { level: 2 })).toContainText('広報事業20');
  await expect(detail.getByRole('heading', { level: 2 })).toBeInViewport();
  const sizes = await page.evaluate(() => {
    const scroller = document.querySelector('.review-table-scroll')!;
    return {
      pageW: document.documentElement.scrollWidth,
      pageH: document.documentElement.scrollHeight,
      inner: scroller.scrollHeight,
      box: scroller.clientHeight,
    };
  });
  await page.screenshot({ path: test.info().outputPath('review-long.png') });
  expect(sizes.pageW).toBeLessThanOrEqual(1366);
  expect(sizes.pageH).toBeLessThanOrEqual(768);
  expect(sizes.inner).toBeGreaterThan(sizes.box);
  await page.setViewportSize({ width: 900, height: 900 });
  await page.screenshot({ path: test.info().outputPath('review-narrow.png'), fullPage: true });
});
