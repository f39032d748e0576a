import type { ActualDto, AnswerEntryDto, RecordDto } from '../../../domain/api-types.js';

import {
  sql,
  type ExpressionBuilder,
  type Insertable,
  type Selectable,
  type SelectQueryBuilder,
  type Updateable,
} from 'kysely';
import type { Database, DbOrTx } from '../../db/types.js';
import { indicatorInYear, toNumber, unindexed } from '../../db/util.js';
import { readJson } from '../../db/json.js';
import { ACTUAL_COLUMNS, RECORD_COLUMNS } from '../../db/columns.js';
import { sendsTogether, together } from '../../db/tenant.js';
import { inSteps, known, read, readOne, type Read } from '../../db/reads.js';
import { oneShape, UNUSED } from '../../db/shapes.js';

export type RecordRow = Selectable<Database['records']>;

export function findRecordRow(db: DbOrTx, municipalityId: number, id: number): Promise<RecordRow | undefined> {
  return db
    .selectFrom('records')
    .select(RECORD_COLUMNS.all)
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Which records of one plan and fiscal year `recordsRead` reads. */
export interface RecordsWhere {
  planId: number;
  fiscalYear: number;
  departmentId?: number;
  projectIds?: number[];
  ids?: number[];
  /** every department's records of the projects this department answers in the year */
  projectsOf?: number;
}

/** Records of one plan and fiscal year, optionally of one department, with actuals and editor names. */
export function loadRecords(db: DbOrTx, municipalityId: number, where: RecordsWhere): Promise<RecordDto[]> {
  return readOne(db, recordsRead(db, municipalityId, where));
}

/**
 * `loadRecords` as a read that can share its round trip: on PostgreSQL the records' actuals and entries go
 * with them, found by the projects named or by the records' own filter; on SQLite (`alone`) by the projects of
 * the records read first.
 */
export function recordsRead(db: DbOrTx, municipalityId: number, where: RecordsWhere): Read<RecordDto[]> {
  const { planId, fiscalYear, projectIds: asked } = where;
  if (asked?.length === 0) return known([]);
  const q = recordsQuery(db, municipalityId, where);
  const ordered = q.orderBy('r.project_id').orderBy('r.department_id');
  const parts = (projectIds: Projects) =>
    [
      actualsQuery(db, { municipalityId, fiscalYear, projectIds }),
      entriesQuery(db, { planId, fiscalYear, projectIds }),
    ] as const;
  const make = ([rows, actualRows, entryRows]: readonly [
    RecordListRow[],
    readonly ActualRow[],
    readonly EntryRow[],
  ]): RecordDto[] => {
    const actuals = toActuals(actualRows);
    const entries = toEntries(entryRows);
    return rows.map((r) =>
      toRecordDto(
        r,
        r.updated_by_name,
        actuals.filter((a) => a.departmentId === r.department_id && a.projectId === r.project_id),
        entries.filter((e) => e.departmentId === r.department_id && e.projectId === r.project_id),
      ),
    );
  };
  if (!sendsTogether(db))
    return inSteps(async (one) => {
      const rows = await ordered.execute();
      if (rows.length === 0) return [];
      const [actualRows, entryRows] = await together(one, parts(asked ?? [...new Set(rows.map((r) => r.project_id))]));
      return make([rows, actualRows, entryRows]);
    });
  return read([ordered, ...parts(asked ?? q.clearSelect().select('r.project_id'))], make);
}

function recordsQuery(db: DbOrTx, municipalityId: number, where: RecordsWhere) {
  let q = db
    .selectFrom('records as r')
    .leftJoin('users as u', 'u.id', 'r.updated_by')
    .select(RECORD_COLUMNS.of('r'))
    .select('u.display_name as updated_by_name')
    .where('r.municipality_id', '=', municipalityId)
    // Answers of some projects are found by the projects' index, not by walking the plan's year (db/util.ts).
    .where(
      where.projectIds || where.projectsOf !== undefined ? unindexed('r.plan_id') : sql.ref('r.plan_id'),
      '=',
      where.planId,
    )
    .where('r.fiscal_year', '=', where.fiscalYear);
  if (where.departmentId !== undefined) q = q.where('r.department_id', '=', where.departmentId);
  if (where.projectIds) q = q.where('r.project_id', 'in', where.projectIds.length ? where.projectIds : [-1]);
  if (where.ids) q = q.where('r.id', 'in', where.ids.length ? where.ids : [-1]);
  if (where.projectsOf !== undefined)
    q = q.where('r.project_id', 'in', (eb) =>
      eb
        .selectFrom('records as mine')
        .select('mine.project_id')
        .where('mine.plan_id', '=', where.planId)
        .where('mine.fiscal_year', '=', where.fiscalYear)
        .where('mine.department_id', '=', where.projectsOf!),
    );
  return q;
}

type RecordListRow = Awaited<ReturnType<ReturnType<typeof recordsQuery>['execute']>>[number];

export type EntryWithAnswer = AnswerEntryDto & { projectId: number; departmentId: number };

/** Which answers' entries or actuals to read: of these projects in a plan's year, or of one record. */
type PartsOf = { planId: number; fiscalYear: number; projectIds: Projects } | RecordOf;

/** Projects named, or found by a statement selecting their ids (read in the same statement as what is theirs). */
type Projects =
  | number[]
  | SelectQueryBuilder<Database & { r: Database['records']; u: Database['users'] }, 'r' | 'u', { project_id: number }>;

type RecordOfColumn = 'plan_id' | 'fiscal_year' | 'department_id' | 'project_id';

/** One record: by its id (its keys found in the statement reading what is its own), or by its keys already read. */
type RecordOf =
  { recordId: number; municipalityId: number } | { keys: Pick<RecordRow, RecordOfColumn>; municipalityId: number };

/** One key of one record: its value, or a subquery of the statement that reads what belongs to the record. */
function recordColumn(db: DbOrTx, record: RecordOf, column: RecordOfColumn) {
  if ('keys' in record) return sql<number>`${record.keys[column]}`;
  return db
    .selectFrom('records')
    .select(column)
    .where('id', '=', record.recordId)
    .where('municipality_id', '=', record.municipalityId);
}

/**
 * The statement reading the entries departments made on answers and their indicator lines (empty ones left
 * out): of these projects, or of one record (its department's only). Each half goes by the subject (index
 * evaluations_kind_subject), so that PostgreSQL keeps one plan for every subject; the answer's own entries first.
 */
function entriesQuery(db: DbOrTx, of: PartsOf) {
  const columns = ['e.slot_key', 'e.subject_kind', 'e.subject_id', 'e.department_id', 'e.code', 'e.reason'] as const;
  type E = ExpressionBuilder<Database & { e: Database['evaluations'] }, 'e'>;
  const entered = (eb: E) => eb.or([eb('e.code', 'is not', null), eb('e.reason', '<>', ''), eb('e.comment', '<>', '')]);
  // The year and, for one record, its department and project: the record's own, read in the same statement.
  const inYear = (eb: E) =>
    !('projectIds' in of)
      ? eb.and([
          eb('e.plan_id', '=', recordColumn(db, of, 'plan_id')),
          eb('e.fiscal_year', '=', recordColumn(db, of, 'fiscal_year')),
          eb('e.department_id', '=', recordColumn(db, of, 'department_id')),
        ])
      : eb.and([eb('e.plan_id', '=', of.planId), eb('e.fiscal_year', '=', of.fiscalYear)]);
  const own = db
    .selectFrom('evaluations as e')
    .select([...columns, 'e.comment', 'e.subject_id as project_id', 'e.id'])
    .where(inYear)
    .where('e.subject_kind', '=', 'record')
    .where((eb) =>
      !('projectIds' in of)
        ? eb('e.subject_id', '=', recordColumn(db, of, 'project_id'))
        : eb('e.subject_id', 'in', of.projectIds),
    )
    .where(entered);
  const lines = db
    .selectFrom('evaluations as e')
    .innerJoin('indicators as i', 'i.id', 'e.subject_id')
    .select([...columns, 'e.comment', 'i.project_id', 'e.id'])
    .where(inYear)
    .where('e.subject_kind', '=', 'indicator')
    // the subjects named, not only joined: so that SQLite too goes by the index to each line's entries rather
    // than through all the lines of the year
    .where('e.subject_id', 'in', (eb) =>
      eb
        .selectFrom('indicators as x')
        .select('x.id')
        .where((w) =>
          !('projectIds' in of)
            ? w('x.project_id', '=', recordColumn(db, of, 'project_id'))
            : w('x.project_id', 'in', of.projectIds),
        ),
    )
    .where(entered)
    // the project is one of those asked for, never null
    .$narrowType<{ project_id: number }>();
  // 'record' sorts after 'indicator': descending puts the answer's own entries first.
  return own.unionAll(lines).orderBy('subject_kind', 'desc').orderBy('id');
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof entriesQuery>['execute']>>[number];

function toEntries(rows: readonly EntryRow[]): EntryWithAnswer[] {
  return rows.flatMap((e) =>
    e.subject_kind !== 'record' && e.subject_kind !== 'indicator'
      ? []
      : [
          {
            projectId: e.project_id,
            departmentId: e.department_id,
            slotKey: e.slot_key,
            subjectKind: e.subject_kind,
            subjectId: e.subject_id,
            code: e.code,
            reason: e.reason,
            comment: e.comment,
          },
        ],
  );
}

/** The row of a record to be saved, the name of whoever saved it last and whether a round asks for it now. */
function recordToSaveQuery(db: DbOrTx, municipalityId: number, id: number) {
  return db
    .selectFrom('records as r')
    .leftJoin('users as u', 'u.id', 'r.updated_by')
    .select(RECORD_COLUMNS.of('r'))
    .select('u.display_name as updated_by_name')
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('survey_rounds as sr')
            .innerJoin('survey_round_departments as d', 'd.round_id', 'sr.id')
            .select('sr.id')
            .whereRef('sr.plan_id', '=', 'r.plan_id')
            .whereRef('sr.fiscal_year', '=', 'r.fiscal_year')
            .whereRef('d.department_id', '=', 'r.department_id')
            .where((w) => w.or([w('sr.status', '=', 'open'), w('d.reopened', '=', 1)])),
        )
        .as('asked'),
    )
    .where('r.municipality_id', '=', municipalityId)
    .where('r.id', '=', id);
}

