import type { IndicatorDto } from '../../lib/types.js';
import type { Direction, IndicatorKind } from '../../../domain/cycle-terms.js';
import type { IndicatorPurpose, TargetBasis } from '../../../domain/evaluation/index.js';

/** An indicator as its form holds it: texts as typed, the department as the select's value ('' for the whole project). */
export interface IndicatorDraft {
  name: string;
  unit: string;
  kind: IndicatorKind;
  direction: Direction;
  /** 目標値 (graded), 期待値, モニタリング (never graded) */
  purpose: IndicatorPurpose;
  /** each year's target, the sum of the years so far, or the final target */
  targetBasis: TargetBasis;
  /** why the terms change (kept with the change where a year is already fixed) */
  note: string;
  /** the first year the changed terms apply to; null: the first year not fixed */
  fromYear: number | null;
  departmentId: string;
  baseline: string;
  baselineYear: number | null;
  finalTarget: string;
  /** each fiscal year's target as typed */
  targets: Record<number, string>;
  /** the years it applies in (null: the plan's first / last year) */
  startYear: number | null;
  endYear: number | null;
}

/**
 * The form's draft of an indicator, or of a new one. A new one starts in the first year after the plan's fixed
 * years (those approved or published keep the indicators they had), or with the plan while none is fixed.
 */
export function indicatorDraft(indicator: IndicatorDto | null, fixedYears: readonly number[] = []): IndicatorDraft {
  return {
    startYear: indicator ? indicator.startYear : fixedYears.length ? Math.max(...fixedYears) + 1 : null,
    endYear: indicator?.endYear ?? null,
    name: indicator?.name ?? '',
    unit: indicator?.unit ?? '',
    kind: indicator?.kind ?? 'number',
    direction: indicator?.direction ?? 'higher',
    purpose: indicator?.purpose ?? 'target',
    targetBasis: indicator?.targetBasis ?? 'annual',
    note: '',
    fromYear: null,
    departmentId: indicator?.departmentId ? String(indicator.departmentId) : '',
    baseline: indicator?.baseline.text ?? '',
    baselineYear: indicator?.baseline.fiscalYear ?? null,
    finalTarget: indicator?.finalTarget.text ?? '',
    targets: Object.fromEntries((indicator?.targets ?? []).map((t) => [t.fiscalYear, t.text])),
  };
}

/** The plan's years the draft applies in. */
export const draftYears = (d: IndicatorDraft, years: readonly number[]): number[] =>
  years.filter((y) => (d.startYear === null || y >= d.startYear) && (d.endYear === null || y <= d.endYear));

/** The body of a save: the targets filled in of the plan's years the indicator applies in, in year order. */
export function indicatorBody(d: IndicatorDraft, planYears: readonly number[]) {
  const years = draftYears(d, planYears);
  return {
    startYear: d.startYear,
    endYear: d.endYear,
    name: d.name,
    unit: d.unit,
    kind: d.kind,
    direction: d.direction,
    purpose: d.purpose,
    targetBasis: d.targetBasis,
    note: d.note.trim(),
    fromYear: d.fromYear,
    departmentId: d.departmentId ? Number(d.departmentId) : null,
    baseline: d.baseline,
    baselineYear: d.baselineYear,
    finalTarget: d.finalTarget,
    targets: years.filter((y) => (d.targets[y] ?? '').trim()).map((y) => ({ fiscalYear: y, text: d.targets[y]! })),
  };
}

/** The last of the plan's fixed years (approved or published) that the indicator applies in; null for none. */
export function lastFixedYearOf(
  i: { startYear: number | null; endYear: number | null },
  fixedYears: readonly number[],
): number | null {
  const used = fixedYears.filter(
    (y) => (i.startYear === null || y >= i.startYear) && (i.endYear === null || y <= i.endYear),
  );
  return used.length ? Math.max(...used) : null;
}

/**
 * Whether removing the indicator can do anything: not where a fixed year uses it up to its own last year (it
 * can be neither deleted nor ended earlier). Actuals of later years, which the list does not carry, the server
 * checks.
 */
export function mayRemove(
  i: { startYear: number | null; endYear: number | null },
  fixedYears: readonly number[],
  planLastYear: number,
): boolean {
  const fixed = lastFixedYearOf(i, fixedYears);
  return fixed === null || fixed < (i.endYear ?? planLastYear);
}
