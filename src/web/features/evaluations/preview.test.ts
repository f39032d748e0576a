import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import type { Scale } from '../../../domain/evaluation/index.js';
import { previewColumns, previewRows, rollupPreview } from './preview.js';

const scale = (preset: string, i = 0): Scale => presetConfig(preset)!.scales[i]!;
const byNote = (rows: ReturnType<typeof previewRows>) => Object.fromEntries(rows.map((r) => [r.note, r]));

describe('the live preview of a scale', () => {
  it('puts a row on each level’s lower bound, and reads the cases plans meet', () => {
    const rows = byNote(previewRows(scale('achievement-5')));
    expect(rows['段階「5」の下限（100%）ちょうど']).toMatchObject({
      actual: '10人',
      code: '◎',
      speech: '◎（目標を達成（達成度4・5））',
    });
    expect(rows['段階「3」の下限（60%）ちょうど']).toMatchObject({ actual: '6人', code: '○' });
    expect(rows['段階「1」の下限（0%）ちょうど']).toMatchObject({ actual: '0人', code: '×' });
    expect(rows['少ないほどよい指標']).toMatchObject({
      code: '◎',
      basis: '達成率 80%（少ないほどよい指標のため目標 ÷ 実績）',
    });
    expect(rows['文章で書かれた目標']).toMatchObject({ target: '毎年10人以上', code: '◎' });
    expect(rows['目標なし（—）']).toMatchObject({ code: '—', speech: '—（評価の対象外）' });
    expect(rows['実績が状態（隔年実施）']!.code).toBe('—');
    expect(rows['実績が状態（未実施）']!.code).toBe('×');
    expect(rows['目標が数値でない']).toMatchObject({ code: null, speech: '未評価' });
    expect(rows['モニタリング指標']).toMatchObject({ code: null, excluded: true, speech: '評価しない' });
    expect(previewColumns(scale('achievement-5'))).toEqual(['target', 'actual', 'direction']);
  });

  it('goes below the lowest bound where a level has none, negative progress included', () => {
    const ratio = byNote(previewRows(scale('ratio-hand')));
    expect(ratio['下限に届かない（段階「D」）']).toMatchObject({ actual: '4人', code: 'D' });
    expect(ratio['累計の目標（これまでの合計 8か所）']!.code).toBe('B');
    const progress = byNote(previewRows(scale('progress-negative')));
    expect(progress['段階「B」の下限（50%）ちょうど']).toMatchObject({ actual: '30%', code: 'B' });
    expect(progress['下限に届かない（段階「後退」）']).toMatchObject({ actual: '18%', code: '後退' });
    expect(progress['少ないほどよい指標が増えた']!.code).toBe('後退');
    expect(progress['現状値がない']).toMatchObject({
      code: '評価不能',
      basis: '現状値がないため進捗率を計算できません',
    });
  });

  it('follows the tolerance of a trend', () => {
    const trend = scale('trend');
    const rows = byNote(previewRows(trend));
    expect(rows['許容幅の上端']).toMatchObject({ previous: '100', actual: '101', code: '横ばい' });
    expect(rows['許容幅を超えて増えた']!.code).toBe('改善');
    expect(rows['許容幅を超えて減った']!.code).toBe('悪化');
    expect(rows['少ないほどよい指標が減った']!.code).toBe('改善');
    expect(rows['方向なし、目標が「減少」']!.code).toBe('悪化');
    expect(rows['前年度の数値がない']!.code).toBe('比較不能');
    if (trend.rule.kind !== 'trend') throw new Error('trend');
    const wider = { ...trend, rule: { ...trend.rule, tolerance: 5 } };
    expect(byNote(previewRows(wider))['許容幅の上端']).toMatchObject({ actual: '105', code: '横ばい' });
  });

  it('reads done flags, and shows what a rollup makes of the codes below', () => {
    const done: Scale = {
      key: 'done',
      name: '○×',
      rule: { kind: 'done', done: '○', notDone: '×', notApplicable: '—', statusGrades: {} },
      grades: [
        { code: '○', label: '実施', tally: true, points: 1, hand: false },
        { code: '×', label: '未実施', tally: true, points: 0, hand: false },
        { code: '—', label: '', tally: false, points: null, hand: false },
      ],
    };
    expect(previewRows(done).map((r) => r.code)).toEqual(['○', '×', '—', '○', '×', null]);
    const config = presetConfig('node-share')!;
    const rows = rollupPreview(config.scales[1]!, config.scales[0]!);
    expect(rows.map((r) => [r.children.join(''), r.code])).toEqual([
      ['AAAA', '◎'],
      ['AAAD', '○'],
      ['AADD', '○'],
      ['ADDD', '△'],
      ['DDDD', '△'],
      ['ABCD', '△'],
      ['', null],
    ]);
  });
});