type ById = { municipalityId: number; recordId: number };
type ByKeys = { municipalityId: number; planId: number; fiscalYear: number; departmentId: number; projectId: number };
const BY_ID = ['municipalityId', 'recordId'] as const;
/**
 * The statements of an autosave's first trip, built and compiled once (db/shapes.ts): the record, locked on
 * PostgreSQL, and its parts found by its id (PostgreSQL, in the same trip) or by its keys (read first).
 */
const toSave = {
  row: oneShape(BY_ID, (db, v: ById) => recordToSaveQuery(db, v.municipalityId, v.recordId)),
  lockedRow: oneShape(BY_ID, (db, v: ById) => recordToSaveQuery(db, v.municipalityId, v.recordId).forUpdate('r')),
  actualsById: oneShape(BY_ID, (db, v: ById) => actualsQuery(db, v)),
  entriesById: oneShape(BY_ID, (db, v: ById) => entriesQuery(db, v)),
  // by the keys: the actuals by the municipality, year, department and project; the entries by the plan, year,
  // department and project (each statement takes the values it uses, and only those)
  actualsByKeys: oneShape(
    ['municipalityId', 'fiscalYear', 'departmentId', 'projectId'],
    (db, v: Omit<ByKeys, 'planId'>) =>
      actualsQuery(db, {
        municipalityId: v.municipalityId,
        keys: { plan_id: UNUSED, fiscal_year: v.fiscalYear, department_id: v.departmentId, project_id: v.projectId },
      }),
  ),
  entriesByKeys: oneShape(
    ['planId', 'fiscalYear', 'departmentId', 'projectId'],
    (db, v: Omit<ByKeys, 'municipalityId'>) =>
      entriesQuery(db, {
        municipalityId: UNUSED,
        keys: { plan_id: v.planId, fiscal_year: v.fiscalYear, department_id: v.departmentId, project_id: v.projectId },
      }),
  ),
};
const partsByKeys = (municipalityId: number, row: Pick<RecordRow, RecordOfColumn>) => {
  const year = { fiscalYear: row.fiscal_year, departmentId: row.department_id, projectId: row.project_id };
  return { actuals: { municipalityId, ...year }, entries: { planId: row.plan_id, ...year } };
};

