import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { HierarchyCell, ImportMapping, ImportRow } from '../../../domain/import/mapping.js';
import {
  customValuesOf,
  flagCategories,
  flagCustomValues,
  summarise,
  type ImportSummary,
} from '../../../domain/import/mapping.js';
import type { CustomFieldDef } from '../../../domain/plan-fields.js';
import { DEFAULT_GRADE_OPTIONS, type GradeOption } from '../../../domain/grades.js';
import { configFromLegacy } from '../../../domain/evaluation/legacy.js';
import type { EvaluationConfig } from '../../../domain/evaluation/index.js';
import { fixedYears, importDoneFlags, importGrades } from '../evaluations/index.js';
import { ordinalOf } from '../../../domain/numbering.js';
import { parseValue } from '../../../domain/values.js';
import type { ImportCommitResult, ImportNodeMatch } from '../../../domain/api-types.js';
import { NO_FIXES, type ImportFixes } from '../../../domain/import/fixes.js';
import { NodeMatcher } from '../../../domain/import/node-match.js';
import type { AppContext } from '../../context.js';
import { readJson } from '../../db/json.js';
import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { AppError, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanEditPlans } from '../auth/index.js';
import {
  bumpPlan,
  planFieldsIn,
  insertNodeRow,
  insertPlan,
  insertProjectDepartments,
  insertProjectRows,
  listLevelRows,
  requirePlan,
  setPosition,
  updateProjectRow,
  type ProjectValues,
  numberingNode,
  rowInYear,
} from '../plans/index.js';
import { municipalityEra } from '../municipalities/index.js';
import { eraYearLabel } from '../../../domain/fiscal-year.js';
import {
  AnswerPlan,
  indicatorKey,
  indicatorValues,
  lastPerYear,
  type CommitScope,
  type OwnedRow,
} from './commit-rows.js';
import * as repo from './imports.repository.js';
import type { NewActual, NewTarget, RecordUpdate } from './imports.repository.js';
import {
  describeRemovals,
  emptyContained,
  findReplaced,
  readFingerprints,
  readSnapshot,
  recordBatch,
  removeReplaced,
  type Contained,
} from './batches.service.js';

export interface CommitTarget {
  /** an existing plan, or the title and period of a new one */
  planId?: number;
  newPlan?: {
    title: string;
    firstYear: number;
    lastYear: number;
    evaluationPreset?: string;
    evaluation?: EvaluationConfig;
  };
  fiscalYear: number;
  /** create departments the file names that the municipality does not have yet */
  createDepartments: boolean;
  /** the year the file's 現状値 column stands for (its header: 「27年度」) */
  baselineYear?: number | null;
  /**
   * The file, to record the import as a batch and to find the earlier import of the same source it
   * replaces (same plan and year, same name or same contents). Without it the rows stand for the source.
   */
  source?: { name: string; hash: string };
  /** the corrections the rows were read with, kept with the batch */
  fixes?: ImportFixes;
  /** do everything and keep nothing: what the commit would do (its removals, where its nodes go) */
  dryRun?: boolean;
}

/** What a commit did (ImportCommitResult), with the summary of the rows it wrote. */
export interface CommitResult extends ImportCommitResult {
  summary: ImportSummary;
}

/** A dry run's outcome, carried out of the transaction it rolls back. */
class DryRun extends Error {
  constructor(readonly result: CommitResult) {
    super('dry run');
  }
}

/**
 * Rows given without their source stand for it by what they hold: the SHA-256 of the JSON of their
 * fields, fed row by row (the same bytes as the whole list written out at once, without building it).
 */
function rowsIdentity(rows: ImportRow[]) {
  const hash = crypto.createHash('sha256').update('[');
  for (const [i, r] of rows.entries())
    hash.update(
      (i ? ',' : '') + JSON.stringify([r.hierarchy, r.projectNumber, r.projectName, r.departments, r.values, r.custom]),
    );
  return { name: '', hash: hash.update(']').digest('hex') };
}

type Skipped = CommitResult['skipped'];

/** What the target plan lets a row hold: its 区分 and its extra fields (a new plan: the default list, none). */
export async function targetFields(db: DbOrTx, municipalityId: number, planId: number | null) {
  const { categories, customFields } = await planFieldsIn(db, municipalityId, planId);
  return { categories: categories.map((c) => c.code), customFields };
}

