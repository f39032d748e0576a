import type { z } from 'zod';
import type {
  nodeInput,
  nodeMoveInput,
  nodeUpdateInput,
  numberingPreviewInput,
  ProjectInput,
} from '../../../domain/schemas.js';
import { descendantIds, placeAt, wouldCreateCycle } from '../../../domain/tree.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { flag, now, toNumber } from '../../db/util.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanEditPlans } from '../auth/index.js';
import * as repo from './plans.repository.js';
import type { NumberingChange, NumberingPreview, PlanNode, Project } from '../../../domain/api-types.js';
import { assertPlanNotArchived, loadPlanDetail, requirePlan } from './plans.service.js';
import { nextNumber } from '../../../domain/numbering.js';
import { currentYearOf, frozenNumbers, lastFixedYear, numberNodes, rowInYear } from './plan-years.js';
import { insertRecords } from '../records/index.js';
import { checkedProjectFields } from './plan-fields.service.js';

async function subPlanIdsByName(tx: DbOrTx, planId: number, names: string[]): Promise<number[]> {
  const all = await repo.listSubPlanRows(tx, planId);
  return names.map((name) => {
    const s = all.find((x) => x.name === name);
    if (!s) throw invalid('subPlans', `関連計画「${name}」はこの計画に登録されていません`);
    return s.id;
  });
}

async function writeNodeTags(tx: DbOrTx, municipalityId: number, nodeId: number, ids: number[]): Promise<void> {
  await repo.replaceNodeTags(tx, municipalityId, nodeId, ids);
}

async function nodeDto(tx: DbOrTx, municipalityId: number, planId: number, nodeId: number): Promise<PlanNode> {
  return (await loadPlanDetail(tx, municipalityId, planId)).nodes.find((n) => n.id === nodeId)!;
}

/** Every structure change ends here, inside its transaction: an archived plan refuses it. */
async function touchPlan(tx: DbOrTx, planId: number): Promise<void> {
  await assertPlanNotArchived(tx, planId);
  await repo.bumpPlan(tx, planId, { touched: true });
}

/** A node as written: what nodeInput says, with the years and how it is numbered settled. */
export interface NodeWrite {
  parentId: number | null;
  title: string;
  description: string;
  numberOverride: string | null;
  priority: boolean;
  subPlans: string[];
  startYear?: number | null;
  endYear?: number | null;
  /** false: numberOverride is appended without taking a place in the count */
  countsInNumbering?: boolean;
}

export async function insertNode(
  tx: DbOrTx,
  municipalityId: number,
  planId: number,
  input: NodeWrite,
): Promise<number> {
  let depth = 0;
  if (input.parentId !== null) {
    const parent = await repo.findNodeRow(tx, municipalityId, input.parentId);
    if (!parent || parent.plan_id !== planId) throw invalid('parentId', 'この計画の項目を選んでください');
    depth = parent.depth + 1;
  }
  const levels = await repo.listLevelRows(tx, planId);
  if (depth >= levels.length)
    throw invalid('parentId', `この計画の階層は${levels.length}段までです。最下層の下には項目を追加できません`);
  const siblings = await repo.siblingIds(tx, planId, input.parentId);
  const id = await repo.insertNodeRow(tx, {
    municipalityId,
    planId,
    parentId: input.parentId,
    depth,
    position: siblings.length + 1,
    title: input.title,
    description: input.description,
    numberOverride: input.numberOverride,
    countsInNumbering: input.countsInNumbering ?? true,
    priority: input.priority,
    firstYear: input.startYear ?? null,
    lastYear: input.endYear ?? null,
  });
  await writeNodeTags(tx, municipalityId, id, await subPlanIdsByName(tx, planId, input.subPlans));
  return id;
}

