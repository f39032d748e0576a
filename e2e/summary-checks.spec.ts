import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type { ReportSummaryResponse, ReviewTable, Sheet } from '../src/domain/api-types.js';
import { CHECK_KINDS } from '../src/domain/evaluation/checks.js';
import {
  apiLogin,
  createMunicipality,
  expectNoViolations,
  loginThroughUi,
  PASSWORD,
  planWithSelfEvaluation,
  type Fixture,
} from './support.js';

const VIEWPORT = { width: 1366, height: 768 };
const TITLE = '自己評価の確認事項（課別）';

type Call = Awaited<ReturnType<typeof apiLogin>>;
type CheckLine = NonNullable<ReportSummaryResponse['summary']['checks']>[number];

async function newPage(browser: Browser, loginName: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await loginThroughUi(page, loginName);
  return page;
}

/** A plan with the department's 自己評価 checked against the computed grade, one 基本目標 and one 施策 under it. */
async function planWithMeasure(request: APIRequestContext, call: Call, f: Fixture) {
  const planId = await planWithSelfEvaluation(request, call, f);
  const goal = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, { title: '意識づくり' })) as {
    node: { id: number };
  };
  const node = (await call('post', `/api/m/${f.mid}/plans/${planId}/nodes`, {
    title: '啓発',
    parentId: goal.node.id,
  })) as { node: { id: number } };
  const addProject = async (number: string, name: string, departmentId: number) =>
    (
      (await call('post', `/api/m/${f.mid}/plans/${planId}/projects`, {
        nodeId: node.node.id,
        number,
        name,
        leadDepartmentId: departmentId,
      })) as { project: { id: number } }
    ).project.id;
  return { planId, addProject };
}

async function openRound(call: Call, mid: number, planId: number, departmentIds: number[]): Promise<number> {
  const round = (await call('post', `/api/m/${mid}/rounds`, {
    planId,
    fiscalYear: 2025,
    phase: 'end',
    deadline: '2099-04-30',
    departmentIds,
  })) as { round: { id: number } };
  return round.round.id;
}

/** A department's 自己評価 saved through the API as the coordinator does for it (no reason, no remark). */
async function gradeThroughApi(request: APIRequestContext, call: Call, mid: number, rid: number, did: number) {
  const sheet = (await (await request.get(`/api/m/${mid}/rounds/${rid}/departments/${did}/sheet`)).json()) as Sheet;
  const item = sheet.items[0]!;
  await call('put', `/api/m/${mid}/records/${item.record.id}`, {
    version: item.record.version,
    planText: '計画どおり実施する',
    resultText: '実施した',
    remarks: '',
    entries: [{ slotKey: 'self', subjectKind: 'record', subjectId: item.project.id, code: 'B' }],
  });
}

async function summaryChecks(request: APIRequestContext, f: Fixture, planId: number): Promise<CheckLine[]> {
  // read with the coordinator's API session
  const res = await request.get(`/api/m/${f.mid}/report-summary?planId=${planId}&fiscalYear=2025&depth=0`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as ReportSummaryResponse).summary.checks!;
}

/** 集計 of 2025 for the plan, as chosen on the screen. */
async function showSummary(page: Page, mid: number) {
  await page.goto(`/m/${mid}/summary`);
  await page.getByRole('textbox', { name: /^年度/ }).fill('R7');
  await page.getByRole('button', { name: '集計する' }).click();
  await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
}

/** The table's body as text: each department row's header and counts. */
async function tableRows(page: Page): Promise<string[][]> {
  const table = page.getByRole('table', { name: new RegExp(`^${TITLE}`) });
  return table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
}

const asCells = (l: CheckLine) => [l.label, ...CHECK_KINDS.map((k) => String(l.counts[k])), String(l.total)];

