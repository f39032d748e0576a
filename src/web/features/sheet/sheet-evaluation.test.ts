import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import type { EvaluationConfig, LineFacts } from '../../../domain/evaluation/index.js';
import type { AnswerEntryDto, IndicatorDto, SheetItem, SlotValueDto } from '../../lib/types.js';
import {
  answerViews,
  canonicalEntries,
  entriesToSend,
  entryLabel,
  entryProblems,
  liveFacts,
  sheetSlots,
  slotView,
  withEntry,
} from './sheet-evaluation.js';

const achievement = presetConfig('achievement-5')!;
const councilStars = presetConfig('council-stars')!;

const facts = (over: Partial<LineFacts> = {}): LineFacts => ({
  purpose: 'target',
  direction: 'higher',
  basis: 'annual',
  baseline: null,
  target: '5回',
  finalTarget: '',
  actual: { value: null, text: '', status: null },
  previous: null,
  cumulative: null,
  ...over,
});

const value = (over: Partial<SlotValueDto> = {}): SlotValueDto => ({
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
  ...over,
});

const indicator = (id: number, name: string): IndicatorDto => ({
  id,
  projectId: 1,
  nodeId: null,
  startYear: null,
  endYear: null,
  purpose: 'target',
  targetBasis: 'annual',
  revisions: [],
  departmentId: null,
  name,
  unit: '回',
  kind: 'number',
  direction: 'higher',
  baseline: { value: null, text: '', fiscalYear: null },
  finalTarget: { value: null, text: '' },
  targets: [],
});

type Item = Pick<SheetItem, 'project' | 'record' | 'indicators' | 'evaluations'>;

/** An answer of project 1 with the given lines (indicator 7 and on), and the sheet's values of each. */
function item(
  lines: { facts: LineFacts; saved?: number }[],
  record: Record<string, SlotValueDto> = {},
  stored: AnswerEntryDto[] = [],
): Item {
  return {
    project: { id: 1 } as SheetItem['project'],
    record: {
      entries: stored,
      actuals: lines.map((l, i) => ({
        indicatorId: 7 + i,
        departmentId: 2,
        fiscalYear: 2025,
        value: l.saved ?? null,
        text: l.saved === undefined ? '' : `${l.saved}回`,
        status: null,
        reason: '',
        parts: [],
      })),
    } as unknown as SheetItem['record'],
    indicators: lines.map((_, i) => indicator(7 + i, `指標${i + 1}`)),
    evaluations: {
      record,
      lines: lines.map((l, i) => ({ indicatorId: 7 + i, facts: l.facts, values: { grade: value() } })),
    },
  };
}

const typed = (text: string, indicatorId = 7) => ({ indicatorId, text, status: null });
const entry = (code: string | null, reason = '', over: Partial<AnswerEntryDto> = {}): AnswerEntryDto => ({
  slotKey: 'grade',
  subjectKind: 'indicator',
  subjectId: 7,
  code,
  reason,
  comment: '',
  ...over,
});

describe('the slots a sheet shows', () => {
  it('puts a computed line slot with override on every line, and as a hand code on an answer without lines', () => {
    const slots = sheetSlots(achievement);
    expect(slots.record).toEqual([]);
    expect(slots.lines.map((s) => s.key)).toEqual(['grade']);
    expect(slots.bare.map((s) => s.key)).toEqual(['grade']);
  });

  it('shows the department’s own answer slot, never the coordinator’s or the council’s', () => {
    const slots = sheetSlots(councilStars);
    expect(slots.record.map((s) => s.key)).toEqual(['self']);
    expect(slots.lines).toEqual([]);
    expect(slots.bare).toEqual([]);
  });

  it('offers a computed slot without override only as hand codes where nothing computes (着手, 未着手)', () => {
    const ratioHand = presetConfig('ratio-hand')!;
    const slots = sheetSlots(ratioHand);
    expect(slots.lines.map((s) => s.key)).toEqual(['grade']);
    expect(slots.bare.map((s) => s.key)).toEqual(['grade']);
    const slot = slots.lines[0]!;
    const computed = { code: 'A', level: 'A', ratio: 1, basis: '達成率 100%', excluded: false };
    const ref = { slotKey: 'grade', subjectKind: 'indicator' as const, subjectId: 7 };
    expect(slotView(ratioHand, slot, ref, computed, [], 'end').mode).toBe('show');
    const bare = slotView(ratioHand, slot, { ...ref, subjectKind: 'record', subjectId: 1 }, null, [], 'end');
    expect(bare.mode).toBe('hand');
    expect(bare.choices.map((g) => g.code)).toEqual(['着手', '未着手']);
  });
});

