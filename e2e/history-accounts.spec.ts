import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { apiLogin, loginThroughUi, PASSWORD } from './support.js';
import { openRound, planWorld, VIEWPORT } from './plan-world.js';

async function expectAxeClean(page: Page) {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
}

interface StoredHistory {
  entries: { action: string }[];
  versions: { action: string; saves: number; fromVersion: number; version: number }[];
}

test('an afternoon of autosaves reads as one version on a history that names its 事業, 課 and 年度', async ({
  page,
  request,
}) => {
  const w = await planWorld(request, '履歴市');
  const rid = await openRound(request, w, 2025, ['人権推進課']);
  await page.setViewportSize(VIEWPORT);
  await loginThroughUi(page, w.editor);
  await page.goto(`/m/${w.mid}/rounds/${rid}/departments/${w.departments['人権推進課']}`);
  const card = page.getByRole('article', { name: /広報紙による啓発/ });
  const result = card.getByLabel('実績・取組状況', { exact: true });
  // Typing with pauses: each pause saves.
  for (const text of ['広報紙を', '広報紙を年4回', '広報紙を年4回発行した']) {
    await result.fill(text);
    await expect(card.getByText(/保存しました/)).toBeVisible();
    await expect(card.getByText('未保存の変更があります')).toHaveCount(0);
  }
  await card.getByRole('link', { name: '変更履歴' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('変更履歴事業1 広報紙による啓発');
  await expect(page.getByText('人権推進課', { exact: true })).toBeVisible();
  await expect(page.getByText('令和7年度（2025年度）')).toBeVisible();
  const versions = page.getByRole('list').filter({ has: page.getByRole('heading', { level: 3 }) });
  await expect(versions.getByRole('heading', { level: 3 })).toHaveCount(1);
  await expect(versions).toContainText('3回の保存（第2〜4版）をまとめています');
  await expect(versions.getByRole('table')).toContainText('広報紙を年4回発行した');
  await expectAxeClean(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.screenshot({ path: test.info().outputPath('history.png'), fullPage: true });
  // Back to the sheet it belongs to.
  await page.getByRole('link', { name: '人権推進課の回答シート' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('人権推進課の回答シート');

  // The audit keeps every save; the versions group them.
  const recordId = Number(
    /records\/(\d+)\/history/.exec(
      (await card.getByRole('link', { name: '変更履歴' }).getAttribute('href')) ?? '',
    )?.[1],
  );
  const history = (await (
    await page.request.get(`/api/m/${w.mid}/records/${recordId}/history`)
  ).json()) as StoredHistory;
  expect(history.entries.filter((e) => e.action === 'save')).toHaveLength(3);
  expect(history.versions).toEqual([expect.objectContaining({ action: 'save', saves: 3, fromVersion: 2, version: 4 })]);
});

test('a coordinator gives a user an e-mail address on the 利用者 screen, and it is stored', async ({
  page,
  request,
}) => {
  const w = await planWorld(request, 'メール市');
  await page.setViewportSize(VIEWPORT);
  await loginThroughUi(page, w.coordinator);
  await page.getByRole('link', { name: '利用者', exact: true }).click();
  await page.getByRole('button', { name: '入力 担当を編集' }).click();
  const form = page.getByRole('form', { name: '入力 担当さんを編集' });
  // A malformed address is refused beside the field.
  await form.getByLabel('メールアドレス').fill('jinken@');
  await form.getByRole('button', { name: '保存する' }).click();
  await expect(form.getByLabel('メールアドレス')).toHaveAccessibleDescription(/メールアドレスの形式が正しくありません/);
  await form.getByLabel('メールアドレス').fill('jinken@example.lg.jp');
  await form.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '入力 担当さんの設定を保存しました' })).toBeVisible();
  await expect(page.getByRole('row', { name: /入力 担当/ })).toContainText('jinken@example.lg.jp');
  await expectAxeClean(page);

  // A new user is registered with one too.
  const create = page.getByRole('form', { name: '利用者を登録' });
  await create.getByLabel('ログインID').fill(`mail-${w.mid}`);
  await create.getByLabel('氏名').fill('学校 花子');
  await create.getByLabel('メールアドレス').fill('gakko@example.lg.jp');
  await create.getByLabel('所属課').selectOption({ label: '学校教育課' });
  await create.getByLabel('初期パスワード').fill('first-login-pw-2026');
  await create.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '学校 花子さんを登録しました' })).toBeVisible();

  await apiLogin(request, w.coordinator, PASSWORD);
  const users = (await (await request.get(`/api/users?municipalityId=${w.mid}`)).json()) as {
    users: { loginName: string; email: string }[];
  };
  expect(Object.fromEntries(users.users.map((u) => [u.loginName, u.email]))).toMatchObject({
    [w.editor]: 'jinken@example.lg.jp',
    [`mail-${w.mid}`]: 'gakko@example.lg.jp',
  });
});
