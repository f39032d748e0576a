import { describe, expect, it } from 'vitest';
import { parseValue } from '../values.js';
import { judgeLine, judgeRollup, levelFor, slotScale, type LineFacts, type Scale, type Value } from './index.js';
import { scaleInput } from './schema.js';
import { presetConfig } from './presets.js';

const scaleOf = (preset: string, slot: string): Scale => {
  const c = presetConfig(preset)!;
  return slotScale(
    c,
    c.slots.find((s) => s.key === slot)!,
  );
};
const v = (text: string, status: Value['status'] = null): Value => {
  const p = parseValue(text);
  return { value: p.kind === 'number' ? p.value : null, text, status };
};
const facts = (over: Partial<LineFacts>): LineFacts => ({
  purpose: 'target',
  direction: 'higher',
  basis: 'annual',
  baseline: null,
  target: '',
  finalTarget: '',
  actual: v(''),
  previous: null,
  cumulative: null,
  ...over,
});

describe('levels by achievement ratio', () => {
  const five = scaleOf('achievement-5', 'grade');
  const rule = five.rule as Extract<Scale['rule'], { kind: 'ratio' }>;

  it('reads every edge as a lower bound, without losing a level to floating point', () => {
    expect(levelFor(rule.levels, 1)).toBe('5');
    expect(levelFor(rule.levels, 0.99999)).toBe('4');
    expect(levelFor(rule.levels, 0.8)).toBe('4');
    expect(levelFor(rule.levels, 4 / 5)).toBe('4');
    expect(levelFor(rule.levels, 0.79999)).toBe('3');
    expect(levelFor(rule.levels, 3 / 5)).toBe('3');
    expect(levelFor(rule.levels, 0.2)).toBe('2');
    expect(levelFor(rule.levels, 0.19999)).toBe('1');
    expect(levelFor(rule.levels, 0)).toBe('1');
    // No level below zero in this scale: nothing computed, never a wrong level.
    expect(levelFor(rule.levels, -0.5)).toBeNull();
  });

  it('maps levels to printed codes and inverts lower-is-better indicators', () => {
    const grade = (target: string, actual: string, direction: LineFacts['direction'] = 'higher') =>
      judgeLine(five, facts({ target, actual: v(actual), direction }));
    expect(['6回', '3回', '2回', '1回', '0回'].map((a) => grade('3回', a).code)).toEqual(['◎', '◎', '○', '△', '×']);
    expect(grade('4件', '5件', 'lower')).toMatchObject({ level: '4', code: '◎' });
    expect(grade('4件', '8件', 'lower')).toMatchObject({ level: '2', code: '△' });
    expect(grade('0件', '0件', 'lower')).toMatchObject({ level: '5' });
    expect(grade('4件', '0件', 'lower').basis).toContain('目標を上回る');
    expect(grade('4件', '5件', 'lower').basis).toContain('目標 ÷ 実績');
  });

  it('a level with no lower bound catches everything below, and hand codes stand beside the rule', () => {
    const hand = scaleOf('ratio-hand', 'grade');
    expect(judgeLine(hand, facts({ target: '10', actual: v('4.9') })).code).toBe('D');
    expect(judgeLine(hand, facts({ target: '10', actual: v('5') })).code).toBe('C');
    expect(judgeLine(hand, facts({ target: '10', actual: v('-3') })).code).toBe('D');
    expect(hand.grades.filter((g) => g.hand).map((g) => g.code)).toEqual(['着手', '未着手']);
  });

  it('says why nothing is computed, and prints the no-target code for 「—」 only', () => {
    const five2 = scaleOf('achievement-5', 'grade');
    expect(judgeLine(five2, facts({ target: '—', actual: v('1734件') }))).toMatchObject({
      code: '—',
      basis: '目標の設定なし',
    });
    expect(judgeLine(five2, facts({ target: '', actual: v('3') }))).toMatchObject({
      code: null,
      basis: '目標がないため計算できません',
    });
    expect(judgeLine(five2, facts({ target: '3回', actual: v('主査試験、各1回') }))).toMatchObject({
      code: null,
      basis: '実績が数値でないため計算できません',
    });
    expect(judgeLine(five2, facts({ target: '3回', actual: v('') }))).toMatchObject({
      code: null,
      basis: '実績が未入力',
    });
    expect(judgeLine(five2, facts({ target: '3回', actual: v('3', 'biennial') })).code).toBe('—');
    expect(judgeLine(five2, facts({ target: '3', actual: v('3'), direction: 'none' })).basis).toContain('方向');
  });

  it('a target in words with a number is read; one it cannot read says so instead of grading nothing silently', () => {
    const hand = scaleOf('ratio-hand', 'grade');
    expect(judgeLine(hand, facts({ target: '毎年10人以上', actual: v('9人') }))).toMatchObject({
      code: 'B',
      ratio: 0.9,
    });
    expect(judgeLine(hand, facts({ target: '令和7年度までに50%', actual: v('50%') })).code).toBe('A');
    const unreadable = judgeLine(hand, facts({ target: '全ての小学校', actual: v('12') }));
    expect(unreadable.code).toBeNull();
    expect(unreadable.basis).toContain('数値がない');
    expect(judgeLine(hand, facts({ target: '10〜15人', actual: v('12') })).basis).toContain('幅');
  });

  it('compares the sum of the years so far with a cumulative target', () => {
    const hand = scaleOf('ratio-hand', 'grade');
    // 10か所（累計）: the period's sum so far, 8, is 80%, not this year's 3 (30%).
    const cumulative = judgeLine(hand, facts({ target: '10か所（累計）', actual: v('3'), cumulative: 8 }));
    expect(cumulative).toMatchObject({ code: 'B', ratio: 0.8 });
    expect(cumulative.basis).toContain('累計 8');
    // The indicator's basis says cumulative where the target's words do not.
    expect(judgeLine(hand, facts({ target: '10', basis: 'cumulative', actual: v('3'), cumulative: 10 })).code).toBe(
      'A',
    );
    // A year that is not a number leaves the sum unknown: nothing computed, and said.
    expect(
      judgeLine(hand, facts({ target: '10', basis: 'cumulative', actual: v('3'), cumulative: null })).basis,
    ).toContain('累計');
    // 「毎年10人」 is compared with the year's actual even on a cumulative indicator.
    expect(
      judgeLine(hand, facts({ target: '毎年10人', basis: 'cumulative', actual: v('10'), cumulative: 30 })).ratio,
    ).toBe(1);
  });

  it('never grades a monitoring indicator, and says so', () => {
    const five2 = scaleOf('achievement-5', 'grade');
    expect(judgeLine(five2, facts({ purpose: 'monitoring', target: '3', actual: v('1') }))).toMatchObject({
      code: null,
      excluded: true,
    });
  });
});

