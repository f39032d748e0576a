import { AxeBuilder } from '@axe-core/playwright';
import fs from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, apiLogin, createMunicipality, loginThroughUi, PASSWORD } from './support.js';

test.use({ viewport: { width: 1366, height: 768 } });

async function expectNoViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

async function expectNoHorizontalScroll(page: Page, what: string) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `horizontal scrolling on ${what}`).toBeLessThanOrEqual(0);
}

const csrf = async (request: APIRequestContext) =>
  ((await (await request.get('/api/session')).json()) as { csrfToken: string }).csrfToken;

/** A login attempt through the API: its status, and the session's user when it succeeded. */
async function tryLogin(
  request: APIRequestContext,
  loginName: string,
  password: string,
): Promise<{ status: number; mustChangePassword?: boolean }> {
  const res = await request.post('/api/auth/login', {
    data: { loginName, password },
    headers: { 'x-csrf-token': await csrf(request) },
  });
  if (res.status() !== 200) return { status: res.status() };
  const session = (await (await request.get('/api/session')).json()) as { user: { mustChangePassword: boolean } };
  await request.post('/api/auth/logout', { headers: { 'x-csrf-token': await csrf(request) } });
  return { status: 200, mustChangePassword: session.user.mustChangePassword };
}

/** The password fields by their exact label (the label also carries 「必須」). */
const passwordInput = (page: Page, label: string) =>
  page.getByLabel(new RegExp(`^${label.replace(/[()（）]/g, '.')}(必須)?$`));

