import type { PlanDetail, PlanNode, Project } from '../../lib/types.js';

export type TreeItem =
  | {
      kind: 'node';
      key: string;
      node: PlanNode;
      level: number;
      setSize: number;
      posInSet: number;
      hasChildren: boolean;
      parentKey: string | null;
    }
  | {
      kind: 'project';
      key: string;
      project: Project;
      nodeId: number;
      crossListed: boolean;
      level: number;
      setSize: number;
      posInSet: number;
      parentKey: string;
    };

export const nodeKey = (id: number) => `n${id}`;
export const projectKey = (projectId: number, nodeId: number) => `p${projectId}@${nodeId}`;

export interface TreeIndex {
  childrenOf: Map<number | null, PlanNode[]>;
  projectsUnder: Map<number, { project: Project; crossListed: boolean }[]>;
  nodeById: Map<number, PlanNode>;
}

/**
 * The live tree: archived nodes and projects are left out (they are listed apart, in the editor's
 * アーカイブ section), and so are cross-listings under archived nodes. `nodeById` still knows
 * every node, so that paths and labels of archived ones can be read.
 */
export function indexPlan(plan: PlanDetail): TreeIndex {
  const live = plan.nodes.filter((n) => !n.archived);
  const liveIds = new Set(live.map((n) => n.id));
  const childrenOf = new Map<number | null, PlanNode[]>();
  for (const n of live) childrenOf.set(n.parentId, [...(childrenOf.get(n.parentId) ?? []), n]);
  for (const list of childrenOf.values()) list.sort((a, b) => a.position - b.position || a.id - b.id);
  const projectsUnder = new Map<number, { project: Project; crossListed: boolean }[]>();
  const sorted = plan.projects
    .filter((p) => !p.archived && liveIds.has(p.nodeId))
    .sort((a, b) => a.position - b.position || a.id - b.id);
  for (const p of sorted)
    projectsUnder.set(p.nodeId, [...(projectsUnder.get(p.nodeId) ?? []), { project: p, crossListed: false }]);
  for (const p of sorted)
    for (const n of p.crossListNodeIds.filter((id) => liveIds.has(id)))
      projectsUnder.set(n, [...(projectsUnder.get(n) ?? []), { project: p, crossListed: true }]);
  return { childrenOf, projectsUnder, nodeById: new Map(plan.nodes.map((n) => [n.id, n])) };
}

/** The rows a user sees, in order, given which nodes are expanded. */
export function visibleItems(index: TreeIndex, expanded: ReadonlySet<number>): TreeItem[] {
  const out: TreeItem[] = [];
  const walk = (parentId: number | null, level: number, parentKey: string | null) => {
    const nodes = index.childrenOf.get(parentId) ?? [];
    const projects = parentId === null ? [] : (index.projectsUnder.get(parentId) ?? []);
    const setSize = nodes.length + projects.length;
    nodes.forEach((node, i) => {
      const hasChildren =
        (index.childrenOf.get(node.id)?.length ?? 0) + (index.projectsUnder.get(node.id)?.length ?? 0) > 0;
      out.push({ kind: 'node', key: nodeKey(node.id), node, level, setSize, posInSet: i + 1, hasChildren, parentKey });
      if (hasChildren && expanded.has(node.id)) walk(node.id, level + 1, nodeKey(node.id));
    });
    projects.forEach((p, i) => out.push(projectRow(p, parentId!, parentKey!, level, setSize, nodes.length + i + 1)));
  };
  walk(null, 1, null);
  return out;
}

/** A project's row under its node (a project listed again elsewhere has a row there too). */
function projectRow(
  { project, crossListed }: { project: Project; crossListed: boolean },
  nodeId: number,
  parentKey: string,
  level: number,
  setSize: number,
  posInSet: number,
): TreeItem {
  return {
    kind: 'project',
    key: projectKey(project.id, nodeId),
    project,
    nodeId,
    crossListed,
    level,
    setSize,
    posInSet,
    parentKey,
  };
}

/** What a search asks of each node and project: whether it matches by itself. */
export type TreeMatch = (thing: { kind: 'node'; node: PlanNode } | { kind: 'project'; project: Project }) => boolean;

