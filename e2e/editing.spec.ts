import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD, type Fixture } from './support.js';

/** A plan with one project of 人権推進課 (with an indicator) and an open round. */
async function setup(
  request: APIRequestContext,
  name: string,
): Promise<Fixture & { roundId: number; sheetUrl: string; api: Awaited<ReturnType<typeof apiLogin>> }> {
  const f = await createMunicipality(request, name);
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const plan = (await call('post', `/api/m/${f.mid}/plans`, {
    title: `${name}男女共同参画プラン`,
    firstYear: 2021,
    lastYear: 2030,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const node = (await call('post', `/api/m/${f.mid}/plans/${plan.plan.id}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const p = (await call('post', `/api/m/${f.mid}/plans/${plan.plan.id}/projects`, {
    nodeId: node.node.id,
    number: '1',
    name: '啓発講座',
    leadDepartmentId: f.departments['人権推進課'],
  })) as { project: { id: number } };
  await call('post', `/api/m/${f.mid}/projects/${p.project.id}/indicators`, {
    name: '講座開催回数',
    unit: '回',
    kind: 'number',
    direction: 'higher',
    targets: [{ fiscalYear: 2025, text: '4回' }],
  });
  const round = (await call('post', `/api/m/${f.mid}/rounds`, {
    planId: plan.plan.id,
    fiscalYear: 2025,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: [f.departments['人権推進課']],
  })) as { round: { id: number } };
  return {
    ...f,
    roundId: round.round.id,
    sheetUrl: `/m/${f.mid}/rounds/${round.round.id}/departments/${f.departments['人権推進課']}`,
    api: call,
  };
}

interface StoredRecord {
  id: number;
  planText: string;
  resultText: string;
  remarks: string;
  version: number;
  actuals: { text: string; value: number | null }[];
  entries: { slotKey: string; subjectKind: string; code: string | null; reason: string }[];
}

/** The record as the server holds it, read through the API as the coordinator. */
async function stored(request: APIRequestContext, f: Fixture & { roundId: number }): Promise<StoredRecord> {
  const res = await request.get(`/api/m/${f.mid}/rounds/${f.roundId}/departments/${f.departments['人権推進課']}/sheet`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { items: { record: StoredRecord }[] }).items[0]!.record;
}

async function historyVersions(
  request: APIRequestContext,
  f: Fixture,
  recordId: number,
): Promise<{ action: string; version: number }[]> {
  const res = await request.get(`/api/m/${f.mid}/records/${recordId}/history`);
  return ((await res.json()) as { entries: { action: string; version: number }[] }).entries;
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

const card = (page: Page) => page.getByRole('article', { name: /啓発講座/ });
/** The answer's 評価 (the plan's default: the department's A〜D, required at the year's end). */
const grade = (page: Page) => card(page).getByRole('combobox', { name: /^評価/ });

test('typing, pausing and typing again keeps every word through saves and a reload', async ({ browser, request }) => {
  const f = await setup(request, '入力市');
  const page = await newPage(browser);
  await loginThroughUi(page, f.editor);
  await page.goto(f.sheetUrl);
  const result = card(page).getByLabel('実績・取組状況', { exact: true });
  const remarks = card(page).getByLabel('備考', { exact: true });
  const startVersion = (await stored(request, f)).version;

  await result.click();
  await page.keyboard.type('講座を5回開催した。');
  await expect(card(page).getByText(/保存しました/)).toBeVisible();
  // The bug this guards against: the field went blank when the save came back.
  await expect(result).toHaveValue('講座を5回開催した。');
  await page.keyboard.type('延べ120人が参加した。');
  await expect(card(page).getByText('未保存の変更があります')).toBeVisible();
  await expect(card(page).getByText(/保存しました/)).toBeVisible();
  await expect(result).toHaveValue('講座を5回開催した。延べ120人が参加した。');
  await remarks.fill('会場を変更した');
  await expect(card(page).getByText(/保存しました/)).toBeVisible();
  await expect(card(page).getByRole('alert')).toHaveCount(0);

  const afterSaves = await stored(request, f);
  expect(afterSaves).toMatchObject({
    resultText: '講座を5回開催した。延べ120人が参加した。',
    remarks: '会場を変更した',
    version: startVersion + 3,
  });
  const saves = (await historyVersions(request, f, afterSaves.id))
    .filter((e) => e.action === 'save')
    .map((e) => e.version);
  expect(saves).toEqual([startVersion + 3, startVersion + 2, startVersion + 1]);

  await page.reload();
  await expect(result).toHaveValue('講座を5回開催した。延べ120人が参加した。');
  await expect(remarks).toHaveValue('会場を変更した');
  // And a further save from the reloaded page is accepted (no conflict with oneself).
  await remarks.fill('会場を変更した。次年度も同じ会場');
  await expect(card(page).getByText(/保存しました/)).toBeVisible();
  expect(await stored(request, f)).toMatchObject({
    remarks: '会場を変更した。次年度も同じ会場',
    version: startVersion + 4,
  });

  // An evaluation chosen is saved with the answer and is there after a reload, the text with it.
  await grade(page).selectOption('B');
  await expect(card(page).getByText(/保存しました/)).toBeVisible();
  expect(await stored(request, f)).toMatchObject({
    remarks: '会場を変更した。次年度も同じ会場',
    version: startVersion + 5,
    entries: [{ slotKey: 'self', subjectKind: 'record', code: 'B', reason: '' }],
  });
  await page.reload();
  await expect(grade(page)).toHaveValue('B');
  await expect(remarks).toHaveValue('会場を変更した。次年度も同じ会場');
  // Cleared, it is cleared on the server too.
  await grade(page).selectOption('');
  await expect(card(page).getByText(/保存しました/)).toBeVisible();
  expect((await stored(request, f)).entries).toEqual([]);
});

test('two people saving the same record get one visible conflict, and each merge choice keeps the chosen text', async ({
  browser,
  request,
}) => {
  const f = await setup(request, '併合市');
  const editor = await newPage(browser);
  const coord = await newPage(browser);
  await loginThroughUi(editor, f.editor);
  await loginThroughUi(coord, f.coordinator);
  await editor.goto(f.sheetUrl);
  await coord.goto(f.sheetUrl);

  await card(editor).getByLabel('事業予定', { exact: true }).fill('担当課の事業予定');
  await card(editor).getByLabel('実績・取組状況', { exact: true }).fill('担当課の実績');
  await grade(editor).selectOption('A');
  await expect(card(editor).getByText(/保存しました/)).toBeVisible();

  await card(coord).getByLabel('事業予定', { exact: true }).fill('取りまとめ課の事業予定');
  await card(coord).getByLabel('実績・取組状況', { exact: true }).fill('取りまとめ課の実績');
  await grade(coord).selectOption('B');
  const alert = card(coord).getByRole('alert');
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText('先に保存しました');
  await expect(alert.getByRole('row', { name: /事業予定/ })).toContainText('担当課の事業予定');
  await expect(alert.getByRole('row', { name: /事業予定/ })).toContainText('取りまとめ課の事業予定');
  // The evaluations differ too: each side's, by the slot's name.
  const gradeRow = alert.getByRole('row', { name: /^評価/ });
  await expect(gradeRow.locator('.conflict-text')).toHaveText(['B（概ね順調）', 'A（順調または目標達成）']);
  await coord.setViewportSize({ width: 1366, height: 768 });
  await alert.scrollIntoViewIfNeeded();
  await coord.screenshot({ path: test.info().outputPath('conflict.png') });
  const axe = await new AxeBuilder({ page: coord }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  // Keep one's own 事業予定, take the other's 実績.
  await alert.getByLabel('事業予定: あなたの入力を残す').check();
  await alert.getByLabel(/実績・取組状況: .*さんの保存した内容にする/).check();
  await alert.getByRole('button', { name: '選んだ内容で保存する' }).click();
  await expect(card(coord).getByText(/保存しました/)).toBeVisible();
  await expect(card(coord).getByLabel('事業予定', { exact: true })).toHaveValue('取りまとめ課の事業予定');
  await expect(card(coord).getByLabel('実績・取組状況', { exact: true })).toHaveValue('担当課の実績');
  await expect(grade(coord)).toHaveValue('B');
  expect(await stored(request, f)).toMatchObject({
    planText: '取りまとめ課の事業予定',
    resultText: '担当課の実績',
    entries: [expect.objectContaining({ slotKey: 'self', code: 'B' })],
  });

  // The editor, now behind, types in a field the other did not touch: the other's change to 事業予定 is
  // taken in as saved (not reverted to the editor's old text), the editor's 備考 is kept.
  await card(editor).getByLabel('備考', { exact: true }).fill('担当課の備考');
  const alert2 = card(editor).getByRole('alert');
  await expect(alert2).toContainText('先に保存しました');
  await expect(alert2).toContainText('あなたが変えていない項目（事業予定、評価）はそのまま取り込みます');
  await expect(alert2.getByRole('radio')).toHaveCount(0);
  await alert2.getByRole('button', { name: '選んだ内容で保存する' }).click();
  await expect(card(editor).getByText(/保存しました/)).toBeVisible();
  const final = await stored(request, f);
  expect(final).toMatchObject({
    planText: '取りまとめ課の事業予定',
    resultText: '担当課の実績',
    remarks: '担当課の備考',
    entries: [expect.objectContaining({ slotKey: 'self', code: 'B' })],
  });

  await editor.reload();
  await expect(card(editor).getByLabel('事業予定', { exact: true })).toHaveValue('取りまとめ課の事業予定');
  await expect(grade(editor)).toHaveValue('B');
  await expect(card(editor).getByLabel('備考', { exact: true })).toHaveValue('担当課の備考');
});

test('a change saved by someone else reaches a form its user is not typing in', async ({ browser, request }) => {
  const f = await setup(request, '更新市');
  const page = await newPage(browser);
  await loginThroughUi(page, f.editor);
  await page.clock.install();
  await page.goto(f.sheetUrl);
  await expect(card(page).getByLabel('事業予定', { exact: true })).toHaveValue('');
  const sheetReads: string[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/sheet')) sheetReads.push(r.url());
  });
  const current = await stored(request, f);
  await f.api('put', `/api/m/${f.mid}/records/${current.id}`, {
    version: current.version,
    planText: '取りまとめ課が入力した予定',
    resultText: '',
    remarks: '',
    nextYearPlan: '',
  });
  // The sheet is read again every minute.
  await page.clock.runFor(61_000);
  await expect.poll(() => sheetReads.length).toBeGreaterThan(0);
  await expect(card(page).getByLabel('事業予定', { exact: true })).toHaveValue('取りまとめ課が入力した予定');
  await expect(card(page).getByRole('alert')).toHaveCount(0);
});

test('text being composed with an IME is not saved until the composition ends', async ({ browser, request }) => {
  const f = await setup(request, '変換市');
  const page = await newPage(browser);
  await loginThroughUi(page, f.editor);
  await page.clock.install();
  await page.goto(f.sheetUrl);
  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT' && r.url().includes('/records/')) puts.push(r.postData() ?? '');
  });
  const field = card(page).getByLabel('実績・取組状況', { exact: true });
  await field.click();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'こうざ', selectionStart: 3, selectionEnd: 3 });
  await expect(field).toHaveValue('こうざ');
  await page.clock.runFor(5000);
  expect(puts).toEqual([]);
  await cdp.send('Input.imeSetComposition', { text: '講座', selectionStart: 2, selectionEnd: 2 });
  await page.clock.runFor(5000);
  expect(puts).toEqual([]);
  await cdp.send('Input.insertText', { text: '講座' });
  await expect(field).toHaveValue('講座');
  await page.clock.runFor(1500);
  await expect.poll(() => puts.length).toBe(1);
  expect(JSON.parse(puts[0]!).resultText).toBe('講座');
  await page.clock.runFor(1000);
  await expect(card(page).getByText(/保存しました/)).toBeVisible();
  expect((await stored(request, f)).resultText).toBe('講座');
});

test('leaving the page with input the server refused asks first and keeps the text', async ({ browser, request }) => {
  const f = await setup(request, '離脱市');
  const page = await newPage(browser);
  await loginThroughUi(page, f.editor);
  await page.goto(f.sheetUrl);
  // Typing stops at the limit: 4005 characters typed are 4000 kept, and saved.
  const text = card(page).getByLabel('実績・取組状況', { exact: true });
  await text.fill('あ'.repeat(4005));
  await expect(text).toHaveValue('あ'.repeat(4000));
  await expect(card(page).getByText(/保存しました/)).toBeVisible();
  expect((await stored(request, f)).resultText).toHaveLength(4000);
  // An actual the server cannot read is refused, named by its indicator beside the field.
  const field = card(page).getByLabel('講座開催回数の今年度の実績');
  await field.fill('十二回');
  await expect(
    card(page).getByText('「講座開催回数」の実績は数値で入力してください（「十二回」は数値として読めません）'),
  ).toBeVisible();
  await expect(card(page).getByText('保存できませんでした。入力は画面に残っています')).toBeVisible();
  await page.getByRole('link', { name: 'ホーム' }).click();
  const dialog = page.getByRole('dialog', { name: '保存されていない入力があります' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'このページに残る' }).click();
  // The page takes input again once the dialog has gone (while it is open the page behind it is inert).
  await expect(dialog).toBeHidden();
  await expect(field).toHaveValue('十二回');
  await field.fill('12回');
  await expect(card(page).getByText(/保存しました/)).toBeVisible();
  await page.getByRole('link', { name: 'ホーム' }).click();
  await expect(page).toHaveURL(/\/home$/);
  expect((await stored(request, f)).actuals).toEqual([expect.objectContaining({ text: '12回', value: 12 })]);
});