describe('progress from the baseline toward the final target', () => {
  const progress = scaleOf('progress-negative', 'progress');
  const grade = (baseline: number | null, finalTarget: string, actual: string) =>
    judgeLine(progress, facts({ baseline, finalTarget, actual: v(actual) }));

  it('reads the edges of each level', () => {
    expect(grade(20, '40', '40')).toMatchObject({ code: 'A', ratio: 1 });
    expect(grade(20, '40', '39.99').code).toBe('B');
    expect(grade(20, '40', '30')).toMatchObject({ code: 'B', ratio: 0.5 });
    expect(grade(20, '40', '29.9').code).toBe('C');
    expect(grade(20, '40', '22')).toMatchObject({ code: 'C', ratio: 0.1 });
    expect(grade(20, '40', '21.9').code).toBe('D');
    expect(grade(20, '40', '20')).toMatchObject({ code: 'D', ratio: 0 });
  });

  it('goes below zero when the line moved away from the target (後退)', () => {
    const back = grade(20, '40', '18');
    expect(back).toMatchObject({ code: '後退', ratio: -0.1 });
    expect(back.basis).toContain('逆の方向');
    // Lower is better: from 30 toward 10, 35 is backwards and 20 is half way.
    expect(grade(30, '10', '35').code).toBe('後退');
    expect(grade(30, '10', '20')).toMatchObject({ code: 'B', ratio: 0.5 });
  });

  it('prints the cannot-compute code the scale defines (and does not count it)', () => {
    expect(grade(null, '40', '30')).toMatchObject({ code: '評価不能', basis: expect.stringContaining('現状値がない') });
    expect(grade(20, '20', '30')).toMatchObject({ code: '評価不能', basis: expect.stringContaining('同じ') });
    expect(grade(20, '40', '実施')).toMatchObject({ code: '評価不能' });
    expect(grade(20, '増加', '30')).toMatchObject({ code: '評価不能' });
    expect(progress.grades.find((g) => g.code === '評価不能')!.tally).toBe(false);
  });
});

