import type { Insertable } from 'kysely';
import type { Database, DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';

/**
 * All SQL of the imports module: saved mappings, the departments a file names, and what an import
 * reads once and writes in batches (records and indicator values). The plan's own rows (the plan,
 * its levels, nodes and projects) are written by the plans module.
 */

// ---- saved mappings

export function listSavedMappings(db: DbOrTx, municipalityId: number) {
  return db
    .selectFrom('import_mappings')
    .select(['name', 'definition'])
    .where('municipality_id', '=', municipalityId)
    .orderBy('name')
    .execute();
}

export function findSavedMapping(db: DbOrTx, municipalityId: number, name: string) {
  return db
    .selectFrom('import_mappings')
    .select(['id', 'definition'])
    .where('municipality_id', '=', municipalityId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function updateSavedMapping(db: DbOrTx, id: number, definition: string): Promise<void> {
  await db.updateTable('import_mappings').set({ definition, updated_at: now() }).where('id', '=', id).execute();
}

export async function insertSavedMapping(
  db: DbOrTx,
  municipalityId: number,
  name: string,
  definition: string,
): Promise<void> {
  await db
    .insertInto('import_mappings')
    .values({ municipality_id: municipalityId, name, definition, updated_at: now() })
    .execute();
}

// ---- the municipality and its departments

export async function municipalityExists(db: DbOrTx, municipalityId: number): Promise<boolean> {
  const m = await db.selectFrom('municipalities').select('id').where('id', '=', municipalityId).executeTakeFirst();
  return m !== undefined;
}

export function listDepartments(db: DbOrTx, municipalityId: number) {
  return db
    .selectFrom('departments')
    .select(['id', 'name', 'active_to'])
    .where('municipality_id', '=', municipalityId)
    .execute();
}

export async function insertDepartment(db: DbOrTx, values: Insertable<Database['departments']>): Promise<number> {
  const row = await db.insertInto('departments').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Whether a change already leads to this department (its history was read from an earlier file). */
export async function hasChangeTo(db: DbOrTx, departmentId: number): Promise<boolean> {
  const linked = await db
    .selectFrom('department_change_links')
    .select('id')
    .where('to_department_id', '=', departmentId)
    .executeTakeFirst();
  return linked !== undefined;
}

export async function insertDepartmentChange(
  db: DbOrTx,
  values: Insertable<Database['department_changes']>,
  links: { fromIds: number[]; toId: number },
): Promise<void> {
  const change = await db.insertInto('department_changes').values(values).returning('id').executeTakeFirstOrThrow();
  for (const fromId of links.fromIds)
    await db
      .insertInto('department_change_links')
      .values({
        municipality_id: values.municipality_id,
        change_id: change.id,
        from_department_id: fromId,
        to_department_id: links.toId,
      })
      .execute();
}

// ---- what an import reads once

/** The plan's nodes as an import matches them: by parent, printed number and title. */
export function listNodeKeys(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_nodes')
    .select(['id', 'parent_id', 'number_override', 'title', 'position'])
    .where('plan_id', '=', planId)
    .execute();
}

export function listProjectNumbers(db: DbOrTx, planId: number) {
  return db.selectFrom('projects').select(['id', 'number', 'custom']).where('plan_id', '=', planId).execute();
}

/** The highest position of the plan's projects, 0 for none. */
export async function lastProjectPosition(db: DbOrTx, planId: number): Promise<number> {
  const last = await db
    .selectFrom('projects')
    .select('position')
    .where('plan_id', '=', planId)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.position ?? 0;
}

/** A query by project ids, 500 ids to a statement. */
async function selectIn<R>(ids: number[], query: (chunk: number[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await query(ids.slice(i, i + 500))));
  return out;
}

export function listAssignments(db: DbOrTx, projectIds: number[]) {
  return selectIn(projectIds, (chunk) =>
    db
      .selectFrom('project_departments')
      .select(['project_id', 'department_id', 'is_lead', 'position'])
      .where('project_id', 'in', chunk)
      .execute(),
  );
}

export function listRecordsOfYear(db: DbOrTx, projectIds: number[], fiscalYear: number) {
  return selectIn(projectIds, (chunk) =>
    db
      .selectFrom('records')
      .select(['id', 'version', 'project_id', 'department_id', 'custom'])
      .where('project_id', 'in', chunk)
      .where('fiscal_year', '=', fiscalYear)
      .execute(),
  );
}

export function listIndicators(db: DbOrTx, projectIds: number[]) {
  return selectIn(projectIds, (chunk) =>
    db
      .selectFrom('indicators')
      .select(['id', 'project_id', 'name'])
      .where('project_id', 'in', chunk)
      .$narrowType<{ project_id: number }>()
      .execute(),
  );
}

/** The plan's nodes and projects with their places, for putting them in printed order. */
export function listNodePlaces(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_nodes')
    .select(['id', 'parent_id', 'position', 'number_override'])
    .where('plan_id', '=', planId)
    .execute();
}

export function listProjectPlaces(db: DbOrTx, planId: number) {
  return db
    .selectFrom('projects')
    .select(['id', 'node_id', 'position', 'number'])
    .where('plan_id', '=', planId)
    .execute();
}

// ---- what an import writes

export type NewRecord = Insertable<Database['records']>;
export type NewIndicator = Insertable<Database['indicators']>;
export type NewTarget = Insertable<Database['indicator_targets']>;
export type NewActual = Insertable<Database['indicator_actuals']>;
export type RecordUpdate = {
  id: number;
  set: Pick<
    NewRecord,
    | 'plan_text'
    | 'result_text'
    | 'remarks'
    | 'next_year_plan'
    | 'custom'
    | 'status'
    | 'version'
    | 'updated_at'
    | 'updated_by'
  >;
};

export async function updateRecord(db: DbOrTx, update: RecordUpdate): Promise<void> {
  await db.updateTable('records').set(update.set).where('id', '=', update.id).execute();
}

export async function insertRecordRows(db: DbOrTx, rows: NewRecord[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('records')
      .values(rows.slice(i, i + 500))
      .execute();
}

// Inserted rows are matched back by their natural keys (project and name), never by order.
export async function insertIndicatorRows(
  db: DbOrTx,
  rows: NewIndicator[],
): Promise<{ id: number; project_id: number; name: string }[]> {
  const out: { id: number; project_id: number; name: string }[] = [];
  for (let i = 0; i < rows.length; i += 500)
    out.push(
      ...(await db
        .insertInto('indicators')
        .values(rows.slice(i, i + 500))
        .returning(['id', 'project_id', 'name'])
        .$narrowType<{ project_id: number }>()
        .execute()),
    );
  return out;
}

export async function deleteTarget(db: DbOrTx, indicatorId: number, fiscalYear: number): Promise<void> {
  await db
    .deleteFrom('indicator_targets')
    .where('indicator_id', '=', indicatorId)
    .where('fiscal_year', '=', fiscalYear)
    .execute();
}

export async function deleteActual(
  db: DbOrTx,
  indicatorId: number,
  departmentId: number,
  fiscalYear: number,
): Promise<void> {
  await db
    .deleteFrom('indicator_actuals')
    .where('indicator_id', '=', indicatorId)
    .where('department_id', '=', departmentId)
    .where('fiscal_year', '=', fiscalYear)
    .execute();
}

export async function insertTargets(db: DbOrTx, rows: NewTarget[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('indicator_targets')
      .values(rows.slice(i, i + 500))
      .execute();
}

export async function insertActuals(db: DbOrTx, rows: NewActual[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('indicator_actuals')
      .values(rows.slice(i, i + 500))
      .execute();
}

// ---- the preview

/** The names of the municipality's departments, to recognise them in department cells. */
export async function departmentNames(db: DbOrTx, municipalityId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('departments')
    .select('name')
    .where('municipality_id', '=', municipalityId)
    .execute();
  return rows.map((d) => d.name);
}
