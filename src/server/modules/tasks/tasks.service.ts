import type { Task } from '../../../domain/api-types.js';
import { PHASE_LABELS, type RecordStatus } from '../../../domain/cycle.js';
import { daysUntil } from '../../../domain/dates.js';
import { fiscalYearLabel } from '../../../domain/fiscal-year.js';
import type { AppContext } from '../../context.js';
import { toNumber } from '../../db/util.js';
import { AppError } from '../../http/errors.js';
import { sendMail } from '../../mail.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanRead, assertCoordinator, isCoordinatorOf } from '../auth/index.js';
import { requireRound } from '../rounds/index.js';
import { municipalityEra } from '../municipalities/index.js';

/** What needs this user now, most urgent first. */
export async function tasksFor(ctx: AppContext, actor: Actor, municipalityId: number): Promise<Task[]> {
  assertCanRead(actor, municipalityId);
  const era = await municipalityEra(ctx.db, municipalityId);
  const rounds = await ctx.db
    .selectFrom('survey_rounds as r')
    .innerJoin('plans as p', 'p.id', 'r.plan_id')
    .innerJoin('survey_round_departments as d', 'd.round_id', 'r.id')
    .select([
      'r.id',
      'r.plan_id',
      'r.fiscal_year',
      'r.phase',
      'r.deadline',
      'r.status',
      'p.title',
      'd.department_id',
      'd.reopened',
    ])
    .where('r.municipality_id', '=', municipalityId)
    .where((eb) => eb.or([eb('r.status', '=', 'open'), eb('d.reopened', '=', 1)]))
    .execute();
  const label = (r: (typeof rounds)[number]) =>
    `${r.title} ${fiscalYearLabel(r.fiscal_year, era)} ${PHASE_LABELS[r.phase]}`;
  const tasks: Task[] = [];
  const countBy = async (planId: number, fiscalYear: number, statuses: RecordStatus[], departmentId?: number) => {
    let q = ctx.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('plan_id', '=', planId)
      .where('fiscal_year', '=', fiscalYear)
      .where('status', 'in', statuses);
    if (departmentId !== undefined) q = q.where('department_id', '=', departmentId);
    return toNumber((await q.executeTakeFirstOrThrow()).n);
  };

  if (actor.user.role === 'department_editor' || actor.user.role === 'department_viewer') {
    const dept = actor.user.departmentId ?? -1;
    // Also the open sheets of units the department replaced in a reorganisation.
    for (const r of rounds.filter((x) => actor.user.departmentIds.includes(x.department_id))) {
      const link = `/m/${municipalityId}/rounds/${r.id}/departments/${r.department_id}`;
      const open = await countBy(r.plan_id, r.fiscal_year, ['not_started', 'draft'], r.department_id);
      const returned = await countBy(r.plan_id, r.fiscal_year, ['returned'], r.department_id);
      if (open)
        tasks.push({
          kind: 'sheet',
          title: `回答の入力: ${label(r)}`,
          detail: `未提出 ${open}件`,
          link,
          count: open,
          deadline: r.deadline,
          daysLeft: daysUntil(r.deadline),
        });
      if (returned)
        tasks.push({
          kind: 'returned',
          title: `差戻し: ${label(r)}`,
          detail: `修正が必要な回答 ${returned}件`,
          link,
          count: returned,
          deadline: r.deadline,
          daysLeft: daysUntil(r.deadline),
        });
    }
    if (actor.user.role === 'department_editor') {
      const unanswered = await ctx.db
        .selectFrom('council_comments as c')
        .innerJoin('project_departments as pd', 'pd.project_id', 'c.project_id')
        .innerJoin('projects as p', 'p.id', 'c.project_id')
        .select(['c.id', 'c.fiscal_year', 'p.plan_id', 'p.number', 'p.name'])
        .where('c.municipality_id', '=', municipalityId)
        .where('c.parent_id', 'is', null)
        .where('pd.department_id', '=', dept)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('council_comments as a')
                .select('a.id')
                .whereRef('a.parent_id', '=', 'c.id')
                .where('a.department_id', '=', dept),
            ),
          ),
        )
        .execute();
      for (const c of unanswered)
        tasks.push({
          kind: 'council_answer',
          title: `審議会の意見への回答: 事業${c.number}「${c.name}」`,
          detail: `${fiscalYearLabel(c.fiscal_year, era)}の意見`,
          link: `/m/${municipalityId}/council?planId=${c.plan_id}&fiscalYear=${c.fiscal_year}`,
          count: 1,
          deadline: null,
          daysLeft: null,
        });
    }
  } else if (isCoordinatorOf(actor)) {
    const seen = new Set<number>();
    for (const r of rounds) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      const submitted = await countBy(r.plan_id, r.fiscal_year, ['submitted']);
      const pending = await countBy(r.plan_id, r.fiscal_year, ['not_started', 'draft', 'returned']);
      const link = `/m/${municipalityId}/rounds/${r.id}`;
      if (submitted)
        tasks.push({
          kind: 'review',
          title: `確認待ち: ${label(r)}`,
          detail: `提出済みの回答 ${submitted}件`,
          link: `${link}/review?status=submitted`,
          count: submitted,
          deadline: r.deadline,
          daysLeft: daysUntil(r.deadline),
        });
      if (pending)
        tasks.push({
          kind: 'sheet',
          title: `回答の受付中: ${label(r)}`,
          detail: `未提出・差戻し中 ${pending}件`,
          link,
          count: pending,
          deadline: r.deadline,
          daysLeft: daysUntil(r.deadline),
        });
    }
  } else if (actor.user.role === 'council_member') {
    const years = await ctx.db
      .selectFrom('records as r')
      .innerJoin('plans as p', 'p.id', 'r.plan_id')
      .select(['r.plan_id', 'r.fiscal_year', 'p.title', (eb) => eb.fn.count('r.project_id').distinct().as('n')])
      .where('r.municipality_id', '=', municipalityId)
      .where('r.status', '=', 'approved')
      .groupBy(['r.plan_id', 'r.fiscal_year', 'p.title'])
      .orderBy('r.fiscal_year', 'desc')
      .execute();
    for (const y of years)
      tasks.push({
        kind: 'council_review',
        title: `確定した実績: ${y.title} ${fiscalYearLabel(y.fiscal_year, era)}`,
        detail: `事業 ${toNumber(y.n)}件`,
        link: `/m/${municipalityId}/council?planId=${y.plan_id}&fiscalYear=${y.fiscal_year}`,
        count: toNumber(y.n),
        deadline: null,
        daysLeft: null,
      });
  }
  return tasks.sort((a, b) => (a.daysLeft ?? 9999) - (b.daysLeft ?? 9999));
}

