import { describe, expect, it } from 'vitest';
import {
  cumulativeActual,
  judgeLine,
  lineFactsOf,
  slotScale,
  termsAsOf,
  type ActualFact,
  type IndicatorDef,
} from './index.js';
import { presetConfig } from './presets.js';

const def: IndicatorDef = {
  id: 1,
  direction: 'higher',
  purpose: 'target',
  targetBasis: 'final',
  baselineValue: 20,
  baselineText: '20%',
  baselineYear: 2020,
  finalTargetValue: 40,
  finalTargetText: '40%',
  revisions: [
    {
      fromYear: 2024,
      direction: 'higher',
      purpose: 'target',
      targetBasis: 'final',
      baselineValue: 20,
      baselineText: '20%',
      baselineYear: 2020,
      finalTargetValue: 50,
      finalTargetText: '50%',
      note: '中間見直しで上方修正',
    },
  ],
};
const actual = (fiscalYear: number, text: string): ActualFact => ({
  fiscalYear,
  value: Number.isNaN(Number(text.replace('%', ''))) || text === '' ? null : Number(text.replace('%', '')),
  text,
  status: null,
});

describe('targets keep their history', () => {
  it('a revision applies from its year; the years before keep their target and their grade', () => {
    expect(termsAsOf(def, 2023)).toMatchObject({ finalTargetText: '40%', fromYear: null });
    expect(termsAsOf(def, 2024)).toMatchObject({ finalTargetText: '50%', fromYear: 2024 });
    expect(termsAsOf(def, 2026)).toMatchObject({ finalTargetText: '50%' });
    const progress = presetConfig('progress-negative')!;
    const scale = slotScale(progress, progress.slots[0]!);
    const actuals = [actual(2023, '40%'), actual(2024, '40%')];
    const grade = (year: number) =>
      judgeLine(scale, lineFactsOf(def, year, { target: '', actuals, firstYear: 2021 })).code;
    // 40% reached the first target (A) in 2023; against the revised 50% the same 40% is B in 2024.
    expect(grade(2023)).toBe('A');
    expect(grade(2024)).toBe('B');
  });
});

describe('the facts of a line', () => {
  it('carry the year before and the sum of the years so far', () => {
    const actuals = [actual(2021, '3'), actual(2022, '4'), actual(2023, '5')];
    const f = lineFactsOf({ ...def, revisions: [] }, 2023, { target: '12', actuals, firstYear: 2021 });
    expect(f.actual.value).toBe(5);
    expect(f.previous?.value).toBe(4);
    expect(f.cumulative).toBe(12);
    expect(f.target).toBe('12');
  });

  it('the sum skips years not answered and is unknown where a year is not a number', () => {
    expect(cumulativeActual([actual(2021, '3'), actual(2023, '5')], 2021, 2023)).toBe(8);
    expect(cumulativeActual([actual(2021, '3'), actual(2022, '実施'), actual(2023, '5')], 2021, 2023)).toBeNull();
    expect(cumulativeActual([actual(2020, '9'), actual(2021, '0.1'), actual(2022, '0.2')], 2021, 2022)).toBe(0.3);
  });
});
