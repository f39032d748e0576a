import type { ActualDto, AnswerEntryDto, IndicatorDto, SheetItem, SlotValueDto } from '../../lib/types.js';
import {
  entryProblem,
  handCodes,
  judgeSlotLine,
  resolveSlot,
  sameEntryValue,
  slotScale,
  type EvaluationConfig,
  type GradeDef,
  type Judgement,
  type LineFacts,
  type Resolved,
  type Scale,
  type Slot,
} from '../../../domain/evaluation/index.js';
import { readActual, type Phase } from '../../../domain/cycle-terms.js';
import type { ActualStatus } from '../../../domain/values.js';

/**
 * The evaluations of one answer as its sheet shows them while it is typed: each slot the plan gives
 * the department (its own, and computed ones it may override with a reason), each computed slot of
 * an indicator line recomputed from the actual being typed, and what an entry lacks before it can be
 * saved — the same rules and messages as the server's (src/domain/evaluation).
 */

/** Which slot, on which subject: the answer itself (its project) or one of its indicator lines. */
export type EntryRef = Pick<AnswerEntryDto, 'slotKey' | 'subjectKind' | 'subjectId'>;

/** The field the server names for an entry: `entries.<slot>.<record|indicator>.<id>`. */
export const entryField = (r: EntryRef): string => `entries.${r.slotKey}.${r.subjectKind}.${r.subjectId}`;

const sameRef = (a: EntryRef, b: EntryRef) =>
  a.slotKey === b.slotKey && a.subjectKind === b.subjectKind && a.subjectId === b.subjectId;

const isEmpty = (e: AnswerEntryDto) => e.code === null && e.reason === '' && e.comment === '';

/** Entries in one order with the empty ones left out, so that two lists of the same entries compare equal. */
export function canonicalEntries(entries: AnswerEntryDto[]): AnswerEntryDto[] {
  return entries
    .filter((e) => !isEmpty(e))
    .map((e) => ({
      slotKey: e.slotKey,
      subjectKind: e.subjectKind,
      subjectId: e.subjectId,
      code: e.code,
      reason: e.reason,
      comment: e.comment,
    }))
    .sort((a, b) => entryField(a).localeCompare(entryField(b)));
}

export const findEntry = (entries: AnswerEntryDto[], ref: EntryRef): AnswerEntryDto | undefined =>
  entries.find((e) => sameRef(e, ref));

/** The entries with one of them changed (added where it was not there, left out where it is now empty). */
export function withEntry(
  entries: AnswerEntryDto[],
  ref: EntryRef,
  patch: Partial<Pick<AnswerEntryDto, 'code' | 'reason' | 'comment'>>,
): AnswerEntryDto[] {
  const current = findEntry(entries, ref) ?? { ...ref, code: null, reason: '', comment: '' };
  const next = { ...current, ...patch, slotKey: ref.slotKey, subjectKind: ref.subjectKind, subjectId: ref.subjectId };
  return canonicalEntries([...entries.filter((e) => !sameRef(e, ref)), next]);
}

/**
 * A slot a department fills on its answer: its own on answers and lines, and computed ones — with a
 * hand code where nothing computes (着手, 未着手), and another code with a reason where the slot allows it.
 */
export const isDepartmentSlot = (s: Slot): boolean =>
  (s.subject === 'record' || s.subject === 'indicator') && (s.enteredBy === 'department' || s.enteredBy === 'computed');

export interface SheetSlots {
  /** on the answer itself */
  record: Slot[];
  /** on every indicator line, side by side */
  lines: Slot[];
  /** computed line slots: on an answer without lines, a hand code on the answer */
  bare: Slot[];
}

export function sheetSlots(config: EvaluationConfig): SheetSlots {
  return {
    record: config.slots.filter((s) => s.subject === 'record' && isDepartmentSlot(s)),
    lines: config.slots.filter((s) => s.subject === 'indicator'),
    bare: config.slots.filter((s) => s.subject === 'indicator' && s.enteredBy === 'computed' && isDepartmentSlot(s)),
  };
}

