import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { Sheet } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { DeadlineBadge } from '../../components/DeadlineBadge.js';
import { PHASE_LABELS, RECORD_STATUS_LABELS } from '../../../domain/cycle-terms.js';
import { fiscalYearLabel } from '../../../domain/fiscal-year.js';
import { daysUntil } from '../../../domain/dates.js';
import { RecordEditor } from './RecordEditor.js';
import { WorkbookRoundTrip } from './WorkbookRoundTrip.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { UnsavedGuard } from '../../components/UnsavedGuard.js';
import { isCoordinating } from '../../../domain/policy.js';

/** 課別シート: one department's answers for a round, saved as they are typed. */
export function SheetPage() {
  const mid = useMid();
  const era = useEra();
  const params = useParams();
  const rid = Number(params.rid);
  const did = Number(params.did);
  const { session } = useSession();
  const coordinating = isCoordinating(session.user!);
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
  usePageTitle(q.data ? `${q.data.department.name}の回答シート` : '回答シート');
  const [message, setMessage] = useState('');
  const [dirty, setDirty] = useState<Set<number>>(new Set());
  const action = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
  const run = (fn: () => Promise<unknown>, done: string) => action.mutate(fn, { onSuccess: () => setMessage(done) });

  const [asking, setAsking] = useState<null | 'submit' | 'approve' | 'return'>(null);
  const [returnMessage, setReturnMessage] = useState('');
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

  if (q.isPending) return <p role="status">読み込み中…</p>;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const sheet = q.data;
  const { round } = sheet;
  const counts = sheet.items.reduce<Record<string, number>>(
    (acc, i) => ({ ...acc, [i.record.status]: (acc[i.record.status] ?? 0) + 1 }),
    {},
  );
  const submittable = sheet.items.filter((i) => ['not_started', 'draft', 'returned'].includes(i.record.status)).length;
  const submittedCount = counts.submitted ?? 0;
  const submitErrors =
    action.error instanceof ApiError && action.error.code === 'VALIDATION' ? action.error.details : [];

  return (
    <section className="sheet">
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
          {round.planTitle} {fiscalYearLabel(round.fiscalYear, era)} {PHASE_LABELS[round.phase]}
        </span>
      </h1>
      <p>
        {sheet.open ? '回答受付中' : '締切'}{' '}
        <DeadlineBadge deadline={round.deadline} daysLeft={daysUntil(round.deadline)} />
      </p>
      <p className="summary-line">
        {Object.entries(counts)
          .map(([s, n]) => `${RECORD_STATUS_LABELS[s as keyof typeof RECORD_STATUS_LABELS]} ${n}件`)
          .join('・')}
      </p>
      {round.instructions && (
        <div className="instructions">
          <h2>記入要領</h2>
          <p>{round.instructions}</p>
        </div>
      )}
      {sheet.gradeOptions.length > 0 && (
        <div className="legend" aria-label="評価の基準">
          <h2>評価の基準</h2>
          <dl>
            {sheet.gradeOptions.map((g) => (
              <div key={g.code}>
                <dt>{g.code}</dt>
                <dd>{g.label}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
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
            disabled={dirty.size > 0 || action.isPending}
            onClick={() => setAsking('submit')}
          >
            この課の回答を提出する（{submittable}件）
          </button>
        )}
        {dirty.size > 0 && <span className="muted">保存が終わると提出できます</span>}
        {coordinating && submittedCount > 0 && (
          <>
            <button type="button" className="button primary" onClick={() => setAsking('approve')}>
              提出済みの{submittedCount}件をすべて確定する
            </button>
            <button type="button" className="button secondary" onClick={() => setAsking('return')}>
              この課の提出済みをすべて差戻す
            </button>
          </>
        )}
      </div>
      <UnsavedGuard when={dirty.size > 0} what={`保存されていない回答（${dirty.size}件）`} />
      <ConfirmDialog
        open={asking === 'submit'}
        title={`${submittable}件の回答を提出します`}
        confirmLabel="提出する"
        busy={action.isPending}
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          run(() => api.post(`/api/m/${mid}/rounds/${rid}/departments/${did}/submit`), '提出しました');
        }}
      >
        <p>提出後は、計画所管課から差戻しがあるまで編集できません。</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === 'approve'}
        title={`${sheet.department.name}の提出済み${submittedCount}件を確定します`}
        confirmLabel="確定する"
        busy={action.isPending}
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          run(
            () => api.post(`/api/m/${mid}/rounds/${rid}/departments/${did}/approve`),
            `提出済みの${submittedCount}件を確定しました`,
          );
        }}
      >
        <p>確定した回答は報告・公表の対象になります。修正が必要になったときは差戻してください。</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === 'return'}
        title={`${sheet.department.name}の提出済み${submittedCount}件を差戻します`}
        confirmLabel="差戻す"
        busy={action.isPending || !returnMessage.trim()}
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          run(
            () => api.post(`/api/m/${mid}/rounds/${rid}/departments/${did}/return`, { message: returnMessage.trim() }),
            '差戻しました',
          );
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
      {sheet.canEdit && sheet.items.length > 0 && (
        <WorkbookRoundTrip
          url={`/api/m/${mid}/rounds/${rid}/departments/${did}/workbook`}
          onApplied={() => client.invalidateQueries({ queryKey: key })}
        />
      )}
      {sheet.items.length === 0 && <p>この照会でこの課が回答する事業はありません。</p>}
      {sheet.items.map((item) => (
        <RecordEditor
          key={item.record.id}
          mid={mid}
          sheet={sheet}
          item={item}
          coordinating={coordinating}
          onDirty={onDirty}
          onChanged={() => client.invalidateQueries({ queryKey: key })}
        />
      ))}
    </section>
  );
}
