import type {
  ActualDto,
  AnswerEntryDto,
  HistoryEntry,
  HistoryVersion,
  RecordComment,
  RecordHistoryResponse,
  RecordDto,
  ReviewResult,
  ReviewRow,
  ReviewTable,
} from '../../../domain/api-types.js';
import {
  bulkReviewInput,
  departmentMayEdit,
  readActual,
  submitProblems,
  undoReviewInput,
  type Phase,
  type RecordSaveInput,
} from '../../../domain/cycle.js';
import type { z } from 'zod';
import { nodePathLabel } from '../../../domain/tree.js';
import {
  treeOrder,
  yearStructure,
  bumpAnsweringDepartments,
  bumpProject,
  bumpPlan,
  freezeYear,
  checkedValues,
  recordFieldsOf,
} from '../plans/index.js';
import { requireRound } from '../rounds/index.js';
import { now } from '../../db/util.js';
import { parseValue } from '../../../domain/values.js';
import { sameEntryValue, slotScale, type EvaluationConfig } from '../../../domain/evaluation/index.js';
import {
  answerChecks,
  configOfYear,
  evaluateAnswer,
  evaluatePlanYear,
  missingRequired,
  saveAnswerEntries,
} from '../evaluations/index.js';
import type { AppContext } from '../../context.js';
import { mayCommentOnRecords } from '../../../domain/policy.js';
import type { DbOrTx } from '../../db/types.js';
import { sentWithNext } from '../../db/tenant.js';
import { AppError, conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import {
  type Actor,
  assertCanRead,
  assertCanReadDepartment,
  assertCanWriteDepartment,
  assertCoordinator,
  isCoordinatorOf,
} from '../auth/index.js';
import { findRecordRow, loadRecordById, loadRecords, snapshot, type RecordRow } from './records.repository.js';
import * as repo from './records.repository.js';
import { diffSnapshots } from './record-fields.js';
import { groupSaves } from './history-versions.js';
import { readJson } from '../../db/json.js';
import { known, read, readOne, type Read } from '../../db/reads.js';

export function roundClosed(): AppError {
  return new AppError(
    'CONFLICT',
    'この年度の照会は締め切られているため、入力できません。計画所管課にお問い合わせください',
  );
}

/** The round through which a department answers for this plan and year now, if any. */
export async function activeRoundFor(db: DbOrTx, planId: number, fiscalYear: number, departmentId: number) {
  return repo.findActiveRound(db, planId, fiscalYear, departmentId);
}

export async function writeHistory(
  db: DbOrTx,
  actor: Actor | null,
  municipalityId: number,
  before: RecordDto | null,
  after: RecordDto,
  action: HistoryEntry['action'],
  message = '',
): Promise<void> {
  await repo.insertHistory(db, {
    municipality_id: municipalityId,
    record_id: after.id,
    version: after.version,
    user_id: actor?.user.id ?? null,
    actor_name: actor?.user.displayName ?? '',
    action,
    before: JSON.stringify(before ? snapshot(before) : {}),
    after: JSON.stringify(snapshot(after)),
    message,
    created_at: now(),
  });
}

function requireRecord<R extends RecordRow>(row: R | undefined): R {
  if (!row) throw notFound('回答');
  return row;
}

/**
 * Saves a department's answer for one project. The caller sends the version it edited; when the
 * record has moved on since, nothing is written and the current version comes back with the 409,
 * so that two people never overwrite each other silently.
 */
export async function saveRecord(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  recordId: number,
  input: RecordSaveInput,
): Promise<RecordDto> {
  return ctx.db.transaction().execute((tx) => saveRecordIn(tx, actor, municipalityId, recordId, input));
}

/** saveRecord inside a transaction the caller owns, so that several saves stand or fall together. */
export async function saveRecordIn(
  tx: DbOrTx,
  actor: Actor,
  municipalityId: number,
  recordId: number,
  input: RecordSaveInput,
): Promise<RecordDto> {
  // Another municipality's user is refused before anything is looked up (its records are not theirs to find).
  assertCanRead(actor, municipalityId);
  // The row, its last editor and whether a round asks for it, in one statement: an autosave comes every second.
  const found = requireRecord(await repo.findRecordToSave(tx, municipalityId, recordId));
  const { updated_by_name: lastEditor, asked, actuals, entries, ...row } = found;
  assertCanWriteDepartment(actor, municipalityId, row.department_id);
  if (!asked) throw roundClosed();
  assertEditable(actor, row.status);
  const before = repo.toRecordDto(row, lastEditor, actuals, entries);
  if (input.version !== row.version)
    throw new AppError(
      'CONFLICT',
      `${before.updatedByName ?? '他の利用者'}さんがこの回答を先に保存しました。最新の内容を確認してから、もう一度入力してください`,
      [{ field: 'version', label: '版', message: '他の利用者が先に保存しました' }],
      { current: before },
    );
  await checkChoices(tx, row, input);
  const { sentActuals, sentEntries } = changedParts(input, actuals, entries);
  const actualRows = sentActuals.length ? await actualRowsOf(tx, municipalityId, row, sentActuals) : [];
  // The extra fields sent as stored are kept as they are, unread against the plan's fields.
  const custom =
    input.custom === undefined || JSON.stringify(input.custom) === row.custom
      ? row.custom
      : JSON.stringify(checkedValues(await recordFieldsOf(tx, row.plan_id), 'record', input.custom));

  const change = {
    plan_text: input.planText,
    result_text: input.resultText,
    remarks: input.remarks,
    next_year_plan: input.nextYearPlan,
    same_as_department_id: input.sameAsDepartmentId,
    custom,
    status: row.status === 'not_started' ? 'draft' : row.status,
    version: row.version + 1,
    updated_at: now(),
    updated_by: actor.user.id,
  } satisfies repo.AnswerChange;
  const saved: RecordRow = { ...row, ...change };
  // The row was read locked for this transaction (PostgreSQL) or in SQLite's one transaction at a time, so it is
  // still at the version read: the update goes with the transaction's next statement, its version check a
  // second wall.
  if (!(await sentWithNext(() => repo.updateReadRecord(tx, recordId, row.version, change))))
    throw conflict('他の利用者がこの回答を同時に保存しました。再読み込みしてからもう一度入力してください');
  for (const a of actualRows) await sentWithNext(() => repo.replaceActual(tx, a));
  // Evaluations are entered in their round's phase (a slot of another phase's round is refused if changed).
  // All of them, when one changed: an override is checked against what the actuals now compute.
  if (sentEntries.length > 0)
    await saveAnswerEntries(
      tx,
      actor,
      {
        municipalityId,
        planId: row.plan_id,
        fiscalYear: row.fiscal_year,
        projectId: row.project_id,
        departmentId: row.department_id,
        phases: await repo.activePhases(tx, row.plan_id, row.fiscal_year, row.department_id),
      },
      input.entries,
    );
  // The sheets' counters, the history and the audit row go with the transaction's next statement or its
  // COMMIT (PostgreSQL): an autosave comes every second from everyone at a deadline.
  await sentWithNext(() => bumpAnswer(tx, municipalityId, row));
  // The record as saved: the row as the update left it; actuals and entries read again only when the save wrote some.
  const changed = await repo.recordParts(tx, municipalityId, saved, {
    actuals: actualRows.length > 0,
    entries: sentEntries.length > 0,
  });
  const after = repo.toRecordDto(saved, actor.user.displayName, changed.actuals ?? actuals, changed.entries ?? entries);
  await sentWithNext(async () => {
    await writeHistory(tx, actor, municipalityId, before, after, 'save');
    await audit(tx, actor, {
      municipalityId,
      action: 'save',
      entity: 'record',
      entityId: recordId,
      detail: { version: after.version },
    });
  });
  return after;
}

/** A department edits before submitting or after a return; the coordinating section until approval. */
function assertEditable(actor: Actor, status: RecordRow['status']): void {
  const coordinator = isCoordinatorOf(actor);
  if (!coordinator && !departmentMayEdit(status))
    throw conflict(
      status === 'approved'
        ? 'この回答は確定済みのため編集できません'
        : 'この回答は提出済みのため編集できません。修正が必要な場合は計画所管課に差戻しを依頼してください',
    );
  if (coordinator && status === 'approved')
    throw conflict('この回答は確定済みのため編集できません。差戻してから修正してください');
}

/** 「○○課に同じ」 names another department of the project (checked when it changes). */
async function checkChoices(tx: DbOrTx, row: RecordRow, input: RecordSaveInput): Promise<void> {
  if (input.sameAsDepartmentId !== null && input.sameAsDepartmentId !== row.same_as_department_id) {
    if (input.sameAsDepartmentId === row.department_id) throw invalid('sameAsDepartmentId', '自分の課は選べません');
    if (!(await repo.isAssignedToProject(tx, row.project_id, input.sameAsDepartmentId)))
      throw invalid('sameAsDepartmentId', 'この事業を担当する他の課を選んでください');
  }
}

/**
 * The actuals and entries a save changes. What the sheet sends back as it was read is left alone, as it is (a
 * save never fails on what it did not change): an autosave sends every actual and entry of the answer each
 * time, most of them unchanged.
 */
function changedParts(
  input: RecordSaveInput,
  actuals: ActualDto[],
  entries: AnswerEntryDto[],
): { sentActuals: RecordSaveInput['actuals']; sentEntries: RecordSaveInput['entries'] } {
  return {
    sentActuals: input.actuals.filter(
      (a) =>
        !sameActual(
          a,
          actuals.find((x) => x.indicatorId === a.indicatorId),
        ),
    ),
    sentEntries: input.entries.filter(
      (e) =>
        !sameEntryValue(
          entries.find(
            (x) => x.slotKey === e.slotKey && x.subjectKind === e.subjectKind && x.subjectId === e.subjectId,
          ),
          e,
        ),
    ),
  };
}

/** Whether an actual is sent as it is stored: the same text, status, reason and parts. */
function sameActual(sent: RecordSaveInput['actuals'][number], stored: ActualDto | undefined): boolean {
  return (
    stored !== undefined &&
    sent.text === stored.text &&
    sent.status === stored.status &&
    sent.reason.trim() === stored.reason &&
    sent.parts.length === stored.parts.length &&
    sent.parts.every((p, i) => p.label === stored.parts[i]!.label && p.text.trim() === stored.parts[i]!.text)
  );
}

/** The indicator actuals of a save as stored, each read by its indicator's kind. */
async function actualRowsOf(
  tx: DbOrTx,
  municipalityId: number,
  row: RecordRow,
  actuals: RecordSaveInput['actuals'],
): Promise<repo.ActualValues[]> {
  const indicators = await repo.listApplicableIndicators(tx, row.project_id, row.department_id, row.fiscal_year);
  return actuals.map((a) => {
    const ind = indicators.find((i) => i.id === a.indicatorId);
    if (!ind) throw invalid(`actuals.${a.indicatorId}`, 'この年度のこの事業・課の活動指標ではありません');
    const read = readActual(a, ind.kind, ind.unit);
    if (read.error) {
      // Named by the indicator, as the sheet shows it: 「講座開催回数」の実績は数値で入力してください（…）
      const label = `「${ind.name}」の実績`;
      const message =
        ind.kind === 'flag'
          ? `${label}は○（実施）、×（未実施）、—（該当なし）のいずれかで入力してください`
          : read.error.includes('数値として読めません')
            ? `${label}は数値で入力してください（${read.error}）`
            : `${label}：${read.error}`;
      throw invalid(`actuals.${a.indicatorId}`, message, label);
    }
    const parts = a.parts.map((p) => {
      const v = parseValue(p.text);
      return { label: p.label, value: v.kind === 'number' ? v.value : null, text: p.text.trim() };
    });
    return {
      municipality_id: municipalityId,
      indicator_id: ind.id,
      department_id: row.department_id,
      fiscal_year: row.fiscal_year,
      value: read.value,
      text: read.text,
      status: read.status,
      reason: a.reason.trim(),
      parts: JSON.stringify(parts),
    };
  });
}

/**
 * A change to an answer shows on the sheets of the departments answering its project, and on no other; on
 * those, only the project's line is built again.
 */
async function bumpAnswer(
  tx: DbOrTx,
  municipalityId: number,
  row: { plan_id: number; project_id: number; fiscal_year: number },
): Promise<void> {
  await bumpAnsweringDepartments(
    tx,
    { municipalityId, planId: row.plan_id },
    { projectId: row.project_id, fiscalYear: row.fiscal_year },
  );
  await bumpProject(tx, { municipalityId, planId: row.plan_id }, row.project_id);
}

type Transition = { from: RecordDto['status'][]; to: RecordDto['status']; action: HistoryEntry['action'] };
const SUBMIT: Transition = { from: ['not_started', 'draft', 'returned'], to: 'submitted', action: 'submit' };
const RETURN: Transition = { from: ['submitted', 'approved'], to: 'returned', action: 'return' };
const APPROVE: Transition = { from: ['submitted'], to: 'approved', action: 'approve' };

async function move(
  tx: DbOrTx,
  actor: Actor,
  municipalityId: number,
  records: RecordDto[],
  tr: Transition,
  message = '',
): Promise<RecordDto[]> {
  const t = now();
  const out: RecordDto[] = [];
  for (const before of records) {
    const moved = await repo.updateRecordReturning(tx, before.id, before.version, {
      status: tr.to,
      version: before.version + 1,
      updated_at: t,
      updated_by: actor.user.id,
      ...(tr.to === 'submitted' ? { submitted_at: t } : {}),
    });
    if (!moved) throw conflict('他の利用者が同時にこの回答を更新しました。再読み込みしてください');
    // A move changes the row only: its actuals and entries are those read with it.
    const after = {
      ...repo.toRecordDto(moved, actor.user.displayName, [], []),
      actuals: before.actuals,
      entries: before.entries,
    };
    const planId = moved.plan_id;
    // An approval fixes the year for every sheet; a submission or a return shows on the project's departments' only.
    if (tr.to === 'approved') await bumpPlan(tx, planId);
    else
      await bumpAnswer(tx, municipalityId, {
        plan_id: planId,
        project_id: before.projectId,
        fiscal_year: before.fiscalYear,
      });
    // The year's printed numbers stand from its first approved answer on.
    if (tr.to === 'approved') await freezeYear(tx, municipalityId, planId, after.fiscalYear);
    await writeHistory(tx, actor, municipalityId, before, after, tr.action, message);
    if (tr.action === 'return')
      await repo.insertComment(tx, {
        municipality_id: municipalityId,
        record_id: before.id,
        user_id: actor.user.id,
        kind: 'return',
        body: message,
        created_at: t,
      });
    await audit(tx, actor, {
      municipalityId,
      action: tr.action,
      entity: 'record',
      entityId: before.id,
      detail: { message },
    });
    out.push(after);
  }
  return out;
}

async function phaseOf(
  tx: DbOrTx,
  row: { plan_id: number; fiscal_year: number; department_id: number },
): Promise<Phase> {
  const round = await activeRoundFor(tx, row.plan_id, row.fiscal_year, row.department_id);
  if (!round) throw roundClosed();
  return round.phase;
}

/** The required evaluations an answer still lacks (none where it says 「○○課に同じ」). */
async function missingEvaluations(tx: DbOrTx, r: RecordDto, phase: Phase) {
  if (r.sameAsDepartmentId !== null) return [];
  const planId = await repo.recordPlanId(tx, r.id);
  const ref = { planId, fiscalYear: r.fiscalYear, projectId: r.projectId, departmentId: r.departmentId };
  const { config, evaluations, facts } = await evaluateAnswer(tx, ref);
  const indicatorIds = facts.lines.filter((l) => l.projectId === r.projectId).map((l) => l.indicatorId);
  return missingRequired(config, evaluations, { ...ref, indicatorIds }, phase);
}

/** Submits records after checking what the round's phase asks for; all of them or none. */
async function submitRecords(
  tx: DbOrTx,
  actor: Actor,
  municipalityId: number,
  records: RecordDto[],
  phase: Phase,
): Promise<RecordDto[]> {
  const problems: { field: string; label: string; message: string }[] = [];
  for (const r of records) {
    const indicators = await repo.listApplicableIndicators(tx, r.projectId, r.departmentId, r.fiscalYear);
    const project = await repo.findProjectLabel(tx, r.projectId);
    for (const p of [...submitProblems(phase, r, indicators, r.actuals), ...(await missingEvaluations(tx, r, phase))])
      problems.push({
        field: `records.${r.id}.${p.field}`,
        label: `事業${project.number}「${project.name}」`,
        message: p.message,
      });
  }
  if (problems.length)
    throw new AppError(
      'VALIDATION',
      `提出できません。未入力の項目があります: ${problems.map((p) => `${p.label} ${p.message}`).join(' / ')}`,
      problems,
    );
  return move(tx, actor, municipalityId, records, SUBMIT);
}

export async function submitRecord(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  recordId: number,
): Promise<RecordDto> {
  assertCanRead(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const row = requireRecord(await findRecordRow(tx, municipalityId, recordId));
    assertCanWriteDepartment(actor, municipalityId, row.department_id);
    const phase = await phaseOf(tx, row);
    const record = (await loadRecordById(tx, municipalityId, recordId))!;
    if (!SUBMIT.from.includes(record.status)) throw conflict('この回答はすでに提出済みです');
    return (await submitRecords(tx, actor, municipalityId, [record], phase))[0]!;
  });
}

