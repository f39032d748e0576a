import { memo, useEffect, useRef, type DragEvent, type KeyboardEvent } from 'react';
import type { Department, Level, PlanDetail } from '../../lib/types.js';
import type { TreeIndex, TreeItem } from './tree-model.js';
import type { Reveal } from './plan-editor-actions.js';
import { Highlight } from '../../components/SearchBox.js';
import { useEra } from '../../lib/hooks.js';
import { appliesIn, spanTag } from './years.js';
import { treeKeyAction } from './tree-keys.js';
import './plan-structure.css';

interface Props {
  plan: PlanDetail;
  index: TreeIndex;
  items: TreeItem[];
  levels: Level[];
  departments: Map<number, Department>;
  focusedKey: string | null;
  /** a row to bring into view (and focus) once it is shown */
  revealing: Reveal | null;
  /** what the tree is searched for: the words are marked in the rows */
  query: string;
  selectedKey: string | null;
  expanded: ReadonlySet<number>;
  onFocusKey(key: string): void;
  onSelect(item: TreeItem): void;
  onToggle(nodeId: number, open: boolean): void;
  onKeyboardMove(nodeId: number, direction: -1 | 1): void;
  onDropNode(nodeId: number, target: TreeItem): void;
}

/**
 * The plan as a WAI-ARIA tree: one tab stop, arrows to walk, →/← to open and close, Enter to
 * open an item in the panel, Alt+↑/↓ to move a node. Nodes can also be dragged with the mouse.
 */
