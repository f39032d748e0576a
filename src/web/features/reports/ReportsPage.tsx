import { memo, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type {
  DepartmentListResponse,
  LayoutListResponse,
  MunicipalityListResponse,
  PlanDetail,
  PlanListResponse,
  PlanSummary,
  ReportResponse,
} from '../../lib/types.js';
import { ErrorAlert, Field, FiscalYearInput } from '../../components/forms.js';
import { indentedLabel, treeOptions } from '../../lib/node-options.js';
import { fiscalYearOf } from '../../../domain/fiscal-year.js';
import { ReportView } from '../../report-view/ReportView.js';
import { PaperView, STYLESHEET } from '../../report-view/PaperView.js';
import { DEFAULT_PAPER, paperLabel } from '../../../domain/report/paper.js';
import type { ReportDocument } from '../../../domain/report/build.js';
import { PublishHistory, PublishPanel } from './Publishing.js';
import { LayoutFiles } from './LayoutFiles.js';
import './report-print.css';

export interface ReportChoice {
  planId: number | null;
  fiscalYear: number | null;
  layout: string;
  departmentId: number | null;
  nodeId: number | null;
  subPlanId: number | null;
}

const NO_CHOICE: ReportChoice = {
  planId: null,
  fiscalYear: null,
  layout: 'indicator-achievement',
  departmentId: null,
  nodeId: null,
  subPlanId: null,
};

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
    queryFn: () => api.get<PlanListResponse>(`/api/m/${mid}/plans`).then((r) => r.plans),
  });
}

/** The plan and fiscal year pickers shared by the report and summary pages. */
export function PlanAndYear({
  plans,
  plan,
  onPlan,
  fiscalYear,
  onFiscalYear,
  planError,
  yearError,
}: {
  plans: PlanSummary[];
  plan: number | null;
  onPlan(id: number | null): void;
  fiscalYear: number | null;
  onFiscalYear(year: number | null): void;
  /** said beside the field when the form was sent without it */
  planError?: string;
  yearError?: string;
}) {
  return (
    <>
      <Field label="計画" error={planError}>
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
      <FiscalYearInput label="年度" value={fiscalYear} onChange={onFiscalYear} required error={yearError} />
    </>
  );
}

/** The layouts the municipality can print with: the built-ins and its own. */
function useLayouts(mid: number) {
  return useQuery({
    queryKey: ['report-layouts', mid],
    queryFn: () => api.get<LayoutListResponse>(`/api/m/${mid}/report-layouts`).then((r) => r.layouts),
  });
}

type SetChoice = (patch: Partial<ReportChoice>) => void;

/** A <select> of ids where '' means none. */
const idOf = (value: string) => Number(value) || null;

