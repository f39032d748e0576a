import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { loginThroughUi } from './support.js';
import { openRound, planWorld, VIEWPORT } from './plan-world.js';

test('each screen’s help opens with ? or F1 (not while typing) or the 「ヘルプ」 link, leads back, and prints without the menu', async ({
  page,
  request,
}) => {
  const w = await planWorld(request, 'ヘルプ市');
  const rid = await openRound(request, w, 2025, ['人権推進課', '学校教育課']);
  await page.setViewportSize(VIEWPORT);
  await loginThroughUi(page, w.coordinator);
  const board = `/m/${w.mid}/rounds/${rid}`;
  await page.goto(board);
  const search = page.getByRole('searchbox', { name: '課を検索' });

  // Typed into a field, ? is a character like any other.
  await search.fill('');
  await search.press('?');
  await expect(search).toHaveValue('?');
  await expect(page).toHaveURL(new RegExp(`${board}(\\?.*)?$`));
  await search.press('Escape');

  // Outside a field, ? opens this screen's help.
  await page.getByRole('heading', { level: 1 }).click();
  await page.keyboard.press('?');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ヘルプ照会の状況');
  await expect(page.getByRole('region', { name: 'この画面でできること' })).toContainText('対応が必要な課');
  await expect(page.getByRole('region', { name: '1年の流れ' }).getByRole('listitem')).toHaveText([
    /^照会/,
    /^回答/,
    /^確認/,
    /^審議会/,
    /^公表/,
  ]);
  await expect(page.getByRole('table', { name: '回答の状態とその意味' }).getByRole('rowheader')).toHaveText([
    '未着手',
    '入力中',
    '提出済',
    '差戻し',
    '確定',
  ]);
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.screenshot({ path: test.info().outputPath('help.png'), fullPage: true });

  // On paper: the help alone, without the menu or the buttons.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.app-header')).toBeHidden();
  await expect(page.getByRole('button', { name: 'このヘルプを印刷する' })).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // Back to the screen it explains.
  await page.getByRole('link', { name: '← 元の画面に戻る' }).click();
  await expect(page).toHaveURL(new RegExp(`${board}$`));

  // F1, and the visible link, from the plan editor.
  await page.goto(`/m/${w.mid}/plans/${w.planId}`);
  await page.getByRole('tree').getByRole('treeitem').first().focus();
  await page.keyboard.press('F1');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ヘルプ計画の体系');
  await page.goto(`/m/${w.mid}/rounds/${rid}/departments/${w.departments['人権推進課']}`);
  await page.getByRole('link', { name: 'ヘルプ', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ヘルプ回答シート');
  await expect(
    page.getByRole('navigation', { name: 'ほかの画面のヘルプ' }).getByRole('link', { name: '審議会' }),
  ).toHaveAttribute(
    'href',
    `/help/council?from=${encodeURIComponent(`/m/${w.mid}/rounds/${rid}/departments/${w.departments['人権推進課']}`)}`,
  );
});
