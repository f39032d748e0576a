import { describe, expect, it } from 'vitest';
import { parseValue } from '../values.js';
import {
  addToSlotTally,
  countOf,
  emptySlotTally,
  evaluateYear,
  orphanEntries,
  type LineFacts,
  type StoredEntry,
  type YearFacts,
} from './index.js';
import { configInput } from './schema.js';
import { presetConfig } from './presets.js';

const line = (target: string, actual: string, over: Partial<LineFacts> = {}): LineFacts => {
  const p = parseValue(actual);
  return {
    purpose: 'target',
    direction: 'higher',
    basis: 'annual',
    baseline: null,
    target,
    finalTarget: '',
    actual: { value: p.kind === 'number' ? p.value : null, text: actual, status: null },
    previous: null,
    cumulative: null,
    ...over,
  };
};
const entry = (
  over: Partial<StoredEntry> & Pick<StoredEntry, 'slotKey' | 'subjectKind' | 'subjectId'>,
): StoredEntry => ({
  departmentId: 0,
  code: null,
  level: null,
  reason: '',
  comment: '',
  ...over,
});

// 基本目標 1 (depth 0) → 施策 11, 12 (depth 1); projects 101, 102 under 11, 103 under 12; departments 7 and 8.
const facts = (entries: StoredEntry[] = []): YearFacts => ({
  planId: 1,
  nodes: [
    { id: 1, parentId: null, depth: 0 },
    { id: 11, parentId: 1, depth: 1 },
    { id: 12, parentId: 1, depth: 1 },
  ],
  projects: [
    { id: 101, nodeId: 11 },
    { id: 102, nodeId: 11 },
    { id: 103, nodeId: 12 },
  ],
  records: [
    { projectId: 101, departmentId: 7 },
    { projectId: 102, departmentId: 7 },
    { projectId: 102, departmentId: 8 },
    { projectId: 103, departmentId: 8 },
  ],
  lines: [
    { indicatorId: 501, departmentId: 7, projectId: 101, nodeId: null, name: '講座の回数', facts: line('10', '10') },
    { indicatorId: 502, departmentId: 7, projectId: 102, nodeId: null, name: '相談件数', facts: line('10', '7') },
    { indicatorId: 502, departmentId: 8, projectId: 102, nodeId: null, name: '相談件数', facts: line('10', '12') },
    {
      indicatorId: 503,
      departmentId: 8,
      projectId: null,
      nodeId: 12,
      name: '審議会の女性委員の割合',
      facts: line('40%', '35%'),
    },
    {
      indicatorId: 504,
      departmentId: 8,
      projectId: 103,
      nodeId: null,
      name: '参加者の推移',
      facts: line('', '120', { purpose: 'monitoring' }),
    },
  ],
  entries,
});

