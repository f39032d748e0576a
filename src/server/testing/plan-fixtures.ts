import { createdId, type Client } from './harness.js';

export const THREE_LEVELS = [
  { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
  { name: '施策の方向', numberingStyle: 'paren', numberingScope: 'plan' },
  { name: '施策', numberingStyle: 'circled', numberingScope: 'parent' },
] as const;

export async function createPlan(c: Client, mid: number, extra: Record<string, unknown> = {}): Promise<number> {
  const res = await c.post(`/api/m/${mid}/plans`, {
    title: 'テスト男女共同参画プラン',
    firstYear: 2021,
    lastYear: 2025,
    levels: THREE_LEVELS,
    ...extra,
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return createdId(res, 'plan');
}

export async function addNode(
  c: Client,
  mid: number,
  planId: number,
  title: string,
  parentId: number | null = null,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const res = await c.post(`/api/m/${mid}/plans/${planId}/nodes`, { title, parentId, ...extra });
  if (res.statusCode !== 201) throw new Error(res.body);
  return createdId(res, 'node');
}

/** The year-end round of a year, asking one department; its id. */
export async function openYearRound(coord: Client, mid: number, planId: number, dept: number, year: number) {
  const round = await coord.post(`/api/m/${mid}/rounds`, {
    planId,
    fiscalYear: year,
    phase: 'end',
    deadline: `${year + 1}-04-30`,
    departmentIds: [dept],
  });
  if (round.statusCode !== 201) throw new Error(round.body);
  return createdId(round, 'round');
}
