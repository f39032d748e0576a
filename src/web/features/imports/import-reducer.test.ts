import { describe, expect, it } from 'vitest';
import { NO_FIXES } from '../../../domain/import/fixes.js';
import {
  commitProblem,
  commitRequest,
  fixesToSave,
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

const preview = (rows: ImportRow[], more: Partial<Preview> = {}): Preview => ({
  mapping: {
    name: 'm',
    label: '',
    headerWords: ['番号'],
    extraHeaderRows: 0,
    levels: [],
    columns: { projectNumber: 0, projectName: 1 },
    numberInName: false,
  },
  source: rows.map((r) => ({ line: r.line, cells: ['a', 'b'] })),
  rows,
  summary: { nodes: {}, projects: rows.length, records: rows.length, grades: {}, flagged: [] },
  repairs: [],
  suspects: [],
  names: [],
  meta: { title: null, fiscalYear: null, asOf: null, columnYears: {} },
  ...more,
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
      fixes: NO_FIXES,
      autoRepair: true,
      planId: null,
    });
    // The target plan chosen: its 区分 list checks the rows.
    expect(previewRequest({ ...file, target: { ...file.target, planId: '7' } }).planId).toBe(7);
    const pasted = importReducer(importReducer(file, { type: 'modeChosen', mode: 'paste' }), {
      type: 'textPasted',
      text: 'x',
    });
    expect(previewRequest(pasted).source).toEqual({ kind: 'paste', text: 'x' });
    // A paste's name goes with it, trimmed; spaces alone are no name.
    const named = importReducer(pasted, { type: 'pasteNamed', name: ' 令和6年度実績 ' });
    expect(previewRequest(named).source).toEqual({ kind: 'paste', text: 'x', name: '令和6年度実績' });
    expect(previewRequest(importReducer(named, { type: 'pasteNamed', name: '  ' })).source).toEqual({
      kind: 'paste',
      text: 'x',
    });
  });

  it('drops the preview when the pasted table or its name changes: the commit waits for a new one', () => {
    const pasted = run({ type: 'modeChosen', mode: 'paste' }, { type: 'textPasted', text: 'a\tb' });
    const loaded = importReducer(pasted, { type: 'previewLoaded', preview: preview([row(2)]) });
    expect(importReducer(loaded, { type: 'textPasted', text: 'a\tb' }).preview).not.toBeNull();
    expect(importReducer(loaded, { type: 'textPasted', text: 'a\tc' }).preview).toBeNull();
    expect(importReducer(loaded, { type: 'pasteNamed', name: '第2稿' }).preview).toBeNull();
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
      skipped: [],
      batch: { id: 1, replaced: null },
      removals: { replaces: null, projects: [], records: [], nodes: [], others: [], kept: [] },
      nodeMatches: [],
    };
    const committed = importReducer(loaded, { type: 'committed', result });
    expect(committed).toMatchObject({ busy: '', result });
    // Taken once, the same preview is not taken again by a second click.
    expect(commitProblem(committed)).toBe(
      'この表は取り込み済みです。もう一度取り込むときは、プレビューからやり直してください',
    );
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
    expect(s.fixes.moves).toEqual([{ line: 3, shift: 1 }]);
    expect(s.fixes.excluded).toEqual([4]);
    expect(s.editing).toBeNull();
    expect(s.fixes.edits).toEqual([
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

  it('makes every suggested move at once, adding to a line already moved', () => {
    const fix = (line: number, shift: number) => ({ ...row(line, ['ずれ']), fix: { line, shift } });
    const s = run(
      { type: 'fixAccepted', fix: { line: 5, shift: 1 } },
      { type: 'previewLoaded', preview: preview([row(2), fix(3, -1), fix(5, 1), row(6, ['担当課がありません'])]) },
      { type: 'allFixesAccepted' },
    );
    expect(s.fixes.moves).toEqual([
      { line: 5, shift: 2 },
      { line: 3, shift: -1 },
    ]);
    // A move and its opposite leave the line as written.
    expect(importReducer(s, { type: 'fixAccepted', fix: { line: 3, shift: 1 } }).fixes.moves).toEqual([
      { line: 5, shift: 2 },
    ]);
  });

  it('undoes an automatic repair by its line, makes it again, and turns repairs off', () => {
    const s = run(
      { type: 'repairUndone', line: 42 },
      { type: 'repairUndone', line: 44 },
      { type: 'repairUndone', line: 42 },
    );
    expect(s.fixes.rejected).toEqual([42, 44]);
    expect(importReducer(s, { type: 'repairRestored', line: 42 }).fixes.rejected).toEqual([44]);
    expect(previewRequest(importReducer(s, { type: 'autoRepairChanged', on: false }))).toMatchObject({
      autoRepair: false,
      fixes: { rejected: [42, 44] },
    });
  });

  it('reads department names and misread words as the reading suggests, all at once or one by one', () => {
    const loaded = run({
      type: 'previewLoaded',
      preview: preview([row(2)], {
        names: [
          { written: '人権推進課', meant: '人権推進課', kind: 'known', lines: [2] },
          { written: '人権・同和对策室', meant: '人権・同和対策室', kind: 'near', lines: [3] },
          { written: '子育て支援課 ', meant: '子育て支援課', kind: 'variant', lines: [4] },
          { written: '関係各課', meant: null, kind: 'group', lines: [5] },
          { written: '女性活躍推進室', meant: null, kind: 'new', lines: [6] },
        ],
        suspects: [
          { line: 7, field: '事業名', word: 'データDV', suggestion: 'デートDV' },
          { line: 8, field: '実績・取組状況', word: '講庄', suggestion: '講座' },
        ],
      }),
    });
    const names = importReducer(loaded, { type: 'allNamesAccepted' });
    expect(names.fixes.names).toEqual({ '人権・同和对策室': '人権・同和対策室', '子育て支援課 ': '子育て支援課' });
    // A new name read as an existing department, then back to a new one.
    const mapped = importReducer(names, { type: 'nameAccepted', written: '女性活躍推進室', meant: '人権推進課' });
    expect(mapped.fixes.names['女性活躍推進室']).toBe('人権推進課');
    expect(Object.keys(importReducer(mapped, { type: 'nameReverted', written: '女性活躍推進室' }).fixes.names)).toEqual(
      ['人権・同和对策室', '子育て支援課 '],
    );

    const one = importReducer(loaded, { type: 'wordAccepted', word: '講庄', suggestion: '講座' });
    expect(one.fixes.words).toEqual({ 講庄: '講座' });
    const all = importReducer(one, { type: 'allWordsAccepted' });
    expect(all.fixes.words).toEqual({ 講庄: '講座', データDV: 'デートDV' });
    expect(importReducer(all, { type: 'wordReverted', word: '講庄' }).fixes.words).toEqual({ データDV: 'デートDV' });
    expect(commitRequest(all).fixes.words).toEqual({ 講庄: '講座', データDV: 'デートDV' });
  });

  it('takes the new plan’s name and the year of the answers from the document, keeping what the user typed', () => {
    const meta = {
      title: '第5次ひがしまつやま共生プラン 令和3年度事業最終評価',
      fiscalYear: 2021,
      asOf: null,
      columnYears: {},
    };
    const s = run({ type: 'previewLoaded', preview: preview([row(2)], { meta }) });
    expect(s.target).toMatchObject({ title: meta.title, fiscalYear: 2021, firstYear: null });
    const typed = importReducer(s, { type: 'targetChanged', change: { title: '共生プラン', fiscalYear: 2020 } });
    const again = importReducer(typed, { type: 'previewLoaded', preview: preview([row(2)], { meta }) });
    expect(again.target).toMatchObject({ title: '共生プラン', fiscalYear: 2020 });
  });

  it('saves the fixes in effect with the automatic repairs as moves, and loads a file in place of the fixes made', () => {
    const s = run(
      { type: 'fixAccepted', fix: { line: 3, shift: 1 } },
      { type: 'rowExcluded', line: 9 },
      {
        type: 'previewLoaded',
        preview: preview([row(2)], {
          repairs: [
            { line: 42, kind: 'align', shift: -1, reason: 'ずれ', edits: [{ line: 42, column: 1, value: 'x' }] },
          ],
        }),
      },
    );
    expect(fixesToSave(s)).toEqual({
      ...NO_FIXES,
      moves: [{ line: 3, shift: 1 }],
      edits: [{ line: 42, column: 1, value: 'x' }],
      excluded: [9],
    });
    expect(fixesToSave(importReducer(s, { type: 'autoRepairChanged', on: false })).edits).toEqual([]);
    const refused = importReducer(s, { type: 'fixesFileRefused', message: 'JSON として読めません' });
    expect(refused.fixesFileError).toBe('JSON として読めません');
    const loaded = importReducer(refused, { type: 'fixesLoaded', fixes: { ...NO_FIXES, words: { 講庄: '講座' } } });
    expect(loaded.fixes).toEqual({ ...NO_FIXES, words: { 講庄: '講座' } });
    expect(loaded.fixesFileError).toBeNull();
  });

  it('says why the import cannot be committed yet, down to nothing', () => {
    expect(commitProblem(initialImportState)).toBe('先にプレビューしてください');
    const flagged = run({ type: 'previewLoaded', preview: preview([row(2), row(3, ['ずれ'])]) });
    expect(commitProblem(flagged)).toBe('読み取れない行が1行あります（3行目）。直すか、除外してください');
    const named = run({
      type: 'previewLoaded',
      preview: preview([row(2)], {
        names: [{ written: '女性活躍推進室', meant: null, kind: 'new', lines: [2] }],
        meta: { title: '共生プラン 令和3年度', fiscalYear: 2021, asOf: null, columnYears: {} },
      }),
    });
    expect(commitProblem(named)).toBe(
      '登録されていない担当課があります（女性活躍推進室）。「組織に登録されていない担当課は、新しく登録する」を選ぶか、既存の課に読み替えてください',
    );
    const creating = importReducer(named, { type: 'targetChanged', change: { createDepartments: true } });
    expect(commitProblem(creating)).toBe('新しい計画の計画期間（開始年度と終了年度）を入力してください');
    const period = importReducer(creating, { type: 'targetChanged', change: { firstYear: 2021, lastYear: 2020 } });
    expect(commitProblem(period)).toBe('計画期間の終了年度が開始年度より前です');
    const ready = importReducer(period, { type: 'targetChanged', change: { lastYear: 2025 } });
    expect(commitProblem(ready)).toBeNull();
    expect(commitProblem(importReducer(ready, { type: 'targetChanged', change: { title: ' ' } }))).toBe(
      '新しい計画の名称を入力してください',
    );
    expect(commitProblem(importReducer(ready, { type: 'commitStarted' }))).toBe('取り込み中です');
    // Into an existing plan, only the year of the answers is needed.
    const existing = importReducer(ready, {
      type: 'targetChanged',
      change: { planId: '7', title: '', fiscalYear: null },
    });
    expect(commitProblem(existing)).toBe('取り込む回答の年度を入力してください');
  });
});
