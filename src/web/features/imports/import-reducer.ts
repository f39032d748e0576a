import type { ImportMapping, ImportRow, ImportSummary, RowFix } from '../../../domain/import/mapping.js';

/** What the preview answers: the source's sheets and encoding, its rows as read and as they would be stored. */
export interface Preview {
  sheets?: string[];
  encoding?: string;
  source: { line: number; cells: string[] }[];
  rows: ImportRow[];
  summary: ImportSummary;
}

export type ImportSource =
  { kind: 'paste'; text: string } | { kind: 'file'; name: string; base64: string; sheet?: string };

export interface CommitResult {
  planId: number;
  created: { nodes: number; projects: number; records: number; departments: number; indicators: number };
  updated: { records: number };
}

/** A cell of the source typed anew in the preview. */
export interface CellEdit {
  line: number;
  column: number;
  value: string;
}

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
  file: { name: string; base64: string } | null;
  sheet: string | undefined;
  /** a saved mapping's name, '__custom' for the one being set up, '' before a choice */
  mappingName: string;
  custom: ImportMapping | null;
  preview: Preview | null;
  edits: CellEdit[];
  fixes: RowFix[];
  excluded: number[];
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
  file: null,
  sheet: undefined,
  mappingName: '',
  custom: null,
  preview: null,
  edits: [],
  fixes: [],
  excluded: [],
  editing: null,
  error: null,
  busy: '',
  target: { planId: 'new', title: '', firstYear: null, lastYear: null, fiscalYear: null, createDepartments: false },
  result: null,
};

/** The corrections of the preview: each is followed by a new preview that applies it. */
export type CorrectionAction =
  | { type: 'fixAccepted'; fix: RowFix }
  | { type: 'rowExcluded'; line: number }
  | { type: 'cellsEdited'; line: number; changed: { column: number; value: string }[] };

export type ImportAction =
  | { type: 'modeChosen'; mode: 'file' | 'paste' }
  | { type: 'textPasted'; text: string }
  | { type: 'previewDiscarded' }
  | { type: 'fileChosen'; file: { name: string; base64: string } | null }
  | { type: 'sheetChosen'; sheet: string }
  | { type: 'mappingChosen'; name: string }
  | { type: 'customMappingChanged'; mapping: ImportMapping | null }
  | { type: 'invalid'; message: string }
  | { type: 'previewStarted' }
  | { type: 'previewLoaded'; preview: Preview }
  | CorrectionAction
  | { type: 'editingStarted'; line: number }
  | { type: 'editingCancelled' }
  | { type: 'targetChanged'; change: Partial<ImportTarget> }
  | { type: 'commitStarted' }
  | { type: 'committed'; result: CommitResult }
  | { type: 'failed'; error: unknown };

/** The edits with a line's changed cells in place of what was typed in them before. */
function withCellEdits(edits: CellEdit[], line: number, changed: { column: number; value: string }[]): CellEdit[] {
  return [
    ...edits.filter((e) => !(e.line === line && changed.some((c) => c.column === e.column))),
    ...changed.map((c) => ({ line, ...c })),
  ];
}

function correct(state: ImportState, action: CorrectionAction): ImportState {
  switch (action.type) {
    case 'fixAccepted':
      return { ...state, fixes: [...state.fixes, action.fix] };
    case 'rowExcluded':
      return { ...state, excluded: [...state.excluded, action.line] };
    case 'cellsEdited':
      return { ...state, edits: withCellEdits(state.edits, action.line, action.changed), editing: null };
  }
}

export function importReducer(state: ImportState, action: ImportAction): ImportState {
  switch (action.type) {
    case 'modeChosen':
      return { ...state, mode: action.mode };
    case 'textPasted':
      return { ...state, text: action.text };
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
      return { ...state, preview: action.preview, busy: '' };
    case 'fixAccepted':
    case 'rowExcluded':
    case 'cellsEdited':
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
  if (s.mode === 'paste') return s.text.trim() ? { kind: 'paste', text: s.text } : null;
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
    edits: s.edits,
    fixes: s.fixes,
    excluded: s.excluded,
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
