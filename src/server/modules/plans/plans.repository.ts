import { sql } from 'kysely';
import type { Direction, IndicatorKind } from '../../../domain/enums.js';
import type { IndicatorPurpose, TargetBasis } from '../../../domain/evaluation/terms.js';
import type { Insertable } from 'kysely';
import type { Database, DbOrTx } from '../../db/types.js';
import type { NumberingScope, NumberingStyle } from '../../../domain/numbering.js';
import { flag, now, toNumber, unindexed } from '../../db/util.js';
import { insertMany, insertManyReturning } from '../../db/bulk.js';
import { oneShape } from '../../db/shapes.js';

export function findPlanRow(db: DbOrTx, municipalityId: number, planId: number) {
  return db
    .selectFrom('plans')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', planId)
    .executeTakeFirst();
}

export function listLevelRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_levels')
    .select(['depth', 'name', 'numbering_style', 'numbering_scope', 'number_heading'])
    .where('plan_id', '=', planId)
    .orderBy('depth')
    .execute();
}

export function listSubPlanRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_sub_plans')
    .select(['id', 'name', 'position'])
    .where('plan_id', '=', planId)
    .orderBy('position')
    .execute();
}

export function listNodeRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_nodes')
    .select([
      'id',
      'parent_id',
      'depth',
      'position',
      'title',
      'description',
      'number_override',
      'counts_in_numbering',
      'priority',
      'first_year',
      'last_year',
      'archived_at',
    ])
    .where('plan_id', '=', planId)
    .orderBy('depth')
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export function listNodeSubPlanRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_node_sub_plans as t')
    .innerJoin('plan_nodes as n', 'n.id', 't.node_id')
    .select(['t.node_id', 't.sub_plan_id'])
    .where('n.plan_id', '=', planId)
    .execute();
}

/** A plan's projects (or only those of `projectIds`) in their order. */
export function listProjectRows(db: DbOrTx, planId: number, projectIds: number[] | null = null, summary = true) {
  return db
    .selectFrom('projects')
    .select([
      'id',
      'node_id',
      'number',
      'name',
      summary ? 'summary' : sql<string>`''`.as('summary'),
      'category',
      'audience',
      'custom',
      'position',
      'first_year',
      'last_year',
      'archived_at',
    ])
    .where('plan_id', '=', planId)
    .$if(projectIds !== null, (q) => q.where('id', 'in', projectIds!))
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export function listProjectDepartmentRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('project_departments as pd')
    .innerJoin('projects as p', 'p.id', 'pd.project_id')
    .select(['pd.project_id', 'pd.department_id', 'pd.is_lead', 'pd.position'])
    .where('p.plan_id', '=', planId)
    .orderBy('pd.is_lead', 'desc')
    .orderBy('pd.position')
    .execute();
}

export function listListingRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('project_listings as l')
    .innerJoin('projects as p', 'p.id', 'l.project_id')
    .select(['l.project_id', 'l.node_id', 'l.position'])
    .where('p.plan_id', '=', planId)
    .orderBy('l.position')
    .execute();
}

export async function planCounts(db: DbOrTx, municipalityId: number) {
  const [nodes, projects] = await Promise.all([
    db
      .selectFrom('plan_nodes')
      .select(['plan_id', (eb) => eb.fn.countAll().as('n')])
      .where('municipality_id', '=', municipalityId)
      .groupBy('plan_id')
      .execute(),
    db
      .selectFrom('projects')
      .select(['plan_id', (eb) => eb.fn.countAll().as('n')])
      .where('municipality_id', '=', municipalityId)
      .groupBy('plan_id')
      .execute(),
  ]);
  return {
    nodes: new Map(nodes.map((r) => [r.plan_id, toNumber(r.n)])),
    projects: new Map(projects.map((r) => [r.plan_id, toNumber(r.n)])),
  };
}

export function findNodeRow(db: DbOrTx, municipalityId: number, nodeId: number) {
  return db
    .selectFrom('plan_nodes')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', nodeId)
    .executeTakeFirst();
}

export function findProjectRow(db: DbOrTx, municipalityId: number, projectId: number) {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', projectId)
    .executeTakeFirst();
}

export function siblingIds(db: DbOrTx, planId: number, parentId: number | null) {
  let q = db.selectFrom('plan_nodes').select('id').where('plan_id', '=', planId);
  q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
  return q
    .orderBy('position')
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((r) => r.id));
}

export async function setPositions(db: DbOrTx, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i++)
    await db
      .updateTable('plan_nodes')
      .set({ position: i + 1 })
      .where('id', '=', ids[i]!)
      .execute();
}

