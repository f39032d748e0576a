import type { Direction } from '../cycle.js';
import { parseValue, type ActualStatus } from '../values.js';
import { DASH, statusGradeOf } from './codes.js';
import type { LevelDef, Rule, Scale, Slot } from './schema.js';
import { parseTarget, type ParsedTarget } from './targets.js';
import type { IndicatorPurpose, TargetBasis } from './terms.js';

/**
 * What a scale's rule computes from an indicator's facts for one year. Pure: the caller gathers the
 * facts of the year (the target and baseline in force that year, the previous year's actual, the sum
 * of the years so far) and this decides the code, the level and, in words, why.
 */

export interface Value {
  value: number | null;
  text: string;
  status: ActualStatus | null;
}

export interface LineFacts {
  purpose: IndicatorPurpose;
  direction: Direction;
  basis: TargetBasis;
  baseline: number | null;
  /** the target of the year as written (or the final target where the year has none) */
  target: string;
  finalTarget: string;
  actual: Value;
  /** the previous fiscal year's actual of the same line, if there is one */
  previous: Value | null;
  /** the sum of the actuals of the plan's years up to and including this one; null if any is not a number */
  cumulative: number | null;
}

export interface Judgement {
  code: string | null;
  /** the level before it is mapped to the printed code (達成度 5) */
  level: string | null;
  /** achievement or progress, 1 = 100%; the relative change for trends */
  ratio: number | null;
  /** how the code was reached, in words, for the screen, the print and screen readers */
  basis: string;
  /** true: the line is not evaluated at all (monitoring) and is left out of every count */
  excluded: boolean;
}

const judgement = (partial: Partial<Judgement>): Judgement => ({
  code: null,
  level: null,
  ratio: null,
  basis: '',
  excluded: false,
  ...partial,
});

export const percentText = (a: number): string =>
  Number.isFinite(a) ? `${Math.round(a * 1000) / 10}%` : '目標を上回る';

/** The level reached by a ratio: the first level (highest lower bound first) whose bound is reached. */
export function levelFor(levels: LevelDef[], ratio: number): string | null {
  // 4 ÷ 5 is 0.8 exactly; rounding to 1e-9 keeps 0.7999999999 from falling a level.
  const percent = Number.isFinite(ratio) ? Math.round(ratio * 100 * 1e9) / 1e9 : ratio * 100;
  const ordered = [...levels].sort((a, b) => (b.min ?? -Infinity) - (a.min ?? -Infinity));
  for (const l of ordered) if (l.min === null || percent >= l.min) return l.code;
  return null;
}

function mapLevel(rule: Extract<Rule, { kind: 'ratio' | 'progress' }>, level: string): string {
  return rule.levelGrades.find((m) => m.level === level)?.grade ?? level;
}

/** Achievement with less-is-better inverted: 3 incidents against a target of 4 is 133%. */
export function achievementRatio(direction: Direction, target: number, actual: number): number | null {
  if (direction === 'none') return null;
  if (direction === 'lower') {
    if (actual <= 0) return target >= 0 ? Infinity : 0;
    return target / actual;
  }
  if (target === 0) return actual >= 0 ? Infinity : 0;
  return actual / target;
}

/** (actual − baseline) ÷ (target − baseline): negative where the line moved away from the target. */
export function progressRatio(baseline: number, target: number, actual: number): number | null {
  if (target === baseline) return null;
  return (actual - baseline) / (target - baseline);
}

function noTarget(rule: Extract<Rule, { kind: 'ratio' | 'progress' }>): Judgement {
  return judgement({ code: rule.noTarget, level: rule.noTarget, basis: '目標の設定なし' });
}

function cannot(rule: Rule, basis: string): Judgement {
  const code = 'cannotCompute' in rule ? rule.cannotCompute : null;
  return judgement({ code, level: code, basis });
}

/**
 * A computed slot's judgement of an indicator line: the scale's, where the slot takes the line's kind of
 * indicator (its `purposes`); a line of another kind is not evaluated by the slot and counts nowhere in it.
 */
