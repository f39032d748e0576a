import { useId, useState, type ReactNode } from 'react';
import { gradeDef, type Scale } from '../../../domain/evaluation/index.js';
import type { SlotValueDto } from '../../lib/types.js';
import { changed, codeOptions, valueSpeech, type SlotColumn } from './node-values.js';

export interface CellMessage {
  tone: 'done' | 'error';
  text: string;
}

export interface EntryDraft {
  code: string;
  comment: string;
  reason: string;
}

/** A saved value: its symbol (read aloud by its words), its legend, its comment. */
export function ValueView({ scale, value }: { scale: Scale; value: SlotValueDto }) {
  const label = gradeDef(scale, value.code)?.label;
  return (
    <div className="node-eval-value">
      {value.code === null ? (
        <span className="muted">未評価</span>
      ) : (
        <>
          <span className="eval-code" aria-hidden="true">
            {value.code}
          </span>
          {label && (
            <span className="muted" aria-hidden="true">
              {' '}
              {label}
            </span>
          )}
          <span className="visually-hidden">{valueSpeech(scale, value)}</span>
        </>
      )}
      {value.comment && <p className="node-eval-comment">{value.comment}</p>}
      {value.reason && <p className="node-eval-comment muted">理由：{value.reason}</p>}
    </div>
  );
}

/**
 * Entering a slot's value for one row: a code from the legend, a comment where the slot takes one, a
 * reason, saved with the version read (someone saving first is a conflict, said beside it).
 */
export function EntryForm({
  column,
  value,
  rowLabel,
  busy,
  message,
  onSave,
  onHistory,
}: {
  column: SlotColumn;
  value: SlotValueDto;
  /** the row as a screen reader hears it before each control: 「1 啓発の」 */
  rowLabel: string;
  busy: boolean;
  message: CellMessage | undefined;
  onSave(draft: EntryDraft): void;
  onHistory(): void;
}) {
  const { slot, scale } = column;
  const [draft, setDraft] = useState<EntryDraft>({
    code: value.code ?? '',
    comment: value.comment,
    reason: value.reason,
  });
  const dirty = changed(value, draft);
  // Each control is named with its row (「1 啓発の審議会評価」), the row's part read but not shown.
  const named = (text: string) => (
    <>
      <span className="visually-hidden">{rowLabel}の</span>
      {text}
    </>
  );
  return (
    <form
      className="node-eval-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(draft);
      }}
    >
      <CodeSelect
        label={named(slot.name)}
        scale={scale}
        value={draft.code}
        onChange={(code) => setDraft({ ...draft, code })}
      />
      {slot.comment && (
        <EntryText
          label={named(`${slot.name}のコメント`)}
          value={draft.comment}
          multiline
          onChange={(comment) => setDraft({ ...draft, comment })}
        />
      )}
      <EntryText
        label={named(`${slot.name}の理由・根拠（任意）`)}
        value={draft.reason}
        onChange={(reason) => setDraft({ ...draft, reason })}
      />
      <EntryFooter message={message} dirty={dirty}>
        <button type="submit" className="button primary small" disabled={busy || !dirty}>
          {named(`${slot.name}を保存`)}
        </button>
        {value.entryId !== null && (
          <button type="button" className="button secondary small" onClick={onHistory}>
            {named(`${slot.name}の履歴`)}
          </button>
        )}
      </EntryFooter>
    </form>
  );
}

function EntryText({
  label,
  value,
  multiline,
  onChange,
}: {
  label: ReactNode;
  value: string;
  multiline?: boolean;
  onChange(v: string): void;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea id={id} rows={3} value={value} maxLength={4000} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input id={id} type="text" value={value} maxLength={1000} onChange={(e) => onChange(e.target.value)} />
      )}
    </div>
  );
}

/** What happened to the last save (or that there is something to save), and the buttons. */
function EntryFooter({
  message,
  dirty,
  children,
}: {
  message: CellMessage | undefined;
  dirty: boolean;
  children: ReactNode;
}) {
  return (
    <>
      {message?.tone === 'error' ? (
        <p role="alert" className="field-error">
          {message.text}
        </p>
      ) : (
        <p role="status" className="status-message">
          {dirty ? '保存していない変更があります' : (message?.text ?? '')}
        </p>
      )}
      <div className="button-row">{children}</div>
    </>
  );
}

function CodeSelect({
  label,
  scale,
  value,
  onChange,
}: {
  label: ReactNode;
  scale: Scale;
  value: string;
  onChange(code: string): void;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">（未評価）</option>
        {codeOptions(scale).map((o) => (
          <option key={o.code} value={o.code}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