/**
 * A record to be saved: its row, the name of whoever saved it last, whether a round asks its department for
 * it now (open, or reopened for the department), and its actuals and entries — in one round trip on
 * PostgreSQL (`together`), the row locked for the transaction: an autosave comes every second.
 */
export async function findRecordToSave(db: DbOrTx, municipalityId: number, id: number) {
  const byId = { municipalityId, recordId: id };
  // On PostgreSQL the record's parts are found through its id in the same trip, and the row is locked until the
  // transaction ends (the save's update then needs no answer); elsewhere by its keys, read first.
  if (!sendsTogether(db)) {
    const found = (await db.executeQuery(toSave.row(db, byId).compile())).rows[0];
    if (!found) return undefined;
    return { ...found, asked: Boolean(found.asked), ...(await bothParts(db, municipalityId, found)) };
  }
  const [rows, actuals, entries] = await together(db, [
    toSave.lockedRow(db, byId),
    toSave.actualsById(db, byId),
    toSave.entriesById(db, byId),
  ]);
  const found = rows[0];
  if (!found) return undefined;
  // PostgreSQL answers EXISTS with a boolean, SQLite with 0 or 1
  return { ...found, asked: Boolean(found.asked), actuals: toActuals(actuals), entries: toEntries(entries) };
}

