import type { AnswerEntryDto, AnswerEvaluations, SlotValueDto } from '../../../domain/api-types.js';
import { PHASE_LABELS, type AnswerEntryInput, type Phase } from '../../../domain/cycle.js';
import {
  checkAnswer,
  entryProblem,
  entryToStore,
  findSlot,
  sameEntryValue,
  slotScale,
  type CheckFinding,
  type EvaluationConfig,
  type Slot,
  type YearEvaluations,
  type YearFacts,
} from '../../../domain/evaluation/index.js';
import type { DbOrTx } from '../../db/types.js';
import { invalid } from '../../http/errors.js';
import type { Actor } from '../auth/index.js';
import { EMPTY_ENTRY, writeEntry, type EntryValue } from './entries.js';
import * as repo from './evaluations.repository.js';
import { valueDto } from './evaluations.service.js';
import { evaluatePlanYear } from './year-facts.js';

/**
 * A department's answer and its evaluations: the slots a department fills on its sheet (its own
 * slots, and overrides of computed ones with a reason), what each resolves to now, the required ones
 * still empty, and the self-evaluation checks. Entries are written with the answer, under its version.
 */

export interface AnswerRef {
  municipalityId: number;
  planId: number;
  fiscalYear: number;
  projectId: number;
  departmentId: number;
}

/**
 * Slots a department fills on its answer: its own on answers and lines, and computed ones — a hand code
 * where nothing computes (着手, 未着手), another code with a reason only where the slot allows an override
 * (`entryProblem` refuses the rest with its message).
 */
export const departmentSlots = (config: EvaluationConfig): Slot[] =>
  config.slots.filter(
    (s) =>
      (s.subject === 'record' || s.subject === 'indicator') &&
      (s.enteredBy === 'department' || s.enteredBy === 'computed'),
  );

/** The evaluations of one answer (only its project and department are read). */
export function evaluateAnswer(db: DbOrTx, ref: Omit<AnswerRef, 'municipalityId'>) {
  return evaluatePlanYear(db, ref.planId, ref.fiscalYear, {
    projectIds: [ref.projectId],
    departmentIds: [ref.departmentId],
  });
}

const fieldOf = (e: { slotKey: string; subjectKind: string; subjectId: number }) =>
  `entries.${e.slotKey}.${e.subjectKind}.${e.subjectId}`;

/** Checks each entry against the slot and what its rule computes now, and gives the value to store. */
function entryToWrite(
  year: { config: EvaluationConfig; evaluations: YearEvaluations; facts: YearFacts },
  ref: AnswerRef,
  e: AnswerEntryInput,
) {
  const { config, evaluations } = year;
  const slot = findSlot(config, e.slotKey);
  if (!slot || !departmentSlots(config).includes(slot))
    throw invalid(fieldOf(e), `「${slot?.name ?? e.slotKey}」は担当課の回答では入力できません`);
  const current = evaluations.get(slot.key, e.subjectKind, e.subjectId, ref.departmentId);
  const ownSubject = e.subjectKind === 'record' ? e.subjectId === ref.projectId : current !== undefined;
  if (!current || !ownSubject) throw invalid(fieldOf(e), `${slot.name}: この回答の評価の対象ではありません`);
  const problem = entryProblem(slot, slotScale(config, slot), current.computed, e);
  if (problem) throw invalid(fieldOf(e), problem);
  const stored = entryToStore(slot, current.computed, e);
  const value: EntryValue = stored ? { ...stored, comment: stored.comment ?? '', level: null } : EMPTY_ENTRY;
  return { slot, value };
}

/**
 * Whether an entry is sent as it is stored, and so left alone: whatever the sheet may offer now (an imported
 * code, a slot of another phase's round), a save never fails on what it did not change. A changed
 * entry of a slot entered in another phase's round is refused beside its field.
 */
function unchanged(
  year: { config: EvaluationConfig; facts: YearFacts },
  ref: AnswerRef & { phases: readonly Phase[] },
  e: AnswerEntryInput,
): boolean {
  const was = year.facts.entries.find(
    (x) =>
      x.slotKey === e.slotKey &&
      x.subjectKind === e.subjectKind &&
      x.subjectId === e.subjectId &&
      x.departmentId === ref.departmentId,
  );
  if (sameEntryValue(was, e)) return true;
  const slot = findSlot(year.config, e.slotKey);
  if (slot?.phase && !ref.phases.includes(slot.phase))
    throw invalid(fieldOf(e), `${slot.name}は${PHASE_LABELS[slot.phase]}の照会で入力します`);
  return false;
}

/**
 * Writes the department's entries sent with a save, after the answer's text and actuals are written
 * (an override is checked against what the new actual computes). Entries not sent stay as they are;
 * an entry sent empty, or equal to what the rule computes, clears the stored one.
 */
export async function saveAnswerEntries(
  tx: DbOrTx,
  actor: Actor,
  ref: AnswerRef & { phases: readonly Phase[] },
  entries: AnswerEntryInput[],
): Promise<number> {
  if (entries.length === 0) return 0;
  const year = await evaluateAnswer(tx, ref);
  const writes = entries.filter((e) => !unchanged(year, ref, e)).map((e) => ({ e, ...entryToWrite(year, ref, e) }));
  let changed = 0;
  for (const w of writes) {
    const target = {
      municipalityId: ref.municipalityId,
      planId: ref.planId,
      fiscalYear: ref.fiscalYear,
      slotKey: w.slot.key,
      subjectKind: w.e.subjectKind,
      subjectId: w.e.subjectId,
      departmentId: ref.departmentId,
    };
    if (await writeEntry(tx, actor, target, w.value, 'current')) changed++;
  }
  return changed;
}

