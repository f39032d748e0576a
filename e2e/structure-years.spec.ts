import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD, type Fixture } from './support.js';

const Y = 2025;
const SHOTS = process.env.SCREENSHOT_DIR;

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

interface Setup extends Fixture {
  planId: number;
  nodes: Record<string, number>;
  projects: Record<string, number>;
  nextRoundId: number;
}

/**
 * 基本目標 (Ⅰ, Ⅱ) with two 施策 each (1–4, numbered through the plan) and a project under each 施策;
 * fiscal Y answered by 人権推進課, submitted, approved and closed (its numbers are now fixed);
 * fiscal Y+1 open.
 */
async function setup(request: APIRequestContext, name: string): Promise<Setup> {
  const f = await createMunicipality(request, name);
  let call = await apiLogin(request, f.coordinator, PASSWORD);
  const plan = (await call('post', `/api/m/${f.mid}/plans`, {
    title: `${name}男女共同参画プラン`,
    firstYear: 2021,
    lastYear: 2030,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const planId = plan.plan.id;
  const nodes: Record<string, number> = {};
  const node = async (title: string, parent?: string) => {
    nodes[title] = (
      (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, {
        title,
        parentId: parent ? nodes[parent] : null,
      })) as { node: { id: number } }
    ).node.id;
  };
  await node('意識づくり');
  await node('暴力の根絶');
  await node('広報による啓発', '意識づくり');
  await node('学習機会の提供', '意識づくり');
  await node('相談体制の充実', '暴力の根絶');
  await node('被害者の支援', '暴力の根絶');
  const projects: Record<string, number> = {};
  for (const [i, [title, measure]] of [
    ['啓発講座', '広報による啓発'],
    ['男女共同参画学習会', '学習機会の提供'],
    ['女性相談', '相談体制の充実'],
    ['一時保護の連携', '被害者の支援'],
  ].entries()) {
    const p = (await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
      nodeId: nodes[measure!],
      number: String(i + 1),
      name: title,
      leadDepartmentId: f.departments['人権推進課'],
    })) as { project: { id: number } };
    projects[title!] = p.project.id;
  }
  const dept = f.departments['人権推進課']!;
  const round = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId,
    fiscalYear: Y,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: [dept],
  })) as { round: { id: number } };

  const editor = await apiLogin(request, f.editor, PASSWORD);
  const sheet = (await (
    await request.get(`/api/m/${f.mid}/rounds/${round.round.id}/departments/${dept}/sheet`)
  ).json()) as { items: { project: { id: number; name: string }; record: { id: number; version: number } }[] };
  expect(sheet.items).toHaveLength(4);
  for (const item of sheet.items)
    await editor('put', `/api/m/${f.mid}/records/${item.record.id}`, {
      version: item.record.version,
      planText: `${item.project.name}を実施する`,
      resultText: `${item.project.name}を実施した`,
      entries: [{ slotKey: 'self', subjectKind: 'record', subjectId: item.project.id, code: 'A' }],
    });
  await editor('post', `/api/m/${f.mid}/rounds/${round.round.id}/departments/${dept}/submit`);

  call = await apiLogin(request, f.coordinator, PASSWORD);
  await call('post', `/api/m/${f.mid}/rounds/${round.round.id}/departments/${dept}/approve`);
  await call('post', `/api/m/${f.mid}/rounds/${round.round.id}/close`);
  const next = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId,
    fiscalYear: Y + 1,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: [dept],
  })) as { round: { id: number } };
  await request.post('/api/auth/logout', {
    headers: {
      'x-csrf-token': ((await (await request.get('/api/session')).json()) as { csrfToken: string }).csrfToken,
    },
  });
  return { ...f, planId, nodes, projects, nextRoundId: next.round.id };
}

interface StoredPlan {
  plan: { currentYear: number | null };
  nodes: {
    id: number;
    title: string;
    number: string;
    startYear: number | null;
    countsInNumbering: boolean;
    archived: boolean;
  }[];
  projects: { id: number; name: string; startYear: number | null; endYear: number | null; archived: boolean }[];
}

