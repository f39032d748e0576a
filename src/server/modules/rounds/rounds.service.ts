import { municipalityEra } from '../municipalities/index.js';
import { fiscalYearLabel } from '../../../domain/fiscal-year.js';
import type { z } from 'zod';
import type {
  AddedRecordsResponse,
  BoardResponse,
  MissingRecord,
  RecordDto,
  RoundDto,
} from '../../../domain/api-types.js';
import { perRecordStatus, type roundInput } from '../../../domain/cycle.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanRead, assertCoordinator, isCoordinatorOf } from '../auth/index.js';
import { assertPlanNotArchived, requirePlan, rowInYear, bumpPlan } from '../plans/index.js';
import { insertRecords, loadRecords, writeHistory } from '../records/index.js';
import { actingDepartments, applyDueReorganisations } from '../departments/index.js';
import { isActiveIn } from '../../../domain/department.js';
import * as repo from './rounds.repository.js';
import { read, readOne, type Read } from '../../db/reads.js';

async function loadRounds(
  db: DbOrTx,
  municipalityId: number,
  where: { id?: number; planId?: number },
): Promise<RoundDto[]> {
  const rounds = await repo.listRoundRows(db, municipalityId, where);
  if (rounds.length === 0) return [];
  return roundDtos(
    rounds,
    await repo.listRoundDepartmentRows(
      db,
      rounds.map((r) => r.id),
    ),
  );
}

function roundDtos(
  rounds: Awaited<ReturnType<typeof repo.listRoundRows>>,
  deps: Awaited<ReturnType<typeof repo.listRoundDepartmentRows>>,
): RoundDto[] {
  return rounds.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    planTitle: r.plan_title,
    fiscalYear: r.fiscal_year,
    phase: r.phase,
    deadline: r.deadline,
    instructions: r.instructions,
    status: r.status,
    departments: deps
      .filter((d) => d.round_id === r.id)
      .map((d) => ({ departmentId: d.department_id, name: d.name, reopened: d.reopened === 1 })),
    createdAt: r.created_at,
    closedAt: r.closed_at,
  }));
}

export async function requireRound(db: DbOrTx, municipalityId: number, roundId: number): Promise<RoundDto> {
  return readOne(db, roundRead(db, municipalityId, roundId));
}

/** One round with the departments it asks, as a read that can share its round trip (not found: 404). */
export function roundRead(db: DbOrTx, municipalityId: number, roundId: number): Read<RoundDto> {
  return read(
    [repo.roundRowsQuery(db, municipalityId, { id: roundId }), repo.roundDepartmentsQuery(db, [roundId])],
    ([rounds, deps]) => {
      const r = roundDtos(rounds, deps)[0];
      if (!r) throw notFound('照会');
      return r;
    },
  );
}

export async function listRounds(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId?: number,
): Promise<RoundDto[]> {
  assertCanRead(actor, municipalityId);
  const rounds = await loadRounds(ctx.db, municipalityId, { planId });
  if (isCoordinatorOf(actor)) return rounds;
  // A department sees the rounds that ask it something.
  return rounds.filter((r) => r.departments.some((d) => actor.user.departmentIds.includes(d.departmentId)));
}

/**
 * Opens a round. Reorganisations effective in its year (or earlier) take effect first. Then every
 * project that applies in the year gets a record for each of its departments the round covers, its
 * 事業予定 taken from last year's 翌年度予定 (of the same department, or of the one it replaced), and
 * each indicator without a target for the year carries last year's target forward. Records left
 * from an earlier phase of the same year open again for answers; they stay with the department
 * that answered them, whatever has been reorganised since.
 */
export async function openRound(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  input: z.output<typeof roundInput>,
): Promise<RoundDto> {
  assertCoordinator(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    await checkOpening(tx, actor, municipalityId, input);
    const t = now();
    const roundId = await repo.insertRound(tx, {
      municipalityId,
      planId: input.planId,
      fiscalYear: input.fiscalYear,
      phase: input.phase,
      deadline: input.deadline,
      instructions: input.instructions,
      departmentIds: input.departmentIds,
      createdAt: t,
    });
    const existing = await loadRecords(tx, municipalityId, { planId: input.planId, fiscalYear: input.fiscalYear });
    await reopenEarlierPhase(tx, actor, municipalityId, input, existing, t);
    await createYearRecords(tx, actor, municipalityId, input, existing, t);
    await repo.carryTargetsForward(tx, input.planId, input.fiscalYear);
    await bumpPlan(tx, input.planId);
    await audit(tx, actor, {
      municipalityId,
      action: 'open',
      entity: 'survey_round',
      entityId: roundId,
      detail: input,
    });
    return requireRound(tx, municipalityId, roundId);
  });
}

type RoundInput = z.output<typeof roundInput>;

/**
 * Whether the round may open: a live plan, the year in its period, no other open round, and
 * departments that exist in the year (after the year's reorganisations have taken effect).
 */
