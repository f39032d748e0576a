import { describe, expect, it } from 'vitest';
import { appliesIn, spanExplanation, spanTag } from './years.js';

const period = { firstYear: 2021, lastYear: 2030 };

describe('the years of a node or project, as the editor says them', () => {
  it('tags only spans that differ from the plan period', () => {
    expect(spanTag({ startYear: null, endYear: null }, period, 'reiwa1')).toBeNull();
    expect(spanTag({ startYear: 2021, endYear: 2030 }, period, 'reiwa1')).toBeNull();
    expect(spanTag({ startYear: 2026, endYear: null }, period, 'reiwa1')).toBe('令和8年度〜');
    expect(spanTag({ startYear: null, endYear: 2025 }, period, 'reiwa1')).toBe('〜令和7年度');
    expect(spanTag({ startYear: 2026, endYear: 2027 }, period, 'reiwa1')).toBe('令和8年度〜令和9年度');
    expect(spanTag({ startYear: 2026, endYear: 2026 }, period, 'reiwa1')).toBe('令和8年度のみ');
  });
  it("explains which years' sheets and reports leave it out", () => {
    expect(spanExplanation({ startYear: 2026, endYear: null }, period, 'reiwa1')).toBe(
      '令和8年度から計画期間の終わりまで。令和7年度以前のシートと報告には表示されません。',
    );
    expect(spanExplanation({ startYear: null, endYear: 2025 }, period, 'reiwa1')).toBe(
      '計画期間の初めから令和7年度まで。令和8年度以降のシートと報告には表示されません。',
    );
    expect(spanExplanation({ startYear: 2023, endYear: 2025 }, period, 'reiwa1')).toBe(
      '令和5年度から令和7年度まで。令和4年度以前と令和8年度以降のシートと報告には表示されません。',
    );
    expect(spanExplanation({ startYear: null, endYear: null }, period, 'reiwa1')).toBe(
      '計画期間のすべての年度のシートと報告に表示されます。',
    );
  });
  it('knows whether it applies in a year', () => {
    expect(appliesIn({ startYear: 2026, endYear: null }, 2025)).toBe(false);
    expect(appliesIn({ startYear: 2026, endYear: null }, 2026)).toBe(true);
    expect(appliesIn({ startYear: null, endYear: 2025 }, 2026)).toBe(false);
  });
});
