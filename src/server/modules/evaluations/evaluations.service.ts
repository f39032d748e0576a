import { z } from 'zod';
import type {
  EvaluationSettingsDto,
  EvaluationVersionDto,
  EvaluationHistoryEntryDto,
  NodeEvaluationsDto,
  SlotValueDto,
} from '../../../domain/api-types.js';
import {
  entryProblem,
  findSlot,
  slotScale,
  type EvaluationConfig,
  type Slot,
  type SlotValue,
  type SubjectKind,
  type YearFacts,
} from '../../../domain/evaluation/index.js';
import { configInput } from '../../../domain/evaluation/schema.js';
import { EVALUATION_PRESETS } from '../../../domain/evaluation/presets.js';
import { mayEnterSlot, readsApprovedOnly } from '../../../domain/policy.js';
import { fiscalYear as fiscalYearSchema, id } from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanRead, assertCoordinator, isCoordinatorOf } from '../auth/index.js';
import { strayEvaluations } from './stray.js';
import { assertPlanNotArchived, bumpPlan, requirePlan, treeOrder, yearStructure } from '../plans/index.js';
import { writeEntry } from './entries.js';
import * as repo from './evaluations.repository.js';
import { evaluatePlanYear, loadVersions, readConfig, type ConfigVersionRow } from './year-facts.js';

/**
 * Evaluation configurations (versions by fiscal year) and the evaluations entered outside the
 * departments' sheets: the coordinating section's, a committee's and the council's, on answers,
 * projects, nodes or the whole plan. Departments' own entries are saved with their answers
 * (records module).
 */

export const versionInput = z.object({
  fromYear: fiscalYearSchema,
  note: z.string().trim().max(200, '200文字以内で入力してください').default(''),
  config: configInput,
});

export const entryInput = z.object({
  slotKey: z.string().trim().min(1).max(32),
  subjectKind: z.enum(['indicator', 'record', 'project', 'node', 'plan']),
  subjectId: id,
  departmentId: z.number().int().min(0).default(0),
  code: z.string().trim().max(12, '記号は12文字以内で入力してください').nullable().default(null),
  reason: z.string().trim().max(1000, '理由は1000文字以内で入力してください').default(''),
  comment: z.string().trim().max(4000, 'コメントは4000文字以内で入力してください').default(''),
  /** the version the writer read (0 for a new entry): a later save by someone else is a conflict */
  version: z.number().int().min(0),
});

function versionsDto(rows: Awaited<ReturnType<typeof loadVersions>>, fixed: number[]): EvaluationVersionDto[] {
  return rows.map((v, i) => {
    const next = rows[i + 1];
    const toYear = next ? next.fromYear - 1 : null;
    return {
      id: v.id,
      fromYear: v.fromYear,
      toYear,
      config: v.config,
      note: v.note,
      createdAt: v.createdAt,
      createdByName: v.createdByName,
      fixedYears: fixed.filter((y) => y >= v.fromYear && (toYear === null || y <= toYear)),
    };
  });
}

export async function getSettings(
  ctx: AppContext,
  actor: Actor,
  mid: number,
  planId: number,
): Promise<EvaluationSettingsDto> {
  assertCanRead(actor, mid);
  const plan = await requirePlan(ctx.db, mid, planId);
  const [versions, fixed] = await Promise.all([loadVersions(ctx.db, planId), repo.fixedYears(ctx.db, planId)]);
  return {
    planId,
    firstYear: plan.first_year,
    lastYear: plan.last_year,
    versions: versionsDto(versions, fixed),
    fixedYears: fixed,
    presets: EVALUATION_PRESETS.map((p) => ({ name: p.name, label: p.label, config: configInput.parse(p.config) })),
  };
}

/** Slots whose entries a new configuration would leave without a place: refused, never dropped. */
async function orphanedBy(
  db: DbOrTx,
  planId: number,
  config: EvaluationConfig,
  fromYear: number,
  toYear: number | null,
) {
  const counts = await repo.countEntriesBySlot(db, planId, fromYear, toYear);
  return counts.filter((c) => {
    const slot = findSlot(config, c.slotKey);
    if (!slot) return true;
    // A computed slot on indicator lines also holds hand entries of answers without a line.
    return slot.subject !== c.subjectKind && !(slot.subject === 'indicator' && c.subjectKind === 'record');
  });
}

/**
 * Saves the configuration in force from a fiscal year: replaces the version starting that year, or
 * starts a new one. Years already fixed (approved or published) keep the configuration they were
 * evaluated with, so a change that would apply to one of them is refused.
 */
