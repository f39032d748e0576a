import { useId, useState } from 'react';
import { formatDateTime } from '../../lib/dates.js';
import { Link } from 'react-router';
import { api, ApiError } from '../../lib/api.js';
import type { Sheet, SheetItem } from '../../lib/types.js';
import { ErrorAlert, Field, FieldScope } from '../../components/forms.js';
import { CommentBox } from '../../components/CommentBox.js';
import { departmentMayEdit, RECORD_STATUS_LABELS, TEXT_LIMIT } from '../../../domain/cycle-terms.js';
import { IndicatorActuals } from './IndicatorActuals.js';
import type { Draft, EditState } from './record-edit-state.js';
import { ConflictPanel } from './ConflictPanel.js';
import { useAutosave } from './useAutosave.js';
import { AnswerEvaluations } from './AnswerEvaluations.js';
import { answerViews, entryField, sheetSlots, withEntry, type AnswerViews, type EntryRef } from './sheet-evaluation.js';
import type { EntryPatch } from './EvaluationControls.js';
import { CustomFieldInputs, CustomFieldList } from '../../components/CustomFields.js';
import { liveChecks } from './sheet-checks.js';
import type { CheckFinding } from '../../../domain/evaluation/index.js';
import './answer-checks.css';
import type { CustomFieldDef } from '../../../domain/plan-fields.js';

/** The message the server gave for one field of this record, to show beside it. */
function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(field) : undefined;
}

/**
 * One project's answer. Typing saves by itself a moment later (never in the middle of an IME
 * composition), with the version the user's text is based on. What the user typed stays on screen
 * after a save; if someone else saved in between, both versions are shown side by side and the user
 * chooses per field.
 */
export function RecordEditor({
  mid,
  sheet,
  item,
  coordinating,
  onDirty,
  onChanged,
}: {
  mid: number;
  sheet: Sheet;
  item: SheetItem;
  coordinating: boolean;
  onDirty(recordId: number, dirty: boolean): void;
  onChanged(): void;
}) {
  const autosave = useAutosave(mid, sheet, item, onDirty);
  const s = autosave.state;
  const headingId = useId();
  const status = s.base.status;
  const editable = sheet.open && sheet.canEdit && (coordinating ? status !== 'approved' : departmentMayEdit(status));
  const error = s.status === 'error' ? s.error : null;

  return (
    <article
      className={`record-card status-${status}`}
      aria-labelledby={headingId}
      onCompositionStart={autosave.compositionStarted}
      onCompositionEnd={autosave.compositionEnded}
    >
      <RecordHeader headingId={headingId} item={item} state={s} onRetry={autosave.retry} />
      <ProjectFacts item={item} fields={sheet.customFields} />
      {s.status === 'conflict' && s.theirs && (
        <ConflictPanel
          mine={s.draft}
          theirs={s.theirs}
          base={s.base}
          item={item}
          config={sheet.evaluation}
          fields={sheet.customFields}
          onMerge={autosave.merge}
          onTakeTheirs={() => {
            autosave.takeTheirs();
            onChanged();
          }}
        />
      )}
      {error !== null && !fieldErrorsCover(error) && <ErrorAlert error={error} />}
      <FieldScope error={error}>
        <AnswerFields
          idPrefix={headingId}
          sheet={sheet}
          item={item}
          draft={s.draft}
          error={error}
          editable={editable}
          onChange={autosave.edit}
        />
      </FieldScope>
      <footer className="record-footer">
        <Link to={`/m/${mid}/records/${item.record.id}/history`}>変更履歴</Link>
        {coordinating && <ReviewActions mid={mid} item={item} onDone={onChanged} />}
        {!coordinating && sheet.canEdit && <CommentForm mid={mid} recordId={item.record.id} onDone={onChanged} />}
      </footer>
    </article>
  );
}

function RecordHeader({
  headingId,
  item,
  state,
  onRetry,
}: {
  headingId: string;
  item: SheetItem;
  state: EditState;
  onRetry(): void;
}) {
  const status = state.base.status;
  return (
    <header className="record-header">
      <h2 id={headingId}>
        <span className="project-number">事業{item.project.number}</span> {item.project.name}
      </h2>
      <span className={`status-badge status-${status}`}>{RECORD_STATUS_LABELS[status]}</span>
      <SaveIndicator state={state} onRetry={onRetry} />
    </header>
  );
}

