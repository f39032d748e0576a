import type { FieldChange } from '../../../domain/api-types.js';
import { fieldLabel } from '../../../domain/field-labels.js';

const FIELDS = ['planText', 'resultText', 'grade', 'remarks', 'nextYearPlan', 'sameAsDepartmentId'] as const;
// 'grade' is read from snapshots written before evaluations had slots of their own (see `entries` below).

const show = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);

type SnapshotActuals = Record<
  string,
  { text: string; status: string | null; reason: string; parts: unknown[]; grade?: string | null; gradeReason?: string }
>;

/** A snapshot's actuals by indicator id (none: an empty map). */
function snapshotActuals(snapshot: Record<string, unknown>): SnapshotActuals {
  // Snapshots are written by snapshot() in records.repository.ts: their actuals have this shape.
  return (snapshot.actuals ?? {}) as SnapshotActuals;
}

/** Field-by-field differences between two snapshots, actuals named by their indicator. */
export function diffSnapshots(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  indicatorNames: Map<number, string>,
  slotNames: Map<string, string> = new Map(),
  customLabels: Map<string, string> = new Map(),
): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of FIELDS)
    if (show(before[field]) !== show(after[field]))
      out.push({ field, label: fieldLabel([field]), before: show(before[field]), after: show(after[field]) });
  out.push(...customChanges(before, after, customLabels));
  const ba = snapshotActuals(before);
  const aa = snapshotActuals(after);
  for (const key of new Set([...Object.keys(ba), ...Object.keys(aa)])) {
    const describe = (a: (typeof ba)[string] | undefined) =>
      a
        ? [
            a.text,
            a.status ? `(${a.status})` : '',
            a.reason,
            a.parts.length ? JSON.stringify(a.parts) : '',
            a.grade ? `評価 ${a.grade}（${a.gradeReason ?? ''}）` : '',
          ]
            .filter(Boolean)
            .join(' ')
        : '';
    const b = describe(ba[key]);
    const c = describe(aa[key]);
    if (b !== c)
      out.push({
        field: `actuals.${key}`,
        label: `実績「${indicatorNames.get(Number(key)) ?? key}」`,
        before: b,
        after: c,
      });
  }
  return [...out, ...entryChanges(before, after, indicatorNames, slotNames)];
}

/** Changes of the plan's extra fields on the answer, named by their labels. */
function customChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  labels: Map<string, string>,
): FieldChange[] {
  // Snapshots written before answers had extra fields have none.
  const b = (before.custom ?? {}) as Record<string, unknown>;
  const a = (after.custom ?? {}) as Record<string, unknown>; // the same shape, from the same writer
  const out: FieldChange[] = [];
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)]))
    if (show(b[key]) !== show(a[key]))
      out.push({ field: `custom.${key}`, label: labels.get(key) ?? key, before: show(b[key]), after: show(a[key]) });
  return out;
}

type StoredEntries = Record<string, { code: string | null; reason: string; comment: string }>;

/** Changes of the department's evaluations: 「自己評価」 B → A, 「評価（講座開催回数）」 ◎（理由）. */
function entryChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  indicatorNames: Map<number, string>,
  slotNames: Map<string, string>,
): FieldChange[] {
  // Snapshots are written by snapshot() in records.repository.ts: their entries have this shape.
  const be = (before.entries ?? {}) as StoredEntries;
  const ae = (after.entries ?? {}) as StoredEntries; // the same shape, from the same writer
  const describe = (e: StoredEntries[string] | undefined) =>
    e ? [e.code ?? '', e.reason ? `（${e.reason}）` : '', e.comment].filter(Boolean).join(' ') : '';
  const out: FieldChange[] = [];
  for (const key of new Set([...Object.keys(be), ...Object.keys(ae)])) {
    const [slotKey = '', kind, id] = key.split('.');
    const slot = slotNames.get(slotKey) ?? slotKey;
    const label = kind === 'indicator' ? `${slot}「${indicatorNames.get(Number(id)) ?? id}」` : slot;
    if (describe(be[key]) !== describe(ae[key]))
      out.push({ field: `entries.${key}`, label, before: describe(be[key]), after: describe(ae[key]) });
  }
  return out;
}
