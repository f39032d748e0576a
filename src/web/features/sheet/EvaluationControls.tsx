import { codeSpeech, EVALUATION_SOURCE_LABELS, standing, type GradeDef } from '../../../domain/evaluation/index.js';
import { PHASE_LABELS } from '../../../domain/cycle-terms.js';
import type { AnswerEntryDto } from '../../lib/types.js';
import type { SlotView } from './sheet-evaluation.js';
import './evaluation-controls.css';

export type EntryPatch = Partial<Pick<AnswerEntryDto, 'code' | 'reason' | 'comment'>>;

interface ControlProps {
  /** the prefix of the control ids */
  id: string;
  view: SlotView;
  /** what the slot evaluates, for the labels screen readers hear (「講座開催回数」の) */
  subject: string;
  /** the server's message for this entry after a refused save */
  error: string | undefined;
  onEntry(patch: EntryPatch): void;
}

/** A code as its symbol, with its words for screen readers. */
export function CodeText({ code, speech }: { code: string; speech: string }) {
  return (
    <>
      <strong className="slot-code" aria-hidden="true">
        {code}
      </strong>
      <span className="visually-hidden">{speech}</span>
    </>
  );
}

/** What the slot prints now, and how it came to it: computed (with the basis), entered, changed, not evaluated. */
export function SlotValue({ id, view }: { id: string; view: SlotView }) {
  const { resolved, judgement, scale } = view;
  if (resolved.source === 'excluded')
    return (
      <p id={id} className="slot-value">
        評価しない<span className="hint">{judgement?.basis}</span>
      </p>
    );
  if (resolved.code === null)
    return (
      <p id={id} className="slot-value">
        未評価{judgement?.basis && <span className="hint">{judgement.basis}</span>}
      </p>
    );
  const computed = judgement?.code ?? null;
  return (
    <p id={id} className="slot-value">
      <CodeText code={resolved.code} speech={codeSpeech(scale, resolved.code)} />
      {resolved.source === 'computed' && <span className="hint">計算（{judgement?.basis}）</span>}
      {resolved.source === 'override' && computed === null && (
        <span className="hint">
          {EVALUATION_SOURCE_LABELS.override}（計算できません：{judgement?.basis}）理由：{resolved.reason}
        </span>
      )}
      {resolved.source === 'override' && computed !== null && (
        <span className="hint">
          {EVALUATION_SOURCE_LABELS.override}（計算では {computed}
          <span className="visually-hidden">（{codeSpeech(scale, computed)}）</span>：{judgement?.basis}）
        </span>
      )}
    </p>
  );
}

function CodeOptions({ choices }: { choices: GradeDef[] }) {
  return choices.map((g) => (
    <option key={g.code} value={g.code}>
      {g.label ? `${g.code}（${g.label}）` : g.code}
    </option>
  ));
}

const RequiredMark = () => <span className="required">必須</span>;

/** A computed slot's value, and another code with its reason where the slot lets the department change it. */
function OverrideControl({ id, view, subject, error, onEntry }: ControlProps) {
  const code = view.entry?.code ?? '';
  const computed = view.judgement?.code ?? null;
  const changed = code !== '' && code !== computed;
  const message = view.problem ?? error;
  return (
    <div className="slot-control">
      <label htmlFor={`${id}-code`}>
        評価を変える
        <span className="visually-hidden">
          （{subject}の{view.slot.name}）
        </span>
      </label>
      <select
        id={`${id}-code`}
        value={code}
        aria-describedby={`${id}-value`}
        onChange={(e) => onEntry({ code: e.target.value || null })}
      >
        <option value="">計算どおり（{computed}）</option>
        <CodeOptions choices={view.choices.filter((g) => g.code !== computed)} />
      </select>
      {changed && (
        <ReasonField
          id={id}
          label="評価を変える理由"
          subject={`${subject}の${view.slot.name}`}
          required
          value={view.entry?.reason ?? ''}
          message={message}
          onChange={(reason) => onEntry({ reason })}
        />
      )}
      {!changed && message && <FieldMessage id={`${id}-error`} message={message} />}
    </div>
  );
}

function FieldMessage({ id, message }: { id: string; message: string }) {
  return (
    <p id={id} className="field-error">
      {message}
    </p>
  );
}

