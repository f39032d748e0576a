import type { IndicatorDto } from '../../../domain/api-types.js';
import type { IndicatorInput } from '../../../domain/cycle.js';
import { parseValue } from '../../../domain/values.js';
import type { AppContext } from '../../context.js';
import { assertPlanNotArchived, findProjectRow, bumpPlan } from '../plans/index.js';
import type { DbOrTx } from '../../db/types.js';
import { toNumber } from '../../db/util.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanEditPlans, assertCanRead } from '../auth/index.js';
import {
  deleteIndicatorRow,
  findIndicatorRow,
  hasActuals,
  insertIndicator,
  isAssigned,
  listIndicatorRows,
  listTargetRows,
  replaceTargets,
  updateIndicatorRow,
  type IndicatorColumns,
} from './indicators.repository.js';

const numberOf = (text: string): number | null => {
  const p = parseValue(text);
  return p.kind === 'number' ? p.value : null;
};

/** Indicators of the given projects, with their yearly targets, in their order. */
export async function loadIndicators(
  db: DbOrTx,
  municipalityId: number,
  projectIds: number[],
): Promise<IndicatorDto[]> {
  if (projectIds.length === 0) return [];
  const rows = await listIndicatorRows(db, municipalityId, projectIds);
  const targets = rows.length
    ? await listTargetRows(
        db,
        rows.map((r) => r.id),
      )
    : [];
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    departmentId: r.department_id,
    name: r.name,
    unit: r.unit,
    kind: r.kind,
    direction: r.direction,
    baseline: {
      value: r.baseline_value === null ? null : toNumber(r.baseline_value),
      text: r.baseline_text,
      fiscalYear: r.baseline_year,
    },
    finalTarget: {
      value: r.final_target_value === null ? null : toNumber(r.final_target_value),
      text: r.final_target_text,
    },
    targets: targets
      .filter((t) => t.indicator_id === r.id)
      .map((t) => ({ fiscalYear: t.fiscal_year, value: t.value === null ? null : toNumber(t.value), text: t.text })),
  }));
}

/** The columns an indicator's form sets, as stored: numbers read from what was typed, text kept. */
function columnsOf(input: IndicatorInput): IndicatorColumns {
  return {
    department_id: input.departmentId,
    name: input.name,
    unit: input.unit,
    kind: input.kind,
    direction: input.direction,
    baseline_value: numberOf(input.baseline),
    baseline_text: input.baseline,
    baseline_year: input.baselineYear,
    final_target_value: numberOf(input.finalTarget),
    final_target_text: input.finalTarget,
  };
}

async function checkDepartment(db: DbOrTx, projectId: number, departmentId: number | null): Promise<void> {
  if (departmentId === null) return;
  if (!(await isAssigned(db, projectId, departmentId)))
    throw invalid('departmentId', 'この事業を担当する課を選んでください');
}

async function writeTargets(
  db: DbOrTx,
  municipalityId: number,
  indicatorId: number,
  targets: IndicatorInput['targets'],
): Promise<void> {
  const years = new Set<number>();
  for (const t of targets) {
    if (years.has(t.fiscalYear)) throw invalid('targets', `${t.fiscalYear}年度の目標が重複しています`);
    years.add(t.fiscalYear);
  }
  await replaceTargets(
    db,
    municipalityId,
    indicatorId,
    targets
      .filter((t) => t.text.trim() !== '')
      .map((t) => ({ fiscalYear: t.fiscalYear, value: numberOf(t.text), text: t.text })),
  );
}

export async function listIndicators(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  projectId: number,
): Promise<IndicatorDto[]> {
  assertCanRead(actor, municipalityId);
  if (!(await findProjectRow(ctx.db, municipalityId, projectId))) throw notFound('事業');
  return loadIndicators(ctx.db, municipalityId, [projectId]);
}

export async function createIndicator(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  projectId: number,
  input: IndicatorInput,
): Promise<IndicatorDto> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const project = await findProjectRow(tx, municipalityId, projectId);
    if (!project) throw notFound('事業');
    await checkDepartment(tx, projectId, input.departmentId);
    const id = await insertIndicator(tx, { municipalityId, planId: project.plan_id, projectId }, columnsOf(input));
    await writeTargets(tx, municipalityId, id, input.targets);
    await assertPlanNotArchived(tx, project.plan_id);
    await bumpPlan(tx, project.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'create',
      entity: 'indicator',
      entityId: id,
      detail: { projectId, ...input },
    });
    return (await loadIndicators(tx, municipalityId, [projectId])).find((i) => i.id === id)!;
  });
}

export async function updateIndicator(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  indicatorId: number,
  input: IndicatorInput,
): Promise<IndicatorDto> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await findIndicatorRow(tx, municipalityId, indicatorId);
    if (!before) throw notFound('活動指標');
    await checkDepartment(tx, before.project_id, input.departmentId);
    await updateIndicatorRow(tx, indicatorId, columnsOf(input));
    await writeTargets(tx, municipalityId, indicatorId, input.targets);
    await assertPlanNotArchived(tx, before.plan_id);
    await bumpPlan(tx, before.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'update',
      entity: 'indicator',
      entityId: indicatorId,
      detail: { before, after: input },
    });
    return (await loadIndicators(tx, municipalityId, [before.project_id])).find((i) => i.id === indicatorId)!;
  });
}

export async function deleteIndicator(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  indicatorId: number,
): Promise<void> {
  assertCanEditPlans(actor, municipalityId);
  await ctx.db.transaction().execute(async (tx) => {
    const before = await findIndicatorRow(tx, municipalityId, indicatorId);
    if (!before) throw notFound('活動指標');
    if (await hasActuals(tx, indicatorId))
      throw conflict(`活動指標「${before.name}」には実績が入力されているため削除できません`);
    await deleteIndicatorRow(tx, indicatorId);
    await assertPlanNotArchived(tx, before.plan_id);
    await bumpPlan(tx, before.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'delete',
      entity: 'indicator',
      entityId: indicatorId,
      detail: before,
    });
  });
}