/** A record's actuals and entries by its keys, in one round trip on PostgreSQL. */
async function bothParts(db: DbOrTx, municipalityId: number, row: Pick<RecordRow, RecordOfColumn>) {
  const keys = partsByKeys(municipalityId, row);
  const [actuals, entries] = await together(db, [
    toSave.actualsByKeys(db, keys.actuals),
    toSave.entriesByKeys(db, keys.entries),
  ]);
  return { actuals: toActuals(actuals), entries: toEntries(entries) };
}

/**
 * A record's indicator actuals and entries (its department's), for a row already read: by its keys, with the
 * statements `findRecordToSave` uses, the two in one round trip on PostgreSQL.
 */
export async function recordParts(
  db: DbOrTx,
  municipalityId: number,
  row: RecordRow,
  which: { actuals: boolean; entries: boolean } = { actuals: true, entries: true },
): Promise<{ actuals?: ActualWithProject[]; entries?: EntryWithAnswer[] }> {
  if (which.actuals && which.entries) return bothParts(db, municipalityId, row);
  const keys = partsByKeys(municipalityId, row);
  return {
    actuals: which.actuals
      ? toActuals((await db.executeQuery(toSave.actualsByKeys(db, keys.actuals).compile())).rows)
      : undefined,
    entries: which.entries
      ? toEntries((await db.executeQuery(toSave.entriesByKeys(db, keys.entries).compile())).rows)
      : undefined,
  };
}

export async function loadRecordById(db: DbOrTx, municipalityId: number, id: number): Promise<RecordDto | undefined> {
  const row = await findRecordRow(db, municipalityId, id);
  if (!row) return undefined;
  return (await loadRecords(db, municipalityId, { planId: row.plan_id, fiscalYear: row.fiscal_year, ids: [id] }))[0];
}

