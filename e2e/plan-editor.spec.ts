import { expect, test, type Page } from '@playwright/test';
import { createMunicipality, loginThroughUi } from './support.js';

const tree = (page: Page) => page.getByRole('tree');
const item = (page: Page, name: string | RegExp) => tree(page).getByRole('treeitem', { name });

/** The numbering question asked before a move that would change printed numbers: renumber. */
async function renumber(page: Page, changed: RegExp) {
  const dialog = page.getByRole('dialog', { name: /番号が変わります/ });
  await expect(dialog.getByRole('list', { name: '変わる番号' })).toContainText(changed);
  await dialog.getByRole('button', { name: '番号を振り直す' }).click();
  await expect(dialog).toBeHidden();
}

async function addNode(page: Page, button: string, label: string, title: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.getByLabel(label).fill(title);
  await page.getByRole('button', { name: '追加する' }).click();
  await expect(item(page, new RegExp(title))).toBeVisible();
}

test('a coordinator builds a three-level tree, moves a node by keyboard, and adds a shared, cross-listed project', async ({
  page,
  request,
}) => {
  const f = await createMunicipality(request, '体系市');
  await loginThroughUi(page, f.coordinator);
  await expect(page).toHaveURL(new RegExp(`/m/${f.mid}/home$`));
  await page.getByRole('link', { name: '計画', exact: true }).click();

  await page.getByText('計画を作成', { exact: true }).click();
  await page.getByLabel('計画名').fill('第1次体系市男女共同参画プラン');
  await page.getByLabel('計画期間（開始年度）').fill('R3');
  await expect(page.getByText('令和3年度（2021年度）')).toBeVisible();
  await page.getByLabel('計画期間（終了年度）').fill('令和12年度');
  await page.getByRole('button', { name: '作成する' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '第1次体系市男女共同参画プラン' })).toBeVisible();

  await addNode(page, '基本目標を追加', '基本目標の名称', '意識づくり');
  await addNode(page, '主要課題を追加', '主要課題の名称', '男女平等意識の啓発');
  await addNode(page, '施策を追加', '施策の名称', '広報による啓発');
  await item(page, /意識づくり/).click();
  await addNode(page, '主要課題を追加', '主要課題の名称', '教育の充実');
  await addNode(page, '基本目標を追加', '基本目標の名称', '暴力の根絶');
  await addNode(page, '主要課題を追加', '主要課題の名称', 'DVの防止');
  await addNode(page, '施策を追加', '施策の名称', '相談体制の充実');

  const names = () => tree(page).getByRole('treeitem').allInnerTexts();
  expect((await names()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
    '▾ 基本目標 Ⅰ 意識づくり',
    '▾ 主要課題 (1) 男女平等意識の啓発',
    '・ 施策 ① 広報による啓発',
    '・ 主要課題 (2) 教育の充実',
    '▾ 基本目標 Ⅱ 暴力の根絶',
    '▾ 主要課題 (3) DVの防止',
    '・ 施策 ① 相談体制の充実',
  ]);

  // Keyboard: focus 教育の充実, Alt+↑ puts it before 男女平等意識の啓発.
  await item(page, /教育の充実/).click();
  await expect(item(page, /教育の充実/)).toBeFocused();
  await page.keyboard.press('Alt+ArrowUp');
  await renumber(page, /\(2\) 教育の充実 → \(1\)/);
  await expect(item(page, /\(1\) 教育の充実/)).toBeVisible();
  await expect(item(page, /\(2\) 男女平等意識の啓発/)).toBeVisible();
  await expect(item(page, /教育の充実/)).toBeFocused();
  // Alt+↓ twice: back below 啓発, then across into the next 基本目標 (Ⅱ), ahead of DVの防止.
  await page.keyboard.press('Alt+ArrowDown');
  await renumber(page, /\(1\) 教育の充実 → \(2\)/);
  await expect(item(page, /\(2\) 教育の充実/)).toBeVisible();
  await expect(item(page, /教育の充実/)).toBeFocused();
  // Into the next 基本目標, ahead of DVの防止: every number stays, so nothing is asked.
  await page.keyboard.press('Alt+ArrowDown');
  await expect(page.getByRole('status').filter({ hasText: '「教育の充実」を移動しました' })).toBeVisible();
  await expect(item(page, /\(2\) 教育の充実/)).toHaveAttribute('aria-level', '2');
  await page.reload();
  await expect(item(page, /暴力の根絶/)).toBeVisible();
  const order = (await names()).map((t) => t.replace(/\s+/g, ' ').trim());
  expect(order.indexOf('・ 主要課題 (2) 教育の充実')).toBeGreaterThan(order.indexOf('▾ 基本目標 Ⅱ 暴力の根絶'));
  expect(order.indexOf('・ 主要課題 (2) 教育の充実')).toBeLessThan(order.indexOf('▾ 主要課題 (3) DVの防止'));

  // A project with two departments under 相談体制の充実, cross-listed under 広報による啓発.
  await item(page, /相談体制の充実/).click();
  await page.getByRole('button', { name: '事業を追加' }).click();
  await page.getByLabel('事業名').fill('デートDV防止講座');
  await page.getByLabel('区分').selectOption('充実');
  await page.getByLabel('対象者').fill('中学生');
  await page.getByLabel('主担当課').selectOption({ label: '人権推進課' });
  await page.getByRole('group', { name: '関係課（複数選択可）' }).getByLabel('学校教育課').check();
  await page
    .getByRole('group', { name: '再掲先（この事業を再掲する項目）' })
    .getByLabel(/広報による啓発/)
    .check();
  await page.getByRole('button', { name: '追加する' }).click();

  const copies = item(page, /デートDV防止講座/);
  await expect(copies).toHaveCount(2);
  await expect(copies.filter({ hasText: '再掲' })).toHaveCount(1);
  await expect(copies.first()).toContainText('人権推進課・学校教育課');
  // The cross-listed copy sits right after 広報による啓発; the original after 相談体制の充実.
  const after = (await names()).map((t) => t.replace(/\s+/g, ' ').trim());
  expect(after[after.indexOf('▾ 施策 ① 広報による啓発') + 1]).toContain('デートDV防止講座 再掲');
  expect(after[after.indexOf('▾ 施策 ① 相談体制の充実') + 1]).toMatch(
    /^・ 事業 1 デートDV防止講座 人権推進課・学校教育課$/,
  );

  // Still there after a reload: stored on the server, once.
  await page.reload();
  await expect(item(page, /デートDV防止講座/)).toHaveCount(2);
  const plan = await page.request.get(page.url().replace(/\/m\/(\d+)\/plans\/(\d+)$/, '/api/m/$1/plans/$2'));
  expect(((await plan.json()) as { projects: unknown[] }).projects).toHaveLength(1);
});