/** Refuses a version that would change a fixed year's configuration or leave entries without a slot. */
async function assertVersionMayChange(
  tx: DbOrTx,
  planId: number,
  input: z.output<typeof versionInput>,
  versions: ConfigVersionRow[],
  fixed: number[],
): Promise<void> {
  const same = versions.find((v) => v.fromYear === input.fromYear);
  const next = versions.find((v) => v.fromYear > input.fromYear);
  const toYear = next ? next.fromYear - 1 : null;
  const covered = fixed.filter((y) => y >= input.fromYear && (toYear === null || y <= toYear));
  const unchanged = same && JSON.stringify(same.config) === JSON.stringify(input.config);
  if (covered.length && !unchanged) {
    const from = Math.max(...covered) + 1;
    throw new AppError(
      'CONFLICT',
      `${covered.join('・')}年度は確定または公表済みのため、その年度の評価方法は変えられません。変更は${from}年度以降からの版として登録してください`,
      [{ field: 'fromYear', label: '適用開始年度', message: `${from}年度以降を選んでください` }],
    );
  }
  const orphans = await orphanedBy(tx, planId, input.config, input.fromYear, toYear);
  if (orphans.length)
    throw new AppError(
      'CONFLICT',
      `入力済みの評価がある項目（${orphans.map((o) => `${o.slotKey}: ${o.count}件`).join('、')}）を削除・変更しようとしています。入力済みの評価は消せないため、項目を残すか、まだ入力のない年度からの版にしてください`,
    );
}

/**
 * Saves the configuration in force from a fiscal year: replaces the version starting that year, or
 * starts a new one. Years already fixed (approved or published) keep the configuration they were
 * evaluated with, so a change that would apply to one of them is refused.
 */
export async function saveVersion(
  ctx: AppContext,
  actor: Actor,
  mid: number,
  planId: number,
  input: z.output<typeof versionInput>,
): Promise<EvaluationSettingsDto> {
  assertCoordinator(actor, mid);
  await ctx.db.transaction().execute(async (tx) => {
    const plan = await requirePlan(tx, mid, planId);
    await assertPlanNotArchived(tx, planId);
    if (input.fromYear < plan.first_year || input.fromYear > plan.last_year)
      throw invalid('fromYear', '計画期間内の年度を選んでください');
    const [versions, fixed] = await Promise.all([loadVersions(tx, planId), repo.fixedYears(tx, planId)]);
    await assertVersionMayChange(tx, planId, input, versions, fixed);
    const same = versions.find((v) => v.fromYear === input.fromYear);
    const row = {
      definition: JSON.stringify(input.config),
      note: input.note,
      created_at: now(),
      created_by: actor.user.id,
      created_by_name: actor.user.displayName,
    };
    if (same) await repo.updateVersionRow(tx, same.id, row);
    else await repo.insertVersionRow(tx, { municipality_id: mid, plan_id: planId, from_year: input.fromYear, ...row });
    await bumpPlan(tx, planId, { touched: true });
    await audit(tx, actor, {
      municipalityId: mid,
      action: same ? 'evaluation.version.update' : 'evaluation.version.create',
      entity: 'plan',
      entityId: planId,
      detail: { fromYear: input.fromYear, slots: input.config.slots.map((s) => s.key) },
    });
  });
  return getSettings(ctx, actor, mid, planId);
}

export async function deleteVersion(ctx: AppContext, actor: Actor, mid: number, planId: number, versionId: number) {
  assertCoordinator(actor, mid);
  await ctx.db.transaction().execute(async (tx) => {
    await requirePlan(tx, mid, planId);
    await assertPlanNotArchived(tx, planId);
    const [versions, fixed] = await Promise.all([loadVersions(tx, planId), repo.fixedYears(tx, planId)]);
    const i = versions.findIndex((v) => v.id === versionId);
    if (i === -1) throw notFound('評価方法の版');
    if (i === 0) throw conflict('最初の版は削除できません。内容を変更してください');
    const version = versions[i]!;
    const toYear = versions[i + 1] ? versions[i + 1]!.fromYear - 1 : null;
    const covered = fixed.filter((y) => y >= version.fromYear && (toYear === null || y <= toYear));
    if (covered.length)
      throw conflict(`${covered.join('・')}年度はこの版で評価済み（確定または公表済み）のため、削除できません`);
    const orphans = await orphanedBy(tx, planId, versions[i - 1]!.config, version.fromYear, toYear);
    if (orphans.length) throw conflict('この版の項目に入力済みの評価があるため、削除できません');
    await repo.deleteVersionRow(tx, versionId);
    await bumpPlan(tx, planId, { touched: true });
    await audit(tx, actor, {
      municipalityId: mid,
      action: 'evaluation.version.delete',
      entity: 'plan',
      entityId: planId,
      detail: { fromYear: version.fromYear },
    });
  });
  return getSettings(ctx, actor, mid, planId);
}

