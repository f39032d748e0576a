import { useId, useLayoutEffect, useMemo, useRef, useState, type ComponentProps, type RefObject } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import type { ReviewResult, ReviewRow, ReviewTable as ReviewData } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { PHASE_LABELS } from '../../../domain/cycle-terms.js';
import { formatFiscalYear } from '../../lib/dates.js';
import { ReviewDetail } from './ReviewDetail.js';
import { matches, readFilters, writeFilters, type ReviewFilters } from './review-filters.js';
import { useAddressState } from '../../lib/address-state.js';
import { ReviewBar, ReviewDialogs, ReviewFiltersForm, ReviewTable, shortTime } from './ReviewTable.js';
import { useReviewActions, useReviewQuestion, useReviewSelection, useRovingRows, type Done } from './useReview.js';
import './review.css';

type ReviewAddress = ReviewFilters & { record: number | null };

const readAddress = (p: URLSearchParams): ReviewAddress => ({
  ...readFilters(p),
  record: Number(p.get('record')) || null,
});

function writeAddress({ record, ...filters }: ReviewAddress, params: URLSearchParams): URLSearchParams {
  const next = writeFilters(params, filters);
  if (record) next.set('record', String(record));
  else next.delete('record');
  return next;
}

/** The filters and the open record, both kept in the address. */
function useReviewAddress() {
  const [address, set] = useAddressState(readAddress, writeAddress);
  const openId = address.record;
  // One object per change of the address, so that what is worked out from the filters is kept between renders.
  const filters = useMemo(() => {
    const { record: _record, ...rest } = address;
    return rest;
  }, [address]);
  const setFilters = (change: Partial<ReviewFilters>) => set(change);
  const openRecord = (id: number) => set({ record: id });
  return { filters, setFilters, openId, openRecord };
}

// The table and the detail fill the rest of the window: the table scrolls inside, the detail stays in view.
function useFillWindow(ref: RefObject<HTMLDivElement | null>) {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const place = () =>
      el.style.setProperty('--review-top', `${Math.round(el.getBoundingClientRect().top + window.scrollY)}px`);
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  });
}

/**
 * The coordinator's review of one survey round: every record in one compact table with filters kept
 * in the address, a read-only detail beside it, and approve / return for many records at once with
 * a short while to undo.
 */
export function ReviewPage() {
  const mid = useMid();
  const rid = Number(useParams().rid);
  usePageTitle('回答の確認');
  const { filters, setFilters, openId, openRecord } = useReviewAddress();
  const q = useQuery({
    queryKey: ['review', mid, rid],
    queryFn: () => api.get<ReviewData>(`/api/m/${mid}/rounds/${rid}/review`),
  });
  const rows = useMemo(() => q.data?.rows ?? [], [q.data]);
  const visible = useMemo(() => rows.filter((r) => matches(r, filters)), [rows, filters]);
  const selection = useReviewSelection(rows);
  const selectedRows = visible.filter((r) => selection.selected.has(r.recordId));
  const actions = useReviewActions(mid, rid, selection.clear);
  const question = useReviewQuestion(actions.act, () => selection.picks(selectedRows));
  const [focusId, setFocusId] = useState<number | null>(null);
  const openDetail = (id: number) => {
    openRecord(id);
    setFocusId(id);
  };
  const control = useRovingRows(visible, focusId, setFocusId, openDetail);
  const workRef = useRef<HTMLDivElement>(null);
  useFillWindow(workRef);
  const hintId = useId();

  if (q.isPending) return <p role="status">読み込み中…</p>;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const { round, gradeOptions } = q.data;
  const openRow = rows.find((r) => r.recordId === openId) ?? null;

  return (
    <section className="review-page" aria-labelledby="review-title">
      <ReviewHeading mid={mid} rid={rid} round={round} />
      <ReviewFiltersForm
        filters={filters}
        departments={round.departments}
        gradeOptions={gradeOptions}
        total={rows.length}
        shown={visible.length}
        onChange={setFilters}
      />
      <ReviewBar
        selectedRows={selectedRows}
        selectedCount={selection.selected.size}
        visible={visible}
        busy={actions.busy}
        question={question}
        onSelectSubmitted={() => selection.selectSubmitted(visible)}
        onClear={selection.clear}
      />
      {actions.done && (
        <DoneNote done={actions.done} doneRef={actions.doneRef} busy={actions.busy} onUndo={actions.undo} />
      )}
      <ErrorAlert error={actions.error} />

      <div className="review-work" ref={workRef}>
        <ReviewTable
          rows={visible}
          hintId={hintId}
          gradeOptions={gradeOptions}
          openId={openId}
          selected={selection.selected}
          control={control}
          onToggle={selection.toggle}
          onOpen={openDetail}
        />
        <aside className="review-detail" aria-label="回答の詳細" tabIndex={0}>
          <DetailPane mid={mid} rid={rid} row={openRow} busy={actions.busy} act={actions.act} />
        </aside>
      </div>

      <ReviewDialogs question={question} selectedRows={selectedRows} busy={actions.busy} />
    </section>
  );
}

/** The open record's detail, or what choosing one will show. */
function DetailPane({ row, ...props }: Omit<ComponentProps<typeof ReviewDetail>, 'row'> & { row: ReviewRow | null }) {
  if (!row) return <p className="muted">表の事業名を選ぶと、ここに回答の内容と前回提出からの変更が表示されます。</p>;
  return <ReviewDetail row={row} {...props} />;
}

function ReviewHeading({ mid, rid, round }: { mid: number; rid: number; round: ReviewData['round'] }) {
  const era = useEra();
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/m/${mid}/rounds`}>照会</Link> › <Link to={`/m/${mid}/rounds/${rid}`}>状況</Link> › 回答の確認
      </p>
      <h1 id="review-title">
        回答の確認
        <span className="subtitle">
          {round.planTitle} {formatFiscalYear(round.fiscalYear, era)} {PHASE_LABELS[round.phase]}
        </span>
      </h1>
    </>
  );
}

/** What the last action did, with its undo while the server still accepts it. */
function DoneNote({
  done,
  doneRef,
  busy,
  onUndo,
}: {
  done: Done;
  doneRef: RefObject<HTMLDivElement | null>;
  busy: boolean;
  onUndo(review: ReviewResult): Promise<void>;
}) {
  return (
    <div className="review-done" ref={doneRef} tabIndex={-1}>
      <p role="status">{done.text}</p>
      {done.review && (
        <button
          type="button"
          className="button secondary small"
          disabled={busy}
          onClick={() => void onUndo(done.review!)}
        >
          元に戻す
        </button>
      )}
      {done.review && <span className="muted">（{shortTime(done.review.undoUntil)}まで）</span>}
    </div>
  );
}
