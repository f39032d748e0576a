import { useId } from 'react';
import type { ReportSummary } from '../../../domain/report/summary.js';
import './slot-totals.css';

type SlotSummary = ReportSummary['slots'][number];

/**
 * Every evaluation the plan tallies, each in its own scale: the department's, the coordinating
 * section's, the council's side by side, with the points per grade added up where the scale gives points.
 */
export function SlotTotals({ s }: { s: ReportSummary }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="summary-section slot-totals">
      <h2 id={id}>評価の項目ごとの集計</h2>
      {s.slots.map((slot) => (
        <SlotTable key={slot.slotKey} slot={slot} levelName={s.levelName} />
      ))}
    </section>
  );
}

function SlotTable({ slot, levelName }: { slot: SlotSummary; levelName: string }) {
  const title = `${slot.name}（${levelName || '体系'}ごと）`;
  const rows = [...slot.byNode, { id: 0, label: '合計', tally: slot.total }];
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={`${title}の表`}>
      <table className="data-table">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{levelName || '体系'}</th>
            {slot.codes.map((c) => (
              <th key={c.code} scope="col" title={c.label}>
                <span aria-hidden="true">{c.code}</span>
                <span className="visually-hidden">
                  {c.code}
                  {c.label ? `（${c.label}）` : ''}
                </span>
              </th>
            ))}
            <th scope="col">評価の対象外</th>
            <th scope="col">未評価</th>
            {slot.hasPoints && (
              <>
                <th scope="col">点数の合計</th>
                <th scope="col">平均点</th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.label}</th>
              {slot.codes.map((c) => (
                <td key={c.code} className="num">
                  {r.tally.counts.find((x) => x.code === c.code)?.count ?? 0}
                </td>
              ))}
              <td className="num">{r.tally.notGraded}</td>
              <td className="num">{r.tally.ungraded}</td>
              {slot.hasPoints && (
                <>
                  <td className="num">{r.tally.points.total}</td>
                  <td className="num">{r.tally.points.average === null ? '—' : r.tally.points.average.toFixed(2)}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
