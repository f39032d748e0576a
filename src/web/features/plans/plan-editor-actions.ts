import { useCallback, useState, type Dispatch, type SetStateAction } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import type { ArchivedAnswer, NumberingPreview, PlanDetail, PlanNode, Project } from '../../lib/types.js';
import type { NodeDraft } from './NodePanel.js';
import type { ProjectDraft } from './ProjectPanel.js';
import type { PlanSettingsDraft } from './PlanSettings.js';
import type { ArchivedItem } from './ArchiveSection.js';
import type { ToastMessage } from '../../components/Toast.js';
import {
  keyboardMoveTarget,
  nodeKey,
  projectKey,
  serverMoveIndex,
  type TreeIndex,
  type TreeItem,
} from './tree-model.js';
import { archivedItemLabel, nodeLabel, projectLabel } from './plan-editor-text.js';

export type Selection =
  | { kind: 'node'; id: number }
  | { kind: 'project'; id: number; nodeId: number }
  | { kind: 'new-node'; parentId: number | null }
  | { kind: 'new-project'; nodeId: number }
  | { kind: 'settings' }
  | null;

/** A row to bring into view once the plan is read again (numbered, so the same row can be revealed twice). */
export interface Reveal {
  key: string;
  focus: boolean;
  n: number;
}

/** A node change waiting for the coordinator's choice about the numbers it would change. */
export type PendingNumbering =
  | { op: 'create'; draft: NodeDraft; parentId: number | null; preview: NumberingPreview }
  | {
      op: 'move';
      node: PlanNode;
      /** where it was, for 「元に戻す」 */
      from: Place;
      parentId: number | null;
      index: number;
      preview: NumberingPreview;
    };

/** A node's place as the server counts it: its parent and its index among the other children (archived ones too). */
export interface Place {
  parentId: number | null;
  index: number;
}

/** Where a node is now, as a move back would name it. */
export function placeOf(plan: PlanDetail, n: PlanNode): Place {
  const before = plan.nodes.filter(
    (o) =>
      o.parentId === n.parentId &&
      o.id !== n.id &&
      (o.position < n.position || (o.position === n.position && o.id < n.id)),
  );
  return { parentId: n.parentId, index: before.length };
}

/** A deletion waiting for confirmation; for a node, with what its removal would renumber. */
export type PendingDelete =
  { kind: 'node'; node: PlanNode; preview: NumberingPreview | null } | { kind: 'project'; project: Project };

export interface Notice {
  text: string;
  tone: 'done' | 'info';
  /** undoes what the notice reports (a move): offered as 「元に戻す」 */
  undo?: () => void;
}

/** What a change says when it went through: a notice, a message, or nothing. */
type Done = Notice | string | void;

/** Runs one change; `done` may answer the message to show on screen when it went through. */
export type Run = <T>(fn: () => Promise<T>, done?: (result: T) => Done, place?: 'panel' | 'archive') => void;

let toastCount = 0;

/** The editor's one channel of changes: each reads the plan again, then says what it did. */
export function usePlanRun(mid: number, pid: number) {
  const client = useQueryClient();
  const [notice, setNoticeState] = useState<Notice | null>(null);
  // The same message, shown on screen where it is seen (the live region above says it to screen readers).
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const setNotice = useCallback((n: Notice | null) => {
    setNoticeState(n);
    if (n) setToast({ ...n, id: ++toastCount });
  }, []);
  const closeToast = useCallback(() => setToast(null), []);
  /** where the last action's error is shown: beside the panel's form, or in the アーカイブ section */
  const [errorPlace, setErrorPlace] = useState<'panel' | 'archive'>('panel');
  const mutation = useMutation({
    // each change answers what to say once the plan has been read again
    mutationFn: (fn: () => Promise<() => Done>) => fn(),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['plan', mid, pid] });
    },
  });
  const run: Run = useCallback(
    (fn, done, place = 'panel') => {
      setErrorPlace(place);
      setNotice(null);
      mutation.mutate(
        async () => {
          const result = await fn();
          return () => done?.(result);
        },
        {
          onSuccess: (say) => {
            const message = say();
            if (message) setNotice(typeof message === 'string' ? { text: message, tone: 'done' } : message);
          },
        },
      );
    },
    [mutation, setNotice],
  );
  return {
    run,
    notice,
    setNotice,
    toast,
    closeToast,
    busy: mutation.isPending,
    panelError: errorPlace === 'panel' ? mutation.error : null,
    archiveError: errorPlace === 'archive' ? mutation.error : null,
    reset: mutation.reset,
  };
}

