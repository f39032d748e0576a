import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { Department, PlanDetail } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { formatEraYear, formatFiscalYear } from '../../lib/dates.js';
import { PlanTree } from './PlanTree.js';
import { NodePanel } from './NodePanel.js';
import { ProjectPanel } from './ProjectPanel.js';
import { PlanSettings } from './PlanSettings.js';
import { IndicatorsSection } from './IndicatorsSection.js';
import {
  indexPlan,
  nodeKey,
  projectKey,
  searchItems,
  visibleItems,
  type TreeIndex,
  type TreeItem,
} from './tree-model.js';
import { SearchBox } from '../../components/SearchBox.js';
import { Toast } from '../../components/Toast.js';
import { matchesSearch, searchWords } from '../../lib/search.js';
import { NumberingChanges, NumberingDialog, numberingYearNote } from './NumberingDialog.js';
import { ArchiveSection } from './ArchiveSection.js';
import './plan-structure.css';
import './plan-editor.css';
import { isCoordinating } from '../../../domain/policy.js';
import {
  nodeMoves,
  nodeSaves,
  projectSaves,
  removals,
  usePlanRun,
  type EditorContext,
  type PendingDelete,
  type PendingNumbering,
  type Reveal,
  type Selection,
} from './plan-editor-actions.js';
import { deleteTitle, numberingSubject } from './plan-editor-text.js';
import { evaluatedYear } from '../evaluations/node-values.js';

function usePlanData(mid: number, pid: number) {
  const planQuery = useQuery({
    queryKey: ['plan', mid, pid],
    queryFn: () => api.get<PlanDetail>(`/api/m/${mid}/plans/${pid}`),
  });
  const deptQuery = useQuery({
    queryKey: ['departments', mid],
    queryFn: () => api.get<{ departments: Department[] }>(`/api/m/${mid}/departments`).then((r) => r.departments),
  });
  const departments = useMemo(() => new Map((deptQuery.data ?? []).map((d) => [d.id, d])), [deptQuery.data]);
  return { planQuery, departmentList: deptQuery.data ?? [], departments };
}

/** Which nodes are open, what is searched for, and the tree's rows as shown. */
function useTreeView(plan: PlanDetail | undefined, index: TreeIndex | null, departments: Map<number, Department>) {
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const [query, setQuery] = useState('');
  const expanded = useMemo(
    () => new Set((plan?.nodes ?? []).map((n) => n.id).filter((id) => !collapsed.has(id))),
    [plan, collapsed],
  );
  const words = useMemo(() => searchWords(query), [query]);
  const items = useMemo(() => {
    if (!index) return [];
    if (words.length === 0) return visibleItems(index, expanded);
    // A search shows what matches by its printed number, its title or (a project) its 課, with the nodes above.
    return searchItems(index, (t) =>
      t.kind === 'node'
        ? matchesSearch(words, t.node.number, t.node.title)
        : matchesSearch(
            words,
            t.project.number,
            t.project.name,
            ...[t.project.leadDepartmentId, ...t.project.coDepartmentIds].map((id) =>
              id === null ? '' : departments.get(id)?.name,
            ),
          ),
    );
  }, [index, expanded, words, departments]);
  // While searching, every node shown is open (it is shown because something below it matches).
  const shownOpen = useMemo(
    () => (words.length ? new Set((plan?.nodes ?? []).map((n) => n.id)) : expanded),
    [words, plan, expanded],
  );
  const toggle = (id: number, open: boolean) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (open) next.delete(id);
      else next.add(id);
      return next;
    });
  const total = index
    ? [...index.childrenOf.values()].reduce((a, l) => a + l.length, 0) +
      [...index.projectsUnder.values()].reduce((a, l) => a + l.length, 0)
    : 0;
  return { expanded: shownOpen, items, toggle, setCollapsed, query, setQuery, total };
}

let revealCount = 0;

/** The tree key of what is selected, for the tree to mark it. */
function selectedKeyOf(selection: Selection): string | null {
  if (selection?.kind === 'node') return nodeKey(selection.id);
  if (selection?.kind === 'project') return projectKey(selection.id, selection.nodeId);
  return null;
}

