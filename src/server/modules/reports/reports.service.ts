import iconv from 'iconv-lite';
import { z } from 'zod';
import type { IndicatorSeries } from '../../../domain/api-types.js';
import {
  buildReport,
  type ReportDataset,
  type ReportDocument,
  type ReportFilters,
} from '../../../domain/report/build.js';
import { reportCsv } from '../../../domain/report/csv.js';
import { layoutTexts, layoutYears } from '../../../domain/report/columns.js';
import type { ReportLayout } from '../../../domain/report/layout.js';
import { summarise, summaryYear, type ReportSummary, type SummaryYear } from '../../../domain/report/summary.js';
import type { CheckKind } from '../../../domain/evaluation/index.js';
import { readsApprovedOnly as approvedOnlyReader } from '../../../domain/policy.js';
import { answerChecks, evaluatePlanYear } from '../evaluations/index.js';
import { printedRows } from '../../../domain/report/table-data.js';
import { countOf, type Tally } from '../../../domain/report/evaluation.js';
import { isDepartmentRole } from '../../../domain/roles.js';
import { fiscalYear, id } from '../../../domain/schemas.js';
import { printPage } from '../../../web/report-view/ReportPage.js';
import type { AppContext } from '../../context.js';
import { AppError, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanRead } from '../auth/index.js';
import { loadReportDataset } from './dataset.js';
import { rowInYear } from '../plans/index.js';
import { resolveLayout } from './layouts.service.js';
import {
  answeredYears,
  approvedAnswers,
  findIndicator,
  indicatorActuals,
  indicatorTargets,
} from './reports.repository.js';
import { reportWorkbook } from './xlsx.js';

/** Reports on demand: the document for a reader, its files, the summary and an indicator's years. */

export const REPORT_FORMATS = ['json', 'xlsx', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '「2026-04-30」のように年-月-日で入力してください');

export const reportQuery = z.object({
  planId: id,
  fiscalYear,
  layout: z.string().trim().min(1, 'レイアウトを選んでください').max(60),
  departmentId: id.optional(),
  nodeId: id.optional(),
  subPlanId: id.optional(),
  asOf: isoDate.optional(),
});
export type ReportQuery = z.output<typeof reportQuery>;

/** Department users see their own department's rows (and those of the units it replaced); everyone else of the municipality sees all. */
function scopedFilters(actor: Actor, q: { departmentId?: number; nodeId?: number; subPlanId?: number }): ReportFilters {
  const own = isDepartmentRole(actor.user.role) ? actor.user.departmentIds : null;
  if (own !== null && q.departmentId !== undefined && !own.includes(q.departmentId))
    throw new AppError('FORBIDDEN', '他の課の報告は表示できません');
  return {
    departmentId: q.departmentId ?? null,
    departmentIds: own ?? undefined,
    nodeId: q.nodeId ?? null,
    subPlanId: q.subPlanId ?? null,
  };
}

/** Council members read approved answers only, on every page and in every download. */
/** Council and committee members read approved answers only (see the policy). */
export const readsApprovedOnly = (actor: Actor): boolean => approvedOnlyReader(actor.user);

export async function renderReport(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  q: ReportQuery,
  opts: { approvedOnly?: boolean; notice?: string } = {},
): Promise<ReportDocument> {
  assertCanRead(actor, municipalityId);
  const filters = scopedFilters(actor, q);
  const approvedOnly = opts.approvedOnly || readsApprovedOnly(actor);
  const layout = await resolveLayout(ctx.db, municipalityId, q.layout);
  const ds = await loadReportDataset(ctx.db, municipalityId, q.planId, q.fiscalYear, {
    approvedOnly,
    extraYears: layoutYears(layout.columns, q.fiscalYear, 'values'),
    extraAnswerYears: layoutYears(layout.columns, q.fiscalYear, 'answers'),
    texts: layoutTexts(layout.columns, q.fiscalYear),
    summaries: layout.columns.some((c) => c.key === 'summary'),
  });
  assertFieldsExist(layout, ds);
  return buildReport(ds, layout, filters, { asOf: q.asOf ?? null, notice: opts.notice });
}

/** A layout printing an extra field the plan does not have is refused by name, never printed as empty cells. */
function assertFieldsExist(layout: ReportLayout, ds: ReportDataset): void {
  const fields = ds.plan.customFields ?? [];
  for (const [i, c] of layout.columns.entries())
    if (c.key === 'custom' && !fields.some((f) => f.key === c.field))
      throw new AppError(
        'VALIDATION',
        `レイアウト「${layout.name}」の${i + 1}列目（${c.header.join(' ')}）は、この計画にない追加の項目「${c.field ?? ''}」を印刷します。計画の設定で項目を加えるか、レイアウトを直してください`,
      );
}

export interface RenderedFile {
  body: Buffer | string;
  contentType: string;
  extension: string;
}

function csvFile(doc: ReportDocument, encoding: 'utf8' | 'sjis' | undefined): RenderedFile {
  const text = reportCsv(doc);
  if (encoding === 'sjis')
    return { body: iconv.encode(text, 'cp932'), contentType: 'text/csv; charset=Shift_JIS', extension: 'csv' };
  return {
    body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
  };
}

