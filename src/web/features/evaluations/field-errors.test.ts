import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import { draftOf } from './config-draft.js';
import { fieldErrors } from './field-errors.js';

describe('messages beside the fields of the evaluation settings', () => {
  const server = new ApiError(400, 'VALIDATION', '入力内容に誤りがあります', [
    { field: 'config.scales.1.rule.levels.0.min', label: '下限', message: '下限は-100000以上で入力してください' },
    { field: 'config.slots.2.name', label: '名前', message: '名前を入力してください' },
  ]);

  it('finds a message by its exact field and counts those inside an item', () => {
    const e = fieldErrors([{ field: 'config.scales.1.grades.0.points', message: '数値で入力してください' }], server);
    expect(e.at('config.slots.2.name')).toBe('名前を入力してください');
    expect(e.at('config.slots.2')).toBeUndefined();
    expect(e.within('config.scales.1')).toBe(2);
    expect(e.within('config.scales.10')).toBe(0);
    expect(e.first()).toEqual({ kind: 'scale', index: 1 });
  });

  it('lists every message with the slot or scale it concerns, in words', () => {
    const draft = draftOf(presetConfig('council-stars')!);
    const e = fieldErrors([], server);
    expect(e.summary(draft)).toEqual([
      { where: '尺度「★（3段階）」', message: '下限は-100000以上で入力してください' },
      { where: '評価の項目「審議会評価」', message: '名前を入力してください' },
    ]);
    const whole = new ApiError(400, 'VALIDATION', '', [
      { field: 'config.slots', label: '', message: '同じキーの評価が2つあります' },
    ]);
    expect(fieldErrors([], whole).summary(draft)).toEqual([{ where: '', message: '同じキーの評価が2つあります' }]);
  });

  it('leaves a conflict to the year it concerns', () => {
    const conflict = new ApiError(409, 'CONFLICT', '確定済み', [
      { field: 'fromYear', label: '適用開始年度', message: '2025年度以降を選んでください' },
    ]);
    const e = fieldErrors([], conflict);
    expect(e.at('fromYear')).toBeUndefined();
    expect(e.first()).toBeNull();
  });
});