/** 督促: e-mails every editor of each department that still has answers to give in this round. */
export async function remindDepartments(ctx: AppContext, actor: Actor, municipalityId: number, roundId: number) {
  assertCoordinator(actor, municipalityId);
  if (!ctx.config.smtp) throw new AppError('CONFLICT', 'メールの送信設定（SMTP_HOST）がないため督促メールを送れません');
  const round = await requireRound(ctx.db, municipalityId, roundId);
  const era = await municipalityEra(ctx.db, municipalityId);
  const mails = [];
  const without: string[] = [];
  for (const d of round.departments) {
    const pending = toNumber(
      (
        await ctx.db
          .selectFrom('records')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('plan_id', '=', round.planId)
          .where('fiscal_year', '=', round.fiscalYear)
          .where('department_id', '=', d.departmentId)
          .where('status', 'in', ['not_started', 'draft', 'returned'])
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (!pending) continue;
    const editors = await ctx.db
      .selectFrom('users')
      .select(['email', 'display_name'])
      .where('department_id', '=', d.departmentId)
      .where('role', '=', 'department_editor')
      .where('active', '=', 1)
      .where('email', '!=', '')
      .execute();
    if (editors.length === 0) without.push(d.name);
    for (const e of editors)
      mails.push({
        to: e.email,
        subject: `【進捗管理】回答のお願い（${round.planTitle} ${fiscalYearLabel(round.fiscalYear, era)}）`,
        text: [
          `${d.name} ${e.display_name} 様`,
          '',
          `「${round.planTitle}」${fiscalYearLabel(round.fiscalYear, era)} ${PHASE_LABELS[round.phase]}の照会について、未提出の回答が${pending}件あります。`,
          `回答期限: ${round.deadline}`,
          '',
          `入力画面: ${ctx.config.appUrl}/m/${municipalityId}/rounds/${round.id}/departments/${d.departmentId}`,
          '',
          'このメールは Shinchoku（進捗管理システム）から送信しています。',
        ].join('\n'),
      });
  }
  const result = await sendMail(ctx.config, mails);
  await audit(ctx.db, actor, {
    municipalityId,
    action: 'remind',
    entity: 'survey_round',
    entityId: roundId,
    detail: { sent: result.sent, failed: result.failed.length, without },
  });
  return { sent: result.sent, failed: result.failed, departmentsWithoutAddress: without };
}
