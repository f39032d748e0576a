import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import {
  apiLogin,
  createMunicipality,
  expectNoViolations,
  loginThroughUi,
  PASSWORD,
  planWithSelfEvaluation,
  type Fixture,
} from './support.js';

const VIEWPORT = { width: 1366, height: 768 };

interface Entry {
  slotKey: string;
  subjectKind: 'record' | 'indicator';
  subjectId: number;
  code: string | null;
  reason: string;
  comment: string;
}
interface StoredItem {
  project: { id: number; name: string };
  record: {
    id: number;
    version: number;
    status: string;
    actuals: { indicatorId: number; text: string; value: number | null }[];
    entries: Entry[];
  };
}

interface Setup extends Fixture {
  planId: number;
  roundId: number;
  indicatorId: number;
  projects: Record<string, number>;
  sheetUrl: string;
}

/**
 * A plan created with the preset 'achievement-5' (◎○△× computed on each indicator line, another code
 * with a reason), to which the coordinator adds the department's own 自己評価 (A〜D) checked against
 * the computation. 啓発講座 has an indicator with a target of 5回 for 2025; 相談窓口 has none.
 */
async function setup(request: APIRequestContext, name: string): Promise<Setup> {
  const f = await createMunicipality(request, name);
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const planId = await planWithSelfEvaluation(request, call, f);
  const node = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const projects: Record<string, number> = {};
  for (const [i, title] of ['啓発講座', '相談窓口'].entries()) {
    const p = (await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
      nodeId: node.node.id,
      number: String(i + 1),
      name: title,
      leadDepartmentId: f.departments['人権推進課'],
    })) as { project: { id: number } };
    projects[title] = p.project.id;
  }
  const indicator = (await call('post', `/api/m/${f.mid}/projects/${projects['啓発講座']}/indicators`, {
    name: '講座開催回数',
    unit: '回',
    kind: 'number',
    direction: 'higher',
    targets: [{ fiscalYear: 2025, text: '5回' }],
  })) as { indicator: { id: number } };
  const round = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId,
    fiscalYear: 2025,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: [f.departments['人権推進課']],
  })) as { round: { id: number } };
  return {
    ...f,
    planId,
    roundId: round.round.id,
    indicatorId: indicator.indicator.id,
    projects,
    sheetUrl: `/m/${f.mid}/rounds/${round.round.id}/departments/${f.departments['人権推進課']}`,
  };
}

/** The answers as the server holds them, read through the API as the coordinator. */
async function stored(request: APIRequestContext, f: Setup, project: string): Promise<StoredItem['record']> {
  const res = await request.get(`/api/m/${f.mid}/rounds/${f.roundId}/departments/${f.departments['人権推進課']}/sheet`);
  expect(res.ok()).toBe(true);
  const items = ((await res.json()) as { items: StoredItem[] }).items;
  const record = items.find((i) => i.project.name === project)!.record;
  // In one order, the slot's key first, to compare with what was entered.
  return { ...record, entries: record.entries.sort((a, b) => a.slotKey.localeCompare(b.slotKey)) };
}

const card = (page: Page, name: string) => page.getByRole('article', { name: new RegExp(name) });