async function checkOpening(tx: DbOrTx, actor: Actor, municipalityId: number, input: RoundInput): Promise<void> {
  const plan = await requirePlan(tx, municipalityId, input.planId);
  if (plan.archived_at !== null)
    throw conflict('アーカイブした計画では照会を始められません。先に計画を復元してください');
  if (input.fiscalYear < plan.first_year || input.fiscalYear > plan.last_year)
    throw invalid('fiscalYear', `計画期間（${plan.first_year}〜${plan.last_year}年度）内の年度を指定してください`);
  if (await repo.hasOpenRound(tx, input.planId))
    throw conflict('この計画には回答受付中の照会があります。先にその照会を締め切ってください');
  await applyDueReorganisations(tx, actor, municipalityId, input.fiscalYear);
  const depts = await repo.listDepartmentsByIds(tx, municipalityId, input.departmentIds);
  if (depts.length !== new Set(input.departmentIds).size)
    throw invalid('departmentIds', 'この自治体の課を選んでください');
  const gone = depts.find((d) => !isActiveIn({ activeFrom: d.active_from, activeTo: d.active_to }, input.fiscalYear));
  if (gone)
    throw invalid(
      'departmentIds',
      `「${gone.name}」は${input.fiscalYear}年度には存続していません（組織変更を確認してください）`,
    );
}

/** Records of the year left from an earlier phase, submitted or approved, take answers again. */
async function reopenEarlierPhase(
  tx: DbOrTx,
  actor: Actor,
  municipalityId: number,
  input: RoundInput,
  existing: RecordDto[],
  t: string,
): Promise<void> {
  const live = await repo.liveProjectIds(tx, input.planId);
  for (const record of existing) {
    if (!input.departmentIds.includes(record.departmentId) || !live.has(record.projectId)) continue;
    if (record.status !== 'submitted' && record.status !== 'approved') continue;
    await repo.reopenRecord(tx, record.id, record.version, t);
    const after = (
      await loadRecords(tx, municipalityId, { planId: input.planId, fiscalYear: input.fiscalYear, ids: [record.id] })
    )[0]!;
    await writeHistory(
      tx,
      actor,
      municipalityId,
      record,
      after,
      'reopen',
      `照会（${input.phase}）の開始により再び入力可能になりました`,
    );
  }
}

/**
 * A record for each assignment of the covered departments to a project that applies in the year
 * and has none yet, its 事業予定 carried from last year's 翌年度予定 (of the same department, or of
 * the one it replaced).
 */
async function createYearRecords(
  tx: DbOrTx,
  actor: Actor,
  municipalityId: number,
  input: RoundInput,
  existing: RecordDto[],
  t: string,
): Promise<void> {
  const assignments = await repo.listAssignments(tx, input.planId, input.departmentIds);
  const previous = await loadRecords(tx, municipalityId, { planId: input.planId, fiscalYear: input.fiscalYear - 1 });
  const lineage = new Map<number, number[]>();
  for (const d of input.departmentIds) lineage.set(d, await actingDepartments(tx, municipalityId, d));
  const fresh = assignments.filter(
    (a) =>
      rowInYear(a, input.fiscalYear) &&
      !existing.some((r) => r.projectId === a.project_id && r.departmentId === a.department_id),
  );
  const carried = fresh.map((a) => {
    const own = lineage.get(a.department_id) ?? [a.department_id];
    const last = own
      .map((d) => previous.find((r) => r.projectId === a.project_id && r.departmentId === d))
      .find((r) => r !== undefined);
    return { a, planText: last?.nextYearPlan ?? '' };
  });
  const ids = await insertRecords(
    tx,
    carried.map(({ a, planText }) => ({
      municipalityId,
      planId: input.planId,
      projectId: a.project_id,
      departmentId: a.department_id,
      fiscalYear: input.fiscalYear,
      isLead: a.is_lead === 1,
      position: a.position,
      planText,
    })),
    t,
  );
  const withText = ids.filter((_, i) => carried[i]!.planText !== '');
  for (const created of await loadRecords(tx, municipalityId, {
    planId: input.planId,
    fiscalYear: input.fiscalYear,
    ids: withText,
  }))
    await writeHistory(
      tx,
      actor,
      municipalityId,
      null,
      created,
      'rollover',
      `${fiscalYearLabel(input.fiscalYear - 1, await municipalityEra(tx, municipalityId))}の翌年度予定から引き継ぎました`,
    );
}

export async function closeRound(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
): Promise<RoundDto> {
  assertCoordinator(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const round = await requireRound(tx, municipalityId, roundId);
    if (round.status === 'closed' && !round.departments.some((d) => d.reopened))
      throw conflict('この照会はすでに締め切られています');
    await repo.closeRoundRow(tx, roundId);
    await bumpPlan(tx, round.planId);
    await audit(tx, actor, { municipalityId, action: 'close', entity: 'survey_round', entityId: roundId });
    return requireRound(tx, municipalityId, roundId);
  });
}

