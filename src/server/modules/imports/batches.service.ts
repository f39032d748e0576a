import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type {
  ImportBatch,
  ImportBatchStatus,
  ImportRemovals,
  ImportRemovedRow,
  ImportUndoResult,
} from '../../../domain/api-types.js';
import { eraDateLabel, eraYearLabel } from '../../../domain/fiscal-year.js';
import type { ImportFixes } from '../../../domain/import/fixes.js';
import type { ImportMapping } from '../../../domain/import/mapping.js';
import { numberTree } from '../../../domain/numbering.js';
import type { SubjectKind } from '../../../domain/evaluation/index.js';
import type { AppContext } from '../../context.js';
import type { Database, DbOrTx } from '../../db/types.js';
import { now as timestamp } from '../../db/util.js';
import { conflict, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanEditPlans } from '../auth/index.js';
import { EMPTY_ENTRY, writeEntry, type EntryValue } from '../evaluations/index.js';
import { bumpPlan, listLevelRows, requirePlan } from '../plans/index.js';
import {
  changedSince,
  diffSnapshots,
  digestOf,
  emptySnapshot,
  hashOf,
  sameRow,
  isRowKind,
  KIND_LABELS,
  KIND_SHAPE,
  keyOf,
  keyValues,
  ROW_KINDS,
  type Digest,
  type RowChange,
  type RowImage,
  type RowKind,
  type Snapshot,
} from './batch-rows.js';
import * as repo from './imports.repository.js';

/**
 * Imports as batches: every commit of a file into a plan is recorded with its source, mapping and
 * fixes, who imported it, and what it did to each row of the plan. Importing the same source again
 * replaces it — what the earlier import created and the file no longer holds is removed (or kept,
 * saying why) — and the latest import of a plan can be undone as a whole while nothing newer
 * depends on it: the plan is then exactly as before it.
 */

type BatchRow = Selectable<Database['import_batches']>;

/** The kinds a source owns, which a re-import may remove: in the order they are removed (dependents first). */
const REMOVAL_ORDER = ['actual', 'target', 'indicator', 'record', 'assignment', 'project', 'node'] as const;
type OwnedKind = (typeof REMOVAL_ORDER)[number];
const isOwnedKind = (k: RowKind): k is OwnedKind => REMOVAL_ORDER.some((o) => o === k);

/** The rows of each owned kind that a file holds, by key. */
export type Contained = Record<OwnedKind, Set<string>>;

export const emptyContained = (): Contained => ({
  actual: new Set(),
  target: new Set(),
  indicator: new Set(),
  record: new Set(),
  assignment: new Set(),
  project: new Set(),
  node: new Set(),
});

// ---- the source

/**
 * A file by its name and the SHA-256 of its bytes; a paste by the SHA-256 of its text and, when the user
 * named it, by 「貼り付け：name」 (so that an edited paste under the same name replaces the earlier one, and
 * never a file that happens to share the name).
 */
export function sourceIdentity(
  source: { kind: 'paste'; text: string; name?: string } | { kind: 'file'; name: string; base64: string },
): { name: string; hash: string } {
  const bytes = source.kind === 'file' ? Buffer.from(source.base64, 'base64') : Buffer.from(source.text, 'utf8');
  const name = source.kind === 'file' ? source.name : source.name ? `${PASTE_PREFIX}${source.name}` : '';
  return { name, hash: sha256(bytes) };
}

/** How a named paste is recorded as a batch's source. */
export const PASTE_PREFIX = '貼り付け：';

export const sha256 = (bytes: Buffer): string => crypto.createHash('sha256').update(bytes).digest('hex');

// ---- the plan's rows

export async function readSnapshot(db: DbOrTx, planId: number, fiscalYear: number): Promise<Snapshot> {
  const reads = repo.snapshotReads(db, planId, fiscalYear);
  const rows = await Promise.all(ROW_KINDS.map((kind) => reads[kind]()));
  const s = emptySnapshot();
  ROW_KINDS.forEach((kind, i) => {
    for (const r of rows[i]!) s[kind].set(keyOf(kind, r), r);
  });
  return s;
}