test('a department sees the computed grade change as it types, changes it only with a reason, and the coordinator reviews it with its check', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const f = await setup(request, '評価入力市');
  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(page, f.editor);
  await page.goto(f.sheetUrl);
  const kouza = card(page, '啓発講座');
  const line = kouza.getByRole('row', { name: /講座開催回数/ });
  const computed = line.getByRole('cell').nth(4);
  await expect(kouza.getByRole('columnheader', { name: '評価', exact: true })).toBeVisible();
  await expect(computed).toContainText('未評価');
  await kouza.getByLabel('事業予定', { exact: true }).fill('講座を年5回開く');
  await kouza.getByLabel('実績・取組状況', { exact: true }).fill('講座を3回開いた');

  // The grade follows the actual as it is typed, with its basis in words and its meaning for screen readers.
  const actual = kouza.getByLabel('講座開催回数の今年度の実績');
  await actual.fill('5回');
  await expect(computed).toContainText('◎（目標を達成（達成度4・5））');
  await expect(computed).toContainText('達成率 100%');
  await actual.fill('3回');
  await expect(computed).toContainText('○（概ね達成（達成度3））');
  await expect(computed).toContainText('達成率 60%');
  await expect(kouza.getByText(/保存しました/)).toBeVisible();
  const afterActual = await stored(request, f, '啓発講座');
  expect(afterActual.actuals).toEqual([expect.objectContaining({ indicatorId: f.indicatorId, value: 3 })]);
  expect(afterActual.entries).toEqual([]);

  // Another grade without a reason: the message beside the field, and nothing is saved.
  const change = kouza.getByLabel('評価を変える（「講座開催回数」の評価）');
  await change.selectOption('◎');
  const reason = kouza.getByRole('textbox', { name: /評価を変える理由/ });
  await expect(reason).toBeVisible();
  await expect(reason).toHaveAccessibleDescription('計算（○）と異なる評価にする理由を入力してください');
  await expect(kouza.getByText('保存できませんでした。入力は画面に残っています')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('sheet-override-without-reason.png') });
  expect(await stored(request, f, '啓発講座')).toMatchObject({ version: afterActual.version, entries: [] });

  // With the reason the autosave stores the change.
  await reason.fill('年度末に追加の講座を開いた');
  await expect(kouza.getByText(/保存しました/)).toBeVisible();
  await expect(computed).toContainText('計算と異なる入力（計算では ○');
  await kouza.getByLabel('自己評価', { exact: true }).selectOption('A');
  await expect(kouza.getByText(/保存しました/)).toBeVisible();
  // The sheet warns of what the review will flag: A against a line computed at 60%. The grade is saved all the same.
  const checks = kouza.getByRole('status', { name: '回答の確認事項' });
  await expect(checks).toContainText('自己評価「A」は');
  await expect(checks).toContainText('（○（60%））と比べて高すぎる可能性があります');
  await actual.fill('5回');
  await expect(checks).toHaveText('');
  await actual.fill('3回');
  await expect(checks).toContainText('高すぎる可能性があります');
  await expect(kouza.getByText(/保存しました/)).toBeVisible();
  // An answer with no indicator takes a hand code on the answer itself.
  const soudan = card(page, '相談窓口');
  await soudan.getByLabel('事業予定', { exact: true }).fill('相談窓口を開く');
  await soudan.getByLabel('実績・取組状況', { exact: true }).fill('週5日開いた');
  await soudan.getByLabel('評価（活動指標がない事業）').selectOption('○');
  await soudan.getByLabel('自己評価', { exact: true }).selectOption('A');
  await expect(soudan.getByText(/保存しました/)).toBeVisible();
  await expect(page.getByText('未保存の変更があります')).toHaveCount(0);
  await expect(soudan.getByRole('status', { name: '回答の確認事項' })).toHaveText('');

  const line7 = { slotKey: 'grade', subjectKind: 'indicator', subjectId: f.indicatorId, comment: '' };
  const self = (project: string) => ({
    slotKey: 'self',
    subjectKind: 'record',
    subjectId: f.projects[project],
    code: 'A',
    reason: '',
    comment: '',
  });
  expect((await stored(request, f, '啓発講座')).entries).toEqual([
    { ...line7, code: '◎', reason: '年度末に追加の講座を開いた' },
    self('啓発講座'),
  ]);
  expect((await stored(request, f, '相談窓口')).entries).toEqual([
    { slotKey: 'grade', subjectKind: 'record', subjectId: f.projects['相談窓口'], code: '○', reason: '', comment: '' },
    self('相談窓口'),
  ]);

  // After a reload the change and its reason are still there, and the computation beside them.
  await page.reload();
  await expect(change).toHaveValue('◎');
  await expect(reason).toHaveValue('年度末に追加の講座を開いた');
  await expect(computed).toContainText('計算では ○');
  await expect(kouza.getByLabel('自己評価', { exact: true })).toHaveValue('A');
  await expect(soudan.getByLabel('評価（活動指標がない事業）')).toHaveValue('○');
  await expectNoViolations(page, 'sheet with evaluations');
  await page.screenshot({ path: test.info().outputPath('sheet-evaluations.png'), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(VIEWPORT.width);

  await page.getByRole('button', { name: /この課の回答を提出する（2件）/ }).click();
  await page.getByRole('dialog', { name: '2件の回答を提出します' }).getByRole('button', { name: '提出する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '提出しました' })).toBeVisible();
  expect((await stored(request, f, '啓発講座')).status).toBe('submitted');

  // The coordinator sees the grades and the one answer whose self-evaluation the computation contradicts.
  const coord = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(coord, f.coordinator);
  await coord.goto(`/m/${f.mid}/rounds/${f.roundId}/review`);
  const table = coord.getByRole('table', { name: '提出された回答の一覧' });
  const row = (project: string) => table.getByRole('row').filter({ hasText: project });
  await expect(row('啓発講座').locator('.c-grade')).toContainText('A（順調または目標達成）');
  await expect(row('啓発講座').locator('.c-grade')).toContainText('◎（目標を達成（達成度4・5））');
  await expect(row('啓発講座').locator('.c-checks')).toContainText('1件');
  await expect(row('啓発講座').locator('.c-checks')).toContainText('自己評価が計算と食い違う');
  await expect(row('相談窓口').locator('.c-checks')).toContainText('なし');
  await coord.getByRole('checkbox', { name: '確認事項あり' }).check();
  await expect(coord).toHaveURL(/checks=1/);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await row('啓発講座')
    .getByRole('button', { name: /啓発講座/ })
    .click();
  const detail = coord.getByRole('complementary', { name: '回答の詳細' });
  await expect(detail.getByRole('heading', { name: '確認事項（1件）' })).toBeVisible();
  await expect(detail).toContainText('自己評価「A」は評価の計算（○（60%））と比べて高すぎる可能性があります');
  const evaluations = detail.getByRole('table', { name: '評価' });
  const override = evaluations.getByRole('row', { name: /評価.*講座開催回数/ });
  await expect(override).toContainText('◎（目標を達成（達成度4・5））');
  await expect(override).toContainText('計算と異なる入力（計算では ○：達成率 60%）');
  await expect(override).toContainText('理由: 年度末に追加の講座を開いた');
  await expect(evaluations.getByRole('row', { name: /自己評価/ })).toContainText('A（順調または目標達成）');
  await expectNoViolations(coord, 'review with evaluations and checks');
  await coord.screenshot({ path: test.info().outputPath('review-checks.png') });
  await evaluations.scrollIntoViewIfNeeded();
  await coord.screenshot({ path: test.info().outputPath('review-evaluations.png') });
});