export async function createNode(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
  input: z.output<typeof nodeInput>,
): Promise<PlanNode> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const plan = await requirePlan(tx, municipalityId, planId);
    if (plan.archived_at !== null) throw conflict('アーカイブした計画は編集できません。先に復元してください');
    const year = await currentYearOf(tx, planId);
    const startYear = input.startYear === undefined ? year : input.startYear;
    checkSpanInPlan(plan, startYear, input.endYear);
    // A year whose numbers are fixed (answers approved or published) gets new nodes appended, so
    // that no fixed number is given twice.
    const frozen = year !== null && (await frozenNumbers(tx, planId, year)).size > 0;
    let numberOverride = input.numberOverride;
    let countsInNumbering = true;
    if (numberOverride === null && (input.numbering === 'append' || frozen)) {
      numberOverride = await appendedNumber(tx, planId, year, input.parentId);
      countsInNumbering = false;
    }
    const id = await insertNode(tx, municipalityId, planId, { ...input, startYear, numberOverride, countsInNumbering });
    await touchPlan(tx, planId);
    await audit(tx, actor, {
      municipalityId,
      action: 'create',
      entity: 'plan_node',
      entityId: id,
      detail: { planId, ...input, startYear, numberOverride },
    });
    return nodeDto(tx, municipalityId, planId, id);
  });
}

export async function updateNode(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  nodeId: number,
  input: z.output<typeof nodeUpdateInput>,
): Promise<PlanNode> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await repo.findNodeRow(tx, municipalityId, nodeId);
    if (!before) throw notFound('項目');
    const startYear = input.startYear === undefined ? before.first_year : input.startYear;
    const endYear = input.endYear === undefined ? before.last_year : input.endYear;
    if (startYear !== null && endYear !== null && endYear < startYear)
      throw invalid('endYear', '終了年度は開始年度以降にしてください');
    checkSpanInPlan(await requirePlan(tx, municipalityId, before.plan_id), startYear, endYear);
    await checkAnswersInSpan(tx, await subtreeProjectIds(tx, before.plan_id, nodeId), startYear, endYear);
    await repo.updateNodeRow(tx, nodeId, {
      ...(input.startYear !== undefined ? { first_year: input.startYear } : {}),
      ...(input.endYear !== undefined ? { last_year: input.endYear } : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.numberOverride !== undefined ? { number_override: input.numberOverride } : {}),
      ...(input.priority !== undefined ? { priority: flag(input.priority) } : {}),
    });
    if (input.subPlans)
      await writeNodeTags(tx, municipalityId, nodeId, await subPlanIdsByName(tx, before.plan_id, input.subPlans));
    await touchPlan(tx, before.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'update',
      entity: 'plan_node',
      entityId: nodeId,
      detail: { before, after: input },
    });
    return nodeDto(tx, municipalityId, before.plan_id, nodeId);
  });
}

/**
 * Moves a node under another parent of the level above (or among the top level) and to a place
 * among its new siblings. A node keeps its level: 施策 stay 施策 wherever they go.
 */
export async function moveNode(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  nodeId: number,
  input: z.output<typeof nodeMoveInput>,
): Promise<PlanNode> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const node = await repo.findNodeRow(tx, municipalityId, nodeId);
    if (!node) throw notFound('項目');
    const all = await repo.listNodeParents(tx, node.plan_id);
    if (wouldCreateCycle(all, nodeId, input.parentId))
      throw invalid('parentId', '項目を自分自身やその下の項目の下へは移動できません');
    if (input.parentId === null) {
      if (node.depth !== 0) throw invalid('parentId', '最上位へ移動できるのは最上位の階層の項目だけです');
    } else {
      const parent = await repo.findNodeRow(tx, municipalityId, input.parentId);
      if (!parent || parent.plan_id !== node.plan_id) throw invalid('parentId', 'この計画の項目を選んでください');
      if (parent.depth !== node.depth - 1) throw invalid('parentId', '移動先は一つ上の階層の項目にしてください');
    }
    const changes = await numberingChanges(tx, node.plan_id, {
      op: 'move',
      nodeId,
      parentId: input.parentId,
      index: input.index,
    });
    const oldSiblings = await repo.siblingIds(tx, node.plan_id, node.parent_id);
    const newSiblings =
      node.parent_id === input.parentId ? oldSiblings : await repo.siblingIds(tx, node.plan_id, input.parentId);
    await repo.updateNodeRow(tx, nodeId, { parent_id: input.parentId });
    if (node.parent_id !== input.parentId)
      await repo.setPositions(
        tx,
        oldSiblings.filter((id) => id !== nodeId),
      );
    await repo.setPositions(tx, placeAt(newSiblings, nodeId, input.index));
    // Keeping the printed numbers: each node the move would renumber keeps its number explicitly.
    if (input.keepNumbers)
      for (const c of changes.changes) await repo.updateNodeRow(tx, c.nodeId, { number_override: c.from }, false);
    await touchPlan(tx, node.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'move',
      entity: 'plan_node',
      entityId: nodeId,
      detail: {
        from: { parentId: node.parent_id, position: node.position },
        to: input,
        renumbered: input.keepNumbers ? [] : changes.changes,
      },
    });
    return nodeDto(tx, municipalityId, node.plan_id, nodeId);
  });
}

