import { useCallback, useEffect, useId, useMemo, useReducer, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../../lib/api.js';
import type { RecordDto, Sheet, SheetItem } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { CommentBox } from '../../components/CommentBox.js';
import { departmentMayEdit, RECORD_STATUS_LABELS, TEXT_LIMIT } from '../../../domain/cycle-terms.js';
import { IndicatorActuals } from './IndicatorActuals.js';
import {
  hasUnsaved,
  initialState,
  mergeDrafts,
  mergeOf,
  reduce,
  type Draft,
  type EditState,
} from './record-edit-state.js';
import { useSession } from '../../lib/session.js';

const AUTOSAVE_MS = 1200;

const clock = () => new Date().toLocaleTimeString('ja-JP', { hour: '2-digit', minute: '2-digit' });

const payload = (d: Draft, version: number) => ({
  version,
  planText: d.planText,
  resultText: d.resultText,
  grade: d.grade,
  remarks: d.remarks,
  nextYearPlan: d.nextYearPlan,
  sameAsDepartmentId: d.sameAsDepartmentId,
  actuals: d.actuals.map((a) => ({
    indicatorId: a.indicatorId,
    text: a.text,
    status: a.status,
    reason: a.reason,
    parts: a.parts.filter((p) => p.label.trim()),
    grade: a.grade,
    gradeReason: a.gradeReason,
  })),
});

const LONG_FIELDS = [
  ['planText', '事業予定'],
  ['resultText', '実績・取組状況'],
  ['remarks', '備考'],
  ['nextYearPlan', '翌年度予定'],
] as const;

function overLimit(d: Draft) {
  return LONG_FIELDS.filter(([k]) => d[k].length > TEXT_LIMIT).map(([field, label]) => ({
    field,
    label,
    message: `${label}は${TEXT_LIMIT}文字以内で入力してください（${d[field].length - TEXT_LIMIT}文字多い）`,
  }));
}

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
  const reducer = useMemo(() => reduce(item.indicators), [item.indicators]);
  const [s, dispatch] = useReducer(reducer, undefined, () => initialState(item.record, item.indicators));
  const current = useRef<EditState>(s);
  current.current = s;
  const composing = useRef(false);
  const saveNow = useRef(false);
  const headingId = useId();

  const status = s.base.status;
  const editable = sheet.open && sheet.canEdit && (coordinating ? status !== 'approved' : departmentMayEdit(status));

  // The sheet was read again (after a submit, a return, or someone else's save).
  useEffect(() => dispatch({ type: 'server', record: item.record }), [item.record]);

  const unsaved = hasUnsaved(s);
  useEffect(() => onDirty(item.record.id, unsaved), [unsaved, onDirty, item.record.id]);

  const save = useCallback(async () => {
    const cur = current.current;
    if (cur.status !== 'dirty' || composing.current) return;
    const draft = cur.draft;
    const tooLong = overLimit(draft);
    if (tooLong.length) {
      // Refused here rather than by the server: nothing of the record would be saved.
      dispatch({
        type: 'saveFailed',
        error: new ApiError(400, 'VALIDATION', '文字数が上限を超えているため保存していません', tooLong),
      });
      return;
    }
    dispatch({ type: 'saveStarted', draft });
    try {
      const res = await api.put<{ record: RecordDto }>(
        `/api/m/${mid}/records/${cur.base.id}`,
        payload(draft, cur.base.version),
      );
      dispatch({ type: 'saveSucceeded', record: res.record, at: clock() });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT' && e.body.current)
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

  const change = (patch: Partial<Draft>) => dispatch({ type: 'edit', patch });
  const draft = s.draft;
  const sameAs =
    draft.sameAsDepartmentId !== null
      ? item.others.find((o) => o.departmentId === draft.sameAsDepartmentId)
      : undefined;
  const prev = item.previous;
  const error = s.status === 'error' ? s.error : null;

  return (
    <article
      className={`record-card status-${status}`}
      aria-labelledby={headingId}
      onCompositionStart={() => {
        composing.current = true;
      }}
      onCompositionEnd={() => {
        composing.current = false;
        // Restart the autosave delay now that the text is committed.
        dispatch({ type: 'touch' });
      }}
    >
      <header className="record-header">
        <h2 id={headingId}>
          <span className="project-number">事業{item.project.number}</span> {item.project.name}
        </h2>
        <span className={`status-badge status-${status}`}>{RECORD_STATUS_LABELS[status]}</span>
        <SaveIndicator state={s} onRetry={() => dispatch({ type: 'touch' })} />
      </header>
      <p className="breadcrumb">{item.project.path}</p>
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
              <strong>{c.kind === 'return' ? '差戻し' : 'コメント'}</strong>（{c.userName}・
              {new Date(c.at).toLocaleString('ja-JP')}）: {c.body}
            </li>
          ))}
        </ul>
      )}
      {s.status === 'conflict' && s.theirs && (
        <ConflictPanel
          mine={draft}
          theirs={s.theirs}
          base={s.base}
          item={item}
          onMerge={(merged) => {
            saveNow.current = true;
            dispatch({ type: 'merge', draft: merged });
          }}
          onTakeTheirs={() => {
            dispatch({ type: 'takeTheirs' });
            onChanged();
          }}
        />
      )}
      {error !== null && !fieldErrorsCover(error) && <ErrorAlert error={error} />}

      <fieldset className="plain" disabled={!editable}>
        {item.others.length > 0 && (
          <div className="field">
            <label htmlFor={`${headingId}-same`}>他の課と同じ回答にする</label>
            <select
              id={`${headingId}-same`}
              value={draft.sameAsDepartmentId ?? ''}
              onChange={(e) => change({ sameAsDepartmentId: e.target.value ? Number(e.target.value) : null })}
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
        )}
        {sameAs ? (
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
        ) : (
          <>
            <TextField
              label="事業予定"
              value={draft.planText}
              previous={prev?.planText}
              error={fieldError(error, 'planText')}
              onChange={(v) => change({ planText: v })}
            />
            <TextField
              label="実績・取組状況"
              value={draft.resultText}
              previous={prev?.resultText}
              error={fieldError(error, 'resultText')}
              onChange={(v) => change({ resultText: v })}
            />
          </>
        )}
        {item.indicators.length > 0 && (
          <IndicatorActuals
            fiscalYear={sheet.round.fiscalYear}
            scale={sheet.scale}
            indicators={item.indicators}
            drafts={draft.actuals}
            previous={prev?.actuals ?? []}
            others={item.others.map((o) => ({ name: o.name, actuals: o.record.actuals }))}
            errorOf={(indicatorId) => fieldError(error, `actuals.${indicatorId}`)}
            onChange={(actuals) => change({ actuals })}
          />
        )}
        {!sameAs && (
          <>
            <div className="field grade-field">
              <label htmlFor={`${headingId}-grade`}>評価（自己評価）</label>
              <select
                id={`${headingId}-grade`}
                value={draft.grade ?? ''}
                onChange={(e) => change({ grade: e.target.value || null })}
              >
                <option value="">（未選択）</option>
                {sheet.gradeOptions.map((g) => (
                  <option key={g.code} value={g.code}>
                    {g.code}: {g.label}
                  </option>
                ))}
              </select>
              {prev?.grade && <span className="previous-inline">前年度: {prev.grade}</span>}
              <FieldError message={fieldError(error, 'grade')} />
            </div>
            <TextField
              label="備考"
              rows={2}
              value={draft.remarks}
              previous={prev?.remarks}
              error={fieldError(error, 'remarks')}
              onChange={(v) => change({ remarks: v })}
            />
            <TextField
              label="翌年度予定"
              value={draft.nextYearPlan}
              previous={prev?.nextYearPlan}
              error={fieldError(error, 'nextYearPlan')}
              onChange={(v) => change({ nextYearPlan: v })}
            />
          </>
        )}
      </fieldset>
      <footer className="record-footer">
        <Link to={`/m/${mid}/records/${item.record.id}/history`}>変更履歴</Link>
        {coordinating && <ReviewActions mid={mid} item={item} onDone={onChanged} />}
        {!coordinating && sheet.canEdit && <CommentForm mid={mid} recordId={item.record.id} onDone={onChanged} />}
      </footer>
    </article>
  );
}

