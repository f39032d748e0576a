import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import {
  ADMIN,
  apiLogin,
  createMunicipality,
  FIRST_PASSWORD,
  firstLogin,
  loginThroughUi,
  logout,
  PASSWORD,
  type Fixture,
} from './support.js';

/**
 * Every screen at 1366×768, the usual municipal laptop, as each role: nothing wider than the window,
 * no validator wording or broken values on screen, axe clean. Then the path of a refused input: the
 * message in Japanese beside its field, marked for screen readers, the refused text kept as unsaved.
 */

const VIEWPORT = { width: 1366, height: 768 };
const YEAR = 2025;

interface World extends Fixture {
  viewer: string;
  committee: string;
  planId: number;
  roundId: number;
  recordId: number;
  /** the department's typed (not submitted) answer to 広報紙・ホームページによる情報提供 */
  record2Id: number;
  /** that project's indicator */
  indicator2Id: number;
  projectIds: number[];
}

/** A plan with two goals, three projects (one with an indicator), an open round with answers: one approved, one typed. */
async function world(request: APIRequestContext): Promise<World> {
  // A long name, as a 広域連合's is: the header must still hold it on one line.
  const f = await createMunicipality(request, '全画面市町村広域行政事務組合');
  const admin = await apiLogin(request, ADMIN.loginName, ADMIN.password);
  const suffix = `${f.mid}-${Date.now() % 100000}`;
  const viewer = `viewer-${suffix}`;
  const committee = `committee-${suffix}`;
  await admin('post', '/api/users', {
    loginName: viewer,
    displayName: '閲覧 担当',
    role: 'department_viewer',
    municipalityId: f.mid,
    departmentId: f.departments['人権推進課'],
    password: FIRST_PASSWORD,
  });
  await admin('post', '/api/users', {
    loginName: committee,
    displayName: '評価 委員',
    role: 'committee_member',
    municipalityId: f.mid,
    password: FIRST_PASSWORD,
  });
  await logout(request);
  for (const login of [viewer, committee]) await firstLogin(request, login);

  const coord = await apiLogin(request, f.coordinator, PASSWORD);
  const m = `/api/m/${f.mid}`;
  const plan = (await coord('post', `${m}/plans`, {
    title: '全画面市男女共同参画推進プラン（第4次）',
    slogan: 'だれもが自分らしく輝けるまち',
    firstYear: 2021,
    lastYear: 2030,
    subPlans: ['DV防止基本計画', '女性活躍推進計画'],
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策の方向', numberingStyle: 'paren', numberingScope: 'parent' },
      { name: '施策', numberingStyle: 'circled', numberingScope: 'parent' },
    ],
  })) as { plan: { id: number } };
  const pid = plan.plan.id;
  const node = async (title: string, parentId: number | null = null) =>
    ((await coord('post', `${m}/plans/${pid}/nodes`, { title, parentId })) as { node: { id: number } }).node.id;
  const goal1 = await node('男女共同参画社会の実現に向けた意識づくりと教育・学習の推進');
  const dir1 = await node('固定的な性別役割分担意識の解消に向けた広報・啓発', goal1);
  const measure1 = await node('広報・啓発活動の充実と情報提供', dir1);
  const goal2 = await node('あらゆる暴力の根絶と安全・安心な暮らしの実現');
  const dir2 = await node('配偶者等からの暴力の防止と被害者支援', goal2);
  const measure2 = await node('相談体制の充実と関係機関との連携強化', dir2);
  const project = async (nodeId: number, number: string, name: string, lead: string, co: string[] = []) =>
    (
      (await coord('post', `${m}/plans/${pid}/projects`, {
        nodeId,
        number,
        name,
        summary: `${name}について、市民・事業者・関係機関と連携しながら計画的に取り組みます。`,
        category: '継続',
        leadDepartmentId: f.departments[lead],
        coDepartmentIds: co.map((d) => f.departments[d]),
      })) as { project: { id: number } }
    ).project.id;
  const p1 = await project(measure1, '1', '男女共同参画に関する講座・講演会の開催', '人権推進課', ['学校教育課']);
  const p2 = await project(measure1, '2', '広報紙・ホームページによる情報提供', '人権推進課');
  const p3 = await project(measure2, '3', 'ＤＶ相談窓口の周知と相談員の資質向上', '子育て支援課');
  const indicator = (await coord('post', `${m}/projects/${p1}/indicators`, {
    name: '講座・講演会の開催回数',
    unit: '回',
    kind: 'number',
    direction: 'higher',
    baseline: '3回',
    baselineYear: 2020,
    finalTarget: '6回',
    targets: [{ fiscalYear: YEAR, text: '5回' }],
  })) as { indicator: { id: number } };
  const p2Indicator = (await coord('post', `${m}/projects/${p2}/indicators`, {
    name: '広報紙の特集記事の掲載回数',
    unit: '回',
    kind: 'number',
    direction: 'higher',
    targets: [{ fiscalYear: YEAR, text: '2回' }],
  })) as { indicator: { id: number } };
  const round = (await coord('post', `${m}/rounds`, {
    planId: pid,
    fiscalYear: YEAR,
    phase: 'end',
    deadline: '2099-04-30',
    instructions: '実績・取組状況は具体的な数値を含めて記入してください。',
    departmentIds: [f.departments['人権推進課'], f.departments['学校教育課'], f.departments['子育て支援課']],
  })) as { round: { id: number } };
  const rid = round.round.id;
  await logout(request);

  // The department answers its first project and submits it; the coordinator approves it.
  const editor = await apiLogin(request, f.editor, PASSWORD);
  const sheet = (await (
    await request.get(`${m}/rounds/${rid}/departments/${f.departments['人権推進課']}/sheet`)
  ).json()) as { items: { record: { id: number; projectId: number; version: number } }[] };
  const rec = sheet.items.find((i) => i.record.projectId === p1)!.record;
  const rec2 = sheet.items.find((i) => i.record.projectId === p2)!.record;
  await editor('put', `${m}/records/${rec.id}`, {
    version: rec.version,
    planText: '講座を年5回開催する。',
    resultText: '講座を5回開催し、延べ240人が参加した。参加者アンケートでは9割が「理解が深まった」と回答した。',
    nextYearPlan: '若い世代向けにオンライン講座を加える。',
    actuals: [{ indicatorId: indicator.indicator.id, text: '5回' }],
    entries: [{ slotKey: 'self', subjectKind: 'record', subjectId: p1, code: 'A' }],
  });
  await editor('post', `${m}/records/${rec.id}/submit`);
  await editor('put', `${m}/records/${rec2.id}`, {
    version: rec2.version,
    resultText: '広報紙に特集記事を2回掲載した。',
  });
  await logout(request);
  const coord2 = await apiLogin(request, f.coordinator, PASSWORD);
  await coord2('post', `${m}/records/${rec.id}/approve`);
  await logout(request);
  const council = await apiLogin(request, f.council, PASSWORD);
  await council('post', `${m}/projects/${p1}/council-comments`, {
    fiscalYear: YEAR,
    body: '参加者の年代の内訳も示してください。',
  });
  await logout(request);
  return {
    ...f,
    viewer,
    committee,
    planId: pid,
    roundId: rid,
    recordId: rec.id,
    record2Id: rec2.id,
    indicator2Id: p2Indicator.indicator.id,
    projectIds: [p1, p2, p3],
  };
}

