import type { ImportCommitResult, ImportPreview } from '../../../domain/api-types.js';
import { NO_FIXES, type ImportFixes } from '../../../domain/import/fixes.js';
import { fixesInEffect, planTitleFrom } from '../../../domain/import/fixes-file.js';
import type { ImportMapping, ImportRow, RowFix } from '../../../domain/import/mapping.js';
import type { NameMatch } from '../../../domain/import/read.js';

/** What the preview answers: the source's sheets and encoding, its rows as read and as they would be stored. */
export type Preview = ImportPreview;

export type ImportSource =
  { kind: 'paste'; text: string; name?: string } | { kind: 'file'; name: string; base64: string; sheet?: string };

/** What a commit answers (the API's own type). */
export type CommitResult = ImportCommitResult;

/** Where the rows go: an existing plan or a new one, and the fiscal year of the answers. */
export interface ImportTarget {
  /** a plan's id, or 'new' */
  planId: string;
  title: string;
  firstYear: number | null;
  lastYear: number | null;
  fiscalYear: number | null;
  createDepartments: boolean;
}

export interface ImportState {
  mode: 'file' | 'paste';
  text: string;
  /** what the user calls the paste: taken again under the same name, it replaces the earlier import */
  pasteName: string;
  file: { name: string; base64: string } | null;
  sheet: string | undefined;
  /** a saved mapping's name, '__custom' for the one being set up, '' before a choice */
  mappingName: string;
  custom: ImportMapping | null;
  preview: Preview | null;
  /** the user's corrections, as data: what a fixes file holds */
  fixes: ImportFixes;
  /** let the reading make its high-confidence repairs (自動修正) */
  autoRepair: boolean;
  /** why the fixes file chosen could not be read */
  fixesFileError: string | null;
  /** the line whose cells are being typed anew */
  editing: number | null;
  error: unknown;
  busy: '' | 'preview' | 'commit';
  target: ImportTarget;
  result: CommitResult | null;
}

export const initialImportState: ImportState = {
  mode: 'file',
  text: '',
  pasteName: '',
  file: null,
  sheet: undefined,
  mappingName: '',
  custom: null,
  preview: null,
  fixes: NO_FIXES,
  autoRepair: true,
  fixesFileError: null,
  editing: null,
  error: null,
  busy: '',
  target: { planId: 'new', title: '', firstYear: null, lastYear: null, fiscalYear: null, createDepartments: false },
  result: null,
};

/** The corrections of the preview: each is followed by a new preview that applies it. */
export type CorrectionAction =
  | { type: 'fixAccepted'; fix: RowFix }
  /** every move the preview still suggests */
  | { type: 'allFixesAccepted' }
  | { type: 'rowExcluded'; line: number }
  | { type: 'cellsEdited'; line: number; changed: { column: number; value: string }[] }
  /** an automatic repair undone (the line is read as written), or made again */
  | { type: 'repairUndone'; line: number }
  | { type: 'repairRestored'; line: number }
  | { type: 'autoRepairChanged'; on: boolean }
  /** a department name as written read as another ('' : no department) */
  | { type: 'nameAccepted'; written: string; meant: string }
  /** every name the reading matched to a registered department by its spelling (variant, near) */
  | { type: 'allNamesAccepted' }
  | { type: 'nameReverted'; written: string }
  /** a probable misread accepted: the word as read → the word meant */
  | { type: 'wordAccepted'; word: string; suggestion: string }
  | { type: 'allWordsAccepted' }
  | { type: 'wordReverted'; word: string }
  /** the corrections of a fixes file in place of those made so far */
  | { type: 'fixesLoaded'; fixes: ImportFixes };

export type ImportAction =
  | { type: 'modeChosen'; mode: 'file' | 'paste' }
  | { type: 'textPasted'; text: string }
  | { type: 'pasteNamed'; name: string }
  | { type: 'previewDiscarded' }
  | { type: 'fileChosen'; file: { name: string; base64: string } | null }
  | { type: 'sheetChosen'; sheet: string }
  | { type: 'mappingChosen'; name: string }
  | { type: 'customMappingChanged'; mapping: ImportMapping | null }
  | { type: 'invalid'; message: string }
  | { type: 'fixesFileRefused'; message: string }
  | { type: 'previewStarted' }
  | { type: 'previewLoaded'; preview: Preview }
  | CorrectionAction
  | { type: 'editingStarted'; line: number }
  | { type: 'editingCancelled' }
  | { type: 'targetChanged'; change: Partial<ImportTarget> }
  | { type: 'commitStarted' }
  | { type: 'committed'; result: CommitResult }
  | { type: 'failed'; error: unknown };

/** The typed cells with a line's changed cells in place of what was typed in them before. */
function withCellEdits(
  edits: ImportFixes['edits'],
  line: number,
  changed: { column: number; value: string }[],
): ImportFixes['edits'] {
  return [
    ...edits.filter((e) => !(e.line === line && changed.some((c) => c.column === e.column))),
    ...changed.map((c) => ({ line, ...c })),
  ];
}