describe('one plan year, every slot', () => {
  it('computes lines, sums nodes up from their lines (project and node indicators), leaves monitoring out', () => {
    const ev = evaluateYear(presetConfig('node-share')!, facts());
    expect(ev.get('grade', 'indicator', 501, 7)).toMatchObject({ code: 'A', source: 'computed' });
    expect(ev.get('grade', 'indicator', 502, 7)).toMatchObject({ code: 'C', source: 'computed' });
    expect(ev.get('grade', 'indicator', 502, 8)).toMatchObject({ code: 'A' });
    expect(ev.get('grade', 'indicator', 503, 8)).toMatchObject({ code: 'B' });
    expect(ev.get('grade', 'indicator', 504, 8)).toMatchObject({ code: null, source: 'excluded' });
    // 施策 11: A, C, A → 67% A → ○; 施策 12: the node's own indicator B (monitoring left out) → 0% A → △.
    expect(ev.get('measure', 'node', 11)).toMatchObject({ code: '○', source: 'computed' });
    expect(ev.get('measure', 'node', 11)!.reason).toContain('3件中2件');
    expect(ev.get('measure', 'node', 12)).toMatchObject({ code: '△' });
    expect(ev.get('measure', 'node', 1)).toBeUndefined();
  });

  it('a computed slot grades only the kinds of indicator it takes, and counts only those', () => {
    const base = presetConfig('ratio-hand')!;
    const slot = (key: string, name: string, purposes: string[]) => ({
      key,
      name,
      subject: 'indicator',
      enteredBy: 'computed',
      scale: 'ratio-a-d',
      purposes,
    });
    const config = configInput.parse({
      scales: base.scales,
      slots: [slot('target', '目標値の達成', ['target']), slot('expected', '期待値の達成', ['expected'])],
    });
    // 相談件数 (502) is an expected value; 講座の回数 (501) and the node's 女性委員の割合 (503) are targets.
    const year = facts();
    year.lines = year.lines.map((l) =>
      l.indicatorId === 502 ? { ...l, facts: { ...l.facts, purpose: 'expected' as const } } : l,
    );
    const ev = evaluateYear(config, year);
    expect(ev.get('target', 'indicator', 501, 7)).toMatchObject({ code: 'A', source: 'computed' });
    expect(ev.get('target', 'indicator', 503, 8)).toMatchObject({ code: 'B', source: 'computed' });
    expect(ev.get('target', 'indicator', 502, 7)).toMatchObject({ code: null, source: 'excluded' });
    expect(ev.get('target', 'indicator', 502, 8)).toMatchObject({ code: null, source: 'excluded' });
    expect(ev.get('expected', 'indicator', 502, 7)).toMatchObject({ code: 'C', source: 'computed' });
    expect(ev.get('expected', 'indicator', 502, 8)).toMatchObject({ code: 'A', source: 'computed' });
    expect(ev.get('expected', 'indicator', 501, 7)).toMatchObject({ code: null, source: 'excluded' });
    expect(ev.get('expected', 'indicator', 503, 8)).toMatchObject({ code: null, source: 'excluded' });
    // Monitoring is graded by neither.
    for (const key of ['target', 'expected'])
      expect(ev.get(key, 'indicator', 504, 8)).toMatchObject({ code: null, source: 'excluded' });

    const scale = config.scales[0]!;
    const tally = (key: string) => {
      const t = emptySlotTally(scale);
      for (const v of ev.of(key)) addToSlotTally(scale, t, v);
      return t;
    };
    // Each slot counts its own lines; an answer with none of its kind of line waits for a hand code (ungraded).
    const target = tally('target');
    expect([countOf(target, 'A'), countOf(target, 'B'), countOf(target, 'C')]).toEqual([1, 1, 0]);
    expect(target).toMatchObject({ graded: 2, excluded: 3, ungraded: 3 });
    const expected = tally('expected');
    expect([countOf(expected, 'A'), countOf(expected, 'B'), countOf(expected, 'C')]).toEqual([1, 0, 1]);
    expect(expected).toMatchObject({ graded: 2, excluded: 3, ungraded: 2 });
  });

  it('an answer without an indicator line is graded by hand on the answer, and counted', () => {
    const config = presetConfig('ratio-hand')!;
    const ev = evaluateYear(
      config,
      facts([entry({ slotKey: 'grade', subjectKind: 'record', subjectId: 103, departmentId: 8, code: '着手' })]),
    );
    expect(ev.get('grade', 'record', 103, 8)).toMatchObject({ code: '着手', source: 'entered' });
    // Answers with lines take no answer-level value.
    expect(ev.get('grade', 'record', 101, 7)).toBeUndefined();
  });

  it('self, coordinator and council slots side by side, each with its own value', () => {
    const config = presetConfig('council-stars')!;
    const ev = evaluateYear(
      config,
      facts([
        entry({ slotKey: 'self', subjectKind: 'record', subjectId: 101, departmentId: 7, code: 'A' }),
        entry({
          slotKey: 'coord',
          subjectKind: 'record',
          subjectId: 101,
          departmentId: 7,
          code: 'B',
          reason: '回数は達成、参加者が少ない',
        }),
        entry({ slotKey: 'council', subjectKind: 'node', subjectId: 11, code: '★★', comment: '相談体制の周知を' }),
        entry({ slotKey: 'summary', subjectKind: 'node', subjectId: 1, code: null, comment: '全体として順調' }),
      ]),
    );
    expect(ev.get('self', 'record', 101, 7)!.code).toBe('A');
    expect(ev.get('coord', 'record', 101, 7)).toMatchObject({ code: 'B', reason: '回数は達成、参加者が少ない' });
    expect(ev.get('self', 'record', 102, 8)).toMatchObject({ code: null, source: 'none' });
    expect(ev.get('council', 'node', 11)).toMatchObject({ code: '★★', comment: '相談体制の周知を' });
    expect(ev.get('council', 'node', 1)).toBeUndefined();
    expect(ev.get('summary', 'node', 1)).toMatchObject({ comment: '全体として順調' });
    expect(ev.of('council').map((v) => v.subject.id)).toEqual([11, 12]);
  });

  it('a rollup of a rollup: 基本目標 from its 施策 marks (worst of)', () => {
    const base = presetConfig('node-share')!;
    const config = configInput.parse({
      scales: [
        ...base.scales,
        {
          key: 'worst',
          name: '最も低い施策',
          rule: { kind: 'rollup', method: 'worst' },
          grades: base.scales[1]!.grades,
        },
      ],
      slots: [
        ...base.slots,
        {
          key: 'goal',
          name: '基本目標の評価',
          subject: 'node',
          depth: 0,
          enteredBy: 'computed',
          scale: 'worst',
          rollupFrom: 'measure',
        },
      ],
    });
    const ev = evaluateYear(config, facts());
    expect(ev.get('goal', 'node', 1)).toMatchObject({ code: '△', source: 'computed' });
  });

  it('an entry whose subject the year no longer has is listed, not dropped', () => {
    const config = presetConfig('council-stars')!;
    const stray = entry({ slotKey: 'self', subjectKind: 'record', subjectId: 999, departmentId: 7, code: 'B' });
    const f = facts([stray]);
    expect(orphanEntries(evaluateYear(config, f), f)).toEqual([stray]);
  });
});
