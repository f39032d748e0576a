import { inTreeOrder } from '../../../domain/tree.js';
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { Department, LayoutEntry, Municipality, PlanDetail, PlanSummary } from '../../lib/types.js';
import { ErrorAlert, Field, FiscalYearInput } from '../../components/forms.js';
import { fiscalYearOf } from '../../../domain/fiscal-year.js';
import type { ReportDocument, ReportRow } from '../../../domain/report/build.js';
import { PublishHistory, PublishPanel } from './Publishing.js';

export interface ReportChoice {
  planId: number | null;
  fiscalYear: number | null;
  layout: string;
  departmentId: number | null;
  nodeId: number | null;
  subPlanId: number | null;
}

/** The report query string shared by the screen, the print view and the downloads. */
export function reportUrl(mid: number, c: ReportChoice, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    planId: String(c.planId),
    fiscalYear: String(c.fiscalYear),
    layout: c.layout,
    ...(c.departmentId ? { departmentId: String(c.departmentId) } : {}),
    ...(c.nodeId ? { nodeId: String(c.nodeId) } : {}),
    ...(c.subPlanId ? { subPlanId: String(c.subPlanId) } : {}),
    ...extra,
  });
  return `/api/m/${mid}/report?${q.toString()}`;
}

export function usePlans(mid: number) {
  return useQuery({
    queryKey: ['plans', mid],
    queryFn: () => api.get<{ plans: PlanSummary[] }>(`/api/m/${mid}/plans`).then((r) => r.plans),
  });
}