/** The slots whose legend the sheet shows: those it shows a value or a choice of, one per scale. */
export function legendScales(config: EvaluationConfig): { scale: Scale; slots: string[] }[] {
  const { record, lines } = sheetSlots(config);
  const out: { scale: Scale; slots: string[] }[] = [];
  for (const s of [...record, ...lines]) {
    const scale = slotScale(config, s);
    const known = out.find((o) => o.scale.key === scale.key);
    if (known) known.slots.push(s.name);
    else out.push({ scale, slots: [s.name] });
  }
  return out;
}

/**
 * A line's facts with the actual as typed: the actual replaced, and the sum of the years so far moved
 * by the difference from the actual the facts were read with.
 */
export function liveFacts(
  facts: LineFacts,
  saved: Pick<ActualDto, 'value'> | undefined,
  typed: { text: string; status: ActualStatus | null },
  kind: IndicatorDto['kind'],
): LineFacts {
  const read = readActual(typed, kind);
  const cumulative =
    facts.cumulative === null
      ? null
      : Math.round((facts.cumulative - (saved?.value ?? 0) + (read.value ?? 0)) * 1e9) / 1e9;
  return { ...facts, actual: { value: read.value, text: read.text, status: read.status }, cumulative };
}

/** What the server computed for a subject, as a judgement (for the answer's own computed values). */
export function judgementOf(slot: Slot, value: SlotValueDto | undefined): Judgement | null {
  if (slot.enteredBy !== 'computed' || !value) return null;
  if (value.source === 'excluded') return { code: null, level: null, ratio: null, basis: value.basis, excluded: true };
  if (value.computedCode === null) return null;
  return { code: value.computedCode, level: value.level, ratio: null, basis: value.basis, excluded: false };
}

/** How a slot takes input on one subject. */
export type SlotMode =
  /** a department slot: any code of its legend */
  | 'enter'
  /** computed, and the department may choose another code with a reason */
  | 'override'
  /** nothing computed here: the codes a person may choose by hand */
  | 'hand'
  /** shown only */
  | 'show';

export interface SlotView {
  slot: Slot;
  scale: Scale;
  ref: EntryRef;
  entry: AnswerEntryDto | undefined;
  judgement: Judgement | null;
  /** what prints, from the computation and the entry being typed */
  resolved: Resolved;
  mode: SlotMode;
  /** the codes offered */
  choices: GradeDef[];
  /** what keeps the entry from being saved, to show beside it */
  problem: string | null;
  /** required to submit in the round's phase */
  required: boolean;
  /** the phase whose round enters the slot, where it is not this round's (shown, not entered, here) */
  enteredIn: Phase | null;
}

function modeOf(slot: Slot, scale: Scale, judgement: Judgement | null): { mode: SlotMode; choices: GradeDef[] } {
  if (slot.enteredBy !== 'computed') return { mode: isDepartmentSlot(slot) ? 'enter' : 'show', choices: scale.grades };
  if (!isDepartmentSlot(slot) || judgement?.excluded) return { mode: 'show', choices: [] };
  if (judgement && judgement.code !== null)
    return slot.override ? { mode: 'override', choices: scale.grades } : { mode: 'show', choices: [] };
  const hand = handCodes(scale);
  return hand.length ? { mode: 'hand', choices: hand } : { mode: 'show', choices: [] };
}

export function slotView(
  config: EvaluationConfig,
  slot: Slot,
  ref: EntryRef,
  judgement: Judgement | null,
  entries: AnswerEntryDto[],
  phase: Phase,
): SlotView {
  const scale = slotScale(config, slot);
  const entry = findEntry(entries, ref);
  const enteredIn = isDepartmentSlot(slot) && slot.phase !== null && slot.phase !== phase ? slot.phase : null;
  const { mode, choices } = enteredIn ? { mode: 'show' as const, choices: [] } : modeOf(slot, scale, judgement);
  return {
    slot,
    scale,
    ref,
    entry,
    judgement,
    resolved: resolveSlot(slot, judgement, entry ?? null, scale),
    mode,
    choices,
    problem: entry && mode !== 'show' ? entryProblem(slot, scale, judgement, entry) : null,
    required: slot.required && isDepartmentSlot(slot) && (slot.phase === null || slot.phase === phase),
    enteredIn,
  };
}