/** Rows with a value the target plan has no place for are flagged, never stored without it. */
export function flagPlanValues(rows: ImportRow[], fields: { categories: string[]; customFields: CustomFieldDef[] }) {
  flagCategories(rows, fields.categories);
  flagCustomValues(rows, fields.customFields);
}

/**
 * Writes mapped rows in one transaction: the hierarchy by path, projects by number, one record per
 * project, department and year, indicators with the year's target and each department's actual.
 * Rows that still carry a flag are left out and reported; importing the same file again updates.
 * The plan, its levels, nodes and projects are written through the plans module.
 */
export async function commitImport(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  mapping: ImportMapping,
  rows: ImportRow[],
  target: CommitTarget,
): Promise<CommitResult> {
  assertCanEditPlans(actor, municipalityId);
  const fields = await targetFields(ctx.db, municipalityId, target.planId ?? null);
  flagPlanValues(rows, fields);
  const skipped: Skipped = rows.flatMap((r) => r.flags.map((reason) => ({ line: r.line, reason })));
  const usable = rows.filter((r) => r.flags.length === 0);
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      await takeTurn(ctx, tx, municipalityId);
      return commitIn(tx, actor, municipalityId, mapping, { rows, usable, skipped }, target, fields);
    });
  } catch (e) {
    if (e instanceof DryRun) return e.result;
    throw e;
  }
}

/** The key of the imports' turn-taking lock (PostgreSQL's advisory locks are numbered: this class and the municipality). */
const IMPORT_LOCK = 0x696d70;

/**
 * Imports of one municipality take turns: a second one waits until the first is committed and then reads
 * the plan and the departments as the first left them, so that no node, answer or department is written
 * twice. On PostgreSQL a transaction-scoped advisory lock (gone at COMMIT, so a pooler in transaction mode
 * may hand the connection on); SQLite writes one transaction at a time anyway.
 */
async function takeTurn(ctx: AppContext, tx: DbOrTx, municipalityId: number): Promise<void> {
  if (ctx.dialect === 'postgres')
    await sql`select pg_advisory_xact_lock(${IMPORT_LOCK}, ${municipalityId})`.execute(tx);
}

const NO_YEARS = { first_year: null, last_year: null };

/**
 * The years an indicator the import adds applies in: all of the plan's, except that a year already fixed
 * (approved or published) before or after the import's year keeps the indicators it had.
 */
async function newIndicatorYears(
  tx: DbOrTx,
  planId: number,
  fiscalYear: number,
): Promise<CommitScope['indicatorYears']> {
  const fixed = await fixedYears(tx, planId);
  const before = fixed.filter((y) => y < fiscalYear);
  const after = fixed.filter((y) => y > fiscalYear);
  return {
    first_year: before.length ? fiscalYear : null,
    last_year: after.length ? Math.min(...after) - 1 : null,
    fixed: fixed.includes(fiscalYear),
  };
}

/**
 * Refuses an import that would add an indicator to a fixed year, or write a value of an indicator in a year
 * it does not apply in (one ended before it, or used only from a later year): the value would be stored
 * where no sheet or report shows it.
 */
async function checkIndicatorYears(
  tx: DbOrTx,
  scope: CommitScope,
  indicators: Awaited<ReturnType<typeof repo.listIndicators>>,
  plan: AnswerPlan,
): Promise<void> {
  const named = new Set(plan.pendingValues.map((v) => v.key));
  const outside = indicators.filter(
    (i) => named.has(indicatorKey(i.project_id, i.name)) && !rowInYear(i, scope.fiscalYear),
  );
  const added = scope.indicatorYears.fixed ? [...plan.newIndicators.values()] : [];
  if (outside.length === 0 && added.length === 0) return;
  const year = eraYearLabel(scope.fiscalYear, await municipalityEra(tx, scope.municipalityId));
  const names = (list: { name: string }[]) =>
    [...new Set(list.map((i) => `「${i.name}」`))].slice(0, 5).join('') + (list.length > 5 ? 'ほか' : '');
  if (outside.length)
    throw new AppError(
      'CONFLICT',
      `指標${names(outside)}は${year}には使われていない指標です（その年度の前に終了したか、後の年度から使う指標です）。計画の画面で指標の対象年度を見直してから取り込んでください`,
    );
  throw new AppError(
    'CONFLICT',
    `${year}は確定または公表済みの年度のため、新しい指標${names(added)}を加えられません。表の指標名を計画の指標に合わせるか、指標の列を対応づけずに取り込んでください`,
  );
}

