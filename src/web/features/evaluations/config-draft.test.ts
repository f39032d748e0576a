import { describe, expect, it } from 'vitest';
import { EVALUATION_PRESETS, presetConfig } from '../../../domain/evaluation/presets.js';
import {
  configOf,
  draftOf,
  levelGradeIndex,
  newScale,
  newSlot,
  readNumberText,
  renameScaleKey,
  renameSlotKey,
  type ConfigDraft,
} from './config-draft.js';

describe('the evaluation settings as the form holds them', () => {
  it('turns every preset into a draft and back without a change', () => {
    for (const p of EVALUATION_PRESETS) {
      const config = presetConfig(p.name)!;
      const { config: back, problems } = configOf(draftOf(config));
      expect(problems, p.name).toEqual([]);
      expect(back, p.name).toEqual(config);
    }
  });

  it('keeps a level and the code it prints as on one row, and names the mapping by its index among those that map', () => {
    const draft = draftOf(presetConfig('achievement-5')!);
    const levels = draft.scales[0]!.rule.levels;
    expect(levels.map((l) => [l.code, l.min, l.grade])).toEqual([
      ['5', '100', '◎'],
      ['4', '80', '◎'],
      ['3', '60', '○'],
      ['2', '20', '△'],
      ['1', '0', '×'],
    ]);
    levels[1]!.grade = '';
    expect(levelGradeIndex(levels, 1)).toBeNull();
    expect(levelGradeIndex(levels, 2)).toBe(1);
    const rule = configOf(draft).config.scales[0]!.rule;
    expect(rule.kind === 'ratio' && rule.levelGrades.map((m) => m.level)).toEqual(['5', '3', '2', '1']);
  });

  it('reads lower bounds as typed, negative and full-width included; empty is "no lower bound"', () => {
    expect(readNumberText('-10')).toBe(-10);
    expect(readNumberText('－１０')).toBe(-10);
    expect(readNumberText('８０')).toBe(80);
    expect(readNumberText(' ')).toBeNull();
    expect(readNumberText('-')).toBeUndefined();
    expect(readNumberText('80%')).toBeUndefined();
    const draft = draftOf(presetConfig('progress-negative')!);
    draft.scales[0]!.rule.levels[4]!.min = '-25';
    const rule = configOf(draft).config.scales[0]!.rule;
    expect(rule.kind === 'progress' && rule.levels[4]).toEqual({ code: '後退', min: -25 });
  });

  it('names what it cannot read with the path the server would use', () => {
    const draft = draftOf(presetConfig('progress-negative')!);
    draft.scales[0]!.rule.levels[1]!.min = '半分';
    draft.scales[0]!.grades[2]!.points = 'x';
    expect(configOf(draft).problems).toEqual([
      { field: 'config.scales.0.rule.levels.1.min', message: '数値で入力してください' },
      { field: 'config.scales.0.grades.2.points', message: '数値で入力してください' },
    ]);
  });

  it('switching the rule kind and back loses nothing; empty codes are none', () => {
    const draft = draftOf(presetConfig('trend')!);
    const scale = draft.scales[0]!;
    scale.rule = { ...scale.rule, kind: 'manual' };
    expect(configOf(draft).config.scales[0]!.rule).toEqual({ kind: 'manual' });
    scale.rule = { ...scale.rule, kind: 'trend', cannotCompute: '  ' };
    const rule = configOf(draft).config.scales[0]!.rule;
    expect(rule).toMatchObject({ kind: 'trend', tolerance: 1, improved: '改善', cannotCompute: null });
  });

  it('sends the fields the form hides only where they apply', () => {
    const draft = draftOf(presetConfig('council-stars')!);
    Object.assign(draft.slots[0]!, { depth: 2, purposes: [], override: true, rollupFrom: 'coord' });
    Object.assign(draft.slots[1]!, { required: true, checkAgainst: 'self' });
    const [self, coord, council] = configOf(draft).config.slots;
    expect(self).toMatchObject({ depth: null, purposes: ['target', 'expected'], override: false, rollupFrom: null });
    expect(self!.required).toBe(true);
    expect(coord).toMatchObject({ required: false, checkAgainst: 'self' });
    expect(council!.depth).toBe(1);
    draft.slots[1]!.enteredBy = 'computed';
    draft.slots[1]!.override = true;
    expect(configOf(draft).config.slots[1]).toMatchObject({ override: true, checkAgainst: null });
  });

  it('adds slots and scales under fresh keys, and renaming a key carries the references along', () => {
    let draft: ConfigDraft = draftOf(presetConfig('node-share')!);
    const slot = newSlot(draft);
    expect(slot.key).toBe('slot3');
    expect(newScale(draft).key).toBe('scale3');
    draft = renameSlotKey(draft, 0, 'line');
    expect(draft.slots[1]!.rollupFrom).toBe('line');
    draft = renameScaleKey(draft, 1, 'measure-share');
    expect(draft.slots[1]!.scale).toBe('measure-share');
    expect(draft.scales.map((s) => s.key)).toEqual(['ratio-a-d', 'measure-share']);
  });
});
