import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { apiLogin, createMunicipality, loginThroughUi, logout, PASSWORD } from './support.js';

const MAPPING = {
  name: '課別調査票',
  label: '基本目標・施策・番号・事業名・担当課',
  headerWords: ['基本目標', '施策', '番号', '事業名', '担当課'],
  levels: [
    { name: '基本目標', column: 0 },
    { name: '施策', column: 1 },
  ],
  columns: { projectNumber: 2, projectName: 3, department: 4 },
};

const FIRST = [
  '基本目標\t施策\t番号\t事業名\t担当課',
  'Ⅰ 意識づくり\t(1) 啓発\t1\t講座の開催\t人権推進課',
  '\t\t2\t相談窓口\t人権推進課',
  '\t(2) 学習\t3\t出前講座\t学校教育課',
].join('\n');

// The corrected table: one name changed, one project added, the goal written I instead of Ⅰ.
const SECOND = [
  '基本目標\t施策\t番号\t事業名\t担当課',
  'I 意識づくり\t(1) 啓発\t1\t講座の開催\t人権推進課',
  '\t\t2\t女性相談窓口\t人権推進課',
  '\t(2) 学習\t3\t出前講座\t学校教育課',
  '\t\t4\t図書の展示\t学校教育課',
].join('\n');

test('a coordinator imports twice, sees both imports in the history and undoes the last', async ({ page, request }) => {
  const f = await createMunicipality(request, '履歴市');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  await call('post', `/api/m/${f.mid}/import-mappings`, MAPPING);
  const planProjects = async (planId: number) => {
    const res = await request.get(`/api/m/${f.mid}/plans/${planId}`);
    expect(res.ok()).toBe(true);
    const plan = (await res.json()) as { projects: { number: string; name: string }[] };
    return plan.projects.map((p) => `${p.number} ${p.name}`).sort();
  };

  await page.setViewportSize({ width: 1366, height: 768 });
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '取り込み', exact: true }).click();

  // The first import, into a new plan.
  await page.getByLabel('Excel や PDF からコピーした表を貼り付け').check();
  await page.getByLabel('貼り付ける表').fill(FIRST);
  await page.getByLabel('取り込み設定', { exact: true }).selectOption({ label: MAPPING.label });
  await page.getByRole('button', { name: 'プレビューする' }).click();
  await expect(page.getByText('すべての行を読み取れました。')).toBeVisible();
  await page.getByLabel('新しい計画の名称').fill('履歴市男女共同参画プラン');
  await page.getByLabel('計画期間（開始年度）').fill('R3');
  await page.getByLabel('計画期間（終了年度）').fill('R7');
  await page.getByLabel('取り込む回答の年度').fill('2023');
  await page.getByRole('button', { name: '取り込む', exact: true }).click();
  await expect(page.getByText(/取り込みました: 項目 3件・事業 3件を追加/)).toBeVisible();
  const history = page.getByRole('region', { name: '取り込みの履歴' });
  await expect(history.getByRole('row')).toHaveCount(2);
  const planId = Number(await history.getByLabel('履歴を見る計画').inputValue());
  const afterFirst = await planProjects(planId);
  expect(afterFirst).toEqual(['1 講座の開催', '2 相談窓口', '3 出前講座']);

  // The corrected table, into that plan: its nodes are matched to the plan's, shown before the commit.
  await page.getByLabel('貼り付ける表').fill(SECOND);
  await page.getByRole('button', { name: 'プレビューする' }).click();
  await expect(page.getByText('すべての行を読み取れました。')).toBeVisible();
  await page.getByLabel('計画', { exact: true }).selectOption({ label: '履歴市男女共同参画プラン' });
  await page.getByLabel('取り込む回答の年度').fill('2023');
  await expect(page.getByText('既存の体系に合わせる: 3件一致・0件新規')).toBeVisible();
  await page.getByRole('button', { name: '取り込む', exact: true }).click();
  await expect(page.getByText(/取り込みました: 項目 0件・事業 1件を追加/)).toBeVisible();
  expect(await planProjects(planId)).toEqual(['1 講座の開催', '2 女性相談窓口', '3 出前講座', '4 図書の展示']);

  // Two imports, newest first; only the newest can be undone, the older one says why not.
  const rows = history.getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('有効');
  await expect(rows.nth(2)).toContainText('この後の取り込み');
  await expect(rows.nth(2).getByRole('button', { name: /取り消す/ })).toHaveCount(0);
  await history.scrollIntoViewIfNeeded();
  await history.screenshot({ path: 'test-results/import-batches-history.png' });
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);

  await rows
    .nth(1)
    .getByRole('button', { name: /取り消す/ })
    .click();
  const dialog = page.getByRole('dialog', { name: '取り込みを取り消します' });
  await expect(dialog).toContainText('計画をこの取り込みの前の状態に戻します');
  await dialog.getByRole('button', { name: '取り消す', exact: true }).click();
  await expect(history.getByRole('status')).toContainText('を取り消しました');
  await expect(rows.nth(1)).toContainText('取り消し済み');
  await expect(rows.nth(2).getByRole('button', { name: /取り消す/ })).toBeVisible();

  // The plan is as the first import left it.
  expect(await planProjects(planId)).toEqual(afterFirst);
  await logout(request);
});