/**
 * Deleting a node: one with nothing under it and no fixed number is deleted. One whose projects
 * were archived (they have answers) or whose number was fixed for a year is archived instead: it
 * leaves the tree and new rounds and stays in the years it was answered in. A node with live
 * children or projects is refused.
 */
export async function deleteNode(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  nodeId: number,
): Promise<{ archived: boolean }> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const node = await repo.findNodeRow(tx, municipalityId, nodeId);
    if (!node) throw notFound('項目');
    if (node.archived_at !== null) throw conflict(`「${node.title}」はすでにアーカイブされています`);
    const { children, projects, listed } = await repo.liveContents(tx, nodeId);
    const reasons = [
      children && `下位の項目が${children}件`,
      projects && `事業が${projects}件`,
      listed && `再掲されている事業が${listed}件`,
    ].filter(Boolean);
    if (reasons.length)
      throw conflict(
        `「${node.title}」には${reasons.join('、')}あるため削除できません。先に移動するか削除してください`,
      );

    const keep = await nodeHistory(tx, node.plan_id, nodeId);
    if (keep.lastYear !== null) {
      const lastYear =
        node.last_year === null
          ? keep.lastYear
          : Math.min(node.last_year, Math.max(keep.lastYear, node.first_year ?? keep.lastYear));
      await repo.updateNodeRow(tx, nodeId, { archived_at: now(), last_year: lastYear });
      await touchPlan(tx, node.plan_id);
      await audit(tx, actor, {
        municipalityId,
        action: 'archive',
        entity: 'plan_node',
        entityId: nodeId,
        detail: { title: node.title, lastYear, reason: keep.why },
      });
      return { archived: true };
    }
    await repo.deleteNodeRow(tx, nodeId);
    await repo.setPositions(tx, await repo.siblingIds(tx, node.plan_id, node.parent_id));
    await touchPlan(tx, node.plan_id);
    await audit(tx, actor, { municipalityId, action: 'delete', entity: 'plan_node', entityId: nodeId, detail: node });
    return { archived: false };
  });
}

/** The last year a node was part of: its archived children and projects' years, and years with its number fixed. */
async function nodeHistory(
  tx: DbOrTx,
  planId: number,
  nodeId: number,
): Promise<{ lastYear: number | null; why: string }> {
  const archived = await repo.archivedContentYears(tx, nodeId);
  const fixed = await lastFixedYear(tx, { nodeId });
  const years = archived.map((y) => y ?? 0);
  if (fixed !== null) years.push(fixed);
  if (years.length === 0) return { lastYear: null, why: '' };
  return {
    lastYear: Math.max(...years),
    why: fixed !== null ? '体系が確定した年度に含まれています' : '回答のある事業・項目があります',
  };
}

export async function restoreNode(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  nodeId: number,
): Promise<PlanNode> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const node = await repo.findNodeRow(tx, municipalityId, nodeId);
    if (!node) throw notFound('項目');
    if (node.archived_at === null) throw conflict(`「${node.title}」はアーカイブされていません`);
    if (node.parent_id !== null) {
      const parent = await repo.findNodeRow(tx, municipalityId, node.parent_id);
      if (parent?.archived_at)
        throw conflict(`上位の「${parent.title}」がアーカイブされています。先に上位を復元してください`);
    }
    await repo.updateNodeRow(tx, nodeId, { archived_at: null, last_year: null });
    await touchPlan(tx, node.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'restore',
      entity: 'plan_node',
      entityId: nodeId,
      detail: { title: node.title },
    });
    return nodeDto(tx, municipalityId, node.plan_id, nodeId);
  });
}

