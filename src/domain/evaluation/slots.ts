import type { EvaluationConfig, Scale, Slot } from './schema.js';
import { SUBJECT_RANK } from './terms.js';

/**
 * An evaluation slot is one evaluation a plan makes of its items: the department's self-evaluation of
 * each answer, the coordinating section's, a committee's or the council's, a computed judgement of
 * each indicator line against its target and another against the previous year, a ★ mark per 施策.
 * Each has its subject (what it evaluates), who enters it, in which phase, on which scale, and
 * whether it is printed and counted. A plan's slots and scales form its evaluation configuration,
 * which is versioned by fiscal year so that a revision never regrades the years before it.
 */

/** What is wrong with one slot, field by field (empty when nothing). */
export function slotProblems(slot: Slot, scale: Scale, slots: Slot[]): { field: keyof Slot; message: string }[] {
  const out: { field: keyof Slot; message: string }[] = [];
  const rule = scale.rule.kind;
  if (slot.enteredBy === 'computed' && rule === 'manual')
    out.push({ field: 'scale', message: '自動計算の評価には、計算する尺度を選んでください' });
  if (slot.enteredBy !== 'computed' && rule !== 'manual')
    out.push({
      field: 'scale',
      message: '手入力の評価には手入力の尺度を選んでください（計算する尺度は「自動計算」で使います）',
    });
  if (
    slot.enteredBy === 'computed' &&
    ['ratio', 'progress', 'trend', 'done'].includes(rule) &&
    slot.subject !== 'indicator'
  )
    out.push({ field: 'subject', message: '指標から計算する評価の対象は「指標の行」です' });
  if (rule === 'rollup') out.push(...rollupProblems(slot, slots));
  else if (slot.rollupFrom !== null)
    out.push({ field: 'rollupFrom', message: '集約の元は、集約する尺度のときだけ選べます' });
  if (slot.subject !== 'node' && slot.depth !== null)
    out.push({ field: 'depth', message: '階層は体系の評価のときだけ選べます' });
  if (slot.override && slot.enteredBy !== 'computed')
    out.push({ field: 'override', message: '計算と異なる評価の入力は、自動計算の評価のときだけ選べます' });
  if (slot.required && slot.enteredBy !== 'department')
    out.push({ field: 'required', message: '提出に必須にできるのは担当課が入力する評価だけです' });
  if (slot.subject === 'indicator' && slot.purposes.length === 0)
    out.push({ field: 'purposes', message: '評価する指標の種類を選んでください' });
  if (slot.checkAgainst !== null) {
    const other = slots.find((s) => s.key === slot.checkAgainst);
    if (!other || other.enteredBy !== 'computed')
      out.push({ field: 'checkAgainst', message: '照合する相手には自動計算の評価を選んでください' });
  }
  return out;
}

function rollupProblems(slot: Slot, slots: Slot[]): { field: keyof Slot; message: string }[] {
  if (slot.enteredBy !== 'computed') return [];
  const from = slots.find((s) => s.key === slot.rollupFrom);
  if (!from) return [{ field: 'rollupFrom', message: '集約の元にする評価を選んでください' }];
  const lower = SUBJECT_RANK[from.subject] < SUBJECT_RANK[slot.subject];
  const deeperNode =
    from.subject === 'node' &&
    slot.subject === 'node' &&
    from.depth !== null &&
    slot.depth !== null &&
    from.depth > slot.depth;
  if (!lower && !deeperNode)
    return [
      { field: 'rollupFrom', message: '集約の元には、より下の対象（指標の行・回答・下の階層）の評価を選んでください' },
    ];
  return [];
}

export function rollupCycle(slots: Slot[]): string[] | null {
  for (const start of slots) {
    const seen: string[] = [start.key];
    let at = start;
    while (at.rollupFrom) {
      const next = slots.find((s) => s.key === at.rollupFrom);
      if (!next) break;
      if (seen.includes(next.key)) return [...seen, next.key];
      seen.push(next.key);
      at = next;
    }
  }
  return null;
}

export const slotScale = (config: EvaluationConfig, slot: Slot): Scale =>
  config.scales.find((s) => s.key === slot.scale)!;

export const findSlot = (config: EvaluationConfig, slotKey: string): Slot | undefined =>
  config.slots.find((s) => s.key === slotKey);

/** Whether a slot evaluates a node of this depth. */
export const slotCoversDepth = (slot: Slot, depth: number): boolean =>
  slot.subject === 'node' && (slot.depth === null || slot.depth === depth);

/** A configuration in force from a fiscal year until the next version's year. */
export interface ConfigVersion {
  fromYear: number;
  config: EvaluationConfig;
}

/** The version in force in a fiscal year: the latest starting on or before it (the first one before all). */
export function versionFor<V extends { fromYear: number }>(versions: V[], fiscalYear: number): V | undefined {
  const sorted = [...versions].sort((a, b) => a.fromYear - b.fromYear);
  let found = sorted[0];
  for (const v of sorted) if (v.fromYear <= fiscalYear) found = v;
  return found;
}
