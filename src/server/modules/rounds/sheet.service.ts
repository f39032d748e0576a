import type { IndicatorDto, RecordComment, RecordDto, Sheet, SheetItem } from '../../../domain/api-types.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { readTogether } from '../../db/util.js';
import { notFound } from '../../http/errors.js';
import { type Actor, assertCanReadDepartment, mayWriteDepartment } from '../auth/index.js';
import { loadIndicators } from '../indicators/index.js';
import { treeOrder, yearStructure, readPlanFields } from '../plans/index.js';
import { readJson } from '../../db/json.js';
import { nodePathLabel } from '../../../domain/tree.js';
import { loadRecords, activeRoundFor, loadComments } from '../records/index.js';
import { answerValues, evaluatePlanYear } from '../evaluations/index.js';
import { actingDepartments } from '../departments/index.js';
import { planRevisionOf, sheetJson, type SheetLine } from './sheet-cache.js';
import { loadSheetPlanPart, structureFor, type SheetPlanPart } from './sheet-plan-part.js';
import { requireRound } from './rounds.service.js';
import * as repo from './rounds.repository.js';

interface SheetParts {
  departmentId: number;
  /** the year's evaluations of this department's answers */
  year: Awaited<ReturnType<typeof evaluatePlanYear>>;
  nodes: { id: number; parent_id: number | null; position: number; title: string }[];
  printed: Map<number, string>;
  /** the projects whose lines are built, in the printed order */
  projects: SheetProject[];
  /** the department's own records of the year */
  own: RecordDto[];
  /** every department's records of the year for these projects */
  records: RecordDto[];
  /** last year's records for these projects */
  previous: RecordDto[];
  /** the department and the units it replaced */
  lineage: number[];
  indicators: IndicatorDto[];
  comments: Map<number, RecordComment[]>;
  deptName: Map<number, string>;
}

interface SheetProject {
  id: number;
  node_id: number;
  number: string;
  name: string;
  summary: string;
  category: string | null;
  audience: string;
  /** JSON of the extra fields' values */
  custom: string;
  position: number;
}

/** One project's line on the sheet, with everything beside it (undefined: the department does not answer it). */
function sheetItem(parts: SheetParts, p: SheetProject): SheetItem | undefined {
  const { departmentId, nodes, printed, own, records, previous, lineage, indicators, comments, deptName, year } = parts;
  const record = own.find((r) => r.projectId === p.id);
  if (!record) return undefined;
  const byId = new Map(nodes.map((n) => [n.id, { id: n.id, parentId: n.parent_id, title: n.title }]));
  const all = records
    .filter((r) => r.projectId === p.id)
    .sort((a, b) => Number(b.isLead) - Number(a.isLead) || a.position - b.position || a.departmentId - b.departmentId);
  return {
    project: {
      id: p.id,
      number: p.number,
      name: p.name,
      summary: p.summary,
      category: p.category,
      audience: p.audience,
      custom: readJson.customValues(p.custom),
      path: nodePathLabel(byId, printed, p.node_id),
      leadDepartmentId: all.find((r) => r.isLead)?.departmentId ?? null,
      departmentIds: all.map((r) => r.departmentId),
    },
    record,
    // Last year's answer of this department, or of the one it replaced.
    previous:
      lineage
        .map((d) => previous.find((r) => r.projectId === p.id && r.departmentId === d))
        .find((r) => r !== undefined) ?? null,
    indicators: indicators.filter(
      (i) => i.projectId === p.id && (i.departmentId === null || i.departmentId === departmentId),
    ),
    others: all
      .filter((r) => r.departmentId !== departmentId)
      .map((r) => ({ departmentId: r.departmentId, name: deptName.get(r.departmentId) ?? '', record: r })),
    comments: comments.get(record.id) ?? [],
    evaluations: answerValues(year.config, year.evaluations, year.facts, p.id, departmentId),
  };
}

