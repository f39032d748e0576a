import { dateText } from './xlsx-dates.js';

/**
 * What a number in a spreadsheet cell means, from its number format, as an import reads it: a day as
 * its format shows it (`令和6年4月1日`, `2024/4/1`; xlsx-dates.ts), a time of day or a duration (`9:30`, `36:00:00`), a percentage (`31.9%`, as typed),
 * a truth value (`true`, LibreOffice's TRUE/FALSE format), or a plain number as JavaScript writes it
 * (`4`, `0.5`). Display details (thousands separators, decimals shown, currency, units written around the
 * number) are not applied: the value is read, not its picture. One exception: a number shown in thousands
 * or millions (`#,##0,"千円"`: 1500000 shows as 1,500千円) is read in the unit it shows, with the text written
 * after it (`1500千円`; unrounded: 1234567 is `1234.567千円`), since read alone it would be a thousand times the
 * number a person sees and types beside it.
 */

export type NumberKind =
  | {
      kind: 'number';
      /** a format shown in thousands (1), millions (2) …: the value divided by 1000 that many times */
      scale?: number;
      /** the text written after a scaled number (`千円`) */
      unit?: string;
    }
  | { kind: 'date'; code: string }
  | { kind: 'time'; elapsed: boolean; seconds: boolean }
  | { kind: 'percent' }
  | { kind: 'boolean' };

const NUMBER: NumberKind = { kind: 'number' };
const PERCENT: NumberKind = { kind: 'percent' };

/**
 * Excel's built-in formats by id: 9–10 percentages; 14–17, 22 dates; 18–21, 45–47 times; and the
 * East Asian ones, which in Japanese Excel are dates (和暦 `ggge"年"m"月"d"日"`, `yyyy"年"m"月"d"日"`,
 * `m"月"d"日"` …) but for 32–33 (`h"時"mm"分"`, with seconds).
 */
const WAREKI_SHORT = '[$-411]ge.m.d';
const WAREKI = '[$-411]ggge"年"m"月"d"日"';
const YEAR_MONTH = 'yyyy"年"m"月"';
const MONTH_DAY = 'm"月"d"日"';
/** The built-in dates as Japanese Excel shows them. */
const BUILT_IN_DATES: [number, string][] = [
  [14, 'yyyy/m/d'],
  [15, 'd-mmm-yy'],
  [16, 'd-mmm'],
  [17, 'mmm-yy'],
  [22, 'yyyy/m/d h:mm'],
  [27, WAREKI_SHORT],
  [28, WAREKI],
  [29, WAREKI],
  [30, 'm/d/yy'],
  [31, 'yyyy"年"m"月"d"日"'],
  [34, YEAR_MONTH],
  [35, MONTH_DAY],
  [36, WAREKI_SHORT],
  [50, WAREKI_SHORT],
  [51, WAREKI],
  [52, YEAR_MONTH],
  [53, MONTH_DAY],
  [54, WAREKI],
  [55, YEAR_MONTH],
  [56, MONTH_DAY],
  [57, WAREKI_SHORT],
  [58, WAREKI],
];

const BUILT_IN = new Map<number, NumberKind>([
  [9, PERCENT],
  [10, PERCENT],
  ...BUILT_IN_DATES.map(([id, code]) => [id, { kind: 'date', code }] as const),
  [18, { kind: 'time', elapsed: false, seconds: false }],
  [19, { kind: 'time', elapsed: false, seconds: true }],
  [20, { kind: 'time', elapsed: false, seconds: false }],
  [21, { kind: 'time', elapsed: false, seconds: true }],
  [32, { kind: 'time', elapsed: false, seconds: false }],
  [33, { kind: 'time', elapsed: false, seconds: true }],
  [45, { kind: 'time', elapsed: false, seconds: true }],
  [46, { kind: 'time', elapsed: true, seconds: true }],
  [47, { kind: 'time', elapsed: false, seconds: true }],
]);

export const builtInKind = (id: number): NumberKind => BUILT_IN.get(id) ?? NUMBER;

/**
 * The format's code without what only decorates it: quoted text, `\x` (one literal character), `_x`
 * (space the width of x), `*x` (fill with x), and bracketed colours, conditions and locales (an
 * elapsed-time bracket, `[h]`, `[mm]`, `[ss]`, is kept as its letters).
 */
function bareCode(code: string): string {
  return (
    code
      .replace(/"[^"]*"/g, '')
      .replace(/[\\_*]./g, '')
      .replace(/\[(h+|m+|s+)]/gi, '$1')
      .replace(/\[[^\]]*]/g, '')
      // General (G/標準 in Japanese Excel) and the exponent of a scientific format are no date letters.
      .replace(/General|G\/標準/gi, '')
      .replace(/[eE][+-]/g, '')
  );
}