/** After the deadline, one department may answer again until the round is closed once more. */
export async function reopenForDepartment(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
  departmentId: number,
): Promise<RoundDto> {
  assertCoordinator(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const round = await requireRound(tx, municipalityId, roundId);
    await assertPlanNotArchived(tx, round.planId);
    if (!round.departments.some((d) => d.departmentId === departmentId))
      throw invalid('departmentId', 'この照会の対象ではない課です');
    if (round.status === 'open') throw conflict('この照会はまだ回答受付中です');
    if (await repo.hasOpenRound(tx, round.planId)) throw conflict('この計画には回答受付中の別の照会があります');
    await repo.setReopened(tx, roundId, departmentId);
    await bumpPlan(tx, round.planId);
    await audit(tx, actor, {
      municipalityId,
      action: 'reopen',
      entity: 'survey_round',
      entityId: roundId,
      detail: { departmentId },
    });
    return requireRound(tx, municipalityId, roundId);
  });
}

export async function roundBoard(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
): Promise<BoardResponse> {
  assertCoordinator(actor, municipalityId);
  const round = await requireRound(ctx.db, municipalityId, roundId);
  const records = await repo.listRecordStatuses(ctx.db, round.planId, round.fiscalYear);
  const rows = round.departments.map((d) => {
    const counts = perRecordStatus(() => 0);
    for (const r of records) if (r.department_id === d.departmentId) counts[r.status]++;
    return {
      departmentId: d.departmentId,
      name: d.name,
      reopened: d.reopened,
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
    };
  });
  const missing = round.status === 'open' ? await missingRecords(ctx.db, municipalityId, round) : [];
  return { round, rows, missing, mailConfigured: ctx.config.smtp !== null };
}

/**
 * The answers an open round lacks: each assignment of a live project that applies in the round's year
 * to a 課 that exists in it, without a record of the year — a project added after the round opened in a
 * way that did not give it its records (an import, a restore), or given to a 課 the round does not ask.
 */
async function missingRecords(db: DbOrTx, municipalityId: number, round: RoundDto): Promise<MissingRecord[]> {
  const existing = await loadRecords(db, municipalityId, { planId: round.planId, fiscalYear: round.fiscalYear });
  const has = new Set(existing.map((r) => `${r.projectId}:${r.departmentId}`));
  const covered = new Set(round.departments.map((d) => d.departmentId));
  return (await repo.listPlanAssignments(db, round.planId))
    .filter(
      (a) =>
        rowInYear(a, round.fiscalYear) &&
        isActiveIn({ activeFrom: a.active_from, activeTo: a.active_to }, round.fiscalYear) &&
        !has.has(`${a.project_id}:${a.department_id}`),
    )
    .map((a) => ({
      projectId: a.project_id,
      number: a.number,
      name: a.name,
      departmentId: a.department_id,
      departmentName: a.department_name,
      asked: covered.has(a.department_id),
    }))
    .sort((x, y) => x.number.localeCompare(y.number, 'ja', { numeric: true }) || x.departmentId - y.departmentId);
}

/**
 * Adds to the open round the answers it lacks (see missingRecords), as opening it would have made them:
 * 事業予定 from last year's 翌年度予定, last year's targets carried where the year has none; a 課 the
 * round did not ask is asked from now on. Adding again adds nothing.
 */
export async function addMissingRecords(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
): Promise<AddedRecordsResponse> {
  assertCoordinator(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const round = await requireRound(tx, municipalityId, roundId);
    await assertPlanNotArchived(tx, round.planId);
    if (round.status !== 'open') throw conflict('締め切った照会には回答欄を追加できません');
    const added = await missingRecords(tx, municipalityId, round);
    if (added.length === 0) return { added };
    const newDepartments = [...new Set(added.filter((a) => !a.asked).map((a) => a.departmentId))];
    await repo.addRoundDepartments(tx, municipalityId, roundId, newDepartments);
    const input = {
      planId: round.planId,
      fiscalYear: round.fiscalYear,
      phase: round.phase,
      deadline: round.deadline,
      instructions: round.instructions,
      departmentIds: [...new Set(added.map((a) => a.departmentId))],
    };
    const existing = await loadRecords(tx, municipalityId, { planId: round.planId, fiscalYear: round.fiscalYear });
    await createYearRecords(tx, actor, municipalityId, input, existing, now());
    await repo.carryTargetsForward(tx, round.planId, round.fiscalYear);
    await bumpPlan(tx, round.planId);
    await audit(tx, actor, {
      municipalityId,
      action: 'add_records',
      entity: 'survey_round',
      entityId: roundId,
      detail: {
        records: added.map((a) => ({ projectId: a.projectId, departmentId: a.departmentId })),
        departmentsAdded: newDepartments,
      },
    });
    return { added };
  });
}
