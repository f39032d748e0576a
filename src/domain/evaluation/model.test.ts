import { describe, expect, it } from 'vitest';
import {
  addToSlotTally,
  checkAnswer,
  emptySlotTally,
  entryProblem,
  entryToStore,
  judgeLine,
  parseTarget,
  resolveSlot,
  slotScale,
  versionFor,
  type Judgement,
  type LineFacts,
} from './index.js';
import { configInput, scaleInput } from './schema.js';
import { EVALUATION_PRESETS, presetConfig } from './presets.js';
import { configFromLegacy } from './legacy.js';

const j = (code: string | null, basis = '', more: Partial<Judgement> = {}): Judgement => ({
  code,
  level: code,
  ratio: null,
  basis,
  excluded: false,
  ...more,
});

describe('targets as written', () => {
  it.each([
    ['30%', { kind: 'number', value: 30, unit: '%', basis: null, comparator: null }],
    ['1,200人', { kind: 'number', value: 1200, unit: '人' }],
    ['毎年10人以上', { kind: 'number', value: 10, unit: '人', basis: 'annual', comparator: 'atLeast' }],
    ['年10回', { kind: 'number', value: 10, basis: 'annual' }],
    ['10か所（累計）', { kind: 'number', value: 10, unit: 'か所', basis: 'cumulative' }],
    ['累計500人', { kind: 'number', value: 500, basis: 'cumulative' }],
    ['5年間で50人', { kind: 'number', value: 50, basis: 'cumulative' }],
    ['令和7年度までに50%', { kind: 'number', value: 50, unit: '%' }],
    ['R7年度末 35.5%以上', { kind: 'number', value: 35.5, comparator: 'atLeast' }],
    ['３件以下', { kind: 'number', value: 3, comparator: 'atMost' }],
    ['増加', { kind: 'direction', direction: 'higher', against: 'baseline' }],
    ['減少させる', { kind: 'direction', direction: 'lower' }],
    ['前年度以上', { kind: 'direction', direction: 'higher', against: 'previous' }],
    ['現状維持', { kind: 'direction', direction: 'keep' }],
    ['—', { kind: 'notApplicable' }],
    ['', { kind: 'none' }],
  ])('reads 「%s」', (text, expected) => {
    expect(parseTarget(text)).toMatchObject(expected);
  });

  it.each([
    ['全ての小中学校', '数値がない'],
    ['10〜15人', '幅'],
    ['男性10人、女性12人', '数値が2つ'],
  ])('flags 「%s」 with the reason', (text, reason) => {
    const p = parseTarget(text);
    expect(p.kind).toBe('unreadable');
    expect(p.kind === 'unreadable' && p.problem).toContain(reason);
  });
});

