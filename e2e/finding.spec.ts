import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiLogin, loginThroughUi, PASSWORD } from './support.js';
import { answer, approve, daysFromToday, openRound, planWorld, VIEWPORT, type PlanWorld } from './plan-world.js';

async function expectAxeClean(page: Page) {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
}

const fits = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** Each record's status by project number and 課, as the coordinator reads it through the API. */
async function statuses(request: APIRequestContext, w: PlanWorld, roundId: number): Promise<Record<string, string>> {
  await apiLogin(request, w.coordinator, PASSWORD);
  const review = (await (await request.get(`/api/m/${w.mid}/rounds/${roundId}/review`)).json()) as {
    rows: { projectNumber: string; departmentName: string; status: string }[];
  };
  return Object.fromEntries(review.rows.map((r) => [`${r.projectNumber}/${r.departmentName}`, r.status]));
}

test('the status board puts the 課 needing action first, is searched and filtered, and leads to their answers', async ({
  page,
  request,
}) => {
  const w = await planWorld(request, '状況市');
  const rid = await openRound(request, w, 2025, ['人権推進課', '学校教育課', '子育て支援課'], daysFromToday(3));
  await answer(
    request,
    w,
    rid,
    '人権推進課',
    { '1': { resultText: '年4回発行した' }, '2': { resultText: '講座を3回開いた' } },
    true,
  );
  await answer(request, w, rid, '学校教育課', { '3': { resultText: '全校で授業を行った' } }, false);

  await page.setViewportSize(VIEWPORT);
  await loginThroughUi(page, w.coordinator);
  // ホーム's 「確認待ち」 opens the submitted answers, not the plain board.
  await page.getByRole('link', { name: /確認待ち/ }).click();
  await expect(page).toHaveURL(/\/review\?status=submitted$/);
  await expect(page.getByRole('table', { name: '提出された回答の一覧' }).locator('tbody tr')).toHaveCount(2);

  await page.goto(`/m/${w.mid}/rounds/${rid}`);
  const table = page.getByRole('table', { name: '課別の回答状況（件数）' });
  const bodyRows = table.locator('tbody tr');
  // Waiting for review first, then the 課 with answers still to give three days before the deadline.
  await expect(bodyRows.locator('th')).toHaveText(['人権推進課', '学校教育課', '子育て支援課']);
  await expect(bodyRows.nth(0)).toHaveClass(/needs-action/);
  await expect(bodyRows.nth(0)).toContainText('確認待ち 2件');
  await expect(bodyRows.nth(1)).toContainText('未提出 2件（締切まで3日）');
  await expect(bodyRows.nth(2)).toContainText('未提出 2件（締切まで3日）');
  // Reminder mail is not set up on this server: the button says why it cannot be used, in words.
  const remind = page.getByRole('button', { name: '未提出の課に督促メールを送る' });
  await expect(remind).toBeDisabled();
  await expect(remind).toHaveAccessibleDescription(/メールの送信が設定されていないため/);
  await expect(page.locator('body')).not.toContainText('SMTP');
  expect(await fits(page)).toBe(true);
  await expectAxeClean(page);
  await page.screenshot({ path: test.info().outputPath('board.png'), fullPage: true });

  // Searched by 課 name, filtered by status, sorted by name; the address keeps it over a reload.
  const search = page.getByRole('searchbox', { name: '課を検索' });
  await search.fill('子育て');
  await expect(bodyRows.locator('th')).toHaveText(['子育て支援課']);
  await search.fill('');
  await page.getByLabel('絞り込み').selectOption({ label: '提出済がある課' });
  await expect(bodyRows.locator('th')).toHaveText(['人権推進課']);
  await page.getByLabel('絞り込み').selectOption({ label: 'すべての課' });
  await page.getByLabel('並び順').selectOption({ label: '課名の順' });
  await expect(bodyRows.locator('th')).toHaveText(['学校教育課', '子育て支援課', '人権推進課']);
  await page.reload();
  await expect(page.getByLabel('並び順')).toHaveValue('name');
  await expect(bodyRows.locator('th')).toHaveText(['学校教育課', '子育て支援課', '人権推進課']);

  // 操作: the 課's submitted answers to review, and its sheet, where they are approved.
  const jinken = bodyRows.filter({ hasText: '人権推進課' });
  await jinken.getByRole('link', { name: '確認する（2件）' }).click();
  await expect(page).toHaveURL(new RegExp(`/review\\?department=${w.departments['人権推進課']}&status=submitted$`));
  await page.goBack();
  await jinken.getByRole('link', { name: '回答シートを開く' }).click();
  await page.getByRole('button', { name: '提出済みの2件をすべて確定する' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '確定する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '提出済みの2件を確定しました' })).toBeVisible();
  expect(await statuses(request, w, rid)).toMatchObject({ '1/人権推進課': 'approved', '2/人権推進課': 'approved' });
});

test('a department finds a project on its sheet by searching, answers it, and the others are kept', async ({
  page,
  request,
}) => {
  const w = await planWorld(request, 'シート検索市');
  const rid = await openRound(request, w, 2025, ['人権推進課']);
  await page.setViewportSize(VIEWPORT);
  await loginThroughUi(page, w.editor);
  await page.goto(`/m/${w.mid}/rounds/${rid}/departments/${w.departments['人権推進課']}`);
  const cards = page.getByRole('article');
  await expect(cards).toHaveCount(3);
  const search = page.getByRole('searchbox', { name: '事業を検索' });
  await search.fill('研修');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('相談員の研修');
  await expect(page.getByRole('search', { name: '事業を検索' }).getByRole('status')).toHaveText('3件中 1件を表示');
  // By the 体系 it sits under.
  await search.fill('暴力の根絶');
  await expect(cards).toHaveCount(1);
  const result = cards.first().getByLabel('実績・取組状況', { exact: true });
  await result.fill('相談員研修を2回実施した');
  await expect(cards.first().getByText(/保存しました/)).toBeVisible();
  await search.press('Escape');
  await expect(cards).toHaveCount(3);
  await expectAxeClean(page);

  const sheet = (await (
    await page.request.get(`/api/m/${w.mid}/rounds/${rid}/departments/${w.departments['人権推進課']}/sheet`)
  ).json()) as { items: { project: { number: string }; record: { resultText: string } }[] };
  expect(Object.fromEntries(sheet.items.map((i) => [i.project.number, i.record.resultText]))).toEqual({
    '1': '',
    '2': '',
    '5': '相談員研修を2回実施した',
  });
});

test('a council member reads the latest year with answers, filters by 基本目標 and searches, and remarks on a project', async ({
  page,
  request,
}) => {
  const w = await planWorld(request, '審議市');
  await w.call('post', `/api/m/${w.mid}/projects/${w.projects['1']}/indicators`, {
    name: '広報紙の発行回数',
    unit: '回',
    kind: 'number',
    direction: 'higher',
    targets: [{ fiscalYear: 2025, text: '4回' }],
  });
  const rid = await openRound(request, w, 2025, ['人権推進課', '学校教育課']);
  await answer(
    request,
    w,
    rid,
    '人権推進課',
    {
      '1': { resultText: '年4回発行した', nextYearPlan: '特集号を加える', actual: '4回' },
      '2': { resultText: '講座を3回開いた' },
      '5': { resultText: '研修を2回行った' },
    },
    true,
  );
  await answer(
    request,
    w,
    rid,
    '学校教育課',
    { '2': { resultText: '教職員が参加した' }, '3': { resultText: '全校で実施' } },
    true,
  );
  await approve(request, w, rid, '人権推進課');
  await approve(request, w, rid, '学校教育課');
  const call = await apiLogin(request, w.coordinator, PASSWORD);
  await call('post', `/api/m/${w.mid}/rounds/${rid}/close`);
  // The next year's round is open, with nothing approved yet.
  await openRound(request, w, 2026, ['人権推進課', '学校教育課']);

  await page.setViewportSize(VIEWPORT);
  await loginThroughUi(page, w.council);
  // No round asks a council member anything: no 照会 in the menu.
  await expect(
    page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '照会' }),
  ).toHaveCount(0);
  await page.getByRole('link', { name: '審議会', exact: true }).click();
  // Opens on the latest year with approved answers; offers only the years a round asked.
  await expect(page.getByLabel('年度')).toHaveValue('2025');
  await expect(page.getByLabel('年度').locator('option')).toHaveText([
    '令和8年度（2026年度）（確定した回答なし）',
    '令和7年度（2025年度）（確定 4事業）',
  ]);
  const cards = page.getByRole('article');
  await expect(cards).toHaveCount(4);
  // The indicator with its target and actual, and 翌年度予定, beside the answer.
  const kouhou = cards.filter({ hasText: '広報紙による啓発' });
  const indicators = kouhou.getByRole('table', { name: /活動指標/ });
  await expect(indicators.getByRole('row', { name: /広報紙の発行回数/ })).toContainText('4回');
  await expect(kouhou.getByRole('table', { name: '確定した回答' })).toContainText('特集号を加える');
  expect(await fits(page)).toBe(true);
  await expectAxeClean(page);
  await page.screenshot({ path: test.info().outputPath('council.png'), fullPage: true });

  await page.getByLabel('基本目標で絞り込む').selectOption({ label: 'Ⅱ 暴力の根絶' });
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('相談員の研修');
  await page.getByLabel('基本目標で絞り込む').selectOption({ label: '（すべて）' });
  await page.getByRole('searchbox', { name: '事業を検索' }).fill('学校教育課');
  await expect(cards.locator('h2')).toHaveText(['事業2 男女共同参画講座の開催', '事業3 学校での人権教育']);
  await page.getByRole('searchbox', { name: '事業を検索' }).fill('学校での');
  await cards.first().getByLabel('この事業への意見').fill('全学年で実施できているか示してください。');
  await cards.first().getByRole('button', { name: '意見を書き込む' }).click();
  await expect(cards.first().locator('.council-comment')).toContainText('全学年で実施できているか示してください。');

  const stored = (await (
    await page.request.get(`/api/m/${w.mid}/council?planId=${w.planId}&fiscalYear=2025`)
  ).json()) as { projects: { project: { number: string }; comments: { body: string; fiscalYear: number }[] }[] };
  expect(stored.projects.find((p) => p.project.number === '3')!.comments).toEqual([
    expect.objectContaining({ body: '全学年で実施できているか示してください。', fiscalYear: 2025 }),
  ]);
  // The 照会 screen, reached by its address, says where a council member reads the answers.
  await page.goto(`/m/${w.mid}/rounds`);
  await expect(page.getByRole('link', { name: '審議会のページ' })).toBeVisible();
});