/**
 * Raises a plan's revision, which the department sheets' cache compares (rounds/sheet-cache.ts): every
 * change a sheet shows calls it in the same transaction. One atomic statement (never read-then-write),
 * so two processes bumping at once both count.
 */
export async function bumpPlan(db: DbOrTx, planId: number, opts: { touched?: boolean } = {}): Promise<void> {
  await db
    .updateTable('plans')
    .set((eb) => ({ revision: eb('revision', '+', 1), ...(opts.touched ? { updated_at: now() } : {}) }))
    .where('id', '=', planId)
    .execute();
}

/**
 * The sheets of some departments only: a change to their answers (a save, a comment, a status) shows
 * on the sheets of the departments that answer the same project, and on no other.
 */
export async function bumpDepartments(
  db: DbOrTx,
  at: { municipalityId: number; planId: number },
  departmentIds: number[],
): Promise<void> {
  for (const departmentId of [...new Set(departmentIds)].sort((a, b) => a - b))
    await db
      .insertInto('sheet_revisions')
      .values({ municipality_id: at.municipalityId, plan_id: at.planId, department_id: departmentId, revision: 1 })
      .onConflict((oc) =>
        oc
          .columns(['plan_id', 'department_id'])
          .doUpdateSet((eb) => ({ revision: eb('sheet_revisions.revision', '+', 1) })),
      )
      .execute();
}

/**
 * The sheets of every department answering a project in a fiscal year, in one statement (by department,
 * in order, as `bumpDepartments`: two saves raise the same counters in the same order). Every autosave runs it:
 * built and compiled once (db/shapes.ts).
 */
const answeringDepartments = oneShape(
  ['municipalityId', 'planId', 'projectId', 'fiscalYear'],
  (db, at: { municipalityId: number; planId: number; projectId: number; fiscalYear: number }) =>
    db
      .insertInto('sheet_revisions')
      .columns(['municipality_id', 'plan_id', 'department_id', 'revision'])
      .expression((eb) =>
        eb
          .selectFrom('records')
          .select(['municipality_id', 'plan_id', 'department_id', sql<number>`1`.as('revision')])
          .distinct()
          .where('municipality_id', '=', at.municipalityId)
          // found by the project's index, not by walking the plan's year (db/util.ts)
          .where(unindexed('plan_id'), '=', at.planId)
          .where('project_id', '=', at.projectId)
          .where('fiscal_year', '=', at.fiscalYear)
          .orderBy('department_id'),
      )
      .onConflict((oc) =>
        oc
          .columns(['plan_id', 'department_id'])
          .doUpdateSet((eb) => ({ revision: eb('sheet_revisions.revision', '+', 1) })),
      ),
);

export async function bumpAnsweringDepartments(
  db: DbOrTx,
  at: { municipalityId: number; planId: number },
  answer: { projectId: number; fiscalYear: number },
): Promise<void> {
  await db.executeQuery(
    answeringDepartments(db, {
      municipalityId: at.municipalityId,
      planId: at.planId,
      projectId: answer.projectId,
      fiscalYear: answer.fiscalYear,
    }).compile(),
  );
}

/**
 * One project's line on every sheet that shows it: raised with `bumpDepartments` by each change to an answer
 * of the project, so that a department's cached sheet builds again only the lines whose counter moved. Built and
 * compiled once, as the statement above.
 */
const projectLine = oneShape(
  ['municipalityId', 'planId', 'projectId'],
  (db, at: { municipalityId: number; planId: number; projectId: number }) =>
    db
      .insertInto('sheet_project_revisions')
      .values({ municipality_id: at.municipalityId, plan_id: at.planId, project_id: at.projectId, revision: 1 })
      .onConflict((oc) =>
        oc
          .columns(['plan_id', 'project_id'])
          .doUpdateSet((eb) => ({ revision: eb('sheet_project_revisions.revision', '+', 1) })),
      ),
);

export async function bumpProject(
  db: DbOrTx,
  at: { municipalityId: number; planId: number },
  projectId: number,
): Promise<void> {
  await db.executeQuery(projectLine(db, { municipalityId: at.municipalityId, planId: at.planId, projectId }).compile());
}

/** Every plan of a municipality: for changes such as department names that show on all sheets. */
export async function bumpMunicipalityPlans(db: DbOrTx, municipalityId: number): Promise<void> {
  await db
    .updateTable('plans')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('municipality_id', '=', municipalityId)
    .execute();
}

// ---- plans