export type ActualWithProject = ActualDto & { projectId: number | null };

/** The statement reading indicator actuals: of these projects in a year, or of one record (its department's only). */
function actualsQuery(db: DbOrTx, of: { municipalityId: number; fiscalYear: number; projectIds: Projects } | RecordOf) {
  return db
    .selectFrom('indicator_actuals as a')
    .innerJoin('indicators as i', 'i.id', 'a.indicator_id')
    .select(ACTUAL_COLUMNS.of('a'))
    .select('i.project_id')
    .where('a.municipality_id', '=', of.municipalityId)
    .where((eb) =>
      !('projectIds' in of)
        ? eb.and([
            eb('a.fiscal_year', '=', recordColumn(db, of, 'fiscal_year')),
            eb('a.department_id', '=', recordColumn(db, of, 'department_id')),
            eb('i.project_id', '=', recordColumn(db, of, 'project_id')),
          ])
        : eb.and([eb('a.fiscal_year', '=', of.fiscalYear), eb('i.project_id', 'in', of.projectIds)]),
    )
    .orderBy('i.position')
    .orderBy('i.id')
    .orderBy('a.id');
}

type ActualRow = Awaited<ReturnType<ReturnType<typeof actualsQuery>['execute']>>[number];

function toActuals(rows: readonly ActualRow[]): ActualWithProject[] {
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
  }));
}

export function toRecordDto(
  r: RecordRow,
  updatedByName: string | null,
  actuals: ActualWithProject[],
  entries: EntryWithAnswer[],
): RecordDto {
  return {
    id: r.id,
    projectId: r.project_id,
    departmentId: r.department_id,
    fiscalYear: r.fiscal_year,
    isLead: r.is_lead === 1,
    position: r.position,
    planText: r.plan_text,
    resultText: r.result_text,
    remarks: r.remarks,
    nextYearPlan: r.next_year_plan,
    sameAsDepartmentId: r.same_as_department_id,
    custom: readJson.customValues(r.custom),
    status: r.status,
    version: r.version,
    updatedAt: r.updated_at,
    updatedByName,
    submittedAt: r.submitted_at,
    actuals: actuals.map(({ projectId: _p, ...a }) => a),
    entries: entries.map(({ projectId: _p, departmentId: _d, ...e }) => e),
  };
}

