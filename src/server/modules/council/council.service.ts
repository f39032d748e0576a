import type { CouncilComment, CouncilProject, CouncilYearsResponse } from '../../../domain/api-types.js';
import { nodePathLabel } from '../../../domain/tree.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { mayAnswerCouncil, mayRemarkInCouncil } from '../../../domain/policy.js';
import { conflict, forbidden, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanRead, isCoordinatorOf, isDepartmentUser } from '../auth/index.js';
import {
  answersForProject,
  departmentNames,
  findComment,
  hasApprovedRecord,
  insertComment,
  listRoundYears,
  listApprovedProjectCounts,
  listThreadRows,
} from './council.repository.js';
import { requirePlan, projectsInTreeOrder, yearStructure, findProjectRow } from '../plans/index.js';
import { loadRecords } from '../records/index.js';
import { answerValues, evaluatePlanYear } from '../evaluations/index.js';
import { loadIndicators } from '../indicators/index.js';

/**
 * The council reads approved answers of a year and comments per project; the departments of the
 * project answer. A thread belongs to the project, so earlier years' remarks stay in view.
 */
export async function councilView(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
  fiscalYear: number,
): Promise<CouncilProject[]> {
  assertCanRead(actor, municipalityId);
  await requirePlan(ctx.db, municipalityId, planId);
  // The year's structure as it printed it.
  const structure = await yearStructure(ctx.db, planId, fiscalYear);
  const approved = (await loadRecords(ctx.db, municipalityId, { planId, fiscalYear })).filter(
    (r) => r.status === 'approved',
  );
  const departments = await departmentNames(ctx.db, municipalityId);
  const projectIds = [...new Set(approved.map((r) => r.projectId))];
  const mineOnly = isDepartmentUser(actor);
  const comments = await loadThreads(ctx, municipalityId, projectIds);
  const nodes = new Map(structure.nodes.map((n) => [n.id, { id: n.id, parentId: n.parent_id, title: n.title }]));
  const pathOf = (nodeId: number) => nodePathLabel(nodes, structure.numbers, nodeId);
  const topOf = (nodeId: number) => {
    let n = nodes.get(nodeId);
    while (n && n.parentId !== null && nodes.has(n.parentId)) n = nodes.get(n.parentId);
    return n ? { id: n.id, number: structure.numbers.get(n.id) ?? '', title: n.title } : null;
  };
  const indicators = await loadIndicators(ctx.db, municipalityId, projectIds, fiscalYear);
  const all = await loadRecords(ctx.db, municipalityId, { planId, fiscalYear, projectIds });
  // Every slot's value of the approved answers, computed ones included, as the reports print them.
  const year = await evaluatePlanYear(ctx.db, planId, fiscalYear, { approvedOnly: true });
  const valuesOf = (projectId: number, departmentId: number) =>
    answerValues(year.config, year.evaluations, year.facts, projectId, departmentId);
  return projectsInTreeOrder(structure.nodes, structure.projects)
    .filter((p) => projectIds.includes(p.id))
    .map((p) => {
      // The project's departments in that year, lead first.
      const departmentIds = all
        .filter((r) => r.projectId === p.id)
        .sort((a, b) => Number(b.isLead) - Number(a.isLead) || a.position - b.position)
        .map((r) => r.departmentId);
      const answered = approved.filter((r) => r.projectId === p.id).map((r) => r.departmentId);
      return {
        project: {
          id: p.id,
          number: p.number,
          name: p.name,
          path: pathOf(p.node_id),
          departmentIds,
          top: topOf(p.node_id),
        },
        // The project's indicators, and those of one department's row only where that department answered.
        indicators: indicators.filter(
          (i) => i.projectId === p.id && (i.departmentId === null || answered.includes(i.departmentId)),
        ),
        records: approved
          .filter((r) => r.projectId === p.id)
          .map((r) => ({
            departmentId: r.departmentId,
            departmentName: departments.get(r.departmentId) ?? '',
            record: r,
            evaluations: valuesOf(r.projectId, r.departmentId),
          })),
        comments: comments.get(p.id) ?? [],
      };
    })
    .filter((p) => !mineOnly || p.project.departmentIds.some((d) => actor.user.departmentIds.includes(d)));
}

/**
 * The plans' years the council page offers: those a round has asked (nothing can exist in the others),
 * newest first, with how many projects have approved answers — of the user's own 課 for a department.
 */
