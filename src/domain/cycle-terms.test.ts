import { describe, expect, it } from 'vitest';
import { readActual } from './cycle-terms.js';

describe('an indicator’s actual as typed', () => {
  it('reads a number with the indicator’s own unit, full-width or not', () => {
    expect(readActual({ text: '12件', status: null }, 'number', '件')).toMatchObject({ value: 12 });
    expect(readActual({ text: '７５％', status: null }, 'number', '％')).toMatchObject({ value: 75 });
    // Typed without its unit, the number is kept with the indicator's (as the sheet says: 「12件として保存します」).
    expect(readActual({ text: '12', status: null }, 'number', '件')).toEqual({ value: 12, status: null, text: '12件' });
    expect(readActual({ text: '12件', status: null }, 'number', '件').text).toBe('12件');
    expect(readActual({ text: '12', status: null }, 'number', '').text).toBe('12');
  });

  it('refuses a number written in another unit, and a count below zero, saying why', () => {
    expect(readActual({ text: '12人', status: null }, 'number', '件')).toMatchObject({
      value: null,
      error: '単位は「件」です。「12人」の「人」は使えません',
    });
    expect(readActual({ text: '-3', status: null }, 'number', '回')).toMatchObject({
      value: null,
      error: '回の数に負の値（「-3」）は入れられません',
    });
    // A change (増減) in a unit that is not a count may be negative.
    expect(readActual({ text: '-3', status: null }, 'number', 'ポイント')).toMatchObject({ value: -3 });
  });
});