function jsonFile(doc: ReportDocument): RenderedFile {
  const body = {
    title: doc.title,
    fiscalYear: doc.fiscalYear,
    layout: doc.layout,
    rows: printedRows(doc),
    tallies: jsonTallies(doc),
  };
  return { body: JSON.stringify(body, null, 2), contentType: 'application/json; charset=utf-8', extension: 'json' };
}

/** One document, any output: the same rows on screen, in print, in Excel, CSV and JSON. */
export async function formatReport(
  doc: ReportDocument,
  format: ReportFormat,
  options: { encoding?: 'utf8' | 'sjis'; stylesheetHref?: string } = {},
): Promise<RenderedFile> {
  switch (format) {
    case 'json':
      return jsonFile(doc);
    case 'xlsx':
      return {
        body: await reportWorkbook(doc),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        extension: 'xlsx',
      };
    case 'csv':
      return csvFile(doc, options.encoding);
    case 'html':
      return {
        body: printPage(doc, options.stylesheetHref ? { href: options.stylesheetHref } : { inline: true }),
        contentType: 'text/html; charset=utf-8',
        extension: 'html',
      };
  }
}

/**
 * Grade counts per top-level node and in total, as the command line's json prints them: each a list in
 * the scale's order (an object keyed by code would put numeric codes in ascending order), counted codes
 * the legend does not list after them.
 */
export function jsonTallies(doc: ReportDocument) {
  const { tallies } = doc;
  const codes = tallies.grades ?? tallies.codes.map((code) => ({ code, label: '' }));
  const counts = (t: Tally) => [
    ...codes.map((c) => ({ ...c, count: countOf(t.counts, c.code) })),
    ...t.counts.filter((c) => !codes.some((k) => k.code === c.code)).map((c) => ({ ...c, label: '' })),
  ];
  const line = (t: Tally) => ({ counts: counts(t), graded: t.graded, 評価対象外: t.notGraded, 未評価: t.ungraded });
  return {
    unit: tallies.unit,
    codes,
    total: line(tallies.total),
    byNode: tallies.byNode.map((n) => ({ node: n.label, ...line(n.tally) })),
  };
}

export function reportFileName(doc: ReportDocument, extension: string): string {
  return `${doc.title.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80)}.${extension}`;
}

export type ReportExport =
  | { format: 'json'; document: ReportDocument }
  | { format: Exclude<ReportFormat, 'json'>; file: RenderedFile; fileName: string };

/** A report for the screen (the document) or as a file; downloads of the data (xlsx, csv) are audited. */
export async function exportReport(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  q: ReportQuery & { format: ReportFormat; encoding: 'utf8' | 'sjis' },
  options: { stylesheetHref: string },
): Promise<ReportExport> {
  const doc = await renderReport(ctx, actor, municipalityId, q);
  if (q.format === 'json') return { format: 'json', document: doc };
  const file = await formatReport(doc, q.format, { encoding: q.encoding, stylesheetHref: options.stylesheetHref });
  if (q.format === 'xlsx' || q.format === 'csv')
    await audit(ctx.db, actor, {
      municipalityId,
      action: 'export',
      entity: 'report',
      detail: {
        planId: q.planId,
        fiscalYear: q.fiscalYear,
        layout: q.layout,
        format: q.format,
        departmentId: q.departmentId ?? null,
      },
    });
  return { format: q.format, file, fileName: reportFileName(doc, file.extension) };
}

/** Leaves in a dataset only what a department's own records and lines are. */
function ownOnly(ds: Awaited<ReturnType<typeof loadReportDataset>>, own: number[]): void {
  ds.records = ds.records.filter((r) => own.includes(r.departmentId));
  ds.actuals = ds.actuals.filter((a) => own.includes(a.departmentId));
  ds.assignments = ds.assignments.filter((a) => own.includes(a.departmentId));
  ds.indicators = ds.indicators.filter(
    (i) =>
      (i.departmentId !== null && own.includes(i.departmentId)) ||
      (i.departmentId === null && ds.assignments.some((a) => a.projectId === i.projectId && a.isLead)),
  );
}

export async function reportSummary(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
  year: number,
  depth: number,
): Promise<ReportSummary> {
  assertCanRead(actor, municipalityId);
  const approvedOnly = readsApprovedOnly(actor);
  const ds = await loadReportDataset(ctx.db, municipalityId, planId, year, { previousRecords: true, approvedOnly });
  // A department's summary counts its own records and lines only.
  if (isDepartmentRole(actor.user.role)) ownOnly(ds, actor.user.departmentIds);
  const current = summarise(ds, depth);
  const summary = {
    ...current,
    history: await gradeHistory(ctx, actor, { municipalityId, planId, year, depth }, current),
  };
  // How far each department has got, and what the self-evaluation checks found, is the city hall's
  // business, not the council's.
  if (approvedOnly) return { ...summary, completeness: null };
  return { ...summary, checks: await checkCounts(ctx, ds) };
}

