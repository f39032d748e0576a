import type { RecordStatus } from '../../../domain/cycle.js';
import type { DbOrTx } from '../../db/types.js';
import { toNumber } from '../../db/util.js';

/** Each department of each round that takes answers: open rounds, and closed ones reopened for a department. */
export function listAnsweringRounds(db: DbOrTx, municipalityId: number) {
  return db
    .selectFrom('survey_rounds as r')
    .innerJoin('plans as p', 'p.id', 'r.plan_id')
    .innerJoin('survey_round_departments as d', 'd.round_id', 'r.id')
    .select([
      'r.id',
      'r.plan_id',
      'r.fiscal_year',
      'r.phase',
      'r.deadline',
      'r.status',
      'p.title',
      'd.department_id',
      'd.reopened',
    ])
    .where('r.municipality_id', '=', municipalityId)
    .where((eb) => eb.or([eb('r.status', '=', 'open'), eb('d.reopened', '=', 1)]))
    .execute();
}

export type AnsweringRound = Awaited<ReturnType<typeof listAnsweringRounds>>[number];

/** Records of a plan's year in these states, of one department or all. */
export async function countRecords(
  db: DbOrTx,
  planId: number,
  fiscalYear: number,
  statuses: RecordStatus[],
  departmentId?: number,
): Promise<number> {
  let q = db
    .selectFrom('records')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', fiscalYear)
    .where('status', 'in', statuses);
  if (departmentId !== undefined) q = q.where('department_id', '=', departmentId);
  return toNumber((await q.executeTakeFirstOrThrow()).n);
}

/** Council remarks on the department's projects that the department has not answered. */
export function listUnansweredRemarks(db: DbOrTx, municipalityId: number, departmentId: number) {
  return db
    .selectFrom('council_comments as c')
    .innerJoin('project_departments as pd', 'pd.project_id', 'c.project_id')
    .innerJoin('projects as p', 'p.id', 'c.project_id')
    .select(['c.id', 'c.fiscal_year', 'p.plan_id', 'p.number', 'p.name'])
    .where('c.municipality_id', '=', municipalityId)
    .where('c.parent_id', 'is', null)
    .where('pd.department_id', '=', departmentId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('council_comments as a')
            .select('a.id')
            .whereRef('a.parent_id', '=', 'c.id')
            .where('a.department_id', '=', departmentId),
        ),
      ),
    )
    .execute();
}

/** Plans and years with approved answers, newest year first, with how many projects they cover. */
export async function listApprovedYears(db: DbOrTx, municipalityId: number) {
  const rows = await db
    .selectFrom('records as r')
    .innerJoin('plans as p', 'p.id', 'r.plan_id')
    .select(['r.plan_id', 'r.fiscal_year', 'p.title', (eb) => eb.fn.count('r.project_id').distinct().as('n')])
    .where('r.municipality_id', '=', municipalityId)
    .where('r.status', '=', 'approved')
    .groupBy(['r.plan_id', 'r.fiscal_year', 'p.title'])
    .orderBy('r.fiscal_year', 'desc')
    .execute();
  return rows.map((r) => ({ planId: r.plan_id, fiscalYear: r.fiscal_year, title: r.title, projects: toNumber(r.n) }));
}

/** Active editors of a department with an e-mail address. */
export function listEditorsWithEmail(db: DbOrTx, departmentId: number) {
  return db
    .selectFrom('users')
    .select(['email', 'display_name'])
    .where('department_id', '=', departmentId)
    .where('role', '=', 'department_editor')
    .where('active', '=', 1)
    .where('email', '!=', '')
    .execute();
}