/** The commit inside its transaction, in named steps; a dry run throws its result to roll everything back. */
async function commitIn(
  tx: DbOrTx,
  actor: Actor,
  municipalityId: number,
  mapping: ImportMapping,
  input: { rows: ImportRow[]; usable: ImportRow[]; skipped: Skipped },
  target: CommitTarget,
  fields: Awaited<ReturnType<typeof targetFields>>,
): Promise<CommitResult> {
  const { rows, usable, skipped } = input;
  const source = target.source ?? rowsIdentity(usable);
  const at = now();
  if (!(await repo.municipalityExists(tx, municipalityId))) throw notFound('自治体');
  const planId = await targetPlan(tx, actor, municipalityId, mapping, usable, target);
  const before = await readSnapshot(tx, planId, target.fiscalYear);
  const previous = target.planId === undefined ? undefined : await findReplaced(tx, planId, target.fiscalYear, source);
  const departments = await departmentIds(tx, municipalityId, usable, target.createDepartments, at);
  const scope: CommitScope = {
    municipalityId,
    planId,
    fiscalYear: target.fiscalYear,
    baselineYear: target.baselineYear ?? null,
    userId: actor.user.id,
    at,
    customFields: fields.customFields,
    indicatorYears: target.planId === undefined ? NO_YEARS : await newIndicatorYears(tx, planId, target.fiscalYear),
  };
  const tree = await writeProjects(tx, scope, usable, skipped);
  const answers = await writeAnswers(tx, scope, tree, departments.ids);
  await importGrades(tx, actor, scope, answers.grades);
  await importDoneFlags(tx, actor, scope, answers.done);
  // What the file holds matters to the earlier import it replaces, and only then is it gathered.
  const contained = previous ? await containedRows(tx, scope, tree, answers) : emptyContained();
  const replacement = previous ? await removeReplaced(tx, actor, scope, previous, contained) : null;
  if (tree.nodesCreated > 0 || tree.projectsCreated > 0 || replacement?.removed.length)
    await orderByPrintedNumbers(tx, planId);
  await bumpPlan(tx, planId);
  const summary = summarise(usable, mapping);
  const batchId = await recordBatch(tx, actor, {
    file: { projects: summary.projects, records: summary.records },
    ...{ municipalityId, planId, fiscalYear: target.fiscalYear, source, mapping, at },
    fixes: target.fixes ?? NO_FIXES,
    createdPlan: target.planId === undefined,
    before,
    after: await readFingerprints(tx, planId, target.fiscalYear),
    contained,
    replacement,
    departments: departments.made,
  });
  await audit(tx, actor, {
    municipalityId,
    action: 'import',
    entity: 'plan',
    entityId: planId,
    detail: {
      ...{ mapping: mapping.name, fiscalYear: target.fiscalYear, rows: rows.length, skipped: skipped.length },
      ...{ batch: batchId, source: source.name, replaced: previous?.id ?? null },
    },
  });
  const result: CommitResult = {
    planId,
    summary,
    created: {
      nodes: tree.nodesCreated,
      projects: tree.projectsCreated,
      records: answers.recordsCreated,
      departments: departments.created,
      indicators: answers.indicatorsCreated,
    },
    updated: { records: answers.recordsUpdated },
    skipped,
    batch: target.dryRun ? null : { id: batchId, replaced: previous?.id ?? null },
    removals: await describeRemovals(tx, replacement, { municipalityId, planId, before }),
    nodeMatches: tree.nodeMatches,
  };
  if (target.dryRun) throw new DryRun(result);
  return result;
}

/** The rows of the plan the file holds, by kind: what a replacement keeps. */
async function containedRows(
  tx: DbOrTx,
  scope: CommitScope,
  tree: WrittenTree,
  answers: Awaited<ReturnType<typeof writeAnswers>>,
): Promise<Contained> {
  const c = emptyContained();
  for (const id of tree.usedNodes) c.node.add(String(id));
  const projectIds = [...new Set(tree.owned.map((o) => tree.projects.get(o.number)!))];
  for (const id of projectIds) c.project.add(String(id));
  for (const pair of answers.pairs) c.assignment.add(pair);
  for (const r of await repo.listRecordsOfYear(tx, projectIds, scope.fiscalYear))
    if (answers.pairs.has(`${r.project_id}|${r.department_id}`)) c.record.add(String(r.id));
  for (const id of answers.indicatorIds) c.indicator.add(String(id));
  for (const t of answers.targets) c.target.add(`${t.indicator_id}|${t.fiscal_year}`);
  const written = new Set(answers.actuals.map((a) => `${a.indicator_id}|${a.department_id}|${a.fiscal_year}`));
  for (const a of await repo.listActualKeys(tx, [...new Set(answers.actuals.map((x) => x.indicator_id))]))
    if (written.has(`${a.indicator_id}|${a.department_id}|${a.fiscal_year}`)) c.actual.add(String(a.id));
  return c;
}