describe('trend against the previous year or the baseline', () => {
  const trend = scaleOf('trend', 'trend');
  const grade = (previous: string | null, actual: string, direction: LineFacts['direction'] = 'higher') =>
    judgeLine(trend, facts({ previous: previous === null ? null : v(previous), actual: v(actual), direction }));

  it('improved, worsened and unchanged within the tolerance (1% of the previous value), ties at the edge unchanged', () => {
    expect(grade('100', '102').code).toBe('改善');
    expect(grade('100', '101').code).toBe('横ばい');
    expect(grade('100', '99').code).toBe('横ばい');
    expect(grade('100', '98.9').code).toBe('悪化');
    expect(grade('100', '100').code).toBe('横ばい');
    expect(grade('100', '102', 'lower').code).toBe('悪化');
    expect(grade('100', '97', 'lower').code).toBe('改善');
  });

  it('an absolute tolerance is compared after rounding (0.1 + 0.2 is within 0.3)', () => {
    const abs = scaleInput.parse({ ...trend, rule: { ...trend.rule, tolerance: 0.3, toleranceUnit: 'absolute' } });
    expect(judgeLine(abs, facts({ previous: v('0.1'), actual: v(String(0.1 + 0.3)) })).code).toBe('横ばい');
    expect(judgeLine(abs, facts({ previous: v('0.1'), actual: v('0.41') })).code).toBe('改善');
  });

  it('cannot compare without a previous number or a direction, and says so', () => {
    expect(grade(null, '10')).toMatchObject({ code: '比較不能', basis: expect.stringContaining('前年度の数値がない') });
    expect(grade('実施', '10')).toMatchObject({ code: '比較不能' });
    expect(grade('10', '12', 'none')).toMatchObject({ code: '比較不能', basis: expect.stringContaining('方向') });
  });

  it('a direction-only indicator is judged by the way the words of its target point (増加, 減少)', () => {
    const base = scaleInput.parse({ ...trend, rule: { ...trend.rule, against: 'baseline', tolerance: 0 } });
    const line = (finalTarget: string, actual: string) =>
      judgeLine(base, facts({ direction: 'none', baseline: 50, finalTarget, actual: v(actual) }));
    expect(line('増加', '52').code).toBe('改善');
    expect(line('増加', '48').code).toBe('悪化');
    expect(line('減少', '48').code).toBe('改善');
    expect(line('維持', '50').code).toBe('横ばい');
    expect(line('維持', '51').code).toBe('悪化');
  });
});

describe('dual judgement: against the target and against the previous year', () => {
  const config = presetConfig('dual-target-trend')!;
  it('gives two codes for one line', () => {
    const line = facts({ target: '50', actual: v('45'), previous: v('40') });
    expect(config.slots.map((s) => judgeLine(slotScale(config, s), line).code)).toEqual(['未達成', '改善']);
    const none = facts({ target: '目標なし', actual: v('45'), previous: null });
    expect(config.slots.map((s) => judgeLine(slotScale(config, s), none).code)).toEqual(['判定不能', '比較不能']);
  });
});

describe('done flags', () => {
  const legacyDone = scaleInput.parse({
    key: 'done',
    name: '実施',
    rule: { kind: 'done', done: '○', notDone: '×', notApplicable: '—', statusGrades: { biennial: '隔年実施' } },
    grades: [
      { code: '○', points: 1 },
      { code: '×', points: 0 },
      { code: '—', tally: false },
      { code: '隔年実施', tally: false },
    ],
  });
  it('reads ○ × — and counts', () => {
    const done = (text: string, status: Value['status'] = null) =>
      judgeLine(legacyDone, facts({ actual: v(text, status) })).code;
    expect(done('○')).toBe('○');
    expect(done('×')).toBe('×');
    expect(done('—')).toBe('—');
    expect(done('3回')).toBe('○');
    expect(done('0')).toBe('×');
    expect(done('', 'biennial')).toBe('隔年実施');
    expect(done('')).toBeNull();
  });
});

describe('rollup of evaluations below', () => {
  const config = presetConfig('node-share')!;
  const share = slotScale(config, config.slots[1]!);
  const lines = slotScale(config, config.slots[0]!);
  const kids = (codes: (string | null)[]) => codes.map((code) => ({ code, scale: lines }));

  it('share of A against the bands, with the edges', () => {
    expect(judgeRollup(share, kids(['A', 'A', 'A', 'A', 'B'])).code).toBe('◎');
    expect(judgeRollup(share, kids(['A', 'A', 'A', 'B', 'B'])).code).toBe('○');
    expect(judgeRollup(share, kids(['A', 'B'])).code).toBe('○');
    expect(judgeRollup(share, kids(['A', 'B', 'C'])).code).toBe('△');
    expect(judgeRollup(share, kids(['A', 'B', null])).basis).toContain('2件中1件');
  });

  it('nothing graded below: the cannot-compute code (none here), said', () => {
    expect(judgeRollup(share, kids([null, null]))).toMatchObject({
      code: null,
      basis: expect.stringContaining('評価済み'),
    });
  });

  it('average of points and worst of', () => {
    const avg = scaleInput.parse({
      ...share,
      rule: {
        kind: 'rollup',
        method: 'average',
        bands: [
          { min: 3.5, code: '◎' },
          { min: 2.5, code: '○' },
          { min: 0, code: '△' },
        ],
      },
    });
    expect(judgeRollup(avg, kids(['A', 'B'])).code).toBe('◎');
    expect(judgeRollup(avg, kids(['A', 'C'])).code).toBe('○');
    expect(judgeRollup(avg, kids(['D', 'C'])).code).toBe('△');
    const worst = scaleInput.parse({ ...lines, key: 'worst', rule: { kind: 'rollup', method: 'worst' } });
    expect(judgeRollup(worst, kids(['A', 'C', 'B'])).code).toBe('C');
    const best = scaleInput.parse({ ...lines, key: 'best', rule: { kind: 'rollup', method: 'best' } });
    expect(judgeRollup(best, kids(['C', 'B', null])).code).toBe('B');
  });
});