/** What the editor's changes act on and set. */
export interface EditorContext {
  mid: number;
  pid: number;
  plan: PlanDetail;
  index: TreeIndex;
  run: Run;
  selection: Selection;
  setSelection(s: Selection): void;
  setFocusedKey(key: string | null): void;
  /** brings a row of the tree into view once the plan is read again; `focus` also moves the focus to it */
  reveal(key: string, focus: boolean): void;
  setNotice(n: Notice | null): void;
  setPendingNumbering: Dispatch<SetStateAction<PendingNumbering | null>>;
  setPendingDelete: Dispatch<SetStateAction<PendingDelete | null>>;
}

const previewUrl = (c: EditorContext) => `/api/m/${c.mid}/plans/${c.pid}/numbering-preview`;

/** Moving nodes: from the panel, by keyboard, by drag and drop; asking first when numbers would change. */
export function nodeMoves(c: EditorContext) {
  const { mid, plan, index, run } = c;
  /** Moves a node back where it was before a move, through the API, as the move kept or changed numbers. */
  const undoMove = (n: PlanNode, from: Place, keepNumbers: boolean) =>
    run(
      () => api.post(`/api/m/${mid}/nodes/${n.id}/move`, { parentId: from.parentId, index: from.index, keepNumbers }),
      () => {
        c.reveal(nodeKey(n.id), true);
        return `「${n.title}」を元の位置に戻しました`;
      },
    );
  const moved = (n: PlanNode, from: Place, keepNumbers: boolean, text: string): Notice => {
    c.reveal(nodeKey(n.id), false);
    return { text, tone: 'done', undo: () => undoMove(n, from, keepNumbers) };
  };
  /** Moves a node to `liveIndex` among the live children of `parentId`, asking first when numbers would change. */
  const moveNode = (nodeId: number, parentId: number | null, liveIndex: number) => {
    const n = index.nodeById.get(nodeId)!;
    const at = serverMoveIndex(plan, parentId, nodeId, liveIndex);
    const from = placeOf(plan, n);
    c.setFocusedKey(nodeKey(nodeId));
    run(
      async (): Promise<{ ask?: NumberingPreview }> => {
        const preview = await api.post<NumberingPreview>(previewUrl(c), { op: 'move', nodeId, parentId, index: at });
        if (preview.changes.length > 0) return { ask: preview };
        await api.post(`/api/m/${mid}/nodes/${nodeId}/move`, { parentId, index: at });
        return {};
      },
      ({ ask }) => {
        if (ask) return c.setPendingNumbering({ op: 'move', node: n, from, parentId, index: at, preview: ask });
        return moved(n, from, false, `「${n.title}」を移動しました`);
      },
    );
  };
  const finishMove = (p: Extract<PendingNumbering, { op: 'move' }>, keepNumbers: boolean) => {
    c.setPendingNumbering(null);
    run(
      () => api.post(`/api/m/${mid}/nodes/${p.node.id}/move`, { parentId: p.parentId, index: p.index, keepNumbers }),
      () =>
        moved(
          p.node,
          p.from,
          keepNumbers,
          keepNumbers
            ? `「${p.node.title}」を移動しました。ほかの項目の番号は変わりません`
            : `「${p.node.title}」を移動し、番号を振り直しました`,
        ),
    );
  };
  const onDropNode = (nodeId: number, target: TreeItem) => {
    const n = index.nodeById.get(nodeId);
    if (!n || target.kind !== 'node' || target.node.id === nodeId) return;
    if (target.node.depth === n.depth - 1)
      moveNode(nodeId, target.node.id, index.childrenOf.get(target.node.id)?.length ?? 0);
    else if (target.node.depth === n.depth) {
      const siblings = (index.childrenOf.get(target.node.parentId) ?? []).filter((s) => s.id !== nodeId);
      moveNode(
        nodeId,
        target.node.parentId,
        siblings.findIndex((s) => s.id === target.node.id),
      );
    } else
      c.setNotice({
        text: `「${n.title}」は${plan.levels[n.depth - 1]?.name ?? '最上位'}の下にだけ移動できます`,
        tone: 'info',
      });
  };
  const onKeyboardMove = (id: number, dir: Parameters<typeof keyboardMoveTarget>[2]) => {
    const target = keyboardMoveTarget(index, id, dir);
    if (target) moveNode(id, target.parentId, target.index);
    else c.setNotice({ text: 'これ以上移動できません', tone: 'info' });
  };
  return { moveNode, finishMove, onDropNode, onKeyboardMove };
}

const nodeBody = (draft: NodeDraft) => ({ ...draft, numberOverride: draft.numberOverride.trim() || null });

