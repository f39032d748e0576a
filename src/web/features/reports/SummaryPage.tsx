import { useEffect, useId, useState, type FormEvent } from 'react';
import { useAddressState } from '../../lib/address-state.js';
import { SlotTotals } from './SlotTotals.js';
import { SummaryChecks } from './SummaryChecks.js';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import { fiscalYearOf, type Era2019 } from '../../../domain/fiscal-year.js';
import { formatEraYear } from '../../lib/dates.js';
import { countWithChange, type ReportSummary, type SummaryLine } from '../../../domain/report/summary.js';
import { countOf, type CodeCount } from '../../../domain/report/evaluation.js';
import { RECORD_STATUSES, RECORD_STATUS_LABELS } from '../../../domain/cycle-terms.js';
import { PlanAndYear, usePlans } from './ReportsPage.js';
import type { IndicatorSeries, IndicatorSeriesResponse, PlanDetail, ReportSummaryResponse } from '../../lib/types.js';

const PALETTE = ['#1b5e20', '#1565c0', '#f9a825', '#c62828', '#6a1b9a', '#00838f', '#4e342e', '#37474f'];

interface Shown {
  planId: number;
  fiscalYear: number;
  depth: number;
}

/** The summary shown, from the address (`plan`, `year`, `depth`): nothing until a plan and a year are named. */
function readShown(params: URLSearchParams): { planId: number | null; fiscalYear: number | null; depth: number } {
  const whole = (key: string) => {
    const n = Number(params.get(key));
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  return { planId: whole('plan'), fiscalYear: whole('year'), depth: whole('depth') ?? 0 };
}

function writeShown(v: { planId: number | null; fiscalYear: number | null; depth: number }, params: URLSearchParams) {
  const next = new URLSearchParams(params);
  for (const [key, value] of [
    ['plan', v.planId],
    ['year', v.fiscalYear],
    ['depth', v.depth || null],
  ] as const)
    if (value) next.set(key, String(value));
    else next.delete(key);
  return next;
}

/**
 * Opened without a choice in the address, the page shows the first plan's year the form proposes at once,
 * instead of an empty page waiting for 集計する.
 */
function useShownAtOnce(
  shown: Shown | null,
  first: number | null,
  fiscalYear: number | null,
  setShown: (next: Shown) => void,
) {
  useEffect(() => {
    if (shown === null && first !== null && fiscalYear) setShown({ planId: first, fiscalYear, depth: 0 });
    // only when the plans arrive on an address without a choice
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [first, shown === null]);
}

export function SummaryPage() {
  usePageTitle('集計');
  const mid = useMid();
  const plans = usePlans(mid);
  // What is shown is kept in the address: a reload, a shared link or Back after following one shows it again.
  const [address, setAddress] = useAddressState(readShown, writeShown);
  const shown: Shown | null =
    address.planId && address.fiscalYear
      ? { planId: address.planId, fiscalYear: address.fiscalYear, depth: address.depth }
      : null;
  const [planId, setPlanId] = useState<number | null>(shown?.planId ?? null);
  const [fiscalYear, setFiscalYear] = useState<number | null>(shown?.fiscalYear ?? fiscalYearOf(new Date()) - 1);
  const [depth, setDepth] = useState(shown?.depth ?? 0);
  const setShown = (next: Shown) => setAddress(next);
  const plan = planId ?? plans.data?.[0]?.id ?? null;
  // The levels of the plan chosen, by their own names (基本目標ごと, 施策ごと).
  const levels = useQuery({
    queryKey: ['plan', mid, plan],
    enabled: plan !== null,
    queryFn: () => api.get<PlanDetail>(`/api/m/${mid}/plans/${plan}`),
    select: (d) => d.levels,
  });
  const summary = useQuery({
    queryKey: ['report-summary', mid, shown],
    queryFn: () =>
      api
        .get<ReportSummaryResponse>(
          `/api/m/${mid}/report-summary?planId=${shown!.planId}&fiscalYear=${shown!.fiscalYear}&depth=${shown!.depth}`,
        )
        .then((r) => r.summary),
    enabled: shown !== null,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (plan && fiscalYear) setShown({ planId: plan, fiscalYear, depth });
  };
  useShownAtOnce(shown, plans.data?.[0]?.id ?? null, fiscalYear, setShown);
  const s = summary.data;
  return (
    <section>
      <h1>集計</h1>
      <form className="toolbar-form" onSubmit={submit} aria-label="集計の条件">
        <PlanAndYear
          plans={plans.data ?? []}
          plan={plan}
          onPlan={setPlanId}
          fiscalYear={fiscalYear}
          onFiscalYear={setFiscalYear}
        />
        <Field label="集計する階層">
          {(p) => (
            <select {...p} value={depth} onChange={(e) => setDepth(Number(e.target.value))}>
              {(levels.data ?? []).map((l) => (
                <option key={l.depth} value={l.depth}>
                  {l.name}ごと
                </option>
              ))}
            </select>
          )}
        </Field>
        {/* Until the plans are read there is nothing to sum up: a click then would do nothing, silently. */}
        <button type="submit" className="button" disabled={plan === null}>
          集計する
        </button>
      </form>
      <ErrorAlert error={plans.error ?? summary.error} />
      {s && (
        <>
          <GradeSection title={`${s.levelName || '体系'}ごとの評価`} s={s} lines={[...s.byNode, s.total]} />
          {s.history.length > 1 && <GradeHistory s={s} />}
          <GradeSection title="課ごとの評価" s={s} lines={[...s.byDepartment, s.total]} />
          <CategorySection s={s} />
          {(s.slots.length > 1 || s.slots.some((x) => x.hasPoints)) && <SlotTotals s={s} />}
          {s.fieldTotals.length > 0 && <FieldTotals s={s} />}
          <Completeness s={s} />
          <SummaryChecks mid={mid} planId={shown!.planId} s={s} />
          <IndicatorChart mid={mid} s={s} />
        </>
      )}
    </section>
  );
}

/** How each heading's grades moved over the plan's years with answers: one column per year. */
function GradeHistory({ s }: { s: ReportSummary }) {
  const id = useId();
  const title = `${s.levelName || '体系'}ごとの評価の推移`;
  const rows = new Map<number, string>();
  for (const y of [...s.history].reverse()) for (const n of y.byNode) if (!rows.has(n.id)) rows.set(n.id, n.label);
  const cell = (c: { counts: CodeCount[]; graded: number } | undefined) =>
    c ? `${s.codes.map((code) => `${code}${countOf(c.counts, code)}`).join(' ')}（計${c.graded}）` : '—';
  return (
    <section aria-labelledby={id} className="summary-section">
      <h2 id={id}>{title}</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={`${title}の表`}>
        <table className="data-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">区分</th>
              {s.history.map((y) => (
                <th key={y.fiscalYear} scope="col">
                  {y.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...rows].map(([nodeId, label]) => (
              <tr key={nodeId}>
                <th scope="row">{label}</th>
                {s.history.map((y) => (
                  <td key={y.fiscalYear}>{cell(y.byNode.find((n) => n.id === nodeId))}</td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row">合計</th>
              {s.history.map((y) => (
                <td key={y.fiscalYear}>{cell(y.total)}</td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function GradeSection({ title, s, lines }: { title: string; s: ReportSummary; lines: SummaryLine[] }) {
  const id = useId();
  const share = (n: number, t: SummaryLine) =>
    t.tally.graded ? `${Math.round((n / t.tally.graded) * 1000) / 10}%` : '—';
  return (
    <section aria-labelledby={id} className="summary-section">
      <h2 id={id}>{title}</h2>
      <p className="hint">
        {s.unit === 'indicator' ? '活動指標ごとの評価' : '事業と課ごとの自己評価'}を数えています。
        {s.hasPrevious
          ? `括弧内は${s.previousYearLabel}との差です。`
          : `${s.previousYearLabel}の回答がないため、前年度との比較はありません。`}
        評価対象外（— など）は数に含めません。
      </p>
      <StackedBars title={title} s={s} lines={lines.filter((l) => l.label !== '合計')} />
      <div className="table-scroll" tabIndex={0} role="region" aria-label={`${title}の表`}>
        <table className="data-table">
          <caption>
            {title}（{s.fiscalYearLabel}）
          </caption>
          <thead>
            <tr>
              <th scope="col">区分</th>
              {s.codes.map((c) => (
                <th key={c} scope="col">
                  {c}（割合）
                </th>
              ))}
              <th scope="col">評価あり計</th>
              <th scope="col">評価対象外</th>
              {lines.some((l) => l.mark) && <th scope="col">総合</th>}
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={`${l.label}-${l.id}`}>
                <th scope="row">{l.label}</th>
                {s.codes.map((c) => (
                  <td key={c}>
                    {s.hasPrevious
                      ? countWithChange(countOf(l.tally.counts, c), countOf(l.change, c))
                      : countOf(l.tally.counts, c)}
                    <span className="muted">（{share(countOf(l.tally.counts, c), l)}）</span>
                  </td>
                ))}
                <td>{l.tally.graded}</td>
                <td>{l.tally.notGraded}</td>
                {lines.some((x) => x.mark) && <td>{l.mark ?? '—'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Horizontal stacked bars drawn as SVG on the page itself (no outside hosts), with a text alternative. */
function StackedBars({ title, s, lines }: { title: string; s: ReportSummary; lines: SummaryLine[] }) {
  const id = useId();
  if (lines.length === 0) return null;
  const max = Math.max(1, ...lines.map((l) => l.tally.graded));
  const rowH = 26;
  const labelW = 260;
  const barW = 480;
  const height = lines.length * rowH + 40;
  const words = lines
    .map((l) => `${l.label}: ${s.codes.map((c) => `${c} ${countOf(l.tally.counts, c)}`).join('、')}`)
    .join('。');
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        viewBox={`0 0 ${labelW + barW + 60} ${height}`}
        width="100%"
        className="chart-svg"
      >
        <title id={`${id}-t`}>{title}の積み上げ棒グラフ</title>
        <desc id={`${id}-d`}>{words}</desc>
        {lines.map((l, i) => {
          let x = labelW;
          return (
            <g key={`${l.label}-${l.id}`} transform={`translate(0 ${i * rowH})`}>
              <text x={labelW - 8} y={17} textAnchor="end" className="chart-label">
                {l.label.length > 18 ? `${l.label.slice(0, 18)}…` : l.label}
              </text>
              {s.codes.map((c, ci) => {
                const w = (countOf(l.tally.counts, c) / max) * barW;
                const rect =
                  w > 0 ? (
                    <rect key={c} x={x} y={4} width={w} height={rowH - 8} fill={PALETTE[ci % PALETTE.length]} />
                  ) : null;
                x += w;
                return rect;
              })}
              <text x={x + 6} y={17} className="chart-label">
                {l.tally.graded}
              </text>
            </g>
          );
        })}
        <g transform={`translate(${labelW} ${lines.length * rowH + 12})`}>
          {s.codes.map((c, ci) => (
            <g key={c} transform={`translate(${ci * 70} 0)`}>
              <rect width={14} height={14} fill={PALETTE[ci % PALETTE.length]} />
              <text x={18} y={12} className="chart-label">
                {c}
              </text>
            </g>
          ))}
        </g>
      </svg>
      <figcaption>グラフの数値は下の表のとおりです。</figcaption>
    </figure>
  );
}

function CategorySection({ s }: { s: ReportSummary }) {
  const keys = Object.keys(s.categories[0]?.counts ?? {});
  return (
    <section aria-labelledby="category-heading" className="summary-section">
      <h2 id="category-heading">区分ごとの事業数（最上位の階層ごと）</h2>
      <table className="data-table">
        <caption className="visually-hidden">区分ごとの事業数</caption>
        <thead>
          <tr>
            <th scope="col">体系</th>
            {keys.map((k) => (
              <th key={k} scope="col">
                {k}
              </th>
            ))}
            <th scope="col">表記</th>
          </tr>
        </thead>
        <tbody>
          {s.categories.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.label}</th>
              {keys.map((k) => (
                <td key={k}>{c.counts[k]}</td>
              ))}
              <td>（{keys.map((k) => `${k}:${c.counts[k]}`).join('/')}）</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The plan's number and amount fields added up per top heading (予算額 of the projects under each 基本目標). */
function FieldTotals({ s }: { s: ReportSummary }) {
  const id = useId();
  const show = (n: number | null, unit: string) => (n === null ? '—' : `${n.toLocaleString('ja-JP')}${unit}`);
  const goals = s.fieldTotals[0]!.byGoal;
  return (
    <section aria-labelledby={id} className="summary-section">
      <h2 id={id}>追加の項目の合計（最上位の階層ごと）</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="追加の項目の合計の表">
        <table className="data-table">
          <caption className="visually-hidden">追加の項目の合計</caption>
          <thead>
            <tr>
              <th scope="col">体系</th>
              {s.fieldTotals.map((f) => (
                <th key={f.key} scope="col">
                  {f.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {goals.map((g, i) => (
              <tr key={g.id}>
                <th scope="row">{g.label}</th>
                {s.fieldTotals.map((f) => (
                  <td key={f.key}>{show(f.byGoal[i]!.total, f.unit)}</td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row">合計</th>
              {s.fieldTotals.map((f) => (
                <td key={f.key}>{show(f.total, f.unit)}</td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Completeness({ s }: { s: ReportSummary }) {
  const c = s.completeness;
  // Council members see approved answers only, and not how far the departments have got.
  if (!c) return null;
  return (
    <section aria-labelledby="completeness-heading" className="summary-section">
      <h2 id="completeness-heading">回答の状況</h2>
      <p>
        {s.fiscalYearLabel}の回答 {c.total}件：
        {RECORD_STATUSES.map((st) => `${RECORD_STATUS_LABELS[st]} ${c.byStatus[st]}件`).join('、')}
      </p>
      <table className="data-table">
        <caption className="visually-hidden">課ごとの回答の状況</caption>
        <thead>
          <tr>
            <th scope="col">課</th>
            <th scope="col">回答</th>
            <th scope="col">提出済（確定を含む）</th>
            <th scope="col">確定</th>
          </tr>
        </thead>
        <tbody>
          {c.byDepartment.map((d) => (
            <tr key={d.id}>
              <th scope="row">{d.label}</th>
              <td>{d.total}</td>
              <td>
                {d.submitted}（{d.total ? Math.round((d.submitted / d.total) * 100) : 0}%）
              </td>
              <td>{d.approved}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface SeriesPoint {
  label: string;
  year: number;
  value: number | null;
  kind: string;
}

/** The chart's points: the baseline, each year's actual, the final target (those that have a value to place). */
function seriesPoints(d: IndicatorSeries, era: Era2019): SeriesPoint[] {
  return [
    ...(d.baseline.value !== null
      ? [
          {
            label: '現状値',
            year: d.baseline.year ?? d.points[0]?.fiscalYear ?? 0,
            value: d.baseline.value,
            kind: 'baseline',
          },
        ]
      : []),
    ...d.points.map((p) => ({
      label: formatEraYear(p.fiscalYear, era),
      year: p.fiscalYear,
      value: p.actual,
      kind: 'actual',
    })),
    ...(d.finalTarget.value !== null
      ? [{ label: '最終目標', year: d.finalTarget.year, value: d.finalTarget.value, kind: 'target' }]
      : []),
  ];
}

function SeriesChart({ d, points }: { d: IndicatorSeries; points: SeriesPoint[] }) {
  const known = points.filter((p) => p.value !== null);
  const max = Math.max(1, ...known.map((p) => p.value!), ...d.points.map((p) => p.target ?? 0));
  const W = 640;
  const H = 220;
  const x = (i: number) => 50 + (i * (W - 80)) / Math.max(1, points.length - 1);
  const y = (v: number) => H - 30 - (v / max) * (H - 60);
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-labelledby="series-title series-desc"
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        className="chart-svg"
      >
        <title id="series-title">{d.name}の推移</title>
        <desc id="series-desc">{points.map((p) => `${p.label} ${p.value ?? '未入力'}${d.unit}`).join('、')}</desc>
        <line x1={40} y1={H - 30} x2={W - 20} y2={H - 30} className="chart-axis" />
        <polyline
          fill="none"
          className="chart-line"
          points={points
            .map((p, i) => (p.value === null ? null : `${x(i)},${y(p.value)}`))
            .filter(Boolean)
            .join(' ')}
        />
        {points.map((p, i) => (
          <g key={i}>
            {p.value !== null && <circle cx={x(i)} cy={y(p.value)} r={4} className={`chart-point ${p.kind}`} />}
            {p.value !== null && (
              <text x={x(i)} y={y(p.value) - 8} textAnchor="middle" className="chart-label">
                {p.value}
              </text>
            )}
            <text x={x(i)} y={H - 12} textAnchor="middle" className="chart-label">
              {p.label}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>数値は下の表のとおりです。</figcaption>
    </figure>
  );
}

/** The chart's numbers as a table: baseline, each year's target and actual, final target. */
function SeriesTable({ d, era }: { d: IndicatorSeries; era: Era2019 }) {
  return (
    <table className="data-table">
      <caption>
        {d.name}（単位: {d.unit || 'なし'}）
      </caption>
      <thead>
        <tr>
          <th scope="col">時点</th>
          <th scope="col">目標</th>
          <th scope="col">実績</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">現状値{d.baseline.year ? `（${formatEraYear(d.baseline.year, era)}）` : ''}</th>
          <td>—</td>
          <td>{d.baseline.text || '—'}</td>
        </tr>
        {d.points.map((p) => (
          <tr key={p.fiscalYear}>
            <th scope="row">{formatEraYear(p.fiscalYear, era)}</th>
            <td>{p.target ?? '—'}</td>
            <td>{p.actualText || (p.actual ?? '未入力')}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">最終目標（{formatEraYear(d.finalTarget.year, era)}）</th>
          <td>{d.finalTarget.text || '—'}</td>
          <td>—</td>
        </tr>
      </tbody>
    </table>
  );
}

/** One indicator from its baseline through each year's actual to the final target. */
function IndicatorChart({ mid, s }: { mid: number; s: ReportSummary }) {
  const era = useEra();
  const [indicatorId, setIndicatorId] = useState<number | null>(null);
  const chosen = indicatorId ?? s.indicators[0]?.id ?? null;
  const series = useQuery({
    queryKey: ['indicator-series', mid, chosen],
    queryFn: () => api.get<IndicatorSeriesResponse>(`/api/m/${mid}/indicators/${chosen}/series`).then((r) => r.series),
    enabled: chosen !== null,
  });
  if (s.indicators.length === 0) return null;
  const d = series.data;
  return (
    <section aria-labelledby="series-heading" className="summary-section">
      <h2 id="series-heading">活動指標の推移</h2>
      <Field label="活動指標">
        {(p) => (
          <select {...p} value={chosen ?? ''} onChange={(e) => setIndicatorId(Number(e.target.value))}>
            {s.indicators.map((i) => (
              <option key={i.id} value={i.id}>
                {i.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorAlert error={series.error} />
      {d && (
        <>
          <SeriesChart d={d} points={seriesPoints(d, era)} />
          <SeriesTable d={d} era={era} />
        </>
      )}
    </section>
  );
}