describe('a slot of another phase', () => {
  it('is shown, not entered, in another phase’s round, and says which round enters it', () => {
    const manual = structuredClone(presetConfig('manual-a-d')!);
    const slot = { ...manual.slots[0]!, phase: 'end' as const, required: true };
    const ref = { slotKey: slot.key, subjectKind: 'record' as const, subjectId: 1 };
    const entries = [{ ...ref, code: 'B', reason: '', comment: '' }];
    const inMid = slotView(manual, slot, ref, null, entries, 'mid');
    expect(inMid).toMatchObject({ mode: 'show', choices: [], enteredIn: 'end', required: false });
    expect(inMid.resolved.code).toBe('B');
    const atEnd = slotView(manual, slot, ref, null, entries, 'end');
    expect(atEnd).toMatchObject({ mode: 'enter', enteredIn: null, required: true });
  });
});

describe('a line computed as the actual is typed', () => {
  it('replaces the actual and moves the sum of the years by the difference from the saved one', () => {
    const live = liveFacts(facts({ cumulative: 12 }), { value: 4 }, { text: '６回', status: null }, 'number');
    expect(live.actual).toEqual({ value: 6, text: '６回', status: null });
    expect(live.cumulative).toBe(14);
    expect(liveFacts(facts(), undefined, { text: '', status: 'biennial' }, 'number').actual.status).toBe('biennial');
    expect(liveFacts(facts({ cumulative: null }), { value: 4 }, typed('6回'), 'number').cumulative).toBeNull();
  });

  it('computes the code live with its basis, and changes with each keystroke', () => {
    const answer = item([{ facts: facts() }]);
    const at = (text: string) =>
      answerViews(achievement, answer, { actuals: [typed(text)], entries: [] }, 'end').lines.get(7)![0]!;
    expect(at('5回').resolved).toMatchObject({ code: '◎', source: 'computed' });
    expect(at('5回').judgement?.basis).toBe('達成率 100%');
    expect(at('3回').resolved.code).toBe('○');
    expect(at('1回').resolved.code).toBe('△');
    expect(at('').resolved).toMatchObject({ code: null, source: 'none' });
    expect(at('5回').mode).toBe('override');
  });

  it('asks for the reason of a changed code, beside the field, before anything is saved', () => {
    const answer = item([{ facts: facts() }]);
    const views = (entries: AnswerEntryDto[]) =>
      answerViews(achievement, answer, { actuals: [typed('3回')], entries }, 'end');
    const without = views([entry('◎')]);
    expect(without.lines.get(7)![0]!.problem).toBe('計算（○）と異なる評価にする理由を入力してください');
    expect(entryProblems(without)).toEqual([
      {
        field: 'entries.grade.indicator.7',
        label: '評価',
        message: '計算（○）と異なる評価にする理由を入力してください',
      },
    ]);
    const withReason = views([entry('◎', '年度末に追加開催した分を含む')]);
    expect(entryProblems(withReason)).toEqual([]);
    expect(withReason.lines.get(7)![0]!.resolved).toMatchObject({ code: '◎', source: 'override', level: '3' });
    // A code equal to the computation is no change at all.
    expect(views([entry('○')]).lines.get(7)![0]!.resolved.source).toBe('computed');
  });

  it('does not evaluate a monitoring line', () => {
    const answer = item([{ facts: facts({ purpose: 'monitoring' }) }]);
    const view = answerViews(achievement, answer, { actuals: [typed('3回')], entries: [] }, 'end').lines.get(7)![0]!;
    expect(view.resolved.source).toBe('excluded');
    expect(view.mode).toBe('show');
    const refused = answerViews(achievement, answer, { actuals: [typed('3回')], entries: [entry('○')] }, 'end');
    expect(entryProblems(refused)).toEqual([]);
  });

  it('never holds back a save for an entry as it is stored, even one the sheet would not offer now', () => {
    // Imported: × where the rule cannot compute (no target), kept with the report as its reason.
    const imported = entry('A', '取り込んだ報告書の記載による');
    const ratioHand = presetConfig('ratio-hand')!;
    const answer = item([{ facts: facts({ target: '' }) }], {}, [imported]);
    const kept = answerViews(ratioHand, answer, { actuals: [], entries: [imported] }, 'end');
    expect(kept.lines.get(7)![0]!.mode).toBe('hand');
    expect(entryProblems(kept)).toEqual([]);
    // Changed to another code the sheet does not offer there, it is refused as before.
    const changed = answerViews(ratioHand, answer, { actuals: [], entries: [entry('B', imported.reason)] }, 'end');
    expect(entryProblems(changed).map((p) => p.message)).toEqual([
      '計算できないときに選べる達成状況は 着手・未着手 です',
    ]);
  });

  it('offers only the hand codes where the line cannot be computed', () => {
    const answer = item([{ facts: facts({ target: '全ての小学校' }) }]);
    const view = answerViews(achievement, answer, { actuals: [typed('12校')], entries: [] }, 'end').lines.get(7)![0]!;
    expect(view.mode).toBe('hand');
    expect(view.choices.map((g) => g.code)).toEqual(['◎', '○', '△', '×', '—']);
  });
});

