import { useCallback, useId, useReducer, type Dispatch } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { toBase64 } from '../../lib/files.js';
import './import.css';
import { useMid, usePageTitle } from '../../lib/hooks.js';
import type { PlanSummary } from '../../lib/types.js';
import { ErrorAlert, Field, FiscalYearInput } from '../../components/forms.js';
import type { ImportMapping } from '../../../domain/import/mapping.js';
import { MappingEditor } from './MappingEditor.js';
import { PreviewStep } from './ImportPreview.js';
import { ImportBatches } from './ImportBatches.js';
import { ImportReplaceCheck } from './ImportReplaceCheck.js';
import {
  commitProblem,
  commitRequest,
  importReducer,
  importSource,
  initialImportState,
  previewProblem,
  previewRequest,
  type CommitResult,
  type CorrectionAction,
  type ImportAction,
  type ImportState,
  type Preview,
} from './import-reducer.js';

interface MappingEntry {
  name: string;
  label: string;
  builtin: boolean;
  definition: ImportMapping;
}

interface StepProps {
  state: ImportState;
  dispatch: Dispatch<ImportAction>;
}

/** The saved mappings of the municipality (built-in ones first, as the server lists them). */
function useImportMappings(mid: number) {
  return useQuery({
    queryKey: ['import-mappings', mid],
    queryFn: () => api.get<{ mappings: MappingEntry[] }>(`/api/m/${mid}/import-mappings`).then((r) => r.mappings),
  });
}

function usePlans(mid: number) {
  return useQuery({
    queryKey: ['plans', mid],
    queryFn: () => api.get<{ plans: PlanSummary[] }>(`/api/m/${mid}/plans`).then((r) => r.plans),
  });
}

/** The two requests of the page: a preview of the state given, and the commit of the current state. */
function useImportRequests(mid: number, state: ImportState, dispatch: Dispatch<ImportAction>) {
  const runPreview = async (s: ImportState) => {
    const problem = previewProblem(s);
    if (problem) return dispatch({ type: 'invalid', message: problem });
    dispatch({ type: 'previewStarted' });
    try {
      const preview = await api.post<Preview>(`/api/m/${mid}/imports/preview`, previewRequest(s));
      dispatch({ type: 'previewLoaded', preview });
    } catch (e) {
      dispatch({ type: 'failed', error: e });
    }
  };
  const commit = async () => {
    dispatch({ type: 'commitStarted' });
    try {
      const result = await api.post<CommitResult>(`/api/m/${mid}/imports/commit`, commitRequest(state));
      dispatch({ type: 'committed', result });
    } catch (e) {
      dispatch({ type: 'failed', error: e });
    }
  };
  /** A correction of the preview, previewed again at once with it applied. */
  const correct = (action: CorrectionAction) => {
    dispatch(action);
    void runPreview(importReducer(state, action));
  };
  /** Another target plan: the rows are read again against its 区分 list. */
  const retarget = (planId: string) => {
    const action: ImportAction = { type: 'targetChanged', change: { planId } };
    dispatch(action);
    void runPreview(importReducer(state, action));
  };
  return { runPreview: () => runPreview(state), commit, correct, retarget };
}

/** 取り込み: a table from Excel, CSV or a paste, through a mapping, checked row by row before anything is written. */
export function ImportPage() {
  usePageTitle('取り込み');
  const mid = useMid();
  const [state, dispatch] = useReducer(importReducer, initialImportState);
  const requests = useImportRequests(mid, state, dispatch);
  const mappings = useImportMappings(mid);
  const plans = usePlans(mid);
  return (
    <section className="import-page">
      <h1>取り込み（Excel・CSV・貼り付け）</h1>
      <p className="muted">
        過去の報告書や各課の回答を、打ち直さずに取り込みます。書き込む前に、すべての行をどう保存するかを確認できます。
      </p>
      <ErrorAlert error={state.error} />
      <SourceStep state={state} dispatch={dispatch} />
      <MappingStep
        mid={mid}
        mappings={mappings.data ?? []}
        state={state}
        dispatch={dispatch}
        onPreview={requests.runPreview}
      />
      {state.preview && (
        <PreviewStep mid={mid} state={state} preview={state.preview} dispatch={dispatch} onCorrect={requests.correct} />
      )}
      {state.preview && (
        <TargetStep
          mid={mid}
          plans={plans.data ?? []}
          state={state}
          dispatch={dispatch}
          onCommit={requests.commit}
          onPlan={requests.retarget}
        />
      )}
      <ImportBatches
        mid={mid}
        plans={plans.data ?? []}
        planId={state.result?.planId ?? (state.target.planId === 'new' ? null : Number(state.target.planId))}
        refreshKey={state.result}
      />
    </section>
  );
}

