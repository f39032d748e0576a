/**
 * The one way the SPA prints dates, times and fiscal years, so every screen says them alike:
 * fiscal years as 令和8年度（2026年度） (令和元年度 or 平成31年度 for 2019, as the municipality
 * calls it), dates as 令和9年4月30日 and times as 14:05, in Japan time whatever the machine's zone.
 */
import {
  eraDateLabel,
  eraYearLabel,
  fiscalYearLabel,
  fiscalYearShort,
  type Era2019,
} from '../../domain/fiscal-year.js';

/** 令和8年度（2026年度） */
export const formatFiscalYear = (year: number, era: Era2019): string => fiscalYearLabel(year, era);

/** 令和8年度: where the western year would repeat what is beside it */
export const formatEraYear = (year: number, era: Era2019): string => eraYearLabel(year, era);

/** R8: only where a column or an axis has no room for more */
export const formatFiscalYearShort = (year: number, era: Era2019): string => fiscalYearShort(year, era);

/** A moment as it reads in Japan: its date (YYYY-MM-DD) and time (HH:MM). */
function inJapan(at: string | Date): { date: string; time: string } | null {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) return null;
  const iso = new Date(ms + 9 * 3600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** 令和9年4月30日: a calendar date (YYYY-MM-DD, as deadlines are stored) or the day of a moment in Japan */
export function formatDate(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return eraDateLabel(value);
  const j = inJapan(value);
  return j ? eraDateLabel(j.date) : value;
}

/** 令和8年12月2日 14:05 */
export function formatDateTime(at: string | Date): string {
  const j = inJapan(at);
  return j ? `${eraDateLabel(j.date)} ${j.time}` : String(at);
}

/** 12月2日 14:05: a recent moment where the year goes without saying (a table of this round's answers) */
export function formatShortDateTime(at: string | Date): string {
  const j = inJapan(at);
  if (!j) return String(at);
  const [, m, d] = j.date.split('-').map(Number);
  return `${m}月${d}日 ${j.time}`;
}

/** 14:05 */
export function formatTime(at: string | Date): string {
  return inJapan(at)?.time ?? String(at);
}

/** 14:02〜14:31 on one day, else from one date and time to the other */
export function formatTimeRange(from: string, to: string): string {
  const a = inJapan(from);
  const b = inJapan(to);
  if (!a || !b) return `${from}〜${to}`;
  return a.date === b.date ? `${formatDateTime(from)}〜${b.time}` : `${formatDateTime(from)}〜${formatDateTime(to)}`;
}
