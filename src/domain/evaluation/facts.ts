import type { Direction } from '../cycle.js';
import type { ActualStatus } from '../values.js';
import type { LineFacts, Value } from './rules.js';
import type { IndicatorPurpose, TargetBasis } from './terms.js';

/**
 * The facts of one indicator line in one fiscal year, as the rules read them: the indicator as it
 * stood that year (revisions apply from their year on), the year's target, the line's actual, the
 * year before's and the sum of the years so far. One function for the sheet, the server's checks and
 * the reports, so that all three compute from the same facts.
 */

export interface IndicatorTerms {
  direction: Direction;
  purpose: IndicatorPurpose;
  targetBasis: TargetBasis;
  baselineValue: number | null;
  baselineText: string;
  baselineYear: number | null;
  finalTargetValue: number | null;
  finalTargetText: string;
}

export interface IndicatorRevision extends IndicatorTerms {
  fromYear: number;
  note: string;
}

export interface IndicatorDef extends IndicatorTerms {
  id: number;
  /** later terms, each from its fiscal year on */
  revisions: IndicatorRevision[];
}

/** The indicator's terms in force in a fiscal year: the latest revision from that year or before, else its own. */
export function termsAsOf(def: IndicatorDef, fiscalYear: number): IndicatorTerms & { fromYear: number | null } {
  const revision = [...def.revisions]
    .filter((r) => r.fromYear <= fiscalYear)
    .sort((a, b) => b.fromYear - a.fromYear)[0];
  const t = revision ?? def;
  return {
    direction: t.direction,
    purpose: t.purpose,
    targetBasis: t.targetBasis,
    baselineValue: t.baselineValue,
    baselineText: t.baselineText,
    baselineYear: t.baselineYear,
    finalTargetValue: t.finalTargetValue,
    finalTargetText: t.finalTargetText,
    fromYear: revision?.fromYear ?? null,
  };
}

export interface ActualFact {
  fiscalYear: number;
  value: number | null;
  text: string;
  status: ActualStatus | null;
}

const valueOf = (a: ActualFact | undefined): Value => ({
  value: a?.value ?? null,
  text: a?.text ?? '',
  status: a?.status ?? null,
});

/**
 * The sum of a line's actuals from the first year to this one: years with no answer count nothing; a
 * year answered with something other than a number leaves the sum unknown (null).
 */
export function cumulativeActual(actuals: ActualFact[], firstYear: number, fiscalYear: number): number | null {
  let sum = 0;
  for (const a of actuals) {
    if (a.fiscalYear < firstYear || a.fiscalYear > fiscalYear) continue;
    if (a.value !== null) sum += a.value;
    else if (a.text.trim() !== '' && a.status === null) return null;
  }
  return Math.round(sum * 1e9) / 1e9;
}

export function lineFactsOf(
  def: IndicatorDef,
  fiscalYear: number,
  input: {
    /** the year's target as written, '' where the year has none */
    target: string;
    /** the line's actuals of every year answered (this department's) */
    actuals: ActualFact[];
    /** the first year of the plan: where a cumulative target starts counting */
    firstYear: number;
  },
): LineFacts {
  const terms = termsAsOf(def, fiscalYear);
  const actual = input.actuals.find((a) => a.fiscalYear === fiscalYear);
  const previous = input.actuals.find((a) => a.fiscalYear === fiscalYear - 1);
  return {
    purpose: terms.purpose,
    direction: terms.direction,
    basis: terms.targetBasis,
    baseline: terms.baselineValue,
    target: input.target,
    finalTarget: terms.finalTargetText || (terms.finalTargetValue !== null ? String(terms.finalTargetValue) : ''),
    actual: valueOf(actual),
    previous: previous ? valueOf(previous) : null,
    cumulative: cumulativeActual(input.actuals, input.firstYear, fiscalYear),
  };
}
