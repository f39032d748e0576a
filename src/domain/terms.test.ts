import { describe, expect, it } from 'vitest';
import { perRecordStatus, RECORD_STATUSES } from './cycle-terms.js';
import { isProjectCategory, PROJECT_CATEGORIES } from './plan-terms.js';

describe('the words of plans and the cycle', () => {
  it('tells a project category from any other text', () => {
    for (const c of PROJECT_CATEGORIES) expect(isProjectCategory(c)).toBe(true);
    for (const x of ['', '新規 ', 'new', null, undefined]) expect(isProjectCategory(x)).toBe(false);
  });

  it('gives every record status a value, in the statuses’ order', () => {
    const counts = perRecordStatus((s) => s.length);
    expect(Object.keys(counts)).toEqual([...RECORD_STATUSES]);
    expect(counts.not_started).toBe('not_started'.length);
  });
});
