import { counts, gradeDef } from './codes.js';
import type { Rule, Scale } from './schema.js';
import type { Judgement } from './rules.js';

/**
 * A node's (or the plan's, or a project's) evaluation computed from the evaluations below it: the
 * share of good codes, the average of points, the worst or the best — as the scale's rule says.
 */

export interface Child {
  code: string | null;
  /** the scale the child's code belongs to */
  scale: Scale;
  excluded?: boolean;
}

const none = (basis: string): Judgement => ({ code: null, level: null, ratio: null, basis, excluded: false });

export function judgeRollup(scale: Scale, children: Child[]): Judgement {
  const rule = scale.rule;
  if (rule.kind !== 'rollup') return none('');
  const counted = children.filter((c) => !c.excluded && c.code !== null && counts(c.scale, c.code));
  if (counted.length === 0) {
    const code = rule.cannotCompute;
    return { ...none('下位に評価済みのものがありません'), code, level: code };
  }
  switch (rule.method) {
    case 'share':
      return byShare(rule, counted);
    case 'average':
      return byAverage(rule, counted);
    case 'worst':
    case 'best':
      return byExtreme(rule.method, counted);
  }
}

function band(rule: Extract<Rule, { kind: 'rollup' }>, value: number): string | null {
  const b = [...rule.bands].sort((x, y) => y.min - x.min).find((x) => Math.round(value * 1e9) / 1e9 >= x.min);
  return b?.code ?? null;
}

function byShare(rule: Extract<Rule, { kind: 'rollup' }>, counted: Child[]): Judgement {
  const good = counted.filter((c) => rule.shareOf.includes(c.code!)).length;
  const share = (good / counted.length) * 100;
  const code = band(rule, share);
  const rounded = Math.round(share * 10) / 10;
  return {
    code,
    level: code,
    ratio: share / 100,
    basis: `${rule.shareOf.join('・')}の割合 ${rounded}%（${counted.length}件中${good}件）`,
    excluded: false,
  };
}

function byAverage(rule: Extract<Rule, { kind: 'rollup' }>, counted: Child[]): Judgement {
  const points = counted
    .map((c) => gradeDef(c.scale, c.code)?.points)
    .filter((p): p is number => typeof p === 'number');
  if (points.length === 0) {
    const code = rule.cannotCompute;
    return { ...none('下位の評価に点数がありません'), code, level: code };
  }
  const average = points.reduce((a, b) => a + b, 0) / points.length;
  const code = band(rule, average);
  return {
    code,
    level: code,
    ratio: null,
    basis: `点数の平均 ${Math.round(average * 100) / 100}（${points.length}件）`,
    excluded: false,
  };
}

function byExtreme(method: 'worst' | 'best', counted: Child[]): Judgement {
  // By points where the codes have them, otherwise by the order the child's scale lists them (best first).
  const rank = (c: Child) => {
    const def = gradeDef(c.scale, c.code);
    const index = c.scale.grades.findIndex((g) => g.code === c.code);
    return def?.points ?? -index;
  };
  const sorted = [...counted].sort((a, b) => rank(a) - rank(b));
  const pick = method === 'worst' ? sorted[0]! : sorted[sorted.length - 1]!;
  return {
    code: pick.code,
    level: pick.code,
    ratio: null,
    basis: `${method === 'worst' ? '最も低い' : '最も高い'}評価（${counted.length}件のうち）`,
    excluded: false,
  };
}
