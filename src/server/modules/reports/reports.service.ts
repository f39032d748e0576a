import iconv from 'iconv-lite';
import { z } from 'zod';
import type { EvaluationScale } from '../../../domain/evaluation.js';
import { readScale, scaleInput } from '../../../domain/evaluation-schema.js';
import { fiscalYearEnd, todayInJapan, type Era2019 } from '../../../domain/fiscal-year.js';
import type { GradeOption } from '../../../domain/grades.js';
import { buildReport, type ReportDocument, type ReportFilters } from '../../../domain/report/build.js';
import { reportCsv } from '../../../domain/report/csv.js';
import { renderReportHtml } from '../../../domain/report/html.js';
import { BUILTIN_LAYOUTS, builtinLayout, layoutInput, type ReportLayout } from '../../../domain/report/layout.js';
import { summarise, type ReportSummary } from '../../../domain/report/summary.js';
import { printedRows } from '../../../domain/report/table-data.js';
import { fiscalYear, id } from '../../../domain/schemas.js';
import { isDepartmentRole } from '../../../domain/roles.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { now, toNumber } from '../../db/util.js';
import { RECORD_STATUSES, type RecordStatus } from '../../../domain/cycle.js';
import { freezeYear } from '../plans/plan-years.js';
import { assertPlanNotArchived } from '../plans/plans.service.js';
import { AppError, invalid, notFound } from '../../http/errors.js';
import type { LayoutEntry, PublishPreview, SnapshotEntry } from '../../../domain/api-types.js';
import { audit } from '../audit/audit.js';
import { type Actor, assertCanEditPlans, assertCanRead, assertCoordinator } from '../auth/actor.js';
import { bumpPlan } from '../rounds/sheet-cache.js';
import { loadReportDataset } from './dataset.js';
import { reportWorkbook } from './xlsx.js';
import { readJson } from '../../db/json.js';

export const REPORT_FORMATS = ['json', 'xlsx', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日付を YYYY-MM-DD で入力してください');

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

export const publishInput = z.object({
  planId: id,
  fiscalYear,
  layout: z.string().trim().min(1, 'レイアウトを選んでください').max(60),
  asOf: isoDate,
  /** answers not yet approved are left out unless the coordinator includes them on purpose (速報) */
  includeUnapproved: z.boolean().default(false),
});

export type { LayoutEntry, PublishPreview, SnapshotEntry };

export const publishPreviewQuery = z.object({
  planId: id,
  fiscalYear: z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), fiscalYear),
});

export async function listLayouts(ctx: AppContext, actor: Actor, municipalityId: number): Promise<LayoutEntry[]> {
  assertCanRead(actor, municipalityId);
  const saved = await ctx.db
    .selectFrom('report_layouts')
    .select(['name', 'definition'])
    .where('municipality_id', '=', municipalityId)
    .orderBy('name')
    .execute();
  return [
    ...BUILTIN_LAYOUTS.map((l) => ({ name: l.name, label: l.label, builtin: true, definition: l })),
    ...saved.map((s) => {
      const definition = readJson.reportLayout(s.definition);
      return { name: s.name, label: definition.label, builtin: false, definition };
    }),
  ];
}

export async function resolveLayout(db: DbOrTx, municipalityId: number, name: string): Promise<ReportLayout> {
  const saved = await db
    .selectFrom('report_layouts')
    .select('definition')
    .where('municipality_id', '=', municipalityId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (saved) return readJson.reportLayout(saved.definition);
  const builtin = builtinLayout(name);
  if (!builtin)
    throw new AppError(
      'VALIDATION',
      `レイアウト「${name}」がありません。使えるもの: ${BUILTIN_LAYOUTS.map((l) => l.name).join('、')} と保存したレイアウト`,
    );
  return builtin;
}

export async function saveLayout(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  input: z.output<typeof layoutInput>,
): Promise<LayoutEntry> {
  assertCanEditPlans(actor, municipalityId);
  if (builtinLayout(input.name))
    throw new AppError('CONFLICT', `「${input.name}」は組み込みのレイアウトの名前です。別の名前にしてください`);
  return ctx.db.transaction().execute(async (tx) => {
    const definition = JSON.stringify(input);
    const existing = await tx
      .selectFrom('report_layouts')
      .select('id')
      .where('municipality_id', '=', municipalityId)
      .where('name', '=', input.name)
      .executeTakeFirst();
    if (existing)
      await tx
        .updateTable('report_layouts')
        .set({ definition, updated_at: now() })
        .where('id', '=', existing.id)
        .execute();
    else
      await tx
        .insertInto('report_layouts')
        .values({ municipality_id: municipalityId, name: input.name, definition, updated_at: now() })
        .execute();
    await audit(tx, actor, {
      municipalityId,
      action: existing ? 'update' : 'create',
      entity: 'report_layout',
      entityId: input.name,
      detail: input,
    });
    return { name: input.name, label: input.label, builtin: false, definition: input };
  });
}

export async function deleteLayout(ctx: AppContext, actor: Actor, municipalityId: number, name: string): Promise<void> {
  assertCanEditPlans(actor, municipalityId);
  await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .deleteFrom('report_layouts')
      .where('municipality_id', '=', municipalityId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('レイアウト');
    await audit(tx, actor, { municipalityId, action: 'delete', entity: 'report_layout', entityId: name });
  });
}