/**
 * The fingerprints of a plan's rows (as `digestOf` its snapshot), read a kind at a time and not kept:
 * the digest of the plan as an import leaves it, without holding the tens of thousands of rows of a
 * large import at once.
 */
export async function readFingerprints(db: DbOrTx, planId: number, fiscalYear: number): Promise<Digest> {
  const reads = repo.snapshotReads(db, planId, fiscalYear);
  const out: Digest = {};
  for (const kind of ROW_KINDS) {
    const hashes: Record<string, string> = {};
    for (const r of await reads[kind]()) hashes[keyOf(kind, r)] = hashOf(kind, r);
    out[kind] = hashes;
  }
  return out;
}

const digestSchema = z.partialRecord(z.enum(ROW_KINDS), z.record(z.string(), z.string()));
const readDigest = (text: string): Digest => digestSchema.parse(JSON.parse(text));

/**
 * What a batch did, row by row. A batch that created its plan created every row the plan had when it
 * ended: those are the keys of its digest, not stored again one by one (70,000 rows for a 10,000-line
 * file). Batches recorded before that keep their stored rows.
 */
async function batchRows(db: DbOrTx, b: BatchRow) {
  const stored = await repo.listBatchRows(db, b.id);
  if (b.created_plan !== 1 || stored.some((r) => r.action === 'created')) return stored;
  const digest = readDigest(b.after);
  const created = ROW_KINDS.flatMap((kind) =>
    Object.keys(digest[kind] ?? {}).map((key) => ({
      kind: String(kind),
      row_key: key,
      action: 'created' as const,
      before: null,
      owned: isOwnedKind(kind) ? 1 : 0,
    })),
  );
  return [...created, ...stored];
}

const keptSchema = z.array(z.object({ kind: z.string(), label: z.string(), reason: z.string() }));
const detailSchema = z
  .object({
    file: z.object({ projects: z.number(), records: z.number() }).default({ projects: 0, records: 0 }),
    kept: keptSchema.default([]),
  })
  .loose();
const imageSchema = z.record(z.string(), z.unknown());

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** How rows are named to people: 「12 DV相談事業」, 「人権推進課」, 「Ⅰ 意識づくり」. */
async function labeller(db: DbOrTx, municipalityId: number, planId: number, ...snapshots: Snapshot[]) {
  const [departments, levels] = await Promise.all([
    repo.departmentNamesById(db, municipalityId),
    listLevelRows(db, planId),
  ]);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const find = (kind: RowKind, key: string) => {
    for (const s of snapshots) {
      const row = s[kind].get(key);
      if (row) return row;
    }
    return undefined;
  };
  const nodes = new Map<string, RowImage>();
  for (const s of [...snapshots].reverse()) for (const [k, n] of s.node) nodes.set(k, n);
  const numbers = numberTree(
    [...nodes.values()].map((n) => ({
      id: num(n.id),
      parentId: n.parent_id === null ? null : num(n.parent_id),
      depth: num(n.depth),
      position: num(n.position),
      numberOverride: n.number_override === null ? null : str(n.number_override),
      countsInNumbering: num(n.counts_in_numbering) !== 0,
    })),
    levels.map((l) => ({ style: l.numbering_style, scope: l.numbering_scope })),
  );
  const project = (id: unknown) => {
    const p = find('project', String(id));
    return p ? `${str(p.number)} ${str(p.name)}`.trim() : `事業 ${str(id)}`;
  };
  const indicator = (id: unknown) => str(find('indicator', String(id))?.name) || `指標 ${str(id)}`;
  const department = (id: unknown) => deptName.get(num(id)) ?? `担当課 ${str(id)}`;
  return {
    project,
    department,
    nodeParts(key: string) {
      const n = find('node', key);
      return { number: numbers.get(Number(key)) ?? str(n?.number_override), title: str(n?.title) };
    },
    label(kind: RowKind, key: string, image?: RowImage): string {
      const r = image ?? find(kind, key) ?? {};
      switch (kind) {
        case 'node': {
          const n = this.nodeParts(key);
          return `${n.number} ${n.title}`.trim();
        }
        case 'project':
          return project(r.id ?? key);
        case 'assignment':
        case 'record':
          return `${project(r.project_id)}（${department(r.department_id)}）`;
        case 'indicator':
          return `${indicator(r.id ?? key)}（${project(r.project_id)}）`;
        case 'target':
          return `${indicator(r.indicator_id)}の${eraYearLabel(num(r.fiscal_year))}の目標`;
        case 'actual':
          return `${indicator(r.indicator_id)}の${eraYearLabel(num(r.fiscal_year))}の実績（${department(r.department_id)}）`;
        default:
          return `${KIND_LABELS[kind].name} ${key}`;
      }
    },
  };
}