describe('the answer’s own evaluations', () => {
  it('take a hand code for a computed slot on an answer without lines', () => {
    const answer = item([], { grade: value({ basis: '' }) });
    const views = answerViews(achievement, answer, { actuals: [], entries: [] }, 'end');
    expect(views.record.map((v) => [v.slot.key, v.mode, v.ref.subjectKind, v.ref.subjectId])).toEqual([
      ['grade', 'hand', 'record', 1],
    ]);
    const chosen = answerViews(
      achievement,
      answer,
      { actuals: [], entries: [entry('○', '', { subjectKind: 'record', subjectId: 1 })] },
      'end',
    );
    expect(chosen.record[0]!.resolved).toMatchObject({ code: '○', source: 'entered' });
    expect(entryProblems(chosen)).toEqual([]);
  });

  it('mark a required slot only in its phase', () => {
    const answer = item([]);
    const required = (phase: 'mid' | 'end') =>
      answerViews(councilStars, answer, { actuals: [], entries: [] }, phase).record.map((v) => v.required);
    expect(required('end')).toEqual([true]);
    expect(required('mid')).toEqual([false]);
  });
});

describe('entries as edited and saved', () => {
  it('keep one order, leave out empty ones, and change one at a time', () => {
    const self = entry('A', '', { slotKey: 'self', subjectKind: 'record', subjectId: 1 });
    expect(canonicalEntries([self, entry('○', '理由')]).map((e) => e.slotKey)).toEqual(['grade', 'self']);
    expect(withEntry([self], { slotKey: 'self', subjectKind: 'record', subjectId: 1 }, { code: null })).toEqual([]);
    expect(withEntry([], entry(null), { code: '×' })).toEqual([entry('×')]);
    expect(withEntry([entry('×')], entry(null), { reason: '中止' })).toEqual([entry('×', '中止')]);
  });

  it('send every entry of the department, those removed emptied, and nothing of other slots', () => {
    const config: EvaluationConfig = councilStars;
    const self = entry('B', '', { slotKey: 'self', subjectKind: 'record', subjectId: 1 });
    const coord = entry('A', '', { slotKey: 'coord', subjectKind: 'record', subjectId: 1 });
    expect(entriesToSend(config, [self, coord], [])).toEqual([self]);
    expect(entriesToSend(config, [], [self])).toEqual([{ ...self, code: null }]);
  });

  it('are named by slot, and by indicator for a line', () => {
    const indicators = [indicator(7, '講座開催回数')];
    expect(entryLabel(achievement, indicators, entry('○'))).toBe('評価「講座開催回数」');
    expect(entryLabel(councilStars, indicators, { slotKey: 'self', subjectKind: 'record', subjectId: 1 })).toBe(
      '自己評価',
    );
  });
});
