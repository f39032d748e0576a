import { describe, expect, it } from 'vitest';
import type { NodeEvaluationRow, SlotValueDto } from '../../../domain/api-types.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import {
  changed,
  codeOptions,
  evaluatedYear,
  evaluates,
  rowTitle,
  shownRows,
  sideText,
  unsavedText,
  slotColumns,
  valueSpeech,
} from './node-values.js';

const config = presetConfig('council-stars')!;
const nodeConfig = { scales: config.scales, slots: config.slots.filter((s) => s.subject === 'node') };
const value = (v: Partial<SlotValueDto>): SlotValueDto => ({
  code: null,
  level: null,
  source: 'none',
  reason: '',
  comment: '',
  basis: '',
  computedCode: null,
  entryId: null,
  version: 0,
  enteredByName: '',
  enteredAt: null,
  ...v,
});

describe('the node evaluation screen’s words and choices', () => {
  it('has a column per node slot with its scale, marking those the user may enter', () => {
    const columns = slotColumns({ config: nodeConfig, mayEnter: ['council'] });
    expect(columns.map((c) => [c.slot.key, c.scale.key, c.mayEnter])).toEqual([
      ['council', 'stars', true],
      ['summary', 'comment-only', false],
    ]);
    const row = {
      subjectKind: 'node' as const,
      subjectId: 3,
      depth: 1,
      number: '1',
      title: '啓発',
      values: { council: value({}) },
    };
    expect(evaluates(row, columns[0]!.slot)).toBe(true);
    expect(evaluates(row, columns[1]!.slot)).toBe(false);
    expect(rowTitle(row)).toBe('1 啓発');
    expect(rowTitle({ number: '', title: '計画全体' })).toBe('計画全体');
  });

  it('offers the legend with its words, and says a value aloud', () => {
    const stars = nodeConfig.scales.find((s) => s.key === 'stars')!;
    expect(codeOptions(stars)).toEqual([
      { code: '★★★', label: '★★★（順調に進んでいる）' },
      { code: '★★', label: '★★（概ね進んでいる）' },
      { code: '★', label: '★（取組の強化が必要）' },
    ]);
    expect(valueSpeech(stars, value({ code: '★★', source: 'entered' }))).toBe('★★（概ね進んでいる）');
    expect(valueSpeech(stars, value({}))).toBe('未評価');
    expect(valueSpeech(stars, value({ code: '★', source: 'computed' }))).toBe('★（取組の強化が必要）（計算）');
  });

  it('writes a history side in words, and tells a changed draft from the stored value', () => {
    const stars = nodeConfig.scales.find((s) => s.key === 'stars')!;
    expect(sideText(stars, { code: null, reason: '', comment: '' })).toBe('（評価なし）');
    expect(sideText(stars, { code: '★★', reason: '議事録から', comment: '周知の工夫を' })).toBe(
      '★★（概ね進んでいる）／コメント：周知の工夫を／理由：議事録から',
    );
    const stored = value({ code: '★★', comment: '周知の工夫を', source: 'entered' });
    expect(changed(stored, { code: '★★', comment: '周知の工夫を ', reason: '' })).toBe(false);
    expect(changed(stored, { code: '★', comment: '周知の工夫を', reason: '' })).toBe(true);
    expect(changed(value({}), { code: '', comment: '', reason: '' })).toBe(false);
    expect(unsavedText({ code: '★★', comment: ' 議事録から補足 ', reason: '' })).toBe(
      '保存されなかった入力：評価「★★」、コメント「議事録から補足」',
    );
    expect(unsavedText({ code: '', comment: '', reason: '' })).toBe('');
  });

  it('opens on the year just ended, within the plan’s period', () => {
    const plan = { firstYear: 2021, lastYear: 2030 };
    expect(evaluatedYear(plan, new Date('2025-06-01T00:00:00+09:00'))).toBe(2024);
    expect(evaluatedYear(plan, new Date('2025-03-31T12:00:00+09:00'))).toBe(2023);
    expect(evaluatedYear(plan, new Date('2021-05-01T00:00:00+09:00'))).toBe(2021);
    expect(evaluatedYear(plan, new Date('2040-05-01T00:00:00+09:00'))).toBe(2030);
  });

  it('shows the rows some slot evaluates, or the whole tree when asked', () => {
    const row = (title: string, values: Record<string, SlotValueDto>) => ({
      subjectKind: 'node' as const,
      subjectId: title.length,
      depth: 0,
      number: '',
      title,
      values,
    });
    const rows = [row('目標', { summary: value({}) }), row('施策', { council: value({}) }), row('細目', {})];
    expect(shownRows(rows, false).map((r) => r.title)).toEqual(['目標', '施策']);
    expect(shownRows(rows, true)).toHaveLength(3);
  });

  it('keeps a node the slots do not evaluate where it heads projects they do', () => {
    const row = (
      subjectKind: NodeEvaluationRow['subjectKind'],
      title: string,
      values: NodeEvaluationRow['values'],
    ) => ({
      ...{ subjectKind, subjectId: title.length, depth: subjectKind === 'project' ? 1 : 0, number: '', title },
      values,
    });
    const rows = [
      row('node', '意識づくり', {}),
      row('project', '講座', { proj: value({}) }),
      row('node', '暴力の根絶', {}),
      row('node', '相談', {}),
      row('project', '窓口', { proj: value({}) }),
      row('plan', '計画全体', {}),
    ];
    expect(shownRows(rows, false).map((r) => r.title)).toEqual(['意識づくり', '講座', '相談', '窓口']);
  });
});