/** The sheet's 提出 button: every record of the department in this round that is not yet in. */
export async function submitDepartment(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
  departmentId: number,
): Promise<RecordDto[]> {
  return ctx.db.transaction().execute(async (tx) => {
    assertCanWriteDepartment(actor, municipalityId, departmentId);
    const round = await repo.findRoundRow(tx, municipalityId, roundId);
    if (!round) throw notFound('照会');
    if (!(await activeRoundFor(tx, round.plan_id, round.fiscal_year, departmentId))) throw roundClosed();
    const records = (
      await loadRecords(tx, municipalityId, { planId: round.plan_id, fiscalYear: round.fiscal_year, departmentId })
    ).filter((r) => SUBMIT.from.includes(r.status));
    if (records.length === 0) throw conflict('提出する回答がありません（すべて提出済みです）');
    return submitRecords(tx, actor, municipalityId, records, round.phase);
  });
}

export async function returnRecords(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  target: { recordId: number } | { roundId: number; departmentId: number },
  message: string,
): Promise<RecordDto[]> {
  assertCoordinator(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const records = await targetRecords(tx, municipalityId, target, RETURN);
    for (const r of records) {
      const planId = await repo.recordPlanId(tx, r.id);
      if (!(await activeRoundFor(tx, planId, r.fiscalYear, r.departmentId)))
        throw conflict(
          'この照会は締め切られているため、差戻しても担当課が修正できません。先に状況の画面でその課の受付を再開してください',
        );
    }
    return move(tx, actor, municipalityId, records, RETURN, message);
  });
}

