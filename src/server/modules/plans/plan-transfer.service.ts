import {
  PLAN_EXPORT_FORMAT,
  PLAN_EXPORT_VERSION,
  evaluationOfExport,
  planExportSchema,
  type EntryExport,
  type IndicatorExport,
  type PlanExport,
  type PlanExportInput,
} from '../../../domain/plan-export.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { invalid } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanEditPlans, assertCanRead } from '../auth/index.js';
import { listDepartmentRows } from '../departments/index.js';
import type { PlanDetail } from '../../../domain/api-types.js';
import { loadPlanDetail, insertPlan } from './plans.service.js';
import { insertNode, insertProject } from './structure.service.js';
import * as repo from './plans.repository.js';
import { parseValue } from '../../../domain/values.js';
import { configInput } from '../../../domain/evaluation/schema.js';
import { SUBJECT_RANK } from '../../../domain/evaluation/terms.js';

export async function exportPlan(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
): Promise<PlanExport> {
  assertCanRead(actor, municipalityId);
  return buildExport(ctx.db, municipalityId, planId);
}

/** The tree as it stands (archived nodes left out), keyed by positions along the path. */
function exportNodes(detail: PlanDetail): { nodes: PlanExport['nodes']; keys: Map<number, string> } {
  const subPlanName = new Map(detail.plan.subPlans.map((s) => [s.id, s.name]));
  const children = new Map<number | null, PlanDetail['nodes']>();
  for (const n of detail.nodes) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n]);
  for (const list of children.values()) list.sort((a, b) => a.position - b.position || a.id - b.id);
  const keys = new Map<number, string>();
  const nodes: PlanExport['nodes'] = [];
  // Keys are positions along the path (1, 1.2, 1.2.3): stable for the same tree, whatever the ids.
  // The structure as it stands: archived nodes and projects stay with the answers they carry.
  const walk = (parentId: number | null, prefix: string) => {
    (children.get(parentId) ?? [])
      .filter((n) => !n.archived)
      .forEach((n, i) => {
        const key = prefix ? `${prefix}.${i + 1}` : String(i + 1);
        keys.set(n.id, key);
        nodes.push({
          key,
          parentKey: parentId === null ? null : keys.get(parentId)!,
          title: n.title,
          description: n.description,
          numberOverride: n.numberOverride,
          priority: n.priority,
          subPlans: n.subPlanIds.map((id) => subPlanName.get(id)!),
          startYear: n.startYear,
          endYear: n.endYear,
          countsInNumbering: n.countsInNumbering,
        });
        walk(n.id, key);
      });
  };
  walk(null, '');
  return { nodes, keys };
}

export async function buildExport(db: DbOrTx, municipalityId: number, planId: number): Promise<PlanExport> {
  const detail = await loadPlanDetail(db, municipalityId, planId);
  const departments = new Map((await listDepartmentRows(db, municipalityId)).map((d) => [d.id, d.name]));
  const { nodes, keys } = exportNodes(detail);
  const nodeOrder = new Map(nodes.map((n, i) => [n.key, i]));
  const exported = detail.projects.filter((p) => !p.archived && keys.has(p.nodeId));
  const projects = [...exported]
    .sort(
      (a, b) =>
        nodeOrder.get(keys.get(a.nodeId)!)! - nodeOrder.get(keys.get(b.nodeId)!)! ||
        a.position - b.position ||
        a.id - b.id,
    )
    .map((p) => ({
      number: p.number,
      nodeKey: keys.get(p.nodeId)!,
      name: p.name,
      summary: p.summary,
      category: p.category,
      audience: p.audience,
      custom: p.custom,
      leadDepartment: departments.get(p.leadDepartmentId ?? -1) ?? '',
      coDepartments: p.coDepartmentIds.map((d) => departments.get(d)!),
      crossListNodeKeys: p.crossListNodeIds.filter((n) => keys.has(n)).map((n) => keys.get(n)!),
      startYear: p.startYear,
      endYear: p.endYear,
    }));
  const projectNumbers = new Map(exported.map((p) => [p.id, p.number]));
  const { indicators, indicatorIds } = exportIndicators(
    await repo.listIndicatorsForExport(db, planId),
    { projects: projectNumbers, nodes: keys },
    departments,
  );
  const entries = exportEntries(
    await repo.listEntriesForExport(db, planId),
    { projects: projectNumbers, nodes: keys, indicators: indicatorIds, departments },
    { projects: projects.map((p) => p.number), nodes: nodes.map((n) => n.key) },
  );
  return {
    format: PLAN_EXPORT_FORMAT,
    version: PLAN_EXPORT_VERSION,
    plan: {
      title: detail.plan.title,
      slogan: detail.plan.slogan,
      firstYear: detail.plan.firstYear,
      lastYear: detail.plan.lastYear,
      subPlans: detail.plan.subPlans.map((s) => s.name),
      evaluation: (await repo.listEvaluationVersionRows(db, planId)).map((v) => ({
        fromYear: v.from_year,
        note: v.note,
        config: configInput.parse(JSON.parse(v.definition)),
      })),
      categories: detail.plan.categories,
      customFields: detail.plan.customFields,
    },
    levels: detail.levels.map((l) => ({
      name: l.name,
      numberingStyle: l.numberingStyle,
      numberingScope: l.numberingScope,
      numberHeading: l.numberHeading,
    })),
    nodes,
    projects,
    indicators,
    entries,
  };
}