test('a paste given a name is replaced by its edited version pasted under the same name', async ({ page, request }) => {
  const f = await createMunicipality(request, '貼付名市');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  await call('post', `/api/m/${f.mid}/import-mappings`, MAPPING);
  await page.setViewportSize({ width: 1366, height: 768 });
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '取り込み', exact: true }).click();

  await page.getByLabel('Excel や PDF からコピーした表を貼り付け').check();
  await page.getByLabel('貼り付ける表').fill(SECOND);
  await page.getByLabel('貼り付けの名前（任意）').fill('令和5年度 課別調査票');
  await page.screenshot({ path: test.info().outputPath('named-paste-source.png') });
  await page.getByLabel('取り込み設定', { exact: true }).selectOption({ label: MAPPING.label });
  await page.getByRole('button', { name: 'プレビューする' }).click();
  await expect(page.getByText('すべての行を読み取れました。')).toBeVisible();
  await page.getByLabel('新しい計画の名称').fill('貼付名市プラン');
  await page.getByLabel('計画期間（開始年度）').fill('R3');
  await page.getByLabel('計画期間（終了年度）').fill('R7');
  await page.getByLabel('取り込む回答の年度').fill('2023');
  await page.getByRole('button', { name: '取り込む', exact: true }).click();
  await expect(page.getByText(/取り込みました: 項目 3件・事業 4件を追加/)).toBeVisible();
  // Taken once: a second click would make a second plan of the same rows.
  await expect(page.getByRole('button', { name: '取り込む', exact: true })).toBeDisabled();
  await expect(
    page.getByText('この表は取り込み済みです。もう一度取り込むときは、プレビューからやり直してください'),
  ).toBeVisible();
  const history = page.getByRole('region', { name: '取り込みの履歴' });
  const planId = Number(await history.getByLabel('履歴を見る計画').inputValue());

  // The table corrected where it was copied from, pasted again under the same name: project 4 is gone.
  await page.getByLabel('貼り付ける表').fill(SECOND.split('\n').slice(0, 4).join('\n'));
  await page.getByRole('button', { name: 'プレビューする' }).click();
  await expect(page.getByText('すべての行を読み取れました。')).toBeVisible();
  await page.getByLabel('計画', { exact: true }).selectOption({ label: '貼付名市プラン' });
  await page.getByLabel('取り込む回答の年度').fill('2023');
  const removals = page.locator('.import-removals');
  await expect(removals).toContainText('「貼り付け：令和5年度 課別調査票」を置き換えます');
  await expect(removals.getByRole('listitem')).toHaveText(['4 図書の展示']);
  await removals.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('named-paste-replaces.png') });
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await page.getByRole('button', { name: '取り込む', exact: true }).click();
  await expect(page.getByText(/取り込みました/)).toBeVisible();

  const plan = (await (await request.get(`/api/m/${f.mid}/plans/${planId}`)).json()) as {
    projects: { number: string; name: string }[];
  };
  expect(plan.projects.map((p) => `${p.number} ${p.name}`).sort()).toEqual([
    '1 講座の開催',
    '2 女性相談窓口',
    '3 出前講座',
  ]);
  const rows = history.getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('貼り付け：令和5年度 課別調査票');
  await expect(rows.nth(2)).toContainText('貼り付け：令和5年度 課別調査票');
  await logout(request);
});