/** Every route of the SPA (src/web/App.tsx), with this world's ids. */
function routes(w: World): { name: string; url: string }[] {
  const m = `/m/${w.mid}`;
  return [
    { name: 'home', url: `${m}/home` },
    { name: 'rounds', url: `${m}/rounds` },
    { name: 'board', url: `${m}/rounds/${w.roundId}` },
    { name: 'review', url: `${m}/rounds/${w.roundId}/review` },
    { name: 'sheet', url: `${m}/rounds/${w.roundId}/departments/${w.departments['人権推進課']}` },
    { name: 'history', url: `${m}/records/${w.recordId}/history` },
    { name: 'council', url: `${m}/council` },
    { name: 'reports', url: `${m}/reports` },
    { name: 'summary', url: `${m}/summary` },
    { name: 'imports', url: `${m}/imports` },
    { name: 'plans', url: `${m}/plans` },
    { name: 'plan-editor', url: `${m}/plans/${w.planId}` },
    { name: 'plan-evaluation', url: `${m}/plans/${w.planId}/evaluation` },
    { name: 'node-evaluations', url: `${m}/evaluations/${w.planId}/${YEAR}` },
    { name: 'evaluations', url: `${m}/evaluations` },
    { name: 'departments', url: `${m}/departments` },
    { name: 'users', url: `${m}/users` },
    { name: 'audit', url: `${m}/audit` },
    { name: 'admin-municipalities', url: '/admin/municipalities' },
    { name: 'admin-audit', url: '/admin/audit' },
    { name: 'password', url: '/account/password' },
    { name: 'help', url: `/help/board?from=${encodeURIComponent(`${m}/rounds/${w.roundId}`)}` },
    { name: 'not-found', url: `${m}/no-such-page` },
  ];
}

