import { describe, expect, it } from 'vitest';
import {
  achievementRatio,
  evaluate,
  gradeSpeech,
  levelFor,
  manualScale,
  presetScale,
  resolveGrade,
  rollupMark,
  tally,
  type EvaluationInput,
  type EvaluationScale,
} from './evaluation.js';
import { readScale, scaleInput } from './evaluation-schema.js';
import { mapTable } from './import/mapping.js';
import { fixed000 } from './import/seed-fixes.test-support.js';
import { parseValue } from './values.js';

const five = presetScale('achievement-5')!;
const value = (text: string) => {
  const p = parseValue(text);
  return { value: p.kind === 'number' ? p.value : null, text };
};
const line = (
  target: string,
  actual: string,
  direction: EvaluationInput['direction'] = 'higher',
  status: string | null = null,
): EvaluationInput => ({
  direction,
  target: value(target),
  actual: { ...value(actual), status },
});

describe('ratio thresholds', () => {
  it('reads every edge of the levels as a lower bound', () => {
    expect(levelFor(five, 1)).toBe('5');
    expect(levelFor(five, 0.99999)).toBe('4');
    expect(levelFor(five, 0.8)).toBe('4');
    expect(levelFor(five, 0.79999)).toBe('3');
    expect(levelFor(five, 0.6)).toBe('3');
    expect(levelFor(five, 0.59999)).toBe('2');
    expect(levelFor(five, 0.2)).toBe('2');
    expect(levelFor(five, 0.19999)).toBe('1');
    expect(levelFor(five, 0)).toBe('1');
    expect(levelFor(five, -0.5)).toBeNull();
  });

  it('does not lose a level to floating point (4 ÷ 5, 3 ÷ 5)', () => {
    expect(evaluate(five, line('5回', '4回'))).toMatchObject({ level: '4', grade: '◎' });
    expect(evaluate(five, line('5回', '3回'))).toMatchObject({ level: '3', grade: '○' });
    expect(evaluate(five, line('10', '2'))).toMatchObject({ level: '2', grade: '△' });
  });

  it('maps levels to what is printed: 5 and 4 → ◎, 3 → ○, 2 → △, 1 → ×', () => {
    expect(['6回', '3回', '2回', '1回', '0回'].map((a) => evaluate(five, line('3回', a)).grade)).toEqual([
      '◎',
      '◎',
      '○',
      '△',
      '×',
    ]);
  });

  it('inverts lower-is-better indicators: fewer than the target is over 100%', () => {
    expect(achievementRatio('lower', 4, 3)).toBeCloseTo(4 / 3);
    expect(evaluate(five, line('4件', '5件', 'lower'))).toMatchObject({ level: '4', grade: '◎' });
    expect(evaluate(five, line('4件', '8件', 'lower'))).toMatchObject({ level: '2', grade: '△' });
    expect(evaluate(five, line('0件', '0件', 'lower'))).toMatchObject({ level: '5' });
    expect(evaluate(five, line('4件', '0件', 'lower')).basis).toContain('目標を上回る');
    expect(evaluate(five, line('4件', '5件', 'lower')).basis).toContain('目標 ÷ 実績');
  });

  it('computes nothing without a direction or a number, and prints the no-target code for 「—」', () => {
    expect(evaluate(five, line('3回', '3回', 'none')).grade).toBeNull();
    expect(evaluate(five, line('', '主査試験・課長試験、各1回')).grade).toBeNull();
    expect(evaluate(five, line('—', '1734件')).grade).toBe('—');
    expect(evaluate(five, line('3回', '', 'higher', 'biennial')).grade).toBe('—');
  });
});

describe('progress from baseline, done flags and rollups', () => {
  const progress = presetScale('progress-stars')!;
  it('measures the way from the baseline to the final target, in either direction', () => {
    const at = (baseline: number, finalTarget: number, actual: number) =>
      evaluate(progress, {
        direction: 'higher',
        target: { value: finalTarget, text: String(finalTarget) },
        actual: { value: actual, text: String(actual), status: null },
        baseline,
        finalTarget,
      });
    expect(at(20, 40, 40).grade).toBe('A');
    expect(at(20, 40, 30).grade).toBe('B');
    expect(at(20, 40, 29).grade).toBe('C');
    expect(at(50, 30, 40).grade).toBe('B');
    expect(at(50, 30, 60).grade).toBeNull();
    expect(
      evaluate(progress, {
        direction: 'higher',
        target: { value: null, text: '' },
        actual: { value: null, text: '', status: 'not_done' },
      }).grade,
    ).toBe('未着手');
  });

  it('prints ○ × — from done flags, and counts — as not graded', () => {
    const done = presetScale('done-flag')!;
    const g = (text: string, status: string | null = null) =>
      evaluate(done, {
        direction: 'none',
        target: { value: null, text: '' },
        actual: { value: text === '○' ? 1 : text === '×' ? 0 : null, text, status },
      }).grade;
    expect([g('○'), g('×'), g('—'), g('', 'biennial')]).toEqual(['○', '×', '—', '隔年実施']);
    expect(tally(done, ['○', '×', '—', '隔年実施', null, '○'])).toEqual({
      counts: { '○': 2, '×': 1 },
      graded: 3,
      notGraded: 2,
      ungraded: 1,
    });
  });

  it('gives a goal a star mark from the average score of its grades', () => {
    expect(rollupMark(progress, ['A', 'A', 'B'])).toMatchObject({ mark: '★★★' });
    expect(rollupMark(progress, ['B', 'C'])).toMatchObject({ mark: '★★' });
    expect(rollupMark(progress, ['C', '未着手', '—'])).toMatchObject({ mark: '★' });
    expect(rollupMark(progress, ['—'])).toBeNull();
    expect(rollupMark(five, ['◎'])).toBeNull();
  });
});

