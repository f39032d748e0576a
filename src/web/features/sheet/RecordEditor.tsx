import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../../lib/api.js';
import type { RecordDto, Sheet, SheetItem } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { CommentBox } from '../../components/CommentBox.js';
import { departmentMayEdit, RECORD_STATUS_LABELS, TEXT_LIMIT } from '../../../domain/cycle.js';
import { IndicatorActuals, actualDraftsOf, type ActualDraft } from './IndicatorActuals.js';

interface Draft {
  planText: string;
  resultText: string;
  grade: string | null;
  remarks: string;
  nextYearPlan: string;
  sameAsDepartmentId: number | null;
  actuals: ActualDraft[];
}

const draftOf = (r: RecordDto, item: SheetItem): Draft => ({
  planText: r.planText,
  resultText: r.resultText,
  grade: r.grade,
  remarks: r.remarks,
  nextYearPlan: r.nextYearPlan,
  sameAsDepartmentId: r.sameAsDepartmentId,
  actuals: actualDraftsOf(item.indicators, r.actuals),
});

const AUTOSAVE_MS = 1200;

type SaveState = { kind: 'idle' } | { kind: 'dirty' } | { kind: 'saving' } | { kind: 'saved'; at: string } | { kind: 'error'; error: unknown } | { kind: 'conflict'; theirs: RecordDto };

/**
 * One project's answer. Typing saves by itself a moment later, with the version it started from;
 * if someone else saved in between, the other version is shown and nothing is overwritten until
 * the user chooses.
 */