/** Moves added to those made: a line moved again is moved by the sum (a suggestion reads the line as already moved). */
function withMoves(moves: ImportFixes['moves'], added: readonly RowFix[]): ImportFixes['moves'] {
  const shifts = new Map(moves.map((m) => [m.line, m.shift]));
  for (const m of added) shifts.set(m.line, (shifts.get(m.line) ?? 0) + m.shift);
  return [...shifts].filter(([, shift]) => shift !== 0).map(([line, shift]) => ({ line, shift }));
}

const without = <V>(record: Record<string, V>, key: string): Record<string, V> =>
  Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));

/** The names the reading matched by their spelling to a registered department, not yet read so by the user. */
export function namesToAccept(s: ImportState): NameMatch[] {
  return (s.preview?.names ?? []).filter(
    (n) => (n.kind === 'variant' || n.kind === 'near') && n.meant !== null && !(n.written in s.fixes.names),
  );
}

/** The probable misreads still offered (those accepted are read as meant). */
export function wordsToAccept(s: ImportState) {
  return (s.preview?.suspects ?? []).filter((x) => !(x.word in s.fixes.words));
}

/** The rows whose suggested move has not been made. */
export function suggestedFixes(s: ImportState): RowFix[] {
  return (s.preview?.rows ?? []).flatMap((r) => (r.fix ? [r.fix] : []));
}

function correct(state: ImportState, action: CorrectionAction): ImportState {
  const fixes = state.fixes;
  const set = (change: Partial<ImportFixes>): ImportState => ({ ...state, fixes: { ...fixes, ...change } });
  switch (action.type) {
    case 'fixAccepted':
      return set({ moves: withMoves(fixes.moves, [action.fix]) });
    case 'allFixesAccepted':
      return set({ moves: withMoves(fixes.moves, suggestedFixes(state)) });
    case 'rowExcluded':
      return set({ excluded: [...new Set([...fixes.excluded, action.line])] });
    case 'cellsEdited':
      return { ...set({ edits: withCellEdits(fixes.edits, action.line, action.changed) }), editing: null };
    case 'repairUndone':
      return set({ rejected: [...new Set([...fixes.rejected, action.line])] });
    case 'repairRestored':
      return set({ rejected: fixes.rejected.filter((l) => l !== action.line) });
    case 'autoRepairChanged':
      return { ...state, autoRepair: action.on };
    case 'nameAccepted':
      return set({ names: { ...fixes.names, [action.written]: action.meant } });
    case 'allNamesAccepted':
      return set({
        names: { ...fixes.names, ...Object.fromEntries(namesToAccept(state).map((n) => [n.written, n.meant ?? ''])) },
      });
    case 'nameReverted':
      return set({ names: without(fixes.names, action.written) });
    case 'wordAccepted':
      return set({ words: { ...fixes.words, [action.word]: action.suggestion } });
    case 'allWordsAccepted':
      return set({
        words: { ...fixes.words, ...Object.fromEntries(wordsToAccept(state).map((x) => [x.word, x.suggestion])) },
      });
    case 'wordReverted':
      return set({ words: without(fixes.words, action.word) });
    case 'fixesLoaded':
      return { ...state, fixes: action.fixes, fixesFileError: null, editing: null };
  }
}

/** The document's own title and year as the defaults of the new plan's name and the year of the answers. */
function withDocumentDefaults(target: ImportTarget, preview: Preview): ImportTarget {
  const title = target.title || planTitleFrom(preview.meta) || '';
  const fiscalYear = target.fiscalYear ?? preview.meta.fiscalYear;
  return { ...target, title, fiscalYear };
}

export function importReducer(state: ImportState, action: ImportAction): ImportState {
  switch (action.type) {
    case 'modeChosen':
      return { ...state, mode: action.mode };
    // Another table or another name is another source: what the preview showed (its rows, what it would
    // replace) no longer holds, and the commit waits for a new preview.
    case 'textPasted':
      return { ...state, text: action.text, preview: action.text === state.text ? state.preview : null };
    case 'pasteNamed':
      return { ...state, pasteName: action.name, preview: action.name === state.pasteName ? state.preview : null };
    case 'previewDiscarded':
      return { ...state, preview: null };
    case 'fileChosen':
      return { ...state, file: action.file };
    case 'sheetChosen':
      return { ...state, sheet: action.sheet };
    case 'mappingChosen':
      return { ...state, mappingName: action.name };
    case 'customMappingChanged':
      return { ...state, custom: action.mapping };
    case 'invalid':
      return { ...state, error: new Error(action.message), result: null };
    case 'previewStarted':
      return { ...state, error: null, result: null, busy: 'preview' };
    case 'previewLoaded':
      return {
        ...state,
        preview: action.preview,
        busy: '',
        target: withDocumentDefaults(state.target, action.preview),
      };
    case 'fixesFileRefused':
      return { ...state, fixesFileError: action.message };
    case 'fixAccepted':
    case 'allFixesAccepted':
    case 'rowExcluded':
    case 'cellsEdited':
    case 'repairUndone':
    case 'repairRestored':
    case 'autoRepairChanged':
    case 'nameAccepted':
    case 'allNamesAccepted':
    case 'nameReverted':
    case 'wordAccepted':
    case 'allWordsAccepted':
    case 'wordReverted':
    case 'fixesLoaded':
      return correct(state, action);
    case 'editingStarted':
      return { ...state, editing: action.line };
    case 'editingCancelled':
      return { ...state, editing: null };
    case 'targetChanged':
      return { ...state, target: { ...state.target, ...action.change } };
    case 'commitStarted':
      return { ...state, error: null, busy: 'commit' };
    case 'committed':
      return { ...state, result: action.result, busy: '' };
    case 'failed':
      return { ...state, error: action.error, busy: '' };
  }
}