// ---- the plan

/** A line without an indicator with ○ × — (or 隔年実施…) in its value columns. */
const hasDoneFlags = (row: ImportRow) =>
  !row.values.indicator &&
  [row.values.actual, row.values.previousActual, row.values.baseline].some((t) => {
    const k = parseValue(t ?? '').kind;
    return k === 'flag' || k === 'status';
  });

/** The grades the file gives (short codes only), in the order met. */
function gradesIn(rows: ImportRow[]): string[] {
  return [...new Set(rows.map((r) => r.values.grade?.trim()).filter((g): g is string => !!g && g.length <= 10))];
}

/**
 * A new plan evaluates as the configuration or the preset given says, or else by hand from the report's codes: all from the
 * usual A–D keep the whole A–D legend, in order; others are listed as met.
 */
function newPlanEvaluation(rows: ImportRow[], plan: NonNullable<CommitTarget['newPlan']>) {
  if (plan.evaluation) return { evaluation: plan.evaluation };
  if (plan.evaluationPreset) return { evaluationPreset: plan.evaluationPreset };
  const grades = gradesIn(rows);
  // A report of ○ × — per year and no grades: the answers' status per year is what it evaluates.
  if (grades.length === 0 && rows.some(hasDoneFlags)) return { evaluationPreset: 'done-flags' };
  const usual = grades.every((g) => DEFAULT_GRADE_OPTIONS.some((d) => d.code === g));
  // Letters beyond A–D (an E) keep the alphabet's order, best first; other codes are listed as met.
  const letters = grades.every((g) => /^[A-Z]$/.test(g));
  const options: GradeOption[] = usual
    ? DEFAULT_GRADE_OPTIONS
    : (letters ? [...grades].sort() : grades).map((code) => ({
        code,
        label: DEFAULT_GRADE_OPTIONS.find((d) => d.code === code)?.label ?? '',
      }));
  return { evaluation: configFromLegacy('', options) };
}

/** The plan the rows go into: the one chosen (checked), or a new one. */
async function targetPlan(
  tx: DbOrTx,
  actor: Actor,
  municipalityId: number,
  mapping: ImportMapping,
  rows: ImportRow[],
  target: CommitTarget,
): Promise<number> {
  if (target.planId !== undefined) {
    await prepareExistingPlan(tx, municipalityId, target.planId, mapping);
    return target.planId;
  }
  if (!target.newPlan)
    throw new AppError('VALIDATION', '取り込み先の計画を選ぶか、新しい計画の名称と期間を入力してください');
  return insertPlan(
    tx,
    municipalityId,
    {
      title: target.newPlan.title,
      slogan: '',
      firstYear: target.newPlan.firstYear,
      lastYear: target.newPlan.lastYear,
      subPlans: [],
      ...newPlanEvaluation(rows, target.newPlan),
      levels: mapping.levels.map((l) => ({
        name: l.name,
        numberingStyle: 'none',
        numberingScope: 'parent',
        numberHeading: l.numberHeading ?? '',
      })),
    },
    actor,
  );
}

/** An existing plan takes the file if it has as many levels (the report's codes join its legend with the grades). */
async function prepareExistingPlan(
  tx: DbOrTx,
  municipalityId: number,
  planId: number,
  mapping: ImportMapping,
): Promise<void> {
  await requirePlan(tx, municipalityId, planId);
  const levels = await listLevelRows(tx, planId);
  if (levels.length < mapping.levels.length)
    throw new AppError(
      'VALIDATION',
      `計画の階層（${levels.length}段）がファイルの階層（${mapping.levels.length}段）より少ないため取り込めません`,
    );
}

// ---- departments

/** A name used by several units over the years means the one still active. */
function idsByName(existing: { id: number; name: string; active_to: number | null }[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const d of [...existing].sort((a, b) => (a.active_to === null ? 1 : 0) - (b.active_to === null ? 1 : 0)))
    ids.set(d.name, d.id);
  return ids;
}