/** An indicator's evaluation terms as a file writes them. */
function termsOf(r: repo.IndicatorTermsRow) {
  return {
    direction: r.direction,
    purpose: r.purpose,
    targetBasis: r.target_basis,
    baseline: r.baseline_text,
    baselineYear: r.baseline_year,
    finalTarget: r.final_target_text,
  };
}

/** The indicators of the exported projects, then those of the exported nodes and of the plan. */
function exportIndicators(
  rows: Awaited<ReturnType<typeof repo.listIndicatorsForExport>>,
  keys: { projects: Map<number, string>; nodes: Map<number, string> },
  departments: Map<number, string>,
): { indicators: IndicatorExport[]; indicatorIds: number[] } {
  const exported = (i: (typeof rows.indicators)[number]) =>
    i.project_id !== null
      ? keys.projects.has(i.project_id)
      : i.department_id !== null && (i.node_id === null || keys.nodes.has(i.node_id));
  // Projects' first (as read), then the plan's, then the nodes' in the tree's order: the same on every database.
  const nodeOrder = new Map([...keys.nodes.keys()].map((id, i) => [id, i]));
  const rank = (i: (typeof rows.indicators)[number]) =>
    i.project_id !== null ? -1 : i.node_id === null ? 0 : 1 + nodeOrder.get(i.node_id)!;
  const ordered = [...rows.indicators]
    .filter(exported)
    .sort((a, b) => rank(a) - rank(b) || (a.project_id === null ? a.position - b.position || a.id - b.id : 0));
  const indicators = ordered.map((i) => ({
    projectNumber: i.project_id === null ? null : keys.projects.get(i.project_id)!,
    nodeKey: i.project_id === null && i.node_id !== null ? keys.nodes.get(i.node_id)! : null,
    department: i.department_id === null ? null : (departments.get(i.department_id) ?? null),
    name: i.name,
    unit: i.unit,
    kind: i.kind,
    ...termsOf(i),
    startYear: i.first_year,
    endYear: i.last_year,
    targets: rows.targets
      .filter((t) => t.indicator_id === i.id)
      .map((t) => ({ fiscalYear: t.fiscal_year, text: t.text })),
    revisions: rows.revisions
      .filter((r) => r.indicator_id === i.id)
      .map((r) => ({ fromYear: r.from_year, note: r.note, ...termsOf(r) })),
  }));
  return { indicators, indicatorIds: ordered.map((i) => i.id) };
}

/** What an export's entries name their subjects by: project numbers, node keys, indicator ids in file order, names. */
interface EntryRefs {
  projects: Map<number, string>;
  nodes: Map<number, string>;
  indicators: number[];
  departments: Map<number, string>;
}

/** An entry's subject as the file names it, or null where the subject is not in the file (archived). */
function entrySubject(r: Awaited<ReturnType<typeof repo.listEntriesForExport>>[number], refs: EntryRefs) {
  const department = r.department_id === 0 ? null : (refs.departments.get(r.department_id) ?? null);
  const none = { projectNumber: null, nodeKey: null, indicator: null, department: null };
  switch (r.subject_kind) {
    case 'record':
    case 'project': {
      const projectNumber = refs.projects.get(r.subject_id);
      if (projectNumber === undefined) return null;
      return { ...none, projectNumber, department: r.subject_kind === 'record' ? department : null };
    }
    case 'node': {
      const nodeKey = refs.nodes.get(r.subject_id);
      return nodeKey === undefined ? null : { ...none, nodeKey };
    }
    case 'indicator': {
      const at = refs.indicators.indexOf(r.subject_id);
      return at < 0 ? null : { ...none, indicator: at + 1, department };
    }
    case 'plan':
      return none;
  }
}

/**
 * The plan's entries that hold a value, of subjects the file carries, by year, slot, subject (in the
 * file's order) and department: the same order whatever the ids.
 */