test('a new account made on the users page must replace its temporary password before anything else', async ({
  page,
  request,
  playwright,
  baseURL,
}, testInfo) => {
  const f = await createMunicipality(request, '初回市');
  const login = `newcomer-${f.mid}`;
  const temporary = 'kari-no-aikotoba-4821';
  const chosen = 'Hoshizora-kaidan-73';

  await loginThroughUi(page, ADMIN.loginName, ADMIN.password);
  await page.goto(`/m/${f.mid}/users`);
  const form = page.locator('form', { has: page.getByRole('heading', { name: '利用者を登録' }) });
  await form.getByLabel('ログインID').fill(login);
  await form.getByLabel('氏名').fill('新任 太郎');
  await form.getByLabel('役割').selectOption({ label: '担当課・入力者' });
  await form.getByLabel('所属課').selectOption({ label: '人権推進課' });
  await passwordInput(page, '初期パスワード').fill(temporary);
  await expect(form.getByText('条件を満たしています')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('1-users-create.png') });
  await form.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '新任 太郎さんを登録しました' })).toBeVisible();
  await expect(page.getByRole('cell', { name: login, exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'ログアウト' }).click();

  const other = await playwright.request.newContext({ baseURL });
  expect(await tryLogin(other, login, temporary)).toEqual({ status: 200, mustChangePassword: true });

  // The first login shows the change page only.
  await loginThroughUi(page, login, temporary);
  await expect(page.getByRole('heading', { name: 'パスワードの変更', level: 1 })).toBeVisible();
  await expect(
    page.getByText('初めてのログイン、またはパスワードが再設定されたため、新しいパスワードを決めてください'),
  ).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'メインメニュー' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'ホーム' })).toHaveCount(0);
  await expectNoViolations(page, 'the forced password change');
  await page.screenshot({ path: testInfo.outputPath('2-forced-change.png') });
  // Another page of the app shows the same, and the server refuses the rest.
  await page.goto(`/m/${f.mid}/rounds`);
  await expect(page.getByRole('heading', { name: 'パスワードの変更', level: 1 })).toBeVisible();
  const refused = await page.request.get(`/api/m/${f.mid}/plans`);
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { passwordChangeRequired?: boolean }).passwordChangeRequired).toBe(true);

  // A weak password: the rule speaks as it is typed and beside the field; nothing is changed.
  await passwordInput(page, '今のパスワード').fill(temporary);
  const newPassword = passwordInput(page, '新しいパスワード');
  await newPassword.fill('password1234');
  await expect(page.getByText('よく使われるパスワードです。推測されにくいものにしてください')).toBeVisible();
  await passwordInput(page, '新しいパスワード（確認のためもう一度）').fill('password1234');
  await page.getByRole('button', { name: 'パスワードを変更する' }).click();
  await expect(newPassword).toHaveAttribute('aria-invalid', 'true');
  await expect(newPassword).toHaveAccessibleDescription(/よく使われるパスワードです/);
  await expect(newPassword).toBeFocused();
  await page.screenshot({ path: testInfo.outputPath('3-forced-change-weak.png') });
  expect(await tryLogin(other, login, temporary)).toEqual({ status: 200, mustChangePassword: true });
  expect((await tryLogin(other, login, 'password1234')).status).toBe(401);

  // A good one: the app appears.
  await newPassword.fill(chosen);
  await expect(page.getByText('条件を満たしています')).toBeVisible();
  await passwordInput(page, '新しいパスワード（確認のためもう一度）').fill(chosen);
  await page.getByRole('button', { name: 'パスワードを変更する' }).click();
  await expect(page.getByRole('heading', { name: '新任 太郎さんのやること' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'ホーム' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/m/${f.mid}/home$`));

  expect(await tryLogin(other, login, chosen)).toEqual({ status: 200, mustChangePassword: false });
  expect((await tryLogin(other, login, temporary)).status).toBe(401);
  await other.dispose();
});

test('a user changes their own password from the header; their other sessions end, this one stays', async ({
  page,
  browser,
  request,
}, testInfo) => {
  const f = await createMunicipality(request, '変更市');
  const chosen = 'Ginga-tetsudou-58x';
  const elsewhere = await browser.newContext();
  const otherPage = await elsewhere.newPage();
  await loginThroughUi(otherPage, f.editorB);

  await loginThroughUi(page, f.editorB);
  await page.getByRole('link', { name: 'パスワードの変更' }).click();
  await expect(page.getByRole('heading', { name: 'パスワードの変更', level: 1 })).toBeVisible();
  await expectNoViolations(page, 'the password page');

  const current = passwordInput(page, '今のパスワード');
  await current.fill('not-my-password-9');
  await passwordInput(page, '新しいパスワード').fill(chosen);
  await passwordInput(page, '新しいパスワード（確認のためもう一度）').fill(chosen);
  await page.getByRole('button', { name: 'パスワードを変更する' }).click();
  await expect(current).toHaveAccessibleDescription('今のパスワードが正しくありません');
  await expect(current).toHaveAttribute('aria-invalid', 'true');
  await expectNoViolations(page, 'the password page with an error');
  await page.screenshot({ path: testInfo.outputPath('4-password-wrong-current.png') });
  expect((await tryLogin(request, f.editorB, chosen)).status).toBe(401);

  await current.fill(PASSWORD);
  await page.getByRole('button', { name: 'パスワードを変更する' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'パスワードを変更しました' })).toBeVisible();
  await expect(current).toHaveValue('');
  await page.screenshot({ path: testInfo.outputPath('5-password-changed.png') });

  // Still signed in here; signed out in the other browser.
  expect((await page.request.get(`/api/m/${f.mid}/plans`)).status()).toBe(200);
  expect((await otherPage.request.get(`/api/m/${f.mid}/plans`)).status()).toBe(401);
  await otherPage.getByRole('link', { name: '計画', exact: true }).click();
  await expect(otherPage.getByRole('button', { name: 'ログイン' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'ログアウト' })).toBeVisible();
  await elsewhere.close();

  expect((await tryLogin(request, f.editorB, chosen)).status).toBe(200);
  expect((await tryLogin(request, f.editorB, PASSWORD)).status).toBe(401);
});

test('a coordinator is offered only the roles they manage and resets a department password with a temporary one', async ({
  page,
  request,
}, testInfo) => {
  const f = await createMunicipality(request, '権限市');
  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '利用者' }).click();
  await expect(page.getByRole('heading', { name: '利用者', level: 1 })).toBeVisible();
  const form = page.locator('form', { has: page.getByRole('heading', { name: '利用者を登録' }) });
  await expect(form.getByLabel('役割').locator('option')).toHaveText([
    '担当課・入力者',
    '担当課・閲覧者',
    '審議会委員',
    '評価委員',
  ]);
  // Their own row offers no reset: their own password is changed with the current one.
  await expect(page.getByRole('button', { name: '取りまとめ 担当のパスワードを再設定' })).toHaveCount(0);

  // The server refuses the role the screen does not offer.
  const token = await csrf(page.request);
  const peer = await page.request.post('/api/users', {
    data: {
      loginName: `peer-${f.mid}`,
      displayName: '同僚 担当',
      role: 'coordinator',
      password: 'dousou-no-aikotoba-55',
    },
    headers: { 'x-csrf-token': token },
  });
  expect(peer.status()).toBe(403);
  const listed = (await (await page.request.get(`/api/users?municipalityId=${f.mid}`)).json()) as {
    users: { loginName: string }[];
  };
  expect(listed.users.map((u) => u.loginName)).not.toContain(`peer-${f.mid}`);

  // Reset: the dialog takes a temporary password under the rule.
  await page.getByRole('button', { name: '入力 担当のパスワードを再設定' }).click();
  const dialog = page.getByRole('dialog', { name: '入力 担当さんのパスワードを再設定' });
  await expect(dialog).toContainText('次のログインでこの仮のパスワードを入力し、自分で新しいパスワードに変更します');
  const temporary = passwordInput(page, '仮のパスワード');
  await temporary.fill('aaaaaaaaaaaaaa');
  await expect(dialog.getByText('同じ文字や並んだ文字の繰り返しは使えません')).toBeVisible();
  await dialog.getByRole('button', { name: '再設定する' }).click();
  await expect(temporary).toHaveAttribute('aria-invalid', 'true');
  await expectNoViolations(page, 'the users page with the reset dialog');
  await page.screenshot({ path: testInfo.outputPath('6-reset-dialog.png') });
  expect((await tryLogin(request, f.editor, PASSWORD)).status).toBe(200);

  await temporary.fill('saisettei-kari-7391');
  await dialog.getByLabel('入力した文字を表示する').check();
  await expect(temporary).toHaveAttribute('type', 'text');
  await dialog.getByRole('button', { name: '再設定する' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: '入力 担当さんのパスワードを再設定しました' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('7-users-after-reset.png') });
  expect((await tryLogin(request, f.editor, PASSWORD)).status).toBe(401);
  expect(await tryLogin(request, f.editor, 'saisettei-kari-7391')).toEqual({ status: 200, mustChangePassword: true });
});

const WINDOWS_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

const jstDate = (ms: number) => new Date(ms + 9 * 3600_000).toISOString().slice(0, 10);

test('the coordinator reads failed logins in the audit trail, pages on and downloads them as CSV', async ({
  page,
  request,
  playwright,
  baseURL,
}, testInfo) => {
  const f = await createMunicipality(request, '監査市');
  // 52 wrong passwords for one of the municipality's users: more than one page (50) of the list.
  const guesser = await playwright.request.newContext({ baseURL, userAgent: WINDOWS_CHROME });
  const token = await csrf(guesser);
  for (let i = 0; i < 52; i++) {
    const res = await guesser.post('/api/auth/login', {
      data: { loginName: f.editor, password: `wrong-guess-${i}` },
      headers: { 'x-csrf-token': token },
    });
    expect(res.status()).toBe(401);
  }
  await guesser.dispose();
  const from = jstDate(Date.now() - 86_400_000);
  const to = jstDate(Date.now());

  await loginThroughUi(page, f.coordinator);
  await page.getByRole('link', { name: '監査記録' }).click();
  await expect(page.getByRole('heading', { name: '監査記録', level: 1 })).toBeVisible();
  await page.getByLabel('期間の始め').fill(from);
  await page.getByLabel('期間の終わり').fill(to);
  await page.getByLabel('操作').selectOption({ label: 'ログイン失敗' });
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(page).toHaveURL(/action=login_failed/);
  await expect(page.getByRole('status').filter({ hasText: '50件を表示（続きがあります）' })).toBeVisible();
  const rows = page.locator('.audit-table tbody tr');
  await expect(rows).toHaveCount(50);
  const first = rows.first();
  await expect(first.getByRole('cell').nth(1)).toHaveText('ログイン失敗');
  await expect(first.getByRole('cell').nth(3)).toContainText(f.editor);
  await expect(first.getByRole('cell').nth(4)).toHaveText('127.0.0.1');
  await expect(first.getByRole('cell').nth(5)).toHaveText('Chrome 131 / Windows');
  await expect(first.getByRole('cell').nth(0)).toHaveText(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
  await first.locator('summary').click();
  await expect(first.locator('pre')).toContainText(`"loginName": "${f.editor}"`);
  await expectNoViolations(page, 'the audit page');
  await expectNoHorizontalScroll(page, 'the audit page');
  await page.screenshot({ path: testInfo.outputPath('8-audit.png') });

  await page.getByRole('button', { name: 'さらに表示' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^52件を表示$/ })).toBeVisible();
  await expect(rows).toHaveCount(52);
  await expect(page.getByRole('button', { name: 'さらに表示' })).toHaveCount(0);

  // What the screen shows is what is stored.
  const stored = (await (await page.request.get(`/api/m/${f.mid}/audit?action=login_failed&limit=200`)).json()) as {
    entries: { actorLogin: string; ip: string; userAgent: string }[];
  };
  expect(stored.entries).toHaveLength(52);
  expect(new Set(stored.entries.map((e) => `${e.actorLogin} ${e.ip} ${e.userAgent}`))).toEqual(
    new Set([`${f.editor} 127.0.0.1 ${WINDOWS_CHROME}`]),
  );

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'この条件でCSVをダウンロード' }).click(),
  ]);
  const bytes = fs.readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...data] = parseCsv(bytes.subarray(3).toString('utf8'));
  expect(header).toEqual([
    'ID',
    '日時',
    '自治体ID',
    '操作',
    '対象',
    '対象ID',
    'ログインID',
    '氏名',
    'アドレス',
    'ブラウザ',
    '内容',
  ]);
  expect(data).toHaveLength(52);
  for (const r of data) {
    expect(r[2]).toBe(String(f.mid));
    expect(r[3]).toBe('login_failed');
    expect(r[6]).toBe(f.editor);
    expect(r[8]).toBe('127.0.0.1');
    expect(r[9]).toBe(WINDOWS_CHROME);
    expect(JSON.parse(r[10]!)).toEqual({ loginName: f.editor });
  }
  // The download is itself recorded, with the filters it used.
  const exports = (await (await page.request.get(`/api/m/${f.mid}/audit?action=export`)).json()) as {
    entries: { entity: string; actorLogin: string; detail: { filters: { action: string; from: string } } }[];
  };
  expect(exports.entries).toHaveLength(1);
  expect(exports.entries[0]).toMatchObject({
    entity: 'audit_log',
    actorLogin: f.coordinator,
    detail: { filters: { action: 'login_failed', from } },
  });

  // The whole trail is the administrators'.
  expect((await page.request.get('/api/audit')).status()).toBe(403);
  // Department users see no audit link, and the server refuses them.
  await apiLogin(request, f.editorB, PASSWORD);
  expect((await request.get(`/api/m/${f.mid}/audit`)).status()).toBe(403);
});

test('an administrator reads the events of no municipality, such as their own logins', async ({ page }, testInfo) => {
  await loginThroughUi(page, ADMIN.loginName, ADMIN.password);
  await page.getByRole('link', { name: '監査記録' }).click();
  await expect(page.getByRole('heading', { name: '監査記録（全体）', level: 1 })).toBeVisible();
  await page.getByLabel('自治体', { exact: true }).selectOption({ label: '自治体に属さない（管理者・不明なID）' });
  await page.getByLabel('操作').selectOption({ label: 'ログイン' });
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(page).toHaveURL(/municipality=none/);
  const rows = page.locator('.audit-table tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(rows.first().getByRole('cell').nth(1)).toHaveText('なし');
  await expect(rows.first().getByRole('cell').nth(4)).toContainText('admin');
  await expectNoViolations(page, 'the administrator audit page');
  await expectNoHorizontalScroll(page, 'the administrator audit page');
  await page.screenshot({ path: testInfo.outputPath('9-admin-audit.png') });

  const stored = (await (await page.request.get('/api/audit?municipality=none&action=login&limit=200')).json()) as {
    entries: { municipalityId: number | null; actorLogin: string }[];
  };
  expect(stored.entries.length).toBeGreaterThan(0);
  expect(stored.entries.every((e) => e.municipalityId === null)).toBe(true);
  expect(stored.entries.some((e) => e.actorLogin === 'admin')).toBe(true);
});
