import { describe, expect, it } from 'vitest';
import type { EvaluationVersionDto } from '../../../domain/api-types.js';
import { defaultFromYear, fixedNote, saveEffect, versionRange, yearChoices } from './versions.js';

const version = (id: number, fromYear: number, toYear: number | null, fixedYears: number[] = []) =>
  ({
    id,
    fromYear,
    toYear,
    config: { scales: [], slots: [] },
    note: '',
    createdAt: '2025-04-01T00:00:00.000Z',
    createdByName: '所管 担当',
    fixedYears,
  }) satisfies EvaluationVersionDto;

const settings = {
  firstYear: 2021,
  lastYear: 2030,
  versions: [version(1, 2021, 2024, [2023, 2024]), version(2, 2025, null)],
  fixedYears: [2023, 2024],
};

describe('the versions of a plan’s evaluation settings', () => {
  it('says the years each applies in, in 和暦', () => {
    expect(versionRange(settings.versions[0]!, 'reiwa1')).toBe('令和3年度〜令和6年度');
    expect(versionRange(settings.versions[1]!, 'reiwa1')).toBe('令和7年度〜');
    expect(versionRange({ fromYear: 2019, toYear: 2019 }, 'heisei31')).toBe('平成31年度のみ');
  });

  it('says why a version with fixed years cannot change, and from when a change may start', () => {
    expect(fixedNote(settings.versions[0]!, 'reiwa1')).toBe(
      '令和5年度・令和6年度は確定または公表済みで、この版で評価されています。その年度の評価が変わらないよう、この版は変えられません。変更は令和7年度以降からの新しい版にしてください。',
    );
    expect(fixedNote(settings.versions[1]!, 'reiwa1')).toBeNull();
  });

  it('offers each year of the plan, refusing those whose version would cover a fixed year', () => {
    const choices = yearChoices(settings, 'reiwa1');
    expect(choices).toHaveLength(10);
    expect(choices[0]).toMatchObject({
      year: 2021,
      fixed: [2023, 2024],
      label: '令和3年度から（令和5年度・令和6年度が確定済みのため選べません）',
    });
    expect(choices[3]).toMatchObject({ year: 2024, fixed: [2024] });
    expect(choices[4]).toMatchObject({
      year: 2025,
      fixed: [],
      replaces: true,
      label: '令和7年度から（この年度からの版を置き換える）',
    });
    expect(choices[6]).toMatchObject({ year: 2027, fixed: [], replaces: false, label: '令和9年度から' });
    expect(defaultFromYear(settings, settings.versions[0])).toBe(2025);
    expect(defaultFromYear(settings, settings.versions[1])).toBe(2025);
    expect(defaultFromYear({ ...settings, fixedYears: [], versions: [version(1, 2021, null)] }, undefined)).toBe(2021);
  });

  it('says what saving from a year does', () => {
    expect(saveEffect(settings, 2025, 'reiwa1')).toBe('令和7年度〜に適用している版を、この内容で置き換えます。');
    expect(saveEffect(settings, 2027, 'reiwa1')).toBe(
      '令和9年度〜に適用する新しい版として保存します。令和7年度〜令和8年度は今の版のままです。',
    );
    const two = { ...settings, versions: [version(1, 2021, 2026), version(2, 2027, null)], fixedYears: [] };
    expect(saveEffect(two, 2024, 'reiwa1')).toBe(
      '令和6年度〜令和8年度に適用する新しい版として保存します。令和3年度〜令和5年度は今の版のままです。',
    );
  });
});