/** The department's stored entries of several answers of one plan year, by `projectId:departmentId`. */
export async function answerEntries(
  db: DbOrTx,
  planId: number,
  fiscalYear: number,
  answers: { projectId: number; departmentId: number }[],
  indicatorProject: Map<number, number | null>,
): Promise<Map<string, AnswerEntryDto[]>> {
  const out = new Map<string, AnswerEntryDto[]>();
  if (answers.length === 0) return out;
  const wanted = new Set(answers.map((a) => `${a.projectId}:${a.departmentId}`));
  const rows = await repo.listEntryRows(db, planId, [fiscalYear], {
    departmentIds: [...new Set(answers.map((a) => a.departmentId))],
  });
  for (const r of rows) {
    if (r.subject_kind !== 'record' && r.subject_kind !== 'indicator') continue;
    const projectId = r.subject_kind === 'record' ? r.subject_id : indicatorProject.get(r.subject_id);
    const key = `${projectId}:${r.department_id}`;
    if (projectId == null || !wanted.has(key)) continue;
    if (r.code === null && r.reason === '' && r.comment === '') continue;
    const list = out.get(key) ?? [];
    list.push({
      slotKey: r.slot_key,
      subjectKind: r.subject_kind,
      subjectId: r.subject_id,
      code: r.code,
      reason: r.reason,
      comment: r.comment,
    });
    out.set(key, list);
  }
  return out;
}

/** Every slot's value for an answer and its indicator lines, with the facts each line's rule reads. */
export function answerValues(
  config: EvaluationConfig,
  evaluations: YearEvaluations,
  facts: YearFacts,
  projectId: number,
  departmentId: number,
): AnswerEvaluations {
  const stored = (slotKey: string, kind: 'record' | 'indicator', id: number) => {
    const e = facts.entries.find(
      (x) => x.slotKey === slotKey && x.subjectKind === kind && x.subjectId === id && x.departmentId === departmentId,
    );
    return e?.id !== undefined
      ? { id: e.id, version: e.version ?? 0, enteredByName: e.enteredByName ?? '', enteredAt: e.enteredAt ?? null }
      : undefined;
  };
  const pick = (kind: 'record' | 'indicator', id: number) => {
    const out: Record<string, SlotValueDto> = {};
    for (const s of config.slots) {
      const v = evaluations.get(s.key, kind, id, departmentId);
      if (v) out[s.key] = valueDto(v, stored(s.key, kind, id));
    }
    return out;
  };
  return {
    record: pick('record', projectId),
    lines: facts.lines
      .filter((l) => l.projectId === projectId && l.departmentId === departmentId)
      .map((l) => ({ indicatorId: l.indicatorId, facts: l.facts, values: pick('indicator', l.indicatorId) })),
  };
}

/**
 * Required department slots of an answer that hold no value yet in the round's phase: the field to
 * name and the message. An indicator slot counts on the answer itself where the answer has no line.
 */
export function missingRequired(
  config: EvaluationConfig,
  evaluations: YearEvaluations,
  answer: { projectId: number; departmentId: number; indicatorIds: number[] },
  phase: Phase,
): { field: string; message: string }[] {
  const missing: { field: string; message: string }[] = [];
  const required = config.slots.filter(
    (x) => x.required && departmentSlots(config).includes(x) && (x.phase === null || x.phase === phase),
  );
  for (const s of required) {
    const subjects = [
      { kind: 'record' as const, id: answer.projectId },
      ...answer.indicatorIds.map((id) => ({ kind: 'indicator' as const, id })),
    ];
    for (const subject of subjects) {
      const v = evaluations.get(s.key, subject.kind, subject.id, answer.departmentId);
      if (v && v.code === null && v.source !== 'excluded')
        missing.push({ field: `entries.${s.key}.${subject.kind}.${subject.id}`, message: `${s.name}を選んでください` });
    }
  }
  return missing;
}

/** The self-evaluation checks of an answer: each entered slot that names a computed slot to be checked against. */
export function answerChecks(
  config: EvaluationConfig,
  evaluations: YearEvaluations,
  facts: YearFacts,
  answer: {
    projectId: number;
    departmentId: number;
    resultText: string;
    remarks: string;
    lastYearResultText: string | null;
  },
): CheckFinding[] {
  const lines = facts.lines.filter((l) => l.projectId === answer.projectId && l.departmentId === answer.departmentId);
  return config.slots
    .filter((s) => s.enteredBy === 'department' && s.subject === 'record')
    .flatMap((s) => {
      const own = evaluations.get(s.key, 'record', answer.projectId, answer.departmentId);
      const against = s.checkAgainst ? findSlot(config, s.checkAgainst) : undefined;
      return checkAnswer({
        slotName: s.name,
        scale: slotScale(config, s),
        code: own?.code ?? null,
        reason: own?.reason ?? '',
        against: against
          ? {
              name: against.name,
              scale: slotScale(config, against),
              judgements: lines
                .map((l) => evaluations.get(against.key, 'indicator', l.indicatorId, l.departmentId)?.computed)
                .filter((j) => j != null),
            }
          : null,
        resultText: answer.resultText,
        lastYearResultText: answer.lastYearResultText,
        remarks: answer.remarks,
        lines: lines
          .filter((l) => l.facts.purpose !== 'monitoring')
          .map((l) => ({
            name: l.name,
            actualMissing:
              l.facts.actual.value === null && l.facts.actual.text === '' && l.facts.actual.status === null,
          })),
      });
    });
}