/**
 * The id of every department the rows name. Names the municipality does not have are refused, or
 * with `create` added, together with the history their notes tell (「住宅政策課（平成28年度より住宅課から組織変更）」).
 */
async function departmentIds(tx: DbOrTx, municipalityId: number, rows: ImportRow[], create: boolean, at: string) {
  const existing = await repo.listDepartments(tx, municipalityId);
  const ids = idsByName(existing);
  const mentions = rows.flatMap((r) => r.departments);
  const missing = new Set(mentions.filter((d) => !ids.has(d.name)).map((d) => d.name));
  if (missing.size && !create)
    throw new AppError(
      'VALIDATION',
      `登録されていない担当課があります: ${[...missing].join('、')}。組織に登録するか、「担当課を作成する」を選んでください`,
    );
  let created = 0;
  const made: { departments: number[]; changes: number[] } = { departments: [], changes: [] };
  const add = async (name: string, activeFrom: number | null, activeTo: number | null) => {
    const id = await repo.insertDepartment(tx, {
      municipality_id: municipalityId,
      parent_id: null,
      name,
      kind: 'ka',
      active_from: activeFrom,
      active_to: activeTo,
      position: 1000 + created,
      created_at: at,
    });
    created++;
    made.departments.push(id);
    return id;
  };
  const changes = new Map(mentions.filter((d) => d.change).map((d) => [d.name, d.change!]));
  for (const name of missing) ids.set(name, await add(name, changes.get(name)?.effectiveYear ?? null, null));
  // Keep the history the note tells, once.
  if (create)
    for (const [name, change] of changes) {
      const toId = ids.get(name)!;
      if (await repo.hasChangeTo(tx, toId)) continue;
      const fromIds: number[] = [];
      for (const from of change.fromNames) {
        // The unit renamed may be one the file names too (and this import just added): the same unit.
        const known = ids.get(from);
        fromIds.push(known ?? (await add(from, null, change.effectiveYear - 1)));
      }
      const changeId = await repo.insertDepartmentChange(
        tx,
        {
          municipality_id: municipalityId,
          kind: fromIds.length > 1 ? 'merge' : 'rename',
          effective_year: change.effectiveYear,
          note: '取り込んだ報告書の記載による',
          created_at: at,
        },
        { fromIds, toId },
      );
      made.changes.push(changeId);
    }
  return { ids, created, made };
}

// ---- nodes and projects

const nodeKey = (parent: number | null, number: string, title: string) => `${parent ?? 0}|${number}|${title}`;

/** The plan's nodes, numbered as the plan prints them, for matching a file's nodes against. */
async function planNodes(db: DbOrTx, planId: number) {
  const [nodes, levels] = await Promise.all([repo.listNodeKeys(db, planId), listLevelRows(db, planId)]);
  const matcher = new NodeMatcher(
    nodes.map((n) => ({
      ...numberingNode(n),
      title: n.title,
      archived: n.archived_at !== null,
    })),
    levels.map((l) => ({ style: l.numbering_style, scope: l.numbering_scope })),
  );
  return { nodes, matcher };
}

/**
 * Nodes by their printed path: a file's node goes to the plan's node with the same number (in any
 * style: Ⅰ ≡ I ≡ 1, (1) ≡ （１） ≡ ①) or the same title under the same parent; a node that matches
 * neither becomes a new one (through `add`), its number kept as printed.
 */
function nodePlacer(
  plan: Awaited<ReturnType<typeof planNodes>>,
  add: (h: HierarchyCell, parent: number | null, position: number) => Promise<number>,
) {
  const { nodes, matcher } = plan;
  const ids = new Map<string, number>();
  const positions = new Map<number | null, number>();
  for (const n of nodes) positions.set(n.parent_id, Math.max(positions.get(n.parent_id) ?? 0, n.position));
  const matches: ImportNodeMatch[] = [];
  const used = new Set<number>();
  let created = 0;
  const place = async (h: HierarchyCell, parent: number | null): Promise<number> => {
    const key = nodeKey(parent, h.number, h.title);
    const known = ids.get(key);
    if (known !== undefined) return known;
    const hit = matcher.match(parent, h.level, h.number, h.title);
    let id: number;
    if (hit) id = hit.id;
    else {
      const position = (positions.get(parent) ?? 0) + 1;
      positions.set(parent, position);
      id = await add(h, parent, position);
      matcher.add(parent, { id, depth: h.level, number: h.number, title: h.title || '（名称なし）' });
      created++;
    }
    ids.set(key, id);
    matches.push({
      level: h.level,
      number: h.number,
      title: h.title,
      existingNodeId: hit?.id ?? null,
      existingLabel: hit?.label ?? null,
    });
    return id;
  };
  // Lines of one node follow each other: a line with the path of the line before goes where it went.
  let last: { hierarchy: HierarchyCell[]; node: number | null } | null = null;
  const samePath = (a: HierarchyCell[], b: HierarchyCell[]) =>
    a.length === b.length &&
    a.every((h, i) => h.level === b[i]!.level && h.number === b[i]!.number && h.title === b[i]!.title);
  return {
    /** The node a row's hierarchy leads to, null for a row without one. */
    async nodeFor(row: ImportRow): Promise<number | null> {
      if (last && samePath(last.hierarchy, row.hierarchy)) return last.node;
      let parent: number | null = null;
      for (const h of row.hierarchy) {
        parent = await place(h, parent);
        used.add(parent);
      }
      last = { hierarchy: row.hierarchy, node: parent };
      return parent;
    },
    created: () => created,
    matches,
    used,
  };
}