type PlanRow = NonNullable<Awaited<ReturnType<typeof repo.findPlanRow>>>;

function checkSpanInPlan(
  plan: PlanRow,
  startYear: number | null | undefined,
  endYear: number | null | undefined,
): void {
  if (startYear != null && (startYear < plan.first_year || startYear > plan.last_year))
    throw invalid('startYear', `計画期間（${plan.first_year}〜${plan.last_year}年度）内の年度を指定してください`);
  if (endYear != null && (endYear < plan.first_year || endYear > plan.last_year))
    throw invalid('endYear', `計画期間（${plan.first_year}〜${plan.last_year}年度）内の年度を指定してください`);
}

/** A span may not leave out a year in which the projects already have answers. */
async function checkAnswersInSpan(
  tx: DbOrTx,
  projectIds: number[],
  startYear: number | null,
  endYear: number | null,
): Promise<void> {
  if (projectIds.length === 0) return;
  const { first, last } = await repo.answeredYearSpan(tx, projectIds);
  if (first !== null && startYear !== null && startYear > first)
    throw invalid('startYear', `${first}年度の回答があるため、開始年度をそれより後にはできません`);
  if (last !== null && endYear !== null && endYear < last)
    throw invalid('endYear', `${last}年度の回答があるため、終了年度をそれより前にはできません`);
}

async function subtreeProjectIds(tx: DbOrTx, planId: number, nodeId: number): Promise<number[]> {
  const nodes = await repo.listNodeParents(tx, planId);
  return repo.projectIdsUnder(tx, [nodeId, ...descendantIds(nodes, nodeId)]);
}

async function planNodesAndLevels(tx: DbOrTx, planId: number) {
  const [nodes, levels] = await Promise.all([repo.listNumberingNodes(tx, planId), repo.listLevelRows(tx, planId)]);
  return { nodes, levels };
}

/** The number a node appended under `parentId` takes in `year` without renumbering anything. */
async function appendedNumber(
  tx: DbOrTx,
  planId: number,
  year: number | null,
  parentId: number | null,
): Promise<string> {
  const { nodes, levels } = await planNodesAndLevels(tx, planId);
  const frozen = year === null ? new Map<number, string>() : await frozenNumbers(tx, planId, year);
  const numbers = numberNodes(nodes, levels, year, frozen);
  const depth = parentId === null ? 0 : (nodes.find((n) => n.id === parentId)?.depth ?? -1) + 1;
  const level = levels[depth];
  if (!level) throw invalid('parentId', 'この計画の項目を選んでください');
  const active = nodes.filter((n) => year === null || rowInYear(n, year));
  const peers =
    level.numbering_scope === 'plan'
      ? active.filter((n) => n.depth === depth)
      : active.filter((n) => n.parent_id === parentId);
  return nextNumber(
    numbers,
    peers,
    { style: level.numbering_style, scope: level.numbering_scope },
    parentId === null ? '' : (numbers.get(parentId) ?? ''),
  );
}

/**
 * What a structure change would renumber in the plan's current year (earlier years keep their
 * numbers: they are fixed once answered, and a new node does not apply in them).
 */
