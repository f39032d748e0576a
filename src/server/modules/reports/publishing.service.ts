import { z } from 'zod';
import type { PublishPreview, SnapshotEntry } from '../../../domain/api-types.js';
import type { RecordStatus } from '../../../domain/cycle.js';
import { todayInJapan } from '../../../domain/fiscal-year.js';
import type { ReportDocument } from '../../../domain/report/build.js';
import { fiscalYear, fiscalYearParam, id } from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { now } from '../../db/util.js';
import { AppError, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanRead, assertCoordinator } from '../auth/index.js';
import { freezeYear } from '../plans/index.js';
import {
  findSnapshotState,
  insertSnapshot,
  listSnapshots as snapshotEntries,
  markWithdrawn,
  planExists,
  recordStatusCounts,
  supersedeEarlier,
} from './reports.repository.js';
import { isoDate, readsApprovedOnly, renderReport } from './reports.service.js';

/** Publishing: a report as it is on a day, stored as an immutable snapshot, listed with its history, withdrawn with a reason. */

export const publishInput = z.object({
  planId: id,
  fiscalYear,
  layout: z.string().trim().min(1, 'レイアウトを選んでください').max(60),
  asOf: isoDate,
  /** answers not yet approved are left out unless the coordinator includes them on purpose (速報) */
  includeUnapproved: z.boolean().default(false),
});
export type PublishInput = z.output<typeof publishInput>;

export const publishPreviewQuery = z.object({
  planId: id,
  fiscalYear: fiscalYearParam,
});

const sum = (counts: Record<RecordStatus, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

export async function publishPreview(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
  fiscalYear: number,
): Promise<PublishPreview> {
  assertCoordinator(actor, municipalityId);
  if (!(await planExists(ctx.db, municipalityId, planId))) throw notFound('計画');
  const counts = await recordStatusCounts(ctx.db, planId, fiscalYear);
  const current = (await snapshotEntries(ctx.db, municipalityId)).filter(
    (s) => s.planId === planId && s.fiscalYear === fiscalYear && s.supersededBy === null && s.withdrawnAt === null,
  );
  return { planId, fiscalYear, statusCounts: counts, total: sum(counts), current };
}

/** What a publication must say about what it holds: the answers it leaves out, or that it is a 速報 including them. */
function publishNotice(
  input: PublishInput,
  counts: Record<RecordStatus, number>,
): { notice: string; preliminary: boolean } {
  const total = sum(counts);
  const unapproved = total - counts.approved;
  if (total === 0) throw new AppError('CONFLICT', 'この年度の回答がまだないため公表できません');
  if (counts.approved === 0 && !input.includeUnapproved)
    throw new AppError(
      'CONFLICT',
      '確定した回答がまだないため公表できません。確定してから公表するか、速報として未確定の回答を含めてください',
    );
  const preliminary = input.includeUnapproved && unapproved > 0;
  const notice = preliminary
    ? `速報（未確定を含む）：確定していない回答${unapproved}件を含みます`
    : unapproved > 0
      ? `確定していない回答${unapproved}件は掲載していません`
      : '';
  return { notice, preliminary };
}

/** The document to publish: approved answers only unless included on purpose; a 速報 says so in its headings. */
async function documentToPublish(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  input: PublishInput,
  { notice, preliminary }: { notice: string; preliminary: boolean },
): Promise<ReportDocument> {
  const doc = await renderReport(
    ctx,
    actor,
    municipalityId,
    { planId: input.planId, fiscalYear: input.fiscalYear, layout: input.layout, asOf: input.asOf },
    { approvedOnly: !input.includeUnapproved, notice },
  );
  if (preliminary) {
    // The printed headings too: a one-sheet report is headed by its sheet's title, not the document's.
    doc.title = `【速報】${doc.title}`;
    for (const sheet of doc.sheets) sheet.title = `【速報】${sheet.title}`;
  }
  return doc;
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
  input: PublishInput,
): Promise<SnapshotEntry> {
  assertCoordinator(actor, municipalityId);
  // A public report says what it contains as of a day: never one still to come.
  if (input.asOf > todayInJapan(ctx.clock?.() ?? new Date())) throw invalid('asOf', '今日より後の日付は指定できません');
  const counts = await recordStatusCounts(ctx.db, input.planId, input.fiscalYear);
  const notice = publishNotice(input, counts);
  await ctx.db.transaction().execute((tx) => freezeYear(tx, municipalityId, input.planId, input.fiscalYear));
  const doc = await documentToPublish(ctx, actor, municipalityId, input, notice);
  return ctx.db.transaction().execute(async (tx) => {
    const snapshotId = await insertSnapshot(tx, {
      municipality_id: municipalityId,
      plan_id: input.planId,
      fiscal_year: input.fiscalYear,
      layout_name: input.layout,
      title: doc.title,
      as_of: input.asOf,
      document: JSON.stringify(doc),
      published_at: now(),
      published_by: actor.user.id,
      superseded_by: null,
      includes_unapproved: notice.preliminary ? 1 : 0,
      status_counts: JSON.stringify(counts),
    });
    await supersedeEarlier(tx, {
      municipalityId,
      planId: input.planId,
      fiscalYear: input.fiscalYear,
      layout: input.layout,
      snapshotId,
    });
    const { planId, fiscalYear, layout, asOf, includeUnapproved } = input;
    await audit(tx, actor, {
      municipalityId,
      action: 'publish',
      entity: 'report_snapshot',
      entityId: snapshotId,
      detail: { planId, fiscalYear, layout, asOf, includeUnapproved, statusCounts: counts },
    });
    return (await snapshotEntries(tx, municipalityId)).find((s) => s.id === snapshotId)!;
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
    const row = await findSnapshotState(tx, municipalityId, snapshotId);
    if (!row) throw notFound('公表した報告');
    if (row.withdrawn_at !== null) throw new AppError('CONFLICT', 'この報告はすでに取り下げられています');
    await markWithdrawn(tx, snapshotId, actor.user.id, reason);
    await audit(tx, actor, {
      municipalityId,
      action: 'withdraw',
      entity: 'report_snapshot',
      entityId: snapshotId,
      detail: { reason },
    });
    return (await snapshotEntries(tx, municipalityId)).find((s) => s.id === snapshotId)!;
  });
}

export async function listSnapshots(ctx: AppContext, actor: Actor, municipalityId: number): Promise<SnapshotEntry[]> {
  assertCanRead(actor, municipalityId);
  const rows = await snapshotEntries(ctx.db, municipalityId);
  // How far the answers had got is the coordinating section's business, not the council's.
  return readsApprovedOnly(actor) ? rows.map((r) => ({ ...r, statusCounts: {} })) : rows;
}
