import { inYear } from '../../../domain/effective.js';
import { numbersForYear, type NumberingScope, type NumberingStyle } from '../../../domain/numbering.js';
import type { DbOrTx } from '../../db/types.js';
import {
  fixedNumbers,
  insertYearRows,
  listLevelRows,
  listNodeRows,
  listNumberingNodes,
  listProjectRows,
  listRoundYears,
  listYearNodeRows,
  listYearProjectRows,
  planSpan,
  yearIsFixed,
} from './plans.repository.js';

export { lastFixedYear } from './plans.repository.js';

/**
 * The years of a plan's structure. Nodes and projects apply from `first_year` to `last_year`. A
 * year's tree is read from the live tree (what applies in it, numbered as it stands) until the
 * year's first answer is approved or its first report published; then the year's structure as
 * printed — numbers, titles, places — is written to `year_nodes`/`year_projects` and read from
 * there, so that later changes to the tree change later years only. See docs/effective-dating.md.
 */

export interface SpanRow {
  first_year: number | null;
  last_year: number | null;
}

export const rowInYear = (r: SpanRow, year: number) => inYear({ firstYear: r.first_year, lastYear: r.last_year }, year);

/**
 * The year the plan is being worked on now: the year of its open round; else the year after its
 * latest round (the one being prepared); else null, for a plan that has had no round yet (then
 * what is added belongs to the whole plan period). Clamped to the plan period.
 */
export async function currentYearOf(db: DbOrTx, planId: number): Promise<number | null> {
  const plan = await planSpan(db, planId);
  const rounds = await listRoundYears(db, planId);
  const open = rounds.find((r) => r.status === 'open');
  const year = open ? open.fiscal_year : rounds.length ? rounds[0]!.fiscal_year + 1 : null;
  if (year === null) return null;
  return Math.min(Math.max(year, plan.first_year), plan.last_year);
}

/** The numbers fixed for a year (empty while the year is not fixed). */
export function frozenNumbers(db: DbOrTx, planId: number, year: number): Promise<Map<number, string>> {
  return fixedNumbers(db, planId, year);
}

export interface NodeForNumbering extends SpanRow {
  id: number;
  parent_id: number | null;
  depth: number;
  position: number;
  number_override: string | null;
  counts_in_numbering: number;
}

/** A node row as the numbering reads it. */
export const numberingNode = (n: Omit<NodeForNumbering, keyof SpanRow>) => ({
  id: n.id,
  parentId: n.parent_id,
  depth: n.depth,
  position: n.position,
  numberOverride: n.number_override,
  countsInNumbering: n.counts_in_numbering !== 0,
});

type LevelRow = { numbering_style: NumberingStyle; numbering_scope: NumberingScope };

/** Printed numbers of the nodes that apply in `year` (all nodes for null), fixed ones first. */
export async function numbersOfYear(
  db: DbOrTx,
  planId: number,
  year: number | null,
  nodes?: NodeForNumbering[],
): Promise<Map<number, string>> {
  const [rows, levels, frozen] = await Promise.all([
    nodes ?? listNumberingNodes(db, planId),
    listLevelRows(db, planId),
    year === null ? Promise.resolve(new Map<number, string>()) : frozenNumbers(db, planId, year),
  ]);
  return numberNodes(rows, levels, year, frozen);
}

export function numberNodes(
  rows: readonly NodeForNumbering[],
  levels: readonly LevelRow[],
  year: number | null,
  frozen: ReadonlyMap<number, string>,
): Map<number, string> {
  const active = year === null ? rows : rows.filter((n) => rowInYear(n, year));
  return numbersForYear(
    active.map(numberingNode),
    levels.map((l) => ({ style: l.numbering_style, scope: l.numbering_scope })),
    frozen,
  );
}

/**
 * A year's structure as its sheets and reports print it: the fixed rows where the year is fixed
 * (with nodes and projects added to the year afterwards after them), else the live tree of what
 * applies in the year. Each node carries its printed number.
 */
