import type { Department } from '../../lib/types.js';

/**
 * The departments in the order of the org chart: each 部 followed by its 課 (and theirs), with how deep
 * each sits. A unit whose parent is not in the list starts a tree of its own.
 */
export function departmentTree(all: Department[]): { department: Department; depth: number }[] {
  const out: { department: Department; depth: number }[] = [];
  const walk = (list: Department[], depth: number) => {
    for (const d of list) {
      out.push({ department: d, depth });
      walk(
        all.filter((c) => c.parentId === d.id),
        depth + 1,
      );
    }
  };
  walk(
    all.filter((d) => d.parentId === null || !all.some((p) => p.id === d.parentId)),
    0,
  );
  return out;
}