export function PlanEditorPage() {
  const mid = useMid();
  const pid = Number(useParams().pid);
  const { session } = useSession();
  const { planQuery, departmentList, departments } = usePlanData(mid, pid);
  usePageTitle(planQuery.data ? `${planQuery.data.plan.title}の体系` : '計画の体系');
  const plan = planQuery.data;
  // An archived plan is read only: the server refuses changes until it is restored.
  const canEdit = isCoordinating(session.user!) && !plan?.plan.archived;
  const index = useMemo(() => (plan ? indexPlan(plan) : null), [plan]);
  const tree = useTreeView(plan, index, departments);
  const [selection, setSelection] = useState<Selection>(null);
  const [focusedKey, setFocusedKey] = useState<string | null>(null);
  const [revealing, setRevealing] = useState<Reveal | null>(null);
  const [pendingNumbering, setPendingNumbering] = useState<PendingNumbering | null>(null);
  const [pendingDelete, setPendingDelete] = useState<PendingDelete | null>(null);
  const changes = usePlanRun(mid, pid);
  const reveal = useCallback((key: string, focus: boolean) => setRevealing({ key, focus, n: ++revealCount }), []);

  if (planQuery.isPending) return <p role="status">読み込み中…</p>;
  if (planQuery.isError || !plan || !index)
    return <ErrorAlert error={planQuery.error ?? new Error('計画を読み込めませんでした')} />;

  const c: EditorContext = {
    mid,
    pid,
    plan,
    index,
    run: changes.run,
    selection,
    setSelection,
    setFocusedKey,
    reveal,
    setNotice: changes.setNotice,
    setPendingNumbering,
    setPendingDelete,
  };
  const { notice } = changes;
  const onSelect = (item: TreeItem) => {
    if (item.kind === 'node') setSelection({ kind: 'node', id: item.node.id });
    else setSelection({ kind: 'project', id: item.project.id, nodeId: item.nodeId });
    changes.reset();
  };

  return (
    <div className="plan-editor">
      <PlanHeader
        mid={mid}
        plan={plan}
        canEdit={canEdit}
        onSelect={setSelection}
        onExpandAll={() => tree.setCollapsed(new Set())}
        onCollapseAll={() => tree.setCollapsed(new Set(plan.nodes.map((n) => n.id)))}
      />
      {/* Said to screen readers; the toast below shows the same words on screen. */}
      <div className="visually-hidden" role="status">
        {notice?.text}
      </div>
      <div className="editor-columns">
        <TreeSide
          c={c}
          tree={tree}
          departments={departments}
          focusedKey={focusedKey}
          revealing={revealing}
          canEdit={canEdit}
          changes={changes}
          onSelect={onSelect}
        />
        <SelectionPanel c={c} changes={changes} departments={departmentList} canEdit={canEdit} />
      </div>
      <Toast message={changes.toast} onClose={changes.closeToast} />
      <PlanDialogs c={c} busy={changes.busy} pendingNumbering={pendingNumbering} pendingDelete={pendingDelete} />
    </div>
  );
}

