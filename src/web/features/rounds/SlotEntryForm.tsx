import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { formatDateTime } from '../../lib/dates.js';
import type { SlotValueDto } from '../../lib/types.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import type { Scale, Slot, SubjectKind } from '../../../domain/evaluation/index.js';
import { codeOptions, unsavedText } from '../evaluations/node-values.js';
import './slot-entry.css';

export interface EntryTarget {
  mid: number;
  planId: number;
  fiscalYear: number;
  subjectKind: SubjectKind;
  subjectId: number;
  /** 0 for subjects without a department */
  departmentId: number;
}

interface Draft {
  code: string;
  reason: string;
  comment: string;
}

/**
 * Saving a draft at the version read. Someone else saving first is said beside the code, with what
 * was typed (which stays in the form); their value is read again, so the next save goes over it.
 */
function useSlotSave(target: EntryTarget, slot: Slot, value: SlotValueDto, draft: Draft, onChanged: () => void) {
  const save = useMutation({
    mutationFn: () =>
      api.post<SlotValueDto>(`/api/m/${target.mid}/plans/${target.planId}/years/${target.fiscalYear}/evaluations`, {
        slotKey: slot.key,
        subjectKind: target.subjectKind,
        subjectId: target.subjectId,
        departmentId: target.departmentId,
        code: draft.code || null,
        reason: draft.reason,
        comment: draft.comment,
        version: value.version,
      }),
    onSuccess: onChanged,
    onError: (e) => e instanceof ApiError && e.status === 409 && onChanged(),
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const stale = err?.status === 409 ? `${err.message}。${unsavedText(draft)}` : undefined;
  return { save, codeError: stale ?? err?.fieldError('code') };
}

/**
 * Entering one slot's value for one subject outside a department's sheet (the coordinating section's
 * evaluation of an answer from the review, the council's or a committee's on the council page): the
 * code with its words, a reason and, where the slot takes one, a comment; who saved it last and when.
 * It is saved at the version read, so that a save by someone else in between is said beside the field
 * (with what was typed, which stays in the form) instead of overwritten.
 */
export function SlotEntryForm({
  target,
  slot,
  scale,
  value,
  subject,
  onChanged,
}: {
  target: EntryTarget;
  slot: Slot;
  scale: Scale;
  value: SlotValueDto;
  /** the subject, naming the form where a page has several (「人権推進課の回答」) */
  subject?: string;
  /** the stored value changed (saved here, or found saved by someone else first): read it again */
  onChanged(): void;
}) {
  const [code, setCode] = useState(value.source === 'entered' || value.source === 'override' ? (value.code ?? '') : '');
  const [reason, setReason] = useState(value.reason);
  const [comment, setComment] = useState(value.comment);
  const draft = { code, reason, comment };
  const { save, codeError } = useSlotSave(target, slot, value, draft, onChanged);
  const err = save.error instanceof ApiError ? save.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form
      className="slot-entry"
      onSubmit={submit}
      noValidate
      aria-label={`${subject ? `${subject}の` : ''}${slot.name}を入力`}
    >
      {save.error && !codeError && !err?.fieldError('reason') && !err?.fieldError('comment') ? (
        <ErrorAlert error={save.error} />
      ) : null}
      <Field label={slot.name} error={codeError}>
        {(p) => (
          <select {...p} value={code} onChange={(e) => setCode(e.target.value)}>
            <option value="">未評価</option>
            {codeOptions(scale).map((o) => (
              <option key={o.code} value={o.code}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="理由" error={err?.fieldError('reason')}>
        {(p) => <input {...p} type="text" value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      {slot.comment && (
        <Field label="コメント" error={err?.fieldError('comment')}>
          {(p) => <textarea {...p} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />}
        </Field>
      )}
      <div className="slot-entry-footer">
        <button type="submit" className="button primary small" disabled={save.isPending}>
          {slot.name}を保存
        </button>
        <span role="status" className="muted">
          {save.isSuccess && !save.isPending ? '保存しました' : ''}
        </span>
        {value.entryId !== null && value.enteredAt && (
          <span className="slot-entry-stamp">
            最終入力：{value.enteredByName}（{formatDateTime(value.enteredAt)}）
          </span>
        )}
      </div>
    </form>
  );
}