export async function approveRecords(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  target: { recordId: number } | { roundId: number; departmentId: number },
): Promise<RecordDto[]> {
  assertCoordinator(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const records = await targetRecords(tx, municipalityId, target, APPROVE);
    return move(tx, actor, municipalityId, records, APPROVE);
  });
}

async function targetRecords(
  tx: DbOrTx,
  municipalityId: number,
  target: { recordId: number } | { roundId: number; departmentId: number },
  tr: Transition,
): Promise<RecordDto[]> {
  if ('recordId' in target) {
    const r = await loadRecordById(tx, municipalityId, target.recordId);
    if (!r) throw notFound('回答');
    if (!tr.from.includes(r.status))
      throw conflict(
        tr.action === 'approve' ? '提出済みの回答だけを確定できます' : '提出済みまたは確定済みの回答だけを差戻せます',
      );
    return [r];
  }
  const round = await repo.findRoundRow(tx, municipalityId, target.roundId);
  if (!round) throw notFound('照会');
  const records = (
    await loadRecords(tx, municipalityId, {
      planId: round.plan_id,
      fiscalYear: round.fiscal_year,
      departmentId: target.departmentId,
    })
  ).filter((r) => (tr.action === 'return' ? r.status === 'submitted' : tr.from.includes(r.status)));
  if (records.length === 0)
    throw conflict(
      tr.action === 'approve' ? '確定できる提出済みの回答がありません' : '差戻せる提出済みの回答がありません',
    );
  return records;
}