export async function yearStructure(
  db: DbOrTx,
  planId: number,
  year: number,
  only?: { projectIds: number[] },
  /** `summary: false`: the projects' summaries are left unread (empty), for a report that does not print them */
  read: { summary?: boolean } = {},
) {
  // A sheet needs every node (numbers run through the plan) but only its own projects.
  const ids = only ? (only.projectIds.length ? only.projectIds : [-1]) : null;
  const [liveNodes, liveProjects, levels, fixedNodes, fixedProjects] = await Promise.all([
    listNodeRows(db, planId),
    listProjectRows(db, planId, ids, read.summary ?? true),
    listLevelRows(db, planId),
    listYearNodeRows(db, planId, year),
    listYearProjectRows(db, planId, year, ids),
  ]);
  const fixedNode = new Map(fixedNodes.map((n) => [n.node_id, n]));
  const fixedProject = new Map(fixedProjects.map((p) => [p.project_id, p]));
  const nodes = liveNodes
    .filter((n) => fixedNode.has(n.id) || rowInYear(n, year))
    .map((n) => {
      const f = fixedNode.get(n.id);
      return f ? { ...n, parent_id: f.parent_id, depth: f.depth, position: f.position, title: f.title } : n;
    });
  const frozen = new Map(fixedNodes.map((n) => [n.node_id, n.number]));
  const numbers = numberNodes(nodes, levels, null, frozen);
  const nodeIds = new Set(nodes.map((n) => n.id));
  const projects = liveProjects
    .filter((p) => fixedProject.has(p.id) || rowInYear(p, year))
    .map((p) => {
      const f = fixedProject.get(p.id);
      return f ? { ...p, node_id: f.node_id, position: f.position, number: f.number, name: f.name } : p;
    })
    .filter((p) => nodeIds.has(p.node_id));
  return { nodes, projects, numbers, levels, fixed: fixedNodes.length > 0 };
}

/**
 * Fixes a year's structure as printed, once: called when the first answer of the year is approved
 * and when a report of the year is published.
 */
export async function freezeYear(db: DbOrTx, municipalityId: number, planId: number, year: number): Promise<void> {
  if (await yearIsFixed(db, planId, year)) return;
  const s = await yearStructure(db, planId, year);
  const nodes = s.nodes.map((n) => ({
    municipality_id: municipalityId,
    plan_id: planId,
    fiscal_year: year,
    node_id: n.id,
    parent_id: n.parent_id,
    depth: n.depth,
    position: n.position,
    number: s.numbers.get(n.id) ?? '',
    title: n.title,
  }));
  const projects = s.projects.map((p) => ({
    municipality_id: municipalityId,
    plan_id: planId,
    fiscal_year: year,
    project_id: p.id,
    node_id: p.node_id,
    position: p.position,
    number: p.number,
    name: p.name,
  }));
  await insertYearRows(db, nodes, projects);
}

/** Each node's place in the printed order (depth-first, siblings by position). */
export function treeOrder(
  nodes: readonly { id: number; parent_id: number | null; position: number }[],
): Map<number, number> {
  const order = new Map<number, number>();
  const children = new Map<number | null, (typeof nodes)[number][]>();
  for (const n of nodes) children.set(n.parent_id, [...(children.get(n.parent_id) ?? []), n]);
  const walk = (parent: number | null) => {
    for (const n of (children.get(parent) ?? []).sort((a, b) => a.position - b.position || a.id - b.id)) {
      order.set(n.id, order.size);
      walk(n.id);
    }
  };
  walk(null);
  return order;
}

/** A year's projects in the order the plan prints them. */
export function projectsInTreeOrder<P extends { id: number; node_id: number; position: number }>(
  nodes: readonly { id: number; parent_id: number | null; position: number }[],
  projects: readonly P[],
): P[] {
  const order = treeOrder(nodes);
  return [...projects].sort(
    (a, b) => (order.get(a.node_id) ?? 0) - (order.get(b.node_id) ?? 0) || a.position - b.position || a.id - b.id,
  );
}
