import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { loginThroughUi } from './support.js';
import { planWorld, VIEWPORT, type PlanWorld } from './plan-world.js';

const tree = (page: Page) => page.getByRole('tree');
const rows = async (page: Page) =>
  (await tree(page).getByRole('treeitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());

interface StoredPlan {
  nodes: { id: number; parentId: number | null; position: number; title: string }[];
  projects: { id: number; name: string; nodeId: number }[];
}
const stored = async (w: PlanWorld, page: Page): Promise<StoredPlan> =>
  (await (await page.request.get(`/api/m/${w.mid}/plans/${w.planId}`)).json()) as StoredPlan;
/** The titles of a node's children as stored, in order. */
const childrenOf = (plan: StoredPlan, parentId: number) =>
  plan.nodes
    .filter((n) => n.parentId === parentId)
    .sort((a, b) => a.position - b.position)
    .map((n) => n.title);

async function open(page: Page, w: PlanWorld) {
  await page.setViewportSize(VIEWPORT);
  await loginThroughUi(page, w.coordinator);
  await page.goto(`/m/${w.mid}/plans/${w.planId}`);
  await expect(tree(page)).toBeVisible();
}

test('the tree is searched by number, title or 課 as one types, and a found project is edited and saved', async ({
  page,
  request,
}) => {
  const w = await planWorld(request, '検索市');
  await open(page, w);
  const search = page.getByRole('searchbox', { name: '体系を検索' });

  // By 課: the projects of 子育て支援課, under their 施策 and 基本目標.
  await search.fill('子育て');
  await expect
    .poll(() => rows(page))
    .toEqual([
      '▾ 基本目標 Ⅱ 暴力の根絶',
      '▾ 施策 ① 相談体制の充実',
      '・ 事業 4 ＤＶ相談窓口の周知 子育て支援課',
      '▾ 施策 ② 被害者の自立支援',
      '・ 事業 6 ひとり親家庭の就労支援 子育て支援課',
    ]);
  await expect(page.getByRole('search', { name: '体系を検索' }).getByRole('status')).toHaveText('12件中 5件を表示');
  // By title, whatever the width of the letters (ｄｖ = ＤＶ), the words marked.
  await search.fill('dv 周知');
  await expect
    .poll(() => rows(page))
    .toEqual(['▾ 基本目標 Ⅱ 暴力の根絶', '▾ 施策 ① 相談体制の充実', '・ 事業 4 ＤＶ相談窓口の周知 子育て支援課']);
  await expect(tree(page).locator('mark')).toHaveText(['ＤＶ', '周知']);
  // By printed number.
  await search.fill('４');
  await expect
    .poll(() => rows(page))
    .toEqual(['▾ 基本目標 Ⅱ 暴力の根絶', '▾ 施策 ① 相談体制の充実', '・ 事業 4 ＤＶ相談窓口の周知 子育て支援課']);
  await search.fill('存在しない事業');
  await expect(page.getByText('「存在しない事業」に当てはまる項目・事業はありません。')).toBeVisible();
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  // Esc clears the search: the whole tree again.
  await search.press('Escape');
  await expect(tree(page).getByRole('treeitem')).toHaveCount(12);

  // Found, opened, changed and saved: the toast says so, the row stays in view, the change is stored.
  await search.fill('研修');
  await tree(page)
    .getByRole('treeitem', { name: /相談員の研修/ })
    .click();
  const panel = page.getByRole('region', { name: /事業 5 相談員の研修/ });
  await panel.getByLabel('事業名').fill('相談員の研修と資質向上');
  await panel.getByRole('button', { name: '保存する' }).click();
  const toast = page.getByRole('group', { name: 'お知らせ' });
  await expect(toast).toContainText('事業「相談員の研修と資質向上」を保存しました');
  await expect(toast).toBeInViewport();
  // The search no longer matches the saved name, so it is cleared and the saved row shown.
  await expect(tree(page).getByRole('treeitem', { name: /相談員の研修と資質向上/ })).toBeInViewport();
  await expect
    .poll(async () => (await stored(w, page)).projects.find((p) => p.id === w.projects['5'])?.name)
    .toBe('相談員の研修と資質向上');
});

test('the tree stays in view beside a long 事業, a move says so in a toast and 「元に戻す」 moves it back', async ({
  page,
  request,
}) => {
  const w = await planWorld(request, '移動市');
  await open(page, w);

  // A project's panel scrolls on its own; the tree stays in the window.
  await tree(page)
    .getByRole('treeitem', { name: /男女共同参画講座の開催/ })
    .click();
  const panel = page.getByRole('region', { name: /事業 2 男女共同参画講座の開催/ });
  await panel.getByRole('button', { name: 'この事業を削除' }).scrollIntoViewIfNeeded();
  await expect(panel.getByRole('button', { name: 'この事業を削除' })).toBeInViewport();
  await expect(tree(page).getByRole('treeitem', { name: /意識づくり/ })).toBeInViewport();
  await page.mouse.wheel(0, 2000);
  await expect(tree(page).getByRole('treeitem', { name: /意識づくり/ })).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // 掲載先 lists the nodes in tree order, each 施策 indented under its 基本目標.
  await expect(panel.getByLabel('掲載先').locator('option')).toHaveText([
    'Ⅰ 意識づくり',
    '\u3000① 広報・啓発',
    '\u3000② 教育・学習',
    'Ⅱ 暴力の根絶',
    '\u3000① 相談体制の充実',
    '\u3000② 被害者の自立支援',
  ]);

  // 広報・啓発 moved down with the panel's button: numbers change, so the editor asks first.
  await tree(page)
    .getByRole('treeitem', { name: /広報・啓発/ })
    .click();
  await page.getByRole('button', { name: '下へ', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /番号が変わります/ });
  await dialog.getByRole('button', { name: '番号を振り直す' }).click();
  const toast = page.getByRole('group', { name: 'お知らせ' });
  await expect(toast).toContainText('「広報・啓発」を移動し、番号を振り直しました');
  await expect(toast).toBeInViewport();
  // The screen reader's live region says the same.
  await expect(
    page.getByRole('status').filter({ hasText: '「広報・啓発」を移動し、番号を振り直しました' }),
  ).toHaveCount(1);
  await expect
    .poll(async () => childrenOf(await stored(w, page), w.nodes['意識づくり']!))
    .toEqual(['教育・学習', '広報・啓発']);
  await page.screenshot({ path: test.info().outputPath('plan-editor-toast.png') });

  await toast.getByRole('button', { name: '元に戻す' }).click();
  await expect(toast).toContainText('「広報・啓発」を元の位置に戻しました');
  await expect
    .poll(async () => childrenOf(await stored(w, page), w.nodes['意識づくり']!))
    .toEqual(['広報・啓発', '教育・学習']);
  await expect(tree(page).getByRole('treeitem', { name: /① 広報・啓発/ })).toBeFocused();

  // Keyboard: a move past the last place says so, visibly too.
  await page.keyboard.press('Alt+ArrowUp');
  await expect(toast).toContainText('これ以上移動できません');
  // A reload shows the stored order.
  await page.reload();
  await expect.poll(() => rows(page)).toContain('▾ 施策 ① 広報・啓発');
});