export interface AnswerViews {
  /** the answer's own slots */
  record: SlotView[];
  /** each indicator line's slots, by indicator id, in the order of the sheet's line slots */
  lines: Map<number, SlotView[]>;
}

/** Every slot of an answer as the sheet shows it now: the lines recomputed from the actuals being typed. */
export function answerViews(
  config: EvaluationConfig,
  item: Pick<SheetItem, 'project' | 'record' | 'indicators' | 'evaluations'>,
  draft: { actuals: { indicatorId: number; text: string; status: ActualStatus | null }[]; entries: AnswerEntryDto[] },
  phase: Phase,
): AnswerViews {
  const slots = sheetSlots(config);
  // An entry as it is stored is never what keeps a save back (an imported code the sheet would not offer):
  // the server leaves it alone too.
  const asStored = (v: SlotView): SlotView => {
    if (!v.problem || !v.entry) return v;
    const was = findEntry(item.record.entries, v.ref);
    return was && sameEntryValue(v.entry, was) ? { ...v, problem: null } : v;
  };
  const onAnswer = [...slots.record, ...slots.bare.filter((s) => item.evaluations.record[s.key] !== undefined)]
    .map((s) =>
      slotView(
        config,
        s,
        { slotKey: s.key, subjectKind: 'record', subjectId: item.project.id },
        judgementOf(s, item.evaluations.record[s.key]),
        draft.entries,
        phase,
      ),
    )
    .map(asStored);
  const lines = new Map<number, SlotView[]>();
  for (const line of item.evaluations.lines) {
    const indicator = item.indicators.find((i) => i.id === line.indicatorId);
    const typed = draft.actuals.find((a) => a.indicatorId === line.indicatorId);
    const facts =
      indicator && typed
        ? liveFacts(
            line.facts,
            item.record.actuals.find((a) => a.indicatorId === line.indicatorId),
            typed,
            indicator.kind,
          )
        : line.facts;
    const views = slots.lines
      .filter((s) => line.values[s.key] !== undefined)
      .map((s) =>
        slotView(
          config,
          s,
          { slotKey: s.key, subjectKind: 'indicator', subjectId: line.indicatorId },
          s.enteredBy === 'computed' ? judgeSlotLine(s, slotScale(config, s), facts) : null,
          draft.entries,
          phase,
        ),
      );
    lines.set(line.indicatorId, views.map(asStored));
  }
  return { record: onAnswer, lines };
}

/** The entries that cannot be saved as they stand, each with the message shown beside it. */
export function entryProblems(views: AnswerViews): { field: string; label: string; message: string }[] {
  return [...views.record, ...[...views.lines.values()].flat()]
    .filter((v) => v.problem !== null)
    .map((v) => ({ field: entryField(v.ref), label: v.slot.name, message: v.problem! }));
}

/** The entries a save sends: every department entry as edited, and those stored before and now removed, emptied. */
export function entriesToSend(
  config: EvaluationConfig,
  entries: AnswerEntryDto[],
  stored: AnswerEntryDto[],
): AnswerEntryDto[] {
  const ours = new Set(config.slots.filter(isDepartmentSlot).map((s) => s.key));
  const removed = stored
    .filter((s) => !findEntry(entries, s))
    .map((s) => ({ ...s, code: null, reason: '', comment: '' }));
  return [...entries, ...removed].filter((e) => ours.has(e.slotKey));
}

/** An entry named as the sheet shows it: the slot's name, and the indicator's for a line (評価「講座開催回数」). */
export function entryLabel(
  config: EvaluationConfig,
  indicators: Pick<IndicatorDto, 'id' | 'name'>[],
  ref: EntryRef,
): string {
  const name = config.slots.find((s) => s.key === ref.slotKey)?.name ?? ref.slotKey;
  if (ref.subjectKind === 'record') return name;
  return `${name}「${indicators.find((i) => i.id === ref.subjectId)?.name ?? `指標${ref.subjectId}`}」`;
}
