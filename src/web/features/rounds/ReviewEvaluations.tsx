import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../../lib/session.js';
import { mayEnterSlot } from '../../../domain/policy.js';
import { SlotEntryForm } from './SlotEntryForm.js';
import { api } from '../../lib/api.js';
import type { ReviewRow, Sheet, SheetItem, SlotValueDto } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import {
  codeSpeech,
  EVALUATION_SOURCE_LABELS,
  slotScale,
  type EvaluationConfig,
  type Slot,
} from '../../../domain/evaluation/index.js';

/**
 * The answer as its department's sheet holds it: the plan's evaluations of the year and every slot's
 * value of this answer and its lines. The review table gives only the codes; the sheet names them.
 */
export function useAnswerOnSheet(mid: number, rid: number, row: Pick<ReviewRow, 'departmentId' | 'recordId'>) {
  const q = useQuery({
    queryKey: ['sheet', mid, rid, row.departmentId],
    queryFn: () => api.get<Sheet>(`/api/m/${mid}/rounds/${rid}/departments/${row.departmentId}/sheet`),
  });
  const item = q.data?.items.find((i) => i.record.id === row.recordId);
  return { sheet: q.data, item, error: q.error, pending: q.isPending };
}

/** What the self-evaluation checks found: warnings for the reviewer, never a refusal. */
export function ReviewChecks({ headingId, checks }: { headingId: string; checks: ReviewRow['checks'] }) {
  if (checks.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>確認事項（{checks.length}件）</h3>
      <ul className="review-checks">
        {checks.map((c, i) => (
          <li key={i}>{c.message}</li>
        ))}
      </ul>
    </section>
  );
}

interface EvaluationRow {
  key: string;
  subject: string;
  slot: Slot;
  value: SlotValueDto;
}

/** Every slot's value of the answer and of its lines, in the order of the plan's slots. */
function evaluationRows(config: EvaluationConfig, item: SheetItem): EvaluationRow[] {
  const rows: EvaluationRow[] = [];
  for (const slot of config.slots) {
    const own = item.evaluations.record[slot.key];
    if (own) rows.push({ key: `${slot.key}-record`, subject: 'この回答', slot, value: own });
    for (const line of item.evaluations.lines) {
      const value = line.values[slot.key];
      const name = item.indicators.find((i) => i.id === line.indicatorId)?.name ?? `指標${line.indicatorId}`;
      if (value) rows.push({ key: `${slot.key}-${line.indicatorId}`, subject: `「${name}」`, slot, value });
    }
  }
  return rows;
}

function ValueCell({ config, slot, value }: { config: EvaluationConfig; slot: Slot; value: SlotValueDto }) {
  const scale = slotScale(config, slot);
  if (value.source === 'excluded') return <>評価しない</>;
  if (value.code === null) return <span className="muted">未評価</span>;
  return (
    <>
      <strong aria-hidden="true">{value.code}</strong>
      <span className="visually-hidden">{codeSpeech(scale, value.code)}</span>
    </>
  );
}

function BasisCell({ value }: { value: SlotValueDto }) {
  const parts = [
    value.source === 'override' && value.computedCode !== null
      ? `${EVALUATION_SOURCE_LABELS.override}（計算では ${value.computedCode}：${value.basis}）`
      : value.source === 'computed' || value.source === 'excluded' || value.source === 'none'
        ? value.basis && `${EVALUATION_SOURCE_LABELS[value.source]}（${value.basis}）`
        : EVALUATION_SOURCE_LABELS[value.source],
    value.reason && value.source !== 'computed' && `理由: ${value.reason}`,
    value.comment && `コメント: ${value.comment}`,
  ].filter(Boolean);
  return parts.map((p, i) => (
    <span key={i} className="review-parts">
      {p}
    </span>
  ));
}

/** The answer's slots the reviewer enters (the coordinating section's evaluation of each answer). */
function ReviewerEntries({ mid, sheet, item }: { mid: number; sheet: Sheet; item: SheetItem }) {
  const { session } = useSession();
  const qc = useQueryClient();
  const slots = sheet.evaluation.slots.filter(
    (s) => s.subject === 'record' && session.user && mayEnterSlot(session.user, s.enteredBy, mid),
  );
  const target = {
    mid,
    planId: sheet.round.planId,
    fiscalYear: sheet.round.fiscalYear,
    subjectKind: 'record' as const,
    subjectId: item.project.id,
    departmentId: item.record.departmentId,
  };
  return slots.map((slot) => {
    const value = item.evaluations.record[slot.key];
    if (!value) return null;
    return (
      <SlotEntryForm
        key={slot.key}
        target={target}
        slot={slot}
        scale={slotScale(sheet.evaluation, slot)}
        value={value}
        onChanged={() => {
          void qc.invalidateQueries({ queryKey: ['sheet', mid, sheet.round.id, item.record.departmentId] });
          void qc.invalidateQueries({ queryKey: ['review'] });
        }}
      />
    );
  });
}

/** The answer's evaluations by slot name: its own, then each line's, with how each came about. */
export function ReviewEvaluations({ mid, rid, row }: { mid: number; rid: number; row: ReviewRow }) {
  const { sheet, item, error, pending } = useAnswerOnSheet(mid, rid, row);
  if (pending) return <p role="status">評価を読み込み中…</p>;
  if (!sheet || !item) return <ErrorAlert error={error ?? '回答シートにこの回答が見つかりません'} />;
  const rows = evaluationRows(sheet.evaluation, item);
  if (rows.length === 0) return <p className="muted">この回答の評価はありません。</p>;
  return (
    <>
      <EvaluationTable config={sheet.evaluation} rows={rows} />
      <ReviewerEntries mid={mid} sheet={sheet} item={item} />
    </>
  );
}

function EvaluationTable({ config, rows }: { config: EvaluationConfig; rows: EvaluationRow[] }) {
  return (
    <table className="data-table compact review-evaluations">
      <caption>評価</caption>
      <thead>
        <tr>
          <th scope="col">評価（対象）</th>
          <th scope="col" className="c-code">
            記号
          </th>
          <th scope="col">根拠・理由</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">
              {r.slot.name}
              <span className="review-parts">（{r.subject}）</span>
            </th>
            <td className="c-code">
              <ValueCell config={config} slot={r.slot} value={r.value} />
            </td>
            <td>
              <BasisCell value={r.value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
