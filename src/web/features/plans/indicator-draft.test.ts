import { describe, expect, it } from 'vitest';
import { indicatorBody, indicatorDraft, lastFixedYearOf, mayRemove } from './indicator-draft.js';
import type { IndicatorDto } from '../../lib/types.js';

const indicator: IndicatorDto = {
  id: 7,
  projectId: 1,
  nodeId: null,
  startYear: null,
  endYear: null,
  purpose: 'expected',
  targetBasis: 'cumulative',
  revisions: [
    {
      fromYear: 2024,
      note: '中間見直し',
      before: {
        direction: 'higher' as const,
        purpose: 'expected' as const,
        targetBasis: 'cumulative' as const,
        baseline: { text: '80', fiscalYear: 2020 },
        finalTarget: '120',
      },
      after: {
        ...{
          direction: 'higher' as const,
          purpose: 'expected' as const,
          targetBasis: 'cumulative' as const,
          baseline: { text: '80', fiscalYear: 2020 },
          finalTarget: '120',
        },
        finalTarget: '150',
      },
    },
  ],
  departmentId: 5,
  name: '受講者数',
  unit: '人',
  kind: 'number',
  direction: 'higher',
  baseline: { value: 80, text: '80', fiscalYear: 2020 },
  finalTarget: { value: 150, text: '150' },
  targets: [
    { fiscalYear: 2023, value: 120, text: '120' },
    { fiscalYear: 2021, value: 100, text: '100' },
  ],
};

describe('an indicator’s form', () => {
  it('starts empty for a new indicator, counting upwards', () => {
    expect(indicatorDraft(null)).toEqual({
      name: '',
      unit: '',
      kind: 'number',
      direction: 'higher',
      purpose: 'target',
      targetBasis: 'annual',
      note: '',
      fromYear: null,
      departmentId: '',
      baseline: '',
      baselineYear: null,
      finalTarget: '',
      targets: {},
      startYear: null,
      endYear: null,
    });
  });

  it('starts a new indicator after the plan’s fixed years, and keeps an existing one’s years', () => {
    expect(indicatorDraft(null, [2021, 2022])).toMatchObject({ startYear: 2023, endYear: null });
    expect(indicatorDraft({ ...indicator, startYear: 2022, endYear: 2024 }, [2021, 2022, 2023])).toMatchObject({
      startYear: 2022,
      endYear: 2024,
    });
  });

  it('sends the targets of the years it applies in only', () => {
    const d = { ...indicatorDraft(indicator), startYear: 2022, endYear: 2023 };
    expect(indicatorBody(d, [2021, 2022, 2023, 2024])).toMatchObject({
      startYear: 2022,
      endYear: 2023,
      targets: [{ fiscalYear: 2023, text: '120' }],
    });
  });

  it('saves what was read back, with the filled-in targets of the plan’s years in order', () => {
    const d = indicatorDraft(indicator);
    expect(d.departmentId).toBe('5');
    const body = indicatorBody(
      { ...d, note: ' 見直し ', fromYear: 2025, targets: { ...d.targets, 2022: '  ', 2030: '9' } },
      [2021, 2022, 2023, 2024],
    );
    expect(body).toEqual({
      startYear: null,
      endYear: null,
      name: '受講者数',
      unit: '人',
      kind: 'number',
      direction: 'higher',
      purpose: 'expected',
      targetBasis: 'cumulative',
      note: '見直し',
      fromYear: 2025,
      departmentId: 5,
      baseline: '80',
      baselineYear: 2020,
      finalTarget: '150',
      targets: [
        { fiscalYear: 2021, text: '100' },
        { fiscalYear: 2023, text: '120' },
      ],
    });
    expect(indicatorBody({ ...d, departmentId: '' }, []).departmentId).toBeNull();
  });
});

describe('removing an indicator', () => {
  it('ends one a fixed year uses, and offers nothing where it is used up to its own last year', () => {
    const span = (startYear: number | null, endYear: number | null) => ({ startYear, endYear });
    expect(lastFixedYearOf(span(null, null), [2023, 2024])).toBe(2024);
    expect(lastFixedYearOf(span(2025, null), [2023, 2024])).toBeNull();
    expect(lastFixedYearOf(span(null, 2023), [2023, 2024])).toBe(2023);
    expect(mayRemove(span(null, null), [2023, 2024], 2027)).toBe(true);
    expect(mayRemove(span(null, 2024), [2023, 2024], 2027)).toBe(false);
    expect(mayRemove(span(null, null), [2027], 2027)).toBe(false);
    expect(mayRemove(span(2025, 2026), [2023, 2024], 2027)).toBe(true);
  });
});
