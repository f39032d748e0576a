import { normaliseNumberText, parseValue } from '../values.js';
import { DASH } from './codes.js';

/**
 * Targets as plans print them: 「30%」, 「毎年10人以上」, 「10か所（累計）」, 「令和7年度までに50%」,
 * 「増加」, 「前年度以上」, 「—」. Read into a value and a kind, or flagged with the reason it could not be
 * read — never silently taken as no target.
 */

export type ParsedTarget =
  /** no target written */
  | { kind: 'none' }
  /** 「—」: the plan sets no target for this year */
  | { kind: 'notApplicable'; text: string }
  | {
      kind: 'number';
      value: number;
      unit: string;
      /** what the words say about how it is compared; null where they say nothing */
      basis: 'annual' | 'cumulative' | null;
      comparator: 'atLeast' | 'atMost' | null;
      text: string;
    }
  /** a direction without a number: 「増加」 「減少」 「維持」 「前年度以上」 */
  | { kind: 'direction'; direction: 'higher' | 'lower' | 'keep'; against: 'previous' | 'baseline'; text: string }
  /** written words the rules cannot read as a number; `problem` says why, for the editor and the checks */
  | { kind: 'unreadable'; text: string; problem: string };

const CUMULATIVE = /累計|累積|延べ|通算|(\d+|[一二三四五六七八九十])年間で|計画期間(中|内)?で/;
const ANNUAL = /毎年度?|各年度?|年度ごと|年あたり|年当たり|\/年|／年|年間|^年\d/;
const AT_LEAST = /以上|超|を上回る|を超える/;
const AT_MOST = /以下|未満|を下回る|を超えない|以内/;
/** 「令和7年度までに」「R7年度末」「2025年度」 at the start: a date, not the number. */
const LEADING_YEAR = /^(?:令和|平成|R|H)?\s*(?:元|\d{1,4})\s*年(?!間)度?(?:末|中)?(?:まで)?(?:に|で|の)?\s*/i;
/** 「5年間で」: the length of the period, not the number */
const PERIOD = /\d+年間/g;
const DIRECTION_WORDS: { re: RegExp; direction: 'higher' | 'lower' | 'keep'; against: 'previous' | 'baseline' }[] = [
  { re: /^前年度?(比)?(以上|増|増加|より増|を上回る)/, direction: 'higher', against: 'previous' },
  { re: /^前年度?(比)?(以下|減|減少|より減|を下回る)/, direction: 'lower', against: 'previous' },
  { re: /^(現状値?|策定時)(比)?(以上|より増|を上回る)/, direction: 'higher', against: 'baseline' },
  { re: /^(現状値?|策定時)(比)?(以下|より減|を下回る)/, direction: 'lower', against: 'baseline' },
  { re: /^(増加|増やす|向上|上昇|拡大|拡充)/, direction: 'higher', against: 'baseline' },
  { re: /^(減少|減らす|低下|削減|縮小)/, direction: 'lower', against: 'baseline' },
  { re: /^(維持|現状維持|継続)/, direction: 'keep', against: 'baseline' },
];

/** Reads a target as written. */
export function parseTarget(input: string): ParsedTarget {
  const text = input.trim();
  if (text === '') return { kind: 'none' };
  if (DASH.test(text) || /^(該当なし|設定なし|なし)$/.test(text)) return { kind: 'notApplicable', text };
  const norm = normaliseNumberText(text);
  const body = norm.replace(LEADING_YEAR, '');
  const basis = CUMULATIVE.test(norm) ? 'cumulative' : ANNUAL.test(body) ? 'annual' : null;
  const comparator = AT_LEAST.test(body) ? 'atLeast' : AT_MOST.test(body) ? 'atMost' : null;
  const plain = parseValue(text);
  if (plain.kind === 'number') {
    const unit = /^[^（(、。以未超を]*/.exec(plain.unit)?.[0] ?? '';
    return { kind: 'number', value: plain.value, unit, basis, comparator, text };
  }
  for (const d of DIRECTION_WORDS)
    if (d.re.test(body) && !/\d/.test(body))
      return { kind: 'direction', direction: d.direction, against: d.against, text };
  const counted = body.replace(PERIOD, '');
  const numbers = [...counted.matchAll(/-?\d+(?:,\d{3})*(?:\.\d+)?/g)].map((m) => m[0]);
  if (numbers.length === 0)
    return { kind: 'unreadable', text, problem: `目標「${text}」に数値がないため、計算できません` };
  if (/[〜~～]/.test(body))
    return { kind: 'unreadable', text, problem: `目標「${text}」は幅で書かれているため、計算できません` };
  const distinct = new Set(numbers.map((n) => n.replace(/,/g, '')));
  if (distinct.size > 1)
    return {
      kind: 'unreadable',
      text,
      problem: `目標「${text}」に数値が${distinct.size}つあり、どれと比べるか決められません`,
    };
  const value = Number(numbers[0]!.replace(/,/g, ''));
  const after = counted.slice(counted.indexOf(numbers[0]!) + numbers[0]!.length);
  const unit = /^[^\d\s（(、。以未超を]*/.exec(after)?.[0] ?? '';
  return { kind: 'number', value, unit, basis, comparator, text };
}

/** The number of a target, or null; for callers that only need the value. */
export function targetValue(p: ParsedTarget): number | null {
  return p.kind === 'number' ? p.value : null;
}

/** The reason a target cannot be compared, in words, or null where it can. */
export function targetProblem(p: ParsedTarget): string | null {
  return p.kind === 'unreadable' ? p.problem : null;
}
