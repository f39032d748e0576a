import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiLogin, createMunicipality, FIRST_PASSWORD, loginThroughUi, PASSWORD } from './support.js';

/** The fiscal year now (April–March, in Japan), whatever the machine's time zone: the server runs on the real clock. */
function fiscalYearNow(): number {
  const jst = new Date(Date.now() + 9 * 3600_000);
  return jst.getUTCMonth() >= 3 ? jst.getUTCFullYear() : jst.getUTCFullYear() - 1;
}
const reiwa = (year: number) => `令和${year - 2018}年度`;

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

interface Dept {
  id: number;
  name: string;
  activeFrom: number | null;
  activeTo: number | null;
}
interface Reorg {
  id: number;
  status: string;
  effectiveYear: number;
  note: string;
  from: { id: number; name: string }[];
  to: { id: number; name: string }[];
  pendingUsers: number;
  pendingProjects: number;
}
interface ProjectRow {
  id: number;
  name: string;
  leadDepartmentId: number | null;
  coDepartmentIds: number[];
}

/** What the server holds, read through the API as the coordinator (the request context is logged in as them). */
async function read<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url);
  expect(res.ok(), `GET ${url}: ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}
const departments = (request: APIRequestContext, mid: number) =>
  read<{ departments: Dept[] }>(request, `/api/m/${mid}/departments`).then((r) => r.departments);
const reorganisations = (request: APIRequestContext, mid: number) =>
  read<{ reorganisations: Reorg[] }>(request, `/api/m/${mid}/departments/reorganisations`).then(
    (r) => r.reorganisations,
  );
const users = (request: APIRequestContext) =>
  read<{ users: { loginName: string; departmentId: number | null }[] }>(request, '/api/users').then((r) => r.users);
const projects = (request: APIRequestContext, mid: number, planId: number) =>
  read<{ projects: ProjectRow[] }>(request, `/api/m/${mid}/plans/${planId}`).then((r) =>
    r.projects.map((p) => ({ name: p.name, lead: p.leadDepartmentId, co: p.coDepartmentIds })),
  );

test('a merge registered for next year moves nothing until a round of that year opens, and can be changed and cancelled before', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const thisYear = fiscalYearNow();
  const next = thisYear + 1;
  const f = await createMunicipality(request, '再編市');
  const jinken = f.departments['人権推進課']!;
  const gakko = f.departments['学校教育課']!;
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  // A plan with projects of both 課, an editor in each (made by createMunicipality), and this year's round open.
  const plan = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '再編市男女共同参画プラン',
    firstYear: 2021,
    lastYear: 2035,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const planId = plan.plan.id;
  const node = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
    nodeId: node.node.id,
    number: '1',
    name: '啓発講座',
    leadDepartmentId: jinken,
    coDepartmentIds: [gakko],
  });
  await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
    nodeId: node.node.id,
    number: '2',
    name: '人権教育研修',
    leadDepartmentId: gakko,
  });
  // 総務課 is abolished at the end of this year: a choice for a change this year, not for one next year.
  await call('patch', `/api/m/${f.mid}/departments/${f.departments['総務課']}`, { activeTo: thisYear });
  const round = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId,
    fiscalYear: thisYear,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: [jinken, gakko],
  })) as { round: { id: number } };
  const projectsBefore = await projects(request, f.mid, planId);
  expect(projectsBefore).toEqual([
    { name: '啓発講座', lead: jinken, co: [gakko] },
    { name: '人権教育研修', lead: gakko, co: [] },
  ]);
  const usersBefore = await users(request);

  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '組織' }).click();
  const form = page.locator('form', { has: page.getByRole('heading', { name: '組織変更を登録' }) });
  const picker = form.getByRole('group', { name: '組織変更前の課' });

  // A chosen 課 that stops being a choice when another year is typed is cleared, not kept out of sight.
  await form.getByLabel('変更後の課が始まる年度').fill(String(thisYear));
  await picker.getByLabel('総務課').check();
  await expect(picker.getByText('1件選択中')).toBeVisible();
  await form.getByLabel('変更後の課が始まる年度').fill(String(next));
  await expect(picker.getByLabel('総務課')).toHaveCount(0);
  await expect(picker.getByText('0件選択中')).toBeVisible();
  await expect(
    form.getByText(`「総務課」は${reiwa(next)}からの組織変更には選べないため選択を外しました`),
  ).toBeVisible();
  await form.getByLabel('変更後の課が始まる年度').fill(String(thisYear));
  await expect(picker.getByLabel('総務課')).not.toBeChecked();
  await form.getByLabel('変更後の課が始まる年度').fill(String(next));

  // A merge of one 課 without its new name: each error sits beside its field.
  await form.getByLabel('種類').selectOption({ label: '統合' });
  await picker.getByLabel('人権推進課').check();
  await form.getByRole('button', { name: '組織変更を登録する' }).click();
  await expect(form.getByLabel(/組織変更後の課名/)).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel(/組織変更後の課名/)).toHaveAccessibleDescription(/入力してください/);
  await expect(picker).toHaveAccessibleDescription(/統合では組織変更前の課を2つ以上選んでください/);
  await picker.getByLabel('学校教育課').check();
  await expectNoViolations(page, 'the reorganisation form with a field error');
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/reorg-form-error.png' });

  await form.getByLabel(/組織変更後の課名/).fill('人権教育課');
  await form.getByLabel('メモ（任意）').fill('組織条例の改正による');
  await form.getByRole('button', { name: '組織変更を登録する' }).click();
  const confirm = page.getByRole('dialog', { name: '組織変更を登録しますか' });
  await expect(confirm).toContainText(`${reiwa(next)}から適用する予定です`);
  await expect(confirm).toContainText('それまでは、今の課のまま回答中のシート・利用者・報告は変わりません');
  await expect(confirm).toContainText('適用のときに、利用者2人と事業2件が「人権教育課」に移ります');
  await expect(confirm).not.toContainText('すぐに適用されます');
  await expectNoViolations(page, 'the registration confirmation');
  await page.screenshot({ path: 'test-results/reorg-confirm.png' });
  await confirm.getByRole('button', { name: '登録する' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: '組織変更（人権教育課）を登録しました' })).toBeVisible();

  // The form starts afresh, focused: nothing selected, and the two 課 are no longer choices (this change already ends them).
  await expect(form.getByLabel('種類')).toBeFocused();
  await expect(form.getByLabel('種類')).toHaveValue('rename');
  await expect(picker.getByText('0件選択中')).toBeVisible();
  await expect(form.getByLabel(/組織変更後の課名/)).toHaveValue('');
  await form.getByLabel('変更後の課が始まる年度').fill(String(next));
  await expect(picker.getByLabel('子育て支援課')).toBeVisible();
  await expect(picker.getByLabel('人権推進課')).toHaveCount(0);
  await expect(picker.getByLabel('学校教育課')).toHaveCount(0);

  const list = page.getByRole('table', { name: /組織変更の一覧/ });
  const row = list.getByRole('row', { name: /人権教育課/ });
  await expect(row).toContainText('予定');
  await expect(row).toContainText(reiwa(next));
  await expect(row).toContainText('「人権推進課」「学校教育課」 → 「人権教育課」');
  await expect(row).toContainText('利用者2人・事業2件');
  await expect(row).toContainText('組織条例の改正による');
  await expectNoViolations(page, 'the departments page with a scheduled change');
  await page.screenshot({ path: 'test-results/reorg-scheduled.png', fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);

  // Nothing moved: accounts and project assignments are as they were.
  expect(await users(request)).toEqual(usersBefore);
  expect(await projects(request, f.mid, planId)).toEqual(projectsBefore);
  const [scheduled] = await reorganisations(request, f.mid);
  expect(scheduled).toMatchObject({
    status: 'scheduled',
    effectiveYear: next,
    pendingUsers: 2,
    pendingProjects: 2,
    note: '組織条例の改正による',
  });

  // The editor of 人権推進課 still answers this year's sheet.
  const editor = await (await browser.newContext()).newPage();
  await loginThroughUi(editor, f.editor);
  await editor.goto(`/m/${f.mid}/rounds/${round.round.id}/departments/${jinken}`);
  const card = editor.getByRole('article', { name: /啓発講座/ });
  await card.getByLabel('実績・取組状況', { exact: true }).fill('講座を3回開催した');
  await expect(card.getByText(/保存しました/)).toBeVisible();
  await editor.reload();
  await expect(card.getByLabel('実績・取組状況', { exact: true })).toHaveValue('講座を3回開催した');

  // 変更: a year later. An emptied name is refused beside its field.
  await row.getByRole('button', { name: /を変更/ }).click();
  const change = page.getByRole('dialog', { name: '組織変更を変更' });
  await change.getByLabel('変更後の課名').fill('');
  await change.getByRole('button', { name: '保存する' }).click();
  await expect(change.getByLabel('変更後の課名')).toHaveAttribute('aria-invalid', 'true');
  await expect(change.getByLabel('変更後の課名')).toHaveAccessibleDescription(/入力してください/);
  await change.getByLabel('変更後の課名').fill('人権教育課');
  await change.getByLabel('変更後の課が始まる年度').fill(String(next + 1));
  await expect(change.getByText(`${reiwa(next + 1)}（${next + 1}年度）`)).toBeVisible();
  await expectNoViolations(page, 'the change dialog');
  await page.screenshot({ path: 'test-results/reorg-change.png' });
  await change.getByRole('button', { name: '保存する' }).click();
  await expect(change).toBeHidden();
  await expect(row).toContainText(reiwa(next + 1));
  expect((await reorganisations(request, f.mid))[0]).toMatchObject({
    id: scheduled!.id,
    status: 'scheduled',
    effectiveYear: next + 1,
  });
  expect((await departments(request, f.mid)).find((d) => d.id === jinken)?.activeTo).toBe(next);

  // 取り消す: a reason is required.
  await row.getByRole('button', { name: /を取り消す/ }).click();
  const cancel = page.getByRole('dialog', { name: '組織変更を取り消す' });
  await cancel.getByRole('button', { name: '組織変更を取り消す' }).click();
  await expect(cancel.getByLabel('取り消す理由')).toHaveAttribute('aria-invalid', 'true');
  await expect(cancel.getByLabel('取り消す理由')).toHaveAccessibleDescription(/入力してください/);
  await expectNoViolations(page, 'the cancel dialog with a field error');
  await page.screenshot({ path: 'test-results/reorg-cancel.png' });
  await cancel.getByLabel('取り消す理由').fill('組織条例の改正が見送られたため');
  await cancel.getByRole('button', { name: '組織変更を取り消す' }).click();
  await expect(cancel).toBeHidden();
  const cancelledRow = list.getByRole('row', { name: /組織条例の改正が見送られたため/ });
  await expect(cancelledRow).toContainText('取消');
  await expect(cancelledRow.getByRole('button')).toHaveCount(0);
  const afterCancel = await departments(request, f.mid);
  expect(afterCancel.map((d) => d.name)).not.toContain('人権教育課');
  expect(afterCancel.filter((d) => d.id === jinken || d.id === gakko).map((d) => d.activeTo)).toEqual([null, null]);
  expect((await reorganisations(request, f.mid))[0]).toMatchObject({ id: scheduled!.id, status: 'cancelled' });
  expect(await users(request)).toEqual(usersBefore);
  expect(await projects(request, f.mid, planId)).toEqual(projectsBefore);

  // Registered again: the two 課 are choices again.
  await form.getByLabel('種類').selectOption({ label: '統合' });
  await form.getByLabel('変更後の課が始まる年度').fill(String(next));
  await picker.getByLabel('人権推進課').check();
  await picker.getByLabel('学校教育課').check();
  await form.getByLabel(/組織変更後の課名/).fill('人権教育課');
  await form.getByRole('button', { name: '組織変更を登録する' }).click();
  await confirm.getByRole('button', { name: '登録する' }).click();
  await expect(confirm).toBeHidden();
  const again = list.getByRole('row', { name: /予定/ });
  await expect(again).toContainText('「人権推進課」「学校教育課」 → 「人権教育課」');
  const merged = (await departments(request, f.mid)).find((d) => d.name === '人権教育課')!;
  expect(merged.activeFrom).toBe(next);

  // A cancellation the server refuses (someone already belongs to the new 課) is told in the dialog.
  await call('post', '/api/users', {
    loginName: `newcomer-${f.mid}`,
    displayName: '新規 担当',
    role: 'department_viewer',
    municipalityId: f.mid,
    departmentId: merged.id,
    password: FIRST_PASSWORD,
  });
  await again.getByRole('button', { name: /を取り消す/ }).click();
  await cancel.getByLabel('取り消す理由').fill('やはり見送り');
  await cancel.getByRole('button', { name: '組織変更を取り消す' }).click();
  await expect(cancel.getByRole('alert')).toContainText('利用者1人が登録されているため取り消せません');
  await expectNoViolations(page, 'the cancel dialog with the refusal');
  await cancel.getByRole('button', { name: 'やめる' }).click();
  await expect(cancel).toBeHidden();
  expect((await reorganisations(request, f.mid)).find((r) => r.to.some((t) => t.id === merged.id))?.status).toBe(
    'scheduled',
  );

  // A round of next year opens: the change takes effect first.
  await call('post', `/api/m/${f.mid}/rounds/${round.round.id}/close`);
  await call('post', `/api/m/${f.mid}/rounds`, {
    planId,
    fiscalYear: next,
    phase: 'start',
    deadline: '2099-04-30',
    departmentIds: [merged.id],
  });
  expect((await reorganisations(request, f.mid)).find((r) => r.to.some((t) => t.id === merged.id))?.status).toBe(
    'applied',
  );
  const moved = await users(request);
  expect(moved.find((u) => u.loginName === f.editor)?.departmentId).toBe(merged.id);
  expect(moved.find((u) => u.loginName === f.editorB)?.departmentId).toBe(merged.id);
  expect(await projects(request, f.mid, planId)).toEqual([
    { name: '啓発講座', lead: merged.id, co: [] },
    { name: '人権教育研修', lead: merged.id, co: [] },
  ]);
  await page.reload();
  const applied = list.getByRole('row', { name: /適用済/ });
  await expect(applied).toContainText('「人権推進課」「学校教育課」 → 「人権教育課」');
  await expect(applied.getByRole('button')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/reorg-applied.png', fullPage: true });
  // A 課 with history is not deleted: the refusal is told in the confirmation.
  await page.getByRole('button', { name: '人権推進課を削除' }).click();
  const del = page.getByRole('dialog', { name: '「人権推進課」を削除しますか' });
  await del.getByRole('button', { name: '削除する' }).click();
  await expect(del.getByRole('alert')).toContainText('削除できません');
  await expectNoViolations(page, 'the delete confirmation with the refusal');
  await del.getByRole('button', { name: 'やめる' }).click();
  expect((await departments(request, f.mid)).some((d) => d.id === jinken)).toBe(true);

  // The editor, now of 人権教育課 (their session read afresh), still opens 人権推進課's sheet of this year from the rounds list.
  await editor.goto(`/m/${f.mid}/home`);
  const session = (await (await editor.request.get('/api/session')).json()) as {
    user: { departmentId: number; departmentIds: number[] };
  };
  expect(session.user).toMatchObject({
    departmentId: merged.id,
    departmentIds: expect.arrayContaining([merged.id, jinken, gakko]),
  });
  await editor.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '照会' }).click();
  await editor
    .getByRole('row', { name: new RegExp(reiwa(thisYear)) })
    .getByRole('link', { name: '回答シートを開く' })
    .click();
  await expect(editor).toHaveURL(new RegExp(`/rounds/${round.round.id}/departments/${jinken}$`));
  await expect(
    editor.getByRole('article', { name: /啓発講座/ }).getByLabel('実績・取組状況', { exact: true }),
  ).toHaveValue('講座を3回開催した');
});