/** The tree, moved by keyboard or drag and drop where the user may edit, and the archived items below it. */
function TreeSide({
  c,
  tree,
  departments,
  focusedKey,
  revealing,
  canEdit,
  changes,
  onSelect,
}: {
  c: EditorContext;
  tree: ReturnType<typeof useTreeView>;
  departments: Map<number, Department>;
  focusedKey: string | null;
  revealing: Reveal | null;
  canEdit: boolean;
  changes: ReturnType<typeof usePlanRun>;
  onSelect(item: TreeItem): void;
}) {
  const { plan, index, selection, setFocusedKey } = c;
  const moves = nodeMoves(c);
  const searching = tree.query.trim() !== '';
  // What a change brought about is shown even when the search would hide it.
  if (revealing && searching && !tree.items.some((i) => i.key === revealing.key)) tree.setQuery('');
  return (
    <div className="tree-side">
      <h2 className="visually-hidden">体系</h2>
      <SearchBox
        label="体系を検索"
        hint="番号・名称・課名"
        value={tree.query}
        onChange={tree.setQuery}
        shown={tree.items.length}
        total={tree.total}
      />
      <div className="tree-column">
        {searching && tree.items.length === 0 ? (
          <p className="tree-empty">「{tree.query.trim()}」に当てはまる項目・事業はありません。</p>
        ) : index.childrenOf.get(null)?.length ? (
          <PlanTree
            plan={plan}
            index={index}
            items={tree.items}
            levels={plan.levels}
            departments={departments}
            focusedKey={focusedKey}
            revealing={revealing}
            query={tree.query}
            selectedKey={selectedKeyOf(selection)}
            expanded={tree.expanded}
            onFocusKey={setFocusedKey}
            onSelect={onSelect}
            onToggle={tree.toggle}
            onKeyboardMove={(id, dir) => {
              if (canEdit) moves.onKeyboardMove(id, dir);
            }}
            onDropNode={canEdit ? moves.onDropNode : () => undefined}
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
        busy={changes.busy}
        error={changes.archiveError}
        onRestore={removals(c).restore}
      />
    </div>
  );
}

function PlanHeader({
  mid,
  plan,
  canEdit,
  onSelect,
  onExpandAll,
  onCollapseAll,
}: {
  mid: number;
  plan: PlanDetail;
  canEdit: boolean;
  onSelect(s: Selection): void;
  onExpandAll(): void;
  onCollapseAll(): void;
}) {
  const era = useEra();
  const currentYear = plan.plan.currentYear;
  const liveNodes = plan.nodes.filter((n) => !n.archived).length;
  const liveProjects = plan.projects.filter((p) => !p.archived).length;
  return (
    <div className="plan-header">
      <p className="breadcrumb">
        <Link to={`/m/${mid}/plans`}>計画一覧</Link> › 体系
      </p>
      <h1>{plan.plan.title}</h1>
      <p className="muted">
        {plan.plan.slogan && <span className="meta-item">{plan.plan.slogan}</span>}
        <span className="meta-item">
          計画期間: {formatFiscalYear(plan.plan.firstYear, era)}〜{formatFiscalYear(plan.plan.lastYear, era)}
        </span>
        {currentYear !== null && <span className="meta-item">番号は{formatEraYear(currentYear, era)}のもの</span>}
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
            onClick={() => onSelect({ kind: 'new-node', parentId: null })}
          >
            {plan.levels[0]?.name ?? '項目'}を追加
          </button>
        )}
        <button type="button" className="button secondary" onClick={onExpandAll}>
          すべて展開
        </button>
        <button type="button" className="button secondary" onClick={onCollapseAll}>
          すべて折りたたむ
        </button>
        <a className="button secondary" href={`/api/m/${mid}/plans/${plan.plan.id}/export`} download>
          計画構造を書き出す（JSON）
        </a>
        {canEdit && (
          <button type="button" className="button secondary" onClick={() => onSelect({ kind: 'settings' })}>
            計画の設定
          </button>
        )}
        <Link className="button secondary" to={`/m/${mid}/plans/${plan.plan.id}/evaluation`}>
          評価の方法
        </Link>
        <Link className="button secondary" to={`/m/${mid}/evaluations/${plan.plan.id}/${evaluatedYear(plan.plan)}`}>
          体系ごとの評価
        </Link>
      </div>
    </div>
  );
}

/** The panel beside the tree: the selected node or project, a new one, or the plan's settings. */
function SelectionPanel({
  c,
  changes,
  departments,
  canEdit,
}: {
  c: EditorContext;
  changes: ReturnType<typeof usePlanRun>;
  departments: Department[];
  canEdit: boolean;
}) {
  const { plan, index, selection } = c;
  const { busy, panelError: error } = changes;
  const node = selection?.kind === 'node' ? (index.nodeById.get(selection.id) ?? null) : null;
  const project = selection?.kind === 'project' ? (plan.projects.find((p) => p.id === selection.id) ?? null) : null;
  const start = (s: Selection) => {
    changes.reset();
    c.setSelection(s);
  };
  // Something else chosen (or just added) is read from its top.
  const column = useRef<HTMLDivElement>(null);
  const shown = selection === null ? 'none' : JSON.stringify(selection);
  useEffect(() => {
    column.current?.scrollTo({ top: 0 });
  }, [shown]);
  return (
    // Scrolls on its own: it takes the focus, so that it can be scrolled by keyboard when nothing in it can.
    <div className="panel-column" ref={column} tabIndex={0} role="region" aria-label="選んだ項目の内容">
      {selection === null && <p className="muted">ツリーの項目または事業を選ぶと、ここに内容が表示されます。</p>}
      {(selection?.kind === 'node' || selection?.kind === 'new-node') && (
        <NodePanel
          key={selection.kind === 'node' ? `n${selection.id}` : `new${selection.parentId}`}
          plan={plan}
          index={index}
          node={node}
          parentId={selection.kind === 'new-node' ? selection.parentId : (node?.parentId ?? null)}
          canEdit={canEdit}
          busy={busy}
          error={error}
          onSave={nodeSaves(c).saveNode}
          onAddChild={(parentId) => start({ kind: 'new-node', parentId })}
          onAddProject={(nodeId) => start({ kind: 'new-project', nodeId })}
          onMove={nodeMoves(c).moveNode}
          onDelete={removals(c).askDeleteNode}
        >
          {node && (
            <IndicatorsSection
              mid={c.mid}
              plan={plan}
              owner={{ kind: 'node', nodeId: node.id }}
              departments={departments}
              canEdit={canEdit}
            />
          )}
        </NodePanel>
      )}
      {(selection?.kind === 'project' || selection?.kind === 'new-project') && (
        <ProjectPanel
          key={selection.kind === 'project' ? `p${selection.id}` : `newp${selection.nodeId}`}
          plan={plan}
          departments={departments}
          project={project}
          nodeId={selection.nodeId}
          canEdit={canEdit}
          busy={busy}
          error={error}
          onSave={projectSaves(c).saveProject}
          onDelete={(p) => c.setPendingDelete({ kind: 'project', project: p })}
        />
      )}
      {selection?.kind === 'settings' && (
        <SettingsPanel c={c} busy={busy} error={error} departments={departments} canEdit={canEdit} />
      )}
    </div>
  );
}

