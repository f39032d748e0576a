import { expect, test } from '@playwright/test';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD } from './support.js';

test("a department editor of one municipality gets 403/404 on another municipality's plan", async ({
  page,
  request,
}) => {
  const a = await createMunicipality(request, '甲市');
  const b = await createMunicipality(request, '乙町');
  const callB = await apiLogin(request, b.coordinator, PASSWORD);
  const planB = (await callB('post', `/api/m/${b.mid}/plans`, {
    title: '乙町の計画',
    firstYear: 2021,
    lastYear: 2025,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };

  await loginThroughUi(page, a.editor);
  const byPath = await page.request.get(`/api/m/${b.mid}/plans/${planB.plan.id}`);
  expect(byPath.status()).toBe(403);
  const byId = await page.request.get(`/api/m/${a.mid}/plans/${planB.plan.id}`);
  expect(byId.status()).toBe(404);

  await page.goto(`/m/${b.mid}/plans/${planB.plan.id}`);
  await expect(page.getByRole('alert')).toContainText('他の自治体のデータにはアクセスできません');
  await expect(page.getByText('乙町の計画')).toHaveCount(0);
  await page.goto(`/m/${a.mid}/plans/${planB.plan.id}`);
  await expect(page.getByRole('alert')).toContainText('計画が見つかりません');
});

test('when the session ends on the server, the next action shows the login screen', async ({ page, request }) => {
  const f = await createMunicipality(request, '期限市');
  await loginThroughUi(page, f.coordinator);
  await expect(page.getByText('いま対応が必要なものはありません')).toBeVisible();
  await expect(page.locator('.municipality-name')).toHaveText('期限市');
  const csrf = ((await (await page.request.get('/api/session')).json()) as { csrfToken: string }).csrfToken;
  expect((await page.request.post('/api/auth/logout', { headers: { 'x-csrf-token': csrf } })).status()).toBe(200);
  await page.getByRole('link', { name: '組織' }).click();
  await expect(page.getByRole('button', { name: 'ログイン' })).toBeVisible();
});
