import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { EvaluationSettingsDto, NodeEvaluationsDto } from '../src/domain/api-types.js';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD, type Fixture } from './support.js';

test.use({ viewport: { width: 1366, height: 768 } });

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

/** A plan of two levels (基本目標, 施策) with one 施策 under one 基本目標, made through the API. */
async function planSetup(request: APIRequestContext, f: Fixture, extra: Record<string, unknown> = {}) {
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const plan = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '評価市プラン',
    firstYear: 2021,
    lastYear: 2030,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
    ...extra,
  })) as { plan: { id: number } };
  const planId = plan.plan.id;
  const goal = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const measure = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, {
    title: '啓発',
    parentId: goal.node.id,
  })) as { node: { id: number } };
  return { planId, goal: goal.node.id, measure: measure.node.id, call };
}

const settingsOf = async (request: APIRequestContext, mid: number, planId: number) =>
  (await (await request.get(`/api/m/${mid}/plans/${planId}/evaluation`)).json()) as EvaluationSettingsDto;

test('the coordinator sets a plan’s evaluation from a preset, is told beside the field what is wrong, and adds a later version', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const f = await createMunicipality(request, '評価設定市');
  const { planId } = await planSetup(request, f);
  await loginThroughUi(page, f.coordinator);
  await page.goto(`/m/${f.mid}/plans/${planId}`);
  await page.getByRole('link', { name: '評価の方法' }).click();
  await expect(page.getByRole('heading', { name: '評価市プランの評価の方法', level: 1 })).toBeVisible();
  // A new plan starts with the department's A〜D, in force from its first year.
  const versions = page.getByRole('region', { name: '年度ごとの版' });
  await expect(versions.getByRole('rowheader')).toHaveText(['令和3年度〜']);

  await page.getByLabel('よく使われる設定から始める').selectOption({
    label: '担当課の自己評価（A〜D）、所管課の評価（A〜D）、審議会が施策ごとに★とコメント、所管課が基本目標ごとに総評',
  });
  await page.getByRole('button', { name: '読み込む' }).click();
  const items = page.getByRole('navigation', { name: '評価の項目と尺度' });
  await expect(items.getByRole('button')).toContainText(['自己評価', '所管課評価', '審議会評価', '総評']);
  const panel = page.locator('.eval-panel');
  await expect(panel.getByRole('heading', { name: '評価の項目「自己評価」' })).toBeVisible();
  await panel.getByLabel('名前（報告の列名）').fill('担当課の自己評価');
  await items.getByRole('button', { name: /審議会評価/ }).click();
  await expect(panel.getByLabel('体系の階層')).toHaveValue('1');
  await expect(panel.getByLabel('評価にコメントを添える（審議会の意見、総評など）')).toBeChecked();

  // A new scale computed from achievement: the preview computes as it is typed.
  await items.getByRole('button', { name: '尺度を追加' }).click();
  await panel.getByLabel('尺度の名前').fill('達成率 A〜D');
  await panel.getByLabel('評価の決め方').selectOption('ratio');
  const preview = panel.getByRole('table', { name: '見本の値と、この尺度で計算される評価' });
  await expect(preview.getByRole('row', { name: /^文章で書かれた目標 毎年10人以上 9人/ })).toContainText('B');
  await expect(preview.getByRole('row', { name: /^少ないほどよい指標/ })).toContainText('達成率 80%');
  await panel.getByLabel('段階「B」の下限（%）').fill('95');
  await expect(preview.getByRole('row', { name: /^文章で書かれた目標/ })).toContainText('C');
  await expectNoViolations(page, 'evaluation settings with a scale and its preview');

  // The level D prints as D, which the legend (A B C) lacks: refused, with the message beside the level.
  await page.getByRole('button', { name: 'この内容で保存' }).click();
  await expect(panel.getByText('評価「D」が凡例にありません。凡例に加えてください')).toBeVisible();
  await page.getByRole('button', { name: 'この内容で保存' }).scrollIntoViewIfNeeded();
  await expect(panel.getByLabel('4番目の段階の名前')).toHaveAttribute('aria-invalid', 'true');
  await expect(items.getByRole('button', { name: /達成率 A〜D/ })).toContainText('要修正 1件');
  await panel.getByRole('button', { name: '記号を追加' }).click();
  await panel.getByLabel('4番目の記号').fill('D');
  await expect(page.getByLabel('適用開始年度')).toHaveValue('2021');
  await page.getByLabel('変更の理由・メモ').fill('審議会の評価を加える');
  await page.getByRole('button', { name: 'この内容で保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '令和3年度〜の版を保存しました。' })).toBeVisible();

  let stored = await settingsOf(request, f.mid, planId);
  expect(stored.versions).toHaveLength(1);
  const first = stored.versions[0]!.config;
  expect(first.slots.map((s) => [s.key, s.name, s.enteredBy])).toEqual([
    ['self', '担当課の自己評価', 'department'],
    ['coord', '所管課評価', 'coordinator'],
    ['council', '審議会評価', 'council'],
    ['summary', '総評', 'coordinator'],
  ]);
  const added = first.scales.find((s) => s.name === '達成率 A〜D')!;
  expect(added.rule).toMatchObject({
    kind: 'ratio',
    levels: [{ code: 'A', min: 100 }, { code: 'B', min: 95 }, {}, {}],
  });
  expect(added.grades.map((g) => g.code)).toEqual(['A', 'B', 'C', 'D']);
  expect(stored.versions[0]!.note).toBe('審議会の評価を加える');

  // From 令和7年度 the coordinating section's evaluation is named differently: a second version.
  await items.getByRole('button', { name: /所管課評価/ }).click();
  await panel.getByLabel('名前（報告の列名）').fill('所管課の確認');
  await page.getByLabel('適用開始年度').selectOption('2025');
  await expect(
    page.getByText('令和7年度〜に適用する新しい版として保存します。令和3年度〜令和6年度は今の版のままです。'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'この内容で保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '令和7年度〜の版を保存しました。' })).toBeVisible();
  await expect(versions.getByRole('rowheader')).toHaveText(['令和3年度〜令和6年度', '令和7年度〜']);
  stored = await settingsOf(request, f.mid, planId);
  expect(stored.versions.map((v) => [v.fromYear, v.toYear, v.config.slots[1]!.name])).toEqual([
    [2021, 2024, '所管課評価'],
    [2025, null, '所管課の確認'],
  ]);
  await page.screenshot({ path: test.info().outputPath('evaluation-settings.png'), fullPage: true });
});

test('a council member stars a 施策 with a comment; the coordinator sees it with its history, and a later save by someone else is said', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const f = await createMunicipality(request, '評価入力市');
  const { planId, measure } = await planSetup(request, f, { evaluationPreset: 'council-stars' });
  const nodesUrl = `/api/m/${f.mid}/plans/${planId}/years/2024/node-evaluations`;

  const councilContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await councilContext.newPage();
  await loginThroughUi(page, f.council);
  await page.getByRole('link', { name: '評価', exact: true }).click();
  await page.getByLabel('年度', { exact: true }).selectOption('2024');
  await expect(page.getByRole('heading', { name: '評価市プラン 令和6年度の体系ごとの評価', level: 1 })).toBeVisible();
  await page.getByLabel(/啓発の審議会評価$/).selectOption('★★');
  await page.getByLabel(/啓発の審議会評価のコメント$/).fill('周知の工夫を');
  await page.getByRole('button', { name: /啓発の\s?審議会評価を保存$/ }).click();
  await expect(page.getByRole('row', { name: /啓発/ }).getByRole('status')).toHaveText('保存しました');
  // The coordinating section's 総評 is not the council's to enter: shown, not offered.
  await expect(page.getByLabel(/意識づくりの総評/)).toHaveCount(0);
  await expect(page.getByRole('row', { name: /意識づくり/ })).toContainText('未評価');
  await expectNoViolations(page, 'node evaluations as a council member');
  await page.screenshot({ path: test.info().outputPath('node-evaluations-council.png'), fullPage: true });

  await page.reload();
  await expect(page.getByLabel(/啓発の審議会評価$/)).toHaveValue('★★');
  await expect(page.getByLabel(/啓発の審議会評価のコメント$/)).toHaveValue('周知の工夫を');
  await apiLogin(request, f.coordinator, PASSWORD);
  const stored = (await (await request.get(nodesUrl)).json()) as NodeEvaluationsDto;
  const row = stored.rows.find((r) => r.subjectId === measure)!;
  expect(row.values.council).toMatchObject({ code: '★★', comment: '周知の工夫を', source: 'entered', version: 1 });

  // The coordinator reads it, with its history.
  const coordContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const coordPage = await coordContext.newPage();
  await loginThroughUi(coordPage, f.coordinator);
  await coordPage.goto(`/m/${f.mid}/plans/${planId}`);
  await coordPage.getByRole('button', { name: '計画の設定' }).click();
  await coordPage.getByRole('link', { name: '体系ごとの評価' }).click();
  await expect(coordPage.getByRole('heading', { name: /の体系ごとの評価$/, level: 1 })).toBeVisible();
  await coordPage.getByLabel('年度', { exact: true }).selectOption('2024');
  await expect(coordPage.getByLabel(/啓発の審議会評価$/)).toHaveValue('★★');
  await coordPage.getByRole('button', { name: /啓発の\s?審議会評価の履歴$/ }).click();
  const dialog = coordPage.getByRole('dialog', { name: /啓発の\s?審議会評価の履歴$/ });
  await expect(dialog.getByRole('row').nth(1)).toContainText('審議会 委員');
  await expect(dialog.getByRole('row').nth(1)).toContainText('（評価なし）');
  await expect(dialog.getByRole('row').nth(1)).toContainText('★★（概ね進んでいる）／コメント：周知の工夫を');
  await expectNoViolations(coordPage, 'node evaluations as the coordinator, with the history');
  await dialog.getByRole('button', { name: '閉じる' }).click();
  await expect(dialog).toBeHidden();

  // The council member changes it meanwhile; the coordinator's save of the version read is refused, the row reloaded.
  const council = await apiLogin(request, f.council, PASSWORD);
  await council('post', `/api/m/${f.mid}/plans/${planId}/years/2024/evaluations`, {
    slotKey: 'council',
    subjectKind: 'node',
    subjectId: measure,
    departmentId: 0,
    code: '★',
    comment: '周知の工夫を（修正）',
    version: 1,
  });
  await coordPage.getByLabel(/啓発の審議会評価のコメント$/).fill('議事録から補足');
  await coordPage.getByRole('button', { name: /啓発の\s?審議会評価を保存$/ }).click();
  const refused = coordPage.getByRole('row', { name: /啓発/ }).getByRole('alert');
  await expect(refused).toContainText('審議会 委員さんが先に保存しました（★）');
  await expect(refused).toContainText('保存されなかった入力：評価「★★」、コメント「議事録から補足」');
  await expect(coordPage.getByLabel(/啓発の審議会評価$/)).toHaveValue('★');
  await expect(coordPage.getByLabel(/啓発の審議会評価のコメント$/)).toHaveValue('周知の工夫を（修正）');

  // The coordinator writes the 総評 of the 基本目標, which the council member then reads, not edits.
  await coordPage.getByLabel(/意識づくりの総評のコメント$/).fill('全体として順調');
  await coordPage.getByRole('button', { name: /意識づくりの\s?総評を保存$/ }).click();
  await expect(coordPage.getByRole('row', { name: /意識づくり/ }).getByRole('status')).toHaveText('保存しました');
  await page.reload();
  await expect(page.getByRole('row', { name: /意識づくり/ })).toContainText('全体として順調');
  await expect(page.getByLabel(/意識づくりの総評/)).toHaveCount(0);
  // The council member reads how the plan evaluates, and cannot change it.
  await page.getByRole('link', { name: '評価の方法を見る' }).click();
  await expect(page.getByRole('heading', { name: '評価市プランの評価の方法', level: 1 })).toBeVisible();
  await expect(page.getByLabel('名前（報告の列名）')).toHaveValue('自己評価');
  await expect(page.getByLabel('名前（報告の列名）')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'この内容で保存' })).toHaveCount(0);
  await expect(page.getByLabel('よく使われる設定から始める')).toHaveCount(0);
  await expectNoViolations(page, 'evaluation settings, read only');
  await coordContext.close();
  await councilContext.close();
});