function exportEntries(
  rows: Awaited<ReturnType<typeof repo.listEntriesForExport>>,
  refs: EntryRefs,
  order: { projects: string[]; nodes: string[] },
): EntryExport[] {
  const entries: EntryExport[] = [];
  for (const r of rows) {
    if (r.code === null && r.level === null && r.reason === '' && r.comment === '') continue;
    const subject = entrySubject(r, refs);
    if (!subject) continue;
    const { code, level, reason, comment } = r;
    entries.push({
      slot: r.slot_key,
      fiscalYear: r.fiscal_year,
      subject: r.subject_kind,
      ...subject,
      code,
      level,
      reason,
      comment,
    });
  }
  const place = (e: EntryExport) =>
    e.projectNumber !== null
      ? order.projects.indexOf(e.projectNumber)
      : e.nodeKey !== null
        ? order.nodes.indexOf(e.nodeKey)
        : (e.indicator ?? 0);
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort(
    (a, b) =>
      a.fiscalYear - b.fiscalYear ||
      text(a.slot, b.slot) ||
      SUBJECT_RANK[a.subject] - SUBJECT_RANK[b.subject] ||
      place(a) - place(b) ||
      text(a.department ?? '', b.department ?? ''),
  );
}

const numberOf = (text: string): number | null => {
  const p = parseValue(text);
  return p.kind === 'number' ? p.value : null;
};

/** A file's terms as stored. */
function termsRow(
  t: Omit<
    IndicatorExport,
    | 'projectNumber'
    | 'nodeKey'
    | 'department'
    | 'name'
    | 'unit'
    | 'kind'
    | 'targets'
    | 'revisions'
    | 'startYear'
    | 'endYear'
  >,
): repo.IndicatorTermsRow {
  return {
    direction: t.direction,
    purpose: t.purpose,
    target_basis: t.targetBasis,
    baseline_value: numberOf(t.baseline),
    baseline_text: t.baseline,
    baseline_year: t.baselineYear,
    final_target_value: numberOf(t.finalTarget),
    final_target_text: t.finalTarget,
  };
}

/** The file's indicators under the projects and nodes just written, in the file's order within each. */
async function writeIndicators(
  tx: DbOrTx,
  at: { municipalityId: number; planId: number },
  indicators: IndicatorExport[],
  ids: { projects: Map<string, number>; nodes: Map<string, number> },
  dept: (name: string, index: number) => number,
): Promise<number[]> {
  const written: number[] = [];
  const positions = new Map<string, number>();
  for (const [index, i] of indicators.entries()) {
    const projectId = i.projectNumber === null ? null : ids.projects.get(i.projectNumber)!;
    const nodeId = projectId === null && i.nodeKey !== null ? ids.nodes.get(i.nodeKey)! : null;
    const owner = `${projectId ?? ''}:${nodeId ?? ''}`;
    const position = (positions.get(owner) ?? 0) + 1;
    positions.set(owner, position);
    const id = await repo.insertIndicatorFromFile(
      tx,
      { ...at, projectId, nodeId, position },
      {
        department_id: i.department === null ? null : dept(i.department, index),
        name: i.name,
        unit: i.unit,
        kind: i.kind,
        ...termsRow(i),
        first_year: i.startYear,
        last_year: i.endYear,
      },
      i.targets.map((t) => ({ fiscal_year: t.fiscalYear, value: numberOf(t.text), text: t.text })),
      i.revisions.map((r) => ({ from_year: r.fromYear, note: r.note, ...termsRow(r) })),
    );
    written.push(id);
  }
  return written;
}

/** The file's entries on the subjects just written; departments by name. */
async function writeEntries(
  tx: DbOrTx,
  at: { municipalityId: number; planId: number; actor: Actor | null },
  entries: EntryExport[],
  ids: { projects: Map<string, number>; nodes: Map<string, number>; indicators: number[] },
  dept: (name: string, index: number) => number,
): Promise<void> {
  const subjectId = (e: EntryExport): number => {
    if (e.projectNumber !== null) return ids.projects.get(e.projectNumber)!;
    if (e.nodeKey !== null) return ids.nodes.get(e.nodeKey)!;
    if (e.indicator !== null) return ids.indicators[e.indicator - 1]!;
    return at.planId;
  };
  await repo.insertEntriesFromFile(
    tx,
    entries.map((e, i) => ({
      municipality_id: at.municipalityId,
      plan_id: at.planId,
      fiscal_year: e.fiscalYear,
      slot_key: e.slot,
      subject_kind: e.subject,
      subject_id: subjectId(e),
      department_id: e.department === null ? 0 : dept(e.department, i),
      code: e.code,
      level: e.level,
      reason: e.reason,
      comment: e.comment,
    })),
    at.actor && { id: at.actor.user.id, displayName: at.actor.user.displayName },
  );
}

