import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { formatTime } from '../../lib/dates.js';
import { api, ApiError } from '../../lib/api.js';
import type { RecordDto, Sheet, SheetItem } from '../../lib/types.js';
import { hasUnsaved, initialState, reduce, type Draft, type EditState } from './record-edit-state.js';
import { overLimit, savePayload } from './record-save.js';
import { answerViews, entryProblems } from './sheet-evaluation.js';

const AUTOSAVE_MS = 1200;

const clock = () => formatTime(new Date());

/** What keeps a draft from being saved at all, found before sending it: the refusal to show, or null. */
function refusal(draft: Draft, item: SheetItem, sheet: Sheet): ApiError | null {
  const tooLong = overLimit(draft);
  if (tooLong.length) return new ApiError(400, 'VALIDATION', '文字数が上限を超えているため保存していません', tooLong);
  const entries = entryProblems(answerViews(sheet.evaluation, item, draft, sheet.round.phase));
  if (entries.length)
    return new ApiError(400, 'VALIDATION', '評価の入力に足りないところがあるため保存していません', entries);
  return null;
}

/**
 * One record's edit state, saved by itself a moment after the last keystroke (never in the middle of an
 * IME composition) with the version the user's text is based on. A newer version read with the sheet
 * replaces the draft only when nothing is unsaved (see record-edit-state.ts); a save that meets someone
 * else's becomes a conflict for the user to resolve.
 */
export function useAutosave(
  mid: number,
  sheet: Sheet,
  item: SheetItem,
  onDirty: (recordId: number, dirty: boolean) => void,
) {
  const reducer = useMemo(() => reduce(item.indicators), [item.indicators]);
  const [s, dispatch] = useReducer(reducer, undefined, () => initialState(item.record, item.indicators));
  const current = useRef<EditState>(s);
  current.current = s;
  const composing = useRef(false);
  const saveNow = useRef(false);
  // The sheet and answer as last read, for the checks before a save.
  const read = useRef({ sheet, item });
  read.current = { sheet, item };

  // The sheet was read again (after a submit, a return, or someone else's save).
  useEffect(() => dispatch({ type: 'server', record: item.record }), [item.record]);

  const unsaved = hasUnsaved(s);
  useEffect(() => onDirty(item.record.id, unsaved), [unsaved, onDirty, item.record.id]);

  const save = useCallback(async () => {
    const cur = current.current;
    if (cur.status !== 'dirty' || composing.current) return;
    const draft = cur.draft;
    const refused = refusal(draft, read.current.item, read.current.sheet);
    if (refused) {
      // Refused here rather than by the server: nothing of the record would be saved.
      dispatch({ type: 'saveFailed', error: refused });
      return;
    }
    dispatch({ type: 'saveStarted', draft });
    try {
      const res = await api.put<{ record: RecordDto }>(
        `/api/m/${mid}/records/${cur.base.id}`,
        savePayload(draft, cur.base, read.current.sheet.evaluation),
      );
      dispatch({ type: 'saveSucceeded', record: res.record, at: clock() });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT' && e.body.current)
        // A conflict's body carries the record as the server holds it now, in the shape of a save's answer.
        dispatch({ type: 'conflict', theirs: e.body.current as RecordDto });
      else dispatch({ type: 'saveFailed', error: e });
    }
  }, [mid]);

  // Autosave: a moment after the last keystroke, and again after a save if the user typed on meanwhile.
  useEffect(() => {
    if (s.status !== 'dirty') return;
    const delay = saveNow.current ? 0 : AUTOSAVE_MS;
    saveNow.current = false;
    const t = setTimeout(() => void save(), delay);
    return () => clearTimeout(t);
  }, [s.status, s.draft, save]);

  // A save that failed because the network went away is tried again when it comes back.
  useEffect(() => {
    if (s.status !== 'error') return;
    const retry = () => dispatch({ type: 'touch' });
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
  }, [s.status]);

  return {
    state: s,
    edit: (patch: Partial<Draft>) => dispatch({ type: 'edit', patch }),
    /** save again after a refused save */
    retry: () => dispatch({ type: 'touch' }),
    compositionStarted: () => {
      composing.current = true;
    },
    compositionEnded: () => {
      composing.current = false;
      // Restart the autosave delay now that the text is committed.
      dispatch({ type: 'touch' });
    },
    /** resolve a conflict with the merged draft, saved at once */
    merge: (draft: Draft) => {
      saveNow.current = true;
      dispatch({ type: 'merge', draft });
    },
    takeTheirs: () => dispatch({ type: 'takeTheirs' }),
  };
}
