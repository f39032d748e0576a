import { describe, expect, it } from 'vitest';
import { matches, NO_GRADE, readFilters, writeFilters } from './review-filters.js';
import type { ReviewRow } from '../../lib/types.js';

const row = (over: Partial<ReviewRow>): ReviewRow => ({
  recordId: 1,
  version: 1,
  projectId: 1,
  projectNumber: '12',
  projectName: '啓発講座',
  path: 'Ⅰ 意識づくり',
  departmentId: 5,
  departmentName: '人権推進課',
  status: 'submitted',
  grades: [{ slot: 'self', code: 'A' }],
  checks: [],
  submittedAt: null,
  updatedAt: '',
  updatedByName: null,
  changedSinceLastSubmission: null,
  comments: 0,
  ...over,
});

describe('review table filters', () => {
  it('read back from the address what they wrote, keeping other keys', () => {
    const params = writeFilters(new URLSearchParams('record=7'), {
      status: 'submitted',
      department: 5,
      grade: 'A',
      commented: true,
      checked: true,
      q: '講座',
    });
    expect(params.toString()).toBe(
      'record=7&status=submitted&department=5&grade=A&comments=1&checks=1&q=%E8%AC%9B%E5%BA%A7',
    );
    expect(readFilters(params)).toEqual({
      status: 'submitted',
      department: 5,
      grade: 'A',
      commented: true,
      checked: true,
      q: '講座',
    });
    expect(writeFilters(params, readFilters(new URLSearchParams())).toString()).toBe('record=7');
  });

  it('ignore values that are not statuses or departments', () => {
    expect(readFilters(new URLSearchParams('status=done&department=abc'))).toMatchObject({
      status: '',
      department: null,
    });
  });

  it('match status, department, grade, comments, checks and the name or number, full-width digits included', () => {
    const none = readFilters(new URLSearchParams());
    expect(matches(row({}), none)).toBe(true);
    expect(matches(row({}), { ...none, status: 'approved' })).toBe(false);
    expect(matches(row({}), { ...none, department: 6 })).toBe(false);
    expect(matches(row({}), { ...none, grade: 'B' })).toBe(false);
    // A grade is filtered for in its slot: the self-evaluation's A, not another slot's A.
    expect(matches(row({}), { ...none, grade: 'self:A' })).toBe(true);
    expect(matches(row({}), { ...none, grade: 'grade:A' })).toBe(false);
    expect(matches(row({ grades: [{ slot: 'grade', code: 'B' }] }), { ...none, grade: 'self:B' })).toBe(false);
    // A link from before slots (a bare code) finds the code in any slot.
    expect(matches(row({}), { ...none, grade: 'A' })).toBe(true);
    expect(matches(row({ grades: [] }), { ...none, grade: NO_GRADE })).toBe(true);
    expect(matches(row({}), { ...none, grade: NO_GRADE })).toBe(false);
    expect(matches(row({}), { ...none, commented: true })).toBe(false);
    expect(matches(row({ comments: 2 }), { ...none, commented: true })).toBe(true);
    expect(matches(row({}), { ...none, checked: true })).toBe(false);
    const shortfall = { kind: 'shortfallWithoutReason' as const, message: '評価が「B」（最上位でない）ですが…' };
    expect(matches(row({ checks: [shortfall] }), { ...none, checked: true })).toBe(true);
    expect(matches(row({ checks: [shortfall] }), none)).toBe(true);
    expect(matches(row({}), { ...none, q: '１２' })).toBe(true);
    expect(matches(row({}), { ...none, q: '講座' })).toBe(true);
    expect(matches(row({}), { ...none, q: '研修' })).toBe(false);
  });
});
