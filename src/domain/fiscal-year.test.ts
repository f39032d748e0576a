import { describe, expect, it } from 'vitest';
import {
  eraDateLabel,
  eraYearLabel,
  fiscalYearEnd,
  fiscalYearLabel,
  fiscalYearOf,
  fiscalYearShort,
  parseFiscalYear,
} from './fiscal-year.js';

describe('fiscal year labels', () => {
  it('labels a Reiwa year with the western year in full-width brackets', () => {
    expect(fiscalYearLabel(2021)).toBe('令和3年度（2021年度）');
  });
  it('calls 2019 令和元年度 or 平成31年度 as the municipality chooses', () => {
    expect(eraYearLabel(2019, 'reiwa1')).toBe('令和元年度');
    expect(eraYearLabel(2019, 'heisei31')).toBe('平成31年度');
    expect(fiscalYearLabel(2019, 'heisei31')).toBe('平成31年度（2019年度）');
  });
  it('uses 元 for the first year of an era and counts on after it', () => {
    expect(eraYearLabel(2020)).toBe('令和2年度');
    expect(eraYearLabel(2018)).toBe('平成30年度');
    expect(eraYearLabel(1989)).toBe('平成元年度');
    expect(eraYearLabel(1988)).toBe('昭和63年度');
  });
  it('gives a compact form for narrow headers', () => {
    expect(fiscalYearShort(2021)).toBe('R3');
    expect(fiscalYearShort(2016)).toBe('H28');
  });
});

describe('parsing fiscal years typed by users', () => {
  it.each([
    ['2021', 2021],
    ['2021年度', 2021],
    ['R3', 2021],
    ['r3', 2021],
    ['Ｒ３', 2021],
    ['R3年度', 2021],
    ['令和3', 2021],
    ['令和３年度', 2021],
    ['令和元年度', 2019],
    ['H31', 2019],
    ['平成31年度', 2019],
    ['平成28年度', 2016],
    ['H.28', 2016],
    ['平成32年度', 2020],
    ['令和3年度（2021年度）', 2021],
    [' 2030 ', 2030],
  ])('reads %s as %i', (text, year) => {
    expect(parseFiscalYear(text)).toBe(year);
  });
  it.each(['', '令和', 'R', 'abc', '21', '令和0年度', '令和3年度（2022年度）', '3000'])('rejects %j', (text) => {
    expect(parseFiscalYear(text)).toBeNull();
  });
});

describe('the fiscal year of a date', () => {
  it('puts January to March in the previous fiscal year', () => {
    expect(fiscalYearOf(new Date(2022, 2, 31))).toBe(2021);
    expect(fiscalYearOf(new Date(2022, 3, 1))).toBe(2022);
  });
});

describe('eraDateLabel', () => {
  it('writes dates in 和暦 with the real era boundaries', () => {
    expect(eraDateLabel(fiscalYearEnd(2021))).toBe('令和4年3月31日');
    expect(eraDateLabel('2019-04-30')).toBe('平成31年4月30日');
    expect(eraDateLabel('2019-05-01')).toBe('令和元年5月1日');
    expect(eraDateLabel('1989-01-08')).toBe('平成元年1月8日');
  });
});
