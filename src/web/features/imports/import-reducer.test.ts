import { describe, expect, it } from 'vitest';
import {
  commitRequest,
  flaggedRows,
  importReducer,
  initialImportState,
  previewProblem,
  previewRequest,
  type ImportAction,
  type ImportState,
  type Preview,
} from './import-reducer.js';
import type { ImportRow } from '../../../domain/import/mapping.js';

const run = (...actions: ImportAction[]): ImportState => actions.reduce(importReducer, initialImportState);

const row = (line: number, flags: string[] = []): ImportRow => ({
  line,
  hierarchy: [],
  projectNumber: String(line),
  projectName: '講座',
  departments: [],
  values: {},
  continuation: false,
  flags,
});

const preview = (rows: ImportRow[]): Preview => ({
  source: rows.map((r) => ({ line: r.line, cells: ['a', 'b'] })),
  rows,
  summary: { nodes: {}, projects: rows.length, records: rows.length, grades: {}, flagged: [] },
});

describe('import page state', () => {
  it('says what is missing before a preview can be asked for', () => {
    expect(previewProblem(initialImportState)).toBe('ファイルを選んでください');
    expect(previewProblem(run({ type: 'modeChosen', mode: 'paste' }))).toBe('表を貼り付けてください');
    expect(previewProblem(run({ type: 'modeChosen', mode: 'paste' }, { type: 'textPasted', text: '  ' }))).toBe(
      '表を貼り付けてください',
    );
    const pasted = run({ type: 'modeChosen', mode: 'paste' }, { type: 'textPasted', text: 'a\tb' });
    expect(previewProblem(pasted)).toBe('取り込み設定を選んでください');
    expect(previewProblem(importReducer(pasted, { type: 'mappingChosen', name: 'survey' }))).toBeNull();
    // a new mapping counts once the editor has made one
    const custom = importReducer(pasted, { type: 'mappingChosen', name: '__custom' });
    expect(previewProblem(custom)).toBe('取り込み設定を選んでください');
  });

  it('asks for the file with its sheet, or the pasted text, through the chosen mapping', () => {
    const file = run(
      { type: 'fileChosen', file: { name: 'a.xlsx', base64: 'QQ==' } },
      { type: 'sheetChosen', sheet: '2024' },
      { type: 'mappingChosen', name: 'survey' },
      { type: 'modeChosen', mode: 'file' },
    );
    expect(previewRequest(file)).toEqual({
      source: { kind: 'file', name: 'a.xlsx', base64: 'QQ==', sheet: '2024' },
      mapping: 'survey',
      edits: [],
      fixes: [],
      excluded: [],
      planId: null,
    });
    // The target plan chosen: its 区分 list checks the rows.
    expect(previewRequest({ ...file, target: { ...file.target, planId: '7' } }).planId).toBe(7);
    const pasted = importReducer(importReducer(file, { type: 'modeChosen', mode: 'paste' }), {
      type: 'textPasted',
      text: 'x',
    });
    expect(previewRequest(pasted).source).toEqual({ kind: 'paste', text: 'x' });
  });

  it('marks a preview and a commit busy until their answer or error', () => {
    const started = run({ type: 'failed', error: new Error('前の') }, { type: 'previewStarted' });
    expect(started).toMatchObject({ busy: 'preview', error: null, result: null });
    const loaded = importReducer(started, { type: 'previewLoaded', preview: preview([row(2)]) });
    expect(loaded.busy).toBe('');
    expect(loaded.preview?.rows).toHaveLength(1);
    const failed = importReducer(importReducer(loaded, { type: 'commitStarted' }), { type: 'failed', error: 'x' });
    expect(failed).toMatchObject({ busy: '', error: 'x' });
    const result = {
      planId: 3,
      created: { nodes: 1, projects: 1, records: 1, departments: 0, indicators: 0 },
      updated: { records: 0 },
    };
    expect(importReducer(loaded, { type: 'committed', result })).toMatchObject({ busy: '', result });
  });

  it('keeps the last result and busy state when a preview is refused before asking', () => {
    const s = run({ type: 'previewStarted' }, { type: 'invalid', message: 'ファイルを選んでください' });
    expect(s.busy).toBe('preview');
    expect(s.result).toBeNull();
    expect(s.error).toEqual(new Error('ファイルを選んでください'));
  });

  it('collects the corrections of the preview: fixes, excluded lines, and the latest typing of each cell', () => {
    const s = run(
      { type: 'fixAccepted', fix: { line: 3, shift: 1 } },
      { type: 'rowExcluded', line: 4 },
      { type: 'editingStarted', line: 5 },
      { type: 'cellsEdited', line: 5, changed: [{ column: 1, value: '人権推進課' }] },
      {
        type: 'cellsEdited',
        line: 5,
        changed: [
          { column: 1, value: '学校教育課' },
          { column: 2, value: 'A' },
        ],
      },
      { type: 'cellsEdited', line: 6, changed: [{ column: 1, value: '子育て支援課' }] },
    );
    expect(s.fixes).toEqual([{ line: 3, shift: 1 }]);
    expect(s.excluded).toEqual([4]);
    expect(s.editing).toBeNull();
    expect(s.edits).toEqual([
      { line: 5, column: 1, value: '学校教育課' },
      { line: 5, column: 2, value: 'A' },
      { line: 6, column: 1, value: '子育て支援課' },
    ]);
    expect(run({ type: 'editingStarted', line: 5 }, { type: 'editingCancelled' }).editing).toBeNull();
  });

  it('commits into a new plan with its period, or into an existing plan by id', () => {
    const base = run(
      { type: 'modeChosen', mode: 'paste' },
      { type: 'textPasted', text: 'x' },
      { type: 'mappingChosen', name: 'survey' },
      { type: 'targetChanged', change: { title: '新計画', firstYear: 2021, lastYear: 2025 } },
      { type: 'targetChanged', change: { fiscalYear: 2023, createDepartments: true } },
    );
    expect(commitRequest(base)).toMatchObject({
      planId: null,
      newPlan: { title: '新計画', firstYear: 2021, lastYear: 2025 },
      fiscalYear: 2023,
      createDepartments: true,
    });
    const existing = importReducer(base, { type: 'targetChanged', change: { planId: '7' } });
    expect(commitRequest(existing)).toMatchObject({ planId: 7, newPlan: null, fiscalYear: 2023 });
  });

  it('lists the flagged rows of the preview, and a new file drops the preview', () => {
    const s = run({ type: 'previewLoaded', preview: preview([row(2), row(3, ['担当課がありません'])]) });
    expect(flaggedRows(s).map((r) => r.line)).toEqual([3]);
    expect(flaggedRows(importReducer(s, { type: 'previewDiscarded' }))).toEqual([]);
  });
});