// ---- replacing the earlier import of the same source

export interface Replacement {
  previous: BatchRow;
  /** what the earlier import's rows the file no longer holds became: removed, or kept with why */
  removed: { kind: OwnedKind; key: string; label: string }[];
  kept: (ImportRemovedRow & { reason: string })[];
}

export function findReplaced(db: DbOrTx, planId: number, fiscalYear: number, source: { name: string; hash: string }) {
  return repo.findLiveBatchOfSource(db, planId, fiscalYear, source);
}

const entryOf = (row: RowImage): EntryValue => ({
  code: row.code === null ? null : str(row.code),
  level: row.level === null || row.level === undefined ? null : str(row.level),
  reason: str(row.reason),
  comment: str(row.comment),
});

function entryTarget(row: RowImage) {
  return {
    municipalityId: num(row.municipality_id),
    planId: num(row.plan_id),
    fiscalYear: num(row.fiscal_year),
    slotKey: str(row.slot_key),
    // Stored through the check of migration 010: one of the subject kinds.
    subjectKind: str(row.subject_kind) as SubjectKind,
    subjectId: num(row.subject_id),
    departmentId: num(row.department_id),
  };
}

/** What a replacement works with: the plan now, as the earlier import left it, and how rows are named. */
interface Removal {
  tx: DbOrTx;
  actor: Actor;
  scope: { municipalityId: number; planId: number; fiscalYear: number };
  current: Snapshot;
  digest: Digest;
  /** why answers of the year cannot go (fixed or published), or null */
  closed: string | null;
}

const unchangedSince = (c: Removal, kind: RowKind, key: string) => {
  const row = c.current[kind].get(key);
  return row !== undefined && sameRow(kind, row, c.digest[kind]?.[key]);
};

/** The non-empty evaluations that match, if all are as the earlier import left them; else null. */
function evaluationsOf(c: Removal, match: (e: RowImage) => boolean): string[] | null {
  const keys = [...c.current.evaluation].filter(([, e]) => match(e)).map(([k]) => k);
  return keys.every((k) => unchangedSince(c, 'evaluation', k)) ? keys : null;
}

/** Evaluations are never deleted: clearing one stores an empty value (with its history). */
async function clearEvaluations(c: Removal, keys: string[]): Promise<void> {
  for (const k of keys) {
    await writeEntry(c.tx, c.actor, entryTarget(c.current.evaluation.get(k)!), EMPTY_ENTRY, 'current');
    c.current.evaluation.delete(k);
  }
}

