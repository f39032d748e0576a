import { describe, expect, it } from 'vitest';
import { patternProblem } from './pattern-safety.js';

describe('mapping patterns', () => {
  it('accepts the patterns section rows and ignored lines need', () => {
    for (const p of [
      '^基本目標\\s*(\\d+)',
      '^[（(]\\d+[）)]',
      '^主要課題[０-９0-9]+\\s*(.+)$',
      '^(?:施策|事業)No\\.?\\s*\\d+',
      '^\\s*$',
      '^[-－―]{3,}$',
      '(①|②|③)',
      '^(\\d+)-(\\d+)\\s',
    ])
      expect(patternProblem(p), p).toBeNull();
  });
  it('refuses a repetition inside a repetition, however it is written', () => {
    for (const p of ['^(a+)+$', '(a*)*', '(?:\\s*x)+', '((ab)+c)*', '(?<w>\\w+)+$', '(a+){2,}', '(x(?:y+))*z'])
      expect(patternProblem(p), p).toContain('繰り返しの中に繰り返し');
  });
  it('refuses what does not compile and back-references', () => {
    expect(patternProblem('(abc')).toContain('読めません');
    expect(patternProblem('(a)\\1')).toContain('後方参照');
  });
  it('lets a repeated group of fixed width and optional groups through', () => {
    expect(patternProblem('(ab)+')).toBeNull();
    expect(patternProblem('(a+)?')).toBeNull();
    expect(patternProblem('[(+*)]+')).toBeNull();
  });
});

describe('the built-in mappings', () => {
  it('use only patterns that pass the same check', async () => {
    const { BUILTIN_MAPPINGS } = await import('./builtin-mappings.js');
    const patterns = BUILTIN_MAPPINGS.flatMap((m) => [
      ...(m.sections ?? []).map((s) => s.pattern),
      ...(m.ignore ?? []),
    ]);
    expect(patterns.length).toBeGreaterThan(0);
    for (const p of patterns) expect(patternProblem(p), p).toBeNull();
  });
});
