import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { ArchivedAnswer, Department, NumberingPreview, PlanDetail, PlanNode, Project } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { eraYearLabel, fiscalYearLabel } from '../../../domain/fiscal-year.js';
import { PlanTree } from './PlanTree.js';
import { NodePanel, type NodeDraft } from './NodePanel.js';
import { ProjectPanel, type ProjectDraft } from './ProjectPanel.js';
import { ScaleEditor } from './ScaleEditor.js';
import { PlanSettings, type PlanSettingsDraft } from './PlanSettings.js';
import {
  indexPlan,
  keyboardMoveTarget,
  nodeKey,
  projectKey,
  serverMoveIndex,
  visibleItems,
  type TreeItem,
} from './tree-model.js';
import { NumberingChanges, NumberingDialog, numberingYearNote } from './NumberingDialog.js';
import { ArchiveSection, type ArchivedItem } from './ArchiveSection.js';
import './plan-structure.css';
import { isCoordinating } from '../../../domain/policy.js';

type Selection =
  | { kind: 'node'; id: number }
  | { kind: 'project'; id: number; nodeId: number }
  | { kind: 'new-node'; parentId: number | null }
  | { kind: 'new-project'; nodeId: number }
  | { kind: 'settings' }
  | null;

/** A node change waiting for the coordinator's choice about the numbers it would change. */
type PendingNumbering =
  | { op: 'create'; draft: NodeDraft; parentId: number | null; preview: NumberingPreview }
  | { op: 'move'; node: PlanNode; parentId: number | null; index: number; preview: NumberingPreview };

/** A deletion waiting for confirmation; for a node, with what its removal would renumber. */
type PendingDelete =
  { kind: 'node'; node: PlanNode; preview: NumberingPreview | null } | { kind: 'project'; project: Project };

interface Notice {
  text: string;
  tone: 'done' | 'info';
}