export async function addComment(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  recordId: number,
  body: string,
): Promise<RecordComment> {
  assertCanRead(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const row = requireRecord(await findRecordRow(tx, municipalityId, recordId));
    assertCanReadDepartment(actor, municipalityId, row.department_id);
    if (!mayCommentOnRecords(actor.user)) throw new AppError('FORBIDDEN', '閲覧者はコメントできません');
    const t = now();
    const id = await repo.insertComment(tx, {
      municipality_id: municipalityId,
      record_id: recordId,
      user_id: actor.user.id,
      kind: isCoordinatorOf(actor) ? 'review' : 'note',
      body,
      created_at: t,
    });
    await bumpAnswer(tx, municipalityId, row);
    await audit(tx, actor, {
      municipalityId,
      action: 'comment',
      entity: 'record',
      entityId: recordId,
      detail: { body },
    });
    return {
      id,
      kind: isCoordinatorOf(actor) ? 'review' : 'note',
      body,
      userName: actor.user.displayName,
      at: t,
    };
  });
}

export function loadComments(db: DbOrTx, recordIds: number[]): Promise<Map<number, RecordComment[]>> {
  return readOne(db, commentsRead(db, recordIds));
}

/** The comments on these records, oldest first, by record, as a read that can share its round trip. */
export function commentsRead(db: DbOrTx, recordIds: number[]): Read<Map<number, RecordComment[]>> {
  if (recordIds.length === 0) return known(new Map());
  return read([repo.commentRowsQuery(db, recordIds)], ([rows]) => {
    const out = new Map<number, RecordComment[]>();
    for (const r of rows)
      out.set(r.record_id, [
        ...(out.get(r.record_id) ?? []),
        { id: r.id, kind: r.kind, body: r.body, userName: r.display_name, at: r.created_at },
      ]);
    return out;
  });
}

