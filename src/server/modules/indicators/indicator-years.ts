import { eraYearLabel } from '../../../domain/fiscal-year.js';
import { fieldLabel } from '../../../domain/field-labels.js';
import type { DbOrTx } from '../../db/types.js';
import { AppError, invalid } from '../../http/errors.js';
import { fixedYears } from '../evaluations/index.js';
import { municipalityEra } from '../municipalities/index.js';
import { planSpan, rowInYear } from '../plans/index.js';
import { actualYears } from './indicators.repository.js';

/**
 * The fiscal years an indicator applies in, as nodes and projects have them: a year's sheets, save
 * checks, evaluations and reports read only the indicators that apply in it. A year already fixed
 * (an answer approved or a report published) keeps the indicators it had: none is added to it or
 * taken out of it afterwards, so an indicator added for next year leaves the approved year as it was.
 */
export interface IndicatorSpan {
  first_year: number | null;
  last_year: number | null;
}

/** What the form sends: absent bounds keep the stored ones (or take the defaults on a new indicator). */
export interface SpanInput {
  startYear?: number | null | undefined;
  endYear?: number | null | undefined;
}

/** A span in which no year applies: what a new indicator is "before" it is added. */
const NOWHERE: IndicatorSpan = { first_year: Number.POSITIVE_INFINITY, last_year: null };

/**
 * The first year of a new indicator when the form leaves it open: the first year after the last fixed
 * one; null (the plan's first year) while no year is fixed, so it applies in every year not yet fixed.
 */
function defaultStart(fixed: number[]): number | null {
  return fixed.length ? Math.max(...fixed) + 1 : null;
}

/** The span of a new indicator, checked: within the plan period, and leaving every fixed year as it was. */
export async function newIndicatorSpan(
  db: DbOrTx,
  at: { municipalityId: number; planId: number },
  input: SpanInput,
): Promise<IndicatorSpan> {
  const fixed = await fixedYears(db, at.planId);
  const plan = await planSpan(db, at.planId);
  const start = input.startYear === undefined ? defaultStart(fixed) : input.startYear;
  // Left open, the start would fall after the plan: every year of it is fixed.
  if (input.startYear === undefined && start !== null && start > plan.last_year) {
    const era = await municipalityEra(db, at.municipalityId);
    throw new AppError(
      'CONFLICT',
      `この計画は最後の年度（${eraYearLabel(plan.last_year, era)}）まで確定または公表済みのため、指標を加えられません`,
    );
  }
  return checkedSpan(db, at, NOWHERE, { first_year: start, last_year: input.endYear ?? null }, fixed);
}

/** The span of a changed indicator, checked as a new one's is, and keeping every year it has actuals in. */
export async function changedIndicatorSpan(
  db: DbOrTx,
  at: { municipalityId: number; planId: number; indicatorId: number },
  before: IndicatorSpan,
  input: SpanInput,
): Promise<IndicatorSpan> {
  const after = {
    first_year: input.startYear === undefined ? before.first_year : input.startYear,
    last_year: input.endYear === undefined ? before.last_year : input.endYear,
  };
  const span = await checkedSpan(db, at, before, after, await fixedYears(db, at.planId));
  const outside = (await actualYears(db, at.indicatorId)).filter((y) => !rowInYear(span, y));
  if (outside.length) {
    const era = await municipalityEra(db, at.municipalityId);
    const y = outside[0]!;
    const late = span.last_year !== null && y > span.last_year;
    throw invalid(
      late ? 'endYear' : 'startYear',
      `${eraYearLabel(y, era)}の実績が入力されているため、${late ? '終了年度をそれより前' : '開始年度をそれより後'}にはできません`,
      fieldLabel([late ? 'endYear' : 'startYear'], 'indicator'),
    );
  }
  return span;
}

async function checkedSpan(
  db: DbOrTx,
  at: { municipalityId: number; planId: number },
  before: IndicatorSpan,
  after: IndicatorSpan,
  fixed: number[],
): Promise<IndicatorSpan> {
  const plan = await planSpan(db, at.planId);
  for (const field of ['startYear', 'endYear'] as const) {
    const y = field === 'startYear' ? after.first_year : after.last_year;
    if (y !== null && (y < plan.first_year || y > plan.last_year)) {
      const era = await municipalityEra(db, at.municipalityId);
      const period = `${eraYearLabel(plan.first_year, era)}〜${eraYearLabel(plan.last_year, era)}`;
      throw invalid(field, `計画期間（${period}）内の年度を選んでください`, fieldLabel([field], 'indicator'));
    }
  }
  const changed = fixed.find((y) => rowInYear(before, y) !== rowInYear(after, y));
  if (changed === undefined) return after;
  const era = await municipalityEra(db, at.municipalityId);
  // The bound that moved across the fixed year is the field to correct.
  const startBefore = before.first_year === null || before.first_year <= changed;
  const startAfter = after.first_year === null || after.first_year <= changed;
  const field = startBefore !== startAfter ? 'startYear' : 'endYear';
  const added = rowInYear(after, changed);
  const later = eraYearLabel(Math.max(...fixed) + 1, era);
  throw invalid(
    field,
    `${eraYearLabel(changed, era)}は確定または公表済みの年度のため、この指標をその年度${added ? `に加えることはできません（${later}以降を選んでください）` : 'から外すことはできません'}`,
    fieldLabel([field], 'indicator'),
  );
}

/**
 * What removing an indicator does: one that a fixed year shows, or that has actuals, is ended after the
 * last such year instead of deleted (that year's report keeps it); one used in no year is deleted. Null
 * where it cannot be ended because it is used up to its own last year.
 */
export async function removalOf(
  db: DbOrTx,
  planId: number,
  indicatorId: number,
  span: IndicatorSpan,
): Promise<{ kind: 'delete' } | { kind: 'end'; lastYear: number } | { kind: 'used'; lastYear: number }> {
  const [fixed, actuals, plan] = await Promise.all([
    fixedYears(db, planId),
    actualYears(db, indicatorId),
    planSpan(db, planId),
  ]);
  const used = [...fixed.filter((y) => rowInYear(span, y)), ...actuals];
  if (used.length === 0) return { kind: 'delete' };
  const lastYear = Math.max(...used);
  return lastYear >= (span.last_year ?? plan.last_year) ? { kind: 'used', lastYear } : { kind: 'end', lastYear };
}
