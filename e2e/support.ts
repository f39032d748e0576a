import { AxeBuilder } from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const ADMIN = { loginName: 'admin', password: 'e2e-system-owner-pw-77' };
export const PASSWORD = 'e2e-user-password';
/** The password an administrator or coordinator gives a new account; its user replaces it at the first login. */
export const FIRST_PASSWORD = 'e2e-first-login-pw-1';

let counter = 0;

/** A valid 全国地方公共団体コード, distinct per call within this worker. */
function uniqueCode(): string {
  counter++;
  const base = (Date.now() % 900) + counter * 3 + (process.pid % 50);
  const prefix = `${String(10 + (base % 37)).padStart(2, '0')}${String((base * 7) % 1000).padStart(3, '0')}`;
  const w = [6, 5, 4, 3, 2];
  const sum = [...prefix].reduce((s, d, i) => s + Number(d) * w[i]!, 0);
  return prefix + String((11 - (sum % 11)) % 10);
}

/** An API session as the SPA has one: the CSRF token from /api/session on every write. */
export async function apiLogin(
  request: APIRequestContext,
  loginName: string,
  password: string,
): Promise<(method: 'post' | 'patch' | 'put' | 'delete', url: string, data?: unknown) => Promise<unknown>> {
  const csrf = async () => ((await (await request.get('/api/session')).json()) as { csrfToken: string }).csrfToken;
  const login = await request.post('/api/auth/login', {
    data: { loginName, password },
    headers: { 'x-csrf-token': await csrf() },
  });
  expect(login.status(), await login.text()).toBe(200);
  const token = await csrf();
  return async (method, url, data) => {
    const res = await request[method](url, { data, headers: { 'x-csrf-token': token } });
    expect(res.ok(), `${method} ${url}: ${await res.text()}`).toBe(true);
    return res.status() === 204 ? null : res.json();
  };
}

export interface Fixture {
  mid: number;
  name: string;
  coordinator: string;
  editor: string;
  /** an editor of 学校教育課 */
  editorB: string;
  council: string;
  departments: Record<string, number>;
}

/** A municipality of this test's own, with a few departments and accounts, made through the API. */
export async function createMunicipality(request: APIRequestContext, name = 'テスト市'): Promise<Fixture> {
  const call = await apiLogin(request, ADMIN.loginName, ADMIN.password);
  let mid = 0;
  for (let tries = 0; !mid && tries < 20; tries++) {
    const res = await request.post('/api/municipalities', {
      data: { name, code: uniqueCode() },
      headers: {
        'x-csrf-token': ((await (await request.get('/api/session')).json()) as { csrfToken: string }).csrfToken,
      },
    });
    if (res.status() === 201) mid = ((await res.json()) as { municipality: { id: number } }).municipality.id;
  }
  const departments: Record<string, number> = {};
  const bu = (await call('post', `/api/m/${mid}/departments`, { name: '市民部', kind: 'bu' })) as {
    department: { id: number };
  };
  for (const ka of ['人権推進課', '学校教育課', '子育て支援課', '総務課']) {
    const d = (await call('post', `/api/m/${mid}/departments`, {
      name: ka,
      kind: 'ka',
      parentId: bu.department.id,
    })) as { department: { id: number } };
    departments[ka] = d.department.id;
  }
  const suffix = `${mid}-${Date.now() % 100000}`;
  const coordinator = `coord-${suffix}`;
  const editor = `editor-${suffix}`;
  await call('post', '/api/users', {
    loginName: coordinator,
    displayName: '取りまとめ 担当',
    role: 'coordinator',
    municipalityId: mid,
    password: FIRST_PASSWORD,
  });
  await call('post', '/api/users', {
    loginName: editor,
    displayName: '入力 担当',
    role: 'department_editor',
    municipalityId: mid,
    departmentId: departments['人権推進課'],
    password: FIRST_PASSWORD,
  });
  const editorB = `editorb-${suffix}`;
  const council = `council-${suffix}`;
  await call('post', '/api/users', {
    loginName: editorB,
    displayName: '学校 担当',
    role: 'department_editor',
    municipalityId: mid,
    departmentId: departments['学校教育課'],
    password: FIRST_PASSWORD,
  });
  await call('post', '/api/users', {
    loginName: council,
    displayName: '審議会 委員',
    role: 'council_member',
    municipalityId: mid,
    password: FIRST_PASSWORD,
  });
  await logout(request);
  // Each new account replaces the password it was given, as its user does at the first login.
  for (const login of [coordinator, editor, editorB, council]) await firstLogin(request, login);
  return { mid, name, coordinator, editor, editorB, council, departments };
}

