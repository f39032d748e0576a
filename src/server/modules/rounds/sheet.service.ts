import type { IndicatorDto, RecordComment, RecordDto, Sheet, SheetItem } from '../../../domain/api-types.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { readTogether } from '../../db/util.js';
import { known, readAll } from '../../db/reads.js';
import { notFound } from '../../http/errors.js';
import { type Actor, assertCanReadDepartment, mayWriteDepartment } from '../auth/index.js';
import { treeOrder } from '../plans/index.js';
import { readJson } from '../../db/json.js';
import { nodePathLabel } from '../../../domain/tree.js';
import { activeRoundRead, commentsRead, recordsRead } from '../records/index.js';
import { answerValues, planYearRead } from '../evaluations/index.js';
import { actingDepartmentsRead } from '../departments/index.js';
import { planRevisionOf, sheetJson, type SheetLine } from './sheet-cache.js';
import { loadSheetPlanPart, structureFor, type SheetPlanPart } from './sheet-plan-part.js';
import { requireRound, roundRead } from './rounds.service.js';
import * as repo from './rounds.repository.js';

interface SheetParts {
  departmentId: number;
  /** the year's evaluations of this department's answers */
  year: ReturnType<ReturnType<typeof planYearRead>['make']>;
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

/** What a sheet is built into: everything but its lines, and its lines by project with their counters. */
export interface BuiltSheet {
  sheet: Omit<Sheet, 'items' | 'canEdit'>;
  lines: SheetLine[];
}

/** A plan and fiscal year. */
interface PlanYear {
  planId: number;
  fiscalYear: number;
}

/** What a build knows when it builds its lines: which to take as they were, and which to build. */
interface LinesToBuild {
  of: PlanYear;
  departmentId: number;
  /** the department's answers of the year */
  own: RecordDto[];
  /** the projects it answers, and those of them whose lines are built */
  projectIds: number[];
  stale: number[];
  part: SheetPlanPart;
  reused: Map<number, SheetLine>;
  revisionOf: (projectId: number) => number;
  /** the department and the units it replaced */
  lineage: number[];
  /** every department's answers of the department's projects, where read already */
  answers?: RecordDto[];
}

/**
 * The sheet's lines in the printed order: those kept, and the others built from what is read for them, in one
 * round trip on PostgreSQL: the other departments' answers, last year's, the evaluation, comments and names.
 */
async function buildLines(db: DbOrTx, municipalityId: number, b: LinesToBuild) {
  const { of, departmentId, stale, part } = b;
  // The year's structure as printed; a project answered this year but out of it (not expected) still shows.
  const structure = structureFor(part, b.projectIds);
  const inYear = new Set(structure.projects.map((p) => p.id));
  const staleSet = new Set(stale);
  const [missing, records, previous, year, comments, deptName] = await readAll(db, [
    repo.sheetProjectsRead(
      db,
      b.projectIds.filter((id) => !inYear.has(id)),
    ),
    b.answers ? known(b.answers) : recordsRead(db, municipalityId, { ...of, projectIds: stale }),
    recordsRead(db, municipalityId, { planId: of.planId, fiscalYear: of.fiscalYear - 1, projectIds: stale }),
    planYearRead(db, of.planId, of.fiscalYear, {
      departmentIds: [departmentId],
      projectIds: stale,
      structure: { ...structure, projects: structure.projects.filter((p) => staleSet.has(p.id)) },
      plan: part.facts,
    }),
    commentsRead(
      db,
      b.own.filter((r) => staleSet.has(r.projectId)).map((r) => r.id),
    ),
    repo.departmentNamesRead(db, { departmentId, ...of, projectIds: stale }),
  ]);
  const projects = inPrintedOrder(structure.nodes, [...structure.projects, ...missing]);
  const indicators = part.indicators.filter((i) => i.projectId !== null && staleSet.has(i.projectId));
  const parts: SheetParts = {
    ...{ departmentId, nodes: structure.nodes, printed: structure.numbers, projects, own: b.own, records, previous },
    ...{ lineage: b.lineage, indicators, comments, deptName, year },
  };
  const lines = projects.flatMap((p): SheetLine[] => {
    const line = b.reused.get(p.id);
    if (line) return [line];
    const item = sheetItem(parts, p);
    return item ? [{ projectId: p.id, revision: b.revisionOf(p.id), item, json: JSON.stringify(item) }] : [];
  });
  return { lines, deptName, year };
}

/**
 * One department's sheet for a round, as lines. Reads only what the sheet shows — the department's
 * projects, their records and the node titles for their paths — so that a large plan does not make every
 * sheet slow. `kept` are lines of an earlier build at the same plan revision (empty for a first build whose
 * lines the cache will keep; absent for a build that keeps none): a line whose project counter
 * (`sheet_project_revisions`) has not moved since is taken as it was, and only the others are read and
 * built. On PostgreSQL the reads go in two round trips (`readAll`): what tells which lines to build, then what
 * they show.
 */
export async function buildDepartmentSheet(
  db: DbOrTx,
  municipalityId: number,
  roundId: number,
  departmentId: number,
  kept?: Map<number, SheetLine>,
  /** the plan year's part of every sheet, from the cache (read here where not given) */
  planPart?: (db: DbOrTx, planId: number, fiscalYear: number) => Promise<SheetPlanPart>,
  /** the round's plan and year, where the caller has read them (they never change): else the round is read first */
  at?: PlanYear,
): Promise<BuiltSheet> {
  const first = at ? undefined : await requireRound(db, municipalityId, roundId);
  const of: PlanYear = at ?? { planId: first!.planId, fiscalYear: first!.fiscalYear };
  // A build with no lines to keep reads every department's answers of the department's projects at once, and
  // its own among them. The counters go before the answers: a line is never newer in its counter than in its data.
  const cold = !kept?.size;
  const [round, revisions, answers, active, lineage] = await readAll(db, [
    first ? known(first) : roundRead(db, municipalityId, roundId),
    kept ? repo.projectRevisionsRead(db, { ...of, departmentId }) : known(new Map<number, number>()),
    recordsRead(db, municipalityId, cold ? { ...of, projectsOf: departmentId } : { ...of, departmentId }),
    activeRoundRead(db, of.planId, of.fiscalYear, departmentId),
    actingDepartmentsRead(db, municipalityId, departmentId),
  ]);
  if (!round.departments.some((d) => d.departmentId === departmentId)) throw notFound('この課への照会');
  const own = answers.filter((r) => r.departmentId === departmentId);
  const projectIds = [...new Set(own.map((r) => r.projectId))];
  const revisionOf = (id: number) => revisions.get(id) ?? 0;
  const reused = new Map(
    projectIds.flatMap((id) => {
      const line = kept?.get(id);
      return line && line.revision === revisionOf(id) ? [[id, line] as const] : [];
    }),
  );
  const stale = projectIds.filter((id) => !reused.has(id));
  const part = await (planPart ?? ((d) => loadSheetPlanPart(d, municipalityId, of.planId, of.fiscalYear)))(
    db,
    of.planId,
    of.fiscalYear,
  );
  const { lines, deptName, year } = await buildLines(db, municipalityId, {
    ...{ of, departmentId, own, projectIds, stale, part, reused, revisionOf, lineage },
    answers: cold ? answers : undefined,
  });
  return {
    sheet: {
      round,
      department: { id: departmentId, name: deptName.get(departmentId) ?? '' },
      open: active?.id === roundId,
      evaluation: year.config,
      customFields: part.fields.customFields,
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
  const at = await repo.sheetRevision(ctx.db, municipalityId, roundId, departmentId);
  if (at === undefined) throw notFound('照会');
  const { revision } = at;
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
      buildDepartmentSheet(db, municipalityId, roundId, departmentId, kept ?? new Map(), planPart, at),
    );
    return { head: JSON.stringify(sheet), open: sheet.open, lines };
  };
  const { json, open } = cache
    ? await cache.getOrBuild(roundId, departmentId, revision, build)
    : sheetJson(await build());
  return `{"canEdit":${writer && open},${json.slice(1)}`;
}
