import { describe, expect, it } from 'vitest';
import { nextRoundYear } from './round-year.js';
import type { PlanSummary, RoundDto } from '../../lib/types.js';

const plan = { id: 1, firstYear: 2021, lastYear: 2030 } as PlanSummary;
const round = (id: number, fiscalYear: number, phase: RoundDto['phase'], planId = 1) =>
  ({ id, planId, fiscalYear, phase }) as RoundDto;

describe('the year a new round asks about', () => {
  it('is the year after a year-end round, the same year after an earlier phase', () => {
    expect(nextRoundYear(plan, [round(1, 2024, 'end'), round(2, 2025, 'end')], 2026)).toBe(2026);
    expect(nextRoundYear(plan, [round(1, 2024, 'end'), round(2, 2025, 'start')], 2026)).toBe(2025);
  });

  it('is the year just ended without a round of the plan, within the plan period', () => {
    expect(nextRoundYear(plan, [round(1, 2027, 'end', 2)], 2026)).toBe(2025);
    expect(nextRoundYear(plan, [], 2019)).toBe(2021);
    expect(nextRoundYear(plan, [round(1, 2030, 'end')], 2031)).toBe(2030);
  });
});