export async function councilYears(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
): Promise<CouncilYearsResponse> {
  assertCanRead(actor, municipalityId);
  const years = await listRoundYears(ctx.db, municipalityId);
  const counts = await listApprovedProjectCounts(
    ctx.db,
    municipalityId,
    isDepartmentUser(actor) ? actor.user.departmentIds : null,
  );
  return {
    years: years.map((y) => ({
      planId: y.plan_id,
      fiscalYear: y.fiscal_year,
      approvedProjects: counts.find((c) => c.plan_id === y.plan_id && c.fiscal_year === y.fiscal_year)?.projects ?? 0,
    })),
  };
}

async function loadThreads(
  ctx: AppContext,
  municipalityId: number,
  projectIds: number[],
): Promise<Map<number, CouncilComment[]>> {
  const out = new Map<number, CouncilComment[]>();
  if (projectIds.length === 0) return out;
  const rows = await listThreadRows(ctx.db, municipalityId, projectIds);
  const byId = new Map<number, CouncilComment>();
  for (const r of rows.filter((x) => x.parent_id === null)) {
    const c: CouncilComment = {
      id: r.id,
      fiscalYear: r.fiscal_year,
      body: r.body,
      userName: r.display_name,
      at: r.created_at,
      answers: [],
    };
    byId.set(r.id, c);
    out.set(r.project_id, [...(out.get(r.project_id) ?? []), c]);
  }
  for (const r of rows.filter((x) => x.parent_id !== null))
    byId.get(r.parent_id!)?.answers.push({
      id: r.id,
      body: r.body,
      departmentId: r.department_id,
      departmentName: r.department_name,
      userName: r.display_name,
      at: r.created_at,
    });
  return out;
}

export async function addCouncilComment(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  projectId: number,
  fiscalYear: number,
  body: string,
): Promise<{ id: number }> {
  assertCanRead(actor, municipalityId);
  if (!mayRemarkInCouncil(actor.user)) throw forbidden('審議会の意見は審議会委員のみ書き込めます');
  return ctx.db.transaction().execute(async (tx) => {
    const project = await findProjectRow(tx, municipalityId, projectId);
    if (!project) throw notFound('事業');
    if (!(await hasApprovedRecord(tx, projectId, fiscalYear)))
      throw conflict('この年度の確定した回答がない事業には意見を書き込めません');
    const row = await insertComment(tx, {
      municipalityId,
      projectId,
      fiscalYear,
      parentId: null,
      userId: actor.user.id,
      departmentId: null,
      body,
    });
    await audit(tx, actor, {
      municipalityId,
      action: 'council_comment',
      entity: 'project',
      entityId: projectId,
      detail: { fiscalYear, body },
    });
    return { id: row.id };
  });
}

export async function answerCouncilComment(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  commentId: number,
  body: string,
): Promise<{ id: number }> {
  assertCanRead(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const parent = await findComment(tx, municipalityId, commentId);
    if (!parent || parent.parent_id !== null) throw notFound('審議会の意見');
    const departmentId = isCoordinatorOf(actor) ? null : await answeringDepartment(tx, actor, parent);
    if (!body.trim()) throw invalid('body', 'コメントを入力してください');
    const row = await insertComment(tx, {
      municipalityId,
      projectId: parent.project_id,
      fiscalYear: parent.fiscal_year,
      parentId: parent.id,
      userId: actor.user.id,
      departmentId,
      body,
    });
    await audit(tx, actor, {
      municipalityId,
      action: 'council_answer',
      entity: 'project',
      entityId: parent.project_id,
      detail: { commentId, body },
    });
    return { id: row.id };
  });
}

/**
 * The department a department user answers a remark for: their own, when it (or a unit it replaced)
 * answered the project in the remark's year or is assigned to it now.
 */
async function answeringDepartment(
  db: DbOrTx,
  actor: Actor,
  remark: { project_id: number; fiscal_year: number },
): Promise<number | null> {
  if (!mayAnswerCouncil(actor.user)) throw forbidden('回答は事業の担当課または計画所管課が行います');
  const ids = actor.user.departmentIds;
  if (!(await answersForProject(db, remark.project_id, remark.fiscal_year, ids, actor.user.departmentId ?? -1)))
    throw forbidden('この事業の担当課ではないため回答できません');
  return actor.user.departmentId;
}