export function RecordEditor({ mid, sheet, item, coordinating, onDirty, onChanged }: { mid: number; sheet: Sheet; item: SheetItem; coordinating: boolean; onDirty(d: boolean): void; onChanged(): void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(item.record, item));
  const [version, setVersion] = useState(item.record.version);
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ draft, version });
  latest.current = { draft, version };
  const inFlight = useRef(false);
  const headingId = useId();

  const status = item.record.status;
  const editable = sheet.open && sheet.canEdit && (coordinating ? status !== 'approved' : departmentMayEdit(status));

  // A newer version from the server (after submit, return, approve) replaces the form unless the user is mid-edit.
  useEffect(() => {
    if (state.kind === 'dirty' || state.kind === 'saving' || state.kind === 'conflict') return;
    if (item.record.version !== latest.current.version) {
      setDraft(draftOf(item.record, item));
      setVersion(item.record.version);
    }
  }, [item, state.kind]);

  useEffect(() => onDirty(state.kind === 'dirty' || state.kind === 'saving' || state.kind === 'conflict'), [state.kind, onDirty]);

  const save = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    const { draft: d, version: v } = latest.current;
    setState({ kind: 'saving' });
    try {
      const res = await api.put<{ record: RecordDto }>(`/api/m/${mid}/records/${item.record.id}`, {
        version: v,
        planText: d.planText,
        resultText: d.resultText,
        grade: d.grade,
        remarks: d.remarks,
        nextYearPlan: d.nextYearPlan,
        sameAsDepartmentId: d.sameAsDepartmentId,
        actuals: d.actuals.map((a) => ({ indicatorId: a.indicatorId, text: a.text, status: a.status, reason: a.reason, parts: a.parts.filter((p) => p.label.trim()), grade: a.grade, gradeReason: a.gradeReason })),
      });
      setVersion(res.record.version);
      latest.current.version = res.record.version;
      // Typed on while the save was under way: save again.
      if (latest.current.draft !== d) {
        setState({ kind: 'dirty' });
        inFlight.current = false;
        timer.current = setTimeout(() => void save(), AUTOSAVE_MS);
        return;
      }
      setState({ kind: 'saved', at: new Date().toLocaleTimeString('ja-JP', { hour: '2-digit', minute: '2-digit' }) });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT' && e.details[0]?.field === 'version') setState({ kind: 'conflict', theirs: JSON.parse(e.details[0].message) as RecordDto });
      else setState({ kind: 'error', error: e });
    } finally {
      inFlight.current = false;
    }
  }, [mid, item.record.id]);

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    if (state.kind === 'conflict') return;
    setState({ kind: 'dirty' });
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), AUTOSAVE_MS);
  };
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const sameAs = draft.sameAsDepartmentId !== null ? item.others.find((o) => o.departmentId === draft.sameAsDepartmentId) : undefined;
  const prev = item.previous;

  return (
    <article className={`record-card status-${status}`} aria-labelledby={headingId}>
      <header className="record-header">
        <h2 id={headingId}>
          <span className="project-number">事業{item.project.number}</span> {item.project.name}
        </h2>
        <span className={`status-badge status-${status}`}>{RECORD_STATUS_LABELS[status]}</span>
        <SaveIndicator state={state} />
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
              <strong>{c.kind === 'return' ? '差戻し' : 'コメント'}</strong>（{c.userName}・{new Date(c.at).toLocaleString('ja-JP')}）: {c.body}
            </li>
          ))}
        </ul>
      )}
      {state.kind === 'conflict' && (
        <div role="alert" className="conflict">
          <p>
            {state.theirs.updatedByName ?? '他の利用者'}さんがこの回答を先に保存しました。あなたの入力はまだ保存されていません。
          </p>
          <dl className="conflict-theirs">
            <dt>相手の保存した事業予定</dt>
            <dd>{state.theirs.planText || '（空欄）'}</dd>
            <dt>相手の保存した実績・取組状況</dt>
            <dd>{state.theirs.resultText || '（空欄）'}</dd>
            <dt>相手の保存した評価</dt>
            <dd>{state.theirs.grade ?? '（未選択）'}</dd>
          </dl>
          <div className="button-row">
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                setDraft(draftOf(state.theirs, item));
                setVersion(state.theirs.version);
                latest.current.version = state.theirs.version;
                setState({ kind: 'idle' });
                onChanged();
              }}
            >
              相手の内容を読み込む（自分の入力は破棄）
            </button>
            <button
              type="button"
              className="button primary"
              onClick={() => {
                setVersion(state.theirs.version);
                latest.current.version = state.theirs.version;
                void save();
              }}
            >
              自分の入力で上書きする
            </button>
          </div>
        </div>
      )}
      {state.kind === 'error' && <ErrorAlert error={state.error} />}

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
            <TextField label="事業予定" value={draft.planText} previous={prev?.planText} onChange={(v) => change({ planText: v })} />
            <TextField label="実績・取組状況" value={draft.resultText} previous={prev?.resultText} onChange={(v) => change({ resultText: v })} />
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
            onChange={(actuals) => change({ actuals })}
          />
        )}
        {!sameAs && (
          <>
            <div className="field grade-field">
              <label htmlFor={`${headingId}-grade`}>評価（自己評価）</label>
              <select id={`${headingId}-grade`} value={draft.grade ?? ''} onChange={(e) => change({ grade: e.target.value || null })}>
                <option value="">（未選択）</option>
                {sheet.gradeOptions.map((g) => (
                  <option key={g.code} value={g.code}>
                    {g.code}: {g.label}
                  </option>
                ))}
              </select>
              {prev?.grade && <span className="previous-inline">前年度: {prev.grade}</span>}
            </div>
            <TextField label="備考" rows={2} value={draft.remarks} previous={prev?.remarks} onChange={(v) => change({ remarks: v })} />
            <TextField label="翌年度予定" value={draft.nextYearPlan} previous={prev?.nextYearPlan} onChange={(v) => change({ nextYearPlan: v })} />
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

function SaveIndicator({ state }: { state: SaveState }) {
  const text =
    state.kind === 'dirty' ? '未保存の変更があります' : state.kind === 'saving' ? '保存中…' : state.kind === 'saved' ? `保存しました（${state.at}）` : state.kind === 'error' ? '保存できませんでした' : state.kind === 'conflict' ? '他の人の変更と競合しています' : '';
  return (
    <span className={`save-state save-${state.kind}`} role="status" aria-live="polite">
      {text}
    </span>
  );
}

function TextField({ label, value, previous, onChange, rows = 4 }: { label: string; value: string; previous?: string; onChange(v: string): void; rows?: number }) {
  const id = useId();
  const over = value.length > TEXT_LIMIT;
  return (
    <div className="field text-with-previous">
      <div>
        <label htmlFor={id}>{label}</label>
        <textarea id={id} rows={rows} value={value} aria-describedby={`${id}-count`} aria-invalid={over || undefined} onChange={(e) => onChange(e.target.value)} />
        <p id={`${id}-count`} className={`char-count${over ? ' field-error' : ''}`}>
          {value.length} / {TEXT_LIMIT}文字
        </p>
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
        <button type="button" className="button primary small" onClick={() => act(() => api.post(`/api/m/${mid}/records/${item.record.id}/approve`))}>
          確定する
        </button>
      )}
      {(status === 'submitted' || status === 'approved') && (
        <div className="return-form">
          <label htmlFor={`${id}-msg`}>差戻しの理由</label>
          <textarea id={`${id}-msg`} rows={2} value={message} onChange={(e) => setMessage(e.target.value)} />
          <button type="button" className="button secondary small" disabled={!message.trim()} onClick={() => act(() => api.post(`/api/m/${mid}/records/${item.record.id}/return`, { message }))}>
            差戻す
          </button>
        </div>
      )}
      <CommentForm mid={mid} recordId={item.record.id} onDone={onDone} />
    </div>
  );
}

function CommentForm({ mid, recordId, onDone }: { mid: number; recordId: number; onDone(): void }) {
  return <CommentBox label="コメント" button="コメントする" rows={1} send={(body) => api.post(`/api/m/${mid}/records/${recordId}/comments`, { body })} onDone={onDone} />;
}
