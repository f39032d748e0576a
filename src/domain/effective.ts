/**
 * Effective dating: what changes over a plan's life carries the fiscal years it applies in, so that
 * a past year's sheet, report and tally read the facts of that year.
 */

export interface YearSpan {
  /** first fiscal year it applies in; null = from the plan's start */
  firstYear: number | null;
  /** last fiscal year it applies in; null = to the plan's end */
  lastYear: number | null;
}

export function inYear(span: YearSpan, fiscalYear: number): boolean {
  return (
    (span.firstYear === null || span.firstYear <= fiscalYear) && (span.lastYear === null || span.lastYear >= fiscalYear)
  );
}

/** The fiscal year a moment falls in, in Japan (April–March, JST), whatever the server's time zone. */
export function fiscalYearInJapan(at: Date = new Date()): number {
  const jst = new Date(at.getTime() + 9 * 3600_000);
  return jst.getUTCMonth() >= 3 ? jst.getUTCFullYear() : jst.getUTCFullYear() - 1;
}

/** 「令和8年度から」「令和9年度まで」: a span as the plan editor says it. */
export function spanLabel(span: YearSpan, label: (year: number) => string): string {
  if (span.firstYear === null && span.lastYear === null) return '計画期間中';
  if (span.lastYear === null) return `${label(span.firstYear!)}から`;
  if (span.firstYear === null) return `${label(span.lastYear)}まで`;
  return span.firstYear === span.lastYear
    ? `${label(span.firstYear)}のみ`
    : `${label(span.firstYear)}から${label(span.lastYear)}まで`;
}