/** The stored entry behind a value: its row and version, who saved it last and when. */
export interface EntryStamp {
  id: number;
  version: number;
  enteredByName: string;
  enteredAt: string | null;
}

export function valueDto(v: SlotValue | undefined, entry?: EntryStamp | undefined): SlotValueDto {
  return {
    code: v?.code ?? null,
    level: v?.level ?? null,
    source: v?.source ?? 'none',
    reason: v?.source === 'computed' || v?.source === 'none' || v?.source === 'excluded' ? '' : (v?.reason ?? ''),
    comment: v?.comment ?? '',
    basis: v?.computed?.basis ?? '',
    computedCode: v?.computed?.code ?? null,
    entryId: entry?.id ?? null,
    version: entry?.version ?? 0,
    enteredByName: entry?.enteredByName ?? '',
    enteredAt: entry?.enteredAt ?? null,
  };
}

function nodeRows(
  structure: Awaited<ReturnType<typeof yearStructure>>,
  planId: number,
  slots: Slot[],
  values: (kind: SubjectKind, subjectId: number) => Record<string, SlotValueDto>,
): NodeEvaluationsDto['rows'] {
  // The tree as printed: depth first, siblings by position.
  const order = treeOrder(structure.nodes);
  const place = (id: number) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  const nodes = [...structure.nodes].sort((a, b) => place(a.id) - place(b.id));
  // A slot on projects puts each project of the year under its node, in the printed order.
  const projects = slots.some((s) => s.subject === 'project') ? structure.projects : [];
  const rows: NodeEvaluationsDto['rows'] = nodes.flatMap((n) => [
    {
      subjectKind: 'node' as const,
      subjectId: n.id,
      depth: n.depth,
      number: structure.numbers.get(n.id) ?? '',
      title: n.title,
      values: values('node', n.id),
    },
    ...projects
      .filter((p) => p.node_id === n.id)
      .sort((a, b) => a.position - b.position || a.id - b.id)
      .map((p) => ({
        subjectKind: 'project' as const,
        subjectId: p.id,
        depth: n.depth + 1,
        number: `事業${p.number}`,
        title: p.name,
        values: values('project', p.id),
      })),
  ]);
  if (slots.some((s) => s.subject === 'plan'))
    rows.push({
      subjectKind: 'plan',
      subjectId: planId,
      depth: 0,
      number: '',
      title: '計画全体',
      values: values('plan', planId),
    });
  return rows;
}

/** The evaluations of the plan's nodes (and of the plan as a whole) for a year, with what the actor may enter. */
export async function nodeEvaluations(
  ctx: AppContext,
  actor: Actor,
  mid: number,
  planId: number,
  fiscalYear: number,
): Promise<NodeEvaluationsDto> {
  assertCanRead(actor, mid);
  await requirePlan(ctx.db, mid, planId);
  const [year, structure, entries] = await Promise.all([
    evaluatePlanYear(ctx.db, planId, fiscalYear, { approvedOnly: readsApprovedOnly(actor.user) }),
    yearStructure(ctx.db, planId, fiscalYear),
    repo.listEntryRows(ctx.db, planId, [fiscalYear], { departmentIds: [0] }),
  ]);
  const { config, evaluations } = year;
  const slots = config.slots.filter((s) => s.subject === 'node' || s.subject === 'project' || s.subject === 'plan');
  const entryOf = (slotKey: string, kind: SubjectKind, subjectId: number): EntryStamp | undefined => {
    const e = entries.find((x) => x.slot_key === slotKey && x.subject_kind === kind && x.subject_id === subjectId);
    return e && { id: e.id, version: e.version, enteredByName: e.entered_by_name, enteredAt: e.entered_at };
  };
  const values = (kind: SubjectKind, subjectId: number) => {
    const out: Record<string, SlotValueDto> = {};
    for (const s of slots.filter((x) => x.subject === kind)) {
      const v = evaluations.get(s.key, kind, subjectId);
      if (v) out[s.key] = valueDto(v, entryOf(s.key, kind, subjectId));
    }
    return out;
  };
  return {
    planId,
    fiscalYear,
    config: { scales: config.scales, slots },
    mayEnter: slots.filter((s) => mayEnterSlot(actor.user, s.enteredBy, mid)).map((s) => s.key),
    rows: nodeRows(structure, planId, slots, values),
    stray: isCoordinatorOf(actor) ? await strayEvaluations(ctx.db, year) : [],
  };
}