describe('the configuration', () => {
  it('every preset is a valid configuration', () => {
    for (const p of EVALUATION_PRESETS) expect(configInput.safeParse(p.config).success, p.name).toBe(true);
  });

  it('refuses a slot whose scale, subject or role does not fit, with the field named', () => {
    const base = presetConfig('council-stars')!;
    const bad = (slots: unknown[]) => {
      const r = configInput.safeParse({ scales: base.scales, slots });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(bad([{ key: 'x', name: 'x', subject: 'record', enteredBy: 'department', scale: 'nope' }])).toEqual([
      'slots.0.scale: 尺度「nope」がありません',
    ]);
    expect(bad([{ key: 'x', name: 'x', subject: 'record', enteredBy: 'computed', scale: 'a-d' }])[0]).toContain(
      '計算する尺度',
    );
    expect(
      bad([{ key: 'x', name: 'x', subject: 'record', enteredBy: 'council', scale: 'a-d', required: true }])[0],
    ).toContain('担当課が入力する評価だけ');
    expect(
      bad([{ key: 'x', name: 'x', subject: 'record', enteredBy: 'coordinator', scale: 'a-d', depth: 1 }])[0],
    ).toContain('体系の評価のときだけ');
    const two = { key: 'x', name: 'x', subject: 'record', enteredBy: 'department', scale: 'a-d' };
    expect(bad([two, two])).toContain('slots: 同じキーの評価が2つあります');
  });

  it('refuses a rollup that sums up itself or something above it', () => {
    const c = presetConfig('node-share')!;
    const loop = configInput.safeParse({
      scales: c.scales,
      slots: [
        { ...c.slots[1]!, key: 'a', rollupFrom: 'b' },
        { ...c.slots[1]!, key: 'b', rollupFrom: 'a' },
      ],
    });
    expect(loop.success).toBe(false);
    expect(JSON.stringify(loop.error?.issues)).toContain('循環');
    const upward = configInput.safeParse({
      scales: c.scales,
      slots: [
        c.slots[0]!,
        { ...c.slots[1]!, subject: 'record', depth: null },
        { ...c.slots[1]!, key: 'n2', rollupFrom: 'measure' },
      ],
    });
    expect(upward.success).toBe(true);
  });

  it('refuses a scale whose rule prints a code the legend does not list', () => {
    const r = scaleInput.safeParse({
      key: 's',
      name: 's',
      rule: {
        kind: 'ratio',
        levels: [
          { code: 'A', min: 100 },
          { code: 'B', min: null },
        ],
        noTarget: '—',
      },
      grades: [{ code: 'A' }],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual([
      '評価「B」が凡例にありません。凡例に加えてください',
      '評価「—」が凡例にありません。凡例に加えてください',
    ]);
  });

  it('the version in force in a year is the latest starting on or before it', () => {
    const versions = [{ fromYear: 2024 }, { fromYear: 2021 }, { fromYear: 2027 }];
    expect(versionFor(versions, 2021)!.fromYear).toBe(2021);
    expect(versionFor(versions, 2023)!.fromYear).toBe(2021);
    expect(versionFor(versions, 2024)!.fromYear).toBe(2024);
    expect(versionFor(versions, 2030)!.fromYear).toBe(2027);
    expect(versionFor(versions, 2019)!.fromYear).toBe(2021);
    expect(versionFor([], 2020)).toBeUndefined();
  });
});

describe('computed and entered never disagree silently', () => {
  const five = presetConfig('achievement-5')!;
  const slot = five.slots[0]!;
  const scale = slotScale(five, slot);

  it('an entry equal to the computation is the computation, and is not stored twice', () => {
    expect(resolveSlot(slot, j('◎', '達成率 100%'), { code: '◎', reason: '' }, scale)).toMatchObject({
      code: '◎',
      source: 'computed',
    });
    expect(entryToStore(slot, j('◎'), { code: '◎', reason: '' })).toBeNull();
  });

  it('a different entry is an override that needs its reason, where the slot allows it', () => {
    expect(entryProblem(slot, scale, j('○'), { code: '◎', reason: '' })).toContain('理由を入力してください');
    expect(entryProblem(slot, scale, j('○'), { code: '◎', reason: '年度末に追加実施' })).toBeNull();
    expect(resolveSlot(slot, j('○'), { code: '◎', reason: '年度末に追加実施' }, scale)).toMatchObject({
      code: '◎',
      source: 'override',
      reason: '年度末に追加実施',
    });
    const strict = { ...slot, override: false };
    expect(entryProblem(strict, scale, j('○', '達成率 60%'), { code: '◎', reason: 'x' })).toBe(
      '評価は計算で決まります（○：達成率 60%）',
    );
  });

  it('where nothing computes, only the hand codes may be entered', () => {
    const hand = presetConfig('ratio-hand')!;
    const hs = hand.slots[0]!;
    const hScale = slotScale(hand, hs);
    expect(entryProblem(hs, hScale, j(null, '目標がないため計算できません'), { code: '着手', reason: '' })).toBeNull();
    expect(entryProblem(hs, hScale, j(null), { code: 'A', reason: '' })).toBe(
      '計算できないときに選べる達成状況は 着手・未着手 です',
    );
    expect(resolveSlot(hs, j(null), { code: '着手', reason: '' }, hScale)).toMatchObject({
      code: '着手',
      source: 'entered',
    });
    // A project without any indicator (no judgement at all) keeps its hand code.
    expect(resolveSlot(hs, null, { code: '未着手', reason: '' }, hScale)).toMatchObject({
      code: '未着手',
      source: 'entered',
    });
  });

  it('a level code stored where the rule could not compute prints as an override, never as a plain entry', () => {
    const hand = presetConfig('ratio-hand')!;
    const hs = hand.slots[0]!;
    const hScale = slotScale(hand, hs);
    const counted = hScale.grades.find((g) => !g.hand && g.tally)!;
    // Only an import can store one (the sheet refuses it): the rule says it cannot compute, the report printed a grade.
    expect(
      resolveSlot(hs, j(null), { code: counted.code, reason: '取り込んだ報告書の記載による' }, hScale),
    ).toMatchObject({ code: counted.code, level: null, source: 'override', reason: '取り込んだ報告書の記載による' });
    // One stored without a reason (imported before reports were kept as the reason) prints as it did: an entry.
    expect(resolveSlot(hs, j(null), { code: counted.code, reason: '' }, hScale).source).toBe('entered');
    // A line the rule does not grade at all (monitoring) keeps what was entered as an entry.
    expect(resolveSlot(hs, { ...j(null), excluded: true }, { code: counted.code, reason: '' }, hScale).source).toBe(
      'entered',
    );
  });

  it('two codes that both mean "not graded" are the same answer, and a manual slot never computes', () => {
    expect(resolveSlot(slot, j('—'), { code: '—', reason: '' }, scale).source).toBe('computed');
    const manual = presetConfig('manual-a-d')!;
    expect(resolveSlot(manual.slots[0]!, null, { code: 'B', reason: '' }, manual.scales[0]!)).toMatchObject({
      code: 'B',
      source: 'entered',
    });
    expect(entryProblem(manual.slots[0]!, manual.scales[0]!, null, { code: 'E', reason: '' })).toContain(
      '凡例にありません',
    );
  });

  it('a monitoring line takes no entry and is left out of counts', () => {
    const excluded = j(null, 'モニタリング指標のため評価しない', { excluded: true });
    expect(entryProblem(slot, scale, excluded, { code: '◎', reason: 'x' })).toContain('評価しない指標');
    const t = emptySlotTally(scale);
    addToSlotTally(scale, t, resolveSlot(slot, excluded, null, scale));
    expect(t).toMatchObject({ excluded: 1, ungraded: 0, graded: 0 });
  });
});

describe('tallies', () => {
  it('keep the scale order in JSON, even for numeric codes, and total the points', () => {
    const scale = scaleInput.parse({
      key: 'n',
      name: 'n',
      rule: { kind: 'manual' },
      grades: [
        { code: '5', points: 5 },
        { code: '3', points: 3 },
        { code: '1', points: 1 },
        { code: '—', tally: false },
      ],
    });
    const t = emptySlotTally(scale);
    for (const code of ['1', '5', '5', '—', null])
      addToSlotTally(scale, t, { code, source: code === null ? 'none' : 'entered' });
    const json = JSON.parse(JSON.stringify(t));
    expect(json.counts.map((c: { code: string }) => c.code)).toEqual(['5', '3', '1']);
    expect(json).toMatchObject({
      graded: 3,
      notGraded: 1,
      ungraded: 1,
      points: { total: 11, scored: 3, average: 3.67 },
    });
  });

  it('a dash-like code counts if the scale says it counts', () => {
    const scale = scaleInput.parse({
      key: 'n',
      name: 'n',
      rule: { kind: 'manual' },
      grades: [{ code: 'A' }, { code: '-', label: '未実施（数える）', tally: true }],
    });
    const t = emptySlotTally(scale);
    addToSlotTally(scale, t, { code: '-', source: 'entered' });
    expect(t).toMatchObject({ graded: 1, notGraded: 0 });
  });
});

describe('self-evaluation checks', () => {
  const council = presetConfig('council-stars')!;
  const self = slotScale(council, council.slots[0]!);
  const five = presetConfig('achievement-5')!;
  const computed = slotScale(five, five.slots[0]!);
  const line = (target: string, actual: string) =>
    judgeLine(computed, {
      purpose: 'target',
      direction: 'higher',
      basis: 'annual',
      baseline: null,
      target,
      finalTarget: '',
      actual: { value: Number(actual), text: actual, status: null },
      previous: null,
      cumulative: null,
    } satisfies LineFacts);
  const facts = (over: Partial<Parameters<typeof checkAnswer>[0]>) => ({
    slotName: '自己評価',
    scale: self,
    code: 'A',
    reason: '',
    against: { name: '達成度', scale: computed, judgements: [line('10', '6')] },
    resultText: '講座を3回開催した',
    lastYearResultText: '講座を2回開催した',
    remarks: '',
    lines: [{ name: '講座の開催数', actualMissing: false }],
    ...over,
  });

  it('A while the indicator shows 60% is flagged, with the figures', () => {
    const found = checkAnswer(facts({}));
    expect(found.map((f) => f.kind)).toEqual(['contradicts']);
    expect(found[0]!.message).toContain('○（60%）');
    expect(found[0]!.message).toContain('高すぎる');
    expect(
      checkAnswer(facts({ code: 'A', against: { name: '達成度', scale: computed, judgements: [line('10', '10')] } })),
    ).toEqual([]);
  });

  it('a result identical to last year, a shortfall without a reason, a grade without an actual', () => {
    const found = checkAnswer(
      facts({
        code: 'C',
        against: null,
        resultText: '講座を 2回開催した',
        lastYearResultText: '講座を2回開催した',
        lines: [{ name: '講座の開催数', actualMissing: true }],
      }),
    );
    expect(found.map((f) => f.kind)).toEqual(['sameAsLastYear', 'shortfallWithoutReason', 'gradeWithoutActual']);
    expect(
      checkAnswer(facts({ code: 'C', against: null, reason: '会場の都合で1回減った' })).map((f) => f.kind),
    ).toEqual([]);
  });
});

describe('plans from before slots carry over unchanged', () => {
  it('a manual plan grades each answer by hand from its options', () => {
    const c = configFromLegacy('', [
      { code: 'A', label: '順調' },
      { code: 'B', label: '概ね順調' },
    ]);
    expect(c.slots).toMatchObject([{ key: 'grade', subject: 'record', enteredBy: 'department', required: true }]);
    expect(c.scales[0]!.grades.map((g) => [g.code, g.points])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
  });

  it('a computed plan computes on indicator lines, keeps override and hand entry, its ★ rollup and its answers\u2019 own grades', () => {
    const old = {
      method: 'progress',
      levelName: '進捗率',
      levels: [
        { code: 'A', min: 100 },
        { code: 'B', min: 50 },
        { code: 'C', min: 0 },
      ],
      grades: [
        { code: 'A', score: 3 },
        { code: 'B', score: 2 },
        { code: 'C', score: 1 },
        { code: '着手', score: 1 },
        { code: '—', tally: false },
      ],
      noTargetGrade: '—',
      rollup: {
        depth: 0,
        bands: [
          { min: 2.5, code: '★★★' },
          { min: 1.5, code: '★★' },
          { min: 0, code: '★' },
        ],
      },
    };
    const c = configFromLegacy(
      JSON.stringify(old),
      [
        { code: '着手', label: '' },
        { code: '未着手', label: '' },
      ],
      true,
    );
    expect(c.slots.map((s) => [s.key, s.subject, s.enteredBy])).toEqual([
      ['grade', 'indicator', 'computed'],
      ['self', 'record', 'department'],
      ['mark', 'node', 'computed'],
    ]);
    const grade = slotScale(c, c.slots[0]!);
    expect(grade.grades.map((g) => g.code)).toEqual(['A', 'B', 'C', '着手', '—', '未着手']);
    expect(grade.grades.every((g) => g.hand)).toBe(true);
    expect(c.slots[0]!.override).toBe(true);
    expect(c.slots[2]).toMatchObject({ depth: 0, rollupFrom: 'grade' });
  });
});
