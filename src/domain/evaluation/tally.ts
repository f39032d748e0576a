import { counts, gradeDef } from './codes.js';
import type { Scale } from './schema.js';
import type { EvaluationSource } from './resolve.js';

/**
 * Counts of one slot's codes over a set of subjects, in the scale's order (an array, so that JSON keeps
 * the order too: an object with keys 1–5 would be re-ordered by every JavaScript engine), with
 * points totals.
 */
export interface SlotTally {
  counts: { code: string; label: string; count: number }[];
  /** subjects with a counted code */
  graded: number;
  /** subjects printed with a code the scale does not count (—, 隔年実施) */
  notGraded: number;
  /** subjects without a code yet */
  ungraded: number;
  /** subjects the slot does not evaluate (monitoring indicators) */
  excluded: number;
  /** entries that differ from the computation */
  overrides: number;
  points: { total: number; scored: number; average: number | null };
}

export function emptySlotTally(scale: Scale): SlotTally {
  return {
    counts: scale.grades.filter((g) => g.tally).map((g) => ({ code: g.code, label: g.label, count: 0 })),
    graded: 0,
    notGraded: 0,
    ungraded: 0,
    excluded: 0,
    overrides: 0,
    points: { total: 0, scored: 0, average: null },
  };
}

export function addToSlotTally(
  scale: Scale,
  t: SlotTally,
  value: { code: string | null; source: EvaluationSource },
): void {
  if (value.source === 'excluded') {
    t.excluded++;
    return;
  }
  if (value.source === 'override') t.overrides++;
  const code = value.code;
  if (code === null) t.ungraded++;
  else if (!counts(scale, code)) t.notGraded++;
  else {
    const row = t.counts.find((c) => c.code === code);
    if (row) row.count++;
    // A counted code the legend does not list (an import's) is counted after the legend's codes.
    else t.counts.push({ code, label: '', count: 1 });
    t.graded++;
    const points = gradeDef(scale, code)?.points;
    if (typeof points === 'number') {
      t.points.total += points;
      t.points.scored++;
    }
  }
  t.points.average = t.points.scored ? Math.round((t.points.total / t.points.scored) * 100) / 100 : null;
}

export function mergeSlotTallies(scale: Scale, tallies: SlotTally[]): SlotTally {
  const out = emptySlotTally(scale);
  for (const t of tallies) {
    for (const c of t.counts) {
      const row = out.counts.find((r) => r.code === c.code);
      if (row) row.count += c.count;
      else out.counts.push({ ...c });
    }
    out.graded += t.graded;
    out.notGraded += t.notGraded;
    out.ungraded += t.ungraded;
    out.excluded += t.excluded;
    out.overrides += t.overrides;
    out.points.total += t.points.total;
    out.points.scored += t.points.scored;
  }
  out.points.average = out.points.scored ? Math.round((out.points.total / out.points.scored) * 100) / 100 : null;
  return out;
}

/** The count of one code in a tally (0 where it has none). */
export const countOf = (t: SlotTally, code: string): number => t.counts.find((c) => c.code === code)?.count ?? 0;