/** The slot an entry goes to, once the actor may enter it; department slots go with the answers. */
function enterableSlot(actor: Actor, mid: number, config: EvaluationConfig, slotKey: string): Slot {
  const slot = findSlot(config, slotKey);
  if (!slot) throw notFound('評価の項目');
  if (slot.enteredBy === 'department') throw forbidden(`${slot.name}は担当課の回答で入力します`);
  // A computed slot is entered by nobody: where it allows a different value, the department gives it on its answer.
  if (slot.enteredBy === 'computed')
    throw forbidden(
      slot.override && (slot.subject === 'indicator' || slot.subject === 'record')
        ? `${slot.name}は計算で決まります。計算と異なる評価にするときは、担当課の回答で理由とともに入力します`
        : `${slot.name}は計算で決まるため入力できません`,
    );
  if (!mayEnterSlot(actor.user, slot.enteredBy, mid)) throw forbidden(`${slot.name}を入力する権限がありません`);
  return slot;
}

/**
 * Council and committee members read approved answers only, so they evaluate only those: an answer, or
 * an indicator line of one, not yet approved is refused (a node's or the plan's line has no answer).
 */
async function assertAnswerApproved(
  tx: DbOrTx,
  planId: number,
  fiscalYear: number,
  facts: YearFacts,
  input: { subjectKind: SubjectKind; subjectId: number },
  departmentId: number,
): Promise<void> {
  const projectId =
    input.subjectKind === 'record'
      ? input.subjectId
      : input.subjectKind === 'indicator'
        ? facts.lines.find((l) => l.indicatorId === input.subjectId && l.departmentId === departmentId)?.projectId
        : null;
  if (projectId == null) return;
  const [record] = await repo.listYearRecords(tx, planId, fiscalYear, {
    projectIds: [projectId],
    departmentIds: [departmentId],
  });
  if (record?.status !== 'approved') throw conflict('確定した回答だけを評価できます。確定を待ってから入力してください');
}

/**
 * Saves what the coordinating section, a committee member or a council member enters in a slot of
 * theirs, for a subject the year has. Each save keeps the value before it in the history.
 */
export async function saveEntry(
  ctx: AppContext,
  actor: Actor,
  mid: number,
  planId: number,
  fiscalYear: number,
  input: z.output<typeof entryInput>,
): Promise<SlotValueDto> {
  assertCanRead(actor, mid);
  return ctx.db.transaction().execute(async (tx) => {
    await requirePlan(tx, mid, planId);
    await assertPlanNotArchived(tx, planId);
    const { config, evaluations, facts } = await evaluatePlanYear(tx, planId, fiscalYear);
    const slot = enterableSlot(actor, mid, config, input.slotKey);
    const departmentId = input.subjectKind === 'record' || input.subjectKind === 'indicator' ? input.departmentId : 0;
    const current = evaluations.get(slot.key, input.subjectKind, input.subjectId, departmentId);
    if (!current) throw notFound(`${fiscalYear}年度の${slot.name}の対象`);
    if (readsApprovedOnly(actor.user)) await assertAnswerApproved(tx, planId, fiscalYear, facts, input, departmentId);
    const problem = entryProblem(slot, slotScale(config, slot), current.computed, input);
    if (problem) throw invalid('code', problem);
    const target = {
      municipalityId: mid,
      planId,
      fiscalYear,
      slotKey: slot.key,
      subjectKind: input.subjectKind,
      subjectId: input.subjectId,
      departmentId,
    };
    const value = { code: input.code, level: null, reason: input.reason, comment: input.comment };
    const written = (await writeEntry(tx, actor, target, value, input.version))!;
    await audit(tx, actor, {
      municipalityId: mid,
      action: 'evaluation.save',
      entity: 'evaluation',
      entityId: written.id,
      detail: {
        planId,
        fiscalYear,
        slot: slot.key,
        subject: `${input.subjectKind}:${input.subjectId}`,
        before: written.before.code,
        after: input.code,
      },
    });
    await bumpPlan(tx, planId);
    const again = await evaluatePlanYear(tx, planId, fiscalYear);
    return valueDto(again.evaluations.get(slot.key, input.subjectKind, input.subjectId, departmentId), written);
  });
}

export async function entryHistory(
  ctx: AppContext,
  actor: Actor,
  mid: number,
  entryId: number,
): Promise<EvaluationHistoryEntryDto[]> {
  assertCanRead(actor, mid);
  if (!(await repo.findEntryOfMunicipality(ctx.db, mid, entryId))) throw notFound('評価');
  const rows = await repo.listHistoryRows(ctx.db, entryId);
  const read = (text: string) => {
    const v = storedValue.parse(JSON.parse(text));
    return { code: v.code, reason: v.reason, comment: v.comment };
  };
  return rows.map((r) => ({
    version: r.version,
    at: r.created_at,
    actorName: r.actor_name,
    before: read(r.before),
    after: read(r.after),
  }));
}

/** A value as the history stores it. */
const storedValue = z.object({
  code: z.string().nullable().default(null),
  reason: z.string().default(''),
  comment: z.string().default(''),
});

export { readConfig };
