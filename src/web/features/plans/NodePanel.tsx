import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { PlanDetail, PlanNode } from '../../lib/types.js';
import { ErrorSummary, Field, FieldScope } from '../../components/forms.js';
import { eligibleParents, nodePath, type TreeIndex } from './tree-model.js';
import { indentedLabel, treeOptions } from '../../lib/node-options.js';
import { YearFields } from './YearFields.js';

export interface NodeDraft {
  title: string;
  description: string;
  numberOverride: string;
  priority: boolean;
  subPlans: string[];
  startYear: number | null;
  endYear: number | null;
}

interface Props {
  plan: PlanDetail;
  index: TreeIndex;
  /** the node being edited, or null for a new node under `parentId` */
  node: PlanNode | null;
  parentId: number | null;
  canEdit: boolean;
  busy: boolean;
  error: unknown;
  onSave(draft: NodeDraft): void;
  onAddChild(parentId: number): void;
  onAddProject(nodeId: number): void;
  onMove(nodeId: number, parentId: number | null, index: number): void;
  onDelete(node: PlanNode): void;
  /** what else belongs to the node, shown below its actions (its 成果指標) */
  children?: ReactNode;
}

export function NodePanel({
  plan,
  index,
  node,
  parentId,
  canEdit,
  busy,
  error,
  onSave,
  onAddChild,
  onAddProject,
  onMove,
  onDelete,
  children,
}: Props) {
  const depth = node ? node.depth : parentId === null ? 0 : index.nodeById.get(parentId)!.depth + 1;
  const level = plan.levels[depth];
  const [draft, setDraft] = useState<NodeDraft>(() => toDraft(plan, node));
  useEffect(() => setDraft(toDraft(plan, node)), [node, plan]);
  const path = node ? nodePath(index, node.id) : parentId !== null ? nodePath(index, parentId) : [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(draft);
  };

  return (
    <section className="detail-panel" aria-labelledby="node-panel-title">
      <h2 id="node-panel-title">
        {node ? `${level?.name ?? ''} ${node.number} ${node.title}` : `${level?.name ?? '項目'}を追加`}
      </h2>
      {path.length > 0 && (
        <p className="breadcrumb">
          {path.map((n) => `${plan.levels[n.depth]?.name ?? ''} ${n.number}`.trim()).join(' › ')}
        </p>
      )}
      <FieldScope error={error}>
        <form onSubmit={submit} noValidate>
          <ErrorSummary />
          <fieldset disabled={!canEdit} className="plain">
            <NodeFields plan={plan} node={node} levelName={level?.name ?? '項目'} draft={draft} onChange={setDraft} />
            <button type="submit" className="button primary" disabled={busy}>
              {node ? '保存する' : '追加する'}
            </button>
          </fieldset>
        </form>
      </FieldScope>

      {node && canEdit && (
        <NodeActions
          plan={plan}
          index={index}
          node={node}
          busy={busy}
          onAddChild={onAddChild}
          onAddProject={onAddProject}
          onMove={onMove}
          onDelete={onDelete}
        />
      )}
      {children}
    </section>
  );
}

/** The node's own fields: name, hand-written number, years, description, 重点, the plans it belongs to. */
function NodeFields({
  plan,
  node,
  levelName,
  draft,
  onChange,
}: {
  plan: PlanDetail;
  node: PlanNode | null;
  levelName: string;
  draft: NodeDraft;
  onChange(draft: NodeDraft): void;
}) {
  return (
    <>
      <Field label={`${levelName}の名称`} name="title" required maxLength={200} value={draft.title}>
        {(p) => (
          <input
            {...p}
            type="text"
            value={draft.title}
            onChange={(e) => onChange({ ...draft, title: e.target.value })}
          />
        )}
      </Field>
      <Field
        label="番号（手入力）"
        hint="空欄なら階層の番号形式で自動的に振られます"
        name="numberOverride"
        maxLength={20}
      >
        {(p) => (
          <input
            {...p}
            type="text"
            size={10}
            value={draft.numberOverride}
            onChange={(e) => onChange({ ...draft, numberOverride: e.target.value })}
          />
        )}
      </Field>
      <YearFields
        startYear={draft.startYear}
        endYear={draft.endYear}
        period={plan.plan}
        onChange={(span) => onChange({ ...draft, ...span })}
      />
      <Field label="説明（施策の内容など）" name="description" maxLength={2000} value={draft.description}>
        {(p) => (
          <textarea
            {...p}
            rows={3}
            value={draft.description}
            onChange={(e) => onChange({ ...draft, description: e.target.value })}
          />
        )}
      </Field>
      <div className="field checkbox">
        <label>
          <input
            type="checkbox"
            checked={draft.priority}
            onChange={(e) => onChange({ ...draft, priority: e.target.checked })}
          />
          重点項目（★）
        </label>
      </div>
      {plan.plan.subPlans.length > 0 && <SubPlansField plan={plan} node={node} draft={draft} onChange={onChange} />}
    </>
  );
}