export async function numberingChanges(
  tx: DbOrTx,
  planId: number,
  op: z.output<typeof numberingPreviewInput>,
): Promise<NumberingPreview> {
  const current = await currentYearOf(tx, planId);
  const { nodes, levels } = await planNodesAndLevels(tx, planId);
  const currentFixed = current !== null && (await frozenNumbers(tx, planId, current)).size > 0;
  if (op.op === 'create' && (op.numbering === 'append' || currentFixed))
    return {
      year: current,
      frozen: currentFixed,
      changes: [],
      appendNumber: await appendedNumber(tx, planId, current, op.parentId),
    };
  // A fixed year keeps its numbers whatever moves: what a move or a removal changes shows from the year after.
  const plan = await repo.planSpan(tx, planId);
  const year = currentFixed ? Math.min(current + 1, plan.last_year) : current;
  const frozen = year === null ? new Map<number, string>() : await frozenNumbers(tx, planId, year);
  const before = numberNodes(nodes, levels, year, frozen);
  let after: Map<number, string>;
  if (op.op === 'create') {
    const depth = op.parentId === null ? 0 : (nodes.find((n) => n.id === op.parentId)?.depth ?? -1) + 1;
    const last = Math.max(0, ...nodes.filter((n) => n.parent_id === op.parentId).map((n) => n.position));
    const ghost = {
      id: -1,
      parent_id: op.parentId,
      depth,
      position: last + 1,
      title: '',
      number_override: null,
      counts_in_numbering: 1,
      first_year: year,
      last_year: null,
      archived_at: null,
    };
    after = numberNodes([...nodes, ghost], levels, year, frozen);
  } else if (op.op === 'move') {
    const node = nodes.find((n) => n.id === op.nodeId);
    if (!node) throw notFound('項目');
    const siblings = nodes
      .filter((n) => n.parent_id === op.parentId && n.id !== op.nodeId)
      .sort((a, b) => a.position - b.position || a.id - b.id);
    const order = placeAt(
      siblings.map((n) => n.id),
      op.nodeId,
      op.index,
    );
    const moved = nodes
      .map((n) => (n.id === op.nodeId ? { ...n, parent_id: op.parentId } : n))
      .map((n) => (order.includes(n.id) ? { ...n, position: order.indexOf(n.id) + 1 } : n));
    after = numberNodes(moved, levels, year, frozen);
  } else {
    after = numberNodes(
      nodes.filter((n) => n.id !== op.nodeId),
      levels,
      year,
      frozen,
    );
  }
  const levelName = new Map(levels.map((l) => [l.depth, l.name]));
  const changes: NumberingChange[] = [];
  for (const n of nodes) {
    const from = before.get(n.id);
    const to = after.get(n.id);
    if (from !== undefined && to !== undefined && from !== to)
      changes.push({ nodeId: n.id, title: n.title, level: levelName.get(n.depth) ?? '', from, to });
  }
  return {
    year,
    frozen: currentFixed,
    changes,
    ...(op.op === 'create' ? { appendNumber: await appendedNumber(tx, planId, year, op.parentId) } : {}),
  };
}

export async function previewNumbering(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
  op: z.output<typeof numberingPreviewInput>,
) {
  assertCanEditPlans(actor, municipalityId);
  await requirePlan(ctx.db, municipalityId, planId);
  if (op.op !== 'create') {
    const node = await repo.findNodeRow(ctx.db, municipalityId, op.nodeId);
    if (!node || node.plan_id !== planId) throw notFound('項目');
  }
  return numberingChanges(ctx.db, planId, op);
}

async function checkProjectRefs(
  tx: DbOrTx,
  municipalityId: number,
  planId: number,
  input: ProjectInput,
): Promise<void> {
  const nodeIds = [input.nodeId, ...input.crossListNodeIds];
  const nodes = await repo.nodeIdsInPlan(tx, planId, nodeIds);
  if (!nodes.includes(input.nodeId)) throw invalid('nodeId', 'この計画の項目を選んでください');
  if (nodes.length !== new Set(nodeIds).size)
    throw invalid('crossListNodeIds', '再掲先にはこの計画の項目を選んでください');
  const deptIds = [input.leadDepartmentId, ...input.coDepartmentIds];
  const depts = await repo.departmentIdsIn(tx, municipalityId, deptIds);
  if (!depts.includes(input.leadDepartmentId)) throw invalid('leadDepartmentId', 'この自治体の課を選んでください');
  if (depts.length !== deptIds.length) throw invalid('coDepartmentIds', '関係課にはこの自治体の課を選んでください');
}

