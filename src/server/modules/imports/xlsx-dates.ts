/**
 * A day as a spreadsheet shows it, from its date format: 「令和8年10月1日」, 「2026年10月1日」, 「10/1」,
 * 「R8.10.1」 — what the person typed and sees, not a form of our own. The format's date parts are
 * written out (years, months, days, the 元号 and its year, weekdays in Japanese or English, and the time
 * of a date-time); its quoted text and escaped characters as they are; colours, conditions and locales
 * left out. A format with a part not known here gives the day as `YYYY-MM-DD`.
 */

interface Era {
  /** the first day, as YYYYMMDD */
  from: number;
  name: string;
  initial: string;
}
const ERAS: Era[] = [
  { from: 20190501, name: '令和', initial: 'R' },
  { from: 19890108, name: '平成', initial: 'H' },
  { from: 19261225, name: '昭和', initial: 'S' },
  { from: 19120730, name: '大正', initial: 'T' },
  { from: 18680125, name: '明治', initial: 'M' },
];

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEKDAYS_JA = ['日', '月', '火', '水', '木', '金', '土'];

const two = (n: number) => String(n).padStart(2, '0');

/** The parts of a format: text to write as it is, or a date or time part (`yyyy`, `m`, `ggg`, `AM/PM` …). */
type Piece = { text: string } | { part: string };

const PART =
  /^(yyyy|yyy|yy|y|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|aaaa|aaa|ggg|gg|g|ee|e|hh|h|ss|s|AM\/PM|A\/P|午前\/午後)/i;

/** The pieces of a format's first section, or null where it holds a part not known here. */
function piecesOf(code: string): Piece[] | null {
  const pieces: Piece[] = [];
  let i = 0;
  const section = code.split(';')[0] ?? '';
  while (i < section.length) {
    const c = section[i]!;
    if (c === '"') {
      const end = section.indexOf('"', i + 1);
      pieces.push({ text: section.slice(i + 1, end < 0 ? section.length : end) });
      i = end < 0 ? section.length : end + 1;
    } else if (c === '\\') {
      pieces.push({ text: section[i + 1] ?? '' });
      i += 2;
    } else if (c === '_' || c === '*') i += 2;
    else if (c === '[') {
      const end = section.indexOf(']', i);
      i = end < 0 ? section.length : end + 1;
    } else {
      const m = PART.exec(section.slice(i));
      if (m) {
        pieces.push({ part: m[0] });
        i += m[0].length;
      } else if (/[0#?%@]/.test(c)) return null;
      else {
        pieces.push({ text: c });
        i++;
      }
    }
  }
  return pieces;
}

/** Whether the `m` at `k` is minutes: after an hour, or before seconds. */
function isMinute(pieces: Piece[], k: number): boolean {
  for (let j = k - 1; j >= 0; j--) {
    const p = pieces[j]!;
    if ('part' in p) return /^h/i.test(p.part);
  }
  for (let j = k + 1; j < pieces.length; j++) {
    const p = pieces[j]!;
    if ('part' in p) return /^s/i.test(p.part);
  }
  return false;
}

interface Moment {
  y: number;
  mo: number;
  d: number;
  weekday: number;
  h: number;
  mi: number;
  s: number;
  gannen: boolean;
  /** the format names the Japanese locale ([$-411], [$-ja-JP…]) */
  japanese: boolean;
}

function partText(part: string, t: Moment, minute: boolean, twelve: boolean): string {
  const era = ERAS.find((e) => t.y * 10000 + t.mo * 100 + t.d >= e.from) ?? ERAS[ERAS.length - 1]!;
  const n = t.y - Math.floor(era.from / 10000) + 1;
  // The first year of an era as 元 where the format asks for it ([$-ja-JP-x-gannen]).
  const eraYear = n === 1 && t.gannen ? '元' : String(n);
  const p = part.toLowerCase();
  if (p === 'm' || p === 'mm')
    return minute ? (p === 'mm' ? two(t.mi) : String(t.mi)) : p === 'mm' ? two(t.mo) : String(t.mo);
  const hour = twelve ? ((t.h + 11) % 12) + 1 : t.h;
  const table: Record<string, () => string> = {
    yyyy: () => String(t.y),
    yyy: () => String(t.y),
    yy: () => two(t.y % 100),
    y: () => two(t.y % 100),
    // A month's name: in a Japanese format 「4月」.
    mmmmm: () => (t.japanese ? `${t.mo}月` : MONTHS[t.mo - 1]![0]!),
    mmmm: () => (t.japanese ? `${t.mo}月` : MONTHS[t.mo - 1]!),
    mmm: () => (t.japanese ? `${t.mo}月` : MONTHS[t.mo - 1]!.slice(0, 3)),
    dddd: () => WEEKDAYS[t.weekday]!,
    ddd: () => WEEKDAYS[t.weekday]!.slice(0, 3),
    dd: () => two(t.d),
    d: () => String(t.d),
    aaaa: () => `${WEEKDAYS_JA[t.weekday]}曜日`,
    aaa: () => WEEKDAYS_JA[t.weekday]!,
    ggg: () => era.name,
    gg: () => era.name[0]!,
    g: () => era.initial,
    ee: () => (eraYear === '元' ? eraYear : eraYear.padStart(2, '0')),
    e: () => eraYear,
    hh: () => two(hour),
    h: () => String(hour),
    ss: () => two(t.s),
    s: () => String(t.s),
    'am/pm': () => (t.h < 12 ? 'AM' : 'PM'),
    'a/p': () => (t.h < 12 ? 'A' : 'P'),
    '午前/午後': () => (t.h < 12 ? '午前' : '午後'),
  };
  return table[p]?.() ?? part;
}

/** The day (and time) of an Excel serial as its date format shows it; null where the format is not read here. */
export function dateText(serial: number, epochMs: number, code: string): string | null {
  const pieces = piecesOf(code);
  if (!pieces || !pieces.some((p) => 'part' in p)) return null;
  const at = new Date(epochMs);
  if (Number.isNaN(at.getTime())) return null;
  const seconds = Math.round((serial - Math.floor(serial)) * 86_400) % 86_400;
  const t: Moment = {
    y: at.getUTCFullYear(),
    mo: at.getUTCMonth() + 1,
    d: at.getUTCDate(),
    weekday: at.getUTCDay(),
    h: Math.floor(seconds / 3600),
    mi: Math.floor((seconds % 3600) / 60),
    s: seconds % 60,
    gannen: /gannen/i.test(code),
    japanese: /\[\$[^\]]*-(411|ja)/i.test(code),
  };
  const twelve = pieces.some((p) => 'part' in p && p.part.includes('/'));
  return pieces.map((p, k) => ('text' in p ? p.text : partText(p.part, t, isMinute(pieces, k), twelve))).join('');
}
