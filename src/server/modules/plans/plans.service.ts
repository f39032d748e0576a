import type { z } from 'zod';

import { currentYearOf, numbersOfYear } from './plan-years.js';
import type { Level, PlanDetail, PlanSummary } from '../../../domain/api-types.js';
import type { planCreateInput, planUpdateInput } from '../../../domain/schemas.js';
import type { EvaluationConfig } from '../../../domain/evaluation/index.js';
import { DEFAULT_PRESET, presetConfig } from '../../../domain/evaluation/presets.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanEditPlans, assertCanRead } from '../auth/index.js';
import { findMunicipality } from '../municipalities/index.js';
import * as repo from './plans.repository.js';
import { checkedPlanFields, planFieldsOf } from './plan-fields.service.js';
import { readJson } from '../../db/json.js';

export async function requirePlan(db: DbOrTx, municipalityId: number, planId: number) {
  const plan = await repo.findPlanRow(db, municipalityId, planId);
  if (!plan) throw notFound('計画');
  return plan;
}

/** An archived plan is read-only: its structure, indicators, scale and rounds stay as they were archived. */
export async function assertPlanNotArchived(db: DbOrTx, planId: number): Promise<void> {
  if (await repo.isArchived(db, planId))
    throw conflict('アーカイブした計画は変更できません。変更する場合は計画一覧で復元してください');
}

/**
 * Each node's own sub-plan tags, and those in effect (its own and every ancestor's), in the order of
 * the plan's sub-plans.
 */
function subPlanTags(
  nodeRows: { id: number; parent_id: number | null }[],
  tags: { node_id: number; sub_plan_id: number }[],
  subPlans: { id: number }[],
) {
  const ownTags = new Map<number, number[]>();
  for (const t of tags) ownTags.set(t.node_id, [...(ownTags.get(t.node_id) ?? []), t.sub_plan_id]);
  const subPlanOrder = new Map(subPlans.map((s, i) => [s.id, i]));
  const effective = new Map<number, number[]>();
  // Rows come ordered by depth, so a parent's effective tags are known before its children's.
  for (const n of nodeRows) {
    const inherited = n.parent_id === null ? [] : (effective.get(n.parent_id) ?? []);
    const all = [...new Set([...inherited, ...(ownTags.get(n.id) ?? [])])].sort(
      (a, b) => subPlanOrder.get(a)! - subPlanOrder.get(b)!,
    );
    effective.set(n.id, all);
  }
  return { ownTags, effective };
}

/** Each project's lead department and its co-departments in order. */
function projectDepartments(assignments: { project_id: number; department_id: number; is_lead: number }[]) {
  const leads = new Map<number, number>();
  const cos = new Map<number, number[]>();
  for (const a of assignments) {
    if (a.is_lead === 1) leads.set(a.project_id, a.department_id);
    else cos.set(a.project_id, [...(cos.get(a.project_id) ?? []), a.department_id]);
  }
  return { leads, cos };
}