/** Saving a node: a new one (asking first when it would renumber the ones after it) or a change of one. */
export function nodeSaves(c: EditorContext) {
  const { mid, pid, run, selection } = c;
  const createNode = (draft: NodeDraft, parentId: number | null, numbering: 'renumber' | 'append') =>
    api.post<{ node: PlanNode }>(`/api/m/${mid}/plans/${pid}/nodes`, { ...nodeBody(draft), parentId, numbering });
  const afterCreate = (node: PlanNode, numbering: 'renumber' | 'append') => {
    c.setSelection({ kind: 'node', id: node.id });
    c.setFocusedKey(nodeKey(node.id));
    c.reveal(nodeKey(node.id), true);
    return numbering === 'append'
      ? `「${node.title}」を番号 ${node.number} で追加しました。ほかの項目の番号は変わりません`
      : `「${node.title}」を追加しました`;
  };
  const saveNode = (draft: NodeDraft) => {
    if (selection?.kind === 'new-node') {
      const { parentId } = selection;
      // Asked first: would the new node renumber the ones after it in the year being worked on?
      run(
        async (): Promise<{ ask?: NumberingPreview; node?: PlanNode }> => {
          const preview = await api.post<NumberingPreview>(previewUrl(c), { op: 'create', parentId });
          if (preview.changes.length > 0) return { ask: preview };
          return createNode(draft, parentId, 'renumber');
        },
        ({ ask, node }) => {
          if (ask) return c.setPendingNumbering({ op: 'create', draft, parentId, preview: ask });
          return afterCreate(node!, 'renumber');
        },
      );
    } else if (selection?.kind === 'node')
      run(
        () => api.patch(`/api/m/${mid}/nodes/${selection.id}`, nodeBody(draft)),
        () => {
          c.reveal(nodeKey(selection.id), false);
          return `「${draft.title}」を保存しました`;
        },
      );
  };
  const finishCreate = (p: Extract<PendingNumbering, { op: 'create' }>, numbering: 'renumber' | 'append') => {
    c.setPendingNumbering(null);
    run(
      () => createNode(p.draft, p.parentId, numbering),
      (r) => afterCreate(r.node, numbering),
    );
  };
  return { saveNode, finishCreate };
}

/** Saving a project (new or changed) and the plan's settings. */
export function projectSaves(c: EditorContext) {
  const { mid, pid, run, selection } = c;
  const saveProject = (draft: ProjectDraft) => {
    if (selection?.kind === 'new-project')
      run(
        () => api.post<{ project: Project }>(`/api/m/${mid}/plans/${pid}/projects`, draft),
        ({ project: p }) => {
          c.setSelection({ kind: 'project', id: p.id, nodeId: p.nodeId });
          c.setFocusedKey(projectKey(p.id, p.nodeId));
          c.reveal(projectKey(p.id, p.nodeId), true);
          return `事業「${draft.name}」を追加しました`;
        },
      );
    else if (selection?.kind === 'project')
      run(
        () => api.put(`/api/m/${mid}/projects/${selection.id}`, draft),
        () => {
          c.setSelection({ kind: 'project', id: selection.id, nodeId: draft.nodeId });
          c.reveal(projectKey(selection.id, draft.nodeId), false);
          return `事業「${draft.name}」を保存しました`;
        },
      );
  };
  const saveSettings = (d: PlanSettingsDraft) =>
    run(
      () => api.patch(`/api/m/${mid}/plans/${pid}`, d),
      () => '計画の設定を保存しました',
    );
  return { saveProject, saveSettings };
}

/** Deleting (or archiving, when answers use it) a node or project, and restoring what was archived. */
export function removals(c: EditorContext) {
  const { mid, plan, run } = c;
  const askDeleteNode = (n: PlanNode) =>
    run(
      () => api.post<NumberingPreview>(previewUrl(c), { op: 'delete', nodeId: n.id }),
      (preview) => c.setPendingDelete({ kind: 'node', node: n, preview }),
    );
  const remove = (url: string, label: string, archivedWhy: string) =>
    run(
      () => api.delete<ArchivedAnswer | undefined>(url),
      (r): Done => {
        c.setSelection(null);
        return r?.archived
          ? {
              text: `${label}は${archivedWhy}削除せずアーカイブしました。過去の年度の報告には残り、いつでも復元できます`,
              tone: 'info',
            }
          : `${label}を削除しました`;
      },
    );
  const confirmDelete = (d: PendingDelete) => {
    c.setPendingDelete(null);
    if (d.kind === 'node')
      remove(`/api/m/${mid}/nodes/${d.node.id}`, nodeLabel(plan, d.node), '過去の年度に番号や回答が使われているため、');
    else remove(`/api/m/${mid}/projects/${d.project.id}`, projectLabel(d.project), '回答があるため');
  };
  const restore = (item: ArchivedItem) =>
    run(
      () =>
        api.post(
          item.kind === 'node'
            ? `/api/m/${mid}/nodes/${item.node.id}/restore`
            : `/api/m/${mid}/projects/${item.project.id}/restore`,
        ),
      () => `${archivedItemLabel(plan, item)}を復元しました`,
      'archive',
    );
  return { askDeleteNode, confirmDelete, restore };
}