// ---- evaluation scale ------------------------------------------------------------------------

export async function getScale(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
): Promise<EvaluationScale> {
  assertCanRead(actor, municipalityId);
  const plan = await ctx.db
    .selectFrom('plans')
    .select(['evaluation_scale', 'grade_options'])
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', planId)
    .executeTakeFirst();
  if (!plan) throw notFound('計画');
  return readScale(plan.evaluation_scale, readJson.gradeOptions(plan.grade_options));
}

/** Saves a plan's scale; its legend becomes the grades departments choose from on their sheets. */
export async function saveScale(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
  input: z.output<typeof scaleInput>,
): Promise<EvaluationScale> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const plan = await tx
      .selectFrom('plans')
      .select(['id', 'evaluation_scale'])
      .where('municipality_id', '=', municipalityId)
      .where('id', '=', planId)
      .executeTakeFirst();
    if (!plan) throw notFound('計画');
    await assertPlanNotArchived(tx, planId);
    const scale = input;
    const options: GradeOption[] = scale.grades.map((g) => ({ code: g.code, label: g.label }));
    await tx
      .updateTable('plans')
      .set({ evaluation_scale: JSON.stringify(scale), grade_options: JSON.stringify(options), updated_at: now() })
      .where('id', '=', planId)
      .execute();
    await bumpPlan(tx, planId);
    await audit(tx, actor, {
      municipalityId,
      action: 'update',
      entity: 'evaluation_scale',
      entityId: planId,
      detail: { before: plan.evaluation_scale ? JSON.parse(plan.evaluation_scale) : null, after: scale },
    });
    return scale;
  });
}

// ---- reports ---------------------------------------------------------------------------------

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
const readsApprovedOnly = (actor: Actor) => actor.user.role === 'council_member';

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
  const [layout, ds] = await Promise.all([
    resolveLayout(ctx.db, municipalityId, q.layout),
    loadReportDataset(ctx.db, municipalityId, q.planId, q.fiscalYear, { approvedOnly }),
  ]);
  return buildReport(ds, layout, filters, { asOf: q.asOf ?? null, notice: opts.notice });
}

export interface RenderedFile {
  body: Buffer | string;
  contentType: string;
  extension: string;
}

/** One document, any output: the same rows on screen, in print, in Excel, CSV and JSON. */
export async function formatReport(
  doc: ReportDocument,
  format: ReportFormat,
  options: { encoding?: 'utf8' | 'sjis'; stylesheetHref?: string } = {},
): Promise<RenderedFile> {
  switch (format) {
    case 'json':
      return {
        body: JSON.stringify(
          {
            title: doc.title,
            fiscalYear: doc.fiscalYear,
            layout: doc.layout,
            rows: printedRows(doc),
            tallies: jsonTallies(doc),
          },
          null,
          2,
        ),
        contentType: 'application/json; charset=utf-8',
        extension: 'json',
      };
    case 'xlsx':
      return {
        body: await reportWorkbook(doc),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        extension: 'xlsx',
      };
    case 'csv': {
      const text = reportCsv(doc);
      if (options.encoding === 'sjis')
        return { body: iconv.encode(text, 'cp932'), contentType: 'text/csv; charset=Shift_JIS', extension: 'csv' };
      return {
        body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
        contentType: 'text/csv; charset=utf-8',
        extension: 'csv',
      };
    }
    case 'html':
      return {
        body: renderReportHtml(doc, { stylesheetHref: options.stylesheetHref }),
        contentType: 'text/html; charset=utf-8',
        extension: 'html',
      };
  }
}