/**
 * The rows a search shows, in tree order: every node and project that matches, with the nodes above
 * them (open, so the match is in view). Sizes and positions count the rows shown.
 */
export function searchItems(index: TreeIndex, isMatch: TreeMatch): TreeItem[] {
  const memo = new Map<number, boolean>();
  const projectHits = (nodeId: number) =>
    (index.projectsUnder.get(nodeId) ?? []).filter(({ project }) => isMatch({ kind: 'project', project }));
  const holdsMatch = (node: PlanNode): boolean => {
    const known = memo.get(node.id);
    if (known !== undefined) return known;
    const found =
      isMatch({ kind: 'node', node }) ||
      projectHits(node.id).length > 0 ||
      (index.childrenOf.get(node.id) ?? []).some(holdsMatch);
    memo.set(node.id, found);
    return found;
  };
  const out: TreeItem[] = [];
  const walk = (parentId: number | null, level: number, parentKey: string | null) => {
    const nodes = (index.childrenOf.get(parentId) ?? []).filter(holdsMatch);
    const projects = parentId === null ? [] : projectHits(parentId);
    const setSize = nodes.length + projects.length;
    nodes.forEach((node, i) => {
      const hasChildren = (index.childrenOf.get(node.id) ?? []).some(holdsMatch) || projectHits(node.id).length > 0;
      out.push({ kind: 'node', key: nodeKey(node.id), node, level, setSize, posInSet: i + 1, hasChildren, parentKey });
      if (hasChildren) walk(node.id, level + 1, nodeKey(node.id));
    });
    projects.forEach((p, i) => out.push(projectRow(p, parentId!, parentKey!, level, setSize, nodes.length + i + 1)));
  };
  walk(null, 1, null);
  return out;
}

/**
 * Where Alt+↑ / Alt+↓ sends a node: one place up or down among its siblings, or, at the edge,
 * to the end (or start) of the neighbouring parent on the same level. Null when it cannot move.
 */
export function keyboardMoveTarget(
  index: TreeIndex,
  nodeId: number,
  direction: -1 | 1,
): { parentId: number | null; index: number } | null {
  const node = index.nodeById.get(nodeId);
  if (!node) return null;
  const siblings = index.childrenOf.get(node.parentId) ?? [];
  const at = siblings.findIndex((s) => s.id === nodeId);
  const next = at + direction;
  if (next >= 0 && next < siblings.length) return { parentId: node.parentId, index: next };
  if (node.parentId === null) return null;
  const parent = index.nodeById.get(node.parentId)!;
  const uncles = index.childrenOf.get(parent.parentId) ?? [];
  const parentAt = uncles.findIndex((u) => u.id === parent.id);
  const neighbour = uncles[parentAt + direction];
  if (!neighbour) return null;
  const cousins = index.childrenOf.get(neighbour.id) ?? [];
  return { parentId: neighbour.id, index: direction === -1 ? cousins.length : 0 };
}

/**
 * The editor counts places among the live siblings; the server counts archived ones too (they keep
 * their positions). Turns "before the live sibling at `liveIndex`" into the server's index among
 * the new siblings without the moved node.
 */
export function serverMoveIndex(plan: PlanDetail, parentId: number | null, movedId: number, liveIndex: number): number {
  const all = plan.nodes
    .filter((n) => n.parentId === parentId && n.id !== movedId)
    .sort((a, b) => a.position - b.position || a.id - b.id);
  const target = all.filter((n) => !n.archived)[liveIndex];
  return target ? all.indexOf(target) : all.length;
}

/** Nodes a node may move under: every node one level up (or the top level for a top node). */
export function eligibleParents(plan: PlanDetail, node: PlanNode): PlanNode[] {
  if (node.depth === 0) return [];
  return plan.nodes.filter((n) => n.depth === node.depth - 1 && !n.archived);
}

/** The path of titles from the top to a node, for labels like Ⅰ › (1) › ①. */
export function nodePath(index: TreeIndex, nodeId: number): PlanNode[] {
  const path: PlanNode[] = [];
  for (let n = index.nodeById.get(nodeId); n; n = n.parentId === null ? undefined : index.nodeById.get(n.parentId))
    path.unshift(n);
  return path;
}