type DepartmentOf = (name: string, field: string, index: number, list?: string) => number;

/** Departments by name: where a name has been used by several units over the years, the one still active (or the newest). */
async function departmentsByName(tx: DbOrTx, municipalityId: number): Promise<DepartmentOf> {
  const rows = await listDepartmentRows(tx, municipalityId);
  const byName = new Map<string, number>();
  for (const d of [...rows].sort(
    (a, b) => (a.active_to === null ? 1 : 0) - (b.active_to === null ? 1 : 0) || a.id - b.id,
  ))
    byName.set(d.name, d.id);
  return (name, field, index, list = 'projects') => {
    const id = byName.get(name);
    if (id === undefined)
      throw invalid(
        `${list}.${index}.${field}`,
        `課「${name}」がこの自治体に登録されていません。先に組織に登録してください`,
      );
    return id;
  };
}

/** The file's nodes and projects under a new plan: the ids of each, by key and by number. */
async function writeTree(
  tx: DbOrTx,
  at: { municipalityId: number; planId: number },
  file: PlanExportInput,
  dept: DepartmentOf,
): Promise<{ nodes: Map<string, number>; projects: Map<string, number> }> {
  const ids = new Map<string, number>();
  for (const n of file.nodes) {
    const id = await insertNode(tx, at.municipalityId, at.planId, {
      parentId: n.parentKey === null ? null : ids.get(n.parentKey)!,
      title: n.title,
      description: n.description,
      numberOverride: n.numberOverride,
      priority: n.priority,
      subPlans: n.subPlans,
      startYear: n.startYear ?? null,
      endYear: n.endYear ?? null,
      countsInNumbering: n.countsInNumbering ?? true,
    });
    ids.set(n.key, id);
  }
  const projectIds = new Map<string, number>();
  for (const [i, p] of file.projects.entries()) {
    const projectId = await insertProject(tx, at.municipalityId, at.planId, {
      nodeId: ids.get(p.nodeKey)!,
      number: p.number,
      name: p.name,
      summary: p.summary,
      category: p.category,
      audience: p.audience,
      custom: p.custom ?? {},
      leadDepartmentId: dept(p.leadDepartment, 'leadDepartment', i),
      coDepartmentIds: p.coDepartments.map((d) => dept(d, 'coDepartments', i)),
      crossListNodeIds: p.crossListNodeKeys.map((k) => ids.get(k)!),
      startYear: p.startYear ?? null,
      endYear: p.endYear ?? null,
    });
    projectIds.set(p.number, projectId);
  }
  return { nodes: ids, projects: projectIds };
}

/**
 * Writes a plan structure file as a new plan, with the evaluations it carries (stamped with the
 * importing user, where there is one). Departments are found by name (see departmentsByName).
 */
export async function writePlanFromExport(
  tx: DbOrTx,
  municipalityId: number,
  file: PlanExportInput,
  actor: Actor | null = null,
): Promise<number> {
  const dept = await departmentsByName(tx, municipalityId);
  const plan = planExportSchema.shape.plan.parse(file.plan);
  const [first, ...later] = evaluationOfExport(plan);
  const planId = await insertPlan(tx, municipalityId, {
    ...plan,
    levels: file.levels.map((l) => ({ ...l, numberHeading: l.numberHeading ?? '' })),
    evaluation: first!.config,
  });
  for (const v of later)
    await repo.insertEvaluationVersion(
      tx,
      { municipalityId, planId, fromYear: v.fromYear, definition: JSON.stringify(v.config), note: v.note },
      null,
    );
  const at = { municipalityId, planId };
  const tree = await writeTree(tx, at, file, dept);
  const indicators = await writeIndicators(
    tx,
    at,
    planExportSchema.shape.indicators.parse(file.indicators ?? []),
    tree,
    (name, index) => dept(name, 'department', index, 'indicators'),
  );
  await writeEntries(
    tx,
    { ...at, actor },
    planExportSchema.shape.entries.parse(file.entries ?? []),
    { ...tree, indicators },
    (name, index) => dept(name, 'department', index, 'entries'),
  );
  return planId;
}

export async function importPlan(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  file: PlanExport,
): Promise<PlanDetail> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const planId = await writePlanFromExport(tx, municipalityId, file, actor);
    await audit(tx, actor, {
      municipalityId,
      action: 'import',
      entity: 'plan',
      entityId: planId,
      detail: {
        title: file.plan.title,
        nodes: file.nodes.length,
        projects: file.projects.length,
        entries: file.entries.length,
      },
    });
    return loadPlanDetail(tx, municipalityId, planId);
  });
}
