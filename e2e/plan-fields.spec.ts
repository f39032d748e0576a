import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { PlanDetail, Sheet } from '../src/domain/api-types.js';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD } from './support.js';

const VIEWPORT = { width: 1366, height: 768 };

async function expectClean(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal overflow on ${what}`).toBeLessThanOrEqual(0);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

test('the coordinator gives the plan its own 区分 and fields, fills a project’s, and a department enters its answer’s', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const f = await createMunicipality(request, '項目市');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const created = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '項目市プラン',
    firstYear: 2023,
    lastYear: 2027,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const planId = created.plan.id;
  const goal = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
    nodeId: goal.node.id,
    number: '1',
    name: '啓発講座',
    leadDepartmentId: f.departments['人権推進課'],
  });
  const round = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId,
    fiscalYear: 2024,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: [f.departments['人権推進課']],
  })) as { round: { id: number } };
  const stored = async (): Promise<PlanDetail> => {
    await apiLogin(request, f.coordinator, PASSWORD);
    return (await (await request.get(`/api/m/${f.mid}/plans/${planId}`)).json()) as PlanDetail;
  };

  // 計画の設定: a 区分 of the plan's own and two fields, one on projects, one on the answers.
  const coord = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(coord, f.coordinator);
  await coord.goto(`/m/${f.mid}/plans/${planId}`);
  await coord.getByRole('button', { name: '計画の設定', exact: true }).click();
  const categories = coord.getByRole('group', { name: '区分' });
  await categories.getByRole('button', { name: '区分を追加' }).click();
  await categories.getByRole('textbox', { name: '区分5' }).fill('変更');
  await categories.getByRole('checkbox', { name: /区分4を\s?集計に数える/ }).uncheck();
  const fields = coord.getByRole('group', { name: '追加の項目' });
  await fields.getByRole('button', { name: '項目を追加' }).click();
  await fields.getByLabel('項目名').nth(0).fill('予算額');
  await fields.getByLabel('種類').nth(0).selectOption({ label: '金額' });
  await fields.getByLabel('単位').nth(0).fill('千円');
  await fields.getByRole('button', { name: '項目を追加' }).click();
  await fields.getByLabel('項目名').nth(1).fill('参加者数');
  await fields.getByLabel('入力する場所').nth(1).selectOption({ label: '各課の回答ごと（毎年入力）' });
  await fields.getByLabel('種類').nth(1).selectOption({ label: '数値（単位つき）' });
  await fields.getByLabel('単位').nth(1).fill('人');
  // The second level's number heading, as the plan's own reports print it over the number column.
  const heading = coord.getByRole('textbox', { name: /第2階層の\s?番号の列見出し/ });
  await expect(heading).toHaveAttribute('placeholder', '施策No.');
  await heading.fill('施策 No.');
  await expectClean(coord, 'plan settings with the 区分 list and extra fields');
  await coord.screenshot({ path: 'test-results/plan-fields-settings.png', fullPage: false });
  await coord.getByRole('button', { name: '計画の設定を保存' }).click();
  await expect.poll(async () => (await stored()).plan.customFields.length).toBe(2);
  const plan = await stored();
  expect(plan.plan.categories).toEqual([
    { code: '新規', counted: true },
    { code: '継続', counted: true },
    { code: '充実', counted: true },
    { code: '見直し', counted: false },
    { code: '変更', counted: true },
  ]);
  expect(plan.plan.customFields.map((x) => [x.label, x.on, x.type, x.unit])).toEqual([
    ['予算額', 'project', 'money', '千円'],
    ['参加者数', 'record', 'number', '人'],
  ]);
  expect(plan.levels.map((l) => l.numberHeading)).toEqual(['', '施策 No.']);
  // Keys are given by the screen, once, and stay (files and layouts name fields by them).
  const [budgetKey, participantsKey] = plan.plan.customFields.map((x) => x.key);
  expect(budgetKey).not.toBe(participantsKey);

  // The project: the new 区分 and its amount; a value that is not a number is refused beside its field.
  await coord.reload();
  await coord.getByRole('button', { name: '計画の設定', exact: true }).click();
  await expect(coord.getByRole('textbox', { name: /第2階層の\s?番号の列見出し/ })).toHaveValue('施策 No.');
  await coord.getByRole('treeitem', { name: /啓発講座/ }).click();
  await coord.getByLabel('区分').selectOption('変更');
  const budget = coord.getByLabel('予算額（千円）');
  await budget.fill('千五百');
  await coord.getByRole('button', { name: '保存する', exact: true }).click();
  const refusal = '予算額は数値で入力してください（「千五百」は数値として読めません）';
  // Beside the field, and as a link in the summary that takes the cursor there.
  await expect(coord.locator('p.field-error', { hasText: refusal })).toBeVisible();
  await expect(budget).toHaveAttribute('aria-invalid', 'true');
  await coord.getByRole('link', { name: refusal }).click();
  await expect(budget).toBeFocused();
  expect((await stored()).projects[0]!.custom).toEqual({});
  await budget.fill('1,500');
  await coord.getByRole('button', { name: '保存する', exact: true }).click();
  await expect.poll(async () => (await stored()).projects[0]!.custom).toEqual({ [budgetKey!]: 1500 });
  expect((await stored()).projects[0]!.category).toBe('変更');
  await coord.reload();
  await coord.getByRole('treeitem', { name: /啓発講座/ }).click();
  await expect(coord.getByLabel('予算額（千円）')).toHaveValue('1500');
  await expect(coord.getByLabel('区分')).toHaveValue('変更');

  // The department sees the project's amount and enters the answer's count; a refusal stays beside the field.
  const editor = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(editor, f.editor);
  const sheetUrl = `/m/${f.mid}/rounds/${round.round.id}/departments/${f.departments['人権推進課']}`;
  await editor.goto(sheetUrl);
  const card = editor.getByRole('article', { name: /啓発講座/ });
  await expect(card.getByText('1,500千円')).toBeVisible();
  const participants = card.getByLabel('参加者数（人）');
  await participants.fill('四十');
  await expect(card.getByText('参加者数は数値で入力してください（「四十」は数値として読めません）')).toBeVisible();
  await participants.fill('40人');
  await expect(card.getByText(/保存しました/)).toBeVisible();
  const record = async () => {
    await apiLogin(request, f.coordinator, PASSWORD);
    const url = `/api/m/${f.mid}/rounds/${round.round.id}/departments/${f.departments['人権推進課']}/sheet`;
    const sheet = (await (await request.get(url)).json()) as Sheet;
    return sheet.items[0]!.record;
  };
  expect((await record()).custom).toEqual({ [participantsKey!]: 40 });
  // Typing on elsewhere and reloading keeps the count.
  await card.getByLabel('実績・取組状況', { exact: true }).fill('講座を4回開いた');
  await expect(card.getByText(/保存しました/)).toBeVisible();
  await editor.reload();
  await expect(editor.getByRole('article', { name: /啓発講座/ }).getByLabel('参加者数（人）')).toHaveValue('40');
  expect(await record()).toMatchObject({ custom: { [participantsKey!]: 40 }, resultText: '講座を4回開いた' });
  await expectClean(editor, 'the sheet with an extra field');
  await editor.screenshot({ path: 'test-results/plan-fields-sheet.png', fullPage: false });
});
