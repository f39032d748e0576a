import { describe, expect, it } from 'vitest';
import { parseValue, readNumber } from './values.js';

describe('values as typed', () => {
  it.each([
    ['123', 123, ''],
    ['１２３', 123, ''],
    ['1,234人', 1234, '人'],
    ['１，２３４人', 1234, '人'],
    ['31.9%', 31.9, '%'],
    ['４回', 4, '回'],
    ['-5', -5, ''],
    ['－５件', -5, '件'],
    ['0校', 0, '校'],
    ['2.5 か所', 2.5, 'か所'],
  ])('reads %s as %d with unit %j', (text, value, unit) => {
    expect(parseValue(text)).toEqual({ kind: 'number', value, unit, text });
  });
  it('reads marks and words as flags and statuses, keeping what was typed', () => {
    expect(parseValue('○')).toEqual({ kind: 'flag', done: true, text: '○' });
    expect(parseValue('×')).toEqual({ kind: 'flag', done: false, text: '×' });
    expect(parseValue('—')).toEqual({ kind: 'flag', done: null, text: '—' });
    expect(parseValue('－')).toEqual({ kind: 'flag', done: null, text: '－' });
    expect(parseValue('該当なし')).toEqual({ kind: 'status', status: 'not_applicable', text: '該当なし' });
    expect(parseValue('中止（感染症のため）')).toMatchObject({ kind: 'status', status: 'cancelled' });
    expect(parseValue('隔年実施')).toMatchObject({ kind: 'status', status: 'biennial' });
  });
  it('keeps text that is no number as text', () => {
    expect(parseValue('約100人')).toEqual({ kind: 'text', text: '約100人' });
    expect(parseValue('1,23')).toEqual({ kind: 'text', text: '1,23' });
    expect(parseValue('12-3')).toEqual({ kind: 'text', text: '12-3' });
    expect(parseValue('  ')).toEqual({ kind: 'empty', text: '' });
  });
  it('says why a number field holds no number', () => {
    expect(readNumber('1,234')).toEqual({ ok: true, value: 1234 });
    expect(readNumber('')).toEqual({ ok: true, value: null });
    expect(readNumber('たくさん')).toEqual({ ok: false, message: '「たくさん」は数値として読めません' });
  });
});