export function PlanTree(props: Props) {
  const { items, focusedKey } = props;
  const era = useEra();
  const period = props.plan.plan;
  const listRef = useRef<HTMLUListElement>(null);
  const active = focusedKey && items.some((i) => i.key === focusedKey) ? focusedKey : items[0]?.key;

  useEffect(() => {
    const el = listRef.current?.querySelector<HTMLElement>(`[data-key="${active}"]`);
    if (el && listRef.current?.contains(document.activeElement) && document.activeElement !== el) el.focus();
  }, [active, items]);

  // A row a change brought about (added, saved, moved): scrolled into the tree's view, focused when asked.
  const revealed = useRef(0);
  useEffect(() => {
    if (!props.revealing || revealed.current === props.revealing.n) return;
    const el = listRef.current?.querySelector<HTMLElement>(`[data-key="${props.revealing.key}"]`);
    if (!el) return;
    revealed.current = props.revealing.n;
    el.scrollIntoView({ block: 'nearest' });
    if (props.revealing.focus) {
      props.onFocusKey(props.revealing.key);
      el.focus({ preventScroll: true });
    }
    // Once per reveal, when its row is there.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.revealing, items]);

  const focusItem = (key: string | undefined) => {
    if (!key) return;
    props.onFocusKey(key);
    listRef.current?.querySelector<HTMLElement>(`[data-key="${key}"]`)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const at = items.findIndex((i) => i.key === active);
    const action = treeKeyAction(e, items, at, props.expanded);
    if (!action) return;
    e.preventDefault();
    if (action.kind === 'focus') focusItem(action.key);
    else if (action.kind === 'toggle') props.onToggle(action.nodeId, action.open);
    else if (action.kind === 'move') props.onKeyboardMove(action.nodeId, action.direction);
    else if (action.kind === 'select') props.onSelect(items[at]!);
  };

  return (
    <ul
      ref={listRef}
      role="tree"
      aria-label={`${props.plan.plan.title}の体系`}
      className="plan-tree"
      onKeyDown={onKeyDown}
    >
      {items.map((item) => (
        <Row
          key={item.key}
          item={item}
          query={props.query}
          levelName={item.kind === 'node' ? (props.levels[item.node.depth]?.name ?? '') : '事業'}
          departments={props.departments}
          subPlans={props.plan.plan.subPlans}
          span={spanTag(item.kind === 'node' ? item.node : item.project, period, era)}
          outOfYear={
            period.currentYear !== null &&
            !appliesIn(item.kind === 'node' ? item.node : item.project, period.currentYear)
          }
          tabbable={item.key === active}
          selected={item.key === props.selectedKey}
          expanded={item.kind === 'node' && item.hasChildren ? props.expanded.has(item.node.id) : undefined}
          onClick={() => {
            props.onFocusKey(item.key);
            props.onSelect(item);
          }}
          onToggle={props.onToggle}
          onDropNode={props.onDropNode}
        />
      ))}
    </ul>
  );
}

interface RowProps {
  item: TreeItem;
  query: string;
  levelName: string;
  departments: Map<number, Department>;
  subPlans: { id: number; name: string }[];
  /** 「令和8年度〜」 when its years differ from the plan period */
  span: string | null;
  /** it does not apply in the year being worked on */
  outOfYear: boolean;
  tabbable: boolean;
  selected: boolean;
  expanded: boolean | undefined;
  onClick(): void;
  onToggle(nodeId: number, open: boolean): void;
  onDropNode(nodeId: number, target: TreeItem): void;
}

const DRAG_TYPE = 'application/x-shinchoku-node';

const Row = memo(function Row({
  item,
  query,
  levelName,
  departments,
  subPlans,
  span,
  outOfYear,
  tabbable,
  selected,
  expanded,
  onClick,
  onToggle,
  onDropNode,
}: RowProps) {
  return (
    <li
      role="treeitem"
      data-key={item.key}
      aria-level={item.level}
      aria-setsize={item.setSize}
      aria-posinset={item.posInSet}
      aria-expanded={expanded}
      aria-selected={selected}
      tabIndex={tabbable ? 0 : -1}
      className={`tree-item ${item.kind}${selected ? ' selected' : ''}${outOfYear ? ' out-of-year' : ''}`}
      style={{ paddingInlineStart: `${(item.level - 1) * 1.25 + 0.5}rem` }}
      onClick={(e) => {
        e.stopPropagation();
        onClick();
      }}
      {...dragAndDrop(item, onDropNode)}
    >
      {item.kind === 'node' ? (
        <NodeRow
          item={item}
          query={query}
          levelName={levelName}
          subPlans={subPlans}
          span={span}
          expanded={expanded}
          onToggle={onToggle}
        />
      ) : (
        <ProjectRow item={item} query={query} departments={departments} span={span} />
      )}
    </li>
  );
});

/** A node is dragged by its id; any row takes a dropped node. */
function dragAndDrop(item: TreeItem, onDropNode: RowProps['onDropNode']) {
  const dragProps =
    item.kind === 'node'
      ? {
          draggable: true,
          onDragStart: (e: DragEvent) => {
            e.dataTransfer.setData(DRAG_TYPE, String(item.node.id));
            e.dataTransfer.effectAllowed = 'move';
          },
        }
      : {};
  return {
    ...dragProps,
    onDragOver: (e: DragEvent) => {
      if (e.dataTransfer.types.includes(DRAG_TYPE)) e.preventDefault();
    },
    onDrop: (e: DragEvent) => {
      const id = Number(e.dataTransfer.getData(DRAG_TYPE));
      if (id) {
        e.preventDefault();
        onDropNode(id, item);
      }
    },
  };
}

function NodeRow({
  item,
  query,
  levelName,
  subPlans,
  span,
  expanded,
  onToggle,
}: Pick<RowProps, 'query' | 'levelName' | 'subPlans' | 'span' | 'expanded' | 'onToggle'> & {
  item: Extract<TreeItem, { kind: 'node' }>;
}) {
  return (
    <>
      <span
        className="twisty"
        aria-hidden="true"
        onClick={(e) => {
          e.stopPropagation();
          if (expanded !== undefined) onToggle(item.node.id, !expanded);
        }}
      >
        {expanded === undefined ? '・' : expanded ? '▾' : '▸'}
      </span>
      <span className="level-name">{levelName}</span>
      {item.node.number && (
        <span className="node-number">
          <Highlight text={item.node.number} query={query} />
        </span>
      )}
      <span className="node-title">
        <Highlight text={item.node.title} query={query} />
      </span>
      {item.node.priority && (
        <span className="badge priority">
          <span aria-hidden="true">★</span>重点
        </span>
      )}
      {item.node.subPlanIds.map((id) => (
        <span key={id} className="badge sub-plan">
          {subPlans.find((s) => s.id === id)?.name}
        </span>
      ))}
      {span && <span className="badge year-span-tag">{span}</span>}
    </>
  );
}

function ProjectRow({
  item,
  query,
  departments,
  span,
}: Pick<RowProps, 'query' | 'departments' | 'span'> & { item: Extract<TreeItem, { kind: 'project' }> }) {
  return (
    <>
      <span className="twisty" aria-hidden="true">
        ・
      </span>
      <span className="level-name">事業</span>
      <span className="node-number">
        <Highlight text={item.project.number} query={query} />
      </span>
      <span className="node-title">
        <Highlight text={item.project.name} query={query} />
      </span>
      {item.crossListed && <span className="badge cross-list">再掲</span>}
      {span && <span className="badge year-span-tag">{span}</span>}
      <span className="project-departments">
        <Highlight
          text={[item.project.leadDepartmentId, ...item.project.coDepartmentIds]
            .map((id) => (id === null ? '' : (departments.get(id)?.name ?? '')))
            .filter(Boolean)
            .join('・')}
          query={query}
        />
      </span>
    </>
  );
}