export function listPlanRows(db: DbOrTx, municipalityId: number) {
  return db
    .selectFrom('plans')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .orderBy('first_year', 'desc')
    .orderBy('id')
    .execute();
}

/** A plan's period, by id alone (the caller has found the plan in its municipality). */
export function planSpan(db: DbOrTx, planId: number) {
  return db.selectFrom('plans').select(['first_year', 'last_year']).where('id', '=', planId).executeTakeFirstOrThrow();
}

export async function isArchived(db: DbOrTx, planId: number): Promise<boolean> {
  const p = await db.selectFrom('plans').select('archived_at').where('id', '=', planId).executeTakeFirst();
  return !!p?.archived_at;
}

export async function insertPlanRow(
  db: DbOrTx,
  p: {
    municipalityId: number;
    title: string;
    slogan: string;
    firstYear: number;
    lastYear: number;
    /** JSON of the 区分 list and the extra fields; absent: the default list and none */
    categories?: string;
    customFields?: string;
  },
): Promise<number> {
  const t = now();
  const plan = await db
    .insertInto('plans')
    .values({
      municipality_id: p.municipalityId,
      title: p.title,
      slogan: p.slogan,
      first_year: p.firstYear,
      last_year: p.lastYear,
      ...(p.categories === undefined ? {} : { categories: p.categories }),
      ...(p.customFields === undefined ? {} : { custom_fields: p.customFields }),
      created_at: t,
      updated_at: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return plan.id;
}

/** A plan's evaluation configurations by the year each applies from (see the evaluations module). */
export function listEvaluationVersionRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_evaluation_versions')
    .select(['from_year', 'note', 'definition'])
    .where('plan_id', '=', planId)
    .orderBy('from_year')
    .execute();
}

/** A plan's evaluation configuration from a year: a new plan's first, or one carried in a plan file. */
export async function insertEvaluationVersion(
  db: DbOrTx,
  v: { municipalityId: number; planId: number; fromYear: number; definition: string; note: string },
  actor: { id: number; displayName: string } | null,
): Promise<void> {
  await db
    .insertInto('plan_evaluation_versions')
    .values({
      municipality_id: v.municipalityId,
      plan_id: v.planId,
      from_year: v.fromYear,
      definition: v.definition,
      note: v.note,
      created_at: now(),
      created_by: actor?.id ?? null,
      created_by_name: actor?.displayName ?? '',
    })
    .execute();
}

export async function updatePlanRow(
  db: DbOrTx,
  planId: number,
  set: {
    title: string;
    slogan: string;
    first_year: number;
    last_year: number;
    categories?: string;
    custom_fields?: string;
  },
): Promise<void> {
  await db
    .updateTable('plans')
    .set({ ...set, updated_at: now() })
    .where('id', '=', planId)
    .execute();
}

export async function setPlanArchivedAt(db: DbOrTx, planId: number, archivedAt: string | null): Promise<void> {
  await db.updateTable('plans').set({ archived_at: archivedAt, updated_at: now() }).where('id', '=', planId).execute();
}

export async function deletePlanRow(db: DbOrTx, planId: number): Promise<void> {
  await db.deleteFrom('plans').where('id', '=', planId).execute();
}

/** What a plan holds that forbids deleting it: rounds, publications, nodes. */
export async function planHolds(db: DbOrTx, planId: number) {
  const [round, snapshot, node] = await Promise.all([
    db.selectFrom('survey_rounds').select('id').where('plan_id', '=', planId).limit(1).executeTakeFirst(),
    db.selectFrom('report_snapshots').select('id').where('plan_id', '=', planId).limit(1).executeTakeFirst(),
    db.selectFrom('plan_nodes').select('id').where('plan_id', '=', planId).limit(1).executeTakeFirst(),
  ]);
  return { round: round !== undefined, snapshot: snapshot !== undefined, node: node !== undefined };
}

/** The plan's open round, if any. */
export function findOpenRound(db: DbOrTx, planId: number) {
  return db
    .selectFrom('survey_rounds')
    .select(['id', 'fiscal_year'])
    .where('plan_id', '=', planId)
    .where('status', '=', 'open')
    .executeTakeFirst();
}

/** The plan's rounds, latest year first. */
export function listRoundYears(db: DbOrTx, planId: number) {
  return db
    .selectFrom('survey_rounds')
    .select(['fiscal_year', 'status'])
    .where('plan_id', '=', planId)
    .orderBy('fiscal_year', 'desc')
    .execute();
}

export async function replaceLevels(
  db: DbOrTx,
  municipalityId: number,
  planId: number,
  levels: { name: string; numberingStyle: NumberingStyle; numberingScope: NumberingScope; numberHeading?: string }[],
): Promise<void> {
  await db.deleteFrom('plan_levels').where('plan_id', '=', planId).execute();
  await db
    .insertInto('plan_levels')
    .values(
      levels.map((l, depth) => ({
        municipality_id: municipalityId,
        plan_id: planId,
        depth,
        name: l.name,
        numbering_style: l.numberingStyle,
        numbering_scope: l.numberingScope,
        number_heading: l.numberHeading ?? '',
      })),
    )
    .execute();
}

/** The deepest level that has a node, or null. */
export async function deepestNodeDepth(db: DbOrTx, planId: number): Promise<number | null> {
  const deepest = await db
    .selectFrom('plan_nodes')
    .select('depth')
    .where('plan_id', '=', planId)
    .orderBy('depth', 'desc')
    .limit(1)
    .executeTakeFirst();
  return deepest?.depth ?? null;
}

export async function subPlanInUse(db: DbOrTx, subPlanId: number): Promise<boolean> {
  const used = await db
    .selectFrom('plan_node_sub_plans')
    .select('node_id')
    .where('sub_plan_id', '=', subPlanId)
    .limit(1)
    .executeTakeFirst();
  return used !== undefined;
}

export async function deleteSubPlan(db: DbOrTx, subPlanId: number): Promise<void> {
  await db.deleteFrom('plan_sub_plans').where('id', '=', subPlanId).execute();
}

export async function setSubPlanPosition(db: DbOrTx, subPlanId: number, position: number): Promise<void> {
  await db.updateTable('plan_sub_plans').set({ position }).where('id', '=', subPlanId).execute();
}

export async function insertSubPlan(
  db: DbOrTx,
  municipalityId: number,
  planId: number,
  name: string,
  position: number,
): Promise<void> {
  await db
    .insertInto('plan_sub_plans')
    .values({ municipality_id: municipalityId, plan_id: planId, name, position })
    .execute();
}

// ---- nodes

export async function replaceNodeTags(
  db: DbOrTx,
  municipalityId: number,
  nodeId: number,
  subPlanIds: number[],
): Promise<void> {
  await db.deleteFrom('plan_node_sub_plans').where('node_id', '=', nodeId).execute();
  if (subPlanIds.length)
    await db
      .insertInto('plan_node_sub_plans')
      .values(subPlanIds.map((id) => ({ municipality_id: municipalityId, node_id: nodeId, sub_plan_id: id })))
      .execute();
}

export interface NodeValues {
  municipalityId: number;
  planId: number;
  parentId: number | null;
  depth: number;
  position: number;
  title: string;
  description: string;
  numberOverride: string | null;
  countsInNumbering: boolean;
  priority: boolean;
  firstYear: number | null;
  lastYear: number | null;
}

export async function insertNodeRow(db: DbOrTx, n: NodeValues): Promise<number> {
  const t = now();
  const row = await db
    .insertInto('plan_nodes')
    .values({
      municipality_id: n.municipalityId,
      plan_id: n.planId,
      parent_id: n.parentId,
      depth: n.depth,
      position: n.position,
      title: n.title,
      description: n.description,
      number_override: n.numberOverride,
      counts_in_numbering: flag(n.countsInNumbering),
      priority: flag(n.priority),
      first_year: n.firstYear,
      last_year: n.lastYear,
      created_at: t,
      updated_at: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type NodeChange = Partial<{
  parent_id: number | null;
  title: string;
  description: string;
  number_override: string | null;
  priority: number;
  first_year: number | null;
  last_year: number | null;
  archived_at: string | null;
}>;

/** Changes a node; `touch` (the default) also stamps updated_at. */
export async function updateNodeRow(db: DbOrTx, nodeId: number, set: NodeChange, touch = true): Promise<void> {
  await db
    .updateTable('plan_nodes')
    .set(touch ? { ...set, updated_at: now() } : set)
    .where('id', '=', nodeId)
    .execute();
}

/** Every node of a plan with its parent, for tree checks. */
export function listNodeParents(db: DbOrTx, planId: number) {
  return db.selectFrom('plan_nodes').select(['id', 'parent_id as parentId']).where('plan_id', '=', planId).execute();
}

/** The nodes of a plan with what numbering them needs. */
export function listNumberingNodes(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_nodes')
    .select([
      'id',
      'parent_id',
      'depth',
      'position',
      'title',
      'number_override',
      'counts_in_numbering',
      'first_year',
      'last_year',
      'archived_at',
    ])
    .where('plan_id', '=', planId)
    .execute();
}

/** What still hangs on a node: live children, live projects, live projects listed under it (再掲). */
export async function liveContents(db: DbOrTx, nodeId: number) {
  const count = async (q: Promise<{ n: unknown } | undefined>) => toNumber((await q)?.n);
  return {
    children: await count(
      db
        .selectFrom('plan_nodes')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('parent_id', '=', nodeId)
        .where('archived_at', 'is', null)
        .executeTakeFirst(),
    ),
    projects: await count(
      db
        .selectFrom('projects')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('node_id', '=', nodeId)
        .where('archived_at', 'is', null)
        .executeTakeFirst(),
    ),
    listed: await count(
      db
        .selectFrom('project_listings as l')
        .innerJoin('projects as p', 'p.id', 'l.project_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('l.node_id', '=', nodeId)
        .where('p.archived_at', 'is', null)
        .executeTakeFirst(),
    ),
  };
}

/** The last years of a node's archived children and archived projects. */
export async function archivedContentYears(db: DbOrTx, nodeId: number): Promise<(number | null)[]> {
  const children = await db
    .selectFrom('plan_nodes')
    .select(['last_year'])
    .where('parent_id', '=', nodeId)
    .where('archived_at', 'is not', null)
    .execute();
  const projects = await db
    .selectFrom('projects')
    .select(['last_year'])
    .where('node_id', '=', nodeId)
    .where('archived_at', 'is not', null)
    .execute();
  return [...children, ...projects].map((r) => r.last_year);
}

/** A node and the listings (再掲) under it. */
export async function deleteNodeRow(db: DbOrTx, nodeId: number): Promise<void> {
  await db.deleteFrom('project_listings').where('node_id', '=', nodeId).execute();
  await db.deleteFrom('plan_nodes').where('id', '=', nodeId).execute();
}

/** Which of these ids are nodes of the plan. */
export async function nodeIdsInPlan(db: DbOrTx, planId: number, ids: number[]): Promise<number[]> {
  const rows = await db
    .selectFrom('plan_nodes')
    .select('id')
    .where('plan_id', '=', planId)
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => r.id);
}

// ---- projects

export async function projectIdsUnder(db: DbOrTx, nodeIds: number[]): Promise<number[]> {
  const rows = await db.selectFrom('projects').select('id').where('node_id', 'in', nodeIds).execute();
  return rows.map((r) => r.id);
}

/** Which of these ids are departments of the municipality. */
export async function departmentIdsIn(db: DbOrTx, municipalityId: number, ids: number[]): Promise<number[]> {
  const rows = await db
    .selectFrom('departments')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => r.id);
}

/** The project's departments (the lead first) and the nodes it is listed under again (再掲), replaced. */
export async function replaceProjectLinks(
  db: DbOrTx,
  municipalityId: number,
  projectId: number,
  departmentIds: number[],
  crossListNodeIds: number[],
): Promise<void> {
  await db.deleteFrom('project_departments').where('project_id', '=', projectId).execute();
  await db
    .insertInto('project_departments')
    .values(
      departmentIds.map((d, i) => ({
        municipality_id: municipalityId,
        project_id: projectId,
        department_id: d,
        is_lead: flag(i === 0),
        position: i,
      })),
    )
    .execute();
  await db.deleteFrom('project_listings').where('project_id', '=', projectId).execute();
  if (crossListNodeIds.length)
    await db
      .insertInto('project_listings')
      .values(
        crossListNodeIds.map((n, i) => ({
          municipality_id: municipalityId,
          project_id: projectId,
          node_id: n,
          position: i,
        })),
      )
      .execute();
}

export async function projectNumberTaken(
  db: DbOrTx,
  planId: number,
  number: string,
  exceptId?: number,
): Promise<boolean> {
  let q = db.selectFrom('projects').select('id').where('plan_id', '=', planId).where('number', '=', number);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** The position after the node's last project. */
export async function nextProjectPosition(db: DbOrTx, nodeId: number): Promise<number> {
  const last = await db
    .selectFrom('projects')
    .select('position')
    .where('node_id', '=', nodeId)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (last?.position ?? 0) + 1;
}

export interface ProjectValues {
  node_id: number;
  number: string;
  name: string;
  summary: string;
  category: string | null;
  audience: string;
  /** JSON of the values of the plan's extra fields (checked by plan-fields.service) */
  custom: string;
  position: number;
  first_year: number | null;
  last_year: number | null;
}

export async function insertProjectRow(
  db: DbOrTx,
  municipalityId: number,
  planId: number,
  p: ProjectValues,
): Promise<number> {
  const t = now();
  const row = await db
    .insertInto('projects')
    .values({ municipality_id: municipalityId, plan_id: planId, ...p, created_at: t, updated_at: t })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Many new projects of one plan at once (an import), 500 to a statement; the rows come back by
 * their number, the natural key, never by order.
 */
export async function insertProjectRows(
  db: DbOrTx,
  municipalityId: number,
  planId: number,
  rows: readonly ProjectValues[],
): Promise<{ id: number; number: string }[]> {
  const t = now();
  const values = rows.map((p) => ({
    municipality_id: municipalityId,
    plan_id: planId,
    ...p,
    created_at: t,
    updated_at: t,
  }));
  return insertManyReturning(db, 'projects', values, ['id', 'number']);
}

export interface ProjectDepartmentValues {
  municipality_id: number;
  project_id: number;
  department_id: number;
  is_lead: number;
  position: number;
}

/** Departments added to projects (an import appends them after those already there), 500 to a statement. */
export async function insertProjectDepartments(db: DbOrTx, rows: readonly ProjectDepartmentValues[]): Promise<void> {
  await insertMany(db, 'project_departments', rows);
}

/** A node's or a project's place among its siblings, set without touching anything else. */
export async function setPosition(
  db: DbOrTx,
  table: 'plan_nodes' | 'projects',
  id: number,
  position: number,
): Promise<void> {
  await db.updateTable(table).set({ position }).where('id', '=', id).execute();
}

export async function updateProjectRow(
  db: DbOrTx,
  projectId: number,
  set: Partial<ProjectValues> & { archived_at?: string | null },
): Promise<void> {
  await db
    .updateTable('projects')
    .set({ ...set, updated_at: now() })
    .where('id', '=', projectId)
    .execute();
}

/** A project and its records (only one never answered is deleted). */
export async function deleteProjectRow(db: DbOrTx, projectId: number): Promise<void> {
  await db.deleteFrom('records').where('project_id', '=', projectId).execute();
  await db.deleteFrom('projects').where('id', '=', projectId).execute();
}

/** The first and last years in which these projects have answers (records someone touched). */
export async function answeredYearSpan(
  db: DbOrTx,
  projectIds: number[],
): Promise<{ first: number | null; last: number | null }> {
  const years = await db
    .selectFrom('records')
    .select((eb) => [eb.fn.min('fiscal_year').as('first'), eb.fn.max('fiscal_year').as('last')])
    .where('project_id', 'in', projectIds)
    .where((eb) => eb.or([eb('status', '!=', 'not_started'), eb('version', '>', 1)]))
    .executeTakeFirst();
  return {
    first: years?.first === null || years?.first === undefined ? null : toNumber(years.first),
    last: years?.last === null || years?.last === undefined ? null : toNumber(years.last),
  };
}

/**
 * The latest years in which a project has history: answers (untouched records of an open round do
 * not count), council remarks, indicator actuals.
 */
export async function projectHistoryYears(db: DbOrTx, planId: number, projectId: number): Promise<unknown[]> {
  const answered = await db
    .selectFrom('records')
    .select((eb) => eb.fn.max('fiscal_year').as('last'))
    .where('project_id', '=', projectId)
    .where((eb) =>
      eb.or([
        eb('status', '!=', 'not_started'),
        eb('version', '>', 1),
        eb('plan_text', '!=', ''),
        eb(
          'fiscal_year',
          'not in',
          db
            .selectFrom('survey_rounds')
            .select('fiscal_year')
            .where('plan_id', '=', planId)
            .where('status', '=', 'open'),
        ),
      ]),
    )
    .executeTakeFirst();
  const comments = await db
    .selectFrom('council_comments')
    .select('fiscal_year')
    .where('project_id', '=', projectId)
    .orderBy('fiscal_year', 'desc')
    .limit(1)
    .executeTakeFirst();
  const actuals = await db
    .selectFrom('indicator_actuals as a')
    .innerJoin('indicators as i', 'i.id', 'a.indicator_id')
    .select('a.fiscal_year')
    .where('i.project_id', '=', projectId)
    .orderBy('a.fiscal_year', 'desc')
    .limit(1)
    .executeTakeFirst();
  return [answered?.last, comments?.fiscal_year, actuals?.fiscal_year];
}

// ---- a project's records in an open round (see structure.service syncOpenRound)

export function findProjectSpan(db: DbOrTx, projectId: number) {
  return db
    .selectFrom('projects')
    .select(['first_year', 'last_year', 'archived_at'])
    .where('id', '=', projectId)
    .executeTakeFirstOrThrow();
}

export async function roundDepartmentIds(db: DbOrTx, roundId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('survey_round_departments')
    .select('department_id')
    .where('round_id', '=', roundId)
    .execute();
  return rows.map((d) => d.department_id);
}

export function listProjectAssignments(db: DbOrTx, projectId: number) {
  return db
    .selectFrom('project_departments')
    .select(['department_id', 'is_lead', 'position'])
    .where('project_id', '=', projectId)
    .execute();
}

export function listProjectRecordsOfYear(db: DbOrTx, projectId: number, fiscalYear: number) {
  return db
    .selectFrom('records')
    .select(['id', 'department_id', 'status', 'version', 'plan_text'])
    .where('project_id', '=', projectId)
    .where('fiscal_year', '=', fiscalYear)
    .execute();
}

export async function setRecordLead(db: DbOrTx, recordId: number, isLead: number, position: number): Promise<void> {
  await db.updateTable('records').set({ is_lead: isLead, position }).where('id', '=', recordId).execute();
}

export async function deleteRecordRow(db: DbOrTx, recordId: number): Promise<void> {
  await db.deleteFrom('records').where('id', '=', recordId).execute();
}

// ---- a year's structure, fixed (see plan-years.ts)

/** The numbers fixed for a year (empty while the year is not fixed). */
export async function fixedNumbers(db: DbOrTx, planId: number, year: number): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('year_nodes')
    .select(['node_id', 'number'])
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', year)
    .execute();
  return new Map(rows.map((r) => [r.node_id, r.number]));
}

export function listYearNodeRows(db: DbOrTx, planId: number, year: number) {
  return db
    .selectFrom('year_nodes')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', year)
    .execute();
}

export function listYearProjectRows(db: DbOrTx, planId: number, year: number, projectIds: number[] | null) {
  return db
    .selectFrom('year_projects')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', year)
    .$if(projectIds !== null, (q) => q.where('project_id', 'in', projectIds!))
    .execute();
}

export async function yearIsFixed(db: DbOrTx, planId: number, year: number): Promise<boolean> {
  const existing = await db
    .selectFrom('year_nodes')
    .select('node_id')
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', year)
    .limit(1)
    .executeTakeFirst();
  return existing !== undefined;
}

type YearNodeRow = Awaited<ReturnType<typeof listYearNodeRows>>[number];
type YearProjectRow = Awaited<ReturnType<typeof listYearProjectRows>>[number];

/** Writes a year's fixed rows in batches; rows already there stay. */
export async function insertYearRows(db: DbOrTx, nodes: YearNodeRow[], projects: YearProjectRow[]): Promise<void> {
  for (let i = 0; i < nodes.length; i += 500)
    await db
      .insertInto('year_nodes')
      .values(nodes.slice(i, i + 500))
      .onConflict((oc) => oc.doNothing())
      .execute();
  for (let i = 0; i < projects.length; i += 500)
    await db
      .insertInto('year_projects')
      .values(projects.slice(i, i + 500))
      .onConflict((oc) => oc.doNothing())
      .execute();
}

/** The fiscal years of a plan whose structure is fixed (first approval or publication): they keep their evaluation. */
export async function fixedYears(db: DbOrTx, planId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('year_nodes')
    .select('fiscal_year')
    .distinct()
    .where('plan_id', '=', planId)
    .orderBy('fiscal_year')
    .execute();
  return rows.map((r) => r.fiscal_year);
}

/** The last fiscal year whose fixed structure holds this node or project, if any. */
export async function lastFixedYear(
  db: DbOrTx,
  what: { nodeId: number } | { projectId: number },
): Promise<number | null> {
  const row =
    'nodeId' in what
      ? await db
          .selectFrom('year_nodes')
          .select('fiscal_year')
          .where('node_id', '=', what.nodeId)
          .orderBy('fiscal_year', 'desc')
          .limit(1)
          .executeTakeFirst()
      : await db
          .selectFrom('year_projects')
          .select('fiscal_year')
          .where('project_id', '=', what.projectId)
          .orderBy('fiscal_year', 'desc')
          .limit(1)
          .executeTakeFirst();
  return row?.fiscal_year ?? null;
}

// ---- indicators as a plan file carries them

/** The plan's project indicators in their order, with their targets and revisions. */
export async function listIndicatorsForExport(db: DbOrTx, planId: number) {
  const indicators = await db
    .selectFrom('indicators')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('project_id')
    .orderBy('node_id')
    .orderBy('position')
    .orderBy('id')
    .execute();
  const ids = indicators.map((i) => i.id);
  const [targets, revisions] = await Promise.all([
    db
      .selectFrom('indicator_targets')
      .select(['indicator_id', 'fiscal_year', 'text'])
      .where('indicator_id', 'in', ids.length ? ids : [-1])
      .orderBy('fiscal_year')
      .execute(),
    db
      .selectFrom('indicator_revisions')
      .selectAll()
      .where('indicator_id', 'in', ids.length ? ids : [-1])
      .orderBy('from_year')
      .execute(),
  ]);
  return { indicators, targets, revisions };
}

export interface IndicatorTermsRow {
  direction: Direction;
  purpose: IndicatorPurpose;
  target_basis: TargetBasis;
  baseline_value: number | null;
  baseline_text: string;
  baseline_year: number | null;
  final_target_value: number | null;
  final_target_text: string;
}

/** An indicator read from a plan file, with its targets and revisions. */
export async function insertIndicatorFromFile(
  db: DbOrTx,
  at: { municipalityId: number; planId: number; projectId: number | null; nodeId: number | null; position: number },
  row: IndicatorTermsRow & {
    department_id: number | null;
    name: string;
    unit: string;
    kind: IndicatorKind;
    first_year: number | null;
    last_year: number | null;
  },
  targets: { fiscal_year: number; value: number | null; text: string }[],
  revisions: (IndicatorTermsRow & { from_year: number; note: string })[],
): Promise<number> {
  const t = now();
  const { id } = await db
    .insertInto('indicators')
    .values({
      municipality_id: at.municipalityId,
      plan_id: at.planId,
      project_id: at.projectId,
      node_id: at.nodeId,
      position: at.position,
      ...row,
      created_at: t,
      updated_at: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const x of targets)
    await db
      .insertInto('indicator_targets')
      .values({ municipality_id: at.municipalityId, indicator_id: id, ...x })
      .execute();
  for (const r of revisions)
    await db
      .insertInto('indicator_revisions')
      .values({ municipality_id: at.municipalityId, indicator_id: id, ...r, created_at: t, created_by_name: '' })
      .execute();
  return id;
}

/** A plan's evaluation entries, for its structure file. */
export function listEntriesForExport(db: DbOrTx, planId: number) {
  return db
    .selectFrom('evaluations')
    .select([
      'fiscal_year',
      'slot_key',
      'subject_kind',
      'subject_id',
      'department_id',
      'code',
      'level',
      'reason',
      'comment',
    ])
    .where('plan_id', '=', planId)
    .execute();
}

const entryRowKey = (r: {
  fiscal_year: number;
  slot_key: string;
  subject_kind: string;
  subject_id: number;
  department_id: number;
}) => `${r.fiscal_year}|${r.slot_key}|${r.subject_kind}|${r.subject_id}|${r.department_id}`;

/**
 * Entries carried by a plan file, at version 1, each with its first history row (nothing before it),
 * stamped with the importing user.
 */
export async function insertEntriesFromFile(
  db: DbOrTx,
  rows: Omit<Insertable<Database['evaluations']>, 'version' | 'entered_by' | 'entered_by_name' | 'entered_at'>[],
  actor: { id: number; displayName: string } | null,
): Promise<void> {
  const stamp = { entered_by: actor?.id ?? null, entered_by_name: actor?.displayName ?? '', entered_at: now() };
  const value = (r: (typeof rows)[number]) =>
    JSON.stringify({ code: r.code ?? null, level: r.level ?? null, reason: r.reason ?? '', comment: r.comment ?? '' });
  for (let i = 0; i < rows.length; i += 300) {
    const chunk = rows.slice(i, i + 300);
    const inserted = await db
      .insertInto('evaluations')
      .values(chunk.map((r) => ({ ...r, version: 1, ...stamp })))
      .returning(['id', 'fiscal_year', 'slot_key', 'subject_kind', 'subject_id', 'department_id'])
      .execute();
    // Returned in the order given on both databases; matched by key to be sure.
    const byKey = new Map(inserted.map((r) => [entryRowKey(r), r.id]));
    await db
      .insertInto('evaluation_history')
      .values(
        chunk.map((r) => ({
          municipality_id: r.municipality_id,
          evaluation_id: byKey.get(entryRowKey(r))!,
          version: 1,
          before: JSON.stringify({ code: null, level: null, reason: '', comment: '' }),
          after: value(r),
          user_id: stamp.entered_by,
          actor_name: stamp.entered_by_name,
          created_at: stamp.entered_at,
        })),
      )
      .execute();
  }
}
