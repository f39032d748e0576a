import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { apiLogin, createMunicipality, loginThroughUi, PASSWORD } from './support.js';

/**
 * A plan evaluated by the department (自己評価) and by the coordinating section (所管課評価) on each answer:
 * the coordinator enters its own evaluation from the review, beside the department's, and it stays.
 */
test('the coordinator grades an answer in its own slot from the review; the department’s grade stays beside it', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const f = await createMunicipality(request, '所管評価市');
  const coord = await apiLogin(request, f.coordinator, PASSWORD);
  const plan = (await coord('post', `/api/m/${f.mid}/plans`, {
    title: '所管評価市プラン',
    firstYear: 2021,
    lastYear: 2030,
    evaluationPreset: 'council-stars',
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
  })) as { plan: { id: number } };
  const planId = plan.plan.id;
  const goal = (await coord('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const dept = f.departments['人権推進課']!;
  const project = (await coord('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
    nodeId: goal.node.id,
    number: '1',
    name: '啓発講座',
    leadDepartmentId: dept,
  })) as { project: { id: number } };
  const round = (await coord('post', `/api/m/${f.mid}/rounds`, {
    planId,
    fiscalYear: 2025,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds: [dept],
  })) as { round: { id: number } };
  const sheetUrl = `/api/m/${f.mid}/rounds/${round.round.id}/departments/${dept}/sheet`;
  await answerAsDepartment(request, f.editor, sheetUrl, f.mid, project.project.id);

  await loginThroughUi(page, f.coordinator);
  await page.goto(`/m/${f.mid}/rounds/${round.round.id}/review`);
  const table = page.getByRole('table', { name: '提出された回答の一覧' });
  await table.getByRole('button', { name: /啓発講座/ }).click();
  const detail = page.getByRole('complementary', { name: '回答の詳細' });
  const form = detail.getByRole('form', { name: '所管課評価を入力' });
  await form.getByLabel('所管課評価').selectOption('B');
  await form.getByLabel('理由').fill('参加者が目標に届いていない');
  await form.getByRole('button', { name: '所管課評価を保存' }).click();
  await expect(form.getByRole('status')).toHaveText('保存しました');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);

  await page.reload();
  await table.getByRole('button', { name: /啓発講座/ }).click();
  await expect(detail.getByRole('form', { name: '所管課評価を入力' }).getByLabel('所管課評価')).toHaveValue('B');
  const stored = (await (await request.get(sheetUrl)).json()) as {
    items: { evaluations: { record: Record<string, { code: string | null; reason: string; source: string }> } }[];
  };
  expect(stored.items[0]!.evaluations.record.coord).toMatchObject({
    code: 'B',
    reason: '参加者が目標に届いていない',
    source: 'entered',
  });
  expect(stored.items[0]!.evaluations.record.self).toMatchObject({ code: 'A', source: 'entered' });
});

/** The department answers, grades itself A and submits, through the API as its editor. */
async function answerAsDepartment(
  request: APIRequestContext,
  editor: string,
  sheetUrl: string,
  mid: number,
  projectId: number,
): Promise<void> {
  const call = await apiLogin(request, editor, PASSWORD);
  const sheet = (await (await request.get(sheetUrl)).json()) as {
    items: { record: { id: number; version: number } }[];
  };
  const record = sheet.items[0]!.record;
  await call('put', `/api/m/${mid}/records/${record.id}`, {
    version: record.version,
    planText: '講座を開く',
    resultText: '講座を開いた',
    entries: [{ slotKey: 'self', subjectKind: 'record', subjectId: projectId, code: 'A' }],
  });
  await call('post', `/api/m/${mid}/records/${record.id}/submit`);
}
