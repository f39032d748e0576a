import { describe, expect, it } from 'vitest';
import type { RecordStatus } from '../../../domain/cycle-terms.js';
import type { SheetItem } from '../../lib/types.js';
import { sheetTally } from './sheet-tally.js';

// Only the record's status counts here.
const item = (status: RecordStatus) => ({ record: { status } }) as SheetItem;

describe('a sheet by status', () => {
  it('counts each status in the order first met, and what can be submitted or decided', () => {
    const statuses: RecordStatus[] = [
      'draft',
      'submitted',
      'draft',
      'returned',
      'approved',
      'not_started',
      'submitted',
    ];
    const t = sheetTally(statuses.map(item));
    expect(t.summary).toBe('入力中 2件・提出済 2件・差戻し 1件・確定 1件・未着手 1件');
    expect(t.submittable).toBe(4);
    expect(t.submitted).toBe(2);
  });

  it('is empty for a sheet without projects', () => {
    expect(sheetTally([])).toEqual({ summary: '', submittable: 0, submitted: 0 });
  });
});
