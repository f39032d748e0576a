import { sql, type Insertable } from 'kysely';
import type { Database, DbOrTx } from '../../db/types.js';
import { isForeignKeyViolation, now, toNumber } from '../../db/util.js';
import { insertMany, insertManyReturning } from '../../db/bulk.js';
import { readJson } from '../../db/json.js';
import type { RowImage, RowKind, TrackedTable } from './batch-rows.js';

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

/** A change of organisation an import recorded, with its links, as it undoes the import. */
export async function deleteDepartmentChange(db: DbOrTx, municipalityId: number, changeId: number): Promise<void> {
  await db
    .deleteFrom('department_change_links')
    .where('municipality_id', '=', municipalityId)
    .where('change_id', '=', changeId)
    .execute();
  await db
    .deleteFrom('department_changes')
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', changeId)
    .execute();
}

/**
 * Deletes a department nothing refers to any more, with its sheets' cache counters; one still referred to
 * (a user, an answer, a round, another unit's history) stays as it was, and false says so. The database's
 * own references decide, inside a savepoint, so that no table is forgotten.
 */
export async function deleteDepartmentIfUnused(db: DbOrTx, municipalityId: number, id: number): Promise<boolean> {
  await sql`savepoint department_unused`.execute(db);
  try {
    await db.deleteFrom('sheet_revisions').where('department_id', '=', id).execute();
    await db.deleteFrom('departments').where('municipality_id', '=', municipalityId).where('id', '=', id).execute();
  } catch (err) {
    if (!isForeignKeyViolation(err)) throw err;
    await sql`rollback to savepoint department_unused`.execute(db);
    await sql`release savepoint department_unused`.execute(db);
    return false;
  }
  await sql`release savepoint department_unused`.execute(db);
  return true;
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
): Promise<number> {
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
  return change.id;
}

// ---- what an import reads once

/** The plan's nodes as an import matches them: by parent, printed number (as numbered) and title. */
export function listNodeKeys(db: DbOrTx, planId: number) {
  return db
    .selectFrom('plan_nodes')
    .select(['id', 'parent_id', 'depth', 'number_override', 'counts_in_numbering', 'title', 'position', 'archived_at'])
    .where('plan_id', '=', planId)
    .execute();
}

export function listProjectNumbers(db: DbOrTx, planId: number) {
  return db
    .selectFrom('projects')
    .select(['id', 'number', 'custom', 'name', 'summary', 'category', 'audience', 'node_id'])
    .where('plan_id', '=', planId)
    .execute();
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
      .select([
        'id',
        'version',
        'project_id',
        'department_id',
        'custom',
        'plan_text',
        'result_text',
        'remarks',
        'next_year_plan',
        'status',
        'same_as_department_id',
      ])
      .where('project_id', 'in', chunk)
      .where('fiscal_year', '=', fiscalYear)
      .execute(),
  );
}