/** Words of a validator or of a value gone wrong, which a person must never read. */
const BROKEN_TEXT = /\bnumber\b|\bstring\b|Expected|Invalid|undefined|\bNaN\b/i;

async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('main')).toBeVisible();
  await expect(page.getByText('読み込み中…')).toHaveCount(0);
  // A page shows its heading, or the alert saying why this user cannot use it.
  await expect(page.locator('main').locator('h1, [role="alert"]').first()).toBeVisible();
}

/** What is wrong with the screen as shown, if anything: too wide, broken words, axe violations. */
async function problemsOf(page: Page, what: string): Promise<string[]> {
  const out: string[] = [];
  const width = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    // The widest elements, to say what pushes the page wider.
    culprits: [...document.querySelectorAll('main *, header *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 4)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`),
  }));
  if (width.scroll > width.inner) out.push(`${what}: ${width.scroll}px wide (${width.culprits.join(', ')})`);
  // 回答の確認 keeps every column of its table in view beside the detail: no sideways scroll inside.
  const sideways = await page.evaluate(() =>
    [...document.querySelectorAll('.review-table-scroll')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.scrollWidth}px in ${el.clientWidth}px`),
  );
  if (sideways.length) out.push(`${what}: the review table scrolls sideways (${sideways.join(', ')})`);
  const header = await page.locator('.app-header').boundingBox();
  if (header && header.height > 80) out.push(`${what}: header wraps (${Math.round(header.height)}px tall)`);
  const text = await page.locator('body').innerText();
  const broken = text.split('\n').filter((l) => BROKEN_TEXT.test(l));
  if (broken.length) out.push(`${what}: shows 「${broken.slice(0, 3).join(' / ')}」`);
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  for (const v of axe.violations)
    out.push(`${what}: axe ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  return out;
}

async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.E2E_SHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** The plan editor's panels beside the tree: a project, a new project, the plan's settings. */
async function planEditorStates(page: Page, w: World, role: string): Promise<string[]> {
  const out: string[] = [];
  await page.getByRole('treeitem', { name: /講座・講演会の開催/ }).click();
  await expect(page.locator('.detail-panel h2').first()).toBeVisible();
  out.push(...(await problemsOf(page, `${role} plan-editor project`)));
  await shot(page, `${role}-plan-editor-project`);
  const settings = page.getByRole('button', { name: '計画の設定', exact: true });
  if (await settings.count()) {
    await settings.click();
    await expect(page.getByRole('heading', { name: '計画の設定' })).toBeVisible();
    out.push(...(await problemsOf(page, `${role} plan-editor settings`)));
    await shot(page, `${role}-plan-editor-settings`);
  }
  return out;
}