export async function loadPlanDetail(db: DbOrTx, municipalityId: number, planId: number): Promise<PlanDetail> {
  const plan = await requirePlan(db, municipalityId, planId);
  const [levels, subPlans, nodeRows, tags, projectRows, assignments, listings] = await Promise.all([
    repo.listLevelRows(db, planId),
    repo.listSubPlanRows(db, planId),
    repo.listNodeRows(db, planId),
    repo.listNodeSubPlanRows(db, planId),
    repo.listProjectRows(db, planId),
    repo.listProjectDepartmentRows(db, planId),
    repo.listListingRows(db, planId),
  ]);
  const levelList: Level[] = levels.map((l) => ({
    depth: l.depth,
    name: l.name,
    numberingStyle: l.numbering_style,
    numberingScope: l.numbering_scope,
    numberHeading: l.number_heading,
  }));
  // Numbers as printed in the year being worked on; archived nodes keep the last ones they had.
  const [currentYear, fixedYears] = await Promise.all([currentYearOf(db, planId), repo.fixedYears(db, planId)]);
  const numbers = await numbersOfYear(db, planId, currentYear, nodeRows);
  const archivedNumbers = nodeRows.some((n) => n.archived_at !== null)
    ? await numbersOfYear(db, planId, null, nodeRows)
    : new Map<number, string>();
  const { ownTags, effective } = subPlanTags(nodeRows, tags, subPlans);
  const { leads, cos } = projectDepartments(assignments);
  const crossLists = new Map<number, number[]>();
  for (const l of listings) crossLists.set(l.project_id, [...(crossLists.get(l.project_id) ?? []), l.node_id]);
  return {
    plan: {
      id: plan.id,
      title: plan.title,
      slogan: plan.slogan,
      firstYear: plan.first_year,
      lastYear: plan.last_year,
      subPlans: subPlans.map((s) => ({ id: s.id, name: s.name })),
      updatedAt: plan.updated_at,
      archived: plan.archived_at !== null,
      ...planFieldsOf(plan),
      currentYear,
      fixedYears,
    },
    levels: levelList,
    nodes: nodeRows.map((n) => ({
      id: n.id,
      parentId: n.parent_id,
      depth: n.depth,
      position: n.position,
      number: numbers.get(n.id) ?? archivedNumbers.get(n.id) ?? '',
      numberOverride: n.number_override,
      countsInNumbering: n.counts_in_numbering !== 0,
      startYear: n.first_year,
      endYear: n.last_year,
      archived: n.archived_at !== null,
      title: n.title,
      description: n.description,
      priority: n.priority === 1,
      subPlanIds: ownTags.get(n.id) ?? [],
      effectiveSubPlanIds: effective.get(n.id) ?? [],
    })),
    projects: projectRows.map((p) => ({
      id: p.id,
      nodeId: p.node_id,
      number: p.number,
      name: p.name,
      summary: p.summary,
      category: p.category,
      audience: p.audience,
      custom: readJson.customValues(p.custom),
      position: p.position,
      leadDepartmentId: leads.get(p.id) ?? null,
      coDepartmentIds: cos.get(p.id) ?? [],
      crossListNodeIds: crossLists.get(p.id) ?? [],
      startYear: p.first_year,
      endYear: p.last_year,
      archived: p.archived_at !== null,
    })),
  };
}

export async function listPlans(ctx: AppContext, actor: Actor, municipalityId: number): Promise<PlanSummary[]> {
  assertCanRead(actor, municipalityId);
  const [rows, counts] = await Promise.all([
    repo.listPlanRows(ctx.db, municipalityId),
    repo.planCounts(ctx.db, municipalityId),
  ]);
  return rows.map((p) => ({
    id: p.id,
    title: p.title,
    slogan: p.slogan,
    firstYear: p.first_year,
    lastYear: p.last_year,
    nodeCount: counts.nodes.get(p.id) ?? 0,
    projectCount: counts.projects.get(p.id) ?? 0,
    archived: p.archived_at !== null,
    customFields: planFieldsOf(p).customFields,
  }));
}

export async function getPlan(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
): Promise<PlanDetail> {
  assertCanRead(actor, municipalityId);
  return loadPlanDetail(ctx.db, municipalityId, planId);
}

/** The configuration a new plan evaluates with: the one given, else the named preset (A〜D by hand by default). */
function firstEvaluation(input: z.output<typeof planCreateInput>): EvaluationConfig {
  if (input.evaluation) return input.evaluation;
  const preset = presetConfig(input.evaluationPreset ?? DEFAULT_PRESET);
  if (!preset) throw invalid('evaluationPreset', `評価方法のひな形「${input.evaluationPreset}」はありません`);
  return preset;
}

export async function insertPlan(
  tx: DbOrTx,
  municipalityId: number,
  input: z.output<typeof planCreateInput>,
  actor: Actor | null = null,
): Promise<number> {
  const evaluation = firstEvaluation(input);
  const planId = await repo.insertPlanRow(tx, {
    municipalityId,
    title: input.title,
    slogan: input.slogan,
    firstYear: input.firstYear,
    lastYear: input.lastYear,
    categories: input.categories && JSON.stringify(input.categories),
    customFields: input.customFields && JSON.stringify(input.customFields),
  });
  await repo.replaceLevels(tx, municipalityId, planId, input.levels);
  await writeSubPlans(tx, municipalityId, planId, input.subPlans);
  await repo.insertEvaluationVersion(
    tx,
    { municipalityId, planId, fromYear: input.firstYear, definition: JSON.stringify(evaluation), note: '' },
    actor ? { id: actor.user.id, displayName: actor.user.displayName } : null,
  );
  return planId;
}