function LayoutPicker({ mid, layout, set }: { mid: number; layout: string; set: SetChoice }) {
  const layouts = useLayouts(mid);
  return (
    <Field label="レイアウト">
      {(p) => (
        <select {...p} value={layout} onChange={(e) => set({ layout: e.target.value })}>
          {(layouts.data ?? []).map((l) => (
            <option key={l.name} value={l.name}>
              {l.label || l.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function DepartmentFilter({ mid, departmentId, set }: { mid: number; departmentId: number | null; set: SetChoice }) {
  const depts = useQuery({
    queryKey: ['departments', mid],
    queryFn: () => api.get<DepartmentListResponse>(`/api/m/${mid}/departments`).then((r) => r.departments),
  });
  return (
    <Field label="課で絞り込む">
      {(p) => (
        <select {...p} value={departmentId ?? ''} onChange={(e) => set({ departmentId: idOf(e.target.value) })}>
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
  );
}

/** Filters by the plan's tree (goals and the level under them) and by its related plans. */
function TreeFilters({ mid, choice, set }: { mid: number; choice: ReportChoice; set: SetChoice }) {
  const plan = choice.planId;
  const detail = useQuery({
    queryKey: ['plan', mid, plan],
    queryFn: () => api.get<PlanDetail>(`/api/m/${mid}/plans/${plan}`),
    enabled: plan !== null,
  });
  const goals = treeOptions(detail.data?.nodes ?? [], { keep: (n) => n.depth <= 1 });
  const subPlans = detail.data?.plan.subPlans ?? [];
  return (
    <>
      <Field label="体系で絞り込む">
        {(p) => (
          <select {...p} value={choice.nodeId ?? ''} onChange={(e) => set({ nodeId: idOf(e.target.value) })}>
            <option value="">（計画全体）</option>
            {goals.map((o) => (
              <option key={o.value} value={o.value}>
                {indentedLabel(o)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {subPlans.length > 0 && (
        <Field label="関連計画で絞り込む">
          {(p) => (
            <select {...p} value={choice.subPlanId ?? ''} onChange={(e) => set({ subPlanId: idOf(e.target.value) })}>
              <option value="">（すべて）</option>
              {subPlans.map((sp) => (
                <option key={sp.id} value={sp.id}>
                  {sp.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </>
  );
}

/** What to report: plan, year, layout and filters (department users see their own department anyway). */
function ReportChoiceForm({
  mid,
  plans,
  choice,
  set,
  departmentUser,
  plansRead,
  onShow,
}: {
  mid: number;
  plans: PlanSummary[];
  choice: ReportChoice;
  set: SetChoice;
  departmentUser: boolean;
  /** false until the plan list has come: a click before then would have no plan to show */
  plansRead: boolean;
  onShow(): void;
}) {
  const [sent, setSent] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSent(true);
    onShow();
  };
  const planError =
    sent && !choice.planId
      ? plans.length === 0
        ? '報告できる計画がありません。先に「計画」で計画を作ってください'
        : '計画を選んでください'
      : undefined;
  const yearError = sent && !choice.fiscalYear ? '年度を入力してください（例: 2021、R3、令和3年度）' : undefined;
  return (
    <form className="toolbar-form" onSubmit={submit} noValidate aria-label="報告の条件">
      <PlanAndYear
        plans={plans}
        plan={choice.planId}
        onPlan={(planId) => set({ planId })}
        fiscalYear={choice.fiscalYear}
        onFiscalYear={(fiscalYear) => set({ fiscalYear })}
        planError={planError}
        yearError={yearError}
      />
      <LayoutPicker mid={mid} layout={choice.layout} set={set} />
      {!departmentUser && <DepartmentFilter mid={mid} departmentId={choice.departmentId} set={set} />}
      <TreeFilters mid={mid} choice={choice} set={set} />
      {/* Until the plans are read there is no plan to show: a click then would do nothing, silently. */}
      <button type="submit" className="button" disabled={!plansRead}>
        表示する
      </button>
    </form>
  );
}

/** The shown report's other outputs: the print view and the downloads, from the same document. */
function ReportOutputs({ mid, shown, doc }: { mid: number; shown: ReportChoice; doc: ReportDocument }) {
  return (
    <div className="actions" role="group" aria-label="出力">
      <a className="button secondary" href={reportUrl(mid, shown, { format: 'html' })} target="_blank" rel="noopener">
        印刷用の表示（{paperLabel(doc.paper ?? DEFAULT_PAPER)}・新しいタブ）
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
  );
}

/**
 * The report as the screen shows it, and the paper version that prints in its place (on the
 * layout's paper, pages as the print view plans them, styled for print by the print view's own
 * stylesheet). Drawn again only for a new document, not as the form above changes.
 */
const ShownReport = memo(function ShownReport({ doc }: { doc: ReportDocument }) {
  const many = doc.sheets.length > 1;
  return (
    <>
      <link rel="stylesheet" href={STYLESHEET} media="print" />
      <div className="report-screen">
        <ReportView doc={doc} />
      </div>
      <PaperView doc={doc} lead={{ title: many ? doc.title : undefined }} sheetHeading={many ? 'h2' : 'h1'} />
    </>
  );
});

/** The municipality's 団体コード, for the links to its public pages. */
function useMunicipalityCode(mid: number): string | undefined {
  const municipalities = useQuery({
    queryKey: ['municipalities'],
    queryFn: () => api.get<MunicipalityListResponse>('/api/municipalities').then((r) => r.municipalities),
  });
  return municipalities.data?.find((m) => m.id === mid)?.code;
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
  const layouts = useLayouts(mid);
  const [draft, setDraft] = useState<ReportChoice>(() => ({ ...NO_CHOICE, fiscalYear: fiscalYearOf(new Date()) - 1 }));
  const [shown, setShown] = useState<ReportChoice | null>(null);
  const choice: ReportChoice = { ...draft, planId: draft.planId ?? plans.data?.[0]?.id ?? null };
  const report = useQuery({
    queryKey: ['report', mid, shown],
    queryFn: () => api.get<ReportResponse>(reportUrl(mid, shown!)).then((r) => r.document),
    enabled: shown !== null,
  });
  const code = useMunicipalityCode(mid);
  const layoutLabel = (name: string) => {
    const l = layouts.data?.find((x) => x.name === name);
    return l?.label || name;
  };
  const show = () => {
    if (choice.planId && choice.fiscalYear) setShown(choice);
  };
  const publishable = shown && coordinating && !shown.departmentId && !shown.nodeId && !shown.subPlanId;

  return (
    <section className="reports-page">
      <h1>報告</h1>
      <p>
        計画・年度・レイアウトを選ぶと、登録された回答から報告を作ります。画面・印刷・Excel・CSV・公表ページはすべて同じ内容です。
      </p>
      <ErrorAlert error={plans.error ?? layouts.error} />
      <ReportChoiceForm
        mid={mid}
        plans={plans.data ?? []}
        choice={choice}
        set={(patch) => setDraft((d) => ({ ...d, ...patch }))}
        departmentUser={departmentUser}
        plansRead={plans.data !== undefined}
        onShow={show}
      />
      {coordinating && <LayoutFiles mid={mid} layout={choice.layout} />}
      <ErrorAlert error={report.error} />
      {report.isFetching && <p role="status">報告を作成しています…</p>}
      {shown && report.data && (
        <>
          <ReportOutputs mid={mid} shown={shown} doc={report.data} />
          <div className="report-output">
            <ShownReport doc={report.data} />
          </div>
          {publishable && (
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
      <PublishHistory mid={mid} era={era} code={code} coordinating={coordinating} layoutLabel={layoutLabel} />
    </section>
  );
}
