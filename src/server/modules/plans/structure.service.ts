import type { z } from 'zod';
import type { nodeInput, nodeMoveInput, nodeUpdateInput, ProjectInput } from '../../../domain/schemas.js';
import { placeAt, wouldCreateCycle } from '../../../domain/tree.js';
import type { AppContext } from '../../app.js';
import type { DbOrTx } from '../../db/types.js';
import { flag, now, toNumber } from '../../db/util.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/audit.js';
import { type Actor, assertCanEditPlans } from '../auth/actor.js';
import * as repo from './plans.repository.js';
import type { PlanNode, Project } from '../../../domain/api-types.js';
import { loadPlanDetail, requirePlan } from './plans.service.js';

async function subPlanIdsByName(tx: DbOrTx, planId: number, names: string[]): Promise<number[]> {
  const all = await repo.listSubPlanRows(tx, planId);
  return names.map((name) => {
    const s = all.find((x) => x.name === name);
    if (!s) throw invalid('subPlans', `関連計画「${name}」はこの計画に登録されていません`);
    return s.id;
  });
}

async function writeNodeTags(tx: DbOrTx, municipalityId: number, nodeId: number, ids: number[]): Promise<void> {
  await tx.deleteFrom('plan_node_sub_plans').where('node_id', '=', nodeId).execute();
  if (ids.length) await tx.insertInto('plan_node_sub_plans').values(ids.map((id) => ({ municipality_id: municipalityId, node_id: nodeId, sub_plan_id: id }))).execute();
}

async function nodeDto(tx: DbOrTx, municipalityId: number, planId: number, nodeId: number): Promise<PlanNode> {
  return (await loadPlanDetail(tx, municipalityId, planId)).nodes.find((n) => n.id === nodeId)!;
}

async function touchPlan(tx: DbOrTx, planId: number): Promise<void> {
  await tx.updateTable('plans').set((eb) => ({ updated_at: now(), revision: eb('revision', '+', 1) })).where('id', '=', planId).execute();
}

export async function insertNode(tx: DbOrTx, municipalityId: number, planId: number, input: z.output<typeof nodeInput>): Promise<number> {
  let depth = 0;
  if (input.parentId !== null) {
    const parent = await repo.findNodeRow(tx, municipalityId, input.parentId);
    if (!parent || parent.plan_id !== planId) throw invalid('parentId', 'この計画の項目を選んでください');
    depth = parent.depth + 1;
  }
  const levels = await repo.listLevelRows(tx, planId);
  if (depth >= levels.length) throw invalid('parentId', `この計画の階層は${levels.length}段までです。最下層の下には項目を追加できません`);
  const siblings = await repo.siblingIds(tx, planId, input.parentId);
  const t = now();
  const row = await tx
    .insertInto('plan_nodes')
    .values({
      municipality_id: municipalityId,
      plan_id: planId,
      parent_id: input.parentId,
      depth,
      position: siblings.length + 1,
      title: input.title,
      description: input.description,
      number_override: input.numberOverride,
      priority: flag(input.priority),
      created_at: t,
      updated_at: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeNodeTags(tx, municipalityId, row.id, await subPlanIdsByName(tx, planId, input.subPlans));
  return row.id;
}

export async function createNode(ctx: AppContext, actor: Actor, municipalityId: number, planId: number, input: z.output<typeof nodeInput>): Promise<PlanNode> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    await requirePlan(tx, municipalityId, planId);
    const id = await insertNode(tx, municipalityId, planId, input);
    await touchPlan(tx, planId);
    await audit(tx, actor, { municipalityId, action: 'create', entity: 'plan_node', entityId: id, detail: { planId, ...input } });
    return nodeDto(tx, municipalityId, planId, id);
  });
}

export async function updateNode(ctx: AppContext, actor: Actor, municipalityId: number, nodeId: number, input: z.output<typeof nodeUpdateInput>): Promise<PlanNode> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await repo.findNodeRow(tx, municipalityId, nodeId);
    if (!before) throw notFound('項目');
    await tx
      .updateTable('plan_nodes')
      .set({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.numberOverride !== undefined ? { number_override: input.numberOverride } : {}),
        ...(input.priority !== undefined ? { priority: flag(input.priority) } : {}),
        updated_at: now(),
      })
      .where('id', '=', nodeId)
      .execute();
    if (input.subPlans) await writeNodeTags(tx, municipalityId, nodeId, await subPlanIdsByName(tx, before.plan_id, input.subPlans));
    await touchPlan(tx, before.plan_id);
    await audit(tx, actor, { municipalityId, action: 'update', entity: 'plan_node', entityId: nodeId, detail: { before, after: input } });
    return nodeDto(tx, municipalityId, before.plan_id, nodeId);
  });
}

