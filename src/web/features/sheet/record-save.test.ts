import { describe, expect, it } from 'vitest';
import { TEXT_LIMIT } from '../../../domain/cycle-terms.js';
import { overLimit, savePayload } from './record-save.js';
import type { Draft } from './record-edit-state.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';

const config = presetConfig('achievement-5')!;

const draft = (over: Partial<Draft> = {}): Draft => ({
  planText: '講座を開く',
  resultText: '',
  remarks: '',
  nextYearPlan: '',
  sameAsDepartmentId: null,
  custom: {},
  actuals: [],
  entries: [],
  ...over,
});

describe('saving a record', () => {
  it('sends the draft with the version it was typed over, leaving out unnamed parts of a breakdown', () => {
    const d = draft({
      actuals: [
        {
          indicatorId: 7,
          text: '120',
          status: null,
          reason: '',
          parts: [
            { label: '男性', text: '50' },
            { label: ' ', text: '9' },
          ],
        },
      ],
    });
    const body = savePayload(d, { version: 4, entries: [] }, config);
    expect(body.version).toBe(4);
    expect(body.planText).toBe('講座を開く');
    expect(body.actuals[0]!.parts).toEqual([{ label: '男性', text: '50' }]);
  });

  it('sends the evaluations as edited, and one removed since the last save emptied so that it is cleared', () => {
    const line = { slotKey: 'grade', subjectKind: 'indicator' as const, subjectId: 7, comment: '' };
    const body = savePayload(
      draft({ entries: [{ ...line, code: '○', reason: '雨天中止が1回' }] }),
      { version: 5, entries: [{ ...line, subjectId: 8, code: '×', reason: '未実施' }] },
      config,
    );
    expect(body.entries).toEqual([
      { ...line, code: '○', reason: '雨天中止が1回' },
      { ...line, subjectId: 8, code: null, reason: '' },
    ]);
  });

  it('names each long text over the limit and by how much', () => {
    expect(overLimit(draft())).toEqual([]);
    const d = draft({ remarks: 'あ'.repeat(TEXT_LIMIT + 3), planText: 'い'.repeat(TEXT_LIMIT) });
    expect(overLimit(d)).toEqual([
      { field: 'remarks', label: '備考', message: `備考は${TEXT_LIMIT}文字以内で入力してください（3文字多い）` },
    ]);
  });
});