/** How a row goes (the write), or why it stays (the reason). */
async function howToRemove(
  c: Removal,
  kind: OwnedKind,
  key: string,
): Promise<{ reason: string } | { write: () => Promise<void> }> {
  const row = c.current[kind].get(key)!;
  const del = { write: () => repo.deleteByKey(c.tx, KIND_SHAPE[kind].table, keyValues(kind, key)) };
  if (!unchangedSince(c, kind, key)) return { reason: '前回の取り込みの後に編集されているため削除できません' };
  switch (kind) {
    case 'actual':
    case 'target':
      return del;
    case 'assignment': {
      const answered = [...c.current.record.values()].some(
        (r) => r.project_id === row.project_id && r.department_id === row.department_id,
      );
      return answered ? { reason: 'この年度の回答が残っているため削除できません' } : del;
    }
    case 'indicator': {
      const evaluations = evaluationsOf(c, (e) => e.subject_kind === 'indicator' && e.subject_id === row.id);
      if (evaluations === null || (await repo.indicatorHolds(c.tx, num(row.id))) > 0)
        return { reason: 'ほかの年度の値や評価が残っているため削除できません' };
      return {
        write: async () => {
          await clearEvaluations(c, evaluations);
          await del.write();
        },
      };
    }
    case 'record': {
      if (c.closed) return { reason: c.closed };
      const lines = new Set(
        [...c.current.indicator.values()].filter((i) => i.project_id === row.project_id).map((i) => i.id),
      );
      const evaluations = evaluationsOf(
        c,
        (e) =>
          e.department_id === row.department_id &&
          ((e.subject_kind === 'record' && e.subject_id === row.project_id) ||
            (e.subject_kind === 'indicator' && lines.has(e.subject_id))),
      );
      if (evaluations === null || (await repo.recordHolds(c.tx, num(row.id))) > 0)
        return { reason: '回答に履歴・コメント・評価の変更があるため削除できません' };
      return {
        write: async () => {
          await clearEvaluations(c, evaluations);
          await repo.deleteReleasedRecord(c.tx, {
            municipalityId: c.scope.municipalityId,
            batchId: null,
            recordId: num(row.id),
            version: num(row.version),
          });
        },
      };
    }
    case 'project': {
      const holds = await repo.projectHolds(c.tx, num(row.id));
      return Object.values(holds).some((n) => n > 0)
        ? { reason: 'ほかの年度の回答・指標・意見などが残っているため削除できません' }
        : del;
    }
    case 'node':
      return (await repo.nodeHolds(c.tx, num(row.id))) > 0
        ? { reason: '下に項目や事業が残っているため削除できません' }
        : del;
  }
}

/** The rows the earlier import owns that the new file does not hold, by kind, in the order they go. */
async function removalCandidates(c: Removal, previous: BatchRow, contained: Contained) {
  const candidates = new Map<OwnedKind, string[]>(REMOVAL_ORDER.map((k) => [k, []]));
  for (const r of await batchRows(c.tx, previous)) {
    if (r.owned !== 1 || !isRowKind(r.kind) || !isOwnedKind(r.kind)) continue;
    if (contained[r.kind].has(r.row_key) || !c.current[r.kind].has(r.row_key)) continue;
    candidates.get(r.kind)!.push(r.row_key);
  }
  // Deeper nodes first: a node goes once nothing is left under it.
  candidates.get('node')!.sort((a, b) => num(c.current.node.get(b)?.depth) - num(c.current.node.get(a)?.depth));
  return candidates;
}

/**
 * Removes what the earlier import of the same source owns and the new file no longer holds. A row
 * goes only when nobody changed it since that import, nothing else refers to it, and (answers) its
 * year is neither fixed nor published; every other row is kept and said so. The evaluations of a
 * removed answer or indicator line are cleared (evaluations are never deleted).
 */
export async function removeReplaced(
  tx: DbOrTx,
  actor: Actor,
  scope: { municipalityId: number; planId: number; fiscalYear: number },
  previous: BatchRow,
  contained: Contained,
): Promise<Replacement> {
  const current = await readSnapshot(tx, scope.planId, scope.fiscalYear);
  const names = await labeller(tx, scope.municipalityId, scope.planId, current);
  const { fixed, published } = await repo.closedYears(tx, scope.planId, [scope.fiscalYear]);
  const year = eraYearLabel(scope.fiscalYear);
  const c: Removal = {
    tx,
    actor,
    scope,
    current,
    digest: readDigest(previous.after),
    closed: fixed.length
      ? `${year}は確定済みのため削除できません`
      : published.length
        ? `${year}の報告は公表済みのため削除できません`
        : null,
  };
  const out: Replacement = { previous, removed: [], kept: [] };
  for (const [kind, keys] of await removalCandidates(c, previous, contained))
    for (const key of keys) {
      const label = names.label(kind, key);
      const how = await howToRemove(c, kind, key);
      if ('write' in how && (await repo.attempt(tx, how.write))) {
        out.removed.push({ kind, key, label });
        current[kind].delete(key);
      } else
        out.kept.push({
          kind,
          label,
          reason: 'reason' in how ? how.reason : 'ほかのデータから参照されているため削除できません',
        });
    }
  return out;
}

