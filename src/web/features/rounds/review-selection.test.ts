import { describe, expect, it } from 'vitest';
import { byDepartment, rowAfterKey, selectionLimits } from './review-selection.js';
import type { ReviewRow } from '../../lib/types.js';

const row = (over: Partial<ReviewRow>): ReviewRow => ({
  recordId: 1,
  version: 1,
  projectId: 1,
  projectNumber: '12',
  projectName: '啓発講座',
  path: '',
  departmentId: 5,
  departmentName: '人権推進課',
  status: 'submitted',
  grades: [],
  checks: [],
  submittedAt: null,
  updatedAt: '',
  updatedByName: null,
  changedSinceLastSubmission: null,
  comments: 0,
  ...over,
});

describe('the review selection', () => {
  it('counts the selected rows per department, in the order met', () => {
    const rows = [row({}), row({ departmentName: '学校教育課' }), row({})];
    expect(byDepartment(rows)).toBe('人権推進課 2件、学校教育課 1件');
    expect(byDepartment([])).toBe('');
  });

  it('approves submitted rows only, and returns submitted or approved ones', () => {
    const rows = [row({}), row({ status: 'approved' }), row({ status: 'draft' })];
    expect(selectionLimits(rows)).toEqual({ notApprovable: 2, notReturnable: 1 });
    expect(selectionLimits([row({})])).toEqual({ notApprovable: 0, notReturnable: 0 });
  });

  it('moves through the rows with the arrow keys, Home and End, without leaving the table', () => {
    expect(rowAfterKey('ArrowDown', 0, 3)).toBe(1);
    expect(rowAfterKey('ArrowDown', 2, 3)).toBe(2);
    expect(rowAfterKey('ArrowUp', 0, 3)).toBe(0);
    expect(rowAfterKey('Home', 2, 3)).toBe(0);
    expect(rowAfterKey('End', 0, 3)).toBe(2);
    expect(rowAfterKey('Enter', 0, 3)).toBeNull();
    expect(rowAfterKey('a', 1, 3)).toBeNull();
  });
});
