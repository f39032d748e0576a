import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD } from './support.js';

const PASTE = [
  '基本目標\t施策\t番号\t事業名\t担当課\t評価',
  'Ⅰ 意識づくり\t(1) 啓発\t1\t講座の開催\t人権推進課\tA',
  '\t\t\t相談窓口\t人権推進課\tB',
  // Numbers 1 and 4 around the line without one: no number follows from them, so the line is flagged.
  '\t(2) 学習\t4\t出前講座\t学校教育課\tA',
].join('\n');

/** The columns of a table of the tree, its projects and their departments. */
const TREE_COLUMNS: [number, string][] = [
  [1, '階層: 基本目標（番号と名称）'],
  [2, '階層: 施策（番号と名称）'],
  [3, '事業番号'],
  [4, '事業名'],
  [5, '担当課'],
];

/** Pastes a table on the import page, maps its columns (1-based) to the fields named, first row as headers. */
async function pasteAndMap(page: Page, text: string, uses: [number, string][]) {
  await page.getByRole('link', { name: '取り込み', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: /取り込み/ })).toBeVisible();
  await page.getByLabel('Excel や PDF からコピーした表を貼り付け').check();
  await page.getByLabel('貼り付ける表').fill(text);
  await page.getByLabel('取り込み設定', { exact: true }).selectOption('__custom');
  await page.getByRole('button', { name: '表の先頭を表示して列を対応づける' }).click();
  await page.getByLabel('見出し行（行番号）').selectOption('1');
  for (const [column, label] of uses)
    await page.getByLabel(new RegExp(`^${column}列目（.*）の取り込む項目$`)).selectOption({ label });
}

test('a coordinator pastes a table, maps its columns, fixes a flagged cell in the preview and commits', async ({
  page,
  request,
}) => {
  const f = await createMunicipality(request, '取込市');
  await loginThroughUi(page, f.coordinator);
  await pasteAndMap(page, PASTE, [...TREE_COLUMNS, [6, '評価']]);
  await page.getByLabel('この設定の名前（保存して次回も使う）').fill('課別調査票');
  await page.getByRole('button', { name: '設定を保存する' }).click();
  await expect(page.getByText('「課別調査票」を保存しました')).toBeVisible();

  await page.getByRole('button', { name: 'プレビューする' }).click();
  await expect(page.getByText('読み取れない行が1行あります。直すか、除外してください。')).toBeVisible();
  await expect(page.getByText('事業番号がありません。番号を入力してください')).toBeVisible();
  await expect(
    page.getByText('取り込めない理由: 読み取れない行が1行あります（3行目）。直すか、除外してください'),
  ).toBeVisible();
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  await page.getByRole('button', { name: '3行目のセルを直す' }).click();
  await page.getByRole('group', { name: '3行目のセル' }).getByLabel('3列目').fill('2');
  await page.getByRole('button', { name: 'この行を直す' }).click();
  await expect(page.getByText('すべての行を読み取れました。')).toBeVisible();

  await page.getByLabel('新しい計画の名称').fill('取込市男女共同参画プラン');
  await page.getByLabel('計画期間（開始年度）').fill('R3');
  await page.getByLabel('計画期間（終了年度）').fill('R7');
  await page.getByLabel('取り込む回答の年度').fill('2023');
  await page.getByRole('button', { name: '取り込む', exact: true }).click();
  await expect(page.getByText(/取り込みました: 項目 3件・事業 3件を追加、回答 3件を追加/)).toBeVisible();
  await page.getByRole('link', { name: '取り込んだ計画を開く' }).click();
  await expect(page.getByRole('treeitem', { name: /相談窓口/ })).toContainText('人権推進課');
  await expect(page.getByRole('treeitem', { name: /\(2\) 学習/ })).toBeVisible();
});

test('the preview marks a department not registered as the names table does, and a new plan named like an existing one is warned of', async ({
  page,
  request,
}) => {
  const f = await createMunicipality(request, '名称市');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  await call('post', `/api/m/${f.mid}/plans`, {
    title: '名称市男女共同参画プラン',
    firstYear: 2023,
    lastYear: 2027,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  });
  await loginThroughUi(page, f.coordinator);
  const text = ['基本目標\t施策\t番号\t事業名\t担当課', 'Ⅰ 意識づくり\t(1) 啓発\t1\t講座の開催\t男女共同参画推進室'];
  await pasteAndMap(page, text.join('\n'), TREE_COLUMNS);
  await page.getByRole('button', { name: 'プレビューする' }).click();

  // Not registered, and the box to register it not ticked: the row says what the names table says.
  const rows = page.getByRole('region', { name: '取り込む行の一覧（横にスクロールできます）' });
  await expect(rows.getByText('男女共同参画推進室')).toBeVisible();
  await expect(rows.locator('.badge.unregistered-name')).toHaveText('未登録');
  await expect(rows.locator('.badge.new-name')).toHaveCount(0);
  await expect(page.getByRole('cell', { name: '登録されていないため取り込めません' })).toBeVisible();
  await page.getByLabel('組織に登録されていない担当課は、新しく登録する').check();
  await expect(rows.locator('.badge.new-name')).toHaveText('新規登録');
  await expect(rows.locator('.badge.unregistered-name')).toHaveCount(0);

  // A new plan given the name of one the municipality has: warned beside the field, full-width or not.
  const name = page.getByLabel('新しい計画の名称');
  await name.fill('名称市　男女共同参画プラン');
  await expect(name).toHaveAccessibleDescription(
    /同じ名称の計画「名称市男女共同参画プラン」がすでにあります。その計画に取り込むときは、上の「計画」で選んでください。/,
  );
  await name.fill('名称市男女共同参画プラン（第2次）');
  await expect(name).not.toHaveAccessibleDescription(/同じ名称の計画/);
  await page.screenshot({ path: test.info().outputPath('import-names.png'), fullPage: true });
});