/** The projects in the order the plan prints them: by the tree, then by position. */
function inPrintedOrder<P extends { id: number; node_id: number; position: number }>(
  nodes: SheetParts['nodes'],
  projects: P[],
): P[] {
  const order = treeOrder(nodes);
  return [...projects].sort(
    (a, b) => (order.get(a.node_id) ?? 0) - (order.get(b.node_id) ?? 0) || a.position - b.position || a.id - b.id,
  );
}

/**
 * Which earlier lines a build takes as they were. Lines built for the cache carry their project's counter
 * (read before the answers), so that the next build can tell which it may keep; a build for other uses has
 * no need of them.
 */
async function linesToKeep(db: DbOrTx, planId: number, projectIds: number[], kept?: Map<number, SheetLine>) {
  const revisions = kept ? await repo.projectRevisions(db, planId, projectIds) : new Map<number, number>();
  const revisionOf = (id: number) => revisions.get(id) ?? 0;
  const reused = new Map(
    projectIds.flatMap((id) => {
      const line = kept?.get(id);
      return line && line.revision === revisionOf(id) ? [[id, line] as const] : [];
    }),
  );
  return { revisionOf, reused, stale: projectIds.filter((id) => !reused.has(id)) };
}

/** What a sheet is built into: everything but its lines, and its lines by project with their counters. */
export interface BuiltSheet {
  sheet: Omit<Sheet, 'items' | 'canEdit'>;
  lines: SheetLine[];
}

/**
 * One department's sheet for a round, as lines. Reads only what the sheet shows — the department's
 * projects, their records and the node titles for their paths — so that a large plan does not make every
 * sheet slow. `kept` are lines of an earlier build at the same plan revision (empty for a first build whose
 * lines the cache will keep; absent for a build that keeps none): a line whose project counter
 * (`sheet_project_revisions`) has not moved since is taken as it was, and only the others are read and
 * built. The counters are read before the answers, so a line is never newer in its counter than in its data.
 */
export async function buildDepartmentSheet(
  db: DbOrTx,
  municipalityId: number,
  roundId: number,
  departmentId: number,
  kept?: Map<number, SheetLine>,
  /** the plan year's part of every sheet, from the cache (read here where not given) */
  planPart?: (db: DbOrTx, planId: number, fiscalYear: number) => Promise<SheetPlanPart>,
): Promise<BuiltSheet> {
  const round = await requireRound(db, municipalityId, roundId);
  if (!round.departments.some((d) => d.departmentId === departmentId)) throw notFound('この課への照会');
  // The year's facts: the projects this department has a record for in the round's year. A build with no
  // lines to keep reads every department's answers of those projects at once, and its own among them.
  const cold = !kept?.size;
  const all = cold
    ? await loadRecords(db, municipalityId, {
        planId: round.planId,
        fiscalYear: round.fiscalYear,
        projectsOf: departmentId,
      })
    : undefined;
  const own =
    all?.filter((r) => r.departmentId === departmentId) ??
    (await loadRecords(db, municipalityId, { planId: round.planId, fiscalYear: round.fiscalYear, departmentId }));
  const projectIds = [...new Set(own.map((r) => r.projectId))];
  const { revisionOf, reused, stale } = await linesToKeep(db, round.planId, projectIds, kept);
  const part = planPart && (await planPart(db, round.planId, round.fiscalYear));
  const [structure, active, fields, lineage] = await Promise.all([
    part ? structureFor(part, projectIds) : yearStructure(db, round.planId, round.fiscalYear, { projectIds }),
    activeRoundFor(db, round.planId, round.fiscalYear, departmentId),
    part?.fields ?? readPlanFields(db, round.planId),
    actingDepartments(db, municipalityId, departmentId),
  ]);
  // The year's structure as printed; a project answered this year but out of it (not expected) still shows.
  const inYear = new Map(structure.projects.map((p) => [p.id, p]));
  const missing = projectIds.filter((id) => !inYear.has(id));
  const projects = inPrintedOrder(structure.nodes, [
    ...structure.projects.filter((p) => projectIds.includes(p.id)),
    ...(await repo.listSheetProjects(db, missing)),
  ]);
  const staleSet = new Set(stale);
  const [records, previous, indicators, year, comments] = await Promise.all([
    all ?? loadRecords(db, municipalityId, { planId: round.planId, fiscalYear: round.fiscalYear, projectIds: stale }),
    loadRecords(db, municipalityId, { planId: round.planId, fiscalYear: round.fiscalYear - 1, projectIds: stale }),
    part
      ? part.indicators.filter((i) => i.projectId !== null && staleSet.has(i.projectId))
      : loadIndicators(db, municipalityId, stale, round.fiscalYear),
    evaluatePlanYear(db, round.planId, round.fiscalYear, {
      departmentIds: [departmentId],
      projectIds: stale,
      structure: { ...structure, projects: structure.projects.filter((p) => staleSet.has(p.id)) },
      plan: part?.facts,
    }),
    loadComments(
      db,
      own.filter((r) => staleSet.has(r.projectId)).map((r) => r.id),
    ),
  ]);
  const deptIds = [...new Set([departmentId, ...records.map((r) => r.departmentId)])];
  const deptName = await repo.departmentNames(db, deptIds);
  const parts: SheetParts = {
    ...{ departmentId, nodes: structure.nodes, printed: structure.numbers, projects, own, records, previous },
    ...{ lineage, indicators, comments, deptName, year },
  };
  const lines = projects.flatMap((p): SheetLine[] => {
    const line = reused.get(p.id);
    if (line) return [line];
    const item = sheetItem(parts, p);
    return item ? [{ projectId: p.id, revision: revisionOf(p.id), item, json: JSON.stringify(item) }] : [];
  });
  return {
    sheet: {
      round,
      department: { id: departmentId, name: deptName.get(departmentId) ?? '' },
      open: active?.id === roundId,
      evaluation: year.config,
      customFields: fields.customFields,
    },
    lines,
  };
}

