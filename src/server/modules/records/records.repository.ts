import type { ActualDto, RecordDto } from '../../../domain/api-types.js';

import type { Selectable } from 'kysely';
import type { Database, DbOrTx } from '../../db/types.js';
import { toNumber } from '../../db/util.js';
import { readJson } from '../../db/json.js';

export type RecordRow = Selectable<Database['records']>;

export function findRecordRow(db: DbOrTx, municipalityId: number, id: number): Promise<RecordRow | undefined> {
  return db
    .selectFrom('records')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Records of one plan and fiscal year, optionally of one department, with actuals and editor names. */
export async function loadRecords(
  db: DbOrTx,
  municipalityId: number,
  where: { planId: number; fiscalYear: number; departmentId?: number; projectIds?: number[]; ids?: number[] },
): Promise<RecordDto[]> {
  let q = db
    .selectFrom('records as r')
    .leftJoin('users as u', 'u.id', 'r.updated_by')
    .selectAll('r')
    .select('u.display_name as updated_by_name')
    .where('r.municipality_id', '=', municipalityId)
    .where('r.plan_id', '=', where.planId)
    .where('r.fiscal_year', '=', where.fiscalYear);
  if (where.departmentId !== undefined) q = q.where('r.department_id', '=', where.departmentId);
  if (where.projectIds) q = q.where('r.project_id', 'in', where.projectIds.length ? where.projectIds : [-1]);
  if (where.ids) q = q.where('r.id', 'in', where.ids.length ? where.ids : [-1]);
  const rows = await q.orderBy('r.project_id').orderBy('r.department_id').execute();
  if (rows.length === 0) return [];
  const actuals = await loadActuals(db, municipalityId, where.fiscalYear, [...new Set(rows.map((r) => r.project_id))]);
  return rows.map((r) =>
    toRecordDto(
      r,
      r.updated_by_name,
      actuals.filter((a) => a.departmentId === r.department_id && a.projectId === r.project_id),
    ),
  );
}

export async function loadRecordById(db: DbOrTx, municipalityId: number, id: number): Promise<RecordDto | undefined> {
  const row = await findRecordRow(db, municipalityId, id);
  if (!row) return undefined;
  return (await loadRecords(db, municipalityId, { planId: row.plan_id, fiscalYear: row.fiscal_year, ids: [id] }))[0];
}

type ActualWithProject = ActualDto & { projectId: number };

export async function loadActuals(
  db: DbOrTx,
  municipalityId: number,
  fiscalYear: number,
  projectIds: number[],
): Promise<ActualWithProject[]> {
  if (projectIds.length === 0) return [];
  const rows = await db
    .selectFrom('indicator_actuals as a')
    .innerJoin('indicators as i', 'i.id', 'a.indicator_id')
    .selectAll('a')
    .select('i.project_id')
    .where('a.municipality_id', '=', municipalityId)
    .where('a.fiscal_year', '=', fiscalYear)
    .where('i.project_id', 'in', projectIds)
    .orderBy('i.position')
    .execute();
  return rows.map((a) => ({
    projectId: a.project_id,
    indicatorId: a.indicator_id,
    departmentId: a.department_id,
    fiscalYear: a.fiscal_year,
    value: a.value === null ? null : toNumber(a.value),
    text: a.text,
    status: a.status,
    reason: a.reason,
    parts: readJson.actualParts(a.parts),
    grade: a.grade,
    gradeReason: a.grade_reason,
  }));
}

export function toRecordDto(r: RecordRow, updatedByName: string | null, actuals: ActualWithProject[]): RecordDto {
  return {
    id: r.id,
    projectId: r.project_id,
    departmentId: r.department_id,
    fiscalYear: r.fiscal_year,
    isLead: r.is_lead === 1,
    position: r.position,
    planText: r.plan_text,
    resultText: r.result_text,
    grade: r.grade,
    gradeSource: r.grade_source,
    remarks: r.remarks,
    nextYearPlan: r.next_year_plan,
    sameAsDepartmentId: r.same_as_department_id,
    status: r.status,
    version: r.version,
    updatedAt: r.updated_at,
    updatedByName,
    submittedAt: r.submitted_at,
    actuals: actuals.map(({ projectId: _p, ...a }) => a),
  };
}

/** What history keeps of a record: its fields and actuals, not its bookkeeping. */
export function snapshot(r: RecordDto): Record<string, unknown> {
  return {
    planText: r.planText,
    resultText: r.resultText,
    grade: r.grade,
    remarks: r.remarks,
    nextYearPlan: r.nextYearPlan,
    sameAsDepartmentId: r.sameAsDepartmentId,
    status: r.status,
    actuals: Object.fromEntries(
      r.actuals.map((a) => [
        String(a.indicatorId),
        {
          text: a.text,
          status: a.status,
          reason: a.reason,
          parts: a.parts,
          grade: a.grade,
          gradeReason: a.gradeReason,
        },
      ]),
    ),
  };
}

export interface NewRecord {
  municipalityId: number;
  planId: number;
  projectId: number;
  departmentId: number;
  fiscalYear: number;
  isLead: boolean;
  position: number;
  planText?: string;
}

/** New, empty records (未着手) for one year; returns their ids in the order given. */
export async function insertRecords(db: DbOrTx, rows: readonly NewRecord[], at: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200).map((r) => ({
      municipality_id: r.municipalityId,
      plan_id: r.planId,
      project_id: r.projectId,
      department_id: r.departmentId,
      fiscal_year: r.fiscalYear,
      plan_text: r.planText ?? '',
      result_text: '',
      remarks: '',
      next_year_plan: '',
      is_lead: r.isLead ? 1 : 0,
      position: r.position,
      status: 'not_started' as const,
      version: 1,
      updated_at: at,
      updated_by: null,
    }));
    for (const row of chunk)
      ids.push((await db.insertInto('records').values(row).returning('id').executeTakeFirstOrThrow()).id);
  }
  return ids;
}
