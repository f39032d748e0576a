import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import type { SlotValueDto } from '../../lib/types.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import type { Scale, Slot, SubjectKind } from '../../../domain/evaluation/index.js';

export interface EntryTarget {
  mid: number;
  planId: number;
  fiscalYear: number;
  subjectKind: SubjectKind;
  subjectId: number;
  /** 0 for subjects without a department */
  departmentId: number;
}

/**
 * Entering one slot's value for one subject outside a department's sheet (the coordinating section's
 * evaluation of an answer): the code, a reason and, where the slot takes one, a comment; saved at the
 * version read, so that a save by someone else in between is reported instead of overwritten.
 */
export function SlotEntryForm({
  target,
  slot,
  scale,
  value,
  onSaved,
}: {
  target: EntryTarget;
  slot: Slot;
  scale: Scale;
  value: SlotValueDto;
  onSaved(): void;
}) {
  const [code, setCode] = useState(value.source === 'entered' || value.source === 'override' ? (value.code ?? '') : '');
  const [reason, setReason] = useState(value.reason);
  const [comment, setComment] = useState(value.comment);
  const save = useMutation({
    mutationFn: () =>
      api.post<SlotValueDto>(`/api/m/${target.mid}/plans/${target.planId}/years/${target.fiscalYear}/evaluations`, {
        slotKey: slot.key,
        subjectKind: target.subjectKind,
        subjectId: target.subjectId,
        departmentId: target.departmentId,
        code: code || null,
        reason,
        comment,
        version: value.version,
      }),
    onSuccess: onSaved,
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="slot-entry" onSubmit={submit} noValidate aria-label={`${slot.name}を入力`}>
      {save.error && !err?.fieldError('code') ? <ErrorAlert error={save.error} /> : null}
      <Field label={slot.name} error={err?.fieldError('code')}>
        {(p) => (
          <select {...p} value={code} onChange={(e) => setCode(e.target.value)}>
            <option value="">未評価</option>
            {scale.grades.map((g) => (
              <option key={g.code} value={g.code}>
                {g.label ? `${g.code}（${g.label}）` : g.code}
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
      <button type="submit" className="button primary small" disabled={save.isPending}>
        {slot.name}を保存
      </button>
      {save.isSuccess && (
        <span role="status" className="muted">
          保存しました
        </span>
      )}
    </form>
  );
}