/** The plan and fiscal year pickers shared by the report and summary pages. */
export function PlanAndYear({
  plans,
  plan,
  onPlan,
  fiscalYear,
  onFiscalYear,
}: {
  plans: PlanSummary[];
  plan: number | null;
  onPlan(id: number | null): void;
  fiscalYear: number | null;
  onFiscalYear(year: number | null): void;
}) {
  return (
    <>
      <Field label="計画">
        {(p) => (
          <select {...p} value={plan ?? ''} onChange={(e) => onPlan(Number(e.target.value) || null)}>
            {plans.map((x) => (
              <option key={x.id} value={x.id}>
                {x.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FiscalYearInput label="年度" value={fiscalYear} onChange={onFiscalYear} required />
    </>
  );
}

export function ReportsPage() {
  usePageTitle('報告');
  const mid = useMid();
  const era = useEra();
  const { session } = useSession();
  const user = session.user!;
  const coordinating = user.role === 'system_admin' || user.role === 'coordinator';
  const departmentUser = user.role === 'department_editor' || user.role === 'department_viewer';
  const plans = usePlans(mid);
  const layouts = useQuery({
    queryKey: ['report-layouts', mid],
    queryFn: () => api.get<{ layouts: LayoutEntry[] }>(`/api/m/${mid}/report-layouts`).then((r) => r.layouts),
  });
  const depts = useQuery({
    queryKey: ['departments', mid],
    queryFn: () => api.get<{ departments: Department[] }>(`/api/m/${mid}/departments`).then((r) => r.departments),
  });
  const [planId, setPlanId] = useState<number | null>(null);
  const [fiscalYear, setFiscalYear] = useState<number | null>(fiscalYearOf(new Date()) - 1);
  const [layout, setLayout] = useState('indicator-achievement');
  const [departmentId, setDepartmentId] = useState<number | null>(null);
  const [nodeId, setNodeId] = useState<number | null>(null);
  const [subPlanId, setSubPlanId] = useState<number | null>(null);
  const [shown, setShown] = useState<ReportChoice | null>(null);
  const plan = planId ?? plans.data?.[0]?.id ?? null;
  const choice: ReportChoice = { planId: plan, fiscalYear, layout, departmentId, nodeId, subPlanId };
  const detail = useQuery({
    queryKey: ['plan', mid, plan],
    queryFn: () => api.get<PlanDetail>(`/api/m/${mid}/plans/${plan}`),
    enabled: plan !== null,
  });
  const goals = inTreeOrder((detail.data?.nodes ?? []).filter((n) => n.depth <= 1 && !n.archived));

  const report = useQuery({
    queryKey: ['report', mid, shown],
    queryFn: () => api.get<{ document: ReportDocument }>(reportUrl(mid, shown!)).then((r) => r.document),
    enabled: shown !== null,
  });
  const municipalities = useQuery({
    queryKey: ['municipalities'],
    queryFn: () => api.get<{ municipalities: Municipality[] }>('/api/municipalities').then((r) => r.municipalities),
  });
  const code = municipalities.data?.find((m) => m.id === mid)?.code;
  const layoutLabel = (name: string) => {
    const l = layouts.data?.find((x) => x.name === name);
    return l ? `${l.label}（${l.name}）` : name;
  };
  const show = (e: FormEvent) => {
    e.preventDefault();
    if (plan && fiscalYear) setShown({ ...choice, planId: plan });
  };

  return (
    <section>
      <h1>報告</h1>
      <p>
        計画・年度・レイアウトを選ぶと、登録された回答から報告を作ります。画面・印刷・Excel・CSV・公表ページはすべて同じ内容です。
      </p>
      <ErrorAlert error={plans.error ?? layouts.error} />
      <form className="toolbar-form" onSubmit={show} aria-label="報告の条件">
        <PlanAndYear
          plans={plans.data ?? []}
          plan={plan}
          onPlan={setPlanId}
          fiscalYear={fiscalYear}
          onFiscalYear={setFiscalYear}
        />
        <Field label="レイアウト">
          {(p) => (
            <select {...p} value={layout} onChange={(e) => setLayout(e.target.value)}>
              {(layouts.data ?? []).map((l) => (
                <option key={l.name} value={l.name}>
                  {l.name}（{l.label}）
                </option>
              ))}
            </select>
          )}
        </Field>
        {!departmentUser && (
          <Field label="課で絞り込む">
            {(p) => (
              <select
                {...p}
                value={departmentId ?? ''}
                onChange={(e) => setDepartmentId(Number(e.target.value) || null)}
              >
                <option value="">（すべての課）</option>
                {(depts.data ?? [])
                  .filter((d) => d.kind === 'ka')
                  .map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                    </option>
                  ))}
              </select>
            )}
          </Field>
        )}
        <Field label="体系で絞り込む">
          {(p) => (
            <select {...p} value={nodeId ?? ''} onChange={(e) => setNodeId(Number(e.target.value) || null)}>
              <option value="">（計画全体）</option>
              {goals.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.depth === 1 ? '　' : ''}
                  {n.number} {n.title}
                </option>
              ))}
            </select>
          )}
        </Field>
        {(detail.data?.plan.subPlans.length ?? 0) > 0 && (
          <Field label="関連計画で絞り込む">
            {(p) => (
              <select {...p} value={subPlanId ?? ''} onChange={(e) => setSubPlanId(Number(e.target.value) || null)}>
                <option value="">（すべて）</option>
                {detail.data!.plan.subPlans.map((sp) => (
                  <option key={sp.id} value={sp.id}>
                    {sp.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <button type="submit" className="button">
          表示する
        </button>
      </form>
      <ErrorAlert error={report.error} />
      {report.isFetching && <p role="status">報告を作成しています…</p>}
      {shown && report.data && (
        <>
          <div className="actions" role="group" aria-label="出力">
            <a
              className="button secondary"
              href={reportUrl(mid, shown, { format: 'html' })}
              target="_blank"
              rel="noopener"
            >
              印刷用の表示（A4横・新しいタブ）
            </a>
            <a className="button secondary" href={reportUrl(mid, shown, { format: 'xlsx' })} download>
              Excel（.xlsx）
            </a>
            <a className="button secondary" href={reportUrl(mid, shown, { format: 'csv' })} download>
              CSV（UTF-8）
            </a>
            <a className="button secondary" href={reportUrl(mid, shown, { format: 'csv', encoding: 'sjis' })} download>
              CSV（Shift_JIS）
            </a>
          </div>
          <ReportView doc={report.data} />
          {coordinating && !shown.departmentId && !shown.nodeId && !shown.subPlanId && (
            <PublishPanel
              mid={mid}
              era={era}
              code={code}
              target={{
                planId: shown.planId!,
                planTitle: plans.data?.find((x) => x.id === shown.planId)?.title ?? report.data.planTitle,
                fiscalYear: shown.fiscalYear!,
                layout: shown.layout,
                layoutLabel: layoutLabel(shown.layout),
              }}
            />
          )}
        </>
      )}
      <PublishHistory mid={mid} era={era} code={code} coordinating={coordinating} />
    </section>
  );
}

/** The document on screen: the same sheets, merged cells and tallies as every other output. */
export function ReportView({ doc }: { doc: ReportDocument }) {
  return (
    <div className="report-view">
      {doc.sheets.map((sheet, si) => (
        <section key={si} className="report-sheet" aria-labelledby={`report-sheet-${si}`}>
          <div className="report-head">
            <h2 id={`report-sheet-${si}`}>{sheet.title}</h2>
            {doc.documentNumber && <p className="doc-number">{doc.documentNumber}</p>}
            {doc.asOfLabel && <p className="as-of">{doc.asOfLabel}</p>}
          </div>
          {doc.notice && (
            <p className="report-notice" role="note">
              {doc.notice}
            </p>
          )}
          {doc.legend && (
            <div className="legend-box">
              <p>{doc.legend.title}</p>
              {doc.legend.note && <p>{doc.legend.note}</p>}
              <ul>
                {doc.legend.items.map((i) => (
                  <li key={i.code}>
                    {i.code}: {i.label}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="table-scroll" tabIndex={0} role="region" aria-label={`${sheet.title}の表`}>
            <table className="data-table report-table">
              <thead>
                {Array.from({ length: doc.headerRows }, (_, line) => (
                  <tr key={line}>
                    {doc.columns.map((c, ci) => {
                      const single = doc.headerRows > 1 && c.header.slice(1).every((h) => h === '');
                      if (line > 0 && single) return null;
                      const text = c.header[line] ?? '';
                      return (
                        <th key={ci} scope="col" rowSpan={line === 0 && single ? doc.headerRows : undefined}>
                          {text || (
                            <span className="visually-hidden">
                              {c.key === 'rowNumber' ? '通し番号' : `列${ci + 1}`}
                            </span>
                          )}
                        </th>
                      );
                    })}
                  </tr>
                ))}
              </thead>
              <tbody>
                {sheet.rows.map((row, ri) => (
                  <ReportTableRow key={ri} doc={doc} row={row} />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      <TallyTable doc={doc} />
    </div>
  );
}

function ReportTableRow({ doc, row }: { doc: ReportDocument; row: ReportRow }) {
  if (row.type === 'section')
    return (
      <tr className={`section-row depth-${row.depth}`}>
        <th scope="rowgroup" colSpan={doc.columns.length}>
          {row.text}
        </th>
      </tr>
    );
  return (
    <tr>
      {row.cells.map((cell, ci) => {
        if (cell.span === 0) return null;
        const key = doc.columns[ci]!.field;
        return (
          <td key={ci} rowSpan={cell.span && cell.span > 1 ? cell.span : undefined} className={`c-${key}`}>
            {key === 'grade' && cell.text ? (
              <>
                <span aria-hidden="true">{cell.text}</span>
                <span className="visually-hidden">{cell.speech}</span>
              </>
            ) : (
              cell.text
            )}
            {cell.note && <span className="override-note">（評価を変更：{cell.note}）</span>}
          </td>
        );
      })}
    </tr>
  );
}

export function TallyTable({ doc }: { doc: ReportDocument }) {
  const codes = doc.tallies.codes;
  const line = (label: string, t: ReportDocument['tallies']['total'], key: string | number) => (
    <tr key={key}>
      <th scope="row">{label}</th>
      {codes.map((c) => (
        <td key={c}>{t.counts[c] ?? 0}</td>
      ))}
      <td>{t.graded}</td>
      <td>{t.notGraded}</td>
      <td>{t.ungraded}</td>
    </tr>
  );
  return (
    <table className="data-table tally-table">
      <caption>
        評価の集計（{doc.tallies.unit === 'indicator' ? '活動指標ごと' : '事業と課ごと'}・{doc.gradedBy}）
      </caption>
      <thead>
        <tr>
          <th scope="col">区分</th>
          {codes.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
          <th scope="col">評価あり計</th>
          <th scope="col">評価対象外</th>
          <th scope="col">未評価</th>
        </tr>
      </thead>
      <tbody>
        {doc.tallies.byNode.map((n) => line(n.label, n.tally, n.nodeId))}
        {line('合計', doc.tallies.total, 'total')}
      </tbody>
    </table>
  );
}
