import type { Task } from '../../../domain/api-types.js';
import { PHASE_LABELS } from '../../../domain/cycle.js';
import { daysUntil } from '../../../domain/dates.js';
import { fiscalYearLabel, type Era2019 } from '../../../domain/fiscal-year.js';
import { mayEnterSlot, mayRemarkInCouncil } from '../../../domain/policy.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/errors.js';
import { sendMail } from '../../mail.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanRead, assertCoordinator, isCoordinatorOf, isDepartmentUser } from '../auth/index.js';
import {
  countRecords,
  listAnsweringRounds,
  listApprovedYears,
  listEditorsWithEmail,
  listUnansweredRemarks,
  type AnsweringRound,
} from './tasks.repository.js';
import { requireRound } from '../rounds/index.js';
import { municipalityEra } from '../municipalities/index.js';
import { evaluatePlanYear } from '../evaluations/index.js';

/** What needs this user now, most urgent first. */
export async function tasksFor(ctx: AppContext, actor: Actor, municipalityId: number): Promise<Task[]> {
  assertCanRead(actor, municipalityId);
  const era = await municipalityEra(ctx.db, municipalityId);
  const rounds = await listAnsweringRounds(ctx.db, municipalityId);
  const at = { ctx, municipalityId, era };
  let tasks: Task[] = [];
  if (isDepartmentUser(actor)) tasks = await departmentTasks(at, actor, rounds);
  else if (isCoordinatorOf(actor))
    tasks = [...(await coordinatorTasks(at, rounds)), ...(await evaluationTasks(at, actor))];
  else if (mayRemarkInCouncil(actor.user)) tasks = [...(await councilTasks(at)), ...(await evaluationTasks(at, actor))];
  else if (actor.user.role === 'committee_member') tasks = await evaluationTasks(at, actor);
  return tasks.sort((a, b) => (a.daysLeft ?? 9999) - (b.daysLeft ?? 9999));
}

interface TaskScope {
  ctx: AppContext;
  municipalityId: number;
  era: Era2019;
}

const roundLabel = (r: AnsweringRound, era: Era2019) =>
  `${r.title} ${fiscalYearLabel(r.fiscal_year, era)} ${PHASE_LABELS[r.phase]}`;

const due = (r: AnsweringRound) => ({ deadline: r.deadline, daysLeft: daysUntil(r.deadline) });

/** A department's open and returned sheets (also of units it replaced), and remarks it has not answered. */
async function departmentTasks(at: TaskScope, actor: Actor, rounds: AnsweringRound[]): Promise<Task[]> {
  const { ctx, municipalityId, era } = at;
  const tasks: Task[] = [];
  for (const r of rounds.filter((x) => actor.user.departmentIds.includes(x.department_id))) {
    const link = `/m/${municipalityId}/rounds/${r.id}/departments/${r.department_id}`;
    const open = await countRecords(ctx.db, r.plan_id, r.fiscal_year, ['not_started', 'draft'], r.department_id);
    const returned = await countRecords(ctx.db, r.plan_id, r.fiscal_year, ['returned'], r.department_id);
    const label = roundLabel(r, era);
    if (open)
      tasks.push({
        kind: 'sheet',
        title: `回答の入力: ${label}`,
        detail: `未提出 ${open}件`,
        link,
        count: open,
        ...due(r),
      });
    if (returned)
      tasks.push({
        kind: 'returned',
        title: `差戻し: ${label}`,
        detail: `修正が必要な回答 ${returned}件`,
        link,
        count: returned,
        ...due(r),
      });
  }
  if (actor.user.role !== 'department_editor') return tasks;
  for (const c of await listUnansweredRemarks(ctx.db, municipalityId, actor.user.departmentId ?? -1))
    tasks.push({
      kind: 'council_answer',
      title: `審議会の意見への回答: 事業${c.number}「${c.name}」`,
      detail: `${fiscalYearLabel(c.fiscal_year, era)}の意見`,
      link: `/m/${municipalityId}/council?planId=${c.plan_id}&fiscalYear=${c.fiscal_year}`,
      count: 1,
      deadline: null,
      daysLeft: null,
    });
  return tasks;
}