export function listIndicators(db: DbOrTx, projectIds: number[]) {
  return selectIn(projectIds, (chunk) =>
    db
      .selectFrom('indicators')
      .select(['id', 'project_id', 'name', 'first_year', 'last_year'])
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
    | 'same_as_department_id'
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
  await insertMany(db, 'records', rows);
}

// Inserted rows are matched back by their natural keys (project and name), never by order.
export async function insertIndicatorRows(
  db: DbOrTx,
  rows: NewIndicator[],
): Promise<{ id: number; project_id: number; name: string }[]> {
  const out = await insertManyReturning(db, 'indicators', rows, ['id', 'project_id', 'name']);
  // An import's indicators all belong to a project (newIndicator): none comes back without one.
  return out.map((r) => ({ id: r.id, project_id: r.project_id!, name: r.name }));
}

export function listTargetRows(db: DbOrTx, indicatorIds: number[]) {
  return selectIn(indicatorIds, (chunk) =>
    db
      .selectFrom('indicator_targets')
      .select(['indicator_id', 'fiscal_year', 'value', 'text'])
      .where('indicator_id', 'in', chunk)
      .execute(),
  );
}

export async function updateTarget(
  db: DbOrTx,
  indicatorId: number,
  fiscalYear: number,
  set: { value: number | null; text: string },
): Promise<void> {
  await db
    .updateTable('indicator_targets')
    .set(set)
    .where('indicator_id', '=', indicatorId)
    .where('fiscal_year', '=', fiscalYear)
    .execute();
}

export async function updateActual(
  db: DbOrTx,
  id: number,
  set: Pick<NewActual, 'value' | 'text' | 'status' | 'reason' | 'parts'>,
): Promise<void> {
  await db.updateTable('indicator_actuals').set(set).where('id', '=', id).execute();
}

export async function insertTargets(db: DbOrTx, rows: NewTarget[]): Promise<void> {
  await insertMany(db, 'indicator_targets', rows);
}

export async function insertActuals(db: DbOrTx, rows: NewActual[]): Promise<void> {
  await insertMany(db, 'indicator_actuals', rows);
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

// ---- import batches

/**
 * The reads of every row of a plan an import can change (records and evaluations of one year), whole,
 * one read per kind.
 */
export function snapshotReads(
  db: DbOrTx,
  planId: number,
  fiscalYear: number,
): Record<RowKind, () => Promise<RowImage[]>> {
  const indicatorIds = db.selectFrom('indicators').select('id').where('plan_id', '=', planId);
  return {
    node: () => db.selectFrom('plan_nodes').selectAll().where('plan_id', '=', planId).execute(),
    project: () => db.selectFrom('projects').selectAll().where('plan_id', '=', planId).execute(),
    assignment: () =>
      db
        .selectFrom('project_departments')
        .selectAll()
        .where('project_id', 'in', db.selectFrom('projects').select('id').where('plan_id', '=', planId))
        .execute(),
    indicator: () => db.selectFrom('indicators').selectAll().where('plan_id', '=', planId).execute(),
    record: () =>
      db
        .selectFrom('records')
        .selectAll()
        .where('plan_id', '=', planId)
        .where('fiscal_year', '=', fiscalYear)
        .execute(),
    target: () => db.selectFrom('indicator_targets').selectAll().where('indicator_id', 'in', indicatorIds).execute(),
    actual: () => db.selectFrom('indicator_actuals').selectAll().where('indicator_id', 'in', indicatorIds).execute(),
    // An empty entry is no entry: clearing one leaves its row (entries are never deleted). Answers'
    // done flags of earlier years (a report's 前年度 and 現状値 columns) are an import's too.
    evaluation: () =>
      db
        .selectFrom('evaluations')
        .selectAll()
        .where('plan_id', '=', planId)
        .where((eb) =>
          eb.or([
            eb('fiscal_year', '=', fiscalYear),
            eb.and([eb('subject_kind', '=', 'record'), eb('fiscal_year', '<', fiscalYear)]),
          ]),
        )
        .where((eb) =>
          eb.or([
            eb('code', 'is not', null),
            eb('level', 'is not', null),
            eb('reason', '<>', ''),
            eb('comment', '<>', ''),
          ]),
        )
        .execute(),
    evaluation_version: () =>
      db.selectFrom('plan_evaluation_versions').selectAll().where('plan_id', '=', planId).execute(),
  };
}

/** A row as it was, put back (with its id). */
export async function insertImage(db: DbOrTx, table: TrackedTable, image: RowImage): Promise<void> {
  const cols = Object.keys(image);
  await sql`INSERT INTO ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}) VALUES (${sql.join(
    cols.map((c) => image[c] ?? null),
  )})`.execute(db);
}

const whereKey = (key: Record<string, number>) =>
  sql.join(
    Object.entries(key).map(([c, v]) => sql`${sql.ref(c)} = ${v}`),
    sql` AND `,
  );

/** A row's columns set back to what they were. */
export async function updateImage(
  db: DbOrTx,
  table: TrackedTable,
  key: Record<string, number>,
  image: RowImage,
): Promise<void> {
  const cols = Object.keys(image).filter((c) => !(c in key));
  if (cols.length === 0) return;
  await sql`UPDATE ${sql.table(table)} SET ${sql.join(cols.map((c) => sql`${sql.ref(c)} = ${image[c] ?? null}`))} WHERE ${whereKey(key)}`.execute(
    db,
  );
}

export async function deleteByKey(db: DbOrTx, table: TrackedTable, key: Record<string, number>): Promise<void> {
  await sql`DELETE FROM ${sql.table(table)} WHERE ${whereKey(key)}`.execute(db);
}

/**
 * Runs `write` so that a refusal by the database (a reference, a guard) undoes only it: the rest of
 * the transaction goes on. Answers whether it was written.
 */
export async function attempt(db: DbOrTx, write: () => Promise<void>): Promise<boolean> {
  await sql`SAVEPOINT import_row`.execute(db);
  try {
    await write();
  } catch {
    await sql`ROLLBACK TO SAVEPOINT import_row`.execute(db);
    await sql`RELEASE SAVEPOINT import_row`.execute(db);
    return false;
  }
  await sql`RELEASE SAVEPOINT import_row`.execute(db);
  return true;
}

/** An answer its import takes back: released at its version, deleted, and the release gone again. */
export async function deleteReleasedRecord(
  db: DbOrTx,
  r: { municipalityId: number; batchId: number | null; recordId: number; version: number },
): Promise<void> {
  await db
    .insertInto('import_releases')
    .values({
      municipality_id: r.municipalityId,
      batch_id: r.batchId,
      record_id: r.recordId,
      version: r.version,
      created_at: now(),
    })
    .execute();
  await db.deleteFrom('records').where('id', '=', r.recordId).execute();
  await db.deleteFrom('import_releases').where('record_id', '=', r.recordId).execute();
}

/** Which of these years of the plan are fixed (structure frozen at the first approval) or published. */
export async function closedYears(
  db: DbOrTx,
  planId: number,
  years: number[],
): Promise<{ fixed: number[]; published: number[] }> {
  if (years.length === 0) return { fixed: [], published: [] };
  const [fixed, published] = await Promise.all([
    db
      .selectFrom('year_nodes')
      .select('fiscal_year')
      .distinct()
      .where('plan_id', '=', planId)
      .where('fiscal_year', 'in', years)
      .union(
        db
          .selectFrom('year_projects')
          .select('fiscal_year')
          .distinct()
          .where('plan_id', '=', planId)
          .where('fiscal_year', 'in', years),
      )
      .execute(),
    db
      .selectFrom('report_snapshots')
      .select('fiscal_year')
      .distinct()
      .where('plan_id', '=', planId)
      .where('fiscal_year', 'in', years)
      .execute(),
  ]);
  const sorted = (rows: { fiscal_year: number }[]) => [...new Set(rows.map((r) => r.fiscal_year))].sort();
  return { fixed: sorted(fixed), published: sorted(published) };
}

/** What still refers to a project besides the rows being removed with it. */
export async function projectHolds(db: DbOrTx, projectId: number) {
  const count = async (q: Promise<{ n: unknown } | undefined>) => toNumber((await q)?.n);
  const n = (table: 'records' | 'indicators' | 'council_comments' | 'project_listings' | 'year_projects') =>
    count(
      db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('project_id', '=', projectId)
        .executeTakeFirst(),
    );
  const [records, indicators, council, listings, fixed] = await Promise.all([
    n('records'),
    n('indicators'),
    n('council_comments'),
    n('project_listings'),
    n('year_projects'),
  ]);
  return { records, indicators, council, listings, fixed };
}

/** What still hangs on a node: children, projects, listings, indicators, a fixed year, sub-plan tags. */
export async function nodeHolds(db: DbOrTx, nodeId: number) {
  const count = async (q: Promise<{ n: unknown } | undefined>) => toNumber((await q)?.n);
  const by = (table: 'projects' | 'project_listings' | 'indicators' | 'year_nodes' | 'plan_node_sub_plans') =>
    count(
      db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('node_id', '=', nodeId)
        .executeTakeFirst(),
    );
  const children = count(
    db
      .selectFrom('plan_nodes')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('parent_id', '=', nodeId)
      .executeTakeFirst(),
  );
  const all = await Promise.all([
    children,
    by('projects'),
    by('project_listings'),
    by('indicators'),
    by('year_nodes'),
    by('plan_node_sub_plans'),
  ]);
  return all.reduce((a, b) => a + b, 0);
}

/** What a person added to an answer: its history and comments. */
export async function recordHolds(db: DbOrTx, recordId: number): Promise<number> {
  const [history, comments] = await Promise.all([
    db
      .selectFrom('record_history')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('record_id', '=', recordId)
      .executeTakeFirst(),
    db
      .selectFrom('record_comments')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('record_id', '=', recordId)
      .executeTakeFirst(),
  ]);
  return toNumber(history?.n) + toNumber(comments?.n);
}

/** An indicator's values and revisions. */
export async function indicatorHolds(db: DbOrTx, indicatorId: number): Promise<number> {
  const [targets, actuals, revisions] = await Promise.all(
    (['indicator_targets', 'indicator_actuals', 'indicator_revisions'] as const).map((table) =>
      db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('indicator_id', '=', indicatorId)
        .executeTakeFirst(),
    ),
  );
  return toNumber(targets?.n) + toNumber(actuals?.n) + toNumber(revisions?.n);
}

/** The ids of the actuals written for these indicators, by indicator, department and year. */
export function listActualKeys(db: DbOrTx, indicatorIds: number[]) {
  return selectIn(indicatorIds, (chunk) =>
    db
      .selectFrom('indicator_actuals')
      .select(['id', 'indicator_id', 'department_id', 'fiscal_year', 'value', 'text', 'status', 'reason', 'parts'])
      .where('indicator_id', 'in', chunk)
      .execute(),
  );
}

export type NewBatch = Insertable<Database['import_batches']>;
export type NewBatchRow = Insertable<Database['import_batch_rows']>;

export async function insertBatch(db: DbOrTx, values: NewBatch): Promise<number> {
  const row = await db.insertInto('import_batches').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertBatchRows(db: DbOrTx, rows: NewBatchRow[]): Promise<void> {
  await insertMany(db, 'import_batch_rows', rows);
}

export function listBatchRows(db: DbOrTx, batchId: number) {
  return db.selectFrom('import_batch_rows').selectAll().where('batch_id', '=', batchId).orderBy('id').execute();
}

/** The live batch a new import of the same source replaces: same plan and year, same file name or same contents. */
export function findLiveBatchOfSource(
  db: DbOrTx,
  planId: number,
  fiscalYear: number,
  source: { name: string; hash: string },
) {
  return db
    .selectFrom('import_batches')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', fiscalYear)
    .where('undone_at', 'is', null)
    .where('replaced_by', 'is', null)
    .where((eb) =>
      source.name
        ? eb.or([eb('source_name', '=', source.name), eb('source_hash', '=', source.hash)])
        : eb('source_hash', '=', source.hash),
    )
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export function findBatch(db: DbOrTx, municipalityId: number, batchId: number) {
  return db
    .selectFrom('import_batches')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', batchId)
    .executeTakeFirst();
}

export function listBatches(db: DbOrTx, municipalityId: number, planId: number) {
  return db
    .selectFrom('import_batches')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('plan_id', '=', planId)
    .orderBy('id', 'desc')
    .execute();
}

/** The live batches of the plan after this one. */
export function laterLiveBatches(db: DbOrTx, planId: number, batchId: number) {
  return db
    .selectFrom('import_batches')
    .select(['id', 'source_name', 'created_at'])
    .where('plan_id', '=', planId)
    .where('id', '>', batchId)
    .where('undone_at', 'is', null)
    .orderBy('id')
    .execute();
}

export async function markReplaced(db: DbOrTx, batchId: number, by: number, at: string): Promise<void> {
  await db.updateTable('import_batches').set({ replaced_by: by, replaced_at: at }).where('id', '=', batchId).execute();
}

/** The batch undone, and the one it had replaced live again. */
export async function markUndone(
  db: DbOrTx,
  batchId: number,
  by: { id: number; name: string },
  at: string,
): Promise<void> {
  await db
    .updateTable('import_batches')
    .set({ undone_at: at, undone_by: by.id, undone_by_name: by.name })
    .where('id', '=', batchId)
    .execute();
  await db
    .updateTable('import_batches')
    .set({ replaced_by: null, replaced_at: null })
    .where('replaced_by', '=', batchId)
    .execute();
}

export function departmentNamesById(db: DbOrTx, municipalityId: number) {
  return db.selectFrom('departments').select(['id', 'name']).where('municipality_id', '=', municipalityId).execute();
}

/** The municipality's 団体コード. */
export async function municipalityCode(db: DbOrTx, municipalityId: number): Promise<string> {
  const m = await db
    .selectFrom('municipalities')
    .select('code')
    .where('id', '=', municipalityId)
    .executeTakeFirstOrThrow();
  return m.code;
}

/**
 * An answer as it was at a version: what its history kept when that version was written, or else what the
 * next save found before it (an answer never saved since its round opened has no row of its own version).
 */
export async function recordStateAt(
  db: DbOrTx,
  recordId: number,
  version: number,
): Promise<Record<string, unknown> | undefined> {
  const rows = await db
    .selectFrom('record_history')
    .select(['version', 'before', 'after'])
    .where('record_id', '=', recordId)
    .where('version', 'in', [version, version + 1])
    .orderBy('id', 'desc')
    .execute();
  const written = rows.find((r) => r.version === version);
  if (written?.after) return readJson.recordSnapshot(written.after);
  const next = rows.find((r) => r.version === version + 1);
  return next?.before ? readJson.recordSnapshot(next.before) : undefined;
}
