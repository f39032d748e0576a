import { describe, expect, it } from 'vitest';
import { builtInKind, formatKind, numberText, serialToDate } from './xlsx-formats.js';

/** Number formats as Excel (Japanese and not) and LibreOffice write them, and what an import reads from each. */
describe('number formats', () => {
  const kinds: [string, string][] = [
    ['General', 'number'],
    ['G/標準', 'number'],
    ['0.00E+00', 'number'],
    ['#,##0"円"', 'number'],
    ['[$-411]0\\h', 'number'],
    ['0\\m', 'number'],
    ['#,##0_m', 'number'],
    ['"第"0"回"', 'number'],
    ['[Red]#,##0;[Blue]-#,##0', 'number'],
    ['0.0%', 'percent'],
    ['[$-411]0%', 'percent'],
    ['yyyy/m/d', 'date'],
    ['[$-411]ggge"年"m"月"d"日"', 'date'],
    ['[$-ja-JP-x-gannen]ggge"年"m"月"d"日"', 'date'],
    ['m"月"d"日"', 'date'],
    ['mmm-yy', 'date'],
    ['yyyy/m/d h:mm', 'date'],
    ['h:mm', 'time'],
    ['h"時"mm"分"', 'time'],
    ['[h]:mm:ss', 'time'],
    ['mm:ss', 'time'],
    ['h:mm AM/PM', 'time'],
    ['"TRUE";"TRUE";"FALSE"', 'boolean'],
  ];
  it.each(kinds)('reads %s as a %s', (code, kind) => {
    expect(formatKind(code).kind).toBe(kind);
  });

  it('reads a number shown in thousands or millions as it shows, with its unit, unrounded', () => {
    const read = (value: number, code: string) => numberText(value, formatKind(code), false);
    expect(read(1500000, '#,##0,"千円"')).toBe('1500千円');
    expect(read(1234567, '#,##0,"千円"')).toBe('1234.567千円');
    expect(read(1500000, '[$-411]#,##0,\\千\\円')).toBe('1500千円');
    expect(read(2500000, '0.0,,"百万円";[Red]-0.0,,"百万円"')).toBe('2.5百万円');
    expect(read(1500000, '#,##0,')).toBe('1500');
    // A comma between placeholders only separates thousands; a placeholder inside quotes is text.
    expect(read(1500000, '#,##0"円"')).toBe('1500000');
    expect(read(1500000, '#,##0,"第0期"')).toBe('1500第0期');
    expect(read(1500, '"約"#,##0')).toBe('1500');
  });

  it('knows the built-in formats by id, the Japanese dates among them', () => {
    expect([0, 1, 2, 3, 4, 9, 10, 14, 20, 31, 32, 46, 49, 57, 58].map((id) => builtInKind(id).kind)).toEqual([
      'number',
      'number',
      'number',
      'number',
      'number',
      'percent',
      'percent',
      'date',
      'time',
      'date',
      'time',
      'time',
      'number',
      'date',
      'date',
    ]);
  });

  it('writes each kind as a person reads it', () => {
    expect(numberText(0.319, formatKind('0.0%'), false)).toBe('31.9%');
    expect(numberText(1 / 3, formatKind('0%'), false)).toBe('33.3333333333333%');
    expect(numberText(45383, formatKind('yyyy/m/d'), false)).toBe('2024/4/1');
    expect(numberText(45383, formatKind('[$-411]ggge"年"m"月"d"日"'), false)).toBe('令和6年4月1日');
    expect(numberText(45383, formatKind('[$-411]ge.m.d'), false)).toBe('R6.4.1');
    expect(numberText(45383, formatKind('yyyy"年"m"月"d"日"(aaa)'), false)).toBe('2024年4月1日(月)');
    expect(numberText(45383, formatKind('m/d'), false)).toBe('4/1');
    expect(numberText(45383, formatKind('mmm-yy'), false)).toBe('Apr-24');
    expect(numberText(45383, formatKind('[$-411]mmm-yy'), false)).toBe('4月-24');
    expect(numberText(45383.75, formatKind('yyyy/mm/dd hh:mm'), false)).toBe('2024/04/01 18:00');
    // The first year of an era, as 元 where the format says so; 平成 until 30 April 2019.
    expect(numberText(43586, formatKind('[$-ja-JP-x-gannen]ggge"年"m"月"d"日"'), false)).toBe('令和元年5月1日');
    expect(numberText(43586, formatKind('ggge"年"m"月"d"日"'), false)).toBe('令和1年5月1日');
    expect(numberText(43585, formatKind('gge"年"'), false)).toBe('平31年');
    // A date format with a number's placeholder is not read here: the day as YYYY-MM-DD.
    expect(numberText(45383, formatKind('yyyy 0.0'), false)).toBe('2024-04-01');
    expect(numberText(45383.75, formatKind('h:mm'), false)).toBe('18:00');
    expect(numberText(1.5, formatKind('[h]:mm:ss'), false)).toBe('36:00:00');
    expect(numberText(0.999999, formatKind('h:mm:ss'), false)).toBe('0:00:00');
    expect(numberText(0, formatKind('"TRUE";"TRUE";"FALSE"'), false)).toBe('false');
    expect(numberText(1e21, formatKind('General'), false)).toBe('1e+21');
    // A serial far past any calendar stays the number it is.
    expect(numberText(1e12, formatKind('yyyy/m/d'), false)).toBe('1000000000000');
  });

  it('counts Excel serial days as Excel does, in both date systems', () => {
    expect(serialToDate(1, false)).toBe('1900-01-01');
    expect(serialToDate(59, false)).toBe('1900-02-28');
    expect(serialToDate(61, false)).toBe('1900-03-01');
    expect(serialToDate(45383, false)).toBe('2024-04-01');
    expect(serialToDate(0, true)).toBe('1904-01-01');
    expect(serialToDate(43921, true)).toBe('2024-04-01');
  });
});