/** What a custom format code makes of a number (its first section: the one for positive numbers). */
export function formatKind(code: string): NumberKind {
  if (/^"TRUE";"TRUE";"FALSE"$/i.test(code.trim())) return { kind: 'boolean' };
  const first = bareCode(code.split(';')[0] ?? '');
  if (/[yYdDgGeE]/.test(first)) return { kind: 'date', code };
  if (/[hHsS]/.test(first)) {
    const elapsed = /\[(h+|m+|s+)]/i.test(code.split(';')[0] ?? '');
    return { kind: 'time', elapsed, seconds: /s/i.test(first) };
  }
  // m alone (mmm, mmmm: a month's name) is a date; b is the Buddhist era's year.
  if (/[mMbB]/.test(first)) return { kind: 'date', code };
  if (first.includes('%')) return PERCENT;
  return scaledKind(code.split(';')[0] ?? '', first);
}

/**
 * A plain number's format, scaled where commas follow its last digit placeholder (`#,##0,` thousands,
 * `0.0,,` millions; a comma between placeholders only separates thousands), with the text quoted or
 * escaped after the number.
 */
function scaledKind(section: string, bare: string): NumberKind {
  const last = Math.max(bare.lastIndexOf('0'), bare.lastIndexOf('#'), bare.lastIndexOf('?'));
  if (last < 0) return NUMBER;
  const scale = /^,*/.exec(bare.slice(last + 1))![0].length;
  if (scale === 0) return NUMBER;
  // The literal text after the section's last placeholder (outside quotes): "千円" and \千.
  const tail = section.slice(lastPlaceholder(section) + 1);
  const unit = [...tail.matchAll(/"([^"]*)"|\\(.)/g)]
    .map((m) => m[1] ?? m[2] ?? '')
    .join('')
    .trim();
  return { kind: 'number', scale, unit };
}

/** Where a format section's last digit placeholder is, quoted text, escapes and brackets skipped (-1: none). */
function lastPlaceholder(section: string): number {
  let last = -1;
  for (let i = 0; i < section.length; i++) {
    const c = section[i]!;
    const close = c === '"' ? '"' : c === '[' ? ']' : null;
    if (close) i = section.includes(close, i + 1) ? section.indexOf(close, i + 1) : section.length;
    else if (c === '\\' || c === '_' || c === '*') i++;
    else if (c === '0' || c === '#' || c === '?') last = i;
  }
  return last;
}

const MS_PER_DAY = 24 * 60 * 60 * 1000;

/**
 * An Excel serial day as `YYYY-MM-DD` (1900 system: 25569 is 1970-01-01, and days before 1900-03-01
 * one later, Excel counting a 29 February 1900; 1904 system: 1462 days later), null when out of range.
 */
export function serialToDate(serial: number, date1904: boolean): string | null {
  const d = new Date(serialToMs(serial, date1904));
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
}

/** The serial's day at midnight UTC, in milliseconds since 1970 (NaN out of range). */
function serialToMs(serial: number, date1904: boolean): number {
  const day = Math.floor(!date1904 && serial < 60 ? serial + 1 : serial);
  return (day - 25569 + (date1904 ? 1462 : 0)) * MS_PER_DAY;
}

const two = (n: number) => String(n).padStart(2, '0');

/** A time of day (`9:30`, `18:05:10`) or, with an elapsed format, a duration (`36:00`). */
function timeText(serial: number, elapsed: boolean, seconds: boolean): string {
  const total = Math.round(serial * 86_400);
  const inDay = elapsed ? total : ((total % 86_400) + 86_400) % 86_400;
  const h = Math.floor(inDay / 3600);
  const m = Math.floor((inDay % 3600) / 60);
  return seconds ? `${h}:${two(m)}:${two(inDay % 60)}` : `${h}:${two(m)}`;
}

/** A number's text as the module comment says; a value out of a date's range reads as the number. */
export function numberText(value: number, kind: NumberKind, date1904: boolean): string {
  switch (kind.kind) {
    case 'date': {
      const iso = serialToDate(value, date1904);
      return iso === null ? String(value) : (dateText(value, serialToMs(value, date1904), kind.code) ?? iso);
    }
    case 'time':
      return timeText(value, kind.elapsed, kind.seconds);
    case 'percent':
      // 0.319 × 100 is 31.900000000000002 in binary: fifteen digits, as the spreadsheet keeps them.
      return `${Number((value * 100).toPrecision(15))}%`;
    case 'boolean':
      return String(value !== 0);
    default:
      return kind.scale ? `${Number((value / 1000 ** kind.scale).toPrecision(15))}${kind.unit ?? ''}` : String(value);
  }
}
