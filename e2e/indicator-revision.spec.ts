import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser } from '@playwright/test';
import type { IndicatorDto, Sheet } from '../src/domain/api-types.js';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD, type Fixture } from './support.js';

const VIEWPORT = { width: 1366, height: 768 };

/** A plan graded by achievement with one project and its indicator, 令和5年度 answered and approved (fixed). */
async function setup(request: APIRequestContext, f: Fixture) {
  const dept = f.departments['人権推進課']!;
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const { plan } = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '見直し市プラン',
    firstYear: 2023,
    lastYear: 2027,
    evaluationPreset: 'achievement-5',
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const { node } = (await call('post', `/api/m/${f.mid}/plans/${plan.id}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const { project } = (await call('post', `/api/m/${f.mid}/plans/${plan.id}/projects`, {
    nodeId: node.id,
    number: '1',
    name: '啓発講座',
    leadDepartmentId: dept,
  })) as { project: { id: number } };
  const { indicator } = (await call('post', `/api/m/${f.mid}/projects/${project.id}/indicators`, {
    name: '講座の開催回数',
    unit: '回',
    kind: 'number',
    direction: 'higher',
    finalTarget: '10回',
    targets: [{ fiscalYear: 2023, text: '4回' }],
  })) as { indicator: { id: number } };
  const { round } = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId: plan.id,
    fiscalYear: 2023,
    phase: 'end',
    deadline: '2024-04-30',
    departmentIds: [dept],
  })) as { round: { id: number } };
  const editor = await apiLogin(request, f.editor, PASSWORD);
  const sheet = (await (
    await request.get(`/api/m/${f.mid}/rounds/${round.id}/departments/${dept}/sheet`)
  ).json()) as Sheet;
  const record = sheet.items[0]!.record;
  await editor('put', `/api/m/${f.mid}/records/${record.id}`, {
    version: record.version,
    planText: '講座を開く',
    resultText: '講座を3回開いた',
    actuals: [{ indicatorId: indicator.id, text: '3回' }],
  });
  await editor('post', `/api/m/${f.mid}/records/${record.id}/submit`);
  const coord = await apiLogin(request, f.coordinator, PASSWORD);
  await coord('post', `/api/m/${f.mid}/records/${record.id}/approve`);
  await coord('post', `/api/m/${f.mid}/rounds/${round.id}/close`);
  return { planId: plan.id, projectId: project.id, indicatorId: indicator.id, roundId: round.id, dept };
}

/** The project's indicators as stored, read as the coordinator. */
async function storedIndicators(request: APIRequestContext, f: Fixture, projectId: number): Promise<IndicatorDto[]> {
  await apiLogin(request, f.coordinator, PASSWORD);
  const res = await request.get(`/api/m/${f.mid}/projects/${projectId}/indicators`);
  return ((await res.json()) as { indicators: IndicatorDto[] }).indicators;
}

/** The coordinator's plan editor at 1366×768 with the project 啓発講座 open. */
async function openProject(browser: Browser, f: Fixture, planId: number) {
  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(page, f.coordinator);
  await page.goto(`/m/${f.mid}/plans/${planId}`);
  await page
    .getByRole('treeitem', { name: /啓発講座/ })
    .first()
    .click();
  return page;
}

test('the coordinator revises an indicator at the mid-term review from a year it names, and the history says what changed', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const f = await createMunicipality(request, '見直し市');
  const s = await setup(request, f);
  const stored = async () => (await storedIndicators(request, f, s.projectId))[0]!;
  const page = await openProject(browser, f, s.planId);
  const section = page.getByRole('region', { name: '活動指標・数値目標' });
  await section.getByRole('button', { name: '講座の開催回数を編集' }).click();
  await section.getByLabel('最終目標').fill('12回');
  // How each target will be read shows as it is typed: a number with its words, or why it cannot be computed.
  const readings = section.locator('.target-readings');
  await expect(readings).toContainText('最終目標「12回」: 12回と比べます');
  const r7 = section.getByLabel('R7（2025）');
  await r7.fill('全ての小学校');
  await expect(readings.locator('li.problem')).toHaveText(
    '⚠ R7「全ての小学校」: 目標「全ての小学校」に数値がないため、計算できません。この目標では評価されません',
  );
  await r7.fill('毎年5回以上');
  await expect(readings).toContainText('R7「毎年5回以上」: 5回（毎年・以上）と比べます');
  await r7.fill('');
  const fromYear = section.getByLabel('変更を適用する年度');
  await expect(fromYear).toHaveValue('');

  // 令和5年度 is approved: the change cannot reach it, and the form says so beside the year.
  await fromYear.selectOption({ label: '令和5年度（2023年度）から' });
  await section.getByRole('button', { name: '保存する' }).click();
  await expect(fromYear).toHaveAccessibleDescription(
    /令和5年度は確定または公表済みの年度です。令和6年度以降を選んでください/,
  );
  await fromYear.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('indicator-fixed-year.png') });
  expect((await stored()).revisions).toEqual([]);

  await fromYear.selectOption({ label: '令和8年度（2026年度）から' });
  await section.getByLabel('変更の理由').fill('中間見直し');
  await section.getByRole('button', { name: '保存する' }).click();
  const history = section.getByRole('list', { name: '指標の変更履歴' });
  await expect(history).toHaveText('令和8年度（2026年度）から（中間見直し）: 最終目標 10回 → 12回');
  await expect(page.locator('html')).toHaveJSProperty('scrollWidth', await page.evaluate(() => window.innerWidth));

  // After a reload the history is still there, and the stored terms keep the years before 令和8年度 as they were.
  await page.reload();
  await page
    .getByRole('treeitem', { name: /啓発講座/ })
    .first()
    .click();
  await expect(history).toHaveText('令和8年度（2026年度）から（中間見直し）: 最終目標 10回 → 12回');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await history.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('indicator-history.png') });
  const after = await stored();
  expect(after.finalTarget.text).toBe('12回');
  expect(after.revisions).toEqual([
    {
      fromYear: 2026,
      note: '中間見直し',
      before: expect.objectContaining({ finalTarget: '10回' }),
      after: expect.objectContaining({ finalTarget: '12回' }),
    },
  ]);
});

test('an indicator added after a year is approved starts the year after; the approved year keeps its lines, and one it used is ended rather than deleted', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const f = await createMunicipality(request, '年度指標市');
  const s = await setup(request, f);
  const stored = async () =>
    (await storedIndicators(request, f, s.projectId)).map((i) => [i.name, i.startYear, i.endYear]);
  const page = await openProject(browser, f, s.planId);
  const section = page.getByRole('region', { name: '活動指標・数値目標' });
  await section.getByRole('button', { name: '活動指標を追加' }).click();
  // 令和5年度 is approved: a new indicator starts in 令和6年度, and the form has no target for 令和5年度.
  await expect(section.getByLabel('開始年度')).toHaveValue('2024');
  await expect(
    section.getByText('令和5年度までは確定または公表済みのため、新しい指標は令和6年度から使います'),
  ).toBeVisible();
  await expect(section.locator('.year-span-explain')).toHaveText(
    '令和6年度から計画期間の終わりまで。令和5年度以前のシートと報告には表示されません。',
  );
  await expect(section.getByLabel('R5（2023）')).toHaveCount(0);
  await section.getByLabel('指標名').fill('参加者数');
  await section.getByLabel('単位').fill('人');
  await section.getByLabel('R6（2024）').fill('100');
  // Typed back into the approved year, it is refused beside the field, and nothing is stored.
  await section.getByLabel('開始年度').fill('R5');
  await expect(section.getByLabel('R5（2023）')).toBeVisible();
  await section.getByRole('button', { name: '追加する' }).click();
  await expect(section.getByLabel('開始年度')).toHaveAccessibleDescription(
    /令和5年度は確定または公表済みの年度のため、この指標をその年度に加えることはできません（令和6年度以降を選んでください）/,
  );
  expect(await stored()).toEqual([['講座の開催回数', null, null]]);
  await section.getByLabel('開始年度').fill('令和6年度');
  await section.getByRole('button', { name: '追加する' }).click();
  const added = section.getByRole('listitem').filter({ hasText: '参加者数' });
  await expect(added.locator('.year-span-tag')).toHaveText('令和6年度〜');
  expect(await stored()).toEqual([
    ['講座の開催回数', null, null],
    ['参加者数', 2024, null],
  ]);

  // The approved year's sheet, as its department reads it: the line it approved, nothing added.
  const editorPage = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(editorPage, f.editor);
  await editorPage.goto(`/m/${f.mid}/rounds/${s.roundId}/departments/${s.dept}`);
  await expect(editorPage.getByText('講座の開催回数').first()).toBeVisible();
  await expect(editorPage.getByText('参加者数')).toHaveCount(0);

  // Removing the approved year's indicator ends it after that year; the list and the message say so.
  await section.getByRole('button', { name: '講座の開催回数を削除' }).click();
  const dialog = page.getByRole('dialog', { name: '指標「講座の開催回数」を令和5年度までで終了します' });
  await expect(dialog).toContainText('令和6年度以降のシートと報告から外します');
  await dialog.getByRole('button', { name: '令和5年度までで終了する' }).click();
  await expect(section.getByRole('status')).toHaveText(
    '「講座の開催回数」は令和5年度までの指標として残し、それより後の年度では使わないようにしました（令和5年度までのシートと報告には残ります）。',
  );
  const ended = section.getByRole('listitem').filter({ hasText: '講座の開催回数' });
  await expect(ended.locator('.year-span-tag')).toHaveText('〜令和5年度');
  // Used up to its own last year, a fixed one: nothing more to remove, and no button offering it.
  await expect(section.getByRole('button', { name: '講座の開催回数を削除' })).toHaveCount(0);
  await page.reload();
  await page
    .getByRole('treeitem', { name: /啓発講座/ })
    .first()
    .click();
  await expect(ended.locator('.year-span-tag')).toHaveText('〜令和5年度');
  expect(await stored()).toEqual([
    ['講座の開催回数', null, 2023],
    ['参加者数', 2024, null],
  ]);
  await editorPage.reload();
  await expect(editorPage.getByText('講座の開催回数').first()).toBeVisible();
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('indicator-years.png') });
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});