/** The removals as the preview and the commit answer show them. */
export async function describeRemovals(
  db: DbOrTx,
  replacement: Replacement | null,
  labels: { municipalityId: number; planId: number; before: Snapshot },
): Promise<ImportRemovals> {
  const empty: ImportRemovals = { replaces: null, projects: [], records: [], nodes: [], others: [], kept: [] };
  if (!replacement) return empty;
  const names = await labeller(db, labels.municipalityId, labels.planId, labels.before);
  const p = replacement.previous;
  const out: ImportRemovals = {
    ...empty,
    replaces: { id: p.id, sourceName: p.source_name, createdAt: p.created_at, userName: p.user_name },
    kept: replacement.kept,
  };
  for (const r of replacement.removed) {
    const row = labels.before[r.kind].get(r.key);
    if (r.kind === 'project') out.projects.push({ number: str(row?.number), name: str(row?.name) });
    else if (r.kind === 'record')
      out.records.push({ project: names.project(row?.project_id), department: names.department(row?.department_id) });
    else if (r.kind === 'node') out.nodes.push(names.nodeParts(r.key));
    else out.others.push({ kind: r.kind, label: names.label(r.kind, r.key) });
  }
  return out;
}

// ---- recording a batch

export interface BatchInput {
  municipalityId: number;
  planId: number;
  fiscalYear: number;
  source: { name: string; hash: string };
  mapping: ImportMapping;
  fixes: ImportFixes;
  createdPlan: boolean;
  before: Snapshot;
  /** the fingerprints of the plan's rows as the import left them (`readFingerprints`) */
  after: Digest;
  /** the rows the file holds (read only with a replacement: the rows of the source it still owns) */
  contained: Contained;
  replacement: Replacement | null;
  at: string;
  /** what the file holds: its projects and department answers */
  file: { projects: number; records: number };
  /** the departments the import added to the municipality, and the changes of organisation it recorded */
  departments?: { departments: number[]; changes: number[] };
}

/**
 * Writes the batch: what changed from before to after, row by row, and which rows the source owns
 * now — those it created, and those of the import it replaced that the file still holds.
 */
export async function recordBatch(tx: DbOrTx, actor: Actor, b: BatchInput): Promise<number> {
  const was = digestOf(b.before);
  const changes = diffSnapshots(b.before, was, b.after);
  const inherited = b.replacement ? await inheritedRows(tx, b.replacement.previous, b) : new Set<string>();
  const owns = (kind: RowKind, key: string, action: string) =>
    isOwnedKind(kind) && (action === 'created' || inherited.has(`${kind}|${key}`));
  // What the import did to a row of the plan as it left it (as diffSnapshots found), by its fingerprints before and after.
  const actionOf = (kind: RowKind, key: string) => {
    if (!b.before[kind].has(key)) return 'created';
    return was[kind]?.[key] === b.after[kind]?.[key] ? '' : 'updated';
  };
  const held = (kind: RowKind) => {
    if (!isOwnedKind(kind)) return 0;
    let n = 0;
    for (const key of Object.keys(b.after[kind] ?? {})) if (owns(kind, key, actionOf(kind, key))) n++;
    return n;
  };
  const tally = tallyChanges(changes);
  const count = (action: RowChange['action']) => Object.values(tally[action]).reduce((a, n) => a + n, 0);
  const byKind = (action: RowChange['action']) => tally[action];
  const id = await repo.insertBatch(tx, {
    municipality_id: b.municipalityId,
    plan_id: b.planId,
    fiscal_year: b.fiscalYear,
    source_name: b.source.name,
    source_hash: b.source.hash,
    mapping: JSON.stringify(b.mapping),
    fixes: JSON.stringify(b.fixes),
    user_id: actor.user.id,
    user_name: actor.user.displayName,
    created_at: b.at,
    created_plan: b.createdPlan ? 1 : 0,
    created_count: count('created'),
    updated_count: count('updated'),
    removed_count: count('removed'),
    detail: JSON.stringify({
      created: byKind('created'),
      updated: byKind('updated'),
      removed: byKind('removed'),
      file: b.file,
      owns: { projects: held('project'), records: held('record') },
      kept: b.replacement?.kept ?? [],
      madeDepartments: b.departments ?? { departments: [], changes: [] },
    }),
    after: JSON.stringify(b.after),
    replaced_by: null,
    replaced_at: null,
    undone_at: null,
    undone_by: null,
  });
  const row = (kind: string, key: string, action: repo.NewBatchRow['action'], before: RowImage | null) => ({
    municipality_id: b.municipalityId,
    batch_id: id,
    kind,
    row_key: key,
    action,
    before: before ? JSON.stringify(before) : null,
    owned: isRowKind(kind) && owns(kind, key, action) ? 1 : 0,
  });
  // A batch that creates its plan creates all of it: its digest names those rows (see batchRows).
  const stored = b.createdPlan ? changes.filter((c) => c.action !== 'created') : changes;
  await repo.insertBatchRows(tx, [
    ...stored.map((c) => row(c.kind, c.key, c.action, c.before)),
    // Rows the source owns that this import left as they were.
    ...[...inherited].flatMap((k) => {
      const [kind = '', ...key] = k.split('|');
      return isRowKind(kind) && actionOf(kind, key.join('|')) === '' ? [row(kind, key.join('|'), 'kept', null)] : [];
    }),
  ]);
  if (b.replacement) await repo.markReplaced(tx, b.replacement.previous.id, id, b.at);
  return id;
}

