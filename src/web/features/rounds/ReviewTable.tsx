import type { KeyboardEvent } from 'react';
import { formatShortDateTime } from '../../lib/dates.js';
import type { ReviewRow, ReviewTable as ReviewTableDto } from '../../lib/types.js';
import { Field } from '../../components/forms.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { RECORD_STATUSES, RECORD_STATUS_LABELS } from '../../../domain/cycle-terms.js';
import { CHECK_KIND_LABELS } from '../../../domain/evaluation/index.js';
import { gradeValue, NO_GRADE, type ReviewFilters } from './review-filters.js';
import { byDepartment, selectionLimits } from './review-selection.js';
import type { Column, ReviewQuestion } from './useReview.js';

type GradeOptions = ReviewTableDto['gradeOptions'];

/** A grade in words, naming its slot where the table shows several (「自己評価：B（概ね順調）」). */
function gradeWords(g: { slot: string; code: string }, options: GradeOptions): string {
  const o = options.find((x) => x.slot === g.slot && x.code === g.code);
  const slotted = new Set(options.map((x) => x.slot)).size > 1;
  const name = slotted ? `${o?.slotName ?? options.find((x) => x.slot === g.slot)?.slotName ?? g.slot}：` : '';
  return `${name}${g.code}${o?.label ? `（${o.label}）` : ''}`;
}

export const shortTime = (iso: string) => formatShortDateTime(iso);

