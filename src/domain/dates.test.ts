import { describe, expect, it } from 'vitest';
import { daysUntil } from './dates.js';
import { nodePathLabel } from './tree.js';

describe('days to a deadline', () => {
  it('counts calendar days in Japan', () => {
    // 2026-04-29 23:30 in Japan is 14:30 UTC the same day.
    expect(daysUntil('2026-04-30', new Date('2026-04-29T14:30:00Z'))).toBe(1);
    // 2026-04-30 00:30 in Japan is still 04-29 in UTC.
    expect(daysUntil('2026-04-30', new Date('2026-04-29T15:30:00Z'))).toBe(0);
    expect(daysUntil('2026-04-30', new Date('2026-05-02T03:00:00Z'))).toBe(-2);
  });
});

describe('node paths', () => {
  it('joins numbers and titles from the top', () => {
    const nodes = new Map([
      [1, { id: 1, parentId: null, title: '意識づくり' }],
      [2, { id: 2, parentId: 1, title: '啓発' }],
    ]);
    expect(
      nodePathLabel(
        nodes,
        new Map([
          [1, 'Ⅰ'],
          [2, '(1)'],
        ]),
        2,
      ),
    ).toBe('Ⅰ 意識づくり › (1) 啓発');
    expect(nodePathLabel(nodes, new Map(), 2)).toBe('意識づくり › 啓発');
  });
});