/** Grade counts per top-level node and in total, as the command line's json prints them. */
export function jsonTallies(doc: ReportDocument) {
  return {
    unit: doc.tallies.unit,
    total: { ...doc.tallies.total.counts, 評価対象外: doc.tallies.total.notGraded, 未評価: doc.tallies.total.ungraded },
    byNode: doc.tallies.byNode.map((n) => ({
      node: n.label,
      counts: n.tally.counts,
      評価対象外: n.tally.notGraded,
      未評価: n.tally.ungraded,
    })),
  };
}

export function reportFileName(doc: ReportDocument, extension: string): string {
  return `${doc.title.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80)}.${extension}`;
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
  if (isDepartmentRole(actor.user.role)) {
    // A department's summary counts its own records and lines only.
    const own = actor.user.departmentIds;
    ds.records = ds.records.filter((r) => own.includes(r.departmentId));
    ds.actuals = ds.actuals.filter((a) => own.includes(a.departmentId));
    ds.assignments = ds.assignments.filter((a) => own.includes(a.departmentId));
    ds.indicators = ds.indicators.filter(
      (i) =>
        (i.departmentId !== null && own.includes(i.departmentId)) ||
        (i.departmentId === null && ds.assignments.some((a) => a.projectId === i.projectId && a.isLead)),
    );
  }
  const summary = summarise(ds, depth);
  // How far each department has got is the coordinating section's business, not the council's.
  return approvedOnly ? { ...summary, completeness: null } : summary;
}

export interface IndicatorSeries {
  id: number;
  name: string;
  unit: string;
  direction: string;
  baseline: { year: number | null; value: number | null; text: string };
  finalTarget: { year: number; value: number | null; text: string };
  points: { fiscalYear: number; target: number | null; actual: number | null; actualText: string }[];
}