describe('manual grades, overrides and text equivalents', () => {
  const manual = manualScale();
  it('computes nothing for hand-entered scales and keeps what was entered', () => {
    const computed = evaluate(manual, line('3回', '3回'));
    expect(resolveGrade(computed, { grade: 'B' }, manual)).toMatchObject({ grade: 'B', source: 'entered' });
  });

  it('marks a grade that differs from the computed one as an override carrying its reason', () => {
    const computed = evaluate(five, line('3回', '1回'));
    expect(resolveGrade(computed, { grade: null }, five)).toMatchObject({ grade: '△', level: '2', source: 'computed' });
    expect(resolveGrade(computed, { grade: '△' }, five)).toMatchObject({ source: 'computed' });
    expect(resolveGrade(computed, { grade: '○', reason: '台風で1回中止' }, five)).toMatchObject({
      grade: '○',
      source: 'override',
      reason: '台風で1回中止',
    });
    // — and - both mean "not graded": the same answer.
    expect(resolveGrade(evaluate(five, line('-', '20件')), { grade: '-' }, five)).toMatchObject({
      grade: '-',
      source: 'entered',
    });
  });

  it('reads every grade in words for screen readers', () => {
    expect(gradeSpeech(manual, 'A')).toBe('A（順調または目標達成）');
    expect(gradeSpeech(five, '◎')).toBe('◎（目標を達成（達成度4・5））');
    expect(gradeSpeech(five, '-')).toBe('評価の対象外（記号 -）');
    expect(gradeSpeech(five, null)).toBe('未評価');
  });

  it('leaves not-graded codes out of tallies', () => {
    expect(tally(five, ['◎', '◎', '○', '—', '-', null])).toEqual({
      counts: { '◎': 2, '○': 1, '△': 0, '×': 0 },
      graded: 3,
      notGraded: 2,
      ungraded: 1,
    });
  });

  it('refuses a scale whose computed codes are not in its legend, naming the code', () => {
    const bad = { ...five, grades: five.grades.filter((g) => g.code !== '○') };
    const r = scaleInput.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join(' ')).toContain('評価「○」が凡例にありません');
    expect(scaleInput.safeParse({ ...five, levels: [] }).error!.issues[0]!.message).toContain('段階');
  });

  it('adds codes an import brought in to a stored scale', () => {
    const s = readScale(JSON.stringify(five), [{ code: '-', label: '' }]);
    expect(s.grades.find((g) => g.code === '-')).toMatchObject({ tally: false });
  });
});

describe('seed 000: the rule behind 達成度 and 最終評価', () => {
  const f = fixed000();
  const rows = mapTable(f.table, f.mapping).filter((r) => !f.excluded.includes(r.line));
  const lines = rows.map((r) => ({
    line: r.projectNumber,
    target: r.values.target ?? '',
    actual: r.values.actual ?? '',
    level: r.values.achievement ?? '',
    grade: r.values.grade ?? '',
  }));
  const scale: EvaluationScale = five;

  it('reproduces every line whose target and actual are numbers: 達成度 and 最終評価 both', () => {
    const numeric = lines.filter((l) => value(l.target).value !== null && value(l.actual).value !== null);
    expect(numeric.length).toBe(63);
    const wrong = numeric.filter((l) => {
      const c = evaluate(scale, line(l.target, l.actual));
      return c.level !== l.level || c.grade !== l.grade;
    });
    expect(wrong).toEqual([]);
  });

  it('prints the not-graded code for every line whose target is 「—」 or 「-」, as the document does', () => {
    const dashed = lines.filter((l) => /^[—-]$/.test(l.target.trim()));
    expect(dashed.length).toBe(8);
    for (const l of dashed) {
      const resolved = resolveGrade(evaluate(scale, line(l.target, l.actual)), { grade: l.grade }, scale);
      // 「—」 is what the rule prints; 「-」 was typed for the same meaning and stays as typed.
      expect(resolved.source).toBe(l.grade === '—' ? 'computed' : 'entered');
      expect(resolved.grade).toBe(l.grade);
    }
  });

  it('leaves the rest to what the department entered: no line needs an override', () => {
    const resolved = lines.map((l) =>
      resolveGrade(
        evaluate(scale, line(l.target, l.actual)),
        { grade: l.grade || null, level: l.level || null },
        scale,
      ),
    );
    expect(resolved.filter((r) => r.source === 'override')).toEqual([]);
    // 1 line with a target given in words (graded by hand) and 2 lines left blank in the document.
    expect(resolved.filter((r) => r.source === 'entered' && r.grade === '◎').length).toBe(1);
    expect(resolved.filter((r) => r.source === 'none').length).toBe(2);
    expect(
      tally(
        scale,
        resolved.map((r) => r.grade),
      ),
    ).toEqual({ counts: { '◎': 52, '○': 3, '△': 5, '×': 4 }, graded: 64, notGraded: 8, ungraded: 2 });
  });
});
