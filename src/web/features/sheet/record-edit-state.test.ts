import { describe, expect, it } from 'vitest';
import type { IndicatorDto, RecordDto } from '../../lib/types.js';
import {
  draftOf,
  hasUnsaved,
  initialState,
  mergeDrafts,
  mergeOf,
  reduce,
  type EditState,
} from './record-edit-state.js';
import type { EntryRef } from './sheet-evaluation.js';

const indicators: IndicatorDto[] = [
  {
    id: 7,
    projectId: 1,
    nodeId: null,
    startYear: null,
    endYear: null,
    purpose: 'target',
    targetBasis: 'annual',
    revisions: [],
    departmentId: null,
    name: '受講者数',
    unit: '人',
    kind: 'number',
    direction: 'higher',
    baseline: { value: null, text: '', fiscalYear: null },
    finalTarget: { value: null, text: '' },
    targets: [],
  },
];

const record = (over: Partial<RecordDto> = {}): RecordDto => ({
  id: 1,
  projectId: 1,
  departmentId: 2,
  fiscalYear: 2026,
  isLead: true,
  position: 0,
  planText: '',
  resultText: '',
  remarks: '',
  nextYearPlan: '',
  sameAsDepartmentId: null,
  custom: {},
  status: 'draft',
  version: 3,
  updatedAt: '2026-12-01T00:00:00Z',
  updatedByName: '入力 担当',
  submittedAt: null,
  actuals: [],
  entries: [],
  ...over,
});

const names = {
  department: () => '',
  entry: (ref: EntryRef) => `評価 ${ref.subjectKind}`,
  code: (_: EntryRef, code: string) => `${code}（の意味）`,
  custom: (key: string) => `項目 ${key}`,
};

const step = reduce(indicators);
const run = (s: EditState, ...events: Parameters<typeof step>[1][]) => events.reduce(step, s);