/** Keeps existing sub-plans by name, adds new ones, and refuses to drop one that nodes still carry. */
async function writeSubPlans(tx: DbOrTx, municipalityId: number, planId: number, names: string[]): Promise<void> {
  if (new Set(names).size !== names.length) throw invalid('subPlans', '同じ関連計画が重複しています');
  const existing = await repo.listSubPlanRows(tx, planId);
  for (const old of existing.filter((s) => !names.includes(s.name))) {
    if (await repo.subPlanInUse(tx, old.id))
      throw conflict(`関連計画「${old.name}」は項目に設定されているため削除できません。先に項目から外してください`);
    await repo.deleteSubPlan(tx, old.id);
  }
  for (const [i, name] of names.entries()) {
    const found = existing.find((s) => s.name === name);
    if (found) await repo.setSubPlanPosition(tx, found.id, i);
    else await repo.insertSubPlan(tx, municipalityId, planId, name, i);
  }
}

export async function createPlan(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  input: z.output<typeof planCreateInput>,
): Promise<PlanDetail> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    if (!(await findMunicipality(tx, municipalityId))) throw notFound('自治体');
    const planId = await insertPlan(tx, municipalityId, input, actor);
    await audit(tx, actor, { municipalityId, action: 'create', entity: 'plan', entityId: planId, detail: input });
    return loadPlanDetail(tx, municipalityId, planId);
  });
}

export async function updatePlan(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
  input: z.output<typeof planUpdateInput>,
): Promise<PlanDetail> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await requirePlan(tx, municipalityId, planId);
    await assertPlanNotArchived(tx, planId);
    const firstYear = input.firstYear ?? before.first_year;
    const lastYear = input.lastYear ?? before.last_year;
    if (lastYear < firstYear) throw invalid('lastYear', '計画期間の終了年度は開始年度以降にしてください');
    if (input.levels) {
      const deepest = await repo.deepestNodeDepth(tx, planId);
      if (deepest !== null && deepest >= input.levels.length)
        throw conflict(`第${deepest + 1}階層に項目があるため、階層を${input.levels.length}段に減らせません`);
      await repo.replaceLevels(tx, municipalityId, planId, input.levels);
    }
    if (input.subPlans) await writeSubPlans(tx, municipalityId, planId, input.subPlans);
    await repo.updatePlanRow(tx, planId, {
      title: input.title ?? before.title,
      slogan: input.slogan ?? before.slogan,
      first_year: firstYear,
      last_year: lastYear,
      ...(await checkedPlanFields(tx, planId, input)),
    });
    await repo.bumpPlan(tx, planId);
    await audit(tx, actor, {
      municipalityId,
      action: 'update',
      entity: 'plan',
      entityId: planId,
      detail: { before, after: input },
    });
    return loadPlanDetail(tx, municipalityId, planId);
  });
}

/**
 * A plan is deleted only while nothing was ever asked or published under it. A plan with rounds,
 * answers or publications is archived instead (archivePlan): its reports and public pages stay.
 */
export async function deletePlan(ctx: AppContext, actor: Actor, municipalityId: number, planId: number): Promise<void> {
  assertCanEditPlans(actor, municipalityId);
  await ctx.db.transaction().execute(async (tx) => {
    const before = await requirePlan(tx, municipalityId, planId);
    const { round, snapshot, node } = await repo.planHolds(tx, planId);
    if (round || snapshot)
      throw conflict(
        `「${before.title}」には${snapshot ? '公表した報告' : '照会と回答'}があるため削除できません。使わなくなった計画はアーカイブしてください（報告と公表はそのまま残ります）`,
      );
    if (node) throw conflict(`「${before.title}」には項目があるため削除できません。先に項目と事業を削除してください`);
    await repo.deletePlanRow(tx, planId);
    await audit(tx, actor, { municipalityId, action: 'delete', entity: 'plan', entityId: planId, detail: before });
  });
}

/** Archiving: the plan leaves the plan list and opens no rounds; everything it holds stays readable. */
export async function setPlanArchived(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
  archived: boolean,
): Promise<PlanDetail> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await requirePlan(tx, municipalityId, planId);
    if (archived === (before.archived_at !== null))
      throw conflict(archived ? 'この計画はすでにアーカイブされています' : 'この計画はアーカイブされていません');
    if (archived) {
      if (await repo.findOpenRound(tx, planId))
        throw conflict('回答受付中の照会があるためアーカイブできません。先に照会を締め切ってください');
    }
    await repo.setPlanArchivedAt(tx, planId, archived ? now() : null);
    await audit(tx, actor, {
      municipalityId,
      action: archived ? 'archive' : 'restore',
      entity: 'plan',
      entityId: planId,
      detail: { title: before.title },
    });
    return loadPlanDetail(tx, municipalityId, planId);
  });
}
