import type { CouncilComment, CouncilProject } from '../../../domain/api-types.js';
import { nodePathLabel } from '../../../domain/tree.js';
import type { AppContext } from '../../context.js';
import { now } from '../../db/util.js';
import { AppError, conflict, forbidden, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanRead, isCoordinatorOf } from '../auth/index.js';
import { requirePlan, projectsInTreeOrder, yearStructure, findProjectRow } from '../plans/index.js';
import { loadRecords } from '../records/index.js';

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
  const departments = new Map(
    (
      await ctx.db
        .selectFrom('departments')
        .select(['id', 'name'])
        .where('municipality_id', '=', municipalityId)
        .execute()
    ).map((d) => [d.id, d.name]),
  );
  const projectIds = [...new Set(approved.map((r) => r.projectId))];
  const mineOnly = actor.user.role === 'department_editor' || actor.user.role === 'department_viewer';
  const comments = await loadThreads(ctx, municipalityId, projectIds);
  const nodes = new Map(structure.nodes.map((n) => [n.id, { id: n.id, parentId: n.parent_id, title: n.title }]));
  const pathOf = (nodeId: number) => nodePathLabel(nodes, structure.numbers, nodeId);
  const all = await loadRecords(ctx.db, municipalityId, { planId, fiscalYear, projectIds });
  return projectsInTreeOrder(structure.nodes, structure.projects)
    .filter((p) => projectIds.includes(p.id))
    .map((p) => {
      // The project's departments in that year, lead first.
      const departmentIds = all
        .filter((r) => r.projectId === p.id)
        .sort((a, b) => Number(b.isLead) - Number(a.isLead) || a.position - b.position)
        .map((r) => r.departmentId);
      return {
        project: { id: p.id, number: p.number, name: p.name, path: pathOf(p.node_id), departmentIds },
        records: approved
          .filter((r) => r.projectId === p.id)
          .map((r) => ({
            departmentId: r.departmentId,
            departmentName: departments.get(r.departmentId) ?? '',
            record: r,
          })),
        comments: comments.get(p.id) ?? [],
      };
    })
    .filter((p) => !mineOnly || p.project.departmentIds.some((d) => actor.user.departmentIds.includes(d)));
}

async function loadThreads(
  ctx: AppContext,
  municipalityId: number,
  projectIds: number[],
): Promise<Map<number, CouncilComment[]>> {
  const out = new Map<number, CouncilComment[]>();
  if (projectIds.length === 0) return out;
  const rows = await ctx.db
    .selectFrom('council_comments as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .select([
      'c.id',
      'c.project_id',
      'c.fiscal_year',
      'c.parent_id',
      'c.body',
      'c.created_at',
      'c.department_id',
      'u.display_name',
      'd.name as department_name',
    ])
    .where('c.municipality_id', '=', municipalityId)
    .where('c.project_id', 'in', projectIds)
    .orderBy('c.id')
    .execute();
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
  if (actor.user.role !== 'council_member') throw forbidden('審議会の意見は審議会委員のみ書き込めます');
  return ctx.db.transaction().execute(async (tx) => {
    const project = await findProjectRow(tx, municipalityId, projectId);
    if (!project) throw notFound('事業');
    const approved = await tx
      .selectFrom('records')
      .select('id')
      .where('project_id', '=', projectId)
      .where('fiscal_year', '=', fiscalYear)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    if (!approved) throw conflict('この年度の確定した回答がない事業には意見を書き込めません');
    const row = await tx
      .insertInto('council_comments')
      .values({
        municipality_id: municipalityId,
        project_id: projectId,
        fiscal_year: fiscalYear,
        parent_id: null,
        user_id: actor.user.id,
        department_id: null,
        body,
        created_at: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
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
    const parent = await tx
      .selectFrom('council_comments')
      .selectAll()
      .where('municipality_id', '=', municipalityId)
      .where('id', '=', commentId)
      .executeTakeFirst();
    if (!parent || parent.parent_id !== null) throw notFound('審議会の意見');
    let departmentId: number | null = null;
    if (!isCoordinatorOf(actor)) {
      if (actor.user.role !== 'department_editor') throw forbidden('回答は事業の担当課または計画所管課が行います');
      // The department answers for the year of the remark (its own record, or one of a unit it replaced).
      const answering = await tx
        .selectFrom('records')
        .select('department_id')
        .where('project_id', '=', parent.project_id)
        .where('fiscal_year', '=', parent.fiscal_year)
        .where('department_id', 'in', actor.user.departmentIds.length ? actor.user.departmentIds : [-1])
        .orderBy('is_lead', 'desc')
        .executeTakeFirst();
      const assigned =
        answering ??
        (await tx
          .selectFrom('project_departments')
          .select('department_id')
          .where('project_id', '=', parent.project_id)
          .where('department_id', '=', actor.user.departmentId ?? -1)
          .executeTakeFirst());
      if (!assigned) throw forbidden('この事業の担当課ではないため回答できません');
      departmentId = actor.user.departmentId;
    }
    if (!body.trim()) throw new AppError('VALIDATION', 'コメント: 入力してください');
    const row = await tx
      .insertInto('council_comments')
      .values({
        municipality_id: municipalityId,
        project_id: parent.project_id,
        fiscal_year: parent.fiscal_year,
        parent_id: parent.id,
        user_id: actor.user.id,
        department_id: departmentId,
        body,
        created_at: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
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