const ROLES = [
  { role: 'admin', login: () => ADMIN.loginName, password: ADMIN.password },
  { role: 'coordinator', login: (w: World) => w.coordinator, password: PASSWORD },
  { role: 'department_editor', login: (w: World) => w.editor, password: PASSWORD },
  { role: 'department_viewer', login: (w: World) => w.viewer, password: PASSWORD },
  { role: 'council_member', login: (w: World) => w.council, password: PASSWORD },
  { role: 'committee_member', login: (w: World) => w.committee, password: PASSWORD },
] as const;

test.describe('every screen at 1366×768', () => {
  let w: World;
  test.beforeAll(async ({ request }) => {
    w = await world(request);
  });

  for (const r of ROLES)
    test(`fits, reads in Japanese and is axe clean for ${r.role}`, async ({ browser }) => {
      test.setTimeout(240_000);
      const context = await browser.newContext({ viewport: VIEWPORT });
      const page = await context.newPage();
      await loginThroughUi(page, r.login(w), r.password);
      const problems: string[] = [];
      for (const route of routes(w)) {
        await page.goto(route.url);
        await settled(page);
        problems.push(...(await problemsOf(page, `${r.role} ${route.name}`)));
        await shot(page, `${r.role}-${route.name}`);
        if (route.name === 'plan-editor') problems.push(...(await planEditorStates(page, w, r.role)));
      }
      expect(problems).toEqual([]);
      await context.close();
    });
});

interface StoredRecord {
  id: number;
  resultText: string;
  actuals: { indicatorId: number; text: string; value: number | null }[];
}

/** The answer as the server holds it, read through the API as the coordinator. */
async function storedRecord(request: APIRequestContext, w: World, id: number): Promise<StoredRecord> {
  const res = await request.get(`/api/m/${w.mid}/rounds/${w.roundId}/departments/${w.departments['人権推進課']}/sheet`);
  expect(res.ok()).toBe(true);
  const items = ((await res.json()) as { items: { record: StoredRecord }[] }).items;
  return items.find((i) => i.record.id === id)!.record;
}

