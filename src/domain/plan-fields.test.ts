import { describe, expect, it } from 'vitest';
import { customText, readCustomValue, readCustomValues, type CustomFieldDef } from './plan-fields.js';

const def = (over: Partial<CustomFieldDef>): CustomFieldDef => ({
  key: 'f',
  label: '項目',
  on: 'project',
  type: 'text',
  unit: '',
  choices: [],
  phases: [],
  maxLength: 400,
  ...over,
});

describe('the plan’s extra fields', () => {
  it('reads amounts and numbers as written, with their own unit, and refuses words', () => {
    const money = def({ label: '予算額', type: 'money', unit: '千円' });
    expect(readCustomValue(money, '1,200千円')).toEqual({ ok: true, value: 1200 });
    expect(readCustomValue(money, '１２００')).toEqual({ ok: true, value: 1200 });
    expect(readCustomValue(money, 1200.5)).toEqual({ ok: true, value: 1200.5 });
    expect(readCustomValue(money, '')).toEqual({ ok: true, value: null });
    expect(readCustomValue(money, '千二百')).toEqual({
      ok: false,
      message: '予算額は数値で入力してください（「千二百」は数値として読めません）',
    });
    // Another unit is not this field's: not read as a number of 千円.
    expect(readCustomValue(money, '1,200円')).toEqual({
      ok: false,
      message: '予算額は千円単位の数値で入力してください（「1,200円」の単位「円」は使えません）',
    });
    expect(readCustomValue(def({ label: '人数', type: 'number', unit: '人' }), '35人')).toEqual({
      ok: true,
      value: 35,
    });
    expect(readCustomValue(def({ label: '人数', type: 'number', unit: '人' }), '35件').ok).toBe(false);
    expect(customText(money, 1200)).toBe('1,200千円');
    expect(customText(def({ type: 'money' }), 5000)).toBe('5,000円');
  });

  it('reads a stage per phase from an object, from 「前期:○ 後期:◎」 and from marks in the phases’ order', () => {
    const stage = def({ label: '段階', type: 'stage', phases: ['前期', '中期', '後期'] });
    expect(readCustomValue(stage, { 前期: '○', 後期: '◎' })).toEqual({ ok: true, value: { 前期: '○', 後期: '◎' } });
    expect(readCustomValue(stage, '前期:○ 後期：◎')).toEqual({ ok: true, value: { 前期: '○', 後期: '◎' } });
    expect(readCustomValue(stage, '△／○／◎')).toEqual({ ok: true, value: { 前期: '△', 中期: '○', 後期: '◎' } });
    expect(readCustomValue(stage, '前期:☆')).toEqual({
      ok: false,
      message: '段階の前期は「△」「○」「◎」から選んでください（「☆」は選べません）',
    });
    expect(readCustomValue(stage, '来期:○').ok).toBe(false);
    expect(customText(stage, { 後期: '◎', 前期: '○' })).toBe('前期:○ 後期:◎');
  });

  it('takes a choice from its list only, and text up to its length', () => {
    expect(readCustomValue(def({ label: 'メモ' }), { a: 'b' })).toEqual({
      ok: false,
      message: 'メモは一つの値で入力してください',
    });
    const choice = def({ label: '方法', type: 'choice', choices: ['対面', 'オンライン'] });
    expect(readCustomValue(choice, 'オンライン')).toEqual({ ok: true, value: 'オンライン' });
    expect(readCustomValue(choice, '郵送').ok).toBe(false);
    expect(readCustomValue(def({ label: 'コード', maxLength: 3 }), 'ABCD')).toEqual({
      ok: false,
      message: 'コードは3文字以内で入力してください',
    });
  });

  it('names a value for a field the plan does not have, and leaves empty ones out', () => {
    const defs = [def({ key: 'a', label: 'A' }), def({ key: 'b', label: 'B', on: 'record' })];
    expect(readCustomValues(defs, 'project', { a: ' x ', b: 'y', c: 'z' })).toEqual({
      values: { a: 'x' },
      problems: [
        { key: 'b', message: '「b」という項目はこの計画にありません' },
        { key: 'c', message: '「c」という項目はこの計画にありません' },
      ],
    });
    expect(readCustomValues(defs, 'project', { a: '' })).toEqual({ values: {}, problems: [] });
  });
});