test('集計 counts the self-evaluation checks per department as the API does, and each row opens the review of that department’s flagged answers', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const f = await createMunicipality(request, '確認事項市');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const { planId, addProject } = await planWithMeasure(request, call, f);
  const school = f.departments['学校教育課']!;
  const rights = f.departments['人権推進課']!;
  const children = f.departments['子育て支援課']!;
  const kouza = await addProject('1', '啓発講座', school);
  const kenshu = await addProject('2', '教職員研修', school);
  await addProject('3', '出前授業', school);
  await addProject('4', '相談窓口', rights);
  await addProject('5', '子育て講座', children);
  for (const [project, name, target] of [
    [kouza, '講座開催回数', '5回'],
    [kenshu, '研修参加者数', '100人'],
  ] as const)
    await call('post', `/api/m/${f.mid}/projects/${project}/indicators`, {
      name,
      unit: target.endsWith('回') ? '回' : '人',
      kind: 'number',
      direction: 'higher',
      targets: [{ fiscalYear: 2025, text: target }],
    });
  const rid = await openRound(call, f.mid, planId, [rights, school, children]);
  // 子育て支援課 grades B with neither reason nor remark: a shortfall without a stated reason.
  await gradeThroughApi(request, call, f.mid, rid, children);

  // 学校教育課 answers on its sheet: A against a line at 60%, A with the actual left empty, and one clean answer.
  const editor = await newPage(browser, f.editorB);
  await editor.goto(`/m/${f.mid}/rounds/${rid}/departments/${school}`);
  const card = (name: string) => editor.getByRole('article', { name: new RegExp(name) });
  const answer = async (name: string, actual: [string, string] | null) => {
    const c = card(name);
    await c.getByLabel('事業予定', { exact: true }).fill(`${name}を実施する`);
    await c.getByLabel('実績・取組状況', { exact: true }).fill(`${name}を実施した`);
    if (actual) await c.getByLabel(`${actual[0]}の今年度の実績`).fill(actual[1]);
    await c.getByLabel('自己評価', { exact: true }).selectOption('A');
    await expect(c.getByText(/保存しました/)).toBeVisible();
  };
  await answer('啓発講座', ['講座開催回数', '3回']);
  await answer('教職員研修', null);
  await answer('出前授業', null);
  await expect(card('啓発講座').getByRole('status', { name: '回答の確認事項' })).toContainText('高すぎる可能性');
  await expect(card('教職員研修').getByRole('status', { name: '回答の確認事項' })).toContainText('実績がありません');
  await expect(editor.getByText('未保存の変更があります')).toHaveCount(0);

  // What the API counts: every answering department, in the organisation's order.
  const checks = await summaryChecks(request, f, planId);
  const zero = { contradicts: 0, sameAsLastYear: 0, shortfallWithoutReason: 0, gradeWithoutActual: 0 };
  expect(checks).toEqual([
    { departmentId: rights, label: '人権推進課', counts: zero, total: 0 },
    { departmentId: school, label: '学校教育課', counts: { ...zero, contradicts: 1, gradeWithoutActual: 1 }, total: 2 },
    { departmentId: children, label: '子育て支援課', counts: { ...zero, shortfallWithoutReason: 1 }, total: 1 },
  ]);

  // The coordinator's 集計 shows the same numbers, the departments with checks first.
  const coord = await newPage(browser, f.coordinator);
  await showSummary(coord, f.mid);
  const section = coord.getByRole('region', { name: `${TITLE}の表` });
  await expect(coord.getByRole('heading', { name: TITLE, level: 2 })).toBeVisible();
  await expect(coord.getByText('誤りではなく確認のための警告')).toBeVisible();
  const table = section.getByRole('table', { name: `${TITLE}（令和7年度）` });
  await expect(table.getByRole('columnheader')).toHaveText([
    '課名',
    '自己評価が計算と食い違う',
    '実績が前年度と同じ文章',
    '評価が最上位でないのに理由・今後の対応がない',
    '実績がないのに評価がある',
    '合計',
  ]);
  const flaggedFirst = [...checks.filter((l) => l.total > 0), ...checks.filter((l) => l.total === 0)];
  await expect.poll(() => tableRows(coord)).toEqual(flaggedFirst.map(asCells));
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table.locator('tfoot tr').getByRole('cell')).toHaveText(['1', '0', '1', '1', '3']);
  await expect(coord.getByText('確認事項 3件（3課のうち2課）')).toBeVisible();
  // Only departments with checks link anywhere.
  await expect(table.getByRole('row', { name: /人権推進課/ }).getByRole('link')).toHaveCount(0);
  await expectNoViolations(coord, '集計 with the checks per department');
  await table.scrollIntoViewIfNeeded();
  await coord.screenshot({ path: test.info().outputPath('summary-checks.png') });
  expect(await coord.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORT.width);

  // The department's link opens the review narrowed to its answers with checks: exactly the two flagged.
  await table.getByRole('link', { name: '学校教育課' }).click();
  await expect(coord).toHaveURL(new RegExp(`/rounds/${rid}/review\\?department=${school}&checks=1$`));
  await expect(coord.getByLabel('課', { exact: true })).toHaveValue(String(school));
  await expect(coord.getByRole('checkbox', { name: '確認事項あり' })).toBeChecked();
  const review = coord.getByRole('table', { name: '提出された回答の一覧' });
  await expect(review.locator('tbody tr')).toHaveCount(2);
  await expect(review.locator('tbody tr .c-checks')).toHaveText([
    /自己評価が計算と食い違う/,
    /実績がないのに評価がある/,
  ]);
  const shown = await review.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
  const stored = (await (await request.get(`/api/m/${f.mid}/rounds/${rid}/review`)).json()) as ReviewTable;
  const flagged = stored.rows.filter((r) => r.departmentId === school && r.checks.length > 0);
  expect(flagged.map((r) => r.projectName)).toEqual(['啓発講座', '教職員研修']);
  expect(shown.map((t) => flagged.filter((r) => t.includes(r.projectName)).length)).toEqual([1, 1]);
  expect(shown.some((t) => t.includes('出前授業'))).toBe(false);
  // Back on 集計, the same year's summary is there again, without choosing the year once more.
  await coord.goBack();
  await expect(coord.getByRole('table', { name: /自己評価の確認事項（課別）/ })).toBeVisible();
  await expect(coord.getByRole('link', { name: '学校教育課' })).toBeVisible();

  // 学校教育課 sees its own row only, which opens its sheet.
  await showSummary(editor, f.mid);
  const own = editor.getByRole('table', { name: `${TITLE}（令和7年度）` });
  await expect.poll(() => tableRows(editor)).toEqual([['学校教育課', '1', '0', '0', '1', '2']]);
  await own.getByRole('link', { name: '学校教育課' }).click();
  await expect(editor).toHaveURL(new RegExp(`/rounds/${rid}/departments/${school}$`));
  await expect(editor.getByRole('heading', { level: 1, name: /学校教育課の回答シート/ })).toBeVisible();

  // The council does not see the checks at all.
  const council = await newPage(browser, f.council);
  await showSummary(council, f.mid);
  await expect(council.getByRole('heading', { name: TITLE })).toHaveCount(0);
});