async function storedPlan(page: Page, f: Setup): Promise<StoredPlan> {
  const res = await page.request.get(`/api/m/${f.mid}/plans/${f.planId}`);
  expect(res.ok()).toBe(true);
  return (await res.json()) as StoredPlan;
}

const numbersByTitle = (plan: StoredPlan) => Object.fromEntries(plan.nodes.map((n) => [n.title, n.number]));

/** Year Y's narrative report as JSON, the way the 報告 screen and the CLI read it. */
async function report(page: Page, f: Setup, year: number): Promise<unknown> {
  const res = await page.request.get(
    `/api/m/${f.mid}/report?planId=${f.planId}&fiscalYear=${year}&layout=narrative-status`,
  );
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { document: unknown }).document;
}

/** The node paths a report prints on its rows (「Ⅰ 意識づくり › 1 広報による啓発」), sorted. */
function printedPaths(document: unknown): string[] {
  const rows = (document as { sheets: { rows: { path?: string[] }[] }[] }).sheets.flatMap((s) => s.rows);
  return [...new Set(rows.filter((r) => r.path).map((r) => r.path!.join(' › ')))].sort();
}

async function sheetProjects(page: Page, f: Setup): Promise<string[]> {
  const res = await page.request.get(
    `/api/m/${f.mid}/rounds/${f.nextRoundId}/departments/${f.departments['人権推進課']}/sheet`,
  );
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { items: { project: { name: string } }[] }).items.map((i) => i.project.name);
}

const tree = (page: Page) => page.getByRole('tree');
const item = (page: Page, name: string | RegExp) => tree(page).getByRole('treeitem', { name });
/** The plan editor's toast: what the last change did, on screen. */
const toast = (page: Page) => page.getByRole('group', { name: 'お知らせ' });

