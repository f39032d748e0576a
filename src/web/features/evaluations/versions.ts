import type { EvaluationSettingsDto, EvaluationVersionDto } from '../../../domain/api-types.js';
import { fiscalYearRange, type Era2019 } from '../../../domain/fiscal-year.js';
import { formatEraYear } from '../../lib/dates.js';

/**
 * The versions of a plan's evaluation settings as the screen says them: the years each applies in
 * (令和3年度〜令和6年度, 令和7年度〜), the years already fixed that keep it, the years a change may
 * start from, and what saving from a year will do.
 */

type Period = Pick<EvaluationSettingsDto, 'firstYear' | 'lastYear' | 'versions' | 'fixedYears'>;

export function versionRange(v: Pick<EvaluationVersionDto, 'fromYear' | 'toYear'>, era: Era2019): string {
  return v.toYear === null
    ? `${formatEraYear(v.fromYear, era)}〜`
    : v.toYear === v.fromYear
      ? `${formatEraYear(v.fromYear, era)}のみ`
      : `${formatEraYear(v.fromYear, era)}〜${formatEraYear(v.toYear, era)}`;
}

const yearList = (years: number[], era: Era2019) => years.map((y) => formatEraYear(y, era)).join('・');

/** Why a version can no longer change, or null. */
export function fixedNote(v: EvaluationVersionDto, era: Era2019): string | null {
  if (v.fixedYears.length === 0) return null;
  const next = Math.max(...v.fixedYears) + 1;
  return `${yearList(v.fixedYears, era)}は確定または公表済みで、この版で評価されています。その年度の評価が変わらないよう、この版は変えられません。変更は${formatEraYear(next, era)}以降からの新しい版にしてください。`;
}

/** The last year a version starting in `year` would apply in. */
function endOf(settings: Period, year: number): number {
  const next = settings.versions.filter((v) => v.fromYear > year).sort((a, b) => a.fromYear - b.fromYear)[0];
  return next ? next.fromYear - 1 : settings.lastYear;
}

export interface YearChoice {
  year: number;
  label: string;
  /** a version already starts this year: saving replaces it */
  replaces: boolean;
  /** fixed years a version from this year would cover (then it cannot be chosen) */
  fixed: number[];
}

export function yearChoices(settings: Period, era: Era2019): YearChoice[] {
  return fiscalYearRange(settings.firstYear, settings.lastYear).map((year) => {
    const end = endOf(settings, year);
    const fixed = settings.fixedYears.filter((y) => y >= year && y <= end);
    const replaces = settings.versions.some((v) => v.fromYear === year);
    const why = fixed.length
      ? `（${yearList(fixed, era)}が確定済みのため選べません）`
      : replaces
        ? '（この年度からの版を置き換える）'
        : '';
    return { year, label: `${formatEraYear(year, era)}から${why}`, replaces, fixed };
  });
}

/** The year a change to a version is saved from by default: its own, or the first after its fixed years. */
export function defaultFromYear(settings: Period, version: EvaluationVersionDto | undefined): number {
  const choices = yearChoices(settings, 'reiwa1');
  const start = version?.fromYear ?? settings.firstYear;
  return choices.find((c) => c.year >= start && c.fixed.length === 0)?.year ?? start;
}

/** What saving from a year does, in words. */
export function saveEffect(settings: Period, fromYear: number, era: Era2019): string {
  const end = endOf(settings, fromYear);
  const range = versionRange({ fromYear, toYear: end === settings.lastYear ? null : end }, era);
  if (settings.versions.some((v) => v.fromYear === fromYear))
    return `${range}に適用している版を、この内容で置き換えます。`;
  const before = settings.versions.filter((v) => v.fromYear < fromYear).sort((a, b) => b.fromYear - a.fromYear)[0];
  const kept = before
    ? `${versionRange({ fromYear: before.fromYear, toYear: fromYear - 1 }, era)}は今の版のままです。`
    : '';
  return `${range}に適用する新しい版として保存します。${kept}`;
}