test('集計 says so when nothing was found, and keeps 60 departments readable in its own scroll region at 1366×768', async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const f = await createMunicipality(request, '六十課市');
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const { planId, addProject } = await planWithMeasure(request, call, f);
  const bu = (await call('post', `/api/m/${f.mid}/departments`, { name: '企画部', kind: 'bu' })) as {
    department: { id: number };
  };
  const stems = ['企画', 'まちづくり推進・都市計画調整', '市民協働', '福祉総務', '地域包括ケア推進', '環境保全'];
  const departments: number[] = [];
  for (let i = 0; i < 60; i++) {
    const d = (await call('post', `/api/m/${f.mid}/departments`, {
      name: `${stems[i % stems.length]}第${i + 1}課`,
      kind: 'ka',
      parentId: bu.department.id,
    })) as { department: { id: number } };
    departments.push(d.department.id);
    await addProject(String(i + 1), `事業${i + 1}`, d.department.id);
  }
  const rid = await openRound(call, f.mid, planId, departments);

  // No answer graded yet: one line says so, and no empty table.
  const coord = await newPage(browser, f.coordinator);
  await showSummary(coord, f.mid);
  await expect(coord.getByText('令和7年度の回答（60課）に、確認事項はありません。')).toBeVisible();
  await expect(coord.getByRole('table', { name: new RegExp(`^${TITLE}`) })).toHaveCount(0);
  expect((await summaryChecks(request, f, planId)).every((l) => l.total === 0)).toBe(true);

  // Every third department grades B without a reason.
  const graded = departments.filter((_, i) => i % 3 === 1);
  for (const did of graded) await gradeThroughApi(request, call, f.mid, rid, did);
  const checks = await summaryChecks(request, f, planId);
  expect(checks.filter((l) => l.total > 0).map((l) => l.departmentId)).toEqual(graded);

  await showSummary(coord, f.mid);
  const region = coord.getByRole('region', { name: `${TITLE}の表` });
  const table = region.getByRole('table');
  const flaggedFirst = [...checks.filter((l) => l.total > 0), ...checks.filter((l) => l.total === 0)];
  await expect.poll(() => tableRows(coord)).toEqual(flaggedFirst.map(asCells));
  await expect(table.getByRole('link')).toHaveCount(graded.length);
  await expectNoViolations(coord, '集計 with 60 departments');

  // The region scrolls on its own, with the header and the total row in view; the page does not scroll sideways.
  await region.scrollIntoViewIfNeeded();
  const box = (await region.boundingBox())!;
  expect(box.height).toBeLessThan(VIEWPORT.height);
  await coord.screenshot({ path: test.info().outputPath('summary-checks-60.png') });
  await region.focus();
  await coord.keyboard.press('End');
  await expect.poll(() => region.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  const inRegion = async (locator: ReturnType<Page['locator']>) => {
    const b = (await locator.boundingBox())!;
    return b.y >= box.y - 1 && b.y + b.height <= box.y + box.height + 1;
  };
  await expect.poll(() => inRegion(table.locator('thead th').first())).toBe(true);
  await expect.poll(() => inRegion(table.locator('tfoot th'))).toBe(true);
  await expect(table.locator('tfoot tr').getByRole('cell')).toHaveText(['0', '0', '20', '0', '20']);
  await coord.screenshot({ path: test.info().outputPath('summary-checks-60-scrolled.png') });
  expect(await coord.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORT.width);
});