/** Per open round: answers waiting for review, and answers still to come. */
async function coordinatorTasks(at: TaskScope, rounds: AnsweringRound[]): Promise<Task[]> {
  const { ctx, municipalityId, era } = at;
  const tasks: Task[] = [];
  const seen = new Set<number>();
  for (const r of rounds) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    const submitted = await countRecords(ctx.db, r.plan_id, r.fiscal_year, ['submitted']);
    const pending = await countRecords(ctx.db, r.plan_id, r.fiscal_year, ['not_started', 'draft', 'returned']);
    const link = `/m/${municipalityId}/rounds/${r.id}`;
    const label = roundLabel(r, era);
    if (submitted)
      tasks.push({
        kind: 'review',
        title: `確認待ち: ${label}`,
        detail: `提出済みの回答 ${submitted}件`,
        link: `${link}/review?status=submitted`,
        count: submitted,
        ...due(r),
      });
    if (pending)
      tasks.push({
        kind: 'sheet',
        title: `回答の受付中: ${label}`,
        detail: `未提出・差戻し中 ${pending}件`,
        link,
        count: pending,
        ...due(r),
      });
  }
  return tasks;
}

/** The years whose answers are approved, for the council to read. */
async function councilTasks(at: TaskScope): Promise<Task[]> {
  const { ctx, municipalityId, era } = at;
  return (await listApprovedYears(ctx.db, municipalityId)).map((y) => ({
    kind: 'council_review',
    title: `確定した実績: ${y.title} ${fiscalYearLabel(y.fiscalYear, era)}`,
    detail: `事業 ${y.projects}件`,
    link: `/m/${municipalityId}/council?planId=${y.planId}&fiscalYear=${y.fiscalYear}`,
    count: y.projects,
    deadline: null,
    daysLeft: null,
  }));
}

/** The node and plan slots of an approved year this user enters, with how many subjects still lack a value. */
async function evaluationTasks(at: TaskScope, actor: Actor): Promise<Task[]> {
  const { ctx, municipalityId, era } = at;
  const tasks: Task[] = [];
  for (const y of await listApprovedYears(ctx.db, municipalityId)) {
    const { config, evaluations } = await evaluatePlanYear(ctx.db, y.planId, y.fiscalYear, { approvedOnly: true });
    const mine = config.slots.filter(
      (s) =>
        (s.subject === 'node' || s.subject === 'plan') &&
        s.enteredBy !== 'computed' &&
        mayEnterSlot(actor.user, s.enteredBy, municipalityId),
    );
    for (const slot of mine) {
      const missing = evaluations.of(slot.key).filter((v) => v.code === null && v.comment === '').length;
      if (missing === 0) continue;
      tasks.push({
        kind: 'evaluation',
        title: `${slot.name}の入力: ${y.title} ${fiscalYearLabel(y.fiscalYear, era)}`,
        detail: `未入力 ${missing}件`,
        link: `/m/${municipalityId}/evaluations/${y.planId}/${y.fiscalYear}`,
        count: missing,
        deadline: null,
        daysLeft: null,
      });
    }
  }
  return tasks;
}

/** 督促: e-mails every editor of each department that still has answers to give in this round. */
export async function remindDepartments(ctx: AppContext, actor: Actor, municipalityId: number, roundId: number) {
  assertCoordinator(actor, municipalityId);
  if (!ctx.config.smtp)
    throw new AppError(
      'CONFLICT',
      'メールの送信が設定されていないため、督促メールを送れません。システム管理者に設定を依頼してください',
    );
  const round = await requireRound(ctx.db, municipalityId, roundId);
  const era = await municipalityEra(ctx.db, municipalityId);
  const mails = [];
  const without: string[] = [];
  for (const d of round.departments) {
    const pending = await countRecords(
      ctx.db,
      round.planId,
      round.fiscalYear,
      ['not_started', 'draft', 'returned'],
      d.departmentId,
    );
    if (!pending) continue;
    const editors = await listEditorsWithEmail(ctx.db, d.departmentId);
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