/** Where the rows' nodes would go in the plan, without writing anything (the preview). */
export async function matchNodes(
  db: DbOrTx,
  municipalityId: number,
  planId: number,
  rows: ImportRow[],
): Promise<ImportNodeMatch[]> {
  await requirePlan(db, municipalityId, planId);
  let next = 0;
  const placer = nodePlacer(await planNodes(db, planId), async () => --next);
  for (const row of rows) if (!row.continuation) await placer.nodeFor(row);
  return placer.matches;
}

/** A project's fields from its line: rows reaching here carry only 区分 of the plan's list (flagCategories). */
function projectFields(row: ImportRow) {
  return {
    name: row.projectName || '（名称なし）',
    summary: row.values.summary ?? '',
    category: row.values.category?.trim() || null,
    audience: row.values.audience ?? '',
  };
}

interface WrittenTree {
  /** project ids by number: those the plan had and those the file added */
  projects: Map<string, number>;
  /** the ids of the projects the file added (nothing else refers to them yet) */
  added: Set<number>;
  owned: OwnedRow[];
  nodesCreated: number;
  projectsCreated: number;
  /** the nodes the file's rows lead through */
  usedNodes: Set<number>;
  nodeMatches: ImportNodeMatch[];
}

/**
 * Each line that starts a project places it under its node: a project the plan has (by number) is
 * updated, a new one is added after the plan's last, once; continuation lines belong to the project
 * above. New projects are written in batches at the end.
 */
async function writeProjects(tx: DbOrTx, scope: CommitScope, rows: ImportRow[], skipped: Skipped) {
  const nodes = nodePlacer(await planNodes(tx, scope.planId), (h, parent, position) =>
    insertNodeRow(tx, {
      municipalityId: scope.municipalityId,
      planId: scope.planId,
      parentId: parent,
      depth: h.level,
      position,
      title: h.title || '（名称なし）',
      description: '',
      numberOverride: h.number || null,
      countsInNumbering: true,
      priority: false,
      firstYear: null,
      lastYear: null,
    }),
  );
  const stored = await repo.listProjectNumbers(tx, scope.planId);
  const projects = new Map(stored.map((p) => [p.number, p.id]));
  const storedCustom = new Map(stored.map((p) => [p.id, readJson.customValues(p.custom)]));
  const storedRows = new Map(stored.map((p) => [p.id, p]));
  const lastPosition = await repo.lastProjectPosition(tx, scope.planId);
  const fresh = new Map<string, ProjectValues>();
  const place = async (row: ImportRow): Promise<string | undefined> => {
    const nodeId = await nodes.nodeFor(row);
    if (nodeId === null) {
      skipped.push({ line: row.line, reason: '体系の位置が分からない行です' });
      return undefined;
    }
    const number = row.projectNumber || `取込${row.line}`;
    const fields = projectFields(row);
    // The file's values of the plan's extra fields on projects; those it leaves empty keep what is stored.
    const custom = customValuesOf(row, scope.customFields, 'project');
    const existing = projects.get(number);
    if (existing !== undefined) {
      const next = { ...fields, node_id: nodeId, custom: JSON.stringify({ ...storedCustom.get(existing), ...custom }) };
      const was = storedRows.get(existing)!;
      // A project the file gives again unchanged is left as it is.
      if ((Object.keys(next) as (keyof typeof next)[]).some((k) => was[k] !== next[k])) {
        await updateProjectRow(tx, existing, next);
        storedRows.set(existing, { ...was, ...next });
      }
    } else if (!fresh.has(number))
      fresh.set(number, {
        node_id: nodeId,
        number,
        ...fields,
        custom: JSON.stringify(custom),
        position: lastPosition + fresh.size + 1,
        first_year: null,
        last_year: null,
      });
    return number;
  };
  const owned: OwnedRow[] = [];
  let owner: string | undefined;
  for (const row of rows) {
    if (!row.continuation) owner = await place(row);
    if (owner !== undefined) owned.push({ row, number: owner });
  }
  const added = new Set<number>();
  for (const p of await insertProjectRows(tx, scope.municipalityId, scope.planId, [...fresh.values()])) {
    projects.set(p.number, p.id);
    added.add(p.id);
  }
  const tree: WrittenTree = {
    projects,
    added,
    owned,
    nodesCreated: nodes.created(),
    projectsCreated: fresh.size,
    usedNodes: nodes.used,
    nodeMatches: nodes.matches,
  };
  return tree;
}