test('deleting a node with something below it is refused with a clear message', async ({ page, request }) => {
  const f = await createMunicipality(request, '削除市');
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '計画', exact: true }).click();
  await page.getByText('計画を作成', { exact: true }).click();
  await page.getByLabel('計画名').fill('削除確認プラン');
  await page.getByLabel('計画期間（開始年度）').fill('2022');
  await page.getByLabel('計画期間（終了年度）').fill('2026');
  await page.getByRole('button', { name: '作成する' }).click();
  await addNode(page, '基本目標を追加', '基本目標の名称', '上位');
  await addNode(page, '主要課題を追加', '主要課題の名称', '下位');
  await item(page, /上位/).click();
  await page.getByRole('button', { name: 'この基本目標を削除' }).click();
  const confirm = page.getByRole('dialog', { name: '基本目標「上位」を削除します' });
  await confirm.getByRole('button', { name: '削除する' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('alert')).toContainText('下位の項目が1件あるため削除できません');
  await expect(item(page, /上位/)).toBeVisible();
});

test('the plan tree stays usable with 300 projects', async ({ page, request }) => {
  const f = await createMunicipality(request, '大規模市');
  const { apiLogin } = await import('./support.js');
  const call = await apiLogin(request, f.coordinator, 'e2e-user-password');
  const levels = [
    { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
    { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
  ];
  const nodes = [];
  const projects = [];
  for (let g = 1; g <= 5; g++) {
    nodes.push({
      key: `${g}`,
      parentKey: null,
      title: `目標${g}`,
      description: '',
      numberOverride: null,
      priority: false,
      subPlans: [],
    });
    for (let s = 1; s <= 6; s++) {
      nodes.push({
        key: `${g}.${s}`,
        parentKey: `${g}`,
        title: `施策${g}-${s}`,
        description: '',
        numberOverride: null,
        priority: false,
        subPlans: [],
      });
      for (let p = 1; p <= 10; p++) {
        const n = (g - 1) * 60 + (s - 1) * 10 + p;
        projects.push({
          number: String(n),
          nodeKey: `${g}.${s}`,
          name: `事業${n}`,
          summary: '',
          category: null,
          audience: '',
          leadDepartment: '人権推進課',
          coDepartments: [],
          crossListNodeKeys: [],
        });
      }
    }
  }
  const plan = (await call('post', `/api/m/${f.mid}/plans/import`, {
    format: 'shinchoku.plan-structure',
    version: 1,
    plan: { title: '大規模プラン', slogan: '', firstYear: 2021, lastYear: 2030, subPlans: [] },
    levels,
    nodes,
    projects,
  })) as { plan: { id: number } };
  await loginThroughUi(page, f.coordinator);
  await page.goto(`/m/${f.mid}/plans/${plan.plan.id}`);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(335);
  await item(page, /事業1 /)
    .first()
    .click();
  await page.keyboard.press('End');
  await expect(item(page, /事業300/)).toBeFocused();
  await page.getByRole('button', { name: 'すべて折りたたむ' }).click();
  await expect(tree(page).getByRole('treeitem')).toHaveCount(5);
});

test('a node dragged with the mouse onto a node of the level above moves under it', async ({ page, request }) => {
  const f = await createMunicipality(request, 'ドラッグ市');
  const { apiLogin } = await import('./support.js');
  const call = await apiLogin(request, f.coordinator, 'e2e-user-password');
  const plan = (await call('post', `/api/m/${f.mid}/plans`, {
    title: 'ドラッグプラン',
    firstYear: 2021,
    lastYear: 2025,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'circled', numberingScope: 'parent' },
    ],
  })) as { plan: { id: number } };
  const node = async (title: string, parentId: number | null = null) =>
    (
      (await call('post', `/api/m/${f.mid}/plans/${plan.plan.id}/nodes`, { title, parentId })) as {
        node: { id: number };
      }
    ).node.id;
  const g1 = await node('目標A');
  const g2 = await node('目標B');
  await node('施策A1', g1);
  await node('施策A2', g1);
  await node('施策B1', g2);
  await loginThroughUi(page, f.coordinator);
  await page.goto(`/m/${f.mid}/plans/${plan.plan.id}`);
  const order = async () =>
    (await tree(page).getByRole('treeitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  await expect(item(page, /施策B1/)).toBeVisible();
  await item(page, /施策A2/).dragTo(item(page, /目標B/));
  await expect
    .poll(order)
    .toEqual(['▾ 基本目標 Ⅰ 目標A', '・ 施策 ① 施策A1', '▾ 基本目標 Ⅱ 目標B', '・ 施策 ① 施策B1', '・ 施策 ② 施策A2']);
  // Dropped on a node of the same level: it takes that node's place, which renumbers 施策B1.
  await item(page, /施策A2/).dragTo(item(page, /施策B1/));
  await renumber(page, /① 施策B1 → ②/);
  await expect(item(page, /① 施策A2/)).toBeVisible();
  await expect(item(page, /② 施策B1/)).toBeVisible();
});
