import type { TreeItem } from './tree-model.js';

/** What a key does in the plan tree. */
export type TreeKeyAction =
  | { kind: 'focus'; key: string }
  | { kind: 'toggle'; nodeId: number; open: boolean }
  | { kind: 'move'; nodeId: number; direction: -1 | 1 }
  | { kind: 'select' }
  /** the key belongs to the tree, but does nothing here (the first row has no row above…) */
  | { kind: 'none' };

const focus = (item: TreeItem | undefined): TreeKeyAction =>
  item ? { kind: 'focus', key: item.key } : { kind: 'none' };

/** → opens a closed node, or goes to its first child. */
function right(item: TreeItem, next: TreeItem | undefined, expanded: ReadonlySet<number>): TreeKeyAction {
  if (item.kind !== 'node' || !item.hasChildren) return { kind: 'none' };
  return expanded.has(item.node.id) ? focus(next) : { kind: 'toggle', nodeId: item.node.id, open: true };
}

/** ← closes an open node, or goes to the parent. */
function left(item: TreeItem, expanded: ReadonlySet<number>): TreeKeyAction {
  if (item.kind === 'node' && item.hasChildren && expanded.has(item.node.id))
    return { kind: 'toggle', nodeId: item.node.id, open: false };
  return item.parentKey ? { kind: 'focus', key: item.parentKey } : { kind: 'none' };
}

/**
 * The WAI-ARIA tree's keys on the row at `at`: ↑ ↓ Home End walk, → ← open and close, Enter and Space
 * select, Alt+↑/↓ move a node. Null for a key the tree leaves alone.
 */
export function treeKeyAction(
  e: { key: string; altKey: boolean },
  items: TreeItem[],
  at: number,
  expanded: ReadonlySet<number>,
): TreeKeyAction | null {
  const item = items[at];
  if (!item) return null;
  if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
    if (item.kind !== 'node') return { kind: 'none' };
    return { kind: 'move', nodeId: item.node.id, direction: e.key === 'ArrowUp' ? -1 : 1 };
  }
  switch (e.key) {
    case 'ArrowDown':
      return focus(items[at + 1]);
    case 'ArrowUp':
      return focus(items[at - 1]);
    case 'Home':
      return focus(items[0]);
    case 'End':
      return focus(items[items.length - 1]);
    case 'ArrowRight':
      return right(item, items[at + 1], expanded);
    case 'ArrowLeft':
      return left(item, expanded);
    case 'Enter':
    case ' ':
      return { kind: 'select' };
    default:
      return null;
  }
}
