/**
 * The rows of a plan an import can change, as an import batch sees them (no SQL): each kind's
 * table and key, a row's fingerprint, and what changed between two readings of the plan. A batch
 * keeps what it created, what it changed (with the row before) and what it removed (the whole row),
 * and the fingerprints of the plan's rows as it left them, so that an undo can tell whether anyone
 * changed them since.
 */

export const ROW_KINDS = [
  'node',
  'project',
  'assignment',
  'indicator',
  'record',
  'target',
  'actual',
  'evaluation',
  'evaluation_version',
] as const;
export type RowKind = (typeof ROW_KINDS)[number];

export const isRowKind = (k: string): k is RowKind => ROW_KINDS.some((r) => r === k);

export type TrackedTable =
  | 'plan_nodes'
  | 'projects'
  | 'project_departments'
  | 'indicators'
  | 'records'
  | 'indicator_targets'
  | 'indicator_actuals'
  | 'evaluations'
  | 'plan_evaluation_versions';

export const KIND_SHAPE: Record<
  RowKind,
  {
    table: TrackedTable;
    key: readonly string[];
    ignore?: readonly string[];
    /**
     * columns added after imports began keeping fingerprints: counted only when set, so that a row an
     * earlier import fingerprinted, which has them empty, keeps the fingerprint it was stored with
     */
    whenSet?: readonly string[];
  }
> = {
  node: { table: 'plan_nodes', key: ['id'] },
  project: { table: 'projects', key: ['id'] },
  assignment: { table: 'project_departments', key: ['project_id', 'department_id'] },
  indicator: { table: 'indicators', key: ['id'], whenSet: ['first_year', 'last_year'] },
  record: { table: 'records', key: ['id'] },
  target: { table: 'indicator_targets', key: ['indicator_id', 'fiscal_year'] },
  actual: { table: 'indicator_actuals', key: ['id'] },
  // An evaluation is its value: who wrote it and its version move on with every write (an undo writes too).
  evaluation: {
    table: 'evaluations',
    key: ['id'],
    ignore: ['version', 'entered_by', 'entered_by_name', 'entered_at'],
  },
  evaluation_version: { table: 'plan_evaluation_versions', key: ['id'] },
};

export type RowImage = Record<string, unknown>;
/** A plan's rows by kind, each by its key. */
export type Snapshot = Record<RowKind, Map<string, RowImage>>;
/** Fingerprints of a plan's rows by kind and key. */
export type Digest = Partial<Record<RowKind, Record<string, string>>>;

export function keyOf(kind: RowKind, row: RowImage): string {
  const key = KIND_SHAPE[kind].key;
  // Most kinds are keyed by their id alone: no list to build for them.
  if (key.length === 1) return String(row[key[0]!]);
  return key.map((k) => String(row[k])).join('|');
}

/** The key columns' values of a key as `keyOf` wrote it. */
export function keyValues(kind: RowKind, key: string): Record<string, number> {
  const parts = key.split('|');
  return Object.fromEntries(KIND_SHAPE[kind].key.map((k, i) => [k, Number(parts[i])]));
}

/**
 * A 64-bit fingerprint of a row (two 32-bit multiply–xor hashes): it tells a row changed since an
 * import, not who may read it, so a cryptographic hash (7 µs a row, most of a 10,000-line commit's
 * bookkeeping) is not needed; two different rows share one with a chance of about 1 in 10^19.
 *
 * Two versions, told apart by their separator, since batches keep the fingerprints they were
 * recorded with and an undo years later compares the rows with them:
 * - 1 (`a.b`): the text `JSON.stringify([[column, value], …])`, fed piece by piece (`feed`), never
 *   built (the state after the pieces is the state after their concatenation);
 * - 2 (`a:b`, written since): per column, a code of its name, then its value with a tag of its type
 *   and, for a text, its length before its characters two to a code (so no two rows read as the same
 *   sequence), without the column names' and the escapes' characters: about a third of the steps.
 * A stored fingerprint is compared in its own version (`sameRow`).
 */
let h1 = 0;
let h2 = 0;

function feed(text: string): void {
  let a = h1;
  let b = h2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  h1 = a;
  h2 = b;
}

/** One character code into the fingerprint. */
function feedCode(c: number): void {
  h1 = Math.imul(h1 ^ c, 2654435761);
  h2 = Math.imul(h2 ^ c, 1597334677);
}

const HEX = '0123456789abcdef';
/** `\uXXXX` (lower-case hex, as JSON.stringify writes it) into the fingerprint. */
function feedUnicodeEscape(c: number): void {
  feed('\\u');
  for (let shift = 12; shift >= 0; shift -= 4) feedCode(HEX.charCodeAt((c >> shift) & 15));
}

/** Escapes JSON.stringify writes for characters below U+0020 that have a short form. */
const SHORT_ESCAPES: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

/**
 * `JSON.stringify(text)` into the fingerprint without writing it: the quotes, `\"` and `\\`, the
 * short escapes, `\u00XX` for other control characters and `\uXXXX` for a lone surrogate.
 */
