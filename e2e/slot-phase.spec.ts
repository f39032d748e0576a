import { expect, test } from '@playwright/test';
import { apiLogin, createMunicipality, expectNoViolations, loginThroughUi, PASSWORD } from './support.js';

const VIEWPORT = { width: 1366, height: 768 };

/**
 * A plan whose self-evaluation (評価, A〜D) belongs to the year-end round: in the mid-year round the
 * department writes its progress, sees the grade slot without a control and the round that asks for it;
 * in the year-end round it chooses the grade, which is stored.
 */
test('a grade of the year-end round is shown, not asked, on the mid-year sheet, and entered at year end', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const f = await createMunicipality(request, '中間照会市');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const dept = f.departments['人権推進課']!;
  const planId = (
    (await call('post', `/api/m/${f.mid}/plans`, {
      title: '中間照会市プラン',
      firstYear: 2021,
      lastYear: 2030,
      levels: [
        { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
        { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
      ],
      evaluationPreset: 'manual-a-d',
    })) as { plan: { id: number } }
  ).plan.id;
  const settings = (await (await request.get(`/api/m/${f.mid}/plans/${planId}/evaluation`)).json()) as {
    versions: { config: { scales: unknown[]; slots: { key: string; phase: string | null }[] } }[];
  };
  // The preset asks for the grade at year end.
  expect(settings.versions[0]!.config.slots.map((s) => [s.key, s.phase])).toEqual([['self', 'end']]);
  const node = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const project = (await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
    nodeId: node.node.id,
    number: '1',
    name: '啓発講座',
    leadDepartmentId: dept,
  })) as { project: { id: number } };
  const open = async (phase: 'mid' | 'end') =>
    (
      (await call('post', `/api/m/${f.mid}/rounds`, {
        planId,
        fiscalYear: 2025,
        phase,
        deadline: '2099-04-30',
        departmentIds: [dept],
      })) as { round: { id: number } }
    ).round.id;
  const stored = async (roundId: number) => {
    const res = await request.get(`/api/m/${f.mid}/rounds/${roundId}/departments/${dept}/sheet`);
    const items = (
      (await res.json()) as {
        items: {
          project: { id: number };
          record: { resultText: string; entries: { slotKey: string; code: string }[] };
        }[];
      }
    ).items;
    return items.find((i) => i.project.id === project.project.id)!.record;
  };

  const midRound = await open('mid');
  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(page, f.editor);
  await page.goto(`/m/${f.mid}/rounds/${midRound}/departments/${dept}`);
  const card = page.getByRole('article', { name: /啓発講座/ });
  await expect(card.getByText('年度末（実績・評価）の照会で入力します')).toBeVisible();
  await expect(card.locator('.slot-name')).toHaveText(['評価']);
  await expect(card.getByRole('combobox', { name: /^評価/ })).toHaveCount(0);
  await card.getByLabel('実績・取組状況', { exact: true }).fill('上半期に講座を2回開いた');
  await expect(card.getByText(/保存しました/)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('slot-phase-mid.png') });
  await expectNoViolations(page, 'the mid-year sheet');
  await page.reload();
  await expect(card.getByLabel('実績・取組状況', { exact: true })).toHaveValue('上半期に講座を2回開いた');
  expect(await stored(midRound)).toMatchObject({ resultText: '上半期に講座を2回開いた', entries: [] });
  await call('post', `/api/m/${f.mid}/rounds/${midRound}/close`);

  const endRound = await open('end');
  await page.goto(`/m/${f.mid}/rounds/${endRound}/departments/${dept}`);
  await card.getByRole('combobox', { name: /^評価/ }).selectOption('B');
  await expect(card.getByText('年度末（実績・評価）の照会で入力します')).toHaveCount(0);
  await expect(card.getByText(/保存しました/)).toBeVisible();
  await page.reload();
  await expect(card.getByRole('combobox', { name: /^評価/ })).toHaveValue('B');
  expect((await stored(endRound)).entries).toEqual([expect.objectContaining({ slotKey: 'self', code: 'B' })]);
});