/** How many rows of each kind were created, updated and removed (kinds with none left out), in one pass. */
function tallyChanges(changes: RowChange[]): Record<RowChange['action'], Partial<Record<RowKind, number>>> {
  const out: Record<RowChange['action'], Partial<Record<RowKind, number>>> = { created: {}, updated: {}, removed: {} };
  for (const c of changes) out[c.action][c.kind] = (out[c.action][c.kind] ?? 0) + 1;
  // Kinds in their usual order, as the batch's detail has always listed them.
  for (const action of ['created', 'updated', 'removed'] as const)
    out[action] = Object.fromEntries(ROW_KINDS.flatMap((k) => (out[action][k] ? [[k, out[action][k]]] : [])));
  return out;
}

/** The rows the replaced import owned that the file still holds: the source owns them still. */
async function inheritedRows(tx: DbOrTx, previous: BatchRow, b: BatchInput): Promise<Set<string>> {
  const out = new Set<string>();
  for (const r of await batchRows(tx, previous))
    if (
      r.owned === 1 &&
      isRowKind(r.kind) &&
      isOwnedKind(r.kind) &&
      b.contained[r.kind].has(r.row_key) &&
      b.after[r.kind]?.[r.row_key] !== undefined
    )
      out.add(`${r.kind}|${r.row_key}`);
  return out;
}

// ---- the history of a plan's imports

function statusOf(b: BatchRow): ImportBatchStatus {
  return b.undone_at ? 'undone' : b.replaced_by !== null ? 'replaced' : 'live';
}

function batchDto(b: BatchRow, undoProblem: string | null): ImportBatch {
  const detail = detailSchema.parse(JSON.parse(b.detail));
  return {
    id: b.id,
    planId: b.plan_id,
    fiscalYear: b.fiscal_year,
    sourceName: b.source_name,
    createdAt: b.created_at,
    userName: b.user_name,
    createdPlan: b.created_plan === 1,
    counts: { created: b.created_count, updated: b.updated_count, removed: b.removed_count },
    file: detail.file,
    status: statusOf(b),
    replacedBy: b.replaced_by,
    undoneAt: b.undone_at,
    undoneByName: b.undone_by_name,
    undoProblem,
    kept: detail.kept.flatMap((k) => (isRowKind(k.kind) && isOwnedKind(k.kind) ? [{ ...k, kind: k.kind }] : [])),
  };
}

/** The plan's imports, newest first, each with why it cannot be undone now (null: it can; undone ones: null). */
export async function listImportBatches(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  planId: number,
): Promise<ImportBatch[]> {
  assertCanEditPlans(actor, municipalityId);
  await requirePlan(ctx.db, municipalityId, planId);
  const batches = await repo.listBatches(ctx.db, municipalityId, planId);
  const out: ImportBatch[] = [];
  for (const b of batches) out.push(batchDto(b, statusOf(b) === 'undone' ? null : await undoProblem(ctx.db, b)));
  return out;
}