async function writeProjectLinks(
  tx: DbOrTx,
  municipalityId: number,
  projectId: number,
  input: ProjectInput,
): Promise<void> {
  await repo.replaceProjectLinks(
    tx,
    municipalityId,
    projectId,
    [input.leadDepartmentId, ...input.coDepartmentIds],
    input.crossListNodeIds,
  );
}

async function assertNumberFree(tx: DbOrTx, planId: number, number: string, exceptId?: number): Promise<void> {
  if (await repo.projectNumberTaken(tx, planId, number, exceptId))
    throw conflict(`事業番号「${number}」はこの計画ですでに使われています`);
}

export async function insertProject(
  tx: DbOrTx,
  municipalityId: number,
  planId: number,
  input: ProjectInput,
): Promise<number> {
  await checkProjectRefs(tx, municipalityId, planId, input);
  await assertNumberFree(tx, planId, input.number);
  const id = await repo.insertProjectRow(tx, municipalityId, planId, {
    node_id: input.nodeId,
    number: input.number,
    name: input.name,
    summary: input.summary,
    ...(await checkedProjectFields(tx, planId, input, null)),
    audience: input.audience,
    position: await repo.nextProjectPosition(tx, input.nodeId),
    first_year: input.startYear ?? null,
    last_year: input.endYear ?? null,
  });
  await writeProjectLinks(tx, municipalityId, id, input);
  return id;
}

async function projectDto(tx: DbOrTx, municipalityId: number, planId: number, id: number): Promise<Project> {
  return (await loadPlanDetail(tx, municipalityId, planId)).projects.find((p) => p.id === id)!;
}

/**
 * While a round is open, the project's records for its year follow the project's departments: a
 * department added gets its record (未着手) at once, so that it appears on its sheet; the record
 * of a department taken off is removed only if nobody has typed anything into it; whether a
 * department leads the project is kept on its record for that year.
 */
async function syncOpenRound(tx: DbOrTx, municipalityId: number, planId: number, projectId: number): Promise<void> {
  const round = await repo.findOpenRound(tx, planId);
  if (!round) return;
  const project = await repo.findProjectSpan(tx, projectId);
  const covered = new Set(await repo.roundDepartmentIds(tx, round.id));
  const live = project.archived_at === null && rowInYear(project, round.fiscal_year);
  const assigned = live ? await repo.listProjectAssignments(tx, projectId) : [];
  const records = await repo.listProjectRecordsOfYear(tx, projectId, round.fiscal_year);
  const add = assigned.filter(
    (a) => covered.has(a.department_id) && !records.some((r) => r.department_id === a.department_id),
  );
  await insertRecords(
    tx,
    add.map((a) => ({
      municipalityId,
      planId,
      projectId,
      departmentId: a.department_id,
      fiscalYear: round.fiscal_year,
      isLead: a.is_lead === 1,
      position: a.position,
    })),
    now(),
  );
  for (const r of records) {
    const a = assigned.find((x) => x.department_id === r.department_id);
    if (a) await repo.setRecordLead(tx, r.id, a.is_lead, a.position);
    else if (r.status === 'not_started' && r.version === 1 && r.plan_text === '') await repo.deleteRecordRow(tx, r.id);
  }
}

export async function createProject(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
  input: ProjectInput,
): Promise<Project> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const plan = await requirePlan(tx, municipalityId, planId);
    if (plan.archived_at !== null) throw conflict('アーカイブした計画は編集できません。先に復元してください');
    const startYear = input.startYear === undefined ? await currentYearOf(tx, planId) : input.startYear;
    checkSpanInPlan(plan, startYear, input.endYear);
    const id = await insertProject(tx, municipalityId, planId, { ...input, startYear });
    await syncOpenRound(tx, municipalityId, planId, id);
    await touchPlan(tx, planId);
    await audit(tx, actor, {
      municipalityId,
      action: 'create',
      entity: 'project',
      entityId: id,
      detail: { planId, ...input, startYear },
    });
    return projectDto(tx, municipalityId, planId, id);
  });
}