/**
 * Moves a node under another parent of the level above (or among the top level) and to a place
 * among its new siblings. A node keeps its level: 施策 stay 施策 wherever they go.
 */
export async function moveNode(ctx: AppContext, actor: Actor, municipalityId: number, nodeId: number, input: z.output<typeof nodeMoveInput>): Promise<PlanNode> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const node = await repo.findNodeRow(tx, municipalityId, nodeId);
    if (!node) throw notFound('項目');
    const all = await tx.selectFrom('plan_nodes').select(['id', 'parent_id as parentId']).where('plan_id', '=', node.plan_id).execute();
    if (wouldCreateCycle(all, nodeId, input.parentId)) throw invalid('parentId', '項目を自分自身やその下の項目の下へは移動できません');
    if (input.parentId === null) {
      if (node.depth !== 0) throw invalid('parentId', '最上位へ移動できるのは最上位の階層の項目だけです');
    } else {
      const parent = await repo.findNodeRow(tx, municipalityId, input.parentId);
      if (!parent || parent.plan_id !== node.plan_id) throw invalid('parentId', 'この計画の項目を選んでください');
      if (parent.depth !== node.depth - 1) throw invalid('parentId', '移動先は一つ上の階層の項目にしてください');
    }
    const oldSiblings = await repo.siblingIds(tx, node.plan_id, node.parent_id);
    const newSiblings = node.parent_id === input.parentId ? oldSiblings : await repo.siblingIds(tx, node.plan_id, input.parentId);
    await tx.updateTable('plan_nodes').set({ parent_id: input.parentId, updated_at: now() }).where('id', '=', nodeId).execute();
    if (node.parent_id !== input.parentId) await repo.setPositions(tx, oldSiblings.filter((id) => id !== nodeId));
    await repo.setPositions(tx, placeAt(newSiblings, nodeId, input.index));
    await touchPlan(tx, node.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'move',
      entity: 'plan_node',
      entityId: nodeId,
      detail: { from: { parentId: node.parent_id, position: node.position }, to: input },
    });
    return nodeDto(tx, municipalityId, node.plan_id, nodeId);
  });
}

export async function deleteNode(ctx: AppContext, actor: Actor, municipalityId: number, nodeId: number): Promise<void> {
  assertCanEditPlans(actor, municipalityId);
  await ctx.db.transaction().execute(async (tx) => {
    const node = await repo.findNodeRow(tx, municipalityId, nodeId);
    if (!node) throw notFound('項目');
    const count = async (q: Promise<{ n: unknown } | undefined>) => toNumber((await q)?.n);
    const children = await count(tx.selectFrom('plan_nodes').select((eb) => eb.fn.countAll().as('n')).where('parent_id', '=', nodeId).executeTakeFirst());
    const projects = await count(tx.selectFrom('projects').select((eb) => eb.fn.countAll().as('n')).where('node_id', '=', nodeId).executeTakeFirst());
    const listed = await count(tx.selectFrom('project_listings').select((eb) => eb.fn.countAll().as('n')).where('node_id', '=', nodeId).executeTakeFirst());
    const reasons = [children && `下位の項目が${children}件`, projects && `事業が${projects}件`, listed && `再掲されている事業が${listed}件`].filter(Boolean);
    if (reasons.length) throw conflict(`「${node.title}」には${reasons.join('、')}あるため削除できません。先に移動するか削除してください`);
    await tx.deleteFrom('plan_nodes').where('id', '=', nodeId).execute();
    await repo.setPositions(tx, await repo.siblingIds(tx, node.plan_id, node.parent_id));
    await touchPlan(tx, node.plan_id);
    await audit(tx, actor, { municipalityId, action: 'delete', entity: 'plan_node', entityId: nodeId, detail: node });
  });
}

async function checkProjectRefs(tx: DbOrTx, municipalityId: number, planId: number, input: ProjectInput): Promise<void> {
  const nodeIds = [input.nodeId, ...input.crossListNodeIds];
  const nodes = await tx.selectFrom('plan_nodes').select('id').where('plan_id', '=', planId).where('id', 'in', nodeIds).execute();
  if (!nodes.some((n) => n.id === input.nodeId)) throw invalid('nodeId', 'この計画の項目を選んでください');
  if (nodes.length !== new Set(nodeIds).size) throw invalid('crossListNodeIds', '再掲先にはこの計画の項目を選んでください');
  const deptIds = [input.leadDepartmentId, ...input.coDepartmentIds];
  const depts = await tx.selectFrom('departments').select('id').where('municipality_id', '=', municipalityId).where('id', 'in', deptIds).execute();
  if (!depts.some((d) => d.id === input.leadDepartmentId)) throw invalid('leadDepartmentId', 'この自治体の課を選んでください');
  if (depts.length !== deptIds.length) throw invalid('coDepartmentIds', '関係課にはこの自治体の課を選んでください');
}