/** Every change of a record, newest first, and what changed since it was last submitted. */
export async function recordHistory(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  recordId: number,
): Promise<RecordHistoryResponse> {
  assertCanRead(actor, municipalityId);
  const row = requireRecord(await findRecordRow(ctx.db, municipalityId, recordId));
  assertCanReadDepartment(actor, municipalityId, row.department_id);
  const names = await repo.indicatorNamesOf(ctx.db, row.project_id);
  const config = await configOfYear(ctx.db, row.plan_id, row.fiscal_year);
  const slots = new Map(config.slots.map((s) => [s.key, s.name]));
  const fields = new Map((await recordFieldsOf(ctx.db, row.plan_id)).map((f) => [f.key, f.label]));
  const rows = await repo.listHistoryRows(ctx.db, recordId);
  // History rows are written by writeHistory, never with 'import' (which only the column's CHECK allows).
  const actionOf = (h: (typeof rows)[number]) => h.action as HistoryEntry['action'];
  // The editor as named at the save; a renamed account does not rewrite who did it.
  const nameOf = (h: (typeof rows)[number]) => h.actor_name || h.display_name;
  const entries: HistoryEntry[] = rows.map((h) => ({
    id: h.id,
    version: h.version,
    action: actionOf(h),
    userName: nameOf(h),
    at: h.created_at,
    message: h.message,
    changes: diffSnapshots(readJson.recordSnapshot(h.before), readJson.recordSnapshot(h.after), names, slots, fields),
  }));
  const versions: HistoryVersion[] = groupSaves(rows).map((g) => {
    const first = g[0]!;
    const last = g.at(-1)!;
    return {
      version: last.version,
      fromVersion: first.version,
      action: actionOf(last),
      userName: nameOf(last),
      from: first.created_at,
      at: last.created_at,
      saves: g.length,
      message: last.message,
      changes: diffSnapshots(readJson.recordSnapshot(first.before), readJson.recordSnapshot(last.after), names, slots),
    };
  });
  const where = await repo.findRecordSubject(ctx.db, recordId);
  const subject = {
    planTitle: where.plan_title,
    fiscalYear: where.fiscal_year,
    projectNumber: where.project_number,
    projectName: where.project_name,
    departmentName: where.department_name,
    roundId: where.round_id,
  };
  const current = (await loadRecordById(ctx.db, municipalityId, recordId))!;
  const submits = rows.filter((h) => h.action === 'submit');
  const lastSubmit = submits[0];
  const sinceSubmission = lastSubmit
    ? diffSnapshots(readJson.recordSnapshot(lastSubmit.after), snapshot(current), names, slots, fields)
    : null;
  // For review: what the department changed between its previous submission and the last one.
  const betweenSubmissions =
    submits.length >= 2
      ? diffSnapshots(
          readJson.recordSnapshot(submits[1]!.after),
          readJson.recordSnapshot(submits[0]!.after),
          names,
          slots,
          fields,
        )
      : null;
  return {
    record: current,
    subject,
    entries,
    versions,
    sinceSubmission,
    betweenSubmissions,
    comments: (await loadComments(ctx.db, [recordId])).get(recordId) ?? [],
  };
}

