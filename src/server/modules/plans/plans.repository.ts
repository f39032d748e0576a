import type { DbOrTx } from '../../db/types.js';
import { now, toNumber } from '../../db/util.js';

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
    .select(['depth', 'name', 'numbering_style', 'numbering_scope'])
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

export function listProjectRows(db: DbOrTx, planId: number) {
  return db
    .selectFrom('projects')
    .select([
      'id',
      'node_id',
      'number',
      'name',
      'summary',
      'category',
      'audience',
      'position',
      'first_year',
      'last_year',
      'archived_at',
    ])
    .where('plan_id', '=', planId)
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

/** Every plan of a municipality: for changes such as department names that show on all sheets. */
export async function bumpMunicipalityPlans(db: DbOrTx, municipalityId: number): Promise<void> {
  await db
    .updateTable('plans')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('municipality_id', '=', municipalityId)
    .execute();
}