function feedJsonString(text: string): void {
  feedCode(34);
  let a = h1;
  let b = h2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c !== 34 && c !== 92 && (c < 0xd800 || c > 0xdfff)) {
      a = Math.imul(a ^ c, 2654435761);
      b = Math.imul(b ^ c, 1597334677);
      continue;
    }
    h1 = a;
    h2 = b;
    if (c === 34 || c === 92) {
      feedCode(92);
      feedCode(c);
    } else if (c < 0x20) {
      const short = SHORT_ESCAPES[c];
      if (short) feed(short);
      else feedUnicodeEscape(c);
    } else {
      // A surrogate: a pair stands as it is, a lone one is escaped.
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        feedCode(c);
        feedCode(next);
        i++;
      } else feedUnicodeEscape(c);
    }
    a = h1;
    b = h2;
  }
  h1 = a;
  h2 = b;
  feedCode(34);
}

const DIGITS: number[] = [];
/** A whole number from 0 to 2^31 − 1 as its decimal digits, without writing the text. */
function feedDigits(n: number): void {
  let k = 0;
  do {
    DIGITS[k++] = 48 + (n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
  while (k > 0) feedCode(DIGITS[--k]!);
}

function fingerprint(separator: '.' | ':'): string {
  const a = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  const b = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return base36(a >>> 0) + separator + base36(b >>> 0);
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
/** `n.toString(36)` for a whole number from 0 to 2^32 − 1, written out (the general conversion is slower). */
function base36(n: number): string {
  let text = '';
  do {
    text = BASE36[n % 36]! + text;
    n = Math.floor(n / 36);
  } while (n > 0);
  return text;
}

/**
 * The columns a kind's fingerprint reads, in order, and the text before each value: found once per
 * kind and column list (rows of a kind share it), checked per row without building a key.
 */
interface Shape {
  keys: string[];
  columns: string[];
  /** version 1: the text before each value */
  prefixes: string[];
  /** version 2: a code of each column's name (FNV-1a of its characters) */
  names: number[];
  /** per column: left out of the fingerprint while empty (KIND_SHAPE's whenSet) */
  skipEmpty: boolean[];
}
const shapes = new Map<RowKind, Shape>();

function shapeOf(kind: RowKind, row: RowImage): Shape {
  const known = shapes.get(kind);
  if (known && sameKeys(known.keys, row)) return known;
  const keys = Object.keys(row);
  const ignore = new Set(KIND_SHAPE[kind].ignore ?? []);
  const columns = keys.filter((k) => !ignore.has(k)).sort();
  const whenSet = new Set(KIND_SHAPE[kind].whenSet ?? []);
  const shape = {
    keys,
    columns,
    prefixes: columns.map((k) => `[${JSON.stringify(k)},`),
    names: columns.map(nameCode),
    skipEmpty: columns.map((k) => whenSet.has(k)),
  };
  shapes.set(kind, shape);
  return shape;
}

/** Whether the row has exactly these keys, in this order (rows read by one query do). */
function sameKeys(keys: string[], row: RowImage): boolean {
  let n = 0;
  for (const k in row) if (keys[n++] !== k) return false;
  return n === keys.length;
}

/** FNV-1a of a column's name: what stands for the name in a version 2 fingerprint. */
function nameCode(name: string): number {
  let x = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) x = Math.imul(x ^ name.charCodeAt(i), 16777619);
  return x >>> 0;
}

/** Whole numbers a value of which is fed as one code (ids, years, counts). */
const isSmallWhole = (value: number) =>
  value >= 0 && value < 2 ** 31 && Number.isInteger(value) && !Object.is(value, -0);

/**
 * A text with its length before it (version 2), its UTF-16 code units two to a code (the first in the
 * high half; a last odd one alone): half the steps of one to a code, and as exact, the length fixing
 * where the text ends.
 */
function feedCounted(text: string): void {
  feedCode(text.length);
  let a = h1;
  let b = h2;
  const pairs = text.length - (text.length % 2);
  for (let i = 0; i < pairs; i += 2) {
    const c = (text.charCodeAt(i) << 16) | text.charCodeAt(i + 1);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  h1 = a;
  h2 = b;
  if (pairs < text.length) feedCode(text.charCodeAt(pairs));
}

/** Type tags of version 2. */
const TEXT = 1;
const WHOLE = 2;
const NULL = 3;
const NUMBER = 4;
const OTHER = 5;

/**
 * The fingerprint of the row's columns (those the kind does not ignore, by name, in the order of
 * their names) and values, in the current version (2): per column the code of its name, then a
 * tag — a text (1) with its length and characters, a whole number from 0 to 2^31 − 1 (2) as one
 * code, null (3), another number (4) and anything else (5) as the length and characters of the
 * number's text and of the value's JSON.
 */
export function hashOf(kind: RowKind, row: RowImage): string {
  const { columns, names, skipEmpty } = shapeOf(kind, row);
  h1 = 0x243f6a88;
  h2 = 0x85a308d3;
  for (let i = 0; i < columns.length; i++) {
    const value = row[columns[i]!];
    if (skipEmpty[i] && (value === null || value === undefined)) continue;
    feedCode(names[i]!);
    if (typeof value === 'string') {
      feedCode(TEXT);
      feedCounted(value);
    } else if (typeof value === 'number' && isSmallWhole(value)) {
      feedCode(WHOLE);
      feedCode(value);
    } else if (value === null || value === undefined) feedCode(NULL);
    else if (typeof value === 'number' || typeof value === 'bigint') {
      feedCode(NUMBER);
      feedCounted(String(value));
    } else {
      feedCode(OTHER);
      feedCounted(String(JSON.stringify(value)));
    }
  }
  return fingerprint(':');
}

/** Whether the row is the one a stored fingerprint was taken of, in the stored one's version. */
export function sameRow(kind: RowKind, row: RowImage, stored: string | undefined): boolean {
  if (stored === undefined) return false;
  return (stored.includes(':') ? hashOf(kind, row) : hashOfVersion1(kind, row)) === stored;
}

/**
 * Version 1: the fingerprint taken over the text `JSON.stringify([[column, value], …])` — fed piece
 * by piece, without building the pairs or the text. Batches recorded before version 2 keep these.
 */
function hashOfVersion1(kind: RowKind, row: RowImage): string {
  const { columns, prefixes, skipEmpty } = shapeOf(kind, row);
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
  feed('[');
  let written = 0;
  for (let i = 0; i < columns.length; i++) {
    const value = row[columns[i]!];
    if (skipEmpty[i] && (value === null || value === undefined)) continue;
    if (written++) feedCode(44);
    feed(prefixes[i]!);
    if (typeof value === 'string') feedJsonString(value);
    else if (typeof value === 'number' && isSmallWhole(value)) feedDigits(value);
    else feed(typeof value === 'number' && Number.isFinite(value) ? String(value) : JSON.stringify(value ?? null));
    feed(']');
  }
  feed(']');
  return fingerprint('.');
}

export function emptySnapshot(): Snapshot {
  const m = () => new Map<string, RowImage>();
  return {
    node: m(),
    project: m(),
    assignment: m(),
    indicator: m(),
    record: m(),
    target: m(),
    actual: m(),
    evaluation: m(),
    evaluation_version: m(),
  };
}

/**
 * The fingerprints of a snapshot's rows. A commit compares the same rows several times: it takes their
 * digest once and compares fingerprints from it (rows are not fingerprinted again, nor remembered by row).
 */
export function digestOf(s: Snapshot): Digest {
  const out: Digest = {};
  for (const kind of ROW_KINDS) {
    const hashes: Record<string, string> = {};
    for (const [key, row] of s[kind]) hashes[key] = hashOf(kind, row);
    out[kind] = hashes;
  }
  return out;
}

export interface RowChange {
  kind: RowKind;
  key: string;
  action: 'created' | 'updated' | 'removed';
  /** the row before (updated and removed rows) */
  before: RowImage | null;
}

/**
 * What changed from one reading of the plan (its rows, and their digest) to the plan's digest now:
 * rows created and updated in the order the digest holds them, then rows removed.
 */
export function diffSnapshots(before: Snapshot, was: Digest, now: Digest): RowChange[] {
  const out: RowChange[] = [];
  for (const kind of ROW_KINDS) {
    const a = was[kind] ?? {};
    const b = now[kind] ?? {};
    for (const key of Object.keys(b)) {
      const row = before[kind].get(key);
      if (!row) out.push({ kind, key, action: 'created', before: null });
      else if (a[key] !== b[key]) out.push({ kind, key, action: 'updated', before: row });
    }
    for (const [key, row] of before[kind])
      if (b[key] === undefined) out.push({ kind, key, action: 'removed', before: row });
  }
  return out;
}

/** The keys whose rows differ between a digest and the plan now: changed, added or gone, by kind. */
export function changedSince(stored: Digest, now: Snapshot): Partial<Record<RowKind, string[]>> {
  const out: Partial<Record<RowKind, string[]>> = {};
  for (const kind of ROW_KINDS) {
    const was = stored[kind] ?? {};
    const keys = new Set([...Object.keys(was), ...now[kind].keys()]);
    const changed = [...keys].filter((key) => {
      const row = now[kind].get(key);
      return row ? !sameRow(kind, row, was[key]) : was[key] !== undefined;
    });
    if (changed.length) out[kind] = changed;
  }
  return out;
}

/** How a kind is named in messages. */
export const KIND_LABELS: Record<RowKind, { name: string; counter: string }> = {
  node: { name: '体系の項目', counter: '件' },
  project: { name: '事業', counter: '件' },
  assignment: { name: '担当課の割当て', counter: '件' },
  indicator: { name: '活動指標', counter: '件' },
  record: { name: '回答', counter: '件' },
  target: { name: '目標値', counter: '件' },
  actual: { name: '実績値', counter: '件' },
  evaluation: { name: '評価', counter: '件' },
  evaluation_version: { name: '評価の設定', counter: '件' },
};