/** What history keeps of a record: its fields and actuals, not its bookkeeping. */
export function snapshot(r: RecordDto): Record<string, unknown> {
  return {
    planText: r.planText,
    resultText: r.resultText,
    remarks: r.remarks,
    nextYearPlan: r.nextYearPlan,
    sameAsDepartmentId: r.sameAsDepartmentId,
    custom: r.custom,
    status: r.status,
    actuals: Object.fromEntries(
      r.actuals.map((a) => [
        String(a.indicatorId),
        {
          text: a.text,
          status: a.status,
          reason: a.reason,
          parts: a.parts,
        },
      ]),
    ),
    entries: Object.fromEntries(
      r.entries.map((e) => [
        `${e.slotKey}.${e.subjectKind}.${e.subjectId}`,
        { code: e.code, reason: e.reason, comment: e.comment },
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

// ---- rounds and plans as a record needs them

/** The round through which a department answers for this plan and year now, if any. */
export function findActiveRound(db: DbOrTx, planId: number, fiscalYear: number, departmentId: number) {
  return readOne(db, activeRoundRead(db, planId, fiscalYear, departmentId));
}

/** The round through which a department answers for this plan and year now, if any, as a read. */
export function activeRoundRead(db: DbOrTx, planId: number, fiscalYear: number, departmentId: number) {
  const q = db
    .selectFrom('survey_rounds as r')
    .innerJoin('survey_round_departments as d', 'd.round_id', 'r.id')
    .select(['r.id', 'r.phase', 'r.status', 'r.deadline', 'd.reopened'])
    .where('r.plan_id', '=', planId)
    .where('r.fiscal_year', '=', fiscalYear)
    .where('d.department_id', '=', departmentId)
    .where((eb) => eb.or([eb('r.status', '=', 'open'), eb('d.reopened', '=', 1)]))
    .orderBy('r.id', 'desc');
  // (usually one row; a LIMIT would have SQLite walk the rounds in id order instead of by the department)
  return read([q], ([rows]) => rows[0]);
}

/** The phases of every round that asks the department for the year's answers now (usually one). */
export async function activePhases(db: DbOrTx, planId: number, fiscalYear: number, departmentId: number) {
  const rows = await db
    .selectFrom('survey_rounds as r')
    .innerJoin('survey_round_departments as d', 'd.round_id', 'r.id')
    .select('r.phase')
    .where('r.plan_id', '=', planId)
    .where('r.fiscal_year', '=', fiscalYear)
    .where('d.department_id', '=', departmentId)
    .where((eb) => eb.or([eb('r.status', '=', 'open'), eb('d.reopened', '=', 1)]))
    .execute();
  return rows.map((r) => r.phase);
}

export function findRoundRow(db: DbOrTx, municipalityId: number, roundId: number) {
  return db
    .selectFrom('survey_rounds')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', roundId)
    .executeTakeFirst();
}

/** The result texts of a year's answers (last year's, for the check that a result is not copied word for word). */
export function listResultTexts(db: DbOrTx, planId: number, fiscalYear: number, projectIds: number[]) {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('records')
    .select(['project_id', 'department_id', 'result_text'])
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', fiscalYear)
    .where('project_id', 'in', projectIds)
    .execute();
}

export async function isAssignedToProject(db: DbOrTx, projectId: number, departmentId: number): Promise<boolean> {
  const other = await db
    .selectFrom('project_departments')
    .select('department_id')
    .where('project_id', '=', projectId)
    .where('department_id', '=', departmentId)
    .executeTakeFirst();
  return other !== undefined;
}

export function findProjectLabel(db: DbOrTx, projectId: number) {
  return db.selectFrom('projects').select(['number', 'name']).where('id', '=', projectId).executeTakeFirstOrThrow();
}

export function listProjectsByIds(db: DbOrTx, projectIds: number[]) {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('projects')
    .select(['id', 'node_id', 'number', 'name', 'position'])
    .where('id', 'in', projectIds)
    .execute();
}

export function listDepartmentNames(db: DbOrTx, municipalityId: number) {
  return db
    .selectFrom('departments')
    .select(['id', 'name', 'position'])
    .where('municipality_id', '=', municipalityId)
    .execute();
}

// ---- indicators as a record's answer needs them

/** The indicators a department answers for a project in a year: the project's own and the department's. */
export function listApplicableIndicators(db: DbOrTx, projectId: number, departmentId: number, fiscalYear: number) {
  return db
    .selectFrom('indicators')
    .select(['id', 'name', 'kind', 'unit', 'direction', 'baseline_value', 'final_target_value'])
    .where('project_id', '=', projectId)
    .where((eb) => eb.or([eb('department_id', 'is', null), eb('department_id', '=', departmentId)]))
    .where(indicatorInYear(fiscalYear))
    .orderBy('position')
    .execute();
}

export function listIndicatorsOfProjects(db: DbOrTx, projectIds: number[]) {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('indicators')
    .select(['id', 'name', 'kind', 'direction', 'baseline_value', 'final_target_value'])
    .where('project_id', 'in', projectIds)
    .execute();
}

export async function indicatorNamesOf(db: DbOrTx, projectId: number): Promise<Map<number, string>> {
  const rows = await db.selectFrom('indicators').select(['id', 'name']).where('project_id', '=', projectId).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The targets of these indicators for one year. */
export function listTargetsOfYear(db: DbOrTx, indicatorIds: number[], fiscalYear: number) {
  if (indicatorIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('indicator_targets')
    .select(['indicator_id', 'value', 'text'])
    .where('indicator_id', 'in', indicatorIds)
    .where('fiscal_year', '=', fiscalYear)
    .execute();
}

export type ActualValues = Insertable<Database['indicator_actuals']>;

/** A department's actual of an indicator for a year, replaced. */
export async function replaceActual(db: DbOrTx, a: ActualValues): Promise<void> {
  await db
    .deleteFrom('indicator_actuals')
    .where('indicator_id', '=', a.indicator_id)
    .where('department_id', '=', a.department_id)
    .where('fiscal_year', '=', a.fiscal_year)
    .execute();
  await db.insertInto('indicator_actuals').values(a).execute();
}

/** The departments answering a project in a year: a change to one of their answers shows on all their sheets. */
// ---- writing a record: only at the version that was read

export type RecordChange = Updateable<Database['records']>;

/** Changes a record if it is still at `version`; answers the record as changed, or undefined when it was not. */
export function updateRecordReturning(
  db: DbOrTx,
  recordId: number,
  version: number,
  set: RecordChange,
): Promise<RecordRow | undefined> {
  return db
    .updateTable('records')
    .set(set)
    .where('id', '=', recordId)
    .where('version', '=', version)
    .returning(RECORD_COLUMNS.all)
    .executeTakeFirst();
}

/** What a department's save sets on its answer: every one of these columns, each time. */
export type AnswerChange = {
  plan_text: string;
  result_text: string;
  remarks: string;
  next_year_plan: string;
  same_as_department_id: number | null;
  custom: string;
  status: RecordRow['status'];
  version: number;
  updated_at: string;
  updated_by: number;
};

/** The save's update, built and compiled once (db/shapes.ts): an autosave comes every second from everyone. */
const savedAnswer = oneShape(
  [
    'id',
    'was',
    'plan_text',
    'result_text',
    'remarks',
    'next_year_plan',
    'same_as_department_id',
    'custom',
    'status',
    'version',
    'updated_at',
    'updated_by',
  ],
  (db, v: AnswerChange & { id: number; was: number }) =>
    db
      .updateTable('records')
      .set({
        plan_text: v.plan_text,
        result_text: v.result_text,
        remarks: v.remarks,
        next_year_plan: v.next_year_plan,
        same_as_department_id: v.same_as_department_id,
        custom: v.custom,
        status: v.status,
        version: v.version,
        updated_at: v.updated_at,
        updated_by: v.updated_by,
      })
      .where('id', '=', v.id)
      .where('version', '=', v.was),
);

/**
 * Changes a record if it is still at `version`, without reading it back: answers whether it was changed, or
 * true when the statement was put off to go with the transaction's next statement (`sentWithNext`). Only for a
 * record the transaction read with `findRecordToSave`, which on PostgreSQL locks the row (no other transaction
 * can move it on before the COMMIT; SQLite runs one transaction at a time).
 */
export async function updateReadRecord(
  db: DbOrTx,
  recordId: number,
  version: number,
  set: AnswerChange,
): Promise<boolean> {
  const result = await db.executeQuery(savedAnswer(db, { ...set, id: recordId, was: version }).compile());
  return result.numAffectedRows === undefined || result.numAffectedRows > 0n;
}

export async function recordPlanId(db: DbOrTx, recordId: number): Promise<number> {
  return (await db.selectFrom('records').select('plan_id').where('id', '=', recordId).executeTakeFirstOrThrow())
    .plan_id;
}

// ---- history and comments

/** A row of an answer's history, every column given. */
export type HistoryValues = Required<Omit<Insertable<Database['record_history']>, 'id'>>;

/** The history row's statement, built and compiled once (db/shapes.ts): every save writes one. */
const historyRow = oneShape(
  [
    'municipality_id',
    'record_id',
    'version',
    'user_id',
    'actor_name',
    'action',
    'before',
    'after',
    'message',
    'created_at',
  ],
  (db, h: HistoryValues) =>
    db.insertInto('record_history').values({
      municipality_id: h.municipality_id,
      record_id: h.record_id,
      version: h.version,
      user_id: h.user_id,
      actor_name: h.actor_name,
      action: h.action,
      before: h.before,
      after: h.after,
      message: h.message,
      created_at: h.created_at,
    }),
);

export async function insertHistory(db: DbOrTx, h: HistoryValues): Promise<void> {
  await db.executeQuery(historyRow(db, h).compile());
}

export function listHistoryRows(db: DbOrTx, recordId: number) {
  return db
    .selectFrom('record_history as h')
    .leftJoin('users as u', 'u.id', 'h.user_id')
    .select([
      'h.id',
      'h.version',
      'h.action',
      'h.before',
      'h.after',
      'h.message',
      'h.created_at',
      'h.actor_name',
      'h.user_id',
      'u.display_name',
    ])
    .where('h.record_id', '=', recordId)
    .orderBy('h.id', 'desc')
    .execute();
}

/** Where a record belongs: its plan, project and 課 by name, and the latest round of its year asking the 課. */
export async function findRecordSubject(db: DbOrTx, recordId: number) {
  const row = await db
    .selectFrom('records as r')
    .innerJoin('plans as p', 'p.id', 'r.plan_id')
    .innerJoin('projects as pr', 'pr.id', 'r.project_id')
    .innerJoin('departments as d', 'd.id', 'r.department_id')
    .select([
      'p.title as plan_title',
      'r.fiscal_year',
      'r.plan_id',
      'r.department_id',
      'pr.number as project_number',
      'pr.name as project_name',
      'd.name as department_name',
    ])
    .where('r.id', '=', recordId)
    .executeTakeFirstOrThrow();
  const round = await db
    .selectFrom('survey_rounds as s')
    .innerJoin('survey_round_departments as sd', 'sd.round_id', 's.id')
    .select('s.id')
    .where('s.plan_id', '=', row.plan_id)
    .where('s.fiscal_year', '=', row.fiscal_year)
    .where('sd.department_id', '=', row.department_id)
    .orderBy('s.id', 'desc')
    .executeTakeFirst();
  return { ...row, round_id: round?.id ?? null };
}

/** The snapshots each record had at its submissions, newest first. */
export function listSubmitSnapshots(db: DbOrTx, recordIds: number[]) {
  if (recordIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('record_history')
    .select(['record_id', 'after', 'id'])
    .where('action', '=', 'submit')
    .where('record_id', 'in', recordIds)
    .orderBy('id', 'desc')
    .execute();
}

export function findLastHistoryEntry(db: DbOrTx, recordId: number) {
  return db
    .selectFrom('record_history')
    .select(['action', 'user_id', 'created_at'])
    .where('record_id', '=', recordId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertComment(db: DbOrTx, c: Insertable<Database['record_comments']>): Promise<number> {
  return (await db.insertInto('record_comments').values(c).returning('id').executeTakeFirstOrThrow()).id;
}

export function commentRowsQuery(db: DbOrTx, recordIds: number[]) {
  return db
    .selectFrom('record_comments as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.id', 'c.record_id', 'c.kind', 'c.body', 'c.created_at', 'u.display_name'])
    .where('c.record_id', 'in', recordIds)
    .orderBy('c.id');
}

export async function countComments(db: DbOrTx, recordIds: number[]): Promise<Map<number, number>> {
  if (recordIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('record_comments')
    .select(['record_id', (eb) => eb.fn.countAll().as('n')])
    .where('record_id', 'in', recordIds)
    .groupBy('record_id')
    .execute();
  return new Map(rows.map((r) => [r.record_id, toNumber(r.n)]));
}

/** Whether a report of the plan's year was published at or after `since` and is not withdrawn. */
export async function publishedSince(db: DbOrTx, planId: number, fiscalYear: number, since: string): Promise<boolean> {
  const printed = await db
    .selectFrom('report_snapshots')
    .select('id')
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', fiscalYear)
    .where('published_at', '>=', since)
    .where('withdrawn_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return printed !== undefined;
}