export function judgeSlotLine(slot: Pick<Slot, 'purposes'>, scale: Scale, facts: LineFacts): Judgement {
  if (facts.purpose === 'monitoring' || slot.purposes.includes(facts.purpose)) return judgeLine(scale, facts);
  const kind = facts.purpose === 'expected' ? '期待値' : '目標値';
  return judgement({ excluded: true, basis: `${kind}の指標はこの評価の対象外` });
}

/** The code the scale computes for an indicator line, or a judgement with no code and the reason. */
export function judgeLine(scale: Scale, facts: LineFacts): Judgement {
  const rule = scale.rule;
  if (rule.kind === 'manual' || rule.kind === 'rollup') return judgement({});
  if (facts.purpose === 'monitoring') return judgement({ excluded: true, basis: 'モニタリング指標のため評価しない' });
  const status = statusGradeOf(rule, facts.actual.status);
  if (status !== null) return judgement({ code: status, level: status, basis: '実績の状態による' });
  switch (rule.kind) {
    case 'done':
      return judgeDone(rule, facts.actual);
    case 'ratio':
      return judgeRatio(rule, facts);
    case 'progress':
      return judgeProgress(rule, facts);
    case 'trend':
      return judgeTrend(rule, facts);
  }
}

function judgeDone(rule: Extract<Rule, { kind: 'done' }>, actual: Value): Judgement {
  const p = parseValue(actual.text);
  if (p.kind === 'flag' && p.done === null)
    return rule.notApplicable ? judgement({ code: rule.notApplicable, basis: '該当なし' }) : judgement({});
  const done = p.kind === 'flag' ? p.done : actual.value !== null ? actual.value > 0 : null;
  if (done === null) return judgement({ basis: actual.text.trim() ? '実施したかどうか読めません' : '' });
  return judgement({ code: done ? rule.done : rule.notDone, basis: done ? '実施' : '未実施' });
}

/** The target the year's actual is compared with, and whether the sum of the years is compared. */
function targetOf(facts: LineFacts): { parsed: ParsedTarget; cumulative: boolean } {
  const own = parseTarget(facts.target);
  const parsed = own.kind === 'none' ? parseTarget(facts.finalTarget) : own;
  const stated = parsed.kind === 'number' ? parsed.basis : null;
  return { parsed, cumulative: stated === 'cumulative' || (stated === null && facts.basis === 'cumulative') };
}

function judgeRatio(rule: Extract<Rule, { kind: 'ratio' }>, facts: LineFacts): Judgement {
  const { parsed, cumulative } = targetOf(facts);
  if (parsed.kind === 'notApplicable') return noTarget(rule);
  if (parsed.kind === 'none') return cannot(rule, '目標がないため計算できません');
  if (parsed.kind === 'unreadable') return cannot(rule, parsed.problem);
  if (parsed.kind === 'direction')
    return cannot(rule, `目標「${parsed.text}」は数値でないため、達成率を計算できません`);
  if (facts.actual.text.trim() === '' && facts.actual.status === null) return judgement({ basis: '実績が未入力' });
  const actual = cumulative ? facts.cumulative : facts.actual.value;
  if (actual === null)
    return cannot(
      rule,
      cumulative ? '累計に数値でない年度があるため計算できません' : '実績が数値でないため計算できません',
    );
  const direction =
    facts.direction === 'none' && parsed.comparator ? comparatorDirection(parsed.comparator) : facts.direction;
  const ratio = achievementRatio(direction, parsed.value, actual);
  if (ratio === null) return cannot(rule, '指標の方向（多いほどよい・少ないほどよい）がないため計算できません');
  const level = levelFor(rule.levels, ratio);
  const lower = direction === 'lower' ? '（少ないほどよい指標のため目標 ÷ 実績）' : '';
  const sum = cumulative ? `累計 ${actual} に対する` : '';
  return judgement({
    code: level === null ? null : mapLevel(rule, level),
    level,
    ratio,
    basis: `${sum}達成率 ${percentText(ratio)}${lower}`,
  });
}