export function PlanEditorPage() {
  const mid = useMid();
  const era = useEra();
  const pid = Number(useParams().pid);
  const client = useQueryClient();
  const { session } = useSession();
  const planQuery = useQuery({
    queryKey: ['plan', mid, pid],
    queryFn: () => api.get<PlanDetail>(`/api/m/${mid}/plans/${pid}`),
  });
  const deptQuery = useQuery({
    queryKey: ['departments', mid],
    queryFn: () => api.get<{ departments: Department[] }>(`/api/m/${mid}/departments`).then((r) => r.departments),
  });
  usePageTitle(planQuery.data ? `${planQuery.data.plan.title}の体系` : '計画の体系');

  const plan = planQuery.data;
  // An archived plan is read only: the server refuses changes until it is restored.
  const canEdit = isCoordinating(session.user!) && !plan?.plan.archived;
  const index = useMemo(() => (plan ? indexPlan(plan) : null), [plan]);
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const expanded = useMemo(
    () => new Set((plan?.nodes ?? []).map((n) => n.id).filter((id) => !collapsed.has(id))),
    [plan, collapsed],
  );
  const items = useMemo(() => (index ? visibleItems(index, expanded) : []), [index, expanded]);
  const departments = useMemo(() => new Map((deptQuery.data ?? []).map((d) => [d.id, d])), [deptQuery.data]);
  const [selection, setSelection] = useState<Selection>(null);
  const [focusedKey, setFocusedKey] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [pendingNumbering, setPendingNumbering] = useState<PendingNumbering | null>(null);
  const [pendingDelete, setPendingDelete] = useState<PendingDelete | null>(null);
  /** where the last action's error is shown: beside the panel's form, or in the アーカイブ section */
  const [errorPlace, setErrorPlace] = useState<'panel' | 'archive'>('panel');

  const refresh = () => client.invalidateQueries({ queryKey: ['plan', mid, pid] });
  const mutation = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSuccess: async () => {
      await refresh();
    },
  });
  /** Runs one change; `done` may answer the message to show on screen when it went through. */
  const run = useCallback(
    (
      fn: () => Promise<unknown>,
      done?: (result: unknown) => Notice | string | void,
      place: 'panel' | 'archive' = 'panel',
    ) => {
      setErrorPlace(place);
      setNotice(null);
      mutation.mutate(fn, {
        onSuccess: (result) => {
          const message = done?.(result);
          if (message) setNotice(typeof message === 'string' ? { text: message, tone: 'done' } : message);
        },
      });
    },
    [mutation],
  );

  if (planQuery.isPending) return <p role="status">読み込み中…</p>;
  if (planQuery.isError || !plan || !index)
    return <ErrorAlert error={planQuery.error ?? new Error('計画を読み込めませんでした')} />;

  const levelName = (n: PlanNode) => plan.levels[n.depth]?.name ?? '項目';
  const previewUrl = `/api/m/${mid}/plans/${pid}/numbering-preview`;

  /** Moves a node to `liveIndex` among the live children of `parentId`, asking first when numbers would change. */
  const moveNode = (nodeId: number, parentId: number | null, liveIndex: number) => {
    const n = index.nodeById.get(nodeId)!;
    const at = serverMoveIndex(plan, parentId, nodeId, liveIndex);
    setFocusedKey(nodeKey(nodeId));
    run(
      async () => {
        const preview = await api.post<NumberingPreview>(previewUrl, { op: 'move', nodeId, parentId, index: at });
        if (preview.changes.length > 0) return { ask: preview };
        await api.post(`/api/m/${mid}/nodes/${nodeId}/move`, { parentId, index: at });
        return {};
      },
      (r) => {
        const ask = (r as { ask?: NumberingPreview }).ask;
        if (ask) return setPendingNumbering({ op: 'move', node: n, parentId, index: at, preview: ask });
        return `「${n.title}」を移動しました`;
      },
    );
  };
  const finishMove = (p: Extract<PendingNumbering, { op: 'move' }>, keepNumbers: boolean) => {
    setPendingNumbering(null);
    run(
      () => api.post(`/api/m/${mid}/nodes/${p.node.id}/move`, { parentId: p.parentId, index: p.index, keepNumbers }),
      () =>
        keepNumbers
          ? `「${p.node.title}」を移動しました。ほかの項目の番号は変わりません`
          : `「${p.node.title}」を移動し、番号を振り直しました`,
    );
  };

  const onSelect = (item: TreeItem) => {
    if (item.kind === 'node') setSelection({ kind: 'node', id: item.node.id });
    else setSelection({ kind: 'project', id: item.project.id, nodeId: item.nodeId });
    mutation.reset();
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
      setNotice({
        text: `「${n.title}」は${plan.levels[n.depth - 1]?.name ?? '最上位'}の下にだけ移動できます`,
        tone: 'info',
      });
  };

  const nodeBody = (draft: NodeDraft) => ({ ...draft, numberOverride: draft.numberOverride.trim() || null });
  const createNode = (draft: NodeDraft, parentId: number | null, numbering: 'renumber' | 'append') =>
    api.post<{ node: PlanNode }>(`/api/m/${mid}/plans/${pid}/nodes`, { ...nodeBody(draft), parentId, numbering });
  const afterCreate = (node: PlanNode, numbering: 'renumber' | 'append') => {
    setSelection({ kind: 'node', id: node.id });
    setFocusedKey(nodeKey(node.id));
    return numbering === 'append'
      ? `「${node.title}」を番号 ${node.number} で追加しました。ほかの項目の番号は変わりません`
      : `「${node.title}」を追加しました`;
  };
  const saveNode = (draft: NodeDraft) => {
    if (selection?.kind === 'new-node') {
      const { parentId } = selection;
      // Asked first: would the new node renumber the ones after it in the year being worked on?
      run(
        async () => {
          const preview = await api.post<NumberingPreview>(previewUrl, { op: 'create', parentId });
          if (preview.changes.length > 0) return { ask: preview };
          return createNode(draft, parentId, 'renumber');
        },
        (r) => {
          const { ask, node } = r as { ask?: NumberingPreview; node?: PlanNode };
          if (ask) return setPendingNumbering({ op: 'create', draft, parentId, preview: ask });
          return afterCreate(node!, 'renumber');
        },
      );
    } else if (selection?.kind === 'node')
      run(
        () => api.patch(`/api/m/${mid}/nodes/${selection.id}`, nodeBody(draft)),
        () => '保存しました',
      );
  };
  const finishCreate = (p: Extract<PendingNumbering, { op: 'create' }>, numbering: 'renumber' | 'append') => {
    setPendingNumbering(null);
    run(
      () => createNode(p.draft, p.parentId, numbering),
      (r) => afterCreate((r as { node: PlanNode }).node, numbering),
    );
  };

  const saveProject = (draft: ProjectDraft) => {
    if (selection?.kind === 'new-project')
      run(
        () => api.post<{ project: Project }>(`/api/m/${mid}/plans/${pid}/projects`, draft),
        (r) => {
          const p = (r as { project: Project }).project;
          setSelection({ kind: 'project', id: p.id, nodeId: p.nodeId });
          setFocusedKey(projectKey(p.id, p.nodeId));
          return `事業「${draft.name}」を追加しました`;
        },
      );
    else if (selection?.kind === 'project')
      run(
        () => api.put(`/api/m/${mid}/projects/${selection.id}`, draft),
        () => {
          setSelection({ kind: 'project', id: selection.id, nodeId: draft.nodeId });
          return '保存しました';
        },
      );
  };

  const askDeleteNode = (n: PlanNode) =>
    run(
      () => api.post<NumberingPreview>(previewUrl, { op: 'delete', nodeId: n.id }),
      (preview) => setPendingDelete({ kind: 'node', node: n, preview: preview as NumberingPreview }),
    );
  const confirmDelete = (d: PendingDelete) => {
    setPendingDelete(null);
    if (d.kind === 'node') {
      const label = `${levelName(d.node)}「${d.node.title}」`;
      run(
        () => api.delete<ArchivedAnswer | undefined>(`/api/m/${mid}/nodes/${d.node.id}`),
        (r) => {
          setSelection(null);
          return (r as ArchivedAnswer | undefined)?.archived
            ? {
                text: `${label}は過去の年度に番号や回答が使われているため、削除せずアーカイブしました。過去の年度の報告には残り、いつでも復元できます`,
                tone: 'info',
              }
            : `${label}を削除しました`;
        },
      );
    } else {
      const label = `事業${d.project.number}「${d.project.name}」`;
      run(
        () => api.delete<ArchivedAnswer | undefined>(`/api/m/${mid}/projects/${d.project.id}`),
        (r) => {
          setSelection(null);
          return (r as ArchivedAnswer | undefined)?.archived
            ? {
                text: `${label}は回答があるため削除せずアーカイブしました。過去の年度の報告には残り、いつでも復元できます`,
                tone: 'info',
              }
            : `${label}を削除しました`;
        },
      );
    }
  };
  const restore = (item: ArchivedItem) =>
    run(
      () =>
        api.post(
          item.kind === 'node'
            ? `/api/m/${mid}/nodes/${item.node.id}/restore`
            : `/api/m/${mid}/projects/${item.project.id}/restore`,
        ),
      () =>
        `${item.kind === 'node' ? `${levelName(item.node)}「${item.node.title}」` : `事業${item.project.number}「${item.project.name}」`}を復元しました`,
      'archive',
    );
  const saveSettings = (d: PlanSettingsDraft) =>
    run(
      () => api.patch(`/api/m/${mid}/plans/${pid}`, d),
      () => '計画の設定を保存しました',
    );

  const selectedKey =
    selection?.kind === 'node'
      ? nodeKey(selection.id)
      : selection?.kind === 'project'
        ? projectKey(selection.id, selection.nodeId)
        : null;
  const selectedNode = selection?.kind === 'node' ? (index.nodeById.get(selection.id) ?? null) : null;
  const selectedProject =
    selection?.kind === 'project' ? (plan.projects.find((p) => p.id === selection.id) ?? null) : null;
  const panelError = errorPlace === 'panel' ? mutation.error : null;
  const liveNodes = plan.nodes.filter((n) => !n.archived).length;
  const liveProjects = plan.projects.filter((p) => !p.archived).length;
  const currentYear = plan.plan.currentYear;

  return (
    <div className="plan-editor">
      <div className="plan-header">
        <p className="breadcrumb">
          <Link to={`/m/${mid}/plans`}>計画一覧</Link> › 体系
        </p>
        <h1>{plan.plan.title}</h1>
        <p className="muted">
          {plan.plan.slogan && <span className="meta-item">{plan.plan.slogan}</span>}
          <span className="meta-item">
            計画期間: {fiscalYearLabel(plan.plan.firstYear, era)}〜{fiscalYearLabel(plan.plan.lastYear, era)}
          </span>
          {currentYear !== null && <span className="meta-item">番号は{eraYearLabel(currentYear, era)}のもの</span>}
          <span className="meta-item">
            項目 {liveNodes}件・事業 {liveProjects}件
          </span>
        </p>
        {plan.plan.archived && (
          <p className="editor-notice info">
            この計画はアーカイブされています。内容の確認だけができます。編集するには計画一覧で復元してください。
          </p>
        )}
        <div className="button-row">
          {canEdit && (
            <button
              type="button"
              className="button secondary"
              onClick={() => setSelection({ kind: 'new-node', parentId: null })}
            >
              {plan.levels[0]?.name ?? '項目'}を追加
            </button>
          )}
          <button type="button" className="button secondary" onClick={() => setCollapsed(new Set())}>
            すべて展開
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => setCollapsed(new Set(plan.nodes.map((n) => n.id)))}
          >
            すべて折りたたむ
          </button>
          <a className="button secondary" href={`/api/m/${mid}/plans/${pid}/export`} download>
            計画構造を書き出す（JSON）
          </a>
          {canEdit && (
            <button type="button" className="button secondary" onClick={() => setSelection({ kind: 'settings' })}>
              計画の設定
            </button>
          )}
        </div>
      </div>
      <div className={`editor-notice${notice ? ` ${notice.tone}` : ' empty'}`} role="status">
        {notice?.text}
      </div>
      <div className="editor-columns">
        <div className="tree-side">
          <div className="tree-column">
            <h2 className="visually-hidden">体系</h2>
            {index.childrenOf.get(null)?.length ? (
              <PlanTree
                plan={plan}
                index={index}
                items={items}
                levels={plan.levels}
                departments={departments}
                focusedKey={focusedKey}
                selectedKey={selectedKey}
                expanded={expanded}
                onFocusKey={setFocusedKey}
                onSelect={onSelect}
                onToggle={(id, open) =>
                  setCollapsed((prev) => {
                    const next = new Set(prev);
                    if (open) next.delete(id);
                    else next.add(id);
                    return next;
                  })
                }
                onKeyboardMove={(id, dir) => {
                  if (!canEdit) return;
                  const target = keyboardMoveTarget(index, id, dir);
                  if (target) moveNode(id, target.parentId, target.index);
                  else setNotice({ text: 'これ以上移動できません', tone: 'info' });
                }}
                onDropNode={canEdit ? onDropNode : () => undefined}
              />
            ) : (
              <p className="tree-empty">
                まだ項目がありません。{canEdit && `「${plan.levels[0]?.name ?? '項目'}を追加」から始めてください。`}
              </p>
            )}
          </div>
          <ArchiveSection
            plan={plan}
            departments={departments}
            canEdit={canEdit}
            busy={mutation.isPending}
            error={errorPlace === 'archive' ? mutation.error : null}
            onRestore={restore}
          />
        </div>
        <div className="panel-column">
          {selection === null && <p className="muted">ツリーの項目または事業を選ぶと、ここに内容が表示されます。</p>}
          {(selection?.kind === 'node' || selection?.kind === 'new-node') && (
            <NodePanel
              key={selection.kind === 'node' ? `n${selection.id}` : `new${selection.parentId}`}
              plan={plan}
              index={index}
              node={selectedNode}
              parentId={selection.kind === 'new-node' ? selection.parentId : (selectedNode?.parentId ?? null)}
              canEdit={canEdit}
              busy={mutation.isPending}
              error={panelError}
              onSave={saveNode}
              onAddChild={(parentId) => {
                mutation.reset();
                setSelection({ kind: 'new-node', parentId });
              }}
              onAddProject={(nodeId) => {
                mutation.reset();
                setSelection({ kind: 'new-project', nodeId });
              }}
              onMove={moveNode}
              onDelete={askDeleteNode}
            />
          )}
          {(selection?.kind === 'project' || selection?.kind === 'new-project') && (
            <ProjectPanel
              key={selection.kind === 'project' ? `p${selection.id}` : `newp${selection.nodeId}`}
              plan={plan}
              index={index}
              departments={deptQuery.data ?? []}
              project={selectedProject}
              nodeId={selection.nodeId}
              canEdit={canEdit}
              busy={mutation.isPending}
              error={panelError}
              onSave={saveProject}
              onDelete={(project) => setPendingDelete({ kind: 'project', project })}
            />
          )}
          {selection?.kind === 'settings' && (
            <div className="detail-stack">
              <section className="detail-panel" aria-labelledby="settings-title">
                <h2 id="settings-title">計画の設定</h2>
                <PlanSettings plan={plan} busy={mutation.isPending} error={panelError} onSave={saveSettings} />
              </section>
              <ScaleEditor mid={mid} planId={plan.plan.id} canEdit={canEdit} />
            </div>
          )}
        </div>
      </div>

      <NumberingDialog
        open={pendingNumbering !== null}
        op={pendingNumbering?.op ?? 'create'}
        subject={
          pendingNumbering === null
            ? ''
            : pendingNumbering.op === 'create'
              ? `${plan.levels[pendingNumbering.parentId === null ? 0 : index.nodeById.get(pendingNumbering.parentId)!.depth + 1]?.name ?? '項目'}「${pendingNumbering.draft.title}」`
              : `${levelName(pendingNumbering.node)}「${pendingNumbering.node.title}」`
        }
        preview={pendingNumbering?.preview ?? null}
        busy={mutation.isPending}
        onRenumber={() => {
          if (pendingNumbering?.op === 'create') finishCreate(pendingNumbering, 'renumber');
          else if (pendingNumbering?.op === 'move') finishMove(pendingNumbering, false);
        }}
        onKeep={() => {
          if (pendingNumbering?.op === 'create') finishCreate(pendingNumbering, 'append');
          else if (pendingNumbering?.op === 'move') finishMove(pendingNumbering, true);
        }}
        onCancel={() => setPendingNumbering(null)}
      />
      <ConfirmDialog
        open={pendingDelete !== null}
        title={
          pendingDelete === null
            ? ''
            : pendingDelete.kind === 'node'
              ? `${levelName(pendingDelete.node)}「${pendingDelete.node.title}」を削除します`
              : `事業${pendingDelete.project.number}「${pendingDelete.project.name}」を削除します`
        }
        confirmLabel="削除する"
        danger
        busy={mutation.isPending}
        onConfirm={() => pendingDelete && confirmDelete(pendingDelete)}
        onCancel={() => setPendingDelete(null)}
      >
        {pendingDelete?.kind === 'project' && (
          <p>
            回答のない事業は削除します。回答のある事業は削除せずにアーカイブします。アーカイブした事業は新しい照会に含まれず、過去の年度の報告には残り、いつでも復元できます。
          </p>
        )}
        {pendingDelete?.kind === 'node' && (
          <>
            <p>
              下に項目や事業が残っている間は削除できません。過去の年度に番号や回答が使われている項目は、削除せずにアーカイブします（過去の年度の報告には残り、いつでも復元できます）。
            </p>
            {pendingDelete.preview && pendingDelete.preview.changes.length > 0 && (
              <>
                <p>{numberingYearNote(pendingDelete.preview, era)}</p>
                <NumberingChanges changes={pendingDelete.preview.changes} label="変わる番号" />
              </>
            )}
          </>
        )}
      </ConfirmDialog>
    </div>
  );
}