// ---- assignments, records and indicators

/** What an import writes on an answer: one that would get the same values again is left alone. */
const ANSWER_FIELDS = [
  'plan_text',
  'result_text',
  'remarks',
  'next_year_plan',
  'custom',
  'status',
  'same_as_department_id',
] as const;

/**
 * Rows become assignments, records and indicator values. What exists is read once and what is new
 * is written in batches, so that large files import in a few statements.
 */
async function writeAnswers(tx: DbOrTx, scope: CommitScope, tree: WrittenTree, departmentIds: Map<string, number>) {
  // Projects this import has just added have no departments, answers or indicators yet: only those
  // the plan had are read.
  const stored = [...new Set(tree.owned.map((o) => tree.projects.get(o.number)!))].filter((id) => !tree.added.has(id));
  const assignments = await repo.listAssignments(tx, stored);
  const records = await repo.listRecordsOfYear(tx, stored, scope.fiscalYear);
  const indicators = await repo.listIndicators(tx, stored);
  const plan = new AnswerPlan(scope, { assignments, records, indicators });
  const pairs = new Set<string>();
  const indicatorKeys = new Set<string>();
  for (const { row, number } of tree.owned) {
    const projectId = tree.projects.get(number)!;
    const ids = row.departments.map((d) => departmentIds.get(d.name)!);
    // 「地域支援課に同じ」 in the answer, or the second and later departments of one cell: a link to the answer repeated.
    const sameAs = row.sameAs ? (departmentIds.get(row.sameAs) ?? null) : null;
    for (const [i, id] of ids.entries()) {
      plan.add(row, projectId, id, { first: i === 0, sameAsId: i === 0 ? sameAs : ids[0]! });
      pairs.add(`${projectId}|${id}`);
      if (i === 0 && row.values.indicator) indicatorKeys.add(indicatorKey(projectId, row.values.indicator));
    }
  }
  await checkIndicatorYears(tx, scope, indicators, plan);
  // An answer the file names again is written once (its first line, as a new answer takes it), and only if it changes.
  const storedRecords = new Map(records.map((r) => [r.id, r]));
  const firstUpdates = new Map<number, RecordUpdate>();
  for (const u of plan.recordUpdates) if (!firstUpdates.has(u.id)) firstUpdates.set(u.id, u);
  const updates = [...firstUpdates.values()].filter((u) => {
    const r = storedRecords.get(u.id)!;
    return ANSWER_FIELDS.some((k) => u.set[k] !== r[k]);
  });
  for (const update of updates) await repo.updateRecord(tx, update);
  await insertProjectDepartments(tx, plan.newAssignments);
  await repo.insertRecordRows(tx, plan.newRecords);
  const indicatorOf = new Map(indicators.map((i) => [indicatorKey(i.project_id, i.name), i.id]));
  const newIndicatorIds = new Set<number>();
  for (const i of await repo.insertIndicatorRows(tx, [...plan.newIndicators.values()])) {
    indicatorOf.set(indicatorKey(i.project_id, i.name), i.id);
    newIndicatorIds.add(i.id);
  }
  const values = await writeIndicatorValues(tx, scope, plan, indicatorOf, newIndicatorIds);
  return {
    pairs,
    indicatorIds: [...indicatorKeys].flatMap((k) => (indicatorOf.has(k) ? [indicatorOf.get(k)!] : [])),
    ...values,
    grades: plan.pendingGrades.map((g) => ({
      projectId: g.projectId,
      departmentId: g.departmentId,
      indicatorId: g.indicatorKey === null ? null : (indicatorOf.get(g.indicatorKey) ?? null),
      code: g.code,
      level: g.level,
    })),
    done: plan.pendingDone,
    recordsCreated: plan.newRecords.length,
    recordsUpdated: updates.length,
    indicatorsCreated: plan.newIndicators.size,
  };
}

