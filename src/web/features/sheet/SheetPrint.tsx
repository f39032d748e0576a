import type { ReactNode } from 'react';
import type { ActualDto, Sheet, SheetItem } from '../../lib/types.js';
import { useEra } from '../../lib/hooks.js';
import { PHASE_LABELS, RECORD_STATUS_LABELS } from '../../../domain/cycle-terms.js';
import { formatDate, formatFiscalYear } from '../../lib/dates.js';
import { ACTUAL_STATUS_LABELS } from '../../../domain/values.js';
import { answerViews, type SlotView } from './sheet-evaluation.js';
import { useOutcomes } from './OutcomeActuals.js';
import { sheetTally } from './sheet-tally.js';
import './sheet-print.css';

/**
 * The department sheet on paper: what the department answered, as saved — each project's texts,
 * indicator actuals and evaluations written out as text, the 成果指標 it reports — with no form
 * field, button or menu. Hidden on screen; printed in place of the page (sheet-print.css).
 */
export function SheetPrint({ mid, sheet }: { mid: number; sheet: Sheet }) {
  const era = useEra();
  const { round } = sheet;
  return (
    <div className="sheet-print">
      <h1>
        {sheet.department.name}の回答
        <span className="sheet-print-subtitle">
          {round.planTitle} {formatFiscalYear(round.fiscalYear, era)} {PHASE_LABELS[round.phase]}
        </span>
      </h1>
      <p className="sheet-print-meta">
        締切 {formatDate(round.deadline)}・{sheetTally(sheet.items).summary}・保存されている回答を印刷しています
      </p>
      {sheet.items.map((item) => (
        <PrintedAnswer key={item.record.id} sheet={sheet} item={item} />
      ))}
      <PrintedOutcomes mid={mid} sheet={sheet} />
    </div>
  );
}

/** An entry's text, or 「（未入力）」. */
const orEmpty = (text: string | null | undefined) => (text?.trim() ? text : '（未入力）');

/** An actual as written, or its status (把握できない…), with its reason and parts. */
function actualText(actual: ActualDto | undefined, unit: string): string {
  if (!actual) return '（未入力）';
  const main = actual.text
    ? `${actual.text}${/\d$/.test(actual.text) ? unit : ''}`
    : actual.status
      ? ACTUAL_STATUS_LABELS[actual.status]
      : '（未入力）';
  const parts = actual.parts.filter((p) => p.text).map((p) => `${p.label} ${p.text}`);
  return [main, parts.length ? `（${parts.join('・')}）` : '', actual.reason ? `\n理由: ${actual.reason}` : '']
    .join('')
    .trim();
}

/** A slot's value as printed: the code (or 「―」), with the reason given for it. */
function slotText(v: SlotView): string {
  if (v.resolved.source === 'excluded') return '評価対象外';
  const code = v.resolved.code ?? '―';
  return v.resolved.source === 'override' || v.resolved.source === 'entered'
    ? `${code}${v.resolved.reason ? `（理由: ${v.resolved.reason}）` : ''}`
    : code;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </tr>
  );
}

function PrintedAnswer({ sheet, item }: { sheet: Sheet; item: SheetItem }) {
  const r = item.record;
  const sameAs =
    r.sameAsDepartmentId !== null ? item.others.find((o) => o.departmentId === r.sameAsDepartmentId) : null;
  const texts = sameAs ? sameAs.record : r;
  const views = answerViews(sheet.evaluation, item, { actuals: r.actuals, entries: r.entries }, sheet.round.phase);
  return (
    <section className="sheet-print-item">
      <h2>
        事業{item.project.number} {item.project.name}
        <span className="sheet-print-status">［{RECORD_STATUS_LABELS[r.status]}］</span>
      </h2>
      <p className="sheet-print-path">{item.project.path}</p>
      <table className="sheet-print-table">
        <tbody>
          {sameAs && <Row label="回答">{sameAs.name}に同じ</Row>}
          <Row label="事業予定">{orEmpty(texts.planText)}</Row>
          <Row label="実績・取組状況">{orEmpty(texts.resultText)}</Row>
          {item.indicators.map((ind) => {
            const target = ind.targets.find((t) => t.fiscalYear === sheet.round.fiscalYear)?.text;
            const grades = (views.lines.get(ind.id) ?? []).map((v) => `${v.slot.name} ${slotText(v)}`);
            return (
              <Row key={ind.id} label={`活動指標：${ind.name}`}>
                目標 {target || ind.finalTarget.text || '―'}／実績{' '}
                {actualText(
                  r.actuals.find((a) => a.indicatorId === ind.id),
                  ind.unit,
                )}
                {grades.length > 0 && `\n${grades.join('／')}`}
              </Row>
            );
          })}
          {views.record.map((v) => (
            <Row key={v.slot.key} label={v.slot.name}>
              {slotText(v)}
            </Row>
          ))}
          {!sameAs && <Row label="備考">{orEmpty(r.remarks)}</Row>}
          {!sameAs && <Row label="翌年度予定">{orEmpty(r.nextYearPlan)}</Row>}
        </tbody>
      </table>
    </section>
  );
}

/** The 成果指標 the department reports, with the year's actual as saved. */
function PrintedOutcomes({ mid, sheet }: { mid: number; sheet: Sheet }) {
  const q = useOutcomes(mid, sheet.round.planId, sheet.round.fiscalYear, sheet.department.id);
  const lines = q.data?.lines ?? [];
  if (lines.length === 0) return null;
  return (
    <section className="sheet-print-item">
      <h2>この課が報告する成果指標</h2>
      <table className="sheet-print-table">
        <tbody>
          {lines.map((l) => (
            <Row key={l.indicator.id} label={l.indicator.name}>
              {l.node ? `${l.node.number} ${l.node.title}` : '計画全体'}：目標 {l.target || '―'}／実績{' '}
              {l.actual.text ? `${l.actual.text}${l.indicator.unit}` : '（未入力）'}
            </Row>
          ))}
        </tbody>
      </table>
    </section>
  );
}
