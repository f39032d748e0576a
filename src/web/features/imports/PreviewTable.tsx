import { useState, type Dispatch, type ReactNode } from 'react';
import type { Era2019 } from '../../../domain/fiscal-year.js';
import { IMPORT_FIELD_LABELS, type ImportField, type ImportRow } from '../../../domain/import/mapping.js';
import { parseValue } from '../../../domain/values.js';
import { formatEraYear, formatFiscalYearShort } from '../../lib/dates.js';
import { useEra } from '../../lib/hooks.js';
import type { CorrectionAction, ImportAction, Preview } from './import-reducer.js';

/** The fields shown as long texts: shortened in the table, whole on hover and focus. */
const TEXT_FIELDS = new Set<ImportField>(['summary', 'planText', 'resultText', 'nextYearPlan', 'remarks', 'audience']);
/** The fields stored as values of a year: which year, relative to the year of the answers. */
const YEAR_OF: Partial<Record<ImportField, number>> = { target: 0, actual: 0, previousActual: -1 };
/** Shown elsewhere in the row (number, name, departments) or beside another field (the baseline's year). */
const OWN_COLUMNS = new Set<ImportField>(['projectNumber', 'projectName', 'department', 'baselineYear']);

/** The columns of the preview: every field the mapping reads, in the order of the fields. */
export function previewFields(preview: Preview): ImportField[] {
  const { columns, indicatorInName } = preview.mapping;
  return (Object.keys(IMPORT_FIELD_LABELS) as ImportField[]).filter(
    (f) =>
      !OWN_COLUMNS.has(f) &&
      (columns[f] !== undefined ||
        (f === 'indicator' && !!indicatorInName) ||
        (f === 'baseline' && columns.baselineYear !== undefined)),
  );
}

function fieldHeader(field: ImportField, fiscalYear: number | null, era: Era2019): ReactNode {
  const label = IMPORT_FIELD_LABELS[field];
  const offset = YEAR_OF[field];
  if (offset === undefined) return label;
  if (fiscalYear === null)
    return (
      <>
        {label}
        <span className="year-note">（取り込む年度{offset ? 'の前年度' : ''}）</span>
      </>
    );
  return (
    <>
      {label}
      <span className="year-note" title={formatEraYear(fiscalYear + offset, era)}>
        （{formatFiscalYearShort(fiscalYear + offset, era)}）
      </span>
    </>
  );
}

/** A long text shortened to two lines; the whole text on hover, and on focus for the keyboard. */
export function ClipText({ text }: { text: string }) {
  if (text.length <= 40) return <>{text}</>;
  return (
    <span className="clip-text" tabIndex={0} title={text}>
      {text}
    </span>
  );
}

/** A value as stored: a number with its unit, a status or a mark, or a text kept as written. */
function StoredValue({ text }: { text: string }) {
  const p = parseValue(text);
  if (p.kind === 'number')
    return (
      <span className="stored-number">
        {p.value.toLocaleString('ja-JP')}
        {p.unit && <span className="unit">{p.unit}</span>}
      </span>
    );
  if (p.kind === 'empty') return null;
  return (
    <span>
      <ClipText text={text} />
      {p.kind === 'text' && <span className="kind-note">（文字）</span>}
    </span>
  );
}

function FieldCell({ row, field }: { row: ImportRow; field: ImportField }) {
  const text = row.values[field] ?? '';
  if (field === 'baseline') {
    const year = row.values.baselineYear;
    return (
      <td>
        <StoredValue text={text} />
        {year && <span className="year-note">（{year}）</span>}
      </td>
    );
  }
  if (field in YEAR_OF || field === 'achievement') return <td className="value-cell">{<StoredValue text={text} />}</td>;
  return <td className={TEXT_FIELDS.has(field) ? 'text-cell' : undefined}>{<ClipText text={text} />}</td>;
}

/**
 * The departments as they will be stored, with the reorganisation that renamed them. One not registered is
 * marked as the names table says of it: registered by the import where the box to create them is ticked,
 * else not taken until it is read as a registered one.
 */