/** 関連計画: chosen here for the node and all below it, with those inherited from above named. */
function SubPlansField({
  plan,
  node,
  draft,
  onChange,
}: {
  plan: PlanDetail;
  node: PlanNode | null;
  draft: NodeDraft;
  onChange(draft: NodeDraft): void;
}) {
  const inherited = node ? node.effectiveSubPlanIds.filter((id) => !node.subPlanIds.includes(id)) : [];
  return (
    <fieldset className="field">
      <legend>関連計画</legend>
      <p className="hint">選んだ計画は、この項目とその下のすべての項目・事業に及びます。</p>
      {plan.plan.subPlans.map((s) => (
        <label key={s.id} className="inline-check">
          <input
            type="checkbox"
            checked={draft.subPlans.includes(s.name)}
            onChange={(e) =>
              onChange({
                ...draft,
                subPlans: e.target.checked ? [...draft.subPlans, s.name] : draft.subPlans.filter((x) => x !== s.name),
              })
            }
          />
          {s.name}
        </label>
      ))}
      {inherited.length > 0 && (
        <p className="hint">
          上位から引き継ぎ: {inherited.map((id) => plan.plan.subPlans.find((s) => s.id === id)?.name).join('、')}
        </p>
      )}
    </fieldset>
  );
}

/** What can be done with a saved node: add below it, move it, delete it. */
function NodeActions({
  plan,
  index,
  node,
  busy,
  onAddChild,
  onAddProject,
  onMove,
  onDelete,
}: Omit<Props, 'node' | 'parentId' | 'canEdit' | 'error' | 'onSave'> & { node: PlanNode }) {
  const depth = node.depth;
  const siblings = index.childrenOf.get(node.parentId) ?? [];
  const at = siblings.findIndex((s) => s.id === node.id);
  return (
    <div className="panel-actions">
      <h3>操作</h3>
      <div className="button-row">
        {depth + 1 < plan.levels.length && (
          <button type="button" className="button secondary" onClick={() => onAddChild(node.id)}>
            {plan.levels[depth + 1]!.name}を追加
          </button>
        )}
        <button type="button" className="button secondary" onClick={() => onAddProject(node.id)}>
          事業を追加
        </button>
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button secondary small"
          disabled={at <= 0 || busy}
          onClick={() => onMove(node.id, node.parentId, at - 1)}
        >
          上へ
        </button>
        <button
          type="button"
          className="button secondary small"
          disabled={at < 0 || at >= siblings.length - 1 || busy}
          onClick={() => onMove(node.id, node.parentId, at + 1)}
        >
          下へ
        </button>
      </div>
      <p className="hint">ツリーで Alt+↑／Alt+↓ を押しても移動できます。</p>
      <MoveUnderForm plan={plan} index={index} node={node} busy={busy} onMove={onMove} />
      <button type="button" className="button danger small" disabled={busy} onClick={() => onDelete(node)}>
        この{plan.levels[depth]?.name ?? '項目'}を削除
      </button>
    </div>
  );
}

/** Moving the node under another node of the level above (shown when there is another). */
function MoveUnderForm({
  plan,
  index,
  node,
  busy,
  onMove,
}: Pick<Props, 'plan' | 'index' | 'busy' | 'onMove'> & { node: PlanNode }) {
  const [moveTo, setMoveTo] = useState<string>('');
  const parents = eligibleParents(plan, node);
  if (parents.length <= 1) return null;
  const ids = new Set(parents.filter((p2) => p2.id !== node.parentId).map((p2) => p2.id));
  const options = treeOptions(plan.nodes, { keep: (n) => ids.has(n.id) });
  return (
    <form
      className="move-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (moveTo) onMove(node.id, Number(moveTo), index.childrenOf.get(Number(moveTo))?.length ?? 0);
      }}
    >
      <Field label="別の項目の下へ移動">
        {(p) => (
          <select {...p} value={moveTo} onChange={(e) => setMoveTo(e.target.value)}>
            <option value="">移動先を選んでください</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {indentedLabel(o)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" className="button secondary small" disabled={!moveTo || busy}>
        移動する
      </button>
    </form>
  );
}

function toDraft(plan: PlanDetail, node: PlanNode | null): NodeDraft {
  return {
    title: node?.title ?? '',
    description: node?.description ?? '',
    numberOverride: node?.numberOverride ?? '',
    priority: node?.priority ?? false,
    subPlans: (node?.subPlanIds ?? []).map((id) => plan.plan.subPlans.find((s) => s.id === id)!.name),
    // A new node belongs to the year being worked on and later ones, unless told otherwise.
    startYear: node ? node.startYear : plan.plan.currentYear,
    endYear: node?.endYear ?? null,
  };
}
