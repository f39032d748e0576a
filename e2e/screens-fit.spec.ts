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
  projectIds: number[];
}

/** A plan with two goals, three projects (one with an indicator), an open round with answers: one approved, one typed. */
async function world(request: APIRequestContext): Promise<World> {
  const f = await createMunicipality(request, '全画面市');
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
  return { ...f, viewer, committee, planId: pid, roundId: rid, recordId: rec.id, projectIds: [p1, p2, p3] };
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
