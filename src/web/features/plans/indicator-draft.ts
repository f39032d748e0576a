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
}

export function indicatorDraft(indicator: IndicatorDto | null): IndicatorDraft {
  return {
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

/** The body of a save: the targets of the plan's years that are filled in, in year order. */
export function indicatorBody(d: IndicatorDraft, years: number[]) {
  return {
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