describe('editing a record', () => {
  it('keeps what was typed after a save and moves only the version on', () => {
    let s = initialState(record(), indicators);
    s = run(s, { type: 'edit', patch: { resultText: '講座を5回開催した。' } });
    s = run(s, { type: 'saveStarted', draft: s.draft });
    s = run(s, {
      type: 'saveSucceeded',
      record: record({ resultText: '講座を5回開催した。', version: 4 }),
      at: '10:00',
    });
    expect(s.draft.resultText).toBe('講座を5回開催した。');
    expect(s.base.version).toBe(4);
    expect(s.status).toBe('saved');
  });

  it('keeps text typed while a save was under way and saves it next, from the new version', () => {
    let s = initialState(record(), indicators);
    s = run(s, { type: 'edit', patch: { resultText: '一文目。' } });
    const sent = s.draft;
    s = run(s, { type: 'saveStarted', draft: sent }, { type: 'edit', patch: { resultText: '一文目。二文目。' } });
    expect(s.status).toBe('saving');
    s = run(s, { type: 'saveSucceeded', record: record({ resultText: '一文目。', version: 4 }), at: '10:00' });
    expect(s.draft.resultText).toBe('一文目。二文目。');
    expect(s.status).toBe('dirty');
    expect(s.base.version).toBe(4);
  });

  it('ignores a stale copy of the record that arrives after a save (the bug that blanked the field)', () => {
    let s = initialState(record({ version: 3 }), indicators);
    s = run(
      s,
      { type: 'edit', patch: { remarks: '備考あり' } },
      { type: 'saveStarted', draft: { ...s.draft, remarks: '備考あり' } },
    );
    s = run(s, { type: 'saveSucceeded', record: record({ remarks: '備考あり', version: 4 }), at: '10:00' });
    s = run(s, { type: 'server', record: record({ version: 3 }) });
    expect(s.draft.remarks).toBe('備考あり');
    s = run(s, { type: 'server', record: record({ remarks: '備考あり', version: 4 }) });
    expect(s.draft.remarks).toBe('備考あり');
    expect(hasUnsaved(s)).toBe(false);
  });

  it('takes a newer version after a number saved without its unit, which the server keeps with it', () => {
    const stored = (text: string, version: number, over: Partial<RecordDto> = {}) =>
      record({
        version,
        actuals: [
          { indicatorId: 7, departmentId: 2, fiscalYear: 2026, value: 12, text, status: null, reason: '', parts: [] },
        ],
        ...over,
      });
    let s = initialState(record(), indicators);
    const typed = { ...s.draft, actuals: [{ indicatorId: 7, text: '12', status: null, reason: '', parts: [] }] };
    s = run(
      s,
      { type: 'edit', patch: { actuals: typed.actuals } },
      { type: 'saveStarted', draft: typed },
      { type: 'saveSucceeded', record: stored('12人', 4), at: '10:00' },
    );
    expect(hasUnsaved(s)).toBe(false);
    // A colleague's save of the remarks: nothing of the user's is unsaved, so it is taken, not a conflict.
    s = run(s, { type: 'server', record: stored('12人', 5, { remarks: '同僚の備考' }) });
    expect(s.status).not.toBe('conflict');
    expect(s.draft.remarks).toBe('同僚の備考');
    expect(s.draft.actuals[0]!.text).toBe('12人');
  });

  it('takes someone else’s newer version when the user has nothing unsaved', () => {
    let s = initialState(record(), indicators);
    s = run(s, {
      type: 'server',
      record: record({ planText: '取りまとめ課が直した', version: 4, updatedByName: '取りまとめ' }),
    });
    expect(s.draft.planText).toBe('取りまとめ課が直した');
    expect(s.base.version).toBe(4);
    expect(s.status).toBe('idle');
  });

  it('turns someone else’s newer version into a conflict when the user has unsaved input, and keeps the input', () => {
    let s = initialState(record(), indicators);
    s = run(
      s,
      { type: 'edit', patch: { planText: '自分の入力' } },
      { type: 'server', record: record({ planText: '相手の入力', version: 4 }) },
    );
    expect(s.status).toBe('conflict');
    expect(s.draft.planText).toBe('自分の入力');
    expect(s.theirs?.planText).toBe('相手の入力');
  });

  it('counts a refused save as unsaved input', () => {
    let s = initialState(record(), indicators);
    s = run(
      s,
      { type: 'edit', patch: { planText: 'x' } },
      { type: 'saveStarted', draft: { ...s.draft, planText: 'x' } },
      { type: 'saveFailed', error: new Error('refused') },
    );
    expect(s.status).toBe('error');
    expect(hasUnsaved(s)).toBe(true);
    expect(s.draft.planText).toBe('x');
    expect(run(s, { type: 'touch' }).status).toBe('dirty');
  });

  it('merges three ways: takes what only they changed, keeps what only I changed, asks about what both changed', () => {
    const base = record({ planText: '元の予定', resultText: '元の実績', remarks: '元の備考', version: 4 });
    let s = initialState(base, indicators);
    s = run(s, { type: 'edit', patch: { planText: '自分の予定', resultText: '自分の実績' } });
    const theirs = record({ planText: '元の予定', resultText: '相手の実績', remarks: '相手の備考', version: 5 });
    s = run(s, { type: 'conflict', theirs });
    const merge = mergeOf(s.draft, theirs, s.base, indicators, names);
    expect(merge.conflicts.map((f) => f.key)).toEqual(['resultText']);
    expect(merge.theirs.map((f) => f.key)).toEqual(['remarks']);
    // By default one's own input wins where both changed; the other's change is taken where only they changed.
    expect(mergeDrafts(s.draft, theirs, indicators, merge, {})).toMatchObject({
      planText: '自分の予定',
      resultText: '自分の実績',
      remarks: '相手の備考',
    });
    const merged = mergeDrafts(s.draft, theirs, indicators, merge, { resultText: 'theirs' });
    s = run(s, { type: 'merge', draft: merged });
    expect(s.draft).toMatchObject({ planText: '自分の予定', resultText: '相手の実績', remarks: '相手の備考' });
    expect(s.base.version).toBe(5);
    expect(s.status).toBe('dirty');
  });

  it('merges the plan’s extra fields one by one, named by their labels', () => {
    const base = record({ custom: { stage: { 前期: '△' }, budget: 100 }, version: 2 });
    let s = initialState(base, indicators);
    s = run(s, { type: 'edit', patch: { custom: { stage: { 前期: '○' }, budget: 100 } } });
    const theirs = record({ custom: { stage: { 前期: '◎' }, budget: 120, note: '補正' }, version: 3 });
    s = run(s, { type: 'conflict', theirs });
    const merge = mergeOf(s.draft, theirs, s.base, indicators, names);
    expect(merge.conflicts.map((f) => [f.key, f.label, f.mine, f.theirs])).toEqual([
      ['custom.stage', '項目 stage', '{"前期":"○"}', '{"前期":"◎"}'],
    ]);
    expect(merge.theirs.map((f) => f.key).sort()).toEqual(['custom.budget', 'custom.note']);
    expect(mergeDrafts(s.draft, theirs, indicators, merge, {}).custom).toEqual({
      stage: { 前期: '○' },
      budget: 120,
      note: '補正',
    });
  });

  it('never puts back an old value of a field the user did not touch (the coordinator’s correction survives)', () => {
    const base = record({ resultText: '実績', remarks: 'タブAの備考', version: 16 });
    let s = initialState(base, indicators);
    s = run(s, { type: 'edit', patch: { resultText: '実績（追記）' } });
    const theirs = record({ resultText: '実績', remarks: '所管課が修正した備考', version: 17 });
    s = run(s, { type: 'server', record: theirs });
    expect(s.status).toBe('conflict');
    const merge = mergeOf(s.draft, theirs, s.base, indicators, names);
    expect(merge.conflicts).toEqual([]);
    expect(mergeDrafts(s.draft, theirs, indicators, merge, {})).toMatchObject({
      resultText: '実績（追記）',
      remarks: '所管課が修正した備考',
    });
  });

  it('discards own input only when asked to', () => {
    let s = initialState(record(), indicators);
    const theirs = record({ planText: '相手の予定', version: 5 });
    s = run(s, { type: 'edit', patch: { planText: '自分の予定' } }, { type: 'conflict', theirs });
    s = run(s, { type: 'edit', patch: { planText: '自分の予定（続き）' } });
    expect(s.status).toBe('conflict');
    expect(s.draft.planText).toBe('自分の予定（続き）');
    s = run(s, { type: 'takeTheirs' });
    expect(s.draft).toEqual(draftOf(theirs, indicators));
    expect(s.status).toBe('idle');
  });

  it('lists an indicator line both changed', () => {
    const s = run(initialState(record(), indicators), {
      type: 'edit',
      patch: {
        actuals: [{ indicatorId: 7, text: '12人', status: null, reason: '', parts: [] }],
      },
    });
    const theirs = record({
      version: 4,
      actuals: [
        {
          indicatorId: 7,
          departmentId: 2,
          fiscalYear: 2026,
          value: 10,
          text: '10人',
          status: null,
          reason: '',
          parts: [],
        },
      ],
    });
    const merge = mergeOf(s.draft, theirs, s.base, indicators, names);
    expect(merge.conflicts.map((f) => [f.key, f.mine, f.theirs])).toEqual([['actuals.7', '12人', '10人']]);
  });

  const entry = (code: string | null, reason = '') => ({
    slotKey: 'grade',
    subjectKind: 'indicator' as const,
    subjectId: 7,
    code,
    reason,
    comment: '',
  });

  it('keeps an evaluation chosen while a save was under way, and takes the stored ones after a quiet save', () => {
    let s = initialState(record(), indicators);
    s = run(s, { type: 'edit', patch: { entries: [entry('○', '天候のため中止が1回')] } });
    const sent = s.draft;
    s = run(s, { type: 'saveStarted', draft: sent }, { type: 'edit', patch: { entries: [entry('△', '天候')] } });
    s = run(s, {
      type: 'saveSucceeded',
      record: record({ version: 4, entries: [entry('○', '天候のため中止が1回')] }),
      at: '10:00',
    });
    expect(s.draft.entries).toEqual([entry('△', '天候')]);
    expect(s.status).toBe('dirty');
    // An entry equal to what the rule computes is not stored: after a save with nothing typed on, the draft says so.
    s = run(s, { type: 'saveStarted', draft: s.draft });
    s = run(s, { type: 'saveSucceeded', record: record({ version: 5, entries: [] }), at: '10:01' });
    expect(s.draft.entries).toEqual([]);
    expect(s.status).toBe('saved');
    // …so that a change someone else saves later is taken in quietly, not shown as a conflict.
    s = run(s, { type: 'server', record: record({ version: 6, planText: '相手の予定' }) });
    expect(s.status).toBe('idle');
    expect(s.draft.planText).toBe('相手の予定');
  });

  it('lists an evaluation both changed under its slot’s name, and takes one only they changed', () => {
    const base = record({ version: 4, entries: [entry('◎')] });
    let s = initialState(base, indicators);
    s = run(s, {
      type: 'edit',
      patch: {
        entries: [entry('○', '自分の理由'), { ...entry('A'), slotKey: 'self', subjectKind: 'record', subjectId: 1 }],
      },
    });
    const theirs = record({ version: 5, entries: [entry('△', '相手の理由')] });
    const merge = mergeOf(s.draft, theirs, s.base, indicators, names);
    expect(merge.conflicts.map((f) => [f.key, f.label, f.mine, f.theirs])).toEqual([
      ['entries.grade.indicator.7', '評価 indicator', '○（の意味）／理由: 自分の理由', '△（の意味）／理由: 相手の理由'],
    ]);
    // Only I set the answer's own evaluation: kept, not asked about.
    expect(merge.theirs).toEqual([]);
    const merged = mergeDrafts(s.draft, theirs, indicators, merge, { 'entries.grade.indicator.7': 'theirs' });
    expect(merged.entries.map((e) => [e.slotKey, e.code])).toEqual([
      ['grade', '△'],
      ['self', 'A'],
    ]);
  });
});
