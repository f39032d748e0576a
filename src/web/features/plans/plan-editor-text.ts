import type { PlanDetail, PlanNode, Project } from '../../lib/types.js';
import type { TreeIndex } from './tree-model.js';
import type { ArchivedItem } from './ArchiveSection.js';
import type { PendingDelete, PendingNumbering } from './plan-editor-actions.js';

/** The name of a node's level (基本目標, 施策, …). */
export function levelName(plan: PlanDetail, n: PlanNode): string {
  return plan.levels[n.depth]?.name ?? '項目';
}

/** 基本目標「意識づくり」 */
export function nodeLabel(plan: PlanDetail, n: PlanNode): string {
  return `${levelName(plan, n)}「${n.title}」`;
}

/** 事業12「啓発講座」 */
export function projectLabel(p: Project): string {
  return `事業${p.number}「${p.name}」`;
}

export function archivedItemLabel(plan: PlanDetail, item: ArchivedItem): string {
  return item.kind === 'node' ? nodeLabel(plan, item.node) : projectLabel(item.project);
}

/** What the numbering question is about: the new node under its level's name, or the node being moved. */
export function numberingSubject(plan: PlanDetail, index: TreeIndex, p: PendingNumbering | null): string {
  if (p === null) return '';
  if (p.op === 'move') return nodeLabel(plan, p.node);
  const depth = p.parentId === null ? 0 : index.nodeById.get(p.parentId)!.depth + 1;
  return `${plan.levels[depth]?.name ?? '項目'}「${p.draft.title}」`;
}

export function deleteTitle(plan: PlanDetail, d: PendingDelete | null): string {
  if (d === null) return '';
  return `${d.kind === 'node' ? nodeLabel(plan, d.node) : projectLabel(d.project)}を削除します`;
}