/** The table to read: the pasted text or the chosen file (with its sheet), or null while there is none. */
export function importSource(s: ImportState): ImportSource | null {
  if (s.mode === 'paste') {
    if (!s.text.trim()) return null;
    const name = s.pasteName.trim();
    return name ? { kind: 'paste', text: s.text, name } : { kind: 'paste', text: s.text };
  }
  return s.file ? { kind: 'file', ...s.file, sheet: s.sheet } : null;
}

/** The chosen mapping: a saved one by name, the one being set up, or null before a choice. */
export function importMapping(s: ImportState): ImportMapping | string | null {
  return s.mappingName === '__custom' ? s.custom : s.mappingName || null;
}

/** Why a preview cannot be asked for yet, or null when it can. */
export function previewProblem(s: ImportState): string | null {
  if (!importSource(s)) return s.mode === 'paste' ? '表を貼り付けてください' : 'ファイルを選んでください';
  if (!importMapping(s)) return '取り込み設定を選んでください';
  return null;
}

export function previewRequest(s: ImportState) {
  return {
    source: importSource(s),
    mapping: importMapping(s),
    fixes: s.fixes,
    autoRepair: s.autoRepair,
    // The target plan's 区分 list checks the rows (a new plan: the default list).
    planId: s.target.planId === 'new' ? null : Number(s.target.planId),
  };
}

export function commitRequest(s: ImportState) {
  const { planId, title, firstYear, lastYear, fiscalYear, createDepartments } = s.target;
  return {
    ...previewRequest(s),
    planId: planId === 'new' ? null : Number(planId),
    newPlan: planId === 'new' ? { title, firstYear, lastYear } : null,
    fiscalYear,
    createDepartments,
  };
}

/** The preview's rows that do not fit yet. */
export function flaggedRows(s: ImportState): ImportRow[] {
  return s.preview?.rows.filter((r) => r.flags.length > 0) ?? [];
}

/** The department names that would be registered as new departments. */
export function newNames(s: ImportState): NameMatch[] {
  return s.preview?.names.filter((n) => n.kind === 'new') ?? [];
}

/** The fixes in effect, to save as a file: the user's, with the automatic repairs of the preview written in as moves. */
export function fixesToSave(s: ImportState): ImportFixes {
  return fixesInEffect(s.fixes, s.autoRepair ? (s.preview?.repairs ?? []) : []);
}

/** Why the import cannot be committed yet (in the words shown beside the button), or null when it can. */
export function commitProblem(s: ImportState): string | null {
  if (s.busy === 'commit') return '取り込み中です';
  if (s.busy === 'preview') return 'プレビューを読み込み中です';
  if (!s.preview) return '先にプレビューしてください';
  // Taken once: a second click would take it again (into a new plan, a second plan of the same rows).
  if (s.result) return 'この表は取り込み済みです。もう一度取り込むときは、プレビューからやり直してください';
  const flagged = flaggedRows(s);
  if (flagged.length > 0)
    return `読み取れない行が${flagged.length}行あります（${flagged
      .slice(0, 3)
      .map((r) => `${r.line}行目`)
      .join('、')}${flagged.length > 3 ? ' ほか' : ''}）。直すか、除外してください`;
  const unregistered = newNames(s);
  if (unregistered.length > 0 && !s.target.createDepartments)
    return `登録されていない担当課があります（${unregistered
      .map((n) => n.written)
      .join('、')}）。「組織に登録されていない担当課は、新しく登録する」を選ぶか、既存の課に読み替えてください`;
  if (s.preview.rows.length === 0) return '取り込む行がありません';
  const { planId, title, firstYear, lastYear, fiscalYear } = s.target;
  if (planId === 'new') {
    if (!title.trim()) return '新しい計画の名称を入力してください';
    if (firstYear === null || lastYear === null) return '新しい計画の計画期間（開始年度と終了年度）を入力してください';
    if (lastYear < firstYear) return '計画期間の終了年度が開始年度より前です';
  }
  if (fiscalYear === null) return '取り込む回答の年度を入力してください';
  return null;
}
