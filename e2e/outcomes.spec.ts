import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { IndicatorDto, OutcomeYearDto } from '../src/domain/api-types.js';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD, type Fixture } from './support.js';

const VIEWPORT = { width: 1366, height: 768 };

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

async function expectFits(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal overflow on ${what}`).toBeLessThanOrEqual(0);
}

/** A plan judged against the year's target and the year before, a 基本目標 with one project, and a round for 2024. */
async function setup(request: APIRequestContext, f: Fixture) {
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const plan = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '成果市プラン',
    firstYear: 2023,
    lastYear: 2027,
    evaluationPreset: 'dual-target-trend',
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const planId = plan.plan.id;
  const goal = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: 'あらゆる分野への参画' })) as {
    node: { id: number };
  };
  const measure = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, {
    title: '審議会等への登用',
    parentId: goal.node.id,
  })) as { node: { id: number } };
  await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
    nodeId: measure.node.id,
    number: '1',
    name: '女性委員の登用促進',
    leadDepartmentId: f.departments['人権推進課'],
  });
  const round = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId,
    fiscalYear: 2024,
    phase: 'end',
    deadline: '2025-04-30',
    departmentIds: [f.departments['人権推進課']],
  })) as { round: { id: number } };
  return { planId, goal: goal.node.id, roundId: round.round.id, call };
}

test('the coordinator gives a 基本目標 an indicator, its department reports the actual on its sheet, and the council reads it evaluated', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const f = await createMunicipality(request, '成果指標市');
  const s = await setup(request, f);
  const human = f.departments['人権推進課']!;
  const stored = async () => {
    await apiLogin(request, f.coordinator, PASSWORD);
    const res = await request.get(`/api/m/${f.mid}/plans/${s.planId}/years/2024/outcome-indicators`);
    return (await res.json()) as OutcomeYearDto;
  };

  // The coordinator defines it on the 基本目標; the department is asked for beside its field.
  const coord = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(coord, f.coordinator);
  await coord.goto(`/m/${f.mid}/plans/${s.planId}`);
  await coord
    .getByRole('treeitem', { name: /あらゆる分野への参画/ })
    .first()
    .click();
  const section = coord.getByRole('region', { name: '成果指標' });
  await section.getByRole('button', { name: '成果指標を追加' }).click();
  await section.getByLabel('指標名').fill('審議会等における女性委員の割合');
  await section.getByLabel('単位').fill('%');
  await section.getByLabel('現状値', { exact: true }).fill('30');
  await section.getByLabel('最終目標').fill('40');
  await section.getByLabel('R6（2024）').fill('35');
  await section.getByRole('button', { name: '追加する' }).click();
  const deptField = section.getByLabel('実績を報告する課');
  await expect(deptField).toHaveAccessibleDescription(/実績を報告する課を選んでください/);
  await deptField.selectOption({ label: '人権推進課' });
  await section.getByRole('button', { name: '追加する' }).click();
  // Saved, the form closes (its error summary and target readings with it) and the list shows the indicator.
  await expect(section.getByRole('button', { name: '追加する' })).toHaveCount(0);
  await expect(section.getByRole('listitem')).toContainText('審議会等における女性委員の割合（%・');
  await expect(section.getByRole('listitem')).toContainText('人権推進課が報告');
  await expectFits(coord, 'the plan editor');
  await coord.screenshot({ path: test.info().outputPath('plan-editor-outcomes.png') });
  await expectNoViolations(coord, 'the plan editor with a 成果指標');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const list = await request.get(`/api/m/${f.mid}/plans/${s.planId}/outcome-indicators`);
  const defined = ((await list.json()) as { indicators: IndicatorDto[] }).indicators;
  expect(defined).toEqual([
    expect.objectContaining({
      nodeId: s.goal,
      projectId: null,
      departmentId: human,
      name: '審議会等における女性委員の割合',
    }),
  ]);
  const indicatorId = defined[0]!.id;
  await call('put', `/api/m/${f.mid}/indicators/${indicatorId}/actuals/2023`, { text: '33', readText: '' });

  // The department enters the year's actual on its sheet, corrects it, and finds it there after a reload.
  const dept = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(dept, f.editor);
  await dept.goto(`/m/${f.mid}/rounds/${s.roundId}/departments/${human}`);
  const mine = dept.getByRole('region', { name: 'この課が報告する成果指標' });
  const row = mine.getByRole('row', { name: /審議会等における女性委員の割合/ });
  await expect(row).toContainText('33%');
  const actual = row.getByLabel('審議会等における女性委員の割合の令和6年度の実績');
  await actual.fill('三十六');
  await row.getByRole('button', { name: '保存' }).click();
  await expect(actual).toHaveAttribute('aria-invalid', 'true');
  await expect(actual).toHaveAccessibleDescription(/審議会等における女性委員の割合の実績/);
  expect((await stored()).lines[0]!.actual.text).toBe('');
  await actual.fill('36.5');
  await row.getByRole('button', { name: '保存' }).click();
  await expect(row).toContainText('達成');
  await expect(row).toContainText('改善');
  await actual.fill('34');
  await row.getByRole('button', { name: '保存' }).click();
  await expect(row.getByRole('cell').nth(5)).toContainText('未達成');
  // Typed without its unit, the number is kept with it.
  await dept.reload();
  await expect(mine.getByRole('row', { name: /審議会等における女性委員の割合/ }).getByRole('textbox')).toHaveValue(
    '34%',
  );
  await expectFits(dept, 'the sheet');
  await expectNoViolations(dept, 'the sheet with a 成果指標');
  await dept.screenshot({ path: test.info().outputPath('sheet-outcomes.png'), fullPage: true });
  const line = (await stored()).lines[0]!;
  expect(line.actual.text).toBe('34%');
  expect(line.values.target!.code).toBe('未達成');
  expect(line.values.trend!.code).toBe('改善');

  // The council reads it, evaluated, on the node evaluation screen, and cannot change it.
  const council = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(council, f.council);
  await council.goto(`/m/${f.mid}/evaluations/${s.planId}/2024`);
  const read = council.getByRole('region', { name: '施策・計画全体の成果指標' });
  const councilRow = read.getByRole('row', { name: /審議会等における女性委員の割合/ });
  await expect(councilRow).toContainText('34%');
  await expect(councilRow).toContainText('未達成');
  await expect(councilRow).toContainText('Ⅰ あらゆる分野への参画');
  await expect(councilRow.getByRole('textbox')).toHaveCount(0);
  await expectFits(council, 'the node evaluation screen');
  await expectNoViolations(council, 'the node evaluation screen with a 成果指標');
  await council.screenshot({ path: test.info().outputPath('node-outcomes.png'), fullPage: true });
});
