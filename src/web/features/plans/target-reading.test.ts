import { describe, expect, it } from 'vitest';
import { targetReading } from './target-reading.js';

describe('how a typed target will be read', () => {
  it('says the number, its basis and its comparison, or why it cannot be computed', () => {
    expect(targetReading('')).toBeNull();
    expect(targetReading('毎年10人以上')).toEqual({ text: '10人（毎年・以上）と比べます', problem: false });
    expect(targetReading('10か所（累計）')).toEqual({ text: '10か所（累計）と比べます', problem: false });
    expect(targetReading('令和7年度までに50%')).toEqual({ text: '50%と比べます', problem: false });
    expect(targetReading('—')).toEqual({ text: '目標なし（評価の対象外）', problem: false });
    expect(targetReading('前年度以上')).toEqual({ text: '前年度より増えればよいとして比べます', problem: false });
    expect(targetReading('全ての小学校')).toEqual({
      text: '目標「全ての小学校」に数値がないため、計算できません。この目標では評価されません',
      problem: true,
    });
    expect(targetReading('10〜20件')?.problem).toBe(true);
  });
});