/** Each earlier year with answers, counted the same way (the reader's own rows only, approved only where they read those). */
async function gradeHistory(
  ctx: AppContext,
  actor: Actor,
  at: { municipalityId: number; planId: number; year: number; depth: number },
  current: ReportSummary,
): Promise<SummaryYear[]> {
  const years = (await answeredYears(ctx.db, at.planId, at.year)).filter((y) => y !== at.year);
  const approvedOnly = readsApprovedOnly(actor);
  const earlier = await Promise.all(
    years.map(async (y) => {
      const ds = await loadReportDataset(ctx.db, at.municipalityId, at.planId, y, { approvedOnly });
      if (isDepartmentRole(actor.user.role)) ownOnly(ds, actor.user.departmentIds);
      return summaryYear(summarise(ds, at.depth));
    }),
  );
  return [...earlier, summaryYear(current)];
}

/** The self-evaluation checks of the year's answers, counted per department (warnings, for 集計). */
async function checkCounts(ctx: AppContext, ds: ReportDataset): Promise<NonNullable<ReportSummary['checks']>> {
  const { config, evaluations, facts } = await evaluatePlanYear(ctx.db, ds.plan.id, ds.fiscalYear);
  const lastYear = new Map(
    ds.records.filter((r) => r.fiscalYear === ds.fiscalYear - 1).map((r) => [`${r.projectId}:${r.departmentId}`, r]),
  );
  const counts = new Map<number, Record<CheckKind, number>>();
  for (const r of ds.records.filter((x) => x.fiscalYear === ds.fiscalYear)) {
    const findings = answerChecks(config, evaluations, facts, {
      projectId: r.projectId,
      departmentId: r.departmentId,
      resultText: r.resultText,
      remarks: r.remarks,
      lastYearResultText: lastYear.get(`${r.projectId}:${r.departmentId}`)?.resultText ?? null,
    });
    const row = counts.get(r.departmentId) ?? {
      contradicts: 0,
      sameAsLastYear: 0,
      shortfallWithoutReason: 0,
      gradeWithoutActual: 0,
    };
    for (const f of findings) row[f.kind]++;
    counts.set(r.departmentId, row);
  }
  return [...ds.departments]
    .sort((a, b) => a.position - b.position || a.id - b.id)
    .filter((d) => counts.has(d.id))
    .map((d) => {
      const byKind = counts.get(d.id)!;
      return {
        departmentId: d.id,
        label: d.displayName,
        counts: byKind,
        total: Object.values(byKind).reduce((a, b) => a + b, 0),
      };
    });
}

/** An indicator's actuals the reader may see: their own department's, and for the council approved ones only. */
async function visibleActuals(ctx: AppContext, actor: Actor, indicatorId: number) {
  const actuals = await indicatorActuals(ctx.db, indicatorId);
  const own = isDepartmentRole(actor.user.role) ? actor.user.departmentIds : null;
  const mine = own === null ? actuals : actuals.filter((a) => own.includes(a.department_id));
  if (!readsApprovedOnly(actor)) return mine;
  const approved = await approvedAnswers(ctx.db, indicatorId);
  return mine.filter((a) =>
    approved.some((r) => r.department_id === a.department_id && r.fiscal_year === a.fiscal_year),
  );
}

/** Baseline, each year's target and actual (departments summed), and the final target. */
export async function indicatorSeries(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  indicatorId: number,
): Promise<IndicatorSeries> {
  assertCanRead(actor, municipalityId);
  const i = await findIndicator(ctx.db, municipalityId, indicatorId);
  if (!i) throw notFound('活動指標');
  // The years it applies in only: a target kept from before its span narrowed is not one of them.
  const applies = (y: number) => rowInYear({ first_year: i.applies_from, last_year: i.applies_to }, y);
  const [allTargets, allActuals] = await Promise.all([
    indicatorTargets(ctx.db, indicatorId),
    visibleActuals(ctx, actor, indicatorId),
  ]);
  const targets = allTargets.filter((t) => applies(t.fiscal_year));
  const mine = allActuals.filter((a) => applies(a.fiscal_year));
  const years = [...new Set([...targets.map((t) => t.fiscal_year), ...mine.map((a) => a.fiscal_year)])].sort(
    (a, b) => a - b,
  );
  return {
    id: i.id,
    name: i.name,
    unit: i.unit,
    direction: i.direction,
    baseline: { year: i.baseline_year, value: i.baseline_value, text: i.baseline_text },
    finalTarget: { year: i.applies_to ?? i.last_year, value: i.final_target_value, text: i.final_target_text },
    points: years.map((y) => {
      const list = mine.filter((a) => a.fiscal_year === y);
      const numbers = list.filter((a) => a.value !== null);
      return {
        fiscalYear: y,
        target: targets.find((t) => t.fiscal_year === y)?.value ?? null,
        actual: numbers.length ? numbers.reduce((s, a) => s + a.value!, 0) : null,
        actualText: list
          .map((a) => a.text)
          .filter(Boolean)
          .join('、'),
      };
    }),
  };
}