const ACTUAL_FIELDS = ['value', 'text', 'status', 'reason', 'parts'] as const;

/**
 * Targets and actuals; values of indicators that were there before replace what they held for these
 * years, in place (a value the file gives again unchanged is left as it is).
 */
async function writeIndicatorValues(
  tx: DbOrTx,
  scope: CommitScope,
  plan: AnswerPlan,
  indicatorOf: Map<string, number>,
  added: ReadonlySet<number>,
): Promise<{ targets: NewTarget[]; actuals: NewActual[] }> {
  const { targets, actuals } = indicatorValues(scope, plan.pendingValues, indicatorOf);
  const last = lastPerYear(actuals);
  // Indicators just added hold no values yet: only the stored ones' are read.
  const ids = [...new Set([...targets, ...last].map((x) => x.indicator_id))].filter((id) => !added.has(id));
  const [storedTargets, storedActuals] = await Promise.all([
    repo.listTargetRows(tx, ids),
    repo.listActualKeys(tx, ids),
  ]);
  const targetOf = new Map(storedTargets.map((t) => [`${t.indicator_id}|${t.fiscal_year}`, t]));
  const actualOf = new Map(storedActuals.map((a) => [`${a.indicator_id}|${a.department_id}|${a.fiscal_year}`, a]));
  const newTargets: NewTarget[] = [];
  for (const t of targets) {
    const was = targetOf.get(`${t.indicator_id}|${t.fiscal_year}`);
    if (!was) newTargets.push(t);
    else if (was.value !== (t.value ?? null) || was.text !== t.text)
      await repo.updateTarget(tx, t.indicator_id, t.fiscal_year, { value: t.value ?? null, text: t.text });
  }
  const newActuals: NewActual[] = [];
  for (const a of last) {
    const was = actualOf.get(`${a.indicator_id}|${a.department_id}|${a.fiscal_year}`);
    const set = { value: a.value ?? null, text: a.text, status: a.status ?? null, reason: a.reason, parts: a.parts };
    if (!was) newActuals.push(a);
    else if (ACTUAL_FIELDS.some((k) => was[k] !== set[k])) await repo.updateActual(tx, was.id, set);
  }
  await repo.insertTargets(tx, newTargets);
  await repo.insertActuals(tx, newActuals);
  return { targets, actuals: last };
}

// ---- printed order

/** Siblings that all carry a number, sorted by it into the positions they hold between them. */
async function sortGroup(
  tx: DbOrTx,
  table: 'plan_nodes' | 'projects',
  items: { id: number; position: number; ordinal: number | null }[],
): Promise<void> {
  if (items.length < 2 || items.some((i) => i.ordinal === null)) return;
  const sorted = [...items].sort((a, b) => a.ordinal! - b.ordinal! || a.position - b.position);
  const positions = [...items].map((i) => i.position).sort((a, b) => a - b);
  for (const [k, item] of sorted.entries())
    if (item.position !== positions[k]) await setPosition(tx, table, item.id, positions[k]!);
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * A file that meets the tree out of order (one sheet per department lists 施策 (2) before (1))
 * still gives the plan its printed order: siblings that all carry a number are sorted by it, and
 * projects numbered 1, 2, 3 under one node likewise.
 */
async function orderByPrintedNumbers(tx: DbOrTx, planId: number): Promise<void> {
  const nodes = await repo.listNodePlaces(tx, planId);
  for (const list of groupBy(nodes, (n) => n.parent_id).values())
    await sortGroup(
      tx,
      'plan_nodes',
      list.map((n) => ({
        id: n.id,
        position: n.position,
        ordinal: n.number_override ? ordinalOf(n.number_override) : null,
      })),
    );
  const projects = await repo.listProjectPlaces(tx, planId);
  for (const list of groupBy(projects, (p) => p.node_id).values())
    await sortGroup(
      tx,
      'projects',
      list.map((p) => ({ id: p.id, position: p.position, ordinal: /^\d+$/.test(p.number) ? Number(p.number) : null })),
    );
}