function ReasonField({
  id,
  label,
  subject,
  required,
  hint,
  value,
  message,
  onChange,
}: {
  id: string;
  label: string;
  subject: string;
  required?: boolean;
  hint?: string;
  value: string;
  message: string | null | undefined;
  onChange(v: string): void;
}) {
  const described = [hint && `${id}-reason-hint`, message && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <label htmlFor={`${id}-reason`}>
        {label}
        <span className="visually-hidden">（{subject}）</span>
        {required && <RequiredMark />}
      </label>
      {hint && (
        <p id={`${id}-reason-hint`} className="hint">
          {hint}
        </p>
      )}
      <input
        id={`${id}-reason`}
        type="text"
        value={value}
        aria-required={required ? true : undefined}
        aria-invalid={message ? true : undefined}
        aria-describedby={described}
        onChange={(e) => onChange(e.target.value)}
      />
      {message && <FieldMessage id={`${id}-error`} message={message} />}
    </>
  );
}

/**
 * A code chosen by the department: its own slot (any code of the legend) or, where nothing computes,
 * a hand code; with a reason where the code is not the best, and a comment where the slot takes one.
 */
function ChooseControl({
  id,
  view,
  subject,
  error,
  onEntry,
  label,
  previous,
  valueShown,
}: ControlProps & { label: string; previous?: string | null; valueShown: boolean }) {
  const code = view.entry?.code ?? '';
  const message = view.problem ?? error;
  // The department's own grade below the best asks for its reason (the self-evaluation checks look for one).
  const below = view.mode === 'enter' && code !== '' && (standing(view.scale, code) ?? 1) < 1;
  const described = [valueShown && `${id}-value`, message && !below && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className="slot-control">
      <label htmlFor={`${id}-code`}>
        {label}
        {view.required && <RequiredMark />}
      </label>
      <select
        id={`${id}-code`}
        value={code}
        aria-describedby={described || undefined}
        aria-invalid={message && !below ? true : undefined}
        onChange={(e) => onEntry({ code: e.target.value || null })}
      >
        <option value="">（未選択）</option>
        <CodeOptions choices={view.choices} />
      </select>
      {previous && (
        <span className="previous-inline">
          前年度: {previous}
          <span className="visually-hidden">（{codeSpeech(view.scale, previous)}）</span>
        </span>
      )}
      {(below || view.entry?.reason) && (
        <ReasonField
          id={id}
          label="評価の理由・今後の対応"
          subject={`${subject}の${view.slot.name}`}
          hint="最上位でない評価には、理由か今後の対応を書いてください（備考に書いてもかまいません）"
          value={view.entry?.reason ?? ''}
          message={below ? message : undefined}
          onChange={(reason) => onEntry({ reason })}
        />
      )}
      {!below && message && <FieldMessage id={`${id}-error`} message={message} />}
      {view.slot.comment && <CommentField id={id} view={view} subject={subject} onEntry={onEntry} />}
    </div>
  );
}

function CommentField({ id, view, subject, onEntry }: Pick<ControlProps, 'id' | 'view' | 'subject' | 'onEntry'>) {
  return (
    <>
      <label htmlFor={`${id}-comment`}>
        {view.slot.name}のコメント<span className="visually-hidden">（{subject}）</span>
      </label>
      <textarea
        id={`${id}-comment`}
        rows={2}
        value={view.entry?.comment ?? ''}
        onChange={(e) => onEntry({ comment: e.target.value })}
      />
    </>
  );
}

/** One slot on one subject: what it prints now and, where the department may, the control to change it. */
export function SlotControl(props: ControlProps & { label?: string; previous?: string | null }) {
  const { id, view, subject } = props;
  // A code the department chooses shows in its select; what a rule computed (or could not) is said above it.
  const valueShown = view.mode === 'override' || view.mode === 'show' || (view.mode === 'hand' && !!view.judgement);
  return (
    <div className="slot-cell">
      {/* A value shown without a control of its own says whose it is (an answer's slots sit side by side). */}
      {(view.enteredIn || (view.mode === 'show' && props.label)) && (
        <strong className="slot-name">{props.label ?? view.slot.name}</strong>
      )}
      {valueShown && <SlotValue id={`${id}-value`} view={view} />}
      {view.mode === 'override' && <OverrideControl {...props} />}
      {(view.mode === 'enter' || view.mode === 'hand') && (
        <ChooseControl {...props} label={props.label ?? view.slot.name} valueShown={valueShown} />
      )}
      {view.enteredIn && <p className="hint">{PHASE_LABELS[view.enteredIn]}の照会で入力します</p>}
      {view.mode === 'show' && view.slot.comment && view.entry?.comment && (
        <p className="hint">
          コメント<span className="visually-hidden">（{subject}）</span>: {view.entry.comment}
        </p>
      )}
    </div>
  );
}
