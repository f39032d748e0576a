/** Rules for the plan tree that hold whatever the storage: no cycles, parents one level up. */

export interface TreeLink {
  id: number;
  parentId: number | null;
}

/** Every id below `rootId` (not including it). */
export function descendantIds(nodes: readonly TreeLink[], rootId: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const n of nodes) {
    if (n.parentId === null) continue;
    const list = children.get(n.parentId) ?? [];
    list.push(n.id);
    children.set(n.parentId, list);
  }
  const out = new Set<number>();
  const stack = [...(children.get(rootId) ?? [])];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** True when making `newParentId` the parent of `nodeId` would close a loop. */
export function wouldCreateCycle(nodes: readonly TreeLink[], nodeId: number, newParentId: number | null): boolean {
  if (newParentId === null) return false;
  if (newParentId === nodeId) return true;
  return descendantIds(nodes, nodeId).has(newParentId);
}

/** Reorders ids so that `movedId` sits at `index`, keeping the others in order. */
export function placeAt<T>(ids: readonly T[], movedId: T, index: number): T[] {
  const rest = ids.filter((id) => id !== movedId);
  const at = Math.max(0, Math.min(index, rest.length));
  return [...rest.slice(0, at), movedId, ...rest.slice(at)];
}

export interface TitledNode extends TreeLink {
  title: string;
}

/** 「Ⅰ 意識づくり › (1) 啓発 › ① 広報」: the printed path from the top to a node. */
export function nodePathLabel(
  byId: ReadonlyMap<number, TitledNode>,
  numbers: ReadonlyMap<number, string>,
  nodeId: number,
): string {
  const parts: string[] = [];
  for (let n = byId.get(nodeId); n; n = n.parentId === null ? undefined : byId.get(n.parentId))
    parts.unshift(`${numbers.get(n.id) ?? ''} ${n.title}`.trim());
  return parts.join(' › ');
}

/** Ids from the root down to each node (inclusive), computed once per node. */
export function pathFinder(nodes: readonly TreeLink[]): (nodeId: number) => number[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const paths = new Map<number, number[]>();
  return (nodeId) => {
    const known = paths.get(nodeId);
    if (known) return known;
    const path: number[] = [];
    for (let n = byId.get(nodeId); n; n = n.parentId === null ? undefined : byId.get(n.parentId)) path.unshift(n.id);
    paths.set(nodeId, path);
    return path;
  };
}

/** Nodes in the order the plan prints them: depth first, siblings by position. */
export function inTreeOrder<T extends TreeLink & { position: number }>(nodes: readonly T[]): T[] {
  const children = new Map<number | null, T[]>();
  for (const n of nodes) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n]);
  const out: T[] = [];
  const present = new Set(nodes.map((n) => n.id));
  const walk = (parent: number | null) => {
    for (const n of (children.get(parent) ?? []).sort((a, b) => a.position - b.position || a.id - b.id)) {
      out.push(n);
      walk(n.id);
    }
  };
  // Roots: nodes whose parent is not among those given.
  const roots = [
    ...new Set(nodes.filter((n) => n.parentId === null || !present.has(n.parentId)).map((n) => n.parentId)),
  ];
  for (const root of roots) walk(root);
  return out;
}