// ---- review --------------------------------------------------------------------------------

/** How long a bulk approval or return can be undone. */
export const UNDO_MINUTES = 10;

/** The slots a review row shows: the printed ones on the answer and on its lines, whoever enters them. */
const reviewSlots = (config: EvaluationConfig) =>
  config.slots.filter((s) => s.printed && (s.subject === 'record' || s.subject === 'indicator'));

/** An answer's codes in the review slots (the answer's own first, then each line's) and its self-evaluation checks. */
function reviewGrades(
  year: Awaited<ReturnType<typeof evaluatePlanYear>>,
  r: RecordDto,
  lastYearResultText: string | null,
): Pick<ReviewRow, 'grades' | 'checks'> {
  const { config, evaluations, facts } = year;
  const lines = facts.lines.filter((l) => l.projectId === r.projectId && l.departmentId === r.departmentId);
  const grades: ReviewRow['grades'] = [];
  for (const s of reviewSlots(config)) {
    const own = evaluations.get(s.key, 'record', r.projectId, r.departmentId)?.code;
    if (own) grades.push({ slot: s.key, code: own });
    for (const l of lines) {
      const code = evaluations.get(s.key, 'indicator', l.indicatorId, r.departmentId)?.code;
      if (code) grades.push({ slot: s.key, code });
    }
  }
  const checks = answerChecks(config, evaluations, facts, {
    projectId: r.projectId,
    departmentId: r.departmentId,
    resultText: r.resultText,
    remarks: r.remarks,
    lastYearResultText,
  });
  return { grades, checks };
}

