import { inTreeOrder } from '../../domain/tree.js';

/** A node as the selects that choose one list it: in tree order, indented by its depth below the shallowest listed. */
export interface TreeOption {
  value: number;
  /** 「① 広報・啓発活動の充実」: the node's number and title */
  label: string;
  /** levels below the shallowest node listed, for the indentation */
  indent: number;
  disabled?: boolean;
}

interface OptionNode {
  id: number;
  parentId: number | null;
  position: number;
  depth: number;
  number: string;
  title: string;
  archived?: boolean;
}

/**
 * The live nodes to choose from (掲載先, 再掲先, the move target, a filter), in the order the tree shows
 * them — each parent before its children — whatever order they were read in.
 */
export function treeOptions<T extends OptionNode>(
  nodes: readonly T[],
  opts: { keep?: (n: T) => boolean; disabled?: (n: T) => boolean } = {},
): TreeOption[] {
  const ordered = inTreeOrder(nodes.filter((n) => !n.archived)).filter(opts.keep ?? (() => true));
  const top = Math.min(...ordered.map((n) => n.depth));
  return ordered.map((n) => ({
    value: n.id,
    label: `${n.number} ${n.title}`.trim(),
    indent: n.depth - top,
    disabled: opts.disabled?.(n) || undefined,
  }));
}

/** An option's text in a <select>, indented with full-width spaces (a select's options take no padding). */
export const indentedLabel = (o: TreeOption): string => `${'\u3000'.repeat(o.indent)}${o.label}`;
