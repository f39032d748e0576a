import { ENTRY_ROLE_LABELS, RULE_KIND_LABELS, SUBJECT_KIND_LABELS } from '../../../domain/evaluation/index.js';
import type { ConfigDraft } from './config-draft.js';
import type { FieldErrors } from './field-errors.js';

export type ItemSelection = { kind: 'slot' | 'scale'; index: number };

/**
 * The slots and scales of the configuration being edited, as two short lists: choosing one opens it
 * in the panel beside. Each says in a word what it is, and how many messages it has.
 */
export function ItemList({
  draft,
  selection,
  onSelect,
  onAdd,
  err,
  canEdit,
}: {
  draft: ConfigDraft;
  selection: ItemSelection;
  onSelect(s: ItemSelection): void;
  onAdd(kind: 'slot' | 'scale'): void;
  err: FieldErrors;
  canEdit: boolean;
}) {
  const slotItems = draft.slots.map((s) => ({
    title: s.name || '（名前なし）',
    detail: `${SUBJECT_KIND_LABELS[s.subject].replace(/（.*$/, '')}・${ENTRY_ROLE_LABELS[s.enteredBy].replace(/（.*$/, '')}`,
  }));
  const scaleItems = draft.scales.map((s) => ({
    title: s.name || '（名前なし）',
    detail: `${RULE_KIND_LABELS[s.rule.kind].replace(/（.*$/, '')}・${s.grades.map((g) => g.code).join(' ')}`,
  }));
  return (
    <nav className="eval-items" aria-label="評価の項目と尺度">
      <h3>評価の項目</h3>
      <p className="hint">報告の列になる評価です。</p>
      <Items kind="slot" items={slotItems} selection={selection} onSelect={onSelect} err={err} />
      {canEdit && (
        <button type="button" className="button secondary small" onClick={() => onAdd('slot')}>
          評価の項目を追加
        </button>
      )}
      <h3>尺度</h3>
      <p className="hint">評価の記号と、その決め方です。</p>
      <Items kind="scale" items={scaleItems} selection={selection} onSelect={onSelect} err={err} />
      {canEdit && (
        <button type="button" className="button secondary small" onClick={() => onAdd('scale')}>
          尺度を追加
        </button>
      )}
    </nav>
  );
}

function Items({
  kind,
  items,
  selection,
  onSelect,
  err,
}: {
  kind: 'slot' | 'scale';
  items: { title: string; detail: string }[];
  selection: ItemSelection;
  onSelect(s: ItemSelection): void;
  err: FieldErrors;
}) {
  return (
    <ul className="eval-item-list">
      {items.map((item, index) => {
        const current = selection.kind === kind && selection.index === index;
        const problems = err.within(`config.${kind === 'slot' ? 'slots' : 'scales'}.${index}`);
        return (
          <li key={index}>
            <button
              type="button"
              className={`eval-item${current ? ' current' : ''}${problems ? ' has-error' : ''}`}
              aria-current={current ? 'true' : undefined}
              onClick={() => onSelect({ kind, index })}
            >
              <span className="eval-item-title">{item.title}</span>
              <span className="eval-item-detail">{item.detail}</span>
              {problems > 0 && <span className="eval-item-error">要修正 {problems}件</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
