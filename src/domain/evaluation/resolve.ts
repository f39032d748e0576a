import { counts, DASH, gradeDef, handCodes } from './codes.js';
import type { Scale, Slot } from './schema.js';
import type { Judgement } from './rules.js';

/**
 * What a slot prints for one subject, from what its rule computed and what a person entered — and
 * whether an entry may be stored at all. A computed value and an entered one never disagree
 * silently: an entry that differs from the computation is an override with its reason (printed),
 * allowed only where the slot says so; an entry nothing can use is refused with a message.
 */

export type EvaluationSource = 'computed' | 'entered' | 'override' | 'none' | 'excluded';
export const EVALUATION_SOURCE_LABELS: Record<EvaluationSource, string> = {
  computed: '計算',
  entered: '入力',
  override: '計算と異なる入力',
  none: '未評価',
  excluded: '評価しない',
};

export interface Entry {
  code: string | null;
  reason: string;
  comment?: string;
}

export interface Resolved {
  code: string | null;
  level: string | null;
  source: EvaluationSource;
  /** the reason given for an entry (overrides print it), or how the code was computed */
  reason: string;
  comment: string;
  computed: Judgement | null;
}

export function resolveSlot(slot: Slot, computed: Judgement | null, entry: Entry | null, scale: Scale): Resolved {
  const code = entry?.code?.trim() || null;
  const base = { reason: entry?.reason ?? '', comment: entry?.comment ?? '', computed };
  if (slot.enteredBy !== 'computed' || computed === null)
    return { ...base, code, level: code, source: code ? 'entered' : 'none' };
  if (code === null) {
    if (computed.excluded) return { ...base, code: null, level: null, source: 'excluded', reason: computed.basis };
    if (computed.code === null) return { ...base, code: null, level: null, source: 'none', reason: computed.basis };
    return { ...base, code: computed.code, level: computed.level, source: 'computed', reason: computed.basis };
  }
  if (computed.code === null) {
    // Where the rule ran and could not compute, the scale's hand codes (着手) and codes it does not count (—)
    // are entries of their own; a counted level code of the rule (×) disagrees with it: an override with its
    // reason (an import gives the report as the reason; one stored without a reason before is an entry, as then).
    const own = !counts(scale, code) || handCodes(scale).some((g) => g.code === code) || !entry?.reason.trim();
    if (computed.excluded || own) return { ...base, code, level: code, source: 'entered' };
    return { ...base, code, level: null, source: 'override' };
  }
  if (code === computed.code)
    return { ...base, code: computed.code, level: computed.level, source: 'computed', reason: computed.basis };
  // Two codes the scale does not count (「-」 and 「—」) mean the same: no override, the entry's glyph as written.
  if (!counts(scale, code) && !counts(scale, computed.code))
    return { ...base, code, level: code, source: 'computed', reason: computed.basis };
  // The level stays the computed one (達成度 3 beside an overridden ◎): what the numbers say is printed too.
  return { ...base, code, level: computed.level, source: 'override' };
}

/**
 * Whether an entry may be stored in a slot, given what the rule computes now: the message to show
 * beside the field, or null. An entry equal to the computation is not stored (see `entryToStore`).
 */
export function entryProblem(slot: Slot, scale: Scale, computed: Judgement | null, entry: Entry): string | null {
  const code = entry.code?.trim() || null;
  if (code === null) return null;
  const known = gradeDef(scale, code);
  if (slot.enteredBy !== 'computed')
    return known
      ? null
      : `「${code}」は${slot.name}の凡例にありません（${scale.grades.map((g) => g.code).join('・')}）`;
  if (computed?.excluded) return `この指標は評価しない指標のため、${slot.name}は入れられません`;
  if (computed && computed.code !== null) {
    if (code === computed.code) return null;
    if (!slot.override) return `${slot.name}は計算で決まります（${computed.code}：${computed.basis}）`;
    if (!known) return `「${code}」は${slot.name}の凡例にありません`;
    if (!entry.reason.trim()) return `計算（${computed.code}）と異なる${slot.name}にする理由を入力してください`;
    return null;
  }
  const hand = handCodes(scale);
  if (!hand.some((g) => g.code === code))
    return hand.length
      ? `計算できないときに選べる${slot.name}は ${hand.map((g) => g.code).join('・')} です`
      : `${slot.name}は計算で決まるため入力できません${computed?.basis ? `（${computed.basis}）` : ''}`;
  return null;
}

type EntryText = string | null | undefined;
const sameText = (a: EntryText, b: EntryText) => (a?.trim() || null) === (b?.trim() || null);

/** Whether two entries hold the same value: code, reason and comment, blanks and surrounding spaces aside. */
export function sameEntryValue(
  a: { code: EntryText; reason?: EntryText; comment?: EntryText } | undefined,
  b: { code: EntryText; reason?: EntryText; comment?: EntryText },
): boolean {
  return sameText(a?.code, b.code) && sameText(a?.reason, b.reason) && sameText(a?.comment, b.comment);
}

/** The entry as stored: nothing where it only repeats what the rule computes. */
export function entryToStore(slot: Slot, computed: Judgement | null, entry: Entry): Entry | null {
  const code = entry.code?.trim() || null;
  const comment = entry.comment?.trim() ?? '';
  if (slot.enteredBy === 'computed' && computed && code === computed.code && !comment) return null;
  if (code === null && !comment && !entry.reason.trim()) return null;
  return { code, reason: entry.reason.trim(), comment };
}

/** The words a screen reader says for a code: 「◎（目標を達成）」, 「未評価」. */
export function codeSpeech(scale: Scale, code: string | null): string {
  if (code === null) return '未評価';
  const def = gradeDef(scale, code);
  if (def?.label) return `${code}（${def.label}）`;
  if (DASH.test(code)) return `評価の対象外（記号 ${code}）`;
  return code;
}
