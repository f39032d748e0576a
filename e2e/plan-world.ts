import type { APIRequestContext } from '@playwright/test';
import { apiLogin, createMunicipality, PASSWORD, type Fixture } from './support.js';

export const VIEWPORT = { width: 1366, height: 768 };

export interface PlanWorld extends Fixture {
  planId: number;
  /** node ids by title */
  nodes: Record<string, number>;
  /** project ids by number */
  projects: Record<string, number>;
  call: Awaited<ReturnType<typeof apiLogin>>;
}

/**
 * A plan of two 基本目標, each with two 施策, and six projects of different 課 (the coordinator's API
 * session is left signed in as `call`).
 */
export async function planWorld(request: APIRequestContext, name: string): Promise<PlanWorld> {
  const f = await createMunicipality(request, name);
  const call = await apiLogin(request, f.coordinator, PASSWORD);
  const m = `/api/m/${f.mid}`;
  const plan = (await call('post', `${m}/plans`, {
    title: `${name}男女共同参画プラン`,
    firstYear: 2021,
    lastYear: 2030,
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '施策', numberingStyle: 'circled', numberingScope: 'parent' },
    ],
  })) as { plan: { id: number } };
  const planId = plan.plan.id;
  const nodes: Record<string, number> = {};
  const node = async (title: string, parent?: string) => {
    const r = (await call('post', `${m}/plans/${planId}/nodes`, {
      title,
      parentId: parent ? nodes[parent] : null,
    })) as { node: { id: number } };
    nodes[title] = r.node.id;
  };
  await node('意識づくり');
  await node('広報・啓発', '意識づくり');
  await node('教育・学習', '意識づくり');
  await node('暴力の根絶');
  await node('相談体制の充実', '暴力の根絶');
  await node('被害者の自立支援', '暴力の根絶');
  const projects: Record<string, number> = {};
  const project = async (number: string, nodeTitle: string, projectName: string, lead: string, co: string[] = []) => {
    const r = (await call('post', `${m}/plans/${planId}/projects`, {
      nodeId: nodes[nodeTitle],
      number,
      name: projectName,
      leadDepartmentId: f.departments[lead],
      coDepartmentIds: co.map((d) => f.departments[d]),
    })) as { project: { id: number } };
    projects[number] = r.project.id;
  };
  await project('1', '広報・啓発', '広報紙による啓発', '人権推進課');
  await project('2', '広報・啓発', '男女共同参画講座の開催', '人権推進課', ['学校教育課']);
  await project('3', '教育・学習', '学校での人権教育', '学校教育課');
  await project('4', '相談体制の充実', 'ＤＶ相談窓口の周知', '子育て支援課');
  await project('5', '相談体制の充実', '相談員の研修', '人権推進課');
  await project('6', '被害者の自立支援', 'ひとり親家庭の就労支援', '子育て支援課');
  return { ...f, planId, nodes, projects, call };
}

/** A date `days` from today in Japan, as YYYY-MM-DD. */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + 9 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** Opens a round of the plan for these 課 as the coordinator; the coordinator's API session is left signed in. */
export async function openRound(
  request: APIRequestContext,
  w: PlanWorld,
  fiscalYear: number,
  departments: string[],
  deadline = '2099-04-30',
): Promise<number> {
  const call = await apiLogin(request, w.coordinator, PASSWORD);
  const r = (await call('post', `/api/m/${w.mid}/rounds`, {
    planId: w.planId,
    fiscalYear,
    phase: 'end',
    deadline,
    departmentIds: departments.map((d) => w.departments[d]),
  })) as { round: { id: number } };
  return r.round.id;
}

interface SheetRecord {
  id: number;
  projectId: number;
  version: number;
}

/**
 * A 課 answers its projects of a round (results as given, graded A), submitting those named — as the
 * editor of the 課 (人権推進課: editor, 学校教育課: editorB); the editor's API session is left signed in.
 */
export async function answer(
  request: APIRequestContext,
  w: PlanWorld,
  roundId: number,
  department: '人権推進課' | '学校教育課',
  results: Record<string, { resultText: string; nextYearPlan?: string; actual?: string }>,
  submit: boolean,
): Promise<void> {
  const login = department === '人権推進課' ? w.editor : w.editorB;
  const call = await apiLogin(request, login, PASSWORD);
  const m = `/api/m/${w.mid}`;
  const sheet = (await (
    await request.get(`${m}/rounds/${roundId}/departments/${w.departments[department]}/sheet`)
  ).json()) as { items: { record: SheetRecord; indicators: { id: number }[] }[] };
  for (const [number, r] of Object.entries(results)) {
    const item = sheet.items.find((i) => i.record.projectId === w.projects[number])!;
    await call('put', `${m}/records/${item.record.id}`, {
      version: item.record.version,
      planText: '計画どおり実施する',
      resultText: r.resultText,
      nextYearPlan: r.nextYearPlan ?? '',
      actuals: r.actual ? item.indicators.map((i) => ({ indicatorId: i.id, text: r.actual })) : [],
      entries: [{ slotKey: 'self', subjectKind: 'record', subjectId: item.record.projectId, code: 'A' }],
    });
    if (submit) await call('post', `${m}/records/${item.record.id}/submit`);
  }
}

/** The coordinator approves every submitted answer of a 課 in a round; the coordinator's API session is left signed in. */
export async function approve(request: APIRequestContext, w: PlanWorld, roundId: number, department: string) {
  const call = await apiLogin(request, w.coordinator, PASSWORD);
  await call('post', `/api/m/${w.mid}/rounds/${roundId}/departments/${w.departments[department]}/approve`);
}
