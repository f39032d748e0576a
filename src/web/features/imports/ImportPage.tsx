import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { toBase64 } from '../../lib/files.js';
import { useMid, usePageTitle } from '../../lib/hooks.js';
import type { PlanSummary } from '../../lib/types.js';
import { ErrorAlert, Field, FiscalYearInput } from '../../components/forms.js';
import type { ImportMapping, ImportRow, ImportSummary, RowFix } from '../../../domain/import/mapping.js';
import { MappingEditor } from './MappingEditor.js';

interface MappingEntry {
  name: string;
  label: string;
  builtin: boolean;
  definition: ImportMapping;
}

interface Preview {
  sheets?: string[];
  encoding?: string;
  source: { line: number; cells: string[] }[];
  rows: ImportRow[];
  summary: ImportSummary;
}

type Source = { kind: 'paste'; text: string } | { kind: 'file'; name: string; base64: string; sheet?: string };

interface CommitResult {
  planId: number;
  created: { nodes: number; projects: number; records: number; departments: number; indicators: number };
  updated: { records: number };
}

/** 取り込み: a table from Excel, CSV or a paste, through a mapping, checked row by row before anything is written. */
export function ImportPage() {
  usePageTitle('取り込み');
  const mid = useMid();
  const mappings = useQuery({
    queryKey: ['import-mappings', mid],
    queryFn: () => api.get<{ mappings: MappingEntry[] }>(`/api/m/${mid}/import-mappings`).then((r) => r.mappings),
  });
  const plans = useQuery({
    queryKey: ['plans', mid],
    queryFn: () => api.get<{ plans: PlanSummary[] }>(`/api/m/${mid}/plans`).then((r) => r.plans),
  });
  const [mode, setMode] = useState<'file' | 'paste'>('file');
  const [text, setText] = useState('');
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [sheet, setSheet] = useState<string | undefined>(undefined);
  const [mappingName, setMappingName] = useState('');
  const [custom, setCustom] = useState<ImportMapping | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [edits, setEdits] = useState<{ line: number; column: number; value: string }[]>([]);
  const [fixes, setFixes] = useState<RowFix[]>([]);
  const [excluded, setExcluded] = useState<number[]>([]);
  const [editing, setEditing] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'' | 'preview' | 'commit'>('');
  const [planId, setPlanId] = useState('new');
  const [title, setTitle] = useState('');
  const [firstYear, setFirstYear] = useState<number | null>(null);
  const [lastYear, setLastYear] = useState<number | null>(null);
  const [fiscalYear, setFiscalYear] = useState<number | null>(null);
  const [createDepartments, setCreateDepartments] = useState(false);
  const [result, setResult] = useState<CommitResult | null>(null);

  const source = (): Source | null =>
    mode === 'paste' ? (text.trim() ? { kind: 'paste', text } : null) : file ? { kind: 'file', ...file, sheet } : null;
  const mapping = () => (mappingName === '__custom' ? custom : mappingName || null);

  const runPreview = async (next: { edits?: typeof edits; fixes?: RowFix[]; excluded?: number[] } = {}) => {
    const src = source();
    const m = mapping();
    setError(null);
    setResult(null);
    if (!src) return setError(new Error(mode === 'paste' ? '表を貼り付けてください' : 'ファイルを選んでください'));
    if (!m) return setError(new Error('取り込み設定を選んでください'));
    setBusy('preview');
    try {
      setPreview(
        await api.post<Preview>(`/api/m/${mid}/imports/preview`, {
          source: src,
          mapping: m,
          edits: next.edits ?? edits,
          fixes: next.fixes ?? fixes,
          excluded: next.excluded ?? excluded,
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  };

  const commit = async () => {
    setError(null);
    setBusy('commit');
    try {
      setResult(
        await api.post<CommitResult>(`/api/m/${mid}/imports/commit`, {
          source: source(),
          mapping: mapping(),
          edits,
          fixes,
          excluded,
          planId: planId === 'new' ? null : Number(planId),
          newPlan: planId === 'new' ? { title, firstYear, lastYear } : null,
          fiscalYear,
          createDepartments,
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  };

  const flagged = preview?.rows.filter((r) => r.flags.length > 0) ?? [];
  const sourceRow = (line: number) => preview?.source.find((s) => s.line === line);

  return (
    <section className="import-page">
      <h1>取り込み（Excel・CSV・貼り付け）</h1>
      <p className="muted">
        過去の報告書や各課の回答を、打ち直さずに取り込みます。書き込む前に、すべての行をどう保存するかを確認できます。
      </p>
      <ErrorAlert error={error} />

      <fieldset className="panel">
        <legend>1. 取り込む表</legend>
        <div className="field">
          <label className="inline-check">
            <input type="radio" name="mode" checked={mode === 'file'} onChange={() => setMode('file')} />
            ファイル（.xlsx・.csv・.tsv・.txt）
          </label>
          <label className="inline-check">
            <input type="radio" name="mode" checked={mode === 'paste'} onChange={() => setMode('paste')} />
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
                  setPreview(null);
                  setFile(f ? { name: f.name, base64: await toBase64(f) } : null);
                }}
              />
            )}
          </Field>
        ) : (
          <Field label="貼り付ける表" hint="見出し行を含めて貼り付けてください">
            {(p) => <textarea {...p} rows={6} value={text} onChange={(e) => setText(e.target.value)} />}
          </Field>
        )}
        {preview?.sheets && preview.sheets.length > 1 && (
          <Field label="シート">
            {(p) => (
              <select {...p} value={sheet ?? preview.sheets![0]} onChange={(e) => setSheet(e.target.value)}>
                {preview.sheets!.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            )}
          </Field>
        )}
      </fieldset>

      <fieldset className="panel">
        <legend>2. 取り込み設定（列の対応）</legend>
        <Field label="取り込み設定">
          {(p) => (
            <select {...p} value={mappingName} onChange={(e) => setMappingName(e.target.value)}>
              <option value="">選んでください</option>
              {(mappings.data ?? []).map((m) => (
                <option key={m.name} value={m.name}>
                  {m.builtin ? '［組込］' : ''}
                  {m.name}: {m.label}
                </option>
              ))}
              <option value="__custom">新しく設定する…</option>
            </select>
          )}
        </Field>
        {mappingName === '__custom' && <MappingEditor mid={mid} source={source()} onChange={setCustom} />}
        <button type="button" className="button primary" disabled={busy !== ''} onClick={() => runPreview()}>
          {busy === 'preview' ? '読み込み中…' : 'プレビューする'}
        </button>
      </fieldset>

      {preview && (
        <section className="panel" aria-labelledby="preview-title">
          <h2 id="preview-title">3. プレビュー</h2>
          <p>
            {Object.entries(preview.summary.nodes)
              .map(([k, v]) => `${k} ${v}`)
              .join('・')}
            ・事業 {preview.summary.projects}件・担当課ごとの回答 {preview.summary.records}件
            {Object.keys(preview.summary.grades).length > 0 &&
              `・評価 ${Object.entries(preview.summary.grades)
                .map(([k, v]) => `${k}:${v}`)
                .join(' ')}`}
            {preview.encoding && `（文字コード: ${preview.encoding}）`}
          </p>
          <p role="status" className={flagged.length ? 'field-error' : 'status-message'}>
            {flagged.length
              ? `読み取れない行が${flagged.length}行あります。直すか、除外してください。`
              : 'すべての行を読み取れました。'}
          </p>
          <div className="preview-scroll">
            <table className="data-table compact preview-table">
              <caption className="visually-hidden">取り込む行と保存のされ方</caption>
              <thead>
                <tr>
                  <th scope="col">行</th>
                  <th scope="col">体系</th>
                  <th scope="col">番号</th>
                  <th scope="col">事業名</th>
                  <th scope="col">担当課</th>
                  <th scope="col">評価</th>
                  <th scope="col">確認</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.line} className={r.flags.length ? 'flagged' : undefined}>
                    <th scope="row">{r.line}</th>
                    <td>{r.hierarchy.map((h) => `${h.number} ${h.title}`.trim()).join(' › ')}</td>
                    <td>{r.continuation ? '（上の事業）' : r.projectNumber}</td>
                    <td>{r.projectName}</td>
                    <td>
                      {r.departments
                        .map(
                          (d) =>
                            d.name +
                            (d.change
                              ? `（${d.change.effectiveYear}年度より${d.change.fromNames.join('・')}から）`
                              : ''),
                        )
                        .join('・')}
                    </td>
                    <td>{r.values.grade ?? ''}</td>
                    <td>
                      {r.flags.map((f, i) => (
                        <p key={i} className="field-error">
                          {f}
                        </p>
                      ))}
                      {r.flags.length > 0 && (
                        <div className="button-row">
                          {r.fix && (
                            <button
                              type="button"
                              className="button secondary small"
                              onClick={() => {
                                const next = [...fixes, r.fix!];
                                setFixes(next);
                                void runPreview({ fixes: next });
                              }}
                            >
                              提案どおり直す
                            </button>
                          )}
                          <button
                            type="button"
                            className="button secondary small"
                            aria-label={`${r.line}行目のセルを直す`}
                            onClick={() => setEditing(r.line)}
                          >
                            セルを直す
                          </button>
                          <button
                            type="button"
                            className="button secondary small"
                            aria-label={`${r.line}行目を除外する`}
                            onClick={() => {
                              const next = [...excluded, r.line];
                              setExcluded(next);
                              void runPreview({ excluded: next });
                            }}
                          >
                            除外する
                          </button>
                        </div>
                      )}
                      {editing === r.line && sourceRow(r.line) && (
                        <CellEditor
                          line={r.line}
                          cells={sourceRow(r.line)!.cells}
                          onSave={(changed) => {
                            const next = [
                              ...edits.filter(
                                (e) => !(e.line === r.line && changed.some((c) => c.column === e.column)),
                              ),
                              ...changed.map((c) => ({ line: r.line, ...c })),
                            ];
                            setEdits(next);
                            setEditing(null);
                            void runPreview({ edits: next });
                          }}
                          onCancel={() => setEditing(null)}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {excluded.length > 0 && <p className="muted">除外した行: {excluded.join('、')}</p>}
        </section>
      )}

      {preview && (
        <fieldset className="panel">
          <legend>4. 取り込み先</legend>
          <Field label="計画">
            {(p) => (
              <select {...p} value={planId} onChange={(e) => setPlanId(e.target.value)}>
                <option value="new">新しい計画を作る</option>
                {(plans.data ?? []).map((pl) => (
                  <option key={pl.id} value={pl.id}>
                    {pl.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {planId === 'new' && (
            <>
              <Field label="新しい計画の名称" required>
                {(p) => <input {...p} type="text" value={title} onChange={(e) => setTitle(e.target.value)} />}
              </Field>
              <div className="field-row">
                <FiscalYearInput label="計画期間（開始年度）" required value={firstYear} onChange={setFirstYear} />
                <FiscalYearInput label="計画期間（終了年度）" required value={lastYear} onChange={setLastYear} />
              </div>
            </>
          )}
          <FiscalYearInput label="取り込む回答の年度" required value={fiscalYear} onChange={setFiscalYear} />
          <div className="field checkbox">
            <label>
              <input
                type="checkbox"
                checked={createDepartments}
                onChange={(e) => setCreateDepartments(e.target.checked)}
              />
              組織に登録されていない担当課は、新しく登録する
            </label>
          </div>
          <button
            type="button"
            className="button primary"
            disabled={busy !== '' || flagged.length > 0}
            onClick={commit}
          >
            取り込む
          </button>
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
              <Link to={`/m/${mid}/plans/${result.planId}`}>取り込んだ計画を開く</Link>
            </div>
          )}
        </fieldset>
      )}
    </section>
  );
}

function CellEditor({
  line,
  cells,
  onSave,
  onCancel,
}: {
  line: number;
  cells: string[];
  onSave(changed: { column: number; value: string }[]): void;
  onCancel(): void;
}) {
  const [values, setValues] = useState(cells);
  return (
    <div className="cell-editor" role="group" aria-label={`${line}行目のセル`}>
      {values.map((v, i) => (
        <label key={i}>
          {i + 1}列目
          <input
            type="text"
            value={v}
            onChange={(e) => setValues(values.map((x, j) => (j === i ? e.target.value : x)))}
          />
        </label>
      ))}
      <div className="button-row">
        <button
          type="button"
          className="button primary small"
          onClick={() =>
            onSave(
              values.map((value, column) => ({ column, value })).filter((c) => c.value !== (cells[c.column] ?? '')),
            )
          }
        >
          この行を直す
        </button>
        <button type="button" className="button secondary small" onClick={onCancel}>
          取り消す
        </button>
      </div>
    </div>
  );
}
