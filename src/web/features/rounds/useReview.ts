import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import type { ReviewResult, ReviewRow } from '../../lib/types.js';
import type { ReviewAction } from './ReviewDetail.js';
import { rowAfterKey } from './review-selection.js';

export type Pick = { id: number; version: number };
export type Column = 'select' | 'open';

const ACTION_WORDS = { approve: '確定', return: '差戻' } as const;
const UNDO_WORDS = { approve: '確定', return: '差戻し' } as const;

export interface Done {
  text: string;
  /** set while the action can still be undone */
  review: ReviewResult | null;
  /** when it happened, to bring the focus to it once */
  at: number;
}

/** The chosen records with the version each was chosen at. */
export function useReviewSelection(rows: ReviewRow[]) {
  const [selected, setSelected] = useState<Map<number, number>>(new Map());

  // A record that changed since it was selected is no longer selected: it has to be looked at again.
  useEffect(() => {
    setSelected((prev) => {
      const next = new Map(
        [...prev].filter(([id, version]) => rows.some((r) => r.recordId === id && r.version === version)),
      );
      return next.size === prev.size ? prev : next;
    });
  }, [rows]);

  const toggle = (row: ReviewRow, on: boolean) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (on) next.set(row.recordId, row.version);
      else next.delete(row.recordId);
      return next;
    });
  const selectSubmitted = (visible: ReviewRow[]) =>
    setSelected((prev) => {
      const next = new Map(prev);
      for (const r of visible) if (r.status === 'submitted') next.set(r.recordId, r.version);
      return next;
    });
  const picks = (list: ReviewRow[]): Pick[] =>
    list.map((r) => ({ id: r.recordId, version: selected.get(r.recordId) ?? r.version }));
  return { selected, toggle, selectSubmitted, clear: () => setSelected(new Map()), picks };
}

/** Reads the review again, with the record histories and the status board that show the same records. */
function useReviewReload(mid: number, rid: number) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['review', mid, rid] }),
      client.invalidateQueries({ queryKey: ['history', mid] }),
      client.invalidateQueries({ queryKey: ['board', mid, rid] }),
    ]);
}

/** The outcome of the last action, its undo offered while the server still accepts it, and the focus on it. */
function useDone() {
  const [done, setDone] = useState<Done | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const doneAt = done?.at;
  // After an action the focus goes to its outcome (the button that started it may be gone).
  useEffect(() => {
    if (doneAt) doneRef.current?.focus();
  }, [doneAt]);

  // The undo button stays while the server still accepts the undo.
  const undoUntil = done?.review?.undoUntil;
  useEffect(() => {
    if (!undoUntil) return;
    const t = window.setTimeout(
      () => setDone((d) => (d ? { ...d, review: null } : d)),
      Math.max(0, Date.parse(undoUntil) - Date.now()),
    );
    return () => window.clearTimeout(t);
  }, [undoUntil]);
  return { done, setDone, doneRef };
}

/** Approve, return and undo, with what the page shows of them: busy, the last outcome, an error. */
export function useReviewActions(mid: number, rid: number, onActed: () => void) {
  const reload = useReviewReload(mid, rid);
  const { done, setDone, doneRef } = useDone();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  /**
   * Sends an approval or return. A missing reason comes back as an ApiError for the caller to show
   * beside its field; every other failure is shown above the table (and a conflict reloads it).
   */
  const act: ReviewAction = async (action, picks, message) => {
    setError(null);
    setBusy(true);
    try {
      const result = await api.post<ReviewResult>(`/api/m/${mid}/rounds/${rid}/review`, {
        action,
        records: picks,
        message,
      });
      setDone({ text: `${result.records.length}件を${ACTION_WORDS[action]}しました`, review: result, at: Date.now() });
      onActed();
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.fieldError('message')) throw e;
      setError(e);
      return false;
    } finally {
      setBusy(false);
      await reload();
    }
  };

  const undo = async (review: ReviewResult) => {
    setError(null);
    setBusy(true);
    try {
      const r = await api.post<{ records: Pick[] }>(`/api/m/${mid}/rounds/${rid}/review/undo`, {
        action: review.action,
        records: review.records,
      });
      setDone({
        text: `${r.records.length}件の${UNDO_WORDS[review.action]}を取り消し、提出済に戻しました`,
        review: null,
        at: Date.now(),
      });
    } catch (e) {
      setError(e);
      setDone((d) => (d ? { ...d, review: null } : d));
    } finally {
      setBusy(false);
      await reload();
    }
  };
  return { busy, error, done, doneRef, act, undo };
}

/**
 * The table's keyboard: one row takes the Tab stop; ↑ ↓ Home End move it within a column, and Enter
 * on a checkbox opens the row's detail.
 */
export function useRovingRows(
  visible: ReviewRow[],
  focusId: number | null,
  setFocusId: (id: number) => void,
  onOpen: (id: number) => void,
) {
  const controls = useRef(new Map<string, HTMLElement>());
  const activeId = visible.some((r) => r.recordId === focusId) ? focusId : (visible[0]?.recordId ?? null);

  const onRowKey = (e: KeyboardEvent<HTMLElement>, row: ReviewRow, column: Column) => {
    const to = rowAfterKey(
      e.key,
      visible.findIndex((r) => r.recordId === row.recordId),
      visible.length,
    );
    if (to !== null) {
      e.preventDefault();
      const target = visible[to];
      if (!target) return;
      setFocusId(target.recordId);
      controls.current.get(`${target.recordId}:${column}`)?.focus();
      return;
    }
    if (e.key === 'Enter' && column === 'select') {
      e.preventDefault();
      onOpen(row.recordId);
    }
  };
  return (row: ReviewRow, column: Column) => ({
    ref: (el: HTMLElement | null) => {
      if (el) controls.current.set(`${row.recordId}:${column}`, el);
      else controls.current.delete(`${row.recordId}:${column}`);
    },
    tabIndex: row.recordId === activeId ? 0 : -1,
    onFocus: () => setFocusId(row.recordId),
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => onRowKey(e, row, column),
  });
}

/** The question before a bulk approval or return, and the return's reason. */
export function useReviewQuestion(act: ReviewAction, picks: () => Pick[]) {
  const [asking, setAsking] = useState<'approve' | 'return' | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  const confirmApprove = async () => {
    setAsking(null);
    await act('approve', picks());
  };
  const confirmReturn = async () => {
    if (!reason.trim()) {
      setReasonError('差戻しの理由を入力してください');
      reasonRef.current?.focus();
      return;
    }
    try {
      if (await act('return', picks(), reason.trim())) setReason('');
      setAsking(null);
    } catch (e) {
      setReasonError(e instanceof ApiError ? (e.fieldError('message') ?? e.message) : String(e));
      reasonRef.current?.focus();
    }
  };
  return {
    asking,
    askApprove: () => setAsking('approve'),
    askReturn: () => {
      setReasonError(undefined);
      setAsking('return');
    },
    cancel: () => setAsking(null),
    confirmApprove,
    confirmReturn,
    reason,
    reasonError,
    reasonRef,
    typeReason: (text: string) => {
      setReason(text);
      if (text.trim()) setReasonError(undefined);
    },
  };
}

export type ReviewQuestion = ReturnType<typeof useReviewQuestion>;
