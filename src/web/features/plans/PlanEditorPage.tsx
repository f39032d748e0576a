import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { Department, PlanDetail, PlanNode, Project } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { fiscalYearLabel } from '../../../domain/fiscal-year.js';
import { PlanTree } from './PlanTree.js';
import { NodePanel, type NodeDraft } from './NodePanel.js';
import { ProjectPanel, type ProjectDraft } from './ProjectPanel.js';
import { ScaleEditor } from './ScaleEditor.js';
import { PlanSettings, type PlanSettingsDraft } from './PlanSettings.js';
import { indexPlan, keyboardMoveTarget, nodeKey, projectKey, visibleItems, type TreeItem } from './tree-model.js';

type Selection =
  | { kind: 'node'; id: number }
  | { kind: 'project'; id: number; nodeId: number }
  | { kind: 'new-node'; parentId: number | null }
  | { kind: 'new-project'; nodeId: number }
  | { kind: 'settings' }
  | null;

export function PlanEditorPage() {
  const mid = useMid();
  const era = useEra();
  const pid = Number(useParams().pid);
  const client = useQueryClient();
  const { session } = useSession();
  const canEdit = session.user!.role === 'system_admin' || session.user!.role === 'coordinator';
  const planQuery = useQuery({ queryKey: ['plan', mid, pid], queryFn: () => api.get<PlanDetail>(`/api/m/${mid}/plans/${pid}`) });
  const deptQuery = useQuery({ queryKey: ['departments', mid], queryFn: () => api.get<{ departments: Department[] }>(`/api/m/${mid}/departments`).then((r) => r.departments) });
  usePageTitle(planQuery.data ? `${planQuery.data.plan.title}の体系` : '計画の体系');

  const plan = planQuery.data;
  const index = useMemo(() => (plan ? indexPlan(plan) : null), [plan]);
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const expanded = useMemo(() => new Set((plan?.nodes ?? []).map((n) => n.id).filter((id) => !collapsed.has(id))), [plan, collapsed]);
  const items = useMemo(() => (index ? visibleItems(index, expanded) : []), [index, expanded]);
  const departments = useMemo(() => new Map((deptQuery.data ?? []).map((d) => [d.id, d])), [deptQuery.data]);
  const [selection, setSelection] = useState<Selection>(null);
  const [focusedKey, setFocusedKey] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const refresh = () => client.invalidateQueries({ queryKey: ['plan', mid, pid] });
  const mutation = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSuccess: async () => {
      await refresh();
    },
  });
  const run = useCallback(
    (fn: () => Promise<unknown>, done?: (result: unknown) => void, message?: string) =>
      mutation.mutate(fn, {
        onSuccess: (result) => {
          done?.(result);
          if (message) setAnnouncement(message);
        },
      }),
    [mutation],
  );

  if (planQuery.isPending) return <p role="status">読み込み中…</p>;
  if (planQuery.isError || !plan || !index) return <ErrorAlert error={planQuery.error ?? new Error('計画を読み込めませんでした')} />;

  const moveNode = (nodeId: number, parentId: number | null, at: number) => {
    const n = index.nodeById.get(nodeId)!;
    setFocusedKey(nodeKey(nodeId));
    run(() => api.post(`/api/m/${mid}/nodes/${nodeId}/move`, { parentId, index: at }), undefined, `「${n.title}」を移動しました`);
  };

  const onSelect = (item: TreeItem) => {
    if (item.kind === 'node') setSelection({ kind: 'node', id: item.node.id });
    else setSelection({ kind: 'project', id: item.project.id, nodeId: item.nodeId });
    mutation.reset();
  };

  const onDropNode = (nodeId: number, target: TreeItem) => {
    const n = index.nodeById.get(nodeId);
    if (!n || target.kind !== 'node' || target.node.id === nodeId) return;
    if (target.node.depth === n.depth - 1) moveNode(nodeId, target.node.id, index.childrenOf.get(target.node.id)?.length ?? 0);
    else if (target.node.depth === n.depth) {
      const siblings = (index.childrenOf.get(target.node.parentId) ?? []).filter((s) => s.id !== nodeId);
      moveNode(nodeId, target.node.parentId, siblings.findIndex((s) => s.id === target.node.id));
    } else setAnnouncement(`「${n.title}」は${plan.levels[n.depth - 1]?.name ?? '最上位'}の下にだけ移動できます`);
  };

  const saveNode = (draft: NodeDraft) => {
    const body = { ...draft, numberOverride: draft.numberOverride.trim() || null };
    if (selection?.kind === 'new-node')
      run(
        () => api.post<{ node: PlanNode }>(`/api/m/${mid}/plans/${pid}/nodes`, { ...body, parentId: selection.parentId }),
        (r) => {
          const node = (r as { node: PlanNode }).node;
          setSelection({ kind: 'node', id: node.id });
          setFocusedKey(nodeKey(node.id));
        },
        `「${draft.title}」を追加しました`,
      );
    else if (selection?.kind === 'node') run(() => api.patch(`/api/m/${mid}/nodes/${selection.id}`, body), undefined, '保存しました');
  };

  const saveProject = (draft: ProjectDraft) => {
    if (selection?.kind === 'new-project')
      run(
        () => api.post<{ project: Project }>(`/api/m/${mid}/plans/${pid}/projects`, draft),
        (r) => {
          const p = (r as { project: Project }).project;
          setSelection({ kind: 'project', id: p.id, nodeId: p.nodeId });
          setFocusedKey(projectKey(p.id, p.nodeId));
        },
        `事業「${draft.name}」を追加しました`,
      );
    else if (selection?.kind === 'project')
      run(
        () => api.put(`/api/m/${mid}/projects/${selection.id}`, draft),
        () => setSelection({ kind: 'project', id: selection.id, nodeId: draft.nodeId }),
        '保存しました',
      );
  };

  const deleteNode = (n: PlanNode) => {
    if (!window.confirm(`「${n.title}」を削除します。よろしいですか。`)) return;
    run(() => api.delete(`/api/m/${mid}/nodes/${n.id}`), () => setSelection(null), `「${n.title}」を削除しました`);
  };
  const deleteProject = (p: Project) => {
    if (!window.confirm(`事業「${p.name}」を削除します。よろしいですか。`)) return;
    run(() => api.delete(`/api/m/${mid}/projects/${p.id}`), () => setSelection(null), `事業「${p.name}」を削除しました`);
  };
  const saveSettings = (d: PlanSettingsDraft) => run(() => api.patch(`/api/m/${mid}/plans/${pid}`, d), undefined, '計画の設定を保存しました');

  const selectedKey =
    selection?.kind === 'node' ? nodeKey(selection.id) : selection?.kind === 'project' ? projectKey(selection.id, selection.nodeId) : null;
  const selectedNode = selection?.kind === 'node' ? (index.nodeById.get(selection.id) ?? null) : null;
  const selectedProject = selection?.kind === 'project' ? (plan.projects.find((p) => p.id === selection.id) ?? null) : null;

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
          <span className="meta-item">
            項目 {plan.nodes.length}件・事業 {plan.projects.length}件
          </span>
        </p>
        <div className="button-row">
          {canEdit && (
            <button type="button" className="button secondary" onClick={() => setSelection({ kind: 'new-node', parentId: null })}>
              {plan.levels[0]?.name ?? '項目'}を追加
            </button>
          )}
          <button type="button" className="button secondary" onClick={() => setCollapsed(new Set())}>
            すべて展開
          </button>
          <button type="button" className="button secondary" onClick={() => setCollapsed(new Set(plan.nodes.map((n) => n.id)))}>
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
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <div className="editor-columns">
        <div className="tree-column">
          <h2 className="visually-hidden">体系</h2>
          {plan.nodes.length === 0 ? (
            <p>まだ項目がありません。「{plan.levels[0]?.name ?? '項目'}を追加」から始めてください。</p>
          ) : (
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
                else setAnnouncement('これ以上移動できません');
              }}
              onDropNode={canEdit ? onDropNode : () => undefined}
            />
          )}
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
              error={mutation.error}
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
              onDelete={deleteNode}
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
              error={mutation.error}
              onSave={saveProject}
              onDelete={deleteProject}
            />
          )}
          {selection?.kind === 'settings' && (
            <div className="detail-stack">
              <section className="detail-panel" aria-labelledby="settings-title">
                <h2 id="settings-title">計画の設定</h2>
                <PlanSettings plan={plan} busy={mutation.isPending} error={mutation.error} onSave={saveSettings} />
              </section>
              <ScaleEditor mid={mid} planId={plan.plan.id} canEdit={canEdit} />
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