async function writeProjectLinks(tx: DbOrTx, municipalityId: number, projectId: number, input: ProjectInput): Promise<void> {
  await tx.deleteFrom('project_departments').where('project_id', '=', projectId).execute();
  await tx
    .insertInto('project_departments')
    .values([input.leadDepartmentId, ...input.coDepartmentIds].map((d, i) => ({ municipality_id: municipalityId, project_id: projectId, department_id: d, is_lead: flag(i === 0), position: i })))
    .execute();
  await tx.deleteFrom('project_listings').where('project_id', '=', projectId).execute();
  if (input.crossListNodeIds.length)
    await tx
      .insertInto('project_listings')
      .values(input.crossListNodeIds.map((n, i) => ({ municipality_id: municipalityId, project_id: projectId, node_id: n, position: i })))
      .execute();
}

async function assertNumberFree(tx: DbOrTx, planId: number, number: string, exceptId?: number): Promise<void> {
  let q = tx.selectFrom('projects').select('id').where('plan_id', '=', planId).where('number', '=', number);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw conflict(`事業番号「${number}」はこの計画ですでに使われています`);
}

export async function insertProject(tx: DbOrTx, municipalityId: number, planId: number, input: ProjectInput): Promise<number> {
  await checkProjectRefs(tx, municipalityId, planId, input);
  await assertNumberFree(tx, planId, input.number);
  const last = await tx.selectFrom('projects').select('position').where('node_id', '=', input.nodeId).orderBy('position', 'desc').limit(1).executeTakeFirst();
  const t = now();
  const row = await tx
    .insertInto('projects')
    .values({
      municipality_id: municipalityId,
      plan_id: planId,
      node_id: input.nodeId,
      number: input.number,
      name: input.name,
      summary: input.summary,
      category: input.category,
      audience: input.audience,
      position: (last?.position ?? 0) + 1,
      created_at: t,
      updated_at: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeProjectLinks(tx, municipalityId, row.id, input);
  return row.id;
}

async function projectDto(tx: DbOrTx, municipalityId: number, planId: number, id: number): Promise<Project> {
  return (await loadPlanDetail(tx, municipalityId, planId)).projects.find((p) => p.id === id)!;
}

export async function createProject(ctx: AppContext, actor: Actor, municipalityId: number, planId: number, input: ProjectInput): Promise<Project> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    await requirePlan(tx, municipalityId, planId);
    const id = await insertProject(tx, municipalityId, planId, input);
    await touchPlan(tx, planId);
    await audit(tx, actor, { municipalityId, action: 'create', entity: 'project', entityId: id, detail: { planId, ...input } });
    return projectDto(tx, municipalityId, planId, id);
  });
}

export async function updateProject(ctx: AppContext, actor: Actor, municipalityId: number, projectId: number, input: ProjectInput): Promise<Project> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await repo.findProjectRow(tx, municipalityId, projectId);
    if (!before) throw notFound('事業');
    const beforeDto = await projectDto(tx, municipalityId, before.plan_id, projectId);
    await checkProjectRefs(tx, municipalityId, before.plan_id, input);
    await assertNumberFree(tx, before.plan_id, input.number, projectId);
    let position = before.position;
    if (input.nodeId !== before.node_id) {
      const last = await tx.selectFrom('projects').select('position').where('node_id', '=', input.nodeId).orderBy('position', 'desc').limit(1).executeTakeFirst();
      position = (last?.position ?? 0) + 1;
    }
    await tx
      .updateTable('projects')
      .set({ node_id: input.nodeId, number: input.number, name: input.name, summary: input.summary, category: input.category, audience: input.audience, position, updated_at: now() })
      .where('id', '=', projectId)
      .execute();
    await writeProjectLinks(tx, municipalityId, projectId, input);
    await touchPlan(tx, before.plan_id);
    await audit(tx, actor, { municipalityId, action: 'update', entity: 'project', entityId: projectId, detail: { before: beforeDto, after: input } });
    return projectDto(tx, municipalityId, before.plan_id, projectId);
  });
}

export async function deleteProject(ctx: AppContext, actor: Actor, municipalityId: number, projectId: number): Promise<void> {
  assertCanEditPlans(actor, municipalityId);
  await ctx.db.transaction().execute(async (tx) => {
    const before = await repo.findProjectRow(tx, municipalityId, projectId);
    if (!before) throw notFound('事業');
    const beforeDto = await projectDto(tx, municipalityId, before.plan_id, projectId);
    await tx.deleteFrom('projects').where('id', '=', projectId).execute();
    await touchPlan(tx, before.plan_id);
    await audit(tx, actor, { municipalityId, action: 'delete', entity: 'project', entityId: projectId, detail: beforeDto });
  });
}