/** Where the project sits, what it is, and the comments on this answer. */
function ProjectFacts({ item, fields }: { item: SheetItem; fields: CustomFieldDef[] }) {
  return (
    <>
      <p className="breadcrumb">{item.project.path}</p>
      <CustomFieldList defs={fields.filter((f) => f.on === 'project')} values={item.project.custom} />
      {item.project.summary && (
        <details className="summary">
          <summary>事業概要{item.project.category ? `（区分: ${item.project.category}）` : ''}</summary>
          <p>{item.project.summary}</p>
          {item.project.audience && <p>対象者: {item.project.audience}</p>}
        </details>
      )}
      {item.comments.length > 0 && (
        <ul className="comments" aria-label="コメント">
          {item.comments.map((c) => (
            <li key={c.id} className={`comment comment-${c.kind}`}>
              <strong>{c.kind === 'return' ? '差戻し' : 'コメント'}</strong>（{c.userName}・{formatDateTime(c.at)}）:{' '}
              {c.body}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

interface AnswerProps {
  /** the record's heading id, a prefix for the ids of its controls */
  idPrefix: string;
  sheet: Sheet;
  item: SheetItem;
  draft: Draft;
  /** the last save's refusal, shown beside the fields it names */
  error: unknown;
  onChange(patch: Partial<Draft>): void;
}

/** The answer's evaluations as typed, and how an entry is changed and where the server's message for it goes. */
function useEvaluations({ sheet, item, draft, error, onChange }: Omit<AnswerProps, 'idPrefix'>) {
  const views: AnswerViews = answerViews(sheet.evaluation, item, draft, sheet.round.phase);
  return {
    views,
    errorOf: (ref: EntryRef) => fieldError(error, entryField(ref)),
    onEntry: (ref: EntryRef, patch: EntryPatch) => onChange({ entries: withEntry(draft.entries, ref, patch) }),
  };
}

/** The answer's fields, beside last year's; a department answering "same as" another shows that one's answer. */
function AnswerFields({
  idPrefix,
  sheet,
  item,
  draft,
  error,
  editable,
  onChange,
}: AnswerProps & { editable: boolean }) {
  const sameAs =
    draft.sameAsDepartmentId !== null
      ? item.others.find((o) => o.departmentId === draft.sameAsDepartmentId)
      : undefined;
  const prev = item.previous;
  const evaluations = useEvaluations({ sheet, item, draft, error, onChange });
  return (
    <fieldset className="plain" disabled={!editable}>
      {item.others.length > 0 && (
        <SameAsField idPrefix={idPrefix} item={item} draft={draft} error={error} onChange={onChange} />
      )}
      {sameAs ? (
        <SameAsAnswer sameAs={sameAs} />
      ) : (
        <>
          <TextField
            label="事業予定"
            name="planText"
            value={draft.planText}
            previous={prev?.planText}
            onChange={(v) => onChange({ planText: v })}
          />
          <TextField
            label="実績・取組状況"
            name="resultText"
            value={draft.resultText}
            previous={prev?.resultText}
            onChange={(v) => onChange({ resultText: v })}
          />
        </>
      )}
      {item.indicators.length > 0 && (
        <IndicatorActuals
          fiscalYear={sheet.round.fiscalYear}
          indicators={item.indicators}
          drafts={draft.actuals}
          previous={prev?.actuals ?? []}
          others={item.others.map((o) => ({ name: o.name, actuals: o.record.actuals }))}
          errorOf={(indicatorId) => fieldError(error, `actuals.${indicatorId}`)}
          editable={editable}
          onChange={(actuals) => onChange({ actuals })}
          evaluations={{
            slots: sheetSlots(sheet.evaluation).lines,
            views: evaluations.views.lines,
            errorOf: evaluations.errorOf,
            onEntry: evaluations.onEntry,
          }}
        />
      )}
      <AnswerEvaluations
        idPrefix={idPrefix}
        item={item}
        views={evaluations.views.record}
        errorOf={evaluations.errorOf}
        onEntry={evaluations.onEntry}
      />
      {!sameAs && <ClosingFields item={item} draft={draft} onChange={onChange} />}
      <CustomFieldInputs
        defs={sheet.customFields.filter((f) => f.on === 'record')}
        values={draft.custom}
        onChange={(custom) => onChange({ custom })}
      />
      {!sameAs && editable && <AnswerChecks findings={liveChecks(sheet.evaluation, item, evaluations.views, draft)} />}
    </fieldset>
  );
}

/**
 * What the self-evaluation checks find in the answer as typed, updated with each keystroke: warnings to
 * look at before submitting, never a refusal. The region stays in place so that a screen reader hears
 * each change.
 */
function AnswerChecks({ findings }: { findings: CheckFinding[] }) {
  return (
    <div className="answer-checks" role="status" aria-label="回答の確認事項">
      {findings.length > 0 && (
        <>
          <p className="answer-checks-title">確認してください（このままでも提出できます）</p>
          <ul>
            {findings.map((f) => (
              <li key={f.kind}>{f.message}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function SameAsField({ idPrefix, item, draft, error, onChange }: Omit<AnswerProps, 'sheet'>) {
  return (
    <div className="field">
      <label htmlFor={`${idPrefix}-same`}>他の課と同じ回答にする</label>
      <select
        id={`${idPrefix}-same`}
        value={draft.sameAsDepartmentId ?? ''}
        onChange={(e) => onChange({ sameAsDepartmentId: e.target.value ? Number(e.target.value) : null })}
      >
        <option value="">（この課として回答する）</option>
        {item.others.map((o) => (
          <option key={o.departmentId} value={o.departmentId}>
            {o.name}に同じ
          </option>
        ))}
      </select>
      <FieldError message={fieldError(error, 'sameAsDepartmentId')} />
    </div>
  );
}

function SameAsAnswer({ sameAs }: { sameAs: SheetItem['others'][number] }) {
  return (
    <div className="same-as">
      <p>
        <strong>{sameAs.name}に同じ</strong>（{sameAs.name}の回答を参照します。写しは作りません）
      </p>
      <dl>
        <dt>事業予定</dt>
        <dd>{sameAs.record.planText || '（未入力）'}</dd>
        <dt>実績・取組状況</dt>
        <dd>{sameAs.record.resultText || '（未入力）'}</dd>
      </dl>
    </div>
  );
}

/** The remarks and next year's plan. */
function ClosingFields({ item, draft, onChange }: Omit<AnswerProps, 'idPrefix' | 'sheet' | 'error'>) {
  const prev = item.previous;
  return (
    <>
      <TextField
        label="備考"
        name="remarks"
        rows={2}
        value={draft.remarks}
        previous={prev?.remarks}
        onChange={(v) => onChange({ remarks: v })}
      />
      <TextField
        label="翌年度予定"
        name="nextYearPlan"
        value={draft.nextYearPlan}
        previous={prev?.nextYearPlan}
        onChange={(v) => onChange({ nextYearPlan: v })}
      />
    </>
  );
}

const RECORD_FIELDS = [
  'planText',
  'resultText',
  'remarks',
  'nextYearPlan',
  'sameAsDepartmentId',
  'actuals',
  'entries',
  'custom',
];

/** A refusal whose every problem is shown beside its field needs no banner of its own. */
function fieldErrorsCover(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.code === 'VALIDATION' &&
    error.details.length > 0 &&
    error.details.every((d) => RECORD_FIELDS.includes(d.field.split('.')[0]!))
  );
}

function FieldError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return <p className="field-error">{message}</p>;
}

function SaveIndicator({ state, onRetry }: { state: EditState; onRetry(): void }) {
  const text =
    state.status === 'dirty'
      ? '未保存の変更があります'
      : state.status === 'saving'
        ? '保存中…'
        : state.status === 'saved'
          ? `保存しました（${state.savedAt}）`
          : state.status === 'error'
            ? '保存できませんでした。入力は画面に残っています'
            : state.status === 'conflict'
              ? '先に保存された内容と重なっています'
              : '';
  return (
    <span className={`save-state save-${state.status}`}>
      <span role="status" aria-live="polite">
        {text}
      </span>
      {state.status === 'error' && (
        <button type="button" className="button secondary small" onClick={onRetry}>
          もう一度保存する
        </button>
      )}
    </span>
  );
}

/**
 * A text of the answer beside last year's. Typing stops at the limit, the counter warns near it; text
 * already longer (imported) is refused by the save with the message beside the field.
 */
function TextField({
  label,
  name,
  value,
  previous,
  onChange,
  rows = 4,
}: {
  label: string;
  /** the field's name in the API, which the save's refusal names */
  name: string;
  value: string;
  previous?: string;
  onChange(v: string): void;
  rows?: number;
}) {
  return (
    <div className="text-with-previous">
      <Field label={label} name={name} maxLength={TEXT_LIMIT} value={value}>
        {(p) => <textarea {...p} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} />}
      </Field>
      <div className="previous" aria-label={`前年度の${label}`}>
        <p className="previous-label">前年度</p>
        <p className="previous-text">{previous || '（なし）'}</p>
      </div>
    </div>
  );
}

function ReviewActions({ mid, item, onDone }: { mid: number; item: SheetItem; onDone(): void }) {
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setMessage('');
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  const status = item.record.status;
  return (
    <div className="review-actions">
      <ErrorAlert error={error} />
      {status === 'submitted' && (
        <button
          type="button"
          className="button primary small"
          onClick={() => act(() => api.post(`/api/m/${mid}/records/${item.record.id}/approve`))}
        >
          確定する
        </button>
      )}
      {(status === 'submitted' || status === 'approved') && (
        <div className="return-form">
          <label htmlFor={`${id}-msg`}>差戻しの理由</label>
          <textarea id={`${id}-msg`} rows={2} value={message} onChange={(e) => setMessage(e.target.value)} />
          <button
            type="button"
            className="button secondary small"
            disabled={!message.trim()}
            onClick={() => act(() => api.post(`/api/m/${mid}/records/${item.record.id}/return`, { message }))}
          >
            差戻す
          </button>
        </div>
      )}
      <CommentForm mid={mid} recordId={item.record.id} onDone={onDone} />
    </div>
  );
}

function CommentForm({ mid, recordId, onDone }: { mid: number; recordId: number; onDone(): void }) {
  return (
    <CommentBox
      label="コメント"
      button="コメントする"
      rows={1}
      send={(body) => api.post(`/api/m/${mid}/records/${recordId}/comments`, { body })}
      onDone={onDone}
    />
  );
}
