import { describe, expect, it } from 'vitest';
import { configInput } from '../../../domain/evaluation/schema.js';
import { buildReport } from '../../../domain/report/build.js';
import { builtinLayout } from '../../../domain/report/layout.js';
import { dataset, selfGrade, withEvaluation } from '../../../domain/report/sample-dataset.test-support.js';
import { formatReport } from './index.js';

/** A department grades each answer 5 (best) down to 1, printed and counted in that order. */
const fiveToOne = configInput.parse({
  scales: [
    {
      key: 'five',
      name: '5段階',
      rule: { kind: 'manual' },
      grades: ['5', '4', '3', '2', '1'].map((code) => ({
        code,
        label: `評価${code}`,
        tally: true,
        points: Number(code),
        hand: false,
      })),
    },
  ],
  slots: [{ key: 'self', name: '評価', subject: 'record', enteredBy: 'department', scale: 'five' }],
});

describe('the JSON file of a report', () => {
  it('carries the grade counts in the scale’s order, numeric codes included', async () => {
    const ds = withEvaluation(dataset(), fiveToOne, [
      selfGrade(2024, 11, 100, '5'),
      selfGrade(2024, 12, 100, '1'),
      selfGrade(2024, 12, 200, '5'),
      selfGrade(2024, 13, 200, '3'),
    ]);
    const file = await formatReport(buildReport(ds, builtinLayout('narrative-status')!), 'json');
    const json = JSON.parse(String(file.body));
    expect(json.tallies.codes).toEqual([
      { code: '5', label: '評価5' },
      { code: '4', label: '評価4' },
      { code: '3', label: '評価3' },
      { code: '2', label: '評価2' },
      { code: '1', label: '評価1' },
    ]);
    expect(json.tallies.total).toEqual({
      counts: [
        { code: '5', label: '評価5', count: 2 },
        { code: '4', label: '評価4', count: 0 },
        { code: '3', label: '評価3', count: 1 },
        { code: '2', label: '評価2', count: 0 },
        { code: '1', label: '評価1', count: 1 },
      ],
      graded: 4,
      評価対象外: 0,
      未評価: 1,
    });
    // Per top-level node the same order: Ⅰ has 講座 5, 研修 1 and 5, 出前授業 3; Ⅱ's 女性相談 is not graded.
    expect(
      json.tallies.byNode.map((n: { node: string; counts: { code: string; count: number }[] }) => [
        n.node,
        n.counts.map((c) => `${c.code}:${c.count}`).join(' '),
      ]),
    ).toEqual([
      ['Ⅰ 意識づくり', '5:2 4:0 3:1 2:0 1:1'],
      ['Ⅱ 暴力の根絶', '5:0 4:0 3:0 2:0 1:0'],
    ]);
  });
});
