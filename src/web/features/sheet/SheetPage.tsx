import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { Sheet } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { SearchBox } from '../../components/SearchBox.js';
import { matchesSearch } from '../../lib/search.js';
import { DeadlineBadge } from '../../components/DeadlineBadge.js';
import { PHASE_LABELS } from '../../../domain/cycle-terms.js';
import { formatFiscalYear } from '../../lib/dates.js';
import { daysUntil } from '../../../domain/dates.js';
import { RecordEditor } from './RecordEditor.js';
import { WorkbookRoundTrip } from './WorkbookRoundTrip.js';
import { SheetOutcomes } from './OutcomeActuals.js';
import { SheetPrint } from './SheetPrint.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { UnsavedGuard } from '../../components/UnsavedGuard.js';
import { isCoordinating } from '../../../domain/policy.js';
import { sheetTally } from './sheet-tally.js';
import { legendScales } from './sheet-evaluation.js';
import { RULE_KIND_LABELS } from '../../../domain/evaluation/index.js';

/** The round and department of the page's path. */
interface SheetAddress {
  mid: number;
  rid: number;
  did: number;
}

/** The sheet, and how to read it again after a change. */
function useSheet({ mid, rid, did }: SheetAddress) {
  const client = useQueryClient();
  const key = ['sheet', mid, rid, did];
  // Read again now and then and on coming back to the tab, so that a change someone else saved
  // reaches a form its user is not typing in.
  const q = useQuery({
    queryKey: key,
    queryFn: () => api.get<Sheet>(`/api/m/${mid}/rounds/${rid}/departments/${did}/sheet`),
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
  });
  return { q, reload: () => client.invalidateQueries({ queryKey: key }) };
}

/** The records with unsaved input, as each editor reports it. */
function useDirtyRecords() {
  const [dirty, setDirty] = useState<Set<number>>(new Set());
  const onDirty = useCallback(
    (recordId: number, isDirty: boolean) =>
      setDirty((prev) => {
        if (prev.has(recordId) === isDirty) return prev;
        const next = new Set(prev);
        if (isDirty) next.add(recordId);
        else next.delete(recordId);
        return next;
      }),
    [],
  );
  return { dirty: dirty.size, onDirty };
}

/** 課別シート: one department's answers for a round, saved as they are typed. */
export function SheetPage() {
  const mid = useMid();
  const params = useParams();
  const address = { mid, rid: Number(params.rid), did: Number(params.did) };
  const { session } = useSession();
  const coordinating = isCoordinating(session.user!);
  const { q, reload } = useSheet(address);
  usePageTitle(q.data ? `${q.data.department.name}の回答シート` : '回答シート');
  const { dirty, onDirty } = useDirtyRecords();
  const [query, setQuery] = useState('');
  const shown = useMemo(
    () =>
      new Set(
        (q.data?.items ?? [])
          .filter((i) =>
            matchesSearch(query, i.project.number, i.project.name, i.project.path, ...i.others.map((o) => o.name)),
          )
          .map((i) => i.record.id),
      ),
    [q.data, query],
  );

  if (q.isPending) return <p role="status">読み込み中…</p>;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const sheet = q.data;
  const { rid, did } = address;

  return (
    <section className="sheet">
      <SheetHeading mid={mid} rid={rid} sheet={sheet} coordinating={coordinating} />
      <SheetDecisions address={address} sheet={sheet} coordinating={coordinating} dirty={dirty} onDone={reload} />
      {sheet.canEdit && sheet.items.length > 0 && (
        <WorkbookRoundTrip url={`/api/m/${mid}/rounds/${rid}/departments/${did}/workbook`} onApplied={reload} />
      )}
      {sheet.items.length === 0 && <p>この照会でこの課が回答する事業はありません。</p>}
      {sheet.items.length > 1 && (
        <SearchBox
          label="事業を検索"
          hint="番号・事業名・体系・課名"
          value={query}
          onChange={setQuery}
          shown={shown.size}
          total={sheet.items.length}
        />
      )}
      {query.trim() !== '' && shown.size === 0 && <p>「{query.trim()}」に当てはまる事業はありません。</p>}
      {sheet.items.map((item) => (
        // Hidden, not removed: an answer being typed keeps its unsaved input while the search hides it.
        <div key={item.record.id} hidden={!shown.has(item.record.id)}>
          <RecordEditor
            mid={mid}
            sheet={sheet}
            item={item}
            coordinating={coordinating}
            onDirty={onDirty}
            onChanged={reload}
          />
        </div>
      ))}
      <SheetOutcomes
        mid={mid}
        planId={sheet.round.planId}
        fiscalYear={sheet.round.fiscalYear}
        departmentId={did}
        onDirty={onDirty}
      />
      <SheetPrint mid={mid} sheet={sheet} />
    </section>
  );
}

