import type { AnswerEntryDto, IndicatorDto, RecordDto } from '../../lib/types.js';
import type { CustomValues } from '../../../domain/plan-fields.js';
import { readActual } from '../../../domain/cycle-terms.js';
import { actualDraftsOf, type ActualDraft } from './actual-draft.js';
import { canonicalEntries, entryField, findEntry, type EntryRef } from './sheet-evaluation.js';

/**
 * The state of one record being edited, as a pure reducer: what is on screen (`draft`) belongs to
 * the user until it is saved or they discard it. A save never replaces the draft with what the
 * server answered — it only moves `base` (the last version the server acknowledged) forward, so
 * text typed while a save was under way stays and is saved next. A newer version from the server
 * replaces the draft only when the user has nothing unsaved; otherwise it is a conflict that the
 * user resolves field by field.
 */

export interface Draft {
  planText: string;
  resultText: string;
  remarks: string;
  nextYearPlan: string;
  sameAsDepartmentId: number | null;
  /** the plan's extra fields on answers, as typed */
  custom: CustomValues;
  actuals: ActualDraft[];
  /** the department's evaluations of the answer and its lines, in one order, empty ones left out */
  entries: AnswerEntryDto[];
}

export type Status = 'idle' | 'dirty' | 'saving' | 'saved' | 'error' | 'conflict';

export interface EditState {
  /** the server's version the draft was last reconciled with */
  base: RecordDto;
  draft: Draft;
  /** the draft as sent by the save under way */
  sent: Draft | null;
  status: Status;
  error: unknown;
  savedAt: string | null;
  /** the server's current record when it changed under the user's unsaved input */
  theirs: RecordDto | null;
}

export type EditEvent =
  | { type: 'edit'; patch: Partial<Draft> }
  | { type: 'saveStarted'; draft: Draft }
  /** restart the autosave delay (after an IME composition), or retry after a refused save */
  | { type: 'touch' }
  | { type: 'saveSucceeded'; record: RecordDto; at: string }
  | { type: 'saveFailed'; error: unknown }
  | { type: 'conflict'; theirs: RecordDto }
  /** the sheet was read again: the record as the server holds it now */
  | { type: 'server'; record: RecordDto }
  /** resolve a conflict: the merged draft, to be saved over `theirs` */
  | { type: 'merge'; draft: Draft }
  /** resolve a conflict: throw away one's own input and take theirs */
  | { type: 'takeTheirs' };

export function draftOf(r: RecordDto, indicators: IndicatorDto[]): Draft {
  return {
    planText: r.planText,
    resultText: r.resultText,
    remarks: r.remarks,
    nextYearPlan: r.nextYearPlan,
    sameAsDepartmentId: r.sameAsDepartmentId,
    custom: r.custom,
    actuals: actualDraftsOf(indicators, r.actuals),
    entries: canonicalEntries(r.entries),
  };
}

/**
 * The draft as the server stores it: an actual typed as a bare number is kept with its indicator's unit
 * (「9」 is stored 「9回」), so a draft saved as typed is no unsaved input against the record it became.
 */
export function asStored(d: Draft, indicators: IndicatorDto[]): Draft {
  return {
    ...d,
    actuals: d.actuals.map((a) => {
      const i = indicators.find((x) => x.id === a.indicatorId);
      const read = i ? readActual(a, i.kind, i.unit) : null;
      return read && !read.error && read.text !== a.text ? { ...a, text: read.text } : a;
    }),
  };
}