test('adding to a year whose numbers are in use keeps the past: append instead of renumbering, years on projects, archive instead of delete', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const f = await setup(request, '年度市');
  await page.setViewportSize({ width: 1366, height: 768 });
  await loginThroughUi(page, f.coordinator);
  const reportBefore = await report(page, f, Y);
  expect(JSON.stringify(reportBefore)).toContain('相談体制の充実');
  expect((await storedPlan(page, f)).plan.currentYear).toBe(Y + 1);

  await page.goto(`/m/${f.mid}/plans/${f.planId}`);
  await item(page, /意識づくり/).click();
  await page.getByRole('button', { name: '施策を追加', exact: true }).click();
  await page.getByLabel('施策の名称').fill('DV予防教育の推進');
  // The new 施策 starts in the year being worked on, and the form says what that means.
  await expect(page.getByLabel('開始年度')).toHaveValue(String(Y + 1));
  await expect(
    page.getByText('令和8年度から計画期間の終わりまで。令和7年度以前のシートと報告には表示されません。'),
  ).toBeVisible();
  await shot(page, 'editor-new-node');
  await page.getByRole('button', { name: '追加する' }).click();

  // Added at the end of Ⅰ it would push 相談体制の充実 and 被害者の支援 (3, 4) on by one.
  const dialog = page.getByRole('dialog', { name: '施策「DV予防教育の推進」を追加すると、2件の番号が変わります' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(
    '令和8年度以降の番号が次のように変わります。令和7年度までの番号（回答や報告に使った番号）は変わりません。',
  );
  const changes = dialog.getByRole('list', { name: '変わる番号' }).getByRole('listitem');
  await expect(changes).toHaveText(['施策 3 相談体制の充実 → 4', '施策 4 被害者の支援 → 5']);
  await expectNoViolations(page, 'the numbering dialog');
  await shot(page, 'editor-numbering-dialog');
  await dialog.getByRole('button', { name: '番号を変えずに追加する（末尾の番号を付ける）' }).click();
  await expect(dialog).toBeHidden();

  await expect(
    page
      .getByRole('status')
      .filter({ hasText: '「DV予防教育の推進」を番号 5 で追加しました。ほかの項目の番号は変わりません' }),
  ).toBeVisible();
  await expect(item(page, /5 DV予防教育の推進/)).toContainText('令和8年度〜');
  const afterAdd = await storedPlan(page, f);
  expect(numbersByTitle(afterAdd)).toEqual({
    意識づくり: 'Ⅰ',
    暴力の根絶: 'Ⅱ',
    広報による啓発: '1',
    学習機会の提供: '2',
    相談体制の充実: '3',
    被害者の支援: '4',
    DV予防教育の推進: '5',
  });
  expect(afterAdd.nodes.find((n) => n.title === 'DV予防教育の推進')).toMatchObject({
    startYear: Y + 1,
    countsInNumbering: false,
  });

  // Year Y's report is exactly what it was: no new 施策, the same numbers.
  const reportAfter = await report(page, f, Y);
  expect(JSON.stringify(reportAfter)).not.toContain('DV予防教育の推進');
  expect(reportAfter).toEqual(reportBefore);

  // A project added now starts in Y+1: on that year's sheet, not in year Y's report.
  await expect(page.getByRole('heading', { name: /施策 5 DV予防教育の推進/ })).toBeVisible();
  await page.getByRole('button', { name: '事業を追加' }).click();
  await page.getByLabel('事業名').fill('デートDV防止講座');
  await page.getByLabel('主担当課').selectOption({ label: '人権推進課' });
  await expect(page.getByLabel('開始年度')).toHaveValue(String(Y + 1));
  await page.getByLabel('開始年度').scrollIntoViewIfNeeded();
  await shot(page, 'editor-new-project');
  await page.getByRole('button', { name: '追加する' }).click();
  await expect(item(page, /デートDV防止講座/)).toContainText('令和8年度〜');
  const added = (await storedPlan(page, f)).projects.find((p) => p.name === 'デートDV防止講座');
  expect(added).toMatchObject({ startYear: Y + 1, endYear: null, archived: false });
  expect(JSON.stringify(await report(page, f, Y))).not.toContain('デートDV防止講座');
  expect(await sheetProjects(page, f)).toContain('デートDV防止講座');

  // Deleting a project answered in year Y archives it: gone from the tree, kept in year Y's report.
  await item(page, /啓発講座/).click();
  await page.getByRole('button', { name: 'この事業を削除' }).click();
  const confirm = page.getByRole('dialog', { name: '事業1「啓発講座」を削除します' });
  await expect(confirm).toContainText('回答のある事業は削除せずにアーカイブします');
  await shot(page, 'editor-delete-confirm');
  await confirm.getByRole('button', { name: '削除する' }).click();
  // The editor's toast says what a change did (its live region says the same to screen readers).
  const archivedMessage = toast(page).getByText(
    '事業1「啓発講座」は回答があるため削除せずアーカイブしました。過去の年度の報告には残り、いつでも復元できます',
  );
  await expect(archivedMessage).toBeVisible();
  await expect(item(page, /啓発講座/)).toHaveCount(0);
  expect((await storedPlan(page, f)).projects.find((p) => p.id === f.projects['啓発講座'])).toMatchObject({
    archived: true,
    endYear: Y,
  });
  expect(JSON.stringify(await report(page, f, Y))).toContain('啓発講座');
  expect(await sheetProjects(page, f)).not.toContain('啓発講座');

  const archive = page.getByRole('group').filter({ has: page.getByText('アーカイブ（1件）') });
  await page.getByText('アーカイブ（1件）').click();
  const entry = archive.getByRole('listitem').filter({ hasText: '啓発講座' });
  await expect(entry).toContainText('令和7年度まで');
  await shot(page, 'editor-archive');
  await expectNoViolations(page, 'the editor with its archive open');
  await entry.getByRole('button', { name: '事業「啓発講座」を復元' }).click();
  await expect(toast(page).getByText('事業1「啓発講座」を復元しました')).toBeVisible();
  await expect(item(page, /啓発講座/)).toBeVisible();
  expect((await storedPlan(page, f)).projects.find((p) => p.id === f.projects['啓発講座'])).toMatchObject({
    archived: false,
    endYear: null,
  });
  expect(await sheetProjects(page, f)).toContain('啓発講座');
});

test('moving a 施策 by keyboard asks first: stop, renumber the current year only, or keep every number', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const f = await setup(request, '移動市');
  await page.setViewportSize({ width: 1366, height: 768 });
  await loginThroughUi(page, f.coordinator);
  const reportBefore = await report(page, f, Y);
  await page.goto(`/m/${f.mid}/plans/${f.planId}`);
  const order = async () =>
    (await tree(page).getByRole('treeitem').allInnerTexts())
      .map((t) => t.replace(/\s+/g, ' ').trim())
      .filter((t) => t.includes('施策'));
  const changes = (name: string) =>
    page.getByRole('dialog', { name }).getByRole('list', { name: '変わる番号' }).getByRole('listitem');

  // Alt+↓ on 広報による啓発 (1) puts it after 学習機会の提供 (2): both would change. Stopping changes nothing.
  await item(page, /広報による啓発/).click();
  await page.keyboard.press('Alt+ArrowDown');
  const down = '施策「広報による啓発」を移動すると、2件の番号が変わります';
  await expect(changes(down)).toHaveText(['施策 1 広報による啓発 → 2', '施策 2 学習機会の提供 → 1']);
  await shot(page, 'editor-move-dialog');
  await page.getByRole('dialog', { name: down }).getByRole('button', { name: 'やめる' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(item(page, /広報による啓発/)).toBeFocused();
  expect(numbersByTitle(await storedPlan(page, f))).toMatchObject({ 広報による啓発: '1', 学習機会の提供: '2' });

  // Again, renumbering: Y+1 follows the new order.
  await page.keyboard.press('Alt+ArrowDown');
  await page.getByRole('dialog', { name: down }).getByRole('button', { name: '番号を振り直す' }).click();
  await expect(toast(page).getByText('「広報による啓発」を移動し、番号を振り直しました')).toBeVisible();
  await expect
    .poll(order)
    .toEqual([
      '▾ 施策 1 学習機会の提供',
      '▾ 施策 2 広報による啓発',
      '▾ 施策 3 相談体制の充実',
      '▾ 施策 4 被害者の支援',
    ]);
  expect(numbersByTitle(await storedPlan(page, f))).toMatchObject({
    広報による啓発: '2',
    学習機会の提供: '1',
    相談体制の充実: '3',
  });
  // Year Y prints the numbers it was answered with. (Its rows follow today's order: the server keeps
  // one order for all years, so only the numbers, not the order, are compared here.)
  expect(printedPaths(await report(page, f, Y))).toEqual(printedPaths(reportBefore));
  expect(printedPaths(reportBefore)).toContain('Ⅰ 意識づくり › 1 広報による啓発');

  // Back up, keeping every number this time: both keep the numbers they have now.
  await expect(item(page, /広報による啓発/)).toBeFocused();
  await page.keyboard.press('Alt+ArrowUp');
  const up = '施策「広報による啓発」を移動すると、2件の番号が変わります';
  await expect(changes(up)).toHaveText(['施策 1 学習機会の提供 → 2', '施策 2 広報による啓発 → 1']);
  await page.getByRole('dialog', { name: up }).getByRole('button', { name: '番号を変えずに移動する' }).click();
  await expect(toast(page).getByText('「広報による啓発」を移動しました。ほかの項目の番号は変わりません')).toBeVisible();
  await expect
    .poll(order)
    .toEqual([
      '▾ 施策 2 広報による啓発',
      '▾ 施策 1 学習機会の提供',
      '▾ 施策 3 相談体制の充実',
      '▾ 施策 4 被害者の支援',
    ]);
  const kept = await storedPlan(page, f);
  expect(numbersByTitle(kept)).toMatchObject({
    広報による啓発: '2',
    学習機会の提供: '1',
    相談体制の充実: '3',
    被害者の支援: '4',
  });

  // Year Y, answered and approved, reads as it did before any of this.
  expect(await report(page, f, Y)).toEqual(reportBefore);
});

test('plans with rounds are archived, not deleted; archived plans are hidden until asked for, and come back', async ({
  page,
  request,
}) => {
  const f = await createMunicipality(request, '保管市');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const levels = [
    { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
    { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
  ];
  const used = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '第1次保管市プラン',
    firstYear: 2016,
    lastYear: 2025,
    levels,
  })) as { plan: { id: number } };
  const empty = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '下書きプラン',
    firstYear: 2026,
    lastYear: 2030,
    levels,
  })) as { plan: { id: number } };
  const round = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId: used.plan.id,
    fiscalYear: 2025,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: [f.departments['人権推進課']],
  })) as { round: { id: number } };
  await page.setViewportSize({ width: 1366, height: 768 });
  await loginThroughUi(page, f.coordinator);
  const summaries = async () =>
    ((await (await page.request.get(`/api/m/${f.mid}/plans`)).json()) as { plans: { id: number; archived: boolean }[] })
      .plans;
  await page.getByRole('link', { name: '計画', exact: true }).click();
  const rows = page.getByRole('table', { name: '登録されている計画' }).getByRole('row');

  // Delete is refused while the plan has rounds; the dialog says why and offers to archive.
  await page.getByRole('button', { name: '「第1次保管市プラン」を削除' }).click();
  await page
    .getByRole('dialog', { name: '「第1次保管市プラン」を削除します' })
    .getByRole('button', { name: '削除する' })
    .click();
  const refused = page.getByRole('dialog', { name: '「第1次保管市プラン」は削除できません' });
  await expect(refused.getByRole('alert')).toContainText(
    '照会と回答があるため削除できません。使わなくなった計画はアーカイブしてください',
  );
  await shot(page, 'plans-delete-refused');
  await expectNoViolations(page, 'the plan list with the refusal');
  // Archiving is refused too while its round takes answers.
  await refused.getByRole('button', { name: '代わりにアーカイブする' }).click();
  await expect(refused.getByRole('alert').last()).toContainText('回答受付中の照会があるためアーカイブできません');
  await refused.getByRole('button', { name: 'やめる' }).click();
  expect((await summaries()).find((p) => p.id === used.plan.id)).toMatchObject({ archived: false });

  await call('post', `/api/m/${f.mid}/rounds/${round.round.id}/close`);
  await page.getByRole('button', { name: '「第1次保管市プラン」をアーカイブ' }).click();
  await page
    .getByRole('dialog', { name: '「第1次保管市プラン」をアーカイブします' })
    .getByRole('button', { name: 'アーカイブする' })
    .click();
  await expect(page.getByText('「第1次保管市プラン」をアーカイブしました')).toBeVisible();
  await expect(rows.filter({ hasText: '第1次保管市プラン' })).toHaveCount(0);
  expect((await summaries()).find((p) => p.id === used.plan.id)).toMatchObject({ archived: true });

  await page.getByLabel(/アーカイブした計画も表示/).check();
  await expect(rows.filter({ hasText: '第1次保管市プラン' })).toContainText('アーカイブ済み');
  await shot(page, 'plans-archived-shown');
  await expectNoViolations(page, 'the plan list with archived plans');

  // The archived plan opens read only.
  await rows.filter({ hasText: '第1次保管市プラン' }).getByRole('link').click();
  await expect(page.getByText('この計画はアーカイブされています')).toBeVisible();
  await expect(page.getByRole('button', { name: '基本目標を追加' })).toHaveCount(0);
  await shot(page, 'editor-archived-plan');
  await page.goBack();

  await page.getByLabel(/アーカイブした計画も表示/).check();
  await page.getByRole('button', { name: '「第1次保管市プラン」を復元' }).click();
  await page
    .getByRole('dialog', { name: '「第1次保管市プラン」を復元します' })
    .getByRole('button', { name: '復元する' })
    .click();
  await expect(page.getByText('「第1次保管市プラン」を復元しました')).toBeVisible();
  expect((await summaries()).find((p) => p.id === used.plan.id)).toMatchObject({ archived: false });

  // A plan never asked about is simply deleted.
  await page.getByRole('button', { name: '「下書きプラン」を削除' }).click();
  await page
    .getByRole('dialog', { name: '「下書きプラン」を削除します' })
    .getByRole('button', { name: '削除する' })
    .click();
  await expect(page.getByText('「下書きプラン」を削除しました')).toBeVisible();
  expect((await summaries()).some((p) => p.id === empty.plan.id)).toBe(false);
});