/** Where the sheet belongs, whether it takes answers, its answers by status, the instructions and the grades. */
function SheetHeading({
  mid,
  rid,
  sheet,
  coordinating,
}: {
  mid: number;
  rid: number;
  sheet: Sheet;
  coordinating: boolean;
}) {
  const era = useEra();
  const { round } = sheet;
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/m/${mid}/rounds`}>照会</Link>
        {coordinating && (
          <>
            {' '}
            › <Link to={`/m/${mid}/rounds/${rid}`}>状況</Link>
          </>
        )}{' '}
        › 回答シート
      </p>
      <h1>
        {sheet.department.name}の回答シート
        <span className="subtitle">
          {round.planTitle} {formatFiscalYear(round.fiscalYear, era)} {PHASE_LABELS[round.phase]}
        </span>
      </h1>
      <p>
        {sheet.open ? '回答受付中' : '締切'}{' '}
        <DeadlineBadge deadline={round.deadline} daysLeft={daysUntil(round.deadline)} />
      </p>
      <p className="summary-line">{sheetTally(sheet.items).summary}</p>
      {round.instructions && (
        <div className="instructions">
          <h2>記入要領</h2>
          <p>{round.instructions}</p>
        </div>
      )}
      <EvaluationLegend sheet={sheet} />
    </>
  );
}

/** 評価の基準: each scale the sheet shows, with the slots that use it, how it is decided and its codes. */
function EvaluationLegend({ sheet }: { sheet: Sheet }) {
  const scales = legendScales(sheet.evaluation);
  if (scales.length === 0) return null;
  return (
    <div className="legend slot-legend" role="group" aria-labelledby="sheet-legend-title">
      <h2 id="sheet-legend-title">評価の基準</h2>
      {scales.map(({ scale, slots }) => (
        <div key={scale.key}>
          <p className="legend-scale">
            <strong>{slots.join('・')}</strong>（{RULE_KIND_LABELS[scale.rule.kind]}）
          </p>
          <dl>
            {scale.grades.map((g) => (
              <div key={g.code}>
                <dt>{g.code}</dt>
                <dd>{g.label || '—'}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </div>
  );
}

type Decision = 'submit' | 'approve' | 'return';

/** A decision on the whole sheet, with what it said when done. */
function useSheetAction(onDone: () => Promise<void>) {
  const [message, setMessage] = useState('');
  const action = useMutation({ mutationFn: (fn: () => Promise<unknown>) => fn(), onSuccess: onDone });
  const run = (fn: () => Promise<unknown>, done: string) => action.mutate(fn, { onSuccess: () => setMessage(done) });
  return { message, action, run };
}

/** The department's submit, or the coordinator's approval or return of every submitted answer. */
function SheetDecisions({
  address,
  sheet,
  coordinating,
  dirty,
  onDone,
}: {
  address: SheetAddress;
  sheet: Sheet;
  coordinating: boolean;
  /** how many records hold unsaved input */
  dirty: number;
  onDone(): Promise<void>;
}) {
  const { message, action, run } = useSheetAction(onDone);
  const [asking, setAsking] = useState<null | Decision>(null);
  const { submittable, submitted } = sheetTally(sheet.items);
  const submitErrors =
    action.error instanceof ApiError && action.error.code === 'VALIDATION' ? action.error.details : [];
  return (
    <>
      <p role="status" aria-live="polite" className="status-message">
        {message}
      </p>
      <ErrorAlert error={action.error} />
      {submitErrors.length > 0 && (
        <ul className="error-list">
          {submitErrors.map((d, i) => (
            <li key={i}>
              {d.label}: {d.message}
            </li>
          ))}
        </ul>
      )}
      <div className="button-row">
        {sheet.canEdit && !coordinating && submittable > 0 && (
          <button
            type="button"
            className="button primary"
            disabled={dirty > 0 || action.isPending}
            onClick={() => setAsking('submit')}
          >
            この課の回答を提出する（{submittable}件）
          </button>
        )}
        {dirty > 0 && <span className="muted">保存が終わると提出できます</span>}
        {coordinating && submitted > 0 && (
          <>
            <button type="button" className="button primary" onClick={() => setAsking('approve')}>
              提出済みの{submitted}件をすべて確定する
            </button>
            <button type="button" className="button secondary" onClick={() => setAsking('return')}>
              この課の提出済みをすべて差戻す
            </button>
          </>
        )}
      </div>
      <UnsavedGuard when={dirty > 0} what={`保存されていない回答（${dirty}件）`} />
      <DecisionDialogs
        address={address}
        sheet={sheet}
        asking={asking}
        busy={action.isPending}
        onClose={() => setAsking(null)}
        run={run}
      />
    </>
  );
}

/** The three questions before a decision; the return asks for its reason. */
function DecisionDialogs({
  address: { mid, rid, did },
  sheet,
  asking,
  busy,
  onClose,
  run,
}: {
  address: SheetAddress;
  sheet: Sheet;
  asking: Decision | null;
  busy: boolean;
  onClose(): void;
  run(fn: () => Promise<unknown>, done: string): void;
}) {
  const [returnMessage, setReturnMessage] = useState('');
  const { submittable, submitted } = sheetTally(sheet.items);
  const url = `/api/m/${mid}/rounds/${rid}/departments/${did}`;
  return (
    <>
      <ConfirmDialog
        open={asking === 'submit'}
        title={`${submittable}件の回答を提出します`}
        confirmLabel="提出する"
        busy={busy}
        onCancel={onClose}
        onConfirm={() => {
          onClose();
          run(() => api.post(`${url}/submit`), '提出しました');
        }}
      >
        <p>提出後は、計画所管課から差戻しがあるまで編集できません。</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === 'approve'}
        title={`${sheet.department.name}の提出済み${submitted}件を確定します`}
        confirmLabel="確定する"
        busy={busy}
        onCancel={onClose}
        onConfirm={() => {
          onClose();
          run(() => api.post(`${url}/approve`), `提出済みの${submitted}件を確定しました`);
        }}
      >
        <p>確定した回答は報告・公表の対象になります。修正が必要になったときは差戻してください。</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === 'return'}
        title={`${sheet.department.name}の提出済み${submitted}件を差戻します`}
        confirmLabel="差戻す"
        busy={busy || !returnMessage.trim()}
        onCancel={onClose}
        onConfirm={() => {
          onClose();
          run(() => api.post(`${url}/return`, { message: returnMessage.trim() }), '差戻しました');
          setReturnMessage('');
        }}
      >
        <div className="field">
          <label htmlFor="sheet-return-message">
            差戻しの理由<span className="required">必須</span>
          </label>
          <textarea
            id="sheet-return-message"
            rows={3}
            value={returnMessage}
            onChange={(e) => setReturnMessage(e.target.value)}
          />
          <p className="hint">この課の提出済みの回答すべてにコメントとして残ります。</p>
        </div>
      </ConfirmDialog>
    </>
  );
}