/** What the user calls a paste: pasted again under the same name, it replaces the earlier import. */
function PasteName({ state, dispatch }: StepProps) {
  return (
    <Field
      label="貼り付けの名前（任意）"
      hint="直した表を同じ名前で取り込み直すと、前回の取り込みを置き換えます（例：令和6年度実績）"
    >
      {(p) => (
        <input
          {...p}
          type="text"
          className="import-paste-name"
          maxLength={100}
          value={state.pasteName}
          onChange={(e) => dispatch({ type: 'pasteNamed', name: e.target.value })}
        />
      )}
    </Field>
  );
}

/** 1. The table: a file (with its sheet once the preview lists several) or a paste. */
function SourceStep({ state, dispatch }: StepProps) {
  const { mode, text, preview, sheet } = state;
  return (
    <fieldset className="panel">
      <legend>1. 取り込む表</legend>
      <div className="field">
        <label className="inline-check">
          <input
            type="radio"
            name="mode"
            checked={mode === 'file'}
            onChange={() => dispatch({ type: 'modeChosen', mode: 'file' })}
          />
          ファイル（.xlsx・.csv・.tsv・.txt）
        </label>
        <label className="inline-check">
          <input
            type="radio"
            name="mode"
            checked={mode === 'paste'}
            onChange={() => dispatch({ type: 'modeChosen', mode: 'paste' })}
          />
          Excel や PDF からコピーした表を貼り付け
        </label>
      </div>
      {mode === 'file' ? (
        <Field label="ファイル" hint="Shift_JIS の CSV もそのまま読めます（上限 20MB）">
          {(p) => (
            <input
              {...p}
              type="file"
              accept=".xlsx,.csv,.tsv,.txt"
              onChange={async (e) => {
                const f = e.target.files?.[0];
                dispatch({ type: 'previewDiscarded' });
                dispatch({ type: 'fileChosen', file: f ? { name: f.name, base64: await toBase64(f) } : null });
              }}
            />
          )}
        </Field>
      ) : (
        <Field label="貼り付ける表" hint="見出し行を含めて貼り付けてください">
          {(p) => (
            <textarea
              {...p}
              rows={6}
              value={text}
              onChange={(e) => dispatch({ type: 'textPasted', text: e.target.value })}
            />
          )}
        </Field>
      )}
      {mode === 'paste' && <PasteName state={state} dispatch={dispatch} />}
      {preview?.sheets && preview.sheets.length > 1 && (
        <Field label="シート">
          {(p) => (
            <select
              {...p}
              value={sheet ?? preview.sheets![0]}
              onChange={(e) => dispatch({ type: 'sheetChosen', sheet: e.target.value })}
            >
              {preview.sheets!.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          )}
        </Field>
      )}
    </fieldset>
  );
}

/** 2. The mapping: a saved one, or a new one set up from the table's header row. */
function MappingStep({
  mid,
  mappings,
  state,
  dispatch,
  onPreview,
}: StepProps & { mid: number; mappings: MappingEntry[]; onPreview(): Promise<void> }) {
  const onCustomChange = useCallback(
    (mapping: ImportMapping | null) => dispatch({ type: 'customMappingChanged', mapping }),
    [dispatch],
  );
  return (
    <fieldset className="panel">
      <legend>2. 取り込み設定（列の対応）</legend>
      <Field label="取り込み設定">
        {(p) => (
          <select
            {...p}
            value={state.mappingName}
            onChange={(e) => dispatch({ type: 'mappingChosen', name: e.target.value })}
          >
            <option value="">選んでください</option>
            {mappings.map((m) => (
              <option key={m.name} value={m.name}>
                {m.label || m.name}
                {m.builtin ? '（標準）' : ''}
              </option>
            ))}
            <option value="__custom">新しく設定する…</option>
          </select>
        )}
      </Field>
      {state.mappingName === '__custom' && (
        <MappingEditor mid={mid} source={importSource(state)} onChange={onCustomChange} />
      )}
      <button type="button" className="button primary" disabled={state.busy !== ''} onClick={onPreview}>
        {state.busy === 'preview' ? '読み込み中…' : 'プレビューする'}
      </button>
    </fieldset>
  );
}

/** The same title however it is spaced or written in full-width letters. */
const sameTitle = (a: string, b: string) => {
  const norm = (t: string) => t.normalize('NFKC').replace(/\s+/g, '');
  return norm(a) !== '' && norm(a) === norm(b);
};

/**
 * What the new plan's name field says: the document's title it came from, and a warning where a plan of the
 * municipality already has that name (an import meant for it would make a second plan beside it).
 */
function newPlanHint(plans: PlanSummary[], title: string, documentTitle?: string | null): string | undefined {
  const same = plans.find((p) => sameTitle(p.title, title));
  const parts = [
    documentTitle ? `文書の表題から: ${documentTitle}` : '',
    same
      ? `⚠ 同じ名称の計画「${same.title}」がすでにあります。その計画に取り込むときは、上の「計画」で選んでください。`
      : '',
  ];
  return parts.filter(Boolean).join(' ') || undefined;
}

/** 4. Where the rows go, and the commit with its outcome. */
function TargetStep({
  mid,
  plans,
  state,
  dispatch,
  onCommit,
  onPlan,
}: StepProps & { mid: number; plans: PlanSummary[]; onCommit(): Promise<void>; onPlan(planId: string): void }) {
  const { planId, title, firstYear, lastYear, fiscalYear, createDepartments } = state.target;
  const change = (c: Partial<ImportState['target']>) => dispatch({ type: 'targetChanged', change: c });
  const meta = state.preview?.meta;
  return (
    <fieldset className="panel">
      <legend>4. 取り込み先</legend>
      <Field label="計画">
        {(p) => (
          <select {...p} value={planId} onChange={(e) => onPlan(e.target.value)}>
            <option value="new">新しい計画を作る</option>
            {plans.map((pl) => (
              <option key={pl.id} value={pl.id}>
                {pl.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      {planId === 'new' && (
        <>
          <Field label="新しい計画の名称" required hint={newPlanHint(plans, title, meta?.title)}>
            {(p) => <input {...p} type="text" value={title} onChange={(e) => change({ title: e.target.value })} />}
          </Field>
          <div className="field-row">
            <FiscalYearInput
              label="計画期間（開始年度）"
              required
              value={firstYear}
              onChange={(y) => change({ firstYear: y })}
            />
            <FiscalYearInput
              label="計画期間（終了年度）"
              required
              value={lastYear}
              onChange={(y) => change({ lastYear: y })}
            />
          </div>
        </>
      )}
      <FiscalYearInput
        // The document's year arrives with the preview: the field starts from it, and the user may change it.
        key={`fiscal-year-${meta?.fiscalYear ?? 'none'}`}
        label="取り込む回答の年度"
        required
        value={fiscalYear}
        onChange={(y) => change({ fiscalYear: y })}
      />
      <div className="field checkbox">
        <label>
          <input
            type="checkbox"
            checked={createDepartments}
            onChange={(e) => change({ createDepartments: e.target.checked })}
          />
          組織に登録されていない担当課は、新しく登録する
        </label>
      </div>
      <ImportReplaceCheck mid={mid} state={state} />
      <CommitButton mid={mid} state={state} onCommit={onCommit} />
    </fieldset>
  );
}

function CommitButton({ mid, state, onCommit }: { mid: number; state: ImportState; onCommit(): Promise<void> }) {
  const { busy, result } = state;
  const whyId = useId();
  const problem = commitProblem(state);
  return (
    <>
      <div className="commit-row">
        <button
          type="button"
          className="button primary"
          disabled={problem !== null}
          aria-describedby={problem && busy === '' ? whyId : undefined}
          onClick={onCommit}
        >
          取り込む
        </button>
        {problem && busy === '' && (
          <p id={whyId} className="commit-why">
            取り込めない理由: {problem}
          </p>
        )}
      </div>
      {busy === 'commit' && (
        <p role="status">
          <progress aria-label="取り込みの進み具合" /> 取り込み中です。このままお待ちください…
        </p>
      )}
      {result && (
        <div role="status" className="import-result">
          <p>
            取り込みました: 項目 {result.created.nodes}件・事業 {result.created.projects}件を追加、回答{' '}
            {result.created.records}件を追加・{result.updated.records}件を更新
            {result.created.departments > 0 && `、担当課 ${result.created.departments}件を登録`}
          </p>
          {result.removals.replaces && (
            <p>
              前回の取り込み（{result.removals.replaces.sourceName}）を置き換え、事業 {result.removals.projects.length}
              件・回答 {result.removals.records.length}件・項目 {result.removals.nodes.length}件を削除しました
              {result.removals.kept.length > 0 && `。${result.removals.kept.length}件は削除できないため残しています`}
            </p>
          )}
          <Link to={`/m/${mid}/plans/${result.planId}`}>取り込んだ計画を開く</Link>
        </div>
      )}
    </>
  );
}