const RECORD_FIELDS = ['planText', 'resultText', 'grade', 'remarks', 'nextYearPlan', 'sameAsDepartmentId', 'actuals'];

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
 * Both versions side by side. What only the other person changed is taken in as they saved it;
 * what only this user changed is kept; for each field both changed differently the user keeps
 * their own input or takes the saved one.
 */
function ConflictPanel({
  mine,
  theirs,
  base,
  item,
  onMerge,
  onTakeTheirs,
}: {
  mine: Draft;
  theirs: RecordDto;
  base: RecordDto;
  item: SheetItem;
  onMerge(d: Draft): void;
  onTakeTheirs(): void;
}) {
  const id = useId();
  const { session } = useSession();
  const name = (deptId: number) => item.others.find((o) => o.departmentId === deptId)?.name ?? '他の課';
  const merge = mergeOf(mine, theirs, base, item.indicators, name);
  const [choice, setChoice] = useState<Record<string, 'mine' | 'theirs'>>({});
  // The same person in another tab or window is told so, not shown as "someone else".
  const self = theirs.updatedByName !== null && theirs.updatedByName === session.user?.displayName;
  const who = self ? 'あなたが別の画面で' : `${theirs.updatedByName ?? '他の利用者'}さんが`;
  const whose = self ? '別の画面で保存した内容' : `${theirs.updatedByName ?? '他の利用者'}さんの保存した内容`;
  return (
    <section role="alert" className="conflict" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{who}この回答を先に保存しました。あなたの入力はまだ保存されていません。</h3>
      {merge.theirs.length > 0 && (
        <p>
          {whose}のうち、あなたが変えていない項目（{merge.theirs.map((f) => f.label).join('、')}
          ）はそのまま取り込みます。
        </p>
      )}
      {merge.conflicts.length === 0 ? (
        <p>両方で変えた項目はありません。「選んだ内容で保存する」で、あなたの入力と取り込んだ内容を保存します。</p>
      ) : (
        <>
          <p>両方で変えた項目は、残す内容を選んでから「選んだ内容で保存する」を押してください。</p>
          <table className="data-table conflict-table">
            <caption className="visually-hidden">あなたの入力と{whose}</caption>
            <thead>
              <tr>
                <th scope="col">項目</th>
                <th scope="col">あなたの入力</th>
                <th scope="col">{whose}</th>
              </tr>
            </thead>
            <tbody>
              {merge.conflicts.map((f) => {
                const picked = choice[f.key] ?? 'mine';
                return (
                  <tr key={f.key}>
                    <th scope="row">{f.label}</th>
                    <td>
                      <label className="choice">
                        <input
                          type="radio"
                          name={`${id}-${f.key}`}
                          checked={picked === 'mine'}
                          onChange={() => setChoice((c) => ({ ...c, [f.key]: 'mine' }))}
                        />
                        <span className="visually-hidden">{f.label}: あなたの入力を残す</span>
                        <span className="conflict-text">{f.mine}</span>
                      </label>
                    </td>
                    <td>
                      <label className="choice">
                        <input
                          type="radio"
                          name={`${id}-${f.key}`}
                          checked={picked === 'theirs'}
                          onChange={() => setChoice((c) => ({ ...c, [f.key]: 'theirs' }))}
                        />
                        <span className="visually-hidden">
                          {f.label}: {whose}にする
                        </span>
                        <span className="conflict-text">{f.theirs}</span>
                      </label>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      <div className="button-row">
        <button
          type="button"
          className="button primary"
          onClick={() => onMerge(mergeDrafts(mine, theirs, item.indicators, merge, choice))}
        >
          選んだ内容で保存する
        </button>
        <button type="button" className="button secondary" onClick={onTakeTheirs}>
          相手の内容を読み込む（自分の入力は破棄）
        </button>
      </div>
    </section>
  );
}

function TextField({
  label,
  value,
  previous,
  error,
  onChange,
  rows = 4,
}: {
  label: string;
  value: string;
  previous?: string;
  error?: string;
  onChange(v: string): void;
  rows?: number;
}) {
  const id = useId();
  const over = value.length > TEXT_LIMIT;
  const message =
    error ??
    (over ? `${label}は${TEXT_LIMIT}文字以内で入力してください（${value.length - TEXT_LIMIT}文字多い）` : undefined);
  return (
    <div className={`field text-with-previous${message ? ' has-error' : ''}`}>
      <div>
        <label htmlFor={id}>{label}</label>
        <textarea
          id={id}
          rows={rows}
          value={value}
          aria-describedby={`${id}-count${message ? ` ${id}-error` : ''}`}
          aria-invalid={message ? true : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        <p id={`${id}-count`} className={`char-count${over ? ' over' : ''}`}>
          {value.length} / {TEXT_LIMIT}文字
        </p>
        {message && (
          <p id={`${id}-error`} className="field-error">
            {message}
          </p>
        )}
      </div>
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
