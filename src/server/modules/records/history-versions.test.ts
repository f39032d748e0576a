import { describe, expect, it } from 'vitest';
import { groupSaves } from './history-versions.js';

const row = (id: number, action: string, user: number | null, at: string) => ({
  id,
  action,
  user_id: user,
  created_at: `2026-01-05T${at}:00.000Z`,
});

describe('versions of an answer', () => {
  it('gathers a person’s close consecutive saves into one version, and nothing else', () => {
    // Oldest first here; the history reads newest first.
    const rows = [
      row(1, 'rollover', null, '09:00'),
      row(2, 'save', 7, '09:30'),
      row(3, 'save', 7, '09:35'),
      row(4, 'save', 7, '09:44'),
      // Another person's save between.
      row(5, 'save', 8, '09:45'),
      row(6, 'save', 7, '09:46'),
      // More than ten minutes after the one before.
      row(7, 'save', 7, '10:00'),
      row(8, 'submit', 7, '10:01'),
      row(9, 'save', 7, '10:02'),
    ];
    const groups = groupSaves([...rows].reverse()).map((g) => g.map((r) => r.id));
    expect(groups).toEqual([[9], [8], [7], [6], [5], [2, 3, 4], [1]]);
  });
});
