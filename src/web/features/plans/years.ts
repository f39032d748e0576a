import { type Era2019 } from '../../../domain/fiscal-year.js';
import { formatEraYear } from '../../lib/dates.js';

interface Span {
  startYear: number | null;
  endYear: number | null;
}

interface Period {
  firstYear: number;
  lastYear: number;
}

/** Whether a node or project applies in a fiscal year (null bounds: the plan's start / end). */
export function appliesIn(span: Span, year: number): boolean {
  return (span.startYear === null || span.startYear <= year) && (span.endYear === null || span.endYear >= year);
}

/**
 * The short tag shown beside a tree row whose years differ from the plan period: 「令和8年度〜」,
 * 「〜令和9年度」, 「令和8年度〜令和9年度」. Null when it applies throughout the plan period.
 */
export function spanTag(span: Span, period: Period, era: Era2019): string | null {
  const start = span.startYear !== null && span.startYear > period.firstYear ? span.startYear : null;
  const end = span.endYear !== null && span.endYear < period.lastYear ? span.endYear : null;
  if (start === null && end === null) return null;
  if (start !== null && end !== null)
    return start === end
      ? `${formatEraYear(start, era)}のみ`
      : `${formatEraYear(start, era)}〜${formatEraYear(end, era)}`;
  return start !== null ? `${formatEraYear(start, era)}〜` : `〜${formatEraYear(end!, era)}`;
}

/**
 * One sentence under the year fields saying what the span means for sheets and reports:
 * 「令和8年度から計画期間の終わりまで。令和7年度以前のシートと報告には表示されません。」
 */
export function spanExplanation(span: Span, period: Period, era: Era2019): string {
  const y = (year: number) => formatEraYear(year, era);
  const start = span.startYear !== null && span.startYear > period.firstYear ? span.startYear : null;
  const end = span.endYear !== null && span.endYear < period.lastYear ? span.endYear : null;
  if (start === null && end === null) return '計画期間のすべての年度のシートと報告に表示されます。';
  const from = start === null ? '計画期間の初め' : y(start);
  const to = end === null ? '計画期間の終わり' : y(end);
  const outside = [start !== null ? `${y(start - 1)}以前` : '', end !== null ? `${y(end + 1)}以降` : '']
    .filter(Boolean)
    .join('と');
  return `${from}から${to}まで。${outside}のシートと報告には表示されません。`;
}
