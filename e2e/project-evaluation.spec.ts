import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { NodeEvaluationsDto } from '../src/domain/api-types.js';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD } from './support.js';

test('the coordinator evaluates each project as a whole and the plan on the 体系ごとの評価 screen, and both are kept', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const f = await createMunicipality(request, '事業評価市');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const { plan } = (await call('post', `/api/m/${f.mid}/plans`, {
    title: '事業評価市プラン',
    firstYear: 2023,
    lastYear: 2027,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const abcd = {
    key: 'a-d',
    name: 'A〜D',
    rule: { kind: 'manual' },
    grades: [
      { code: 'A', label: '順調', tally: true, points: 3, hand: false },
      { code: 'B', label: '概ね順調', tally: true, points: 2, hand: false },
      { code: 'C', label: '遅れている', tally: true, points: 1, hand: false },
    ],
  };
  await call('put', `/api/m/${f.mid}/plans/${plan.id}/evaluation`, {
    fromYear: 2023,
    config: {
      scales: [abcd],
      slots: [
        { key: 'self', name: '自己評価', subject: 'record', enteredBy: 'department', scale: 'a-d' },
        { key: 'proj', name: '事業評価', subject: 'project', enteredBy: 'coordinator', scale: 'a-d' },
        {
          key: 'whole',
          name: '計画全体の評価',
          subject: 'plan',
          enteredBy: 'coordinator',
          scale: 'a-d',
          comment: true,
        },
      ],
    },
  });
  const { node } = (await call('post', `/api/m/${f.mid}/plans/${plan.id}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const { project } = (await call('post', `/api/m/${f.mid}/plans/${plan.id}/projects`, {
    nodeId: node.id,
    number: '1',
    name: '啓発講座',
    leadDepartmentId: f.departments['人権推進課'],
  })) as { project: { id: number } };

  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await loginThroughUi(page, f.coordinator);
  await page.goto(`/m/${f.mid}/evaluations/${plan.id}/2024`);
  const row = page.getByRole('row', { name: /事業1\s?啓発講座/ });
  await expect(row).toBeVisible();
  await row.getByLabel(/啓発講座の事業評価$/).selectOption('B');
  await row.getByRole('button', { name: /啓発講座の\s?事業評価を保存$/ }).click();
  await expect(row.getByRole('status')).toHaveText('保存しました');
  const whole = page.getByRole('row', { name: /計画全体/ });
  await whole.getByLabel(/計画全体の計画全体の評価$/).selectOption('A');
  await whole.getByLabel(/計画全体の計画全体の評価のコメント$/).fill('全体として順調');
  await whole.getByRole('button', { name: /計画全体の\s?計画全体の評価を保存$/ }).click();
  await expect(whole.getByRole('status')).toHaveText('保存しました');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('project-evaluations.png') });

  await page.reload();
  await expect(row.getByLabel(/啓発講座の事業評価$/)).toHaveValue('B');
  await expect(whole.getByLabel(/計画全体の計画全体の評価のコメント$/)).toHaveValue('全体として順調');
  await apiLogin(request, f.coordinator, PASSWORD);
  const stored = (await (
    await request.get(`/api/m/${f.mid}/plans/${plan.id}/years/2024/node-evaluations`)
  ).json()) as NodeEvaluationsDto;
  expect(stored.rows.find((r) => r.subjectKind === 'project' && r.subjectId === project.id)!.values.proj).toMatchObject(
    {
      code: 'B',
      source: 'entered',
    },
  );
  expect(stored.rows.find((r) => r.subjectKind === 'plan')!.values.whole).toMatchObject({
    code: 'A',
    comment: '全体として順調',
  });

  // The project ends with 令和5年度: its 令和6年度 evaluation is kept and listed, neither printed nor counted.
  const coord = await apiLogin(request, f.coordinator, PASSWORD);
  await coord('put', `/api/m/${f.mid}/projects/${project.id}`, {
    ...{ nodeId: node.id, number: '1', name: '啓発講座' },
    ...{ leadDepartmentId: f.departments['人権推進課'], endYear: 2023 },
  });
  await page.reload();
  const stray = page.getByRole('region', { name: /この年度の体系にない対象への入力済みの評価（1件）/ });
  await expect(stray.getByRole('listitem')).toHaveText('事業評価：事業1 啓発講座 — B');
  await expect(page.getByRole('row', { name: /事業1\s?啓発講座/ })).toHaveCount(0);
  const axe2 = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe2.violations.map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('stray-evaluations.png') });
});
