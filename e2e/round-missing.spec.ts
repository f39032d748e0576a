import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { apiLogin, loginThroughUi, PASSWORD } from './support.js';
import { openRound, planWorld, VIEWPORT } from './plan-world.js';

test('a project given to a 課 the open round does not ask is named on the round page and its answer added there', async ({
  page,
  request,
}) => {
  const w = await planWorld(request, '追加市');
  const rid = await openRound(request, w, 2025, ['人権推進課', '学校教育課', '子育て支援課']);
  // While the round is open, a project of 総務課 (not asked in the round) is added.
  const call = await apiLogin(request, w.coordinator, PASSWORD);
  const created = (await call('post', `/api/m/${w.mid}/plans/${w.planId}/projects`, {
    nodeId: w.nodes['被害者の自立支援'],
    number: '7',
    name: '庁内の相談窓口の案内',
    leadDepartmentId: w.departments['総務課'],
  })) as { project: { id: number } };

  await page.setViewportSize(VIEWPORT);
  await loginThroughUi(page, w.coordinator);
  await page.goto(`/m/${w.mid}/rounds/${rid}`);
  const notice = page.getByRole('region', { name: '回答票のない事業があります' });
  await expect(notice).toContainText('事業7「庁内の相談窓口の案内」— 総務課');
  await expect(notice).toContainText('総務課は、追加するとこの照会の照会先に加わります。');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('board-missing.png'), fullPage: true });
  await notice.getByRole('button', { name: '回答欄を追加する（1件）' }).click();
  await expect(page.getByRole('status').filter({ hasText: '1件の回答欄を追加しました' })).toBeVisible();
  await expect(notice).toHaveCount(0);
  // 総務課 joins the board with its answer not started (未着手 1, of 1).
  const soumu = page.getByRole('table', { name: '課別の回答状況（件数）' }).getByRole('row', { name: /総務課/ });
  await expect(soumu.getByRole('cell').first()).toHaveText('1');

  // Stored: 総務課 is asked in the round and has the project's answer, not started.
  const sheet = (await (
    await page.request.get(`/api/m/${w.mid}/rounds/${rid}/departments/${w.departments['総務課']}/sheet`)
  ).json()) as {
    round: { departments: { name: string }[] };
    items: { record: { projectId: number; status: string } }[];
  };
  expect(sheet.items.map((i) => i.record)).toEqual([
    expect.objectContaining({ projectId: created.project.id, status: 'not_started' }),
  ]);
  expect(sheet.round.departments.map((d) => d.name)).toContain('総務課');
});

test('the form of a new round suggests the year to run next, and its date box looks like the others', async ({
  page,
  request,
}) => {
  const w = await planWorld(request, '年度市');
  const rid = await openRound(request, w, 2025, ['人権推進課']);
  const call = await apiLogin(request, w.coordinator, PASSWORD);
  await call('post', `/api/m/${w.mid}/rounds/${rid}/close`);

  await page.setViewportSize(VIEWPORT);
  await loginThroughUi(page, w.coordinator);
  await page.getByRole('link', { name: '照会', exact: true }).click();
  const form = page.getByRole('form', { name: '照会を開始する' });
  // The only plan is chosen; after its 2025 year-end round, 2026 is next.
  await expect(form.getByLabel('計画')).toHaveValue(String(w.planId));
  await expect(form.getByLabel(/^年度/)).toHaveValue('2026');
  await expect(form.getByText('令和8年度（2026年度）')).toBeVisible();
  const look = (label: string) =>
    form.getByLabel(new RegExp(`^${label}`)).evaluate((el) => {
      const s = getComputedStyle(el);
      return [s.borderTopWidth, s.borderTopColor, s.borderRadius, s.paddingTop, s.fontSize].join(' ');
    });
  expect(await look('回答期限')).toBe(await look('年度'));
  await page.screenshot({ path: test.info().outputPath('rounds-form.png'), fullPage: true });

  await form.getByLabel(/^回答期限/).fill('2027-04-30');
  await form.getByRole('button', { name: '照会を開始する' }).click();
  await expect(page.getByRole('status').filter({ hasText: '照会を開始しました' })).toBeVisible();
  const rounds = (await (await page.request.get(`/api/m/${w.mid}/rounds`)).json()) as {
    rounds: { fiscalYear: number; deadline: string; status: string }[];
  };
  expect(rounds.rounds).toEqual(
    expect.arrayContaining([expect.objectContaining({ fiscalYear: 2026, deadline: '2027-04-30', status: 'open' })]),
  );
});

test('two rounds of one plan, year and phase are told apart in the list by the 課 they ask', async ({
  page,
  request,
}) => {
  const w = await planWorld(request, '二重市');
  const first = await openRound(request, w, 2025, ['人権推進課', '学校教育課', '子育て支援課']);
  const call = await apiLogin(request, w.coordinator, PASSWORD);
  await call('post', `/api/m/${w.mid}/rounds/${first}/close`);
  // A second year-end round of the same year, asking one 課 again.
  await openRound(request, w, 2025, ['総務課']);

  await page.setViewportSize(VIEWPORT);
  await loginThroughUi(page, w.coordinator);
  await page.getByRole('link', { name: '照会', exact: true }).click();
  const list = page.getByRole('table', { name: '照会の一覧' });
  const rows = list.getByRole('row').filter({ hasText: '年度末' });
  await expect(rows).toHaveCount(2);
  const header = await list.getByRole('columnheader').allTextContents();
  const asked = header.indexOf('対象');
  expect(asked).toBeGreaterThan(-1);
  const cells = await Promise.all([0, 1].map((i) => rows.nth(i).getByRole('cell').nth(asked).textContent()));
  expect(cells.sort()).toEqual(['1課', '3課']);
  await expect(list.getByTitle('総務課', { exact: true })).toHaveText('1課');
  await expect(list.getByTitle(/人権推進課/)).toHaveText('3課');
  await expect(list.getByTitle(/人権推進課/)).toHaveAttribute('title', /学校教育課/);
  await page.screenshot({ path: test.info().outputPath('rounds-list.png') });
});