/** The question about numbers a node change would change, and the question before a deletion. */
function PlanDialogs({
  c,
  busy,
  pendingNumbering: pn,
  pendingDelete: pd,
}: {
  c: EditorContext;
  busy: boolean;
  pendingNumbering: PendingNumbering | null;
  pendingDelete: PendingDelete | null;
}) {
  const era = useEra();
  const finish = (keep: boolean) => {
    if (pn?.op === 'create') nodeSaves(c).finishCreate(pn, keep ? 'append' : 'renumber');
    else if (pn?.op === 'move') nodeMoves(c).finishMove(pn, keep);
  };
  return (
    <>
      <NumberingDialog
        open={pn !== null}
        op={pn?.op ?? 'create'}
        subject={numberingSubject(c.plan, c.index, pn)}
        preview={pn?.preview ?? null}
        busy={busy}
        onRenumber={() => finish(false)}
        onKeep={() => finish(true)}
        onCancel={() => c.setPendingNumbering(null)}
      />
      <ConfirmDialog
        open={pd !== null}
        title={deleteTitle(c.plan, pd)}
        confirmLabel="削除する"
        danger
        busy={busy}
        onConfirm={() => pd && removals(c).confirmDelete(pd)}
        onCancel={() => c.setPendingDelete(null)}
      >
        {pd?.kind === 'project' && (
          <p>
            回答のない事業は削除します。回答のある事業は削除せずにアーカイブします。アーカイブした事業は新しい照会に含まれず、過去の年度の報告には残り、いつでも復元できます。
          </p>
        )}
        {pd?.kind === 'node' && (
          <>
            <p>
              下に項目や事業が残っている間は削除できません。過去の年度に番号や回答が使われている項目は、削除せずにアーカイブします（過去の年度の報告には残り、いつでも復元できます）。
            </p>
            {pd.preview && pd.preview.changes.length > 0 && (
              <>
                <p>{numberingYearNote(pd.preview, era)}</p>
                <NumberingChanges changes={pd.preview.changes} label="変わる番号" />
              </>
            )}
          </>
        )}
      </ConfirmDialog>
    </>
  );
}

/** 計画の設定: the plan's own fields, where its evaluation is set, and the indicators of the plan as a whole. */
function SettingsPanel({
  c,
  busy,
  error,
  departments,
  canEdit,
}: {
  c: EditorContext;
  busy: boolean;
  error: unknown;
  departments: Department[];
  canEdit: boolean;
}) {
  const { plan } = c;
  return (
    <section className="detail-panel" aria-labelledby="settings-title">
      <h2 id="settings-title">計画の設定</h2>
      <PlanSettings plan={plan} busy={busy} error={error} onSave={projectSaves(c).saveSettings} />
      <p className="plan-settings-evaluation">
        評価の項目と尺度（年度ごと）は
        <Link to={`/m/${c.mid}/plans/${plan.plan.id}/evaluation`}>評価の方法</Link>
        で設定します。
      </p>
      <IndicatorsSection mid={c.mid} plan={plan} owner={{ kind: 'plan' }} departments={departments} canEdit={canEdit} />
    </section>
  );
}
