import { numberTree, ordinalOf, type LevelNumbering } from '../numbering.js';

/**
 * Which node of an existing plan a file's node is: the file prints numbers its own way (Ⅰ, I, 1,
 * (1), （１）, ①, 1-2, Ⅰ-1, (3-1)) and the plan prints them by its levels' styles, so numbers are
 * compared as ordinal paths (Ⅰ ≡ I ≡ 1 ≡ ①) under the same parent at the same level, titles after
 * NFKC without spaces. A node is new only when neither its number nor its title matches.
 */

export interface PlanNode {
  id: number;
  parentId: number | null;
  depth: number;
  position: number;
  numberOverride: string | null;
  countsInNumbering: boolean;
  title: string;
  /** archived nodes keep their place in the numbering but take no rows */
  archived: boolean;
}

/** 「(3-1)」 → [3, 1], 「Ⅰ-1」 → [1, 1], 「（１）」 → [1], 「①」 → [1], 「II」 → [2]; null when it is not a number. */
export function ordinalPath(printed: string): number[] | null {
  const text = printed
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^\((.*)\)$/, '$1')
    .replace(/[‐‑–—―ー−]/g, '-');
  if (!text) return null;
  const path: number[] = [];
  for (const part of text.split('-')) {
    const n = ordinalOf(part.toUpperCase());
    if (n === null) return null;
    path.push(n);
  }
  return path;
}

/** The same place: equal paths, or (where one prints its parent's number too: 1-2 against (2)) the same last ordinal. */
export function samePlace(a: readonly number[], b: readonly number[]): boolean {
  if (a.length === b.length) return a.every((n, i) => n === b[i]);
  return a[a.length - 1] === b[b.length - 1];
}

export const normalTitle = (title: string): string => title.normalize('NFKC').replace(/\s+/g, '');

interface Candidate {
  id: number;
  depth: number;
  path: number[] | null;
  title: string;
  label: string;
}

export class NodeMatcher {
  private readonly children = new Map<number | null, Candidate[]>();

  constructor(nodes: readonly PlanNode[], levels: readonly LevelNumbering[]) {
    const numbers = numberTree(nodes, levels);
    for (const n of nodes) {
      if (n.archived) continue;
      this.add(n.parentId, { id: n.id, depth: n.depth, number: numbers.get(n.id) ?? '', title: n.title });
    }
  }

  /** A node of the plan (or one the import has just added) under its parent. */
  add(parentId: number | null, n: { id: number; depth: number; number: string; title: string }): void {
    const list = this.children.get(parentId) ?? [];
    list.push({
      id: n.id,
      depth: n.depth,
      path: n.number ? ordinalPath(n.number) : null,
      title: normalTitle(n.title),
      label: `${n.number} ${n.title}`.trim(),
    });
    this.children.set(parentId, list);
  }

  /** The node under `parentId` at `depth` that a file's 「number title」 names, or null for a new one. */
  match(parentId: number | null, depth: number, number: string, title: string): { id: number; label: string } | null {
    const here = (this.children.get(parentId) ?? []).filter((c) => c.depth === depth);
    const path = number ? ordinalPath(number) : null;
    const t = normalTitle(title);
    const byTitle = t ? here.filter((c) => c.title === t) : [];
    const byNumber = path ? here.filter((c) => c.path !== null && samePlace(c.path, path)) : [];
    const hit = byTitle.find((c) => byNumber.includes(c)) ?? byTitle[0] ?? byNumber[0];
    return hit ? { id: hit.id, label: hit.label } : null;
  }
}