export async function logout(request: APIRequestContext): Promise<void> {
  await request.post('/api/auth/logout', {
    headers: {
      'x-csrf-token': ((await (await request.get('/api/session')).json()) as { csrfToken: string }).csrfToken,
    },
  });
}

/** The first login of an account made by someone else: the given password is replaced by PASSWORD. */
export async function firstLogin(request: APIRequestContext, loginName: string): Promise<void> {
  const call = await apiLogin(request, loginName, FIRST_PASSWORD);
  await call('post', '/api/auth/password', { currentPassword: FIRST_PASSWORD, newPassword: PASSWORD });
  await logout(request);
}

export async function loginThroughUi(page: Page, loginName: string, password = PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByLabel('ログインID').fill(loginName);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByRole('button', { name: 'ログアウト' })).toBeVisible();
}

/** The page has no WCAG 2.1 A/AA violation axe can find. */
export async function expectNoViolations(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

/** A 2021–2030 plan of two levels (基本目標 Ⅰ…, 施策 1…) evaluated by the preset 'achievement-5'; its id. */
export async function achievementPlan(
  call: Awaited<ReturnType<typeof apiLogin>>,
  mid: number,
  name: string,
): Promise<number> {
  const plan = (await call('post', `/api/m/${mid}/plans`, {
    title: `${name}男女共同参画プラン`,
    firstYear: 2021,
    lastYear: 2030,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
    evaluationPreset: 'achievement-5',
  })) as { plan: { id: number } };
  return plan.plan.id;
}

/**
 * A plan of the municipality with the preset 'achievement-5' (◎○△× computed on each indicator line), to
 * which the coordinator adds the department's own 自己評価 (A〜D) checked against that computation.
 */
export async function planWithSelfEvaluation(
  request: APIRequestContext,
  call: Awaited<ReturnType<typeof apiLogin>>,
  f: Fixture,
): Promise<number> {
  const planId = await achievementPlan(call, f.mid, f.name);
  const settings = (await (await request.get(`/api/m/${f.mid}/plans/${planId}/evaluation`)).json()) as {
    versions: { config: { scales: unknown[]; slots: { key: string }[] } }[];
  };
  const config = settings.versions[0]!.config;
  expect(config.slots.map((s) => s.key)).toEqual(['grade']);
  await call('put', `/api/m/${f.mid}/plans/${planId}/evaluation`, {
    fromYear: 2021,
    note: '自己評価を加える',
    config: {
      scales: [
        ...config.scales,
        {
          key: 'a-d',
          name: 'A〜D',
          rule: { kind: 'manual' },
          grades: [
            { code: 'A', label: '順調または目標達成', points: 4 },
            { code: 'B', label: '概ね順調', points: 3 },
            { code: 'C', label: '検討が必要', points: 2 },
            { code: 'D', label: '極めて不十分', points: 1 },
          ],
        },
      ],
      slots: [
        ...config.slots,
        {
          key: 'self',
          name: '自己評価',
          subject: 'record',
          enteredBy: 'department',
          scale: 'a-d',
          checkAgainst: 'grade',
        },
      ],
    },
  });
  return planId;
}
