import type { Sheet } from '../../../domain/api-types.js';
import { recordSaveInput } from '../../../domain/cycle.js';
import { fiscalYearEnd, fiscalYearOf } from '../../../domain/fiscal-year.js';
import type { AppContext } from '../../context.js';
import type { Actor } from '../auth/index.js';
import { createIndicator } from '../indicators/index.js';
import { approveRecords, saveRecord, submitDepartment } from '../records/index.js';
import { closeRound, departmentSheet, openRound } from '../rounds/index.js';
import { publishReport } from '../reports/reports.service.js';

/**
 * A year of サンプル市's cycle, made through the same services as the screens: indicators on a few
 * projects, last fiscal year answered and approved, and this fiscal year open with answers in
 * several states. Years follow today's date so that a newcomer sees a live cycle.
 */
export async function loadSampleCycle(ctx: AppContext, admin: Actor): Promise<void> {
  const m = await ctx.db
    .selectFrom('municipalities')
    .select('id')
    .where('code', '=', '990001')
    .executeTakeFirstOrThrow();
  const plan = await ctx.db
    .selectFrom('plans')
    .select('id')
    .where('municipality_id', '=', m.id)
    .executeTakeFirstOrThrow();
  const projects = await ctx.db
    .selectFrom('projects')
    .select(['id', 'number', 'name'])
    .where('plan_id', '=', plan.id)
    .execute();
  const byNumber = new Map(projects.map((p) => [p.number, p.id]));
  const indicators: [string, string, string, 'higher' | 'lower' | 'none', string, string][] = [
    ['1', 'コラムの掲載回数', '回', 'higher', '6回', '12回'],
    ['3', '講座の参加者数', '人', 'higher', '45人', '80人'],
    ['13', '女性委員の割合', '%', 'higher', '31.9%', '40%'],
    ['14', '女性委員のいない審議会等の数', '団体', 'lower', '4団体', '0団体'],
    ['26', '出前講座の実施校数', '校', 'higher', '3校', '8校'],
    ['28', '女性相談の件数', '件', 'none', '', ''],
  ];
  for (const [number, name, unit, direction, baseline, target] of indicators)
    await createIndicator(ctx, admin, m.id, byNumber.get(number)!, {
      departmentId: null,
      name,
      unit,
      kind: unit === '%' ? 'percentage' : 'number',
      direction,
      baseline,
      baselineYear: baseline ? 2020 : null,
      finalTarget: target,
      targets: target
        ? [{ fiscalYear: Math.min(2030, Math.max(2021, fiscalYearOf(new Date()) - 1)), text: target }]
        : [],
    });

  // The plan runs 2021–2030; keep the sample inside it whatever today's date is.
  const current = Math.min(2030, Math.max(2022, fiscalYearOf(new Date())));
  const previous = current - 1;
  const units = await ctx.db
    .selectFrom('departments')
    .select('id')
    .where('municipality_id', '=', m.id)
    .where('kind', '=', 'ka')
    .where('active_to', 'is', null)
    .execute();
  const departmentIds = units.map((u) => u.id);
  const roundPrevious = await openRound(ctx, admin, m.id, {
    planId: plan.id,
    fiscalYear: previous,
    phase: 'end',
    deadline: `${previous + 1}-04-30`,
    instructions: '',
    departmentIds,
  });
  const answer = async (
    roundId: number,
    departmentId: number,
    fill: (s: Sheet['items'][number]) => Record<string, unknown> | null,
  ) => {
    const sheet = await departmentSheet(ctx, admin, m.id, roundId, departmentId);
    for (const item of sheet.items) {
      const body = fill(item);
      if (body)
        await saveRecord(
          ctx,
          admin,
          m.id,
          item.record.id,
          recordSaveInput.parse({ version: item.record.version, ...body }),
        );
    }
    return sheet.items.length;
  };
  const done = (item: Sheet['items'][number]) => ({
    planText: `${item.project.name}を計画どおり実施する。`,
    resultText: `${item.project.name}を実施した。参加者の感想をもとに内容を見直した。`,
    grade: 'B',
    nextYearPlan: `引き続き${item.project.name}を実施し、周知の方法を工夫する。`,
    actuals: item.indicators.map((i) => ({ indicatorId: i.id, text: i.unit === '%' ? '33.5%' : `5${i.unit}` })),
  });
  for (const d of departmentIds) {
    if ((await answer(roundPrevious.id, d, done)) === 0) continue;
    await submitDepartment(ctx, admin, m.id, roundPrevious.id, d);
    await approveRecords(ctx, admin, m.id, { roundId: roundPrevious.id, departmentId: d });
  }
  await closeRound(ctx, admin, m.id, roundPrevious.id);
  // Last year's report is published, so that the public page (/public/990001) has one to show.
  await publishReport(ctx, admin, m.id, {
    planId: plan.id,
    fiscalYear: previous,
    layout: 'department-sheets',
    asOf: fiscalYearEnd(previous),
    includeUnapproved: false,
  });

  // This year: one department has submitted, another has started.
  const roundCurrent = await openRound(ctx, admin, m.id, {
    planId: plan.id,
    fiscalYear: current,
    phase: 'end',
    deadline: `${current + 1}-04-30`,
    instructions:
      '各事業の今年度の実績と自己評価を入力し、期限までに提出してください。活動指標は実数で入力し、実施しなかった場合は「未実施」などを選んでください。',
    departmentIds,
  });
  const [first, second] = departmentIds;
  await answer(roundCurrent.id, first!, (item) => ({ ...done(item), grade: 'A' }));
  await submitDepartment(ctx, admin, m.id, roundCurrent.id, first!);
  await answer(roundCurrent.id, second!, (item) => ({
    planText: item.record.planText,
    resultText: '上半期に1回実施した。',
  }));
}