/** Baseline, each year's target and actual (departments summed), and the final target. */
export async function indicatorSeries(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  indicatorId: number,
): Promise<IndicatorSeries> {
  assertCanRead(actor, municipalityId);
  const i = await ctx.db
    .selectFrom('indicators as i')
    .innerJoin('plans as p', 'p.id', 'i.plan_id')
    .select([
      'i.id',
      'i.name',
      'i.unit',
      'i.direction',
      'i.baseline_value',
      'i.baseline_text',
      'i.baseline_year',
      'i.final_target_value',
      'i.final_target_text',
      'i.department_id',
      'p.first_year',
      'p.last_year',
    ])
    .where('i.municipality_id', '=', municipalityId)
    .where('i.id', '=', indicatorId)
    .executeTakeFirst();
  if (!i) throw notFound('活動指標');
  const [targets, actuals] = await Promise.all([
    ctx.db
      .selectFrom('indicator_targets')
      .select(['fiscal_year', 'value'])
      .where('indicator_id', '=', indicatorId)
      .execute(),
    ctx.db
      .selectFrom('indicator_actuals')
      .select(['fiscal_year', 'value', 'text', 'department_id'])
      .where('indicator_id', '=', indicatorId)
      .execute(),
  ]);
  const own = isDepartmentRole(actor.user.role) ? actor.user.departmentIds : null;
  let mine = own === null ? actuals : actuals.filter((a) => own.includes(a.department_id));
  if (readsApprovedOnly(actor)) {
    const approved = await ctx.db
      .selectFrom('records as r')
      .innerJoin('indicators as i', 'i.project_id', 'r.project_id')
      .select(['r.department_id', 'r.fiscal_year'])
      .where('i.id', '=', indicatorId)
      .where('r.status', '=', 'approved')
      .execute();
    mine = mine.filter((a) =>
      approved.some((r) => r.department_id === a.department_id && r.fiscal_year === a.fiscal_year),
    );
  }
  const years = [...new Set([...targets.map((t) => t.fiscal_year), ...mine.map((a) => a.fiscal_year)])].sort(
    (a, b) => a - b,
  );
  return {
    id: i.id,
    name: i.name,
    unit: i.unit,
    direction: i.direction,
    baseline: { year: i.baseline_year, value: i.baseline_value, text: i.baseline_text },
    finalTarget: { year: i.last_year, value: i.final_target_value, text: i.final_target_text },
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

// ---- publishing ------------------------------------------------------------------------------

async function statusCounts(db: DbOrTx, planId: number, fiscalYear: number): Promise<Record<RecordStatus, number>> {
  const rows = await db
    .selectFrom('records')
    .select(['status', (eb) => eb.fn.countAll().as('n')])
    .where('plan_id', '=', planId)
    .where('fiscal_year', '=', fiscalYear)
    .groupBy('status')
    .execute();
  return Object.fromEntries(
    RECORD_STATUSES.map((st) => [st, toNumber(rows.find((r) => r.status === st)?.n ?? 0)]),
  ) as Record<RecordStatus, number>;
}

export async function publishPreview(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
  fiscalYear: number,
): Promise<PublishPreview> {
  assertCoordinator(actor, municipalityId);
  const plan = await ctx.db
    .selectFrom('plans')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', planId)
    .executeTakeFirst();
  if (!plan) throw notFound('計画');
  const counts = await statusCounts(ctx.db, planId, fiscalYear);
  const current = (await snapshotRows(ctx.db, municipalityId)).filter(
    (s) => s.planId === planId && s.fiscalYear === fiscalYear && s.supersededBy === null && s.withdrawnAt === null,
  );
  return { planId, fiscalYear, statusCounts: counts, total: Object.values(counts).reduce((a, b) => a + b, 0), current };
}

/**
 * Publishes a report as it is now: the rendered document is stored and never changed. By default
 * only approved answers are printed (the others keep their row, empty, and the report says how
 * many were left out); including them is a deliberate choice that labels the report 速報. The
 * year's printed numbers are fixed from here on. An earlier snapshot of the same plan, year and
 * layout is marked as superseded and stays in the history.
 */
export async function publishReport(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  input: z.output<typeof publishInput>,
): Promise<SnapshotEntry> {
  assertCoordinator(actor, municipalityId);
  // A public report says what it contains as of a day: never one still to come.
  if (input.asOf > todayInJapan(ctx.clock?.() ?? new Date())) throw invalid('asOf', '今日より後の日付は指定できません');
  const counts = await statusCounts(ctx.db, input.planId, input.fiscalYear);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const unapproved = total - counts.approved;
  if (total === 0) throw new AppError('CONFLICT', 'この年度の回答がまだないため公表できません');
  if (counts.approved === 0 && !input.includeUnapproved)
    throw new AppError(
      'CONFLICT',
      '確定した回答がまだないため公表できません。確定してから公表するか、速報として未確定の回答を含めてください',
    );
  const notice =
    input.includeUnapproved && unapproved > 0
      ? `速報（未確定を含む）：確定していない回答${unapproved}件を含みます`
      : unapproved > 0
        ? `確定していない回答${unapproved}件は掲載していません`
        : '';
  await ctx.db.transaction().execute((tx) => freezeYear(tx, municipalityId, input.planId, input.fiscalYear));
  const doc = await renderReport(
    ctx,
    actor,
    municipalityId,
    { planId: input.planId, fiscalYear: input.fiscalYear, layout: input.layout, asOf: input.asOf },
    { approvedOnly: !input.includeUnapproved, notice },
  );
  if (input.includeUnapproved && unapproved > 0) {
    // The printed headings too: a one-sheet report is headed by its sheet's title, not the document's.
    doc.title = `【速報】${doc.title}`;
    for (const sheet of doc.sheets) sheet.title = `【速報】${sheet.title}`;
  }
  return ctx.db.transaction().execute(async (tx) => {
    const t = now();
    const row = await tx
      .insertInto('report_snapshots')
      .values({
        municipality_id: municipalityId,
        plan_id: input.planId,
        fiscal_year: input.fiscalYear,
        layout_name: input.layout,
        title: doc.title,
        as_of: input.asOf,
        document: JSON.stringify(doc),
        published_at: t,
        published_by: actor.user.id,
        superseded_by: null,
        includes_unapproved: input.includeUnapproved && unapproved > 0 ? 1 : 0,
        status_counts: JSON.stringify(counts),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('report_snapshots')
      .set({ superseded_by: row.id })
      .where('municipality_id', '=', municipalityId)
      .where('plan_id', '=', input.planId)
      .where('fiscal_year', '=', input.fiscalYear)
      .where('layout_name', '=', input.layout)
      .where('superseded_by', 'is', null)
      .where('id', '!=', row.id)
      .execute();
    await audit(tx, actor, {
      municipalityId,
      action: 'publish',
      entity: 'report_snapshot',
      entityId: row.id,
      detail: {
        planId: input.planId,
        fiscalYear: input.fiscalYear,
        layout: input.layout,
        asOf: input.asOf,
        includeUnapproved: input.includeUnapproved,
        statusCounts: counts,
      },
    });
    return (await snapshotRows(tx, municipalityId)).find((s) => s.id === row.id)!;
  });
}

/**
 * Withdraws a publication: its content leaves the public page, which says instead when and why it
 * was withdrawn. The snapshot itself is kept, unchanged.
 */
export async function withdrawSnapshot(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  snapshotId: number,
  reason: string,
): Promise<SnapshotEntry> {
  assertCoordinator(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('report_snapshots')
      .select(['id', 'withdrawn_at'])
      .where('municipality_id', '=', municipalityId)
      .where('id', '=', snapshotId)
      .executeTakeFirst();
    if (!row) throw notFound('公表した報告');
    if (row.withdrawn_at !== null) throw new AppError('CONFLICT', 'この報告はすでに取り下げられています');
    await tx
      .updateTable('report_snapshots')
      .set({ withdrawn_at: now(), withdrawn_by: actor.user.id, withdraw_reason: reason })
      .where('id', '=', snapshotId)
      .execute();
    await audit(tx, actor, {
      municipalityId,
      action: 'withdraw',
      entity: 'report_snapshot',
      entityId: snapshotId,
      detail: { reason },
    });
    return (await snapshotRows(tx, municipalityId)).find((s) => s.id === snapshotId)!;
  });
}

async function snapshotRows(db: DbOrTx, municipalityId: number): Promise<SnapshotEntry[]> {
  const rows = await db
    .selectFrom('report_snapshots as s')
    .innerJoin('plans as p', 'p.id', 's.plan_id')
    .select([
      's.id',
      's.plan_id',
      'p.title as plan_title',
      's.fiscal_year',
      's.layout_name',
      's.title',
      's.as_of',
      's.published_at',
      's.superseded_by',
      's.includes_unapproved',
      's.status_counts',
      's.withdrawn_at',
      's.withdraw_reason',
    ])
    .where('s.municipality_id', '=', municipalityId)
    .orderBy('s.fiscal_year', 'desc')
    .orderBy('s.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    planTitle: r.plan_title,
    fiscalYear: r.fiscal_year,
    layout: r.layout_name,
    title: r.title,
    asOf: r.as_of,
    publishedAt: r.published_at,
    supersededBy: r.superseded_by,
    includesUnapproved: r.includes_unapproved === 1,
    statusCounts: readJson.statusCounts(r.status_counts),
    withdrawnAt: r.withdrawn_at,
    withdrawReason: r.withdraw_reason,
  }));
}

export async function listSnapshots(ctx: AppContext, actor: Actor, municipalityId: number): Promise<SnapshotEntry[]> {
  assertCanRead(actor, municipalityId);
  const rows = await snapshotRows(ctx.db, municipalityId);
  // How far the answers had got is the coordinating section's business, not the council's.
  return readsApprovedOnly(actor) ? rows.map((r) => ({ ...r, statusCounts: {} })) : rows;
}

// ---- the public page: no login, published snapshots only -------------------------------------

export async function publicMunicipality(
  ctx: AppContext,
  code: string,
): Promise<{ id: number; name: string; code: string; era2019: Era2019; snapshots: SnapshotEntry[] }> {
  const m = await ctx.db
    .selectFrom('municipalities')
    .select(['id', 'name', 'code', 'era2019'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!m) throw notFound('自治体');
  return { ...m, era2019: m.era2019, snapshots: await snapshotRows(ctx.db, m.id) };
}

export async function publicSnapshot(
  ctx: AppContext,
  code: string,
  snapshotId: number,
): Promise<{
  municipality: { name: string; code: string };
  entry: SnapshotEntry;
  document: ReportDocument | null;
  history: SnapshotEntry[];
}> {
  const m = await publicMunicipality(ctx, code);
  const entry = m.snapshots.find((s) => s.id === snapshotId);
  if (!entry) throw notFound('公表された報告');
  const history = m.snapshots.filter(
    (s) => s.planId === entry.planId && s.fiscalYear === entry.fiscalYear && s.layout === entry.layout,
  );
  // A withdrawn report's content is not served; the page says when and why it was withdrawn.
  if (entry.withdrawnAt !== null)
    return { municipality: { name: m.name, code: m.code }, entry, document: null, history };
  const row = await ctx.db
    .selectFrom('report_snapshots')
    .select('document')
    .where('id', '=', snapshotId)
    .executeTakeFirstOrThrow();
  return {
    municipality: { name: m.name, code: m.code },
    entry,
    document: readJson.reportDocument(row.document),
    history,
  };
}

export const defaultAsOf = (year: number) => fiscalYearEnd(year);