export async function updateProject(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  projectId: number,
  input: ProjectInput,
): Promise<Project> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await repo.findProjectRow(tx, municipalityId, projectId);
    if (!before) throw notFound('事業');
    const beforeDto = await projectDto(tx, municipalityId, before.plan_id, projectId);
    await checkProjectRefs(tx, municipalityId, before.plan_id, input);
    await assertNumberFree(tx, before.plan_id, input.number, projectId);
    const startYear = input.startYear === undefined ? before.first_year : input.startYear;
    checkSpanInPlan(await requirePlan(tx, municipalityId, before.plan_id), startYear, input.endYear);
    await checkAnswersInSpan(tx, [projectId], startYear, input.endYear);
    let position = before.position;
    if (input.nodeId !== before.node_id) position = await repo.nextProjectPosition(tx, input.nodeId);
    await repo.updateProjectRow(tx, projectId, {
      node_id: input.nodeId,
      number: input.number,
      name: input.name,
      summary: input.summary,
      ...(await checkedProjectFields(tx, before.plan_id, input, before.custom)),
      audience: input.audience,
      position,
      first_year: startYear,
      last_year: input.endYear,
    });
    await writeProjectLinks(tx, municipalityId, projectId, input);
    await syncOpenRound(tx, municipalityId, before.plan_id, projectId);
    await touchPlan(tx, before.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'update',
      entity: 'project',
      entityId: projectId,
      detail: { before: beforeDto, after: input },
    });
    return projectDto(tx, municipalityId, before.plan_id, projectId);
  });
}

/**
 * Deleting a project: one that has never had a record is deleted. One with records is archived
 * instead — it leaves the plan editor and new rounds, stays in the reports of the years it was
 * answered in (its last year becomes the last year with a record), and can be restored.
 */
export async function deleteProject(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  projectId: number,
): Promise<{ archived: boolean; project?: Project }> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await repo.findProjectRow(tx, municipalityId, projectId);
    if (!before) throw notFound('事業');
    if (before.archived_at !== null)
      throw conflict(`事業${before.number}「${before.name}」はすでにアーカイブされています`);
    const beforeDto = await projectDto(tx, municipalityId, before.plan_id, projectId);
    // Untouched records of an open round are not answers: they go with the project's removal.
    const years = [
      ...(await repo.projectHistoryYears(tx, before.plan_id, projectId)),
      await lastFixedYear(tx, { projectId }),
    ]
      .filter((y) => y !== null && y !== undefined)
      .map(toNumber);
    if (years.length > 0) {
      const lastYear = Math.max(...years);
      await repo.updateProjectRow(tx, projectId, { archived_at: now(), last_year: lastYear });
      await syncOpenRound(tx, municipalityId, before.plan_id, projectId);
      await touchPlan(tx, before.plan_id);
      await audit(tx, actor, {
        municipalityId,
        action: 'archive',
        entity: 'project',
        entityId: projectId,
        detail: { ...beforeDto, lastYear },
      });
      return { archived: true, project: await projectDto(tx, municipalityId, before.plan_id, projectId) };
    }
    await repo.deleteProjectRow(tx, projectId);
    await touchPlan(tx, before.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'delete',
      entity: 'project',
      entityId: projectId,
      detail: beforeDto,
    });
    return { archived: false };
  });
}

export async function restoreProject(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  projectId: number,
): Promise<Project> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await repo.findProjectRow(tx, municipalityId, projectId);
    if (!before) throw notFound('事業');
    if (before.archived_at === null) throw conflict(`事業${before.number}「${before.name}」はアーカイブされていません`);
    const node = await repo.findNodeRow(tx, municipalityId, before.node_id);
    if (node?.archived_at)
      throw conflict(
        `掲載先の「${node.title}」がアーカイブされています。先に掲載先を復元するか、事業を別の項目へ移してください`,
      );
    await repo.updateProjectRow(tx, projectId, { archived_at: null, last_year: null });
    await syncOpenRound(tx, municipalityId, before.plan_id, projectId);
    await touchPlan(tx, before.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'restore',
      entity: 'project',
      entityId: projectId,
      detail: { number: before.number, name: before.name },
    });
    return projectDto(tx, municipalityId, before.plan_id, projectId);
  });
}