// ---- undoing a batch

/** 令和8年12月6日 20:20, as the screens print a moment (in Japan). */
function when(iso: string): string {
  const j = new Date(Date.parse(iso) + 9 * 3600_000).toISOString();
  return `${eraDateLabel(j.slice(0, 10))} ${j.slice(11, 16)}`;
}

/** The years whose values the batch wrote: its own, and those of the indicator values it touched. */
async function touchedYears(db: DbOrTx, b: BatchRow, current: Snapshot): Promise<number[]> {
  const years = new Set([b.fiscal_year]);
  for (const r of await batchRows(db, b)) {
    if (r.kind !== 'actual' && r.kind !== 'target') continue;
    const image = current[r.kind].get(r.row_key) ?? (r.before ? imageSchema.parse(JSON.parse(r.before)) : undefined);
    if (image) years.add(num(image.fiscal_year));
  }
  return [...years].sort();
}

/** Why the batch cannot be undone now, or null. */
export async function undoProblem(db: DbOrTx, b: BatchRow, current?: Snapshot): Promise<string | null> {
  if (b.undone_at) return 'この取り込みはすでに取り消されています';
  if (b.replaced_by !== null)
    return 'この取り込みは、同じファイルの後の取り込みで置き換えられています。先にそちらを取り消してください';
  const later = await repo.laterLiveBatches(db, b.plan_id, b.id);
  if (later.length)
    return `この計画には、この後の取り込み（${when(later[0]!.created_at)}${later[0]!.source_name ? ` ${later[0]!.source_name}` : ''}）があります。新しいものから順に取り消してください`;
  const now = current ?? (await readSnapshot(db, b.plan_id, b.fiscal_year));
  const { fixed, published } = await repo.closedYears(db, b.plan_id, await touchedYears(db, b, now));
  if (fixed.length) return `${fixed.map((y) => eraYearLabel(y)).join('・')}は確定済みのため、取り消せません`;
  if (published.length)
    return `${published.map((y) => eraYearLabel(y)).join('・')}の報告は公表済みのため、取り消せません`;
  const changed = changedSince(readDigest(b.after), now);
  const parts = ROW_KINDS.filter((k) => changed[k]?.length).map(
    (k) => `${changed[k]!.length}${KIND_LABELS[k].counter}の${KIND_LABELS[k].name}`,
  );
  if (parts.length)
    return `この取り込みの後に ${parts.join('、')}が編集されています。取り消すとその編集が失われるため、取り消せません`;
  return null;
}

/** The order rows are put back in: parents first. */
const RESTORE_ORDER: RowKind[] = [
  'node',
  'project',
  'assignment',
  'indicator',
  'record',
  'target',
  'actual',
  'evaluation_version',
];

/**
 * Undoes the plan's latest import as a whole: rows it removed are put back as they were, rows it
 * changed get their values before it, rows it created are removed, evaluations it wrote are written
 * back (as new versions: evaluations keep their history). Refused, saying why, while anything newer
 * depends on it.
 */