/** The codes the review table's grades take, for its filter and their words: each review slot's legend. */
function reviewGradeOptions(config: EvaluationConfig): ReviewTable['gradeOptions'] {
  return reviewSlots(config).flatMap((s) =>
    slotScale(config, s).grades.map((g) => ({ slot: s.key, slotName: s.name, code: g.code, label: g.label })),
  );
}

/** What the department changed between its last two submissions (newest first), or null before a second one. */
function changedBetweenSubmissions(submits: { after: string }[], indicatorNames: Map<number, string>): string[] | null {
  if (submits.length < 2) return null;
  return diffSnapshots(
    readJson.recordSnapshot(submits[1]!.after),
    readJson.recordSnapshot(submits[0]!.after),
    indicatorNames,
  ).map((c) => c.label);
}

/**
 * A round's answers as one table for the coordinator: one row per record, with what changed
 * between the department's last two submissions (to see at a glance whether a return was acted on).
 */
export async function reviewTable(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
): Promise<ReviewTable> {
  assertCoordinator(actor, municipalityId);
  const db = ctx.db;
  const round = await requireRound(db, municipalityId, roundId);
  const covered = round.departments.map((d) => d.departmentId);
  const records = (
    await loadRecords(db, municipalityId, { planId: round.planId, fiscalYear: round.fiscalYear })
  ).filter((r) => covered.includes(r.departmentId));
  const projectIds = [...new Set(records.map((r) => r.projectId))];
  const recordIds = records.map((r) => r.id);
  const [structure, live, names, history, comments, indicatorRows, year, lastYear] = await Promise.all([
    yearStructure(db, round.planId, round.fiscalYear),
    repo.listProjectsByIds(db, projectIds),
    repo.listDepartmentNames(db, municipalityId),
    repo.listSubmitSnapshots(db, recordIds),
    repo.countComments(db, recordIds),
    repo.listIndicatorsOfProjects(db, projectIds),
    evaluatePlanYear(db, round.planId, round.fiscalYear),
    repo.listResultTexts(db, round.planId, round.fiscalYear - 1, projectIds),
  ]);
  const { nodes, numbers: printed } = structure;
  const byId = new Map(nodes.map((n) => [n.id, { id: n.id, parentId: n.parent_id, title: n.title }]));
  const order = treeOrder(nodes);
  // The year's numbers and names; the live row for a project the year's structure does not hold.
  const project = new Map([
    ...live.map((p) => [p.id, p] as const),
    ...structure.projects.map((p) => [p.id, p] as const),
  ]);
  const dept = new Map(names.map((d) => [d.id, d]));
  const indicatorNames = new Map(indicatorRows.map((i) => [i.id, i.name]));
  const lastText = new Map(lastYear.map((t) => [`${t.project_id}:${t.department_id}`, t.result_text]));
  const rows: ReviewRow[] = records.map((r) => {
    const p = project.get(r.projectId)!;
    return {
      recordId: r.id,
      version: r.version,
      projectId: r.projectId,
      projectNumber: p.number,
      projectName: p.name,
      path: nodePathLabel(byId, printed, p.node_id),
      departmentId: r.departmentId,
      departmentName: dept.get(r.departmentId)?.name ?? '',
      status: r.status,
      ...reviewGrades(year, r, lastText.get(`${r.projectId}:${r.departmentId}`) ?? null),
      submittedAt: r.submittedAt,
      updatedAt: r.updatedAt,
      updatedByName: r.updatedByName,
      changedSinceLastSubmission: changedBetweenSubmissions(
        history.filter((h) => h.record_id === r.id),
        indicatorNames,
      ),
      comments: comments.get(r.id) ?? 0,
    };
  });
  const place = (row: ReviewRow) => project.get(row.projectId)!;
  rows.sort(
    (a, b) =>
      (order.get(place(a).node_id) ?? 0) - (order.get(place(b).node_id) ?? 0) ||
      place(a).position - place(b).position ||
      a.projectId - b.projectId ||
      (dept.get(a.departmentId)?.position ?? 0) - (dept.get(b.departmentId)?.position ?? 0) ||
      a.departmentId - b.departmentId,
  );
  return { round, gradeOptions: reviewGradeOptions(year.config), rows };
}