function DepartmentsCell({
  row,
  newNames,
  create,
}: {
  row: ImportRow;
  newNames: ReadonlySet<string>;
  create: boolean;
}) {
  const era = useEra();
  return (
    <td>
      {row.departments.map((d, i) => (
        <span key={i} className="department-name">
          {d.name}
          {newNames.has(d.name) &&
            (create ? (
              <span className="badge new-name">新規登録</span>
            ) : (
              <span className="badge unregistered-name">未登録</span>
            ))}
          {d.change && `（${formatEraYear(d.change.effectiveYear, era)}より${d.change.fromNames.join('・')}から）`}
        </span>
      ))}
    </td>
  );
}

interface TableProps {
  preview: Preview;
  /** whether departments not registered are registered by the import (the box in 取り込み先) */
  createDepartments: boolean;
  fiscalYear: number | null;
  editing: number | null;
  dispatch: Dispatch<ImportAction>;
  onCorrect(action: CorrectionAction): void;
}

/** Every row with every field it reads, as it will be stored, the flagged ones with what would make them fit. */
export function PreviewTable({ preview, createDepartments, fiscalYear, editing, dispatch, onCorrect }: TableProps) {
  const era = useEra();
  const fields = previewFields(preview);
  const customKeys = Object.keys(preview.mapping.customColumns ?? {});
  const newNames = new Set(preview.names.filter((n) => n.kind === 'new').map((n) => n.meant ?? n.written));
  return (
    <div className="preview-scroll" role="region" aria-label="取り込む行の一覧（横にスクロールできます）" tabIndex={0}>
      <table className="data-table compact preview-table">
        <caption className="visually-hidden">取り込む行と保存のされ方</caption>
        <thead>
          <tr>
            <th scope="col">行</th>
            {preview.mapping.levels.length > 0 && <th scope="col">体系</th>}
            <th scope="col">番号</th>
            <th scope="col">事業名</th>
            <th scope="col">担当課</th>
            {fields.map((f) => (
              <th key={f} scope="col">
                {fieldHeader(f, fiscalYear, era)}
              </th>
            ))}
            {customKeys.map((k) => (
              <th key={k} scope="col">
                追加の項目「{k}」
              </th>
            ))}
            <th scope="col">確認</th>
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((r) => (
            <tr key={r.line} className={r.flags.length ? 'flagged' : undefined}>
              <th scope="row">{r.line}</th>
              {preview.mapping.levels.length > 0 && (
                <td className="hierarchy-cell">
                  <ClipText text={r.hierarchy.map((h) => `${h.number} ${h.title}`.trim()).join(' › ')} />
                </td>
              )}
              <td>{r.continuation ? '（上の事業）' : r.projectNumber}</td>
              <td className="name-cell">
                <ClipText text={r.projectName} />
              </td>
              <DepartmentsCell row={r} newNames={newNames} create={createDepartments} />
              {fields.map((f) => (
                <FieldCell key={f} row={r} field={f} />
              ))}
              {customKeys.map((k) => (
                <td key={k}>
                  <ClipText text={r.custom?.[k] ?? ''} />
                </td>
              ))}
              <td className="check-cell">
                {r.flags.length === 0 ? (
                  <span className="ok-mark">読み取り済み</span>
                ) : (
                  <RowCheck
                    row={r}
                    cells={preview.source.find((s) => s.line === r.line)?.cells}
                    editing={editing === r.line}
                    dispatch={dispatch}
                    onCorrect={onCorrect}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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

/** A flagged row: why, the suggested fix, typing its cells anew, leaving it out. */
function RowCheck({ row: r, cells, editing, dispatch, onCorrect }: RowProps) {
  return (
    <>
      {r.flags.map((f, i) => (
        <p key={i} className="field-error">
          {f}
        </p>
      ))}
      <div className="button-row">
        {r.fix && (
          <button
            type="button"
            className="button secondary small"
            aria-label={`${r.line}行目を提案どおり直す`}
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
      {editing && cells && (
        <CellEditor
          line={r.line}
          cells={cells}
          onSave={(changed) => onCorrect({ type: 'cellsEdited', line: r.line, changed })}
          onCancel={() => dispatch({ type: 'editingCancelled' })}
        />
      )}
    </>
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
