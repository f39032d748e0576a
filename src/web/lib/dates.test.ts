import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatEraYear,
  formatFiscalYear,
  formatShortDateTime,
  formatTime,
  formatTimeRange,
} from './dates.js';

describe('dates and years as every screen prints them', () => {
  it('prints fiscal years with the era as the municipality names 2019', () => {
    expect(formatFiscalYear(2026, 'reiwa1')).toBe('令和8年度（2026年度）');
    expect(formatFiscalYear(2019, 'heisei31')).toBe('平成31年度（2019年度）');
    expect(formatEraYear(2019, 'reiwa1')).toBe('令和元年度');
  });

  it('prints dates and times in Japan time, whatever the zone of the moment', () => {
    expect(formatDate('2027-04-30')).toBe('令和9年4月30日');
    // 2026-12-01 16:05 UTC is 2 December 01:05 in Japan.
    expect(formatDate('2026-12-01T16:05:00.000Z')).toBe('令和8年12月2日');
    expect(formatDateTime('2026-12-01T16:05:00.000Z')).toBe('令和8年12月2日 01:05');
    expect(formatShortDateTime('2026-12-01T16:05:00.000Z')).toBe('12月2日 01:05');
    expect(formatTime('2026-12-02T05:05:00.000Z')).toBe('14:05');
    expect(formatTimeRange('2026-12-02T05:02:00.000Z', '2026-12-02T05:31:00.000Z')).toBe('令和8年12月2日 14:02〜14:31');
    expect(formatDate('なし')).toBe('なし');
  });
});
