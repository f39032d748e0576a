/**
 * Fiscal years (年度) run April–March and are stored as the western year they start in:
 * 2021 = 令和3年度. Labels follow Japanese public-sector usage, 令和3年度（2021年度）.
 */

export type Era2019 = 'heisei31' | 'reiwa1';

interface Era {
  name: string;
  letter: string;
  /** first fiscal year counted in this era when the municipality starts it at the fiscal year */
  offset: number;
}

const ERAS: Record<'showa' | 'heisei' | 'reiwa', Era> = {
  showa: { name: '昭和', letter: 'S', offset: 1925 },
  heisei: { name: '平成', letter: 'H', offset: 1988 },
  reiwa: { name: '令和', letter: 'R', offset: 2018 },
};

export const MIN_FISCAL_YEAR = 1950;
export const MAX_FISCAL_YEAR = 2200;

function eraOf(year: number, era2019: Era2019): Era {
  if (year >= 2020 || (year === 2019 && era2019 === 'reiwa1')) return ERAS.reiwa;
  // Heisei began in January 1989, so fiscal 1988 (April 1988 – March 1989) is still called 昭和63年度.
  if (year >= 1989) return ERAS.heisei;
  return ERAS.showa;
}

/** 令和3年度 / 令和元年度 / 平成31年度 */
export function eraYearLabel(year: number, era2019: Era2019 = 'reiwa1'): string {
  const era = eraOf(year, era2019);
  const n = year - era.offset;
  return `${era.name}${n === 1 ? '元' : n}年度`;
}

/** 令和3年度（2021年度） */
export function fiscalYearLabel(year: number, era2019: Era2019 = 'reiwa1'): string {
  return `${eraYearLabel(year, era2019)}（${year}年度）`;
}

/** R3 — compact form for narrow table headers */
export function fiscalYearShort(year: number, era2019: Era2019 = 'reiwa1'): string {
  const era = eraOf(year, era2019);
  return `${era.letter}${year - era.offset}`;
}

/** Converts full-width ASCII (Ｒ３, ２０２１) to half-width. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const ERA_BY_TOKEN: Record<string, Era> = {
  令和: ERAS.reiwa,
  r: ERAS.reiwa,
  平成: ERAS.heisei,
  h: ERAS.heisei,
  昭和: ERAS.showa,
  s: ERAS.showa,
};

/**
 * Reads a fiscal year typed by a user: 2021, 2021年度, R3, R3年度, 令和3, 令和3年度, 令和元年度,
 * H31, 平成31年度, 平成32年度 (old plans name years after the era ended; kept as the year meant),
 * and 令和3年度（2021年度）. Returns null when the text is not a fiscal year.
 */
export function parseFiscalYear(input: string): number | null {
  const text = toHalfWidth(input).trim().replace(/\s+/g, '').toLowerCase();
  if (text === '') return null;
  const withWestern = /^(.+?)[(（](\d{4})年度?[)）]$/.exec(text);
  if (withWestern) {
    const western = Number(withWestern[2]);
    const era = parseFiscalYear(withWestern[1]!);
    return era === null || era === western ? inRange(western) : null;
  }
  const western = /^(\d{4})(年度|年)?$/.exec(text);
  if (western) return inRange(Number(western[1]));
  const era = /^(令和|平成|昭和|r|h|s)\.?(元|\d{1,2})(年度|年)?$/.exec(text);
  if (era) {
    const e = ERA_BY_TOKEN[era[1]!]!;
    const n = era[2] === '元' ? 1 : Number(era[2]);
    if (n < 1) return null;
    return inRange(e.offset + n);
  }
  return null;
}

function inRange(year: number): number | null {
  return year >= MIN_FISCAL_YEAR && year <= MAX_FISCAL_YEAR ? year : null;
}

/** The fiscal year a calendar date falls in (January–March belong to the previous year). */
export function fiscalYearOf(date: Date): number {
  const month = date.getMonth() + 1;
  return month >= 4 ? date.getFullYear() : date.getFullYear() - 1;
}

export function fiscalYearRange(first: number, last: number): number[] {
  const years: number[] = [];
  for (let y = first; y <= last; y++) years.push(y);
  return years;
}

/** A calendar date in 和暦: 2022-03-31 → 令和4年3月31日 (eras change on their real dates). */
export function eraDateLabel(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const key = y * 10000 + mo * 100 + d;
  const era = key >= 20190501 ? ERAS.reiwa : key >= 19890108 ? ERAS.heisei : ERAS.showa;
  const n = y - era.offset;
  return `${era.name}${n === 1 ? '元' : n}年${mo}月${d}日`;
}

/** The last day of a fiscal year, YYYY-MM-DD: 2021 → 2022-03-31. */
export function fiscalYearEnd(year: number): string {
  return `${year + 1}-03-31`;
}

/** Today in Japan as YYYY-MM-DD, whatever the time zone of the machine. */
export function todayInJapan(at: Date = new Date()): string {
  return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}
