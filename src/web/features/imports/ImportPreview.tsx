import { useEra } from '../../lib/hooks.js';
import { formatEraYear } from '../../lib/dates.js';
import type { Era2019 } from '../../../domain/fiscal-year.js';
import { useState, type Dispatch } from 'react';
import type { ImportRow } from '../../../domain/import/mapping.js';
import {
  flaggedRows,
  type CorrectionAction,
  type ImportAction,
  type ImportState,
  type Preview,
} from './import-reducer.js';

/** One line of the summary: nodes per level, projects, answers, grades, and the encoding read. */
function summaryLine(preview: Preview): string {
  const { summary } = preview;
  const grades = Object.entries(summary.grades);
  return [
    Object.entries(summary.nodes)
      .map(([k, v]) => `${k} ${v}`)
      .join('・'),
    `・事業 ${summary.projects}件・担当課ごとの回答 ${summary.records}件`,
    grades.length > 0 ? `・評価 ${grades.map(([k, v]) => `${k}:${v}`).join(' ')}` : '',
    preview.encoding ? `（文字コード: ${preview.encoding}）` : '',
  ].join('');
}

/** The departments as they will be stored, with the reorganisation that renamed or merged them. */
function departmentsText(row: ImportRow, era: Era2019): string {
  return row.departments
    .map(
      (d) =>
        d.name +
        (d.change ? `（${formatEraYear(d.change.effectiveYear, era)}より${d.change.fromNames.join('・')}から）` : ''),
    )
    .join('・');
}

/** 3. Every row as it will be stored, the flagged ones with what would make them fit. */
export function PreviewStep({
  state,
  preview,
  dispatch,
  onCorrect,
}: {
  state: ImportState;
  preview: Preview;
  dispatch: Dispatch<ImportAction>;
  onCorrect(action: CorrectionAction): void;
}) {
  const flagged = flaggedRows(state);
  return (
    <section className="panel" aria-labelledby="preview-title">
      <h2 id="preview-title">3. プレビュー</h2>
      <p>{summaryLine(preview)}</p>
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
              <PreviewRow
                key={r.line}
                row={r}
                cells={preview.source.find((s) => s.line === r.line)?.cells}
                editing={state.editing === r.line}
                dispatch={dispatch}
                onCorrect={onCorrect}
              />
            ))}
          </tbody>
        </table>
      </div>
      {state.excluded.length > 0 && <p className="muted">除外した行: {state.excluded.join('、')}</p>}
    </section>
  );
}

interface RowProps {
  row: ImportRow;
  /** the row's cells in the source */
  cells: string[] | undefined;
  editing: boolean;
  dispatch: Dispatch<ImportAction>;
  onCorrect(action: CorrectionAction): void;
}

function PreviewRow({ row: r, cells, editing, dispatch, onCorrect }: RowProps) {
  const era = useEra();
  return (
    <tr className={r.flags.length ? 'flagged' : undefined}>
      <th scope="row">{r.line}</th>
      <td>{r.hierarchy.map((h) => `${h.number} ${h.title}`.trim()).join(' › ')}</td>
      <td>{r.continuation ? '（上の事業）' : r.projectNumber}</td>
      <td>{r.projectName}</td>
      <td>{departmentsText(r, era)}</td>
      <td>{r.values.grade ?? ''}</td>
      <td>
        {r.flags.map((f, i) => (
          <p key={i} className="field-error">
            {f}
          </p>
        ))}
        {r.flags.length > 0 && <RowActions row={r} dispatch={dispatch} onCorrect={onCorrect} />}
        {editing && cells && (
          <CellEditor
            line={r.line}
            cells={cells}
            onSave={(changed) => onCorrect({ type: 'cellsEdited', line: r.line, changed })}
            onCancel={() => dispatch({ type: 'editingCancelled' })}
          />
        )}
      </td>
    </tr>
  );
}

/** What a flagged row offers: the suggested fix, typing its cells anew, leaving it out. */
function RowActions({ row: r, dispatch, onCorrect }: Omit<RowProps, 'cells' | 'editing'>) {
  return (
    <div className="button-row">
      {r.fix && (
        <button
          type="button"
          className="button secondary small"
          onClick={() => onCorrect({ type: 'fixAccepted', fix: r.fix! })}
        >
          提案どおり直す
        </button>
      )}
      <button
        type="button"
        className="button secondary small"
        aria-label={`${r.line}行目のセルを直す`}
        onClick={() => dispatch({ type: 'editingStarted', line: r.line })}
      >
        セルを直す
      </button>
      <button
        type="button"
        className="button secondary small"
        aria-label={`${r.line}行目を除外する`}
        onClick={() => onCorrect({ type: 'rowExcluded', line: r.line })}
      >
        除外する
      </button>
    </div>
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