/** One department's sheet for a round, its projects with this year's and last year's answers side by side. */
export async function departmentSheet(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
  departmentId: number,
): Promise<Sheet> {
  assertCanReadDepartment(actor, municipalityId, departmentId);
  const { sheet, lines } = await readTogether(ctx, (db) =>
    buildDepartmentSheet(db, municipalityId, roundId, departmentId),
  );
  const writer = mayWriteDepartment(actor, municipalityId, departmentId);
  return { ...sheet, canEdit: writer && sheet.open, items: lines.flatMap((l) => (l.item ? [l.item] : [])) };
}

/**
 * The sheet as the API sends it: from the cache while the plan's and the department's revisions stand;
 * else built again, reusing the cached lines of the projects no answer of which has changed. Only whether
 * this user may write is worked out per request.
 */
export async function departmentSheetJson(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
  departmentId: number,
): Promise<string> {
  assertCanReadDepartment(actor, municipalityId, departmentId);
  const revision = await repo.sheetRevision(ctx.db, municipalityId, roundId, departmentId);
  if (revision === undefined) throw notFound('照会');
  const writer = mayWriteDepartment(actor, municipalityId, departmentId);
  // What is built is the same for every reader who may read it: whether this one may write is added after.
  const cache = ctx.sheetCache;
  const planRevision = planRevisionOf(revision);
  const planPart = cache
    ? (db: DbOrTx, planId: number, fiscalYear: number) =>
        cache.planPart(planId, fiscalYear, planRevision, () =>
          loadSheetPlanPart(db, municipalityId, planId, fiscalYear),
        )
    : undefined;
  const build = async (kept?: Map<number, SheetLine>) => {
    const { sheet, lines } = await readTogether(ctx, (db) =>
      buildDepartmentSheet(db, municipalityId, roundId, departmentId, kept ?? new Map(), planPart),
    );
    return { head: JSON.stringify(sheet), open: sheet.open, lines };
  };
  const { json, open } = cache
    ? await cache.getOrBuild(roundId, departmentId, revision, build)
    : sheetJson(await build());
  return `{"canEdit":${writer && open},${json.slice(1)}`;
}
