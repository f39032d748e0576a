import type { DbOrTx } from '../../db/types.js';
import { now, toNumber } from '../../db/util.js';

export async function departmentNames(db: DbOrTx, municipalityId: number): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('municipality_id', '=', municipalityId)
    .execute();
  return new Map(rows.map((d) => [d.id, d.name]));
}

/** Remarks and answers on these projects, oldest first, with who wrote them. */
export function listThreadRows(db: DbOrTx, municipalityId: number, projectIds: number[]) {
  return db
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
}

export async function hasApprovedRecord(db: DbOrTx, projectId: number, fiscalYear: number): Promise<boolean> {
  const row = await db
    .selectFrom('records')
    .select('id')
    .where('project_id', '=', projectId)
    .where('fiscal_year', '=', fiscalYear)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return row !== undefined;
}

export function findComment(db: DbOrTx, municipalityId: number, commentId: number) {
  return db
    .selectFrom('council_comments')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', commentId)
    .executeTakeFirst();
}

/**
 * Whether one of these departments answers for the project in that year: by its record of the year
 * or, failing that, `assignedId` by the project's current assignment.
 */
export async function answersForProject(
  db: DbOrTx,
  projectId: number,
  fiscalYear: number,
  departmentIds: readonly number[],
  assignedId: number,
): Promise<boolean> {
  const answering = await db
    .selectFrom('records')
    .select('department_id')
    .where('project_id', '=', projectId)
    .where('fiscal_year', '=', fiscalYear)
    .where('department_id', 'in', departmentIds.length ? [...departmentIds] : [-1])
    .orderBy('is_lead', 'desc')
    .executeTakeFirst();
  if (answering) return true;
  const assigned = await db
    .selectFrom('project_departments')
    .select('department_id')
    .where('project_id', '=', projectId)
    .where('department_id', '=', assignedId)
    .executeTakeFirst();
  return assigned !== undefined;
}

export async function insertComment(
  db: DbOrTx,
  c: {
    municipalityId: number;
    projectId: number;
    fiscalYear: number;
    parentId: number | null;
    userId: number;
    departmentId: number | null;
    body: string;
  },
): Promise<{ id: number }> {
  return db
    .insertInto('council_comments')
    .values({
      municipality_id: c.municipalityId,
      project_id: c.projectId,
      fiscal_year: c.fiscalYear,
      parent_id: c.parentId,
      user_id: c.userId,
      department_id: c.departmentId,
      body: c.body,
      created_at: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The plans and years some round has asked, newest first. */
export function listRoundYears(db: DbOrTx, municipalityId: number) {
  return db
    .selectFrom('survey_rounds')
    .select(['plan_id', 'fiscal_year'])
    .distinct()
    .where('municipality_id', '=', municipalityId)
    .orderBy('fiscal_year', 'desc')
    .orderBy('plan_id')
    .execute();
}

/** Per plan and year, the projects with an approved answer (of these departments only, when given). */
export async function listApprovedProjectCounts(
  db: DbOrTx,
  municipalityId: number,
  departmentIds: readonly number[] | null,
) {
  let q = db
    .selectFrom('records')
    .select(['plan_id', 'fiscal_year', (eb) => eb.fn.count('project_id').distinct().as('n')])
    .where('municipality_id', '=', municipalityId)
    .where('status', '=', 'approved');
  if (departmentIds) q = q.where('department_id', 'in', departmentIds.length ? [...departmentIds] : [-1]);
  const rows = await q.groupBy(['plan_id', 'fiscal_year']).execute();
  return rows.map((r) => ({ plan_id: r.plan_id, fiscal_year: r.fiscal_year, projects: toNumber(r.n) }));
}