const comparatorDirection = (c: 'atLeast' | 'atMost'): Direction => (c === 'atLeast' ? 'higher' : 'lower');

function judgeProgress(rule: Extract<Rule, { kind: 'progress' }>, facts: LineFacts): Judgement {
  const final = parseTarget(facts.finalTarget);
  if (final.kind === 'notApplicable' || parseTarget(facts.target).kind === 'notApplicable') return noTarget(rule);
  if (facts.baseline === null) return cannot(rule, '現状値がないため進捗率を計算できません');
  if (final.kind !== 'number')
    return cannot(rule, final.kind === 'unreadable' ? final.problem : '最終目標が数値でないため計算できません');
  if (facts.actual.value === null)
    return facts.actual.text.trim() === '' && facts.actual.status === null
      ? judgement({ basis: '実績が未入力' })
      : cannot(rule, '実績が数値でないため計算できません');
  const ratio = progressRatio(facts.baseline, final.value, facts.actual.value);
  if (ratio === null) return cannot(rule, '現状値と最終目標が同じため進捗率を計算できません');
  const level = levelFor(rule.levels, ratio);
  const away = ratio < 0 ? '（現状値から目標と逆の方向に動いた）' : '';
  return judgement({
    code: level === null ? null : mapLevel(rule, level),
    level,
    ratio,
    basis: `現状値からの進捗率 ${percentText(ratio)}${away}`,
  });
}

function judgeTrend(rule: Extract<Rule, { kind: 'trend' }>, facts: LineFacts): Judgement {
  const reference = rule.against === 'previous' ? (facts.previous?.value ?? null) : facts.baseline;
  const against = rule.against === 'previous' ? '前年度' : '現状値';
  if (facts.actual.value === null)
    return facts.actual.text.trim() === '' && facts.actual.status === null
      ? judgement({ basis: '実績が未入力' })
      : cannot(rule, '実績が数値でないため比べられません');
  if (reference === null) return cannot(rule, `${against}の数値がないため比べられません`);
  const direction = facts.direction === 'none' ? directionOfTarget(facts) : facts.direction;
  if (direction === 'none') return cannot(rule, '指標の方向がないため、改善か悪化か決められません');
  const change = facts.actual.value - reference;
  const allowed = rule.toleranceUnit === 'percent' ? (Math.abs(reference) * rule.tolerance) / 100 : rule.tolerance;
  const ratio = reference === 0 ? null : change / Math.abs(reference);
  const changeText = `${against}${reference}から${facts.actual.value}へ${change === 0 ? '変化なし' : change > 0 ? `${round(change)}増` : `${round(-change)}減`}`;
  // Rounded so that 0.1 + 0.2 against a tolerance of 0.3 is within it.
  const within = Math.abs(round(change)) <= round(allowed);
  if (within)
    return judgement({ code: rule.unchanged, ratio, basis: `${changeText}（許容幅 ${round(allowed)} 以内）` });
  if (direction === 'keep')
    return judgement({ code: rule.worsened, ratio, basis: `${changeText}（維持の許容幅 ${round(allowed)} を超える）` });
  const better = direction === 'higher' ? change > 0 : change < 0;
  return judgement({ code: better ? rule.improved : rule.worsened, ratio, basis: changeText });
}

function directionOfTarget(facts: LineFacts): Direction {
  const t = parseTarget(facts.finalTarget);
  if (t.kind === 'direction') return t.direction;
  if (t.kind === 'number' && t.comparator) return comparatorDirection(t.comparator);
  return 'none';
}

const round = (n: number) => Math.round(n * 1e9) / 1e9;

/** Codes that mean "nothing here to evaluate" when read without a scale (a dash). */
export const looksLikeDash = (code: string): boolean => DASH.test(code);