export async function undoImportBatch(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  batchId: number,
): Promise<ImportUndoResult> {
  assertCanEditPlans(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    return undoIn(tx);
  });
  async function undoIn(tx: DbOrTx) {
    const b = await repo.findBatch(tx, municipalityId, batchId);
    if (!b) throw notFound('取り込み');
    const current = await readSnapshot(tx, b.plan_id, b.fiscal_year);
    const problem = await undoProblem(tx, b, current);
    if (problem) throw conflict(problem);
    const rows = (await batchRows(tx, b)).filter((r) => isRowKind(r.kind) && r.action !== 'kept');
    const before = (r: { before: string | null }) => (r.before ? imageSchema.parse(JSON.parse(r.before)) : null);
    const depth = (r: { kind: string; row_key: string; before: string | null }) =>
      num((r.kind === 'node' ? (current.node.get(r.row_key) ?? before(r)) : null)?.depth ?? 0);
    const of = (kind: RowKind, action: string) => rows.filter((r) => r.kind === kind && r.action === action);
    const counts = { removed: 0, restored: 0, reinserted: 0 };
    const remove = async (kinds: RowKind[]) => {
      for (const kind of kinds)
        for (const r of of(kind, 'created').sort((x, y) => depth(y) - depth(x))) {
          const row = current[kind].get(r.row_key);
          if (!row) continue;
          if (kind === 'record')
            await repo.deleteReleasedRecord(tx, {
              municipalityId,
              batchId: b.id,
              recordId: num(row.id),
              version: num(row.version),
            });
          else await repo.deleteByKey(tx, KIND_SHAPE[kind].table, keyValues(kind, r.row_key));
          counts.removed++;
        }
    };
    // Values first (a value written anew took the place of the one removed), then what was removed comes
    // back parents first, changed rows get their values before, evaluations are written back, and what
    // the import created goes, dependents first.
    await remove(['actual', 'target']);
    for (const kind of RESTORE_ORDER)
      for (const r of of(kind, 'removed').sort((x, y) => depth(x) - depth(y))) {
        await repo.insertImage(tx, KIND_SHAPE[kind].table, before(r)!);
        counts.reinserted++;
      }
    for (const kind of RESTORE_ORDER)
      for (const r of of(kind, 'updated')) {
        await repo.updateImage(tx, KIND_SHAPE[kind].table, keyValues(kind, r.row_key), before(r)!);
        counts.restored++;
      }
    for (const r of rows.filter((x) => x.kind === 'evaluation')) {
      const image = current.evaluation.get(r.row_key) ?? before(r)!;
      const was = before(r);
      await writeEntry(tx, actor, entryTarget(image), was ? entryOf(was) : EMPTY_ENTRY, 'current');
      counts.restored++;
    }
    await remove(['indicator', 'record', 'assignment', 'project', 'node']);
    const departments = await removeMadeDepartments(tx, municipalityId, b);
    const at = timestamp();
    await repo.markUndone(tx, b.id, { id: actor.user.id, name: actor.user.displayName }, at);
    await bumpPlan(tx, b.plan_id);
    await audit(tx, actor, {
      municipalityId,
      action: 'undo',
      entity: 'import_batch',
      entityId: b.id,
      detail: { planId: b.plan_id, fiscalYear: b.fiscal_year, source: b.source_name, ...counts, departments },
    });
    const after = await repo.findBatch(tx, municipalityId, b.id);
    return { batch: batchDto(after!, null), restored: counts, departments };
  }
}

/**
 * The departments an import added to the municipality go with it, and the changes of organisation it
 * recorded: unless something else uses a department by now (a user, another plan's answers, a round),
 * which keeps it, named in the result. Batches recorded before this was kept list none.
 */
async function removeMadeDepartments(
  tx: DbOrTx,
  municipalityId: number,
  b: BatchRow,
): Promise<{ removed: number; kept: string[] }> {
  const made = madeDepartmentsOf(b.detail);
  for (const changeId of [...made.changes].reverse()) await repo.deleteDepartmentChange(tx, municipalityId, changeId);
  const out: { removed: number; kept: string[] } = { removed: 0, kept: [] };
  const names = new Map((await repo.departmentNamesById(tx, municipalityId)).map((d) => [d.id, d.name]));
  for (const id of [...made.departments].reverse()) {
    const name = names.get(id);
    if (name === undefined) continue;
    if (await repo.deleteDepartmentIfUnused(tx, municipalityId, id)) out.removed++;
    else out.kept.push(name);
  }
  return out;
}

const madeDepartments = z
  .object({ departments: z.array(z.number().int()), changes: z.array(z.number().int()) })
  .catch({ departments: [], changes: [] });

function madeDepartmentsOf(detail: string): { departments: number[]; changes: number[] } {
  const parsed = z.object({ madeDepartments: madeDepartments.optional() }).safeParse(JSON.parse(detail));
  return (parsed.success ? parsed.data.madeDepartments : undefined) ?? { departments: [], changes: [] };
}

export type { BatchRow };