export function sameDraft(a: Draft, b: Draft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function initialState(record: RecordDto, indicators: IndicatorDto[]): EditState {
  return {
    base: record,
    draft: draftOf(record, indicators),
    sent: null,
    status: 'idle',
    error: null,
    savedAt: null,
    theirs: null,
  };
}

/** Unsaved input: typed and not yet acknowledged, refused by the server, or in conflict. */
export function hasUnsaved(s: EditState): boolean {
  return s.status === 'dirty' || s.status === 'saving' || s.status === 'error' || s.status === 'conflict';
}

export function reduce(indicators: IndicatorDto[]) {
  return (s: EditState, e: EditEvent): EditState => {
    switch (e.type) {
      case 'edit':
        return {
          ...s,
          draft: { ...s.draft, ...e.patch },
          status: s.status === 'conflict' ? 'conflict' : s.status === 'saving' ? 'saving' : 'dirty',
        };
      case 'touch':
        if (s.status === 'dirty') return { ...s, draft: { ...s.draft } };
        if (s.status === 'error') return { ...s, status: 'dirty', error: null };
        return s;
      case 'saveStarted':
        return { ...s, sent: e.draft, status: 'saving', error: null };
      case 'saveSucceeded': {
        const typedOn = s.sent !== null && !sameDraft(s.sent, s.draft);
        // Nothing typed meanwhile: the evaluations as stored (an entry equal to what the rule computes is not kept).
        const draft = typedOn ? s.draft : { ...s.draft, entries: canonicalEntries(e.record.entries) };
        return {
          ...s,
          base: e.record,
          draft,
          sent: null,
          status: typedOn ? 'dirty' : 'saved',
          savedAt: e.at,
          error: null,
        };
      }
      case 'saveFailed':
        return { ...s, sent: null, status: 'error', error: e.error };
      case 'conflict':
        return { ...s, sent: null, status: 'conflict', theirs: e.theirs };
      case 'server': {
        if (e.record.version <= s.base.version) return s;
        // While a save is under way its answer settles the version: a newer one is either ours or
        // will come back as a conflict.
        if (s.status === 'saving') return s;
        if (s.status === 'conflict') return { ...s, theirs: e.record };
        if (hasUnsaved(s) || !sameDraft(asStored(s.draft, indicators), draftOf(s.base, indicators)))
          return { ...s, status: 'conflict', theirs: e.record };
        return { ...s, base: e.record, draft: draftOf(e.record, indicators), status: 'idle', theirs: null };
      }
      case 'merge':
        if (!s.theirs) return s;
        return { ...s, base: s.theirs, draft: e.draft, theirs: null, status: 'dirty', error: null };
      case 'takeTheirs':
        if (!s.theirs) return s;
        return {
          ...s,
          base: s.theirs,
          draft: draftOf(s.theirs, indicators),
          theirs: null,
          status: 'idle',
          error: null,
        };
    }
  };
}

/** A field of a record that a conflict can differ in, with how to read and set it on a draft. */
export interface MergeField {
  key: string;
  label: string;
  mine: string;
  theirs: string;
  apply(d: Draft, from: Draft): Draft;
}

const show = (v: string | null): string => (v === null || v === '' ? '（空欄）' : v);

/** How a merge names what is not on the draft itself: another department, an evaluation's slot and subject. */
export interface MergeNames {
  department(id: number): string;
  entry(ref: EntryRef): string;
  /** a code with its words (B（概ね順調）) */
  code(ref: EntryRef, code: string): string;
  /** one of the plan's extra fields, by its key */
  custom(key: string): string;
}

/** Every field of a record, as a merge sees it. */
function fieldsOf(
  mine: Draft,
  theirs: Draft,
  start: Draft,
  indicators: IndicatorDto[],
  names: MergeNames,
): MergeField[] {
  const text = (key: 'planText' | 'resultText' | 'remarks' | 'nextYearPlan', label: string): MergeField => ({
    key,
    label,
    mine: show(mine[key]),
    theirs: show(theirs[key]),
    apply: (d, from) => ({ ...d, [key]: from[key] }),
  });
  const line = (a: ActualDraft | undefined) =>
    a
      ? [a.text || (a.status ?? ''), a.reason && `理由: ${a.reason}`, ...a.parts.map((p) => `${p.label} ${p.text}`)]
          .filter(Boolean)
          .join('／')
      : '';
  const sameAs = (id: number | null) => (id === null ? '（この課として回答）' : `${names.department(id)}に同じ`);
  return [
    text('planText', '事業予定'),
    text('resultText', '実績・取組状況'),
    text('remarks', '備考'),
    text('nextYearPlan', '翌年度予定'),
    {
      key: 'sameAsDepartmentId',
      label: '他の課と同じ回答',
      mine: sameAs(mine.sameAsDepartmentId),
      theirs: sameAs(theirs.sameAsDepartmentId),
      apply: (d, from) => ({ ...d, sameAsDepartmentId: from.sameAsDepartmentId }),
    },
    ...indicators.map((ind, i): MergeField => ({
      key: `actuals.${ind.id}`,
      label: `活動指標「${ind.name}」`,
      mine: show(line(mine.actuals[i])),
      theirs: show(line(theirs.actuals[i])),
      apply: (d, from) => ({ ...d, actuals: d.actuals.map((a, j) => (j === i ? from.actuals[i]! : a)) }),
    })),
    ...customFields(mine, theirs, start, names),
    ...entryFields(mine, theirs, start, names),
  ];
}

/** Each of the plan's extra fields set on either side (or before), as a field of its own. */
function customFields(mine: Draft, theirs: Draft, start: Draft, names: MergeNames): MergeField[] {
  const keys = new Set([...Object.keys(start.custom), ...Object.keys(mine.custom), ...Object.keys(theirs.custom)]);
  const value = (d: Draft, key: string) => {
    const v = d.custom[key];
    return show(v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  };
  return [...keys].map((key) => ({
    key: `custom.${key}`,
    label: names.custom(key),
    mine: value(mine, key),
    theirs: value(theirs, key),
    apply: (d, from) => {
      const next = { ...d.custom };
      const taken = from.custom[key];
      if (taken === undefined) delete next[key];
      else next[key] = taken;
      return { ...d, custom: next };
    },
  }));
}

/** Each evaluation entered on either side (or before), as a field of its own. */
function entryFields(mine: Draft, theirs: Draft, start: Draft, names: MergeNames): MergeField[] {
  const refs = new Map<string, EntryRef>();
  for (const e of [...start.entries, ...mine.entries, ...theirs.entries]) refs.set(entryField(e), e);
  const describe = (e: AnswerEntryDto | undefined) =>
    show(
      e
        ? [
            e.code === null ? '' : names.code(e, e.code),
            e.reason && `理由: ${e.reason}`,
            e.comment && `コメント: ${e.comment}`,
          ]
            .filter(Boolean)
            .join('／')
        : '',
    );
  return [...refs].map(([key, ref]) => ({
    key,
    label: names.entry(ref),
    mine: describe(findEntry(mine.entries, ref)),
    theirs: describe(findEntry(theirs.entries, ref)),
    apply: (d, from) => {
      const taken = findEntry(from.entries, ref);
      const rest = d.entries.filter((e) => entryField(e) !== key);
      return { ...d, entries: canonicalEntries(taken ? [...rest, taken] : rest) };
    },
  }));
}

/** A field's value on a draft, comparable across drafts. */
const read = (f: MergeField, d: Draft, template: Draft) => JSON.stringify(f.apply(template, d));

export interface Merge {
  /** changed by both, differently: the user chooses */
  conflicts: MergeField[];
  /** changed only by the other person: taken as they saved it */
  theirs: MergeField[];
}

/**
 * A three-way merge of the user's draft and the other person's saved record, against the version
 * the user's draft started from (`base`). A field only the other person changed takes their value;
 * a field only the user changed keeps the user's; a field both changed differently is a conflict
 * the user decides. Nothing either of them typed is dropped without being shown.
 */
export function mergeOf(
  mine: Draft,
  theirsRecord: RecordDto,
  base: RecordDto,
  indicators: IndicatorDto[],
  names: MergeNames,
): Merge {
  const theirs = draftOf(theirsRecord, indicators);
  const start = draftOf(base, indicators);
  const out: Merge = { conflicts: [], theirs: [] };
  for (const f of fieldsOf(mine, theirs, start, indicators, names)) {
    const m = read(f, mine, start);
    const t = read(f, theirs, start);
    const b = read(f, start, start);
    if (m === t || t === b) continue;
    if (m === b) out.theirs.push(f);
    else out.conflicts.push(f);
  }
  return out;
}
/** The merged draft: the user's, with the other person's changes taken in and each conflict as chosen (the user's by default). */
export function mergeDrafts(
  mine: Draft,
  theirsRecord: RecordDto,
  indicators: IndicatorDto[],
  merge: Merge,
  choice: Record<string, 'mine' | 'theirs'>,
): Draft {
  const theirs = draftOf(theirsRecord, indicators);
  let out: Draft = mine;
  for (const f of merge.theirs) out = f.apply(out, theirs);
  for (const f of merge.conflicts) if ((choice[f.key] ?? 'mine') === 'theirs') out = f.apply(out, theirs);
  return out;
}
