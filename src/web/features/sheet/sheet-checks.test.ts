import { describe, expect, it } from 'vitest';
import type { EvaluationConfig, LineFacts } from '../../../domain/evaluation/index.js';
import { configInput } from '../../../domain/evaluation/schema.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';
import type { AnswerEntryDto, SheetItem, SlotValueDto } from '../../lib/types.js';
import { answerViews } from './sheet-evaluation.js';
import { liveChecks } from './sheet-checks.js';

// The department's own A〜D on the answer, checked against the line computed from the actual (達成度 ◎○△×).
const manual = presetConfig('manual-a-d')!;
const achievement = presetConfig('achievement-5')!;
const config: EvaluationConfig = configInput.parse({
  scales: [...manual.scales, ...achievement.scales],
  slots: [
    { ...manual.slots[0]!, name: '自己評価', checkAgainst: 'grade' },
    { ...achievement.slots[0]!, name: '達成状況' },
  ],
});

const facts: LineFacts = {
  purpose: 'target',
  direction: 'higher',
  basis: 'annual',
  baseline: null,
  target: '10回',
  finalTarget: '',
  actual: { value: null, text: '', status: null },
  previous: null,
  cumulative: null,
};
const none: SlotValueDto = {
  ...{ code: null, level: null, source: 'none', reason: '', comment: '', basis: '' },
  ...{ computedCode: null, entryId: null, version: 0, enteredByName: '', enteredAt: null },
};

const item = {
  project: { id: 1 } as SheetItem['project'],
  record: { actuals: [] } as unknown as SheetItem['record'],
  previous: { resultText: '講座を3回開いた。' } as SheetItem['previous'],
  indicators: [{ id: 7, name: '講座の回数', kind: 'number' }] as SheetItem['indicators'],
  evaluations: {
    record: { self: none },
    lines: [{ indicatorId: 7, facts, values: { grade: none } }],
  },
};

const self = (code: string, reason = ''): AnswerEntryDto => ({
  ...{ slotKey: 'self', subjectKind: 'record', subjectId: 1 },
  ...{ code, reason, comment: '' },
});

/** The checks' kinds for an answer typed so. */
function kinds(draft: { resultText: string; remarks?: string; actual: string; entries: AnswerEntryDto[] }) {
  const actuals = [{ indicatorId: 7, text: draft.actual, status: null, reason: '', parts: [] }];
  const views = answerViews(config, item, { actuals, entries: draft.entries }, 'end');
  return liveChecks(config, item, views, { resultText: draft.resultText, remarks: draft.remarks ?? '', actuals }).map(
    (c) => c.kind,
  );
}

describe('the self-evaluation checks on the sheet, as the answer is typed', () => {
  it('finds nothing in an honest answer', () => {
    expect(kinds({ resultText: '講座を10回開いた。', actual: '10回', entries: [self('A')] })).toEqual([]);
  });

  it('warns of a top grade while the actual being typed reaches 30% of the target', () => {
    expect(kinds({ resultText: '講座を3回開いた。ほか', actual: '3回', entries: [self('A')] })).toEqual([
      'contradicts',
    ]);
    // The same grade once the typed actual reaches the target: the warning goes.
    expect(kinds({ resultText: '講座を3回開いた。ほか', actual: '10回', entries: [self('A')] })).toEqual([]);
  });

  it("warns of last year's result word for word, ignoring spaces", () => {
    expect(kinds({ resultText: '講座を 3回 開いた。', actual: '10回', entries: [self('A')] })).toEqual([
      'sameAsLastYear',
    ]);
  });

  it('warns of a grade below the top without a reason or remarks, until either is written', () => {
    expect(kinds({ resultText: '8回開いた。', actual: '8回', entries: [self('B')] })).toEqual([
      'shortfallWithoutReason',
    ]);
    expect(kinds({ resultText: '8回開いた。', actual: '8回', entries: [self('B', '会場の都合')] })).toEqual([]);
    expect(
      kinds({ resultText: '8回開いた。', remarks: '来年度は増やす', actual: '8回', entries: [self('B')] }),
    ).toEqual([]);
  });

  it('warns of a grade with the actual left empty', () => {
    expect(kinds({ resultText: '開いた。', actual: '', entries: [self('A')] })).toEqual(['gradeWithoutActual']);
    expect(kinds({ resultText: '開いた。', actual: '', entries: [] })).toEqual([]);
  });
});