/** The filters, kept in the address, and how many rows they show. */
export function ReviewFiltersForm({
  filters,
  departments,
  gradeOptions,
  total,
  shown,
  onChange,
}: {
  filters: ReviewFilters;
  departments: { departmentId: number; name: string }[];
  gradeOptions: GradeOptions;
  total: number;
  shown: number;
  onChange(change: Partial<ReviewFilters>): void;
}) {
  return (
    <form className="review-filters" role="search" aria-label="回答の絞り込み" onSubmit={(e) => e.preventDefault()}>
      <Field label="状態">
        {(p) => (
          <select
            {...p}
            value={filters.status}
            // the options are '' and the record statuses
            onChange={(e) => onChange({ status: e.target.value as ReviewFilters['status'] })}
          >
            <option value="">すべて</option>
            {RECORD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {RECORD_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="課">
        {(p) => (
          <select
            {...p}
            value={filters.department ?? ''}
            onChange={(e) => onChange({ department: Number(e.target.value) || null })}
          >
            <option value="">すべて</option>
            {departments.map((d) => (
              <option key={d.departmentId} value={d.departmentId}>
                {d.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <GradeFilter grade={filters.grade} gradeOptions={gradeOptions} onChange={(grade) => onChange({ grade })} />
      <Field label="事業名・番号">
        {(p) => (
          <input {...p} type="search" size={16} value={filters.q} onChange={(e) => onChange({ q: e.target.value })} />
        )}
      </Field>
      <label className="inline-check review-commented">
        <input
          type="checkbox"
          checked={filters.commented}
          onChange={(e) => onChange({ commented: e.target.checked })}
        />
        コメントあり
      </label>
      <label className="inline-check review-commented">
        <input type="checkbox" checked={filters.checked} onChange={(e) => onChange({ checked: e.target.checked })} />
        確認事項あり
      </label>
      <p className="review-count" aria-live="polite">
        {total}件中 {shown}件を表示
      </p>
    </form>
  );
}

function GradeFilter({
  grade,
  gradeOptions,
  onChange,
}: {
  grade: string;
  gradeOptions: GradeOptions;
  onChange(grade: string): void;
}) {
  return (
    <Field label="評価">
      {(p) => (
        <select {...p} value={grade} onChange={(e) => onChange(e.target.value)}>
          <option value="">すべて</option>
          {slotsOf(gradeOptions).map(([slot, name, options]) =>
            options.length && new Set(gradeOptions.map((x) => x.slot)).size > 1 ? (
              <optgroup key={slot} label={name}>
                {options.map((g) => (
                  <option key={gradeValue(g)} value={gradeValue(g)}>
                    {gradeWords(g, gradeOptions)}
                  </option>
                ))}
              </optgroup>
            ) : (
              options.map((g) => (
                <option key={gradeValue(g)} value={gradeValue(g)}>
                  {gradeWords(g, gradeOptions)}
                </option>
              ))
            ),
          )}
          <option value={NO_GRADE}>未評価</option>
        </select>
      )}
    </Field>
  );
}

/** The selection and what can be done with it. */
export function ReviewBar({
  selectedRows,
  selectedCount,
  visible,
  busy,
  question,
  onSelectSubmitted,
  onClear,
}: {
  /** the selected rows the filters show */
  selectedRows: ReviewRow[];
  /** every selected row, shown or not */
  selectedCount: number;
  visible: ReviewRow[];
  busy: boolean;
  question: ReviewQuestion;
  onSelectSubmitted(): void;
  onClear(): void;
}) {
  const n = selectedRows.length;
  const { notApprovable, notReturnable } = selectionLimits(selectedRows);
  const visibleSubmitted = visible.filter((r) => r.status === 'submitted').length;
  return (
    <div className="review-bar">
      <span className="review-selected">{n}件を選択中</span>
      <button
        type="button"
        className="button primary small"
        disabled={busy || n === 0 || notApprovable > 0}
        onClick={question.askApprove}
      >
        選択した{n}件を確定する
      </button>
      <button
        type="button"
        className="button danger small"
        disabled={busy || n === 0 || notReturnable > 0}
        onClick={question.askReturn}
      >
        選択した{n}件を差戻す
      </button>
      <button
        type="button"
        className="button secondary small"
        disabled={visibleSubmitted === 0}
        onClick={onSelectSubmitted}
      >
        表示中の提出済をすべて選択（{visibleSubmitted}件）
      </button>
      <button type="button" className="button secondary small" disabled={selectedCount === 0} onClick={onClear}>
        選択を解除
      </button>
      {(notApprovable > 0 || notReturnable > 0) && (
        <span className="review-note">
          {notReturnable > 0
            ? '確定・差戻しできるのは提出済（差戻しは確定済も）の回答です'
            : '確定できるのは提出済の回答だけです'}
        </span>
      )}
    </div>
  );
}

/** What a row's control needs to take part in the table's keyboard (see useRovingRows). */
type RowControl = (
  row: ReviewRow,
  column: Column,
) => {
  ref(el: HTMLElement | null): void;
  tabIndex: number;
  onFocus(): void;
  onKeyDown(e: KeyboardEvent<HTMLElement>): void;
};

interface TableProps {
  gradeOptions: GradeOptions;
  openId: number | null;
  selected: Map<number, number>;
  control: RowControl;
  onToggle(row: ReviewRow, on: boolean): void;
  onOpen(id: number): void;
}

export function ReviewTable({ rows, hintId, ...props }: TableProps & { rows: ReviewRow[]; hintId: string }) {
  return (
    <div className="review-table-scroll">
      <table className="data-table compact review-table" aria-describedby={hintId}>
        <caption className="visually-hidden">提出された回答の一覧</caption>
        <thead>
          <tr>
            <th scope="col" className="c-select">
              <span className="visually-hidden">選択</span>
            </th>
            <th scope="col">事業</th>
            <th scope="col">課</th>
            <th scope="col">状態</th>
            <th scope="col">評価</th>
            <th scope="col">確認事項</th>
            <th scope="col" className="c-wrap">
              前回提出からの変更
            </th>
            <th scope="col" className="num">
              コメント
            </th>
            <th scope="col">更新</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <ReviewTableRow key={r.recordId} row={r} {...props} />
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="review-empty">条件に合う回答はありません。</p>}
      <p id={hintId} className="hint review-hint">
        ↑↓キーで行を移動し、Enterキーで詳細を表示します。スペースキーで選択します。
      </p>
    </div>
  );
}

function ReviewTableRow({
  row: r,
  gradeOptions,
  openId,
  selected,
  control,
  onToggle,
  onOpen,
}: TableProps & { row: ReviewRow }) {
  return (
    <tr className={r.recordId === openId ? 'is-open' : undefined}>
      <td className="c-select">
        <input
          type="checkbox"
          aria-label={`事業${r.projectNumber} ${r.projectName}（${r.departmentName}）を選択`}
          checked={selected.has(r.recordId)}
          onChange={(e) => onToggle(r, e.target.checked)}
          {...control(r, 'select')}
        />
      </td>
      <th scope="row" className="c-project">
        <button
          type="button"
          className="link-button review-open"
          aria-current={r.recordId === openId ? 'true' : undefined}
          onClick={() => onOpen(r.recordId)}
          {...control(r, 'open')}
        >
          <span className="project-number">{r.projectNumber}</span> {r.projectName}
        </button>
        {r.path && (
          <span className="review-path" title={r.path}>
            {r.path}
          </span>
        )}
      </th>
      <td className="c-dept">{r.departmentName}</td>
      <td>
        <span className={`status-badge status-${r.status}`}>{RECORD_STATUS_LABELS[r.status]}</span>
      </td>
      <td className="c-grade">
        <Grades grades={r.grades} gradeOptions={gradeOptions} />
      </td>
      <td className="c-checks">
        <ChecksCell checks={r.checks} />
      </td>
      <td>
        <ChangedCell row={r} />
      </td>
      <td className="num">{r.comments}</td>
      <td className="c-updated">
        {shortTime(r.updatedAt)}
        {r.updatedByName && <span className="review-path review-updated-by">{r.updatedByName}</span>}
      </td>
    </tr>
  );
}

function Grades({ grades, gradeOptions }: { grades: ReviewRow['grades']; gradeOptions: GradeOptions }) {
  if (grades.length === 0) return <span className="muted">未評価</span>;
  const slotted = new Set(gradeOptions.map((x) => x.slot)).size > 1;
  return grades.map((g, i) => (
    <span key={i} className="grade" title={gradeWords(g, gradeOptions)}>
      <span aria-hidden="true">
        {slotted && <span className="grade-slot">{gradeOptions.find((x) => x.slot === g.slot)?.slotName}</span>}
        {g.code}
      </span>
      <span className="visually-hidden">{gradeWords(g, gradeOptions)}</span>
    </span>
  ));
}

/** The review slots in the plan's order, each with its name and its legend. */
function slotsOf(options: GradeOptions): [string, string, GradeOptions][] {
  const out = new Map<string, [string, string, GradeOptions]>();
  for (const o of options) {
    const at = out.get(o.slot) ?? [o.slot, o.slotName, []];
    at[2].push(o);
    out.set(o.slot, at);
  }
  return [...out.values()];
}

/** The self-evaluation checks' findings: how many, each in words (the detail gives the full messages). */
function ChecksCell({ checks }: { checks: ReviewRow['checks'] }) {
  if (checks.length === 0)
    return (
      <span className="muted">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">なし</span>
      </span>
    );
  const kinds = [...new Set(checks.map((c) => CHECK_KIND_LABELS[c.kind]))];
  return (
    <span className="review-check" title={checks.map((c) => c.message).join('\n')}>
      <span aria-hidden="true">⚠</span> {checks.length}件<span className="visually-hidden">: {kinds.join('、')}</span>
    </span>
  );
}

function ChangedCell({ row }: { row: ReviewRow }) {
  const changed = row.changedSinceLastSubmission;
  if (changed === null)
    return row.submittedAt ? <span className="muted">初回提出</span> : <span className="muted">未提出</span>;
  if (changed.length === 0) return <span className="review-unchanged">変更なし</span>;
  return <span className="review-changed">{changed.join('、')}</span>;
}

/** The questions before a bulk approval or return, naming what they act on; the return asks its reason. */
export function ReviewDialogs({
  question: qn,
  selectedRows,
  busy,
}: {
  question: ReviewQuestion;
  selectedRows: ReviewRow[];
  busy: boolean;
}) {
  const n = selectedRows.length;
  return (
    <>
      <ConfirmDialog
        open={qn.asking === 'approve'}
        title={`${n}件の回答を確定します`}
        confirmLabel={`${n}件を確定する`}
        busy={busy}
        onCancel={qn.cancel}
        onConfirm={() => void qn.confirmApprove()}
      >
        <p>対象: {byDepartment(selectedRows)}</p>
        <SelectionList rows={selectedRows} />
        <p>確定した回答は報告・公表の対象になります。確定後しばらくは「元に戻す」で取り消せます。</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={qn.asking === 'return'}
        title={`${n}件の回答を差戻します`}
        confirmLabel={`${n}件を差戻す`}
        danger
        busy={busy}
        onCancel={qn.cancel}
        onConfirm={() => void qn.confirmReturn()}
      >
        <p>対象: {byDepartment(selectedRows)}</p>
        <SelectionList rows={selectedRows} />
        <Field
          label="差戻しの理由"
          required
          hint="選んだ回答のそれぞれにコメントとして残り、各課に表示されます。"
          error={qn.reasonError}
        >
          {(p) => (
            <textarea
              {...p}
              ref={qn.reasonRef}
              rows={3}
              value={qn.reason}
              onChange={(e) => qn.typeReason(e.target.value)}
            />
          )}
        </Field>
      </ConfirmDialog>
    </>
  );
}

/** The chosen records by name, up to a handful, so that the question says what it acts on. */
function SelectionList({ rows }: { rows: ReviewRow[] }) {
  const shown = rows.slice(0, 8);
  return (
    <ul className="review-selection">
      {shown.map((r) => (
        <li key={r.recordId}>
          事業{r.projectNumber} {r.projectName}（{r.departmentName}）
        </li>
      ))}
      {rows.length > shown.length && <li>ほか{rows.length - shown.length}件</li>}
    </ul>
  );
}
