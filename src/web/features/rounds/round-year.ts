import type { PlanSummary, RoundDto } from '../../lib/types.js';
import { fiscalYearInJapan } from '../../../domain/effective.js';

/**
 * The year a plan's next round asks about: after a year-end round, the next year; after an earlier phase,
 * the same year; with no round yet, the fiscal year just ended (its year-end survey) — within the plan period.
 */
export function nextRoundYear(plan: PlanSummary, rounds: RoundDto[], today = fiscalYearInJapan()): number {
  const own = rounds.filter((r) => r.planId === plan.id).sort((a, b) => b.fiscalYear - a.fiscalYear || b.id - a.id);
  const last = own[0];
  const year = last ? (last.phase === 'end' ? last.fiscalYear + 1 : last.fiscalYear) : today - 1;
  return Math.min(Math.max(year, plan.firstYear), plan.lastYear);
}