test('a department’s over-long answer stops at the limit, and an answer the server refuses is named beside its field and kept as unsaved', async ({
  browser,
  request,
}) => {
  const w = await world(request);
  await apiLogin(request, w.coordinator, PASSWORD);
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await loginThroughUi(page, w.editor);
  await page.goto(`/m/${w.mid}/rounds/${w.roundId}/departments/${w.departments['人権推進課']}`);
  const card = page.getByRole('article', { name: /広報紙・ホームページによる情報提供/ });
  const result = card.getByLabel('実績・取組状況', { exact: true });

  // Typing stops at 4000 characters; the counter says the limit is reached.
  await result.fill('あ'.repeat(3990));
  await expect(card.getByText('3990 / 4000文字')).toHaveClass(/near/);
  await result.press('End');
  await page.keyboard.type('いいいいいいいいいいいいいいい');
  await expect(result).toHaveValue('あ'.repeat(3990) + 'い'.repeat(10));
  await expect(card.getByText('4000 / 4000文字（上限です）')).toBeVisible();
  await expect(result).toHaveAccessibleDescription(/4000 \/ 4000文字/);
  await expect(card.getByText(/保存しました/)).toBeVisible();
  expect((await storedRecord(request, w, w.record2Id)).resultText).toHaveLength(4000);

  // An actual that is not a number is refused by the server: the message names the indicator, beside it.
  const actual = card.getByLabel('広報紙の特集記事の掲載回数の今年度の実績');
  await actual.fill('十二回');
  const message = '「広報紙の特集記事の掲載回数」の実績は数値で入力してください（「十二回」は数値として読めません）';
  await expect(card.getByText(message)).toBeVisible();
  await expect(actual).toHaveAttribute('aria-invalid', 'true');
  await expect(actual).toHaveAccessibleDescription(new RegExp(message.replace(/[（）「」]/g, '.')));
  await expect(card.getByText('保存できませんでした。入力は画面に残っています')).toBeVisible();
  await shot(page, 'flow-sheet-refused');
  expect(await problemsOf(page, 'sheet with a refused answer')).toEqual([]);
  // Nothing of the refused save is stored: the actual is as the last accepted save left it.
  expect((await storedRecord(request, w, w.record2Id)).actuals).toEqual([
    expect.objectContaining({ indicatorId: w.indicator2Id, text: '', value: null }),
  ]);

  // The refused input counts as unsaved: leaving asks first, and staying keeps it.
  await page.getByRole('link', { name: 'ホーム' }).click();
  const dialog = page.getByRole('dialog', { name: '保存されていない入力があります' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'このページに残る' }).click();
  await expect(page).toHaveURL(/\/departments\//);
  await expect(actual).toHaveValue('十二回');

  // Corrected, it is saved, and leaving no longer asks.
  await actual.fill('12回');
  await expect(card.getByText(/保存しました/)).toBeVisible();
  await expect(actual).not.toHaveAttribute('aria-invalid', 'true');
  const saved = await storedRecord(request, w, w.record2Id);
  expect(saved.actuals).toEqual([expect.objectContaining({ indicatorId: w.indicator2Id, text: '12回', value: 12 })]);
  expect(saved.resultText).toHaveLength(4000);
  await page.getByRole('link', { name: 'ホーム' }).click();
  await expect(page).toHaveURL(/\/home$/);
  await context.close();
});

test('an empty 事業 is refused with each message beside its field, and the summary’s links move to the fields', async ({
  browser,
  request,
}) => {
  const w = await world(request);
  await apiLogin(request, w.coordinator, PASSWORD);
  const projects = async () =>
    ((await (await request.get(`/api/m/${w.mid}/plans/${w.planId}`)).json()) as { projects: { name: string }[] })
      .projects;
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await loginThroughUi(page, w.coordinator);
  await page.goto(`/m/${w.mid}/plans/${w.planId}`);
  await page.getByRole('treeitem', { name: /広報・啓発活動の充実と情報提供/ }).click();
  await page.getByRole('button', { name: '事業を追加' }).click();
  const panel = page.getByRole('region', { name: '事業を追加' });
  await panel.getByRole('button', { name: '追加する' }).click();

  const summary = panel.getByRole('alert');
  await expect(summary).toContainText('入力内容を確認してください');
  const name = panel.getByLabel('事業名');
  const lead = panel.getByLabel('主担当課');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription(/事業名を入力してください/);
  await expect(lead).toHaveAttribute('aria-invalid', 'true');
  await expect(lead).toHaveAccessibleDescription(/主担当課を選んでください/);
  await expect(summary).toBeFocused();
  await shot(page, 'flow-project-refused');
  expect(await problemsOf(page, 'refused project')).toEqual([]);
  expect(await projects()).toHaveLength(3);

  await summary.getByRole('link', { name: '主担当課を選んでください' }).click();
  await expect(lead).toBeFocused();
  await summary.getByRole('link', { name: '事業名を入力してください' }).click();
  await expect(name).toBeFocused();

  // The name stops at 200 characters, with the counter warning.
  await page.keyboard.type('新'.repeat(205));
  await expect(name).toHaveValue('新'.repeat(200));
  await expect(panel.getByText('200 / 200文字（上限です）')).toBeVisible();
  await name.fill('デートDV防止出前講座');
  await lead.selectOption({ label: '人権推進課' });
  await panel.getByRole('button', { name: '追加する' }).click();
  await expect.poll(async () => (await projects()).map((p) => p.name)).toContain('デートDV防止出前講座');
  expect(await projects()).toHaveLength(4);
  await context.close();
});