/** The records a bulk action names, each at the version the coordinator saw, in this round only. */
async function reviewTargets(
  tx: DbOrTx,
  municipalityId: number,
  roundId: number,
  picks: { id: number; version: number }[],
  stale = '表示した後に変更された回答があります。一覧を読み込み直してから、もう一度選んでください',
) {
  const round = await requireRound(tx, municipalityId, roundId);
  const covered = round.departments.map((d) => d.departmentId);
  const records = await loadRecords(tx, municipalityId, {
    planId: round.planId,
    fiscalYear: round.fiscalYear,
    ids: picks.map((p) => p.id),
  });
  const out: RecordDto[] = [];
  for (const pick of picks) {
    const r = records.find((x) => x.id === pick.id);
    if (!r || !covered.includes(r.departmentId)) throw notFound('この照会の回答');
    if (r.version !== pick.version) throw conflict(stale);
    out.push(r);
  }
  return { round, records: out };
}

/** Approves or returns the chosen records of a round together: all of them or none. */
export async function bulkReview(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
  input: z.output<typeof bulkReviewInput>,
): Promise<ReviewResult> {
  assertCoordinator(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const { round, records } = await reviewTargets(tx, municipalityId, roundId, input.records);
    const tr = input.action === 'approve' ? APPROVE : RETURN;
    // A returned answer is corrected through an open sheet: after the deadline, reopen the department first.
    if (input.action === 'return' && round.status === 'closed') {
      const shut = [...new Set(records.map((r) => r.departmentId))].filter(
        (d) => !round.departments.find((x) => x.departmentId === d)?.reopened,
      );
      if (shut.length)
        throw conflict(
          `この照会は締め切られているため、差戻しても担当課が修正できません。先に状況の画面で${round.departments
            .filter((d) => shut.includes(d.departmentId))
            .map((d) => d.name)
            .join('、')}の受付を再開してください`,
        );
    }
    const wrong = records.find(
      (r) =>
        !(input.action === 'approve' ? r.status === 'submitted' : r.status === 'submitted' || r.status === 'approved'),
    );
    if (wrong)
      throw conflict(
        input.action === 'approve'
          ? '提出済みの回答だけを確定できます。選択を見直してください'
          : '提出済みまたは確定済みの回答だけを差戻せます。選択を見直してください',
      );
    if (input.action === 'return' && !input.message) throw invalid('message', '差戻しの理由を入力してください');
    const after = await move(tx, actor, municipalityId, records, tr, input.message ?? '');
    return {
      action: input.action,
      records: after.map((r) => ({ id: r.id, version: r.version })),
      undoUntil: new Date(Date.now() + UNDO_MINUTES * 60_000).toISOString(),
    };
  });
}

/**
 * Undoes a bulk approval or return a short while later, as long as nobody has touched the records
 * since (their versions are still the ones the action produced): they are submitted again.
 */
export async function undoReview(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  roundId: number,
  input: z.output<typeof undoReviewInput>,
): Promise<RecordDto[]> {
  assertCoordinator(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const { round, records } = await reviewTargets(
      tx,
      municipalityId,
      roundId,
      input.records,
      input.action === 'approve'
        ? '確定の後に状態が変わった回答があるため、元に戻せません'
        : '差戻しの後に担当課が回答を直しているため、元に戻せません。一覧で回答を確認してください',
    );
    const from = input.action === 'approve' ? 'approved' : 'returned';
    const cutoff = new Date(Date.now() - UNDO_MINUTES * 60_000).toISOString();
    for (const r of records) {
      if (r.status !== from) throw conflict('元に戻せない回答があります（状態が変わっています）');
      const last = await repo.findLastHistoryEntry(tx, r.id);
      if (!last || last.action !== input.action || last.created_at < cutoff)
        throw conflict(
          `${UNDO_MINUTES}分以上たった操作は元に戻せません。必要なら改めて${input.action === 'approve' ? '差戻し' : '確定'}してください`,
        );
      // An approval that a publication has printed since stays: the public report says it was approved.
      if (input.action === 'approve') {
        if (await repo.publishedSince(tx, round.planId, round.fiscalYear, last.created_at))
          throw conflict(
            '確定の後に報告が公表されているため、確定を取り消せません。修正が必要な場合は差戻してください',
          );
      }
    }
    const message = input.action === 'approve' ? '確定を取り消しました' : '差戻しを取り消しました';
    const after = await move(
      tx,
      actor,
      municipalityId,
      records,
      { from: [from], to: 'submitted', action: 'undo' },
      message,
    );
    // The department may have read the return: the thread says it was taken back.
    if (input.action === 'return')
      for (const r of records)
        await repo.insertComment(tx, {
          municipality_id: municipalityId,
          record_id: r.id,
          user_id: actor.user.id,
          kind: 'review',
          body: '差戻しを取り消しました（提出済みに戻しました）',
          created_at: now(),
        });
    return after;
  });
}
