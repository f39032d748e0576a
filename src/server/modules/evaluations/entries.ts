import type { SubjectKind } from '../../../domain/evaluation/index.js';
import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { AppError, conflict } from '../../http/errors.js';
import type { Actor } from '../auth/index.js';
import * as repo from './evaluations.repository.js';

/**
 * Writing one evaluation entry: created at version 1 or changed at the version the writer read,
 * each change kept in the history with the value before it and the writer as named at the time.
 * Entries are never deleted: clearing one stores an empty value.
 */

export interface EntryValue {
  code: string | null;
  level: string | null;
  reason: string;
  comment: string;
}

export const EMPTY_ENTRY: EntryValue = { code: null, level: null, reason: '', comment: '' };

const sameValue = (a: EntryValue, b: EntryValue): boolean =>
  a.code === b.code && a.reason === b.reason && a.comment === b.comment;

export interface EntryTarget extends repo.EntryKey {
  municipalityId: number;
}

/**
 * Writes an entry. `readVersion` is the version the writer saw (0: none yet), or 'current' where
 * another lock already covers the write (a department's entries are written with their answer,
 * under the answer's version). Returns the entry's id and version, or null where nothing changed.
 */
export async function writeEntry(
  tx: DbOrTx,
  actor: Actor,
  target: EntryTarget,
  value: EntryValue,
  readVersion: number | 'current',
): Promise<{ id: number; version: number; before: EntryValue; enteredByName: string; enteredAt: string } | null> {
  const existing = await repo.findEntryRow(tx, target);
  const before: EntryValue = existing
    ? { code: existing.code, level: existing.level, reason: existing.reason, comment: existing.comment }
    : EMPTY_ENTRY;
  const expected = readVersion === 'current' ? (existing?.version ?? 0) : readVersion;
  if (!existing && expected !== 0)
    throw conflict('この評価は削除されたか、まだ入力されていません。画面を読み込み直してください');
  if (readVersion === 'current' && sameValue(before, value)) return null;
  const stamp = { entered_by: actor.user.id, entered_by_name: actor.user.displayName, entered_at: now() };
  let id: number;
  if (!existing) {
    id = (await repo.insertEntryRow(tx, entryRow(target, value, stamp))).id;
  } else {
    if (!(await repo.updateEntryRow(tx, existing.id, expected, { ...value, ...stamp })))
      throw new AppError(
        'CONFLICT',
        `${existing.entered_by_name || '他の利用者'}さんが先に保存しました（${existing.code ?? '評価なし'}）。内容を確認してから保存し直してください`,
      );
    id = existing.id;
  }
  const version = expected + 1;
  await repo.insertHistoryRow(tx, {
    municipality_id: target.municipalityId,
    evaluation_id: id,
    version,
    before: JSON.stringify(before),
    after: JSON.stringify(value),
    user_id: actor.user.id,
    actor_name: actor.user.displayName,
    created_at: stamp.entered_at,
  });
  return { id, version, before, enteredByName: stamp.entered_by_name, enteredAt: stamp.entered_at };
}

function entryRow(
  target: EntryTarget,
  value: EntryValue,
  stamp: { entered_by: number; entered_by_name: string; entered_at: string },
) {
  return {
    municipality_id: target.municipalityId,
    plan_id: target.planId,
    fiscal_year: target.fiscalYear,
    slot_key: target.slotKey,
    subject_kind: target.subjectKind satisfies SubjectKind,
    subject_id: target.subjectId,
    department_id: target.departmentId,
    ...value,
    version: 1,
    ...stamp,
  };
}

/**
 * Writes many entries at once (an import): those not there yet inserted in batches with their
 * history, the others one by one through writeEntry. Returns the ids of the entries written.
 */
export async function writeEntries(
  tx: DbOrTx,
  actor: Actor,
  entries: { target: EntryTarget; value: EntryValue }[],
): Promise<number[]> {
  if (entries.length === 0) return [];
  const key = (k: repo.EntryKey) =>
    `${k.planId}|${k.fiscalYear}|${k.slotKey}|${k.subjectKind}|${k.subjectId}|${k.departmentId}`;
  const existing = new Set(
    (await repo.entryKeysOf(tx, entries[0]!.target.planId, [...new Set(entries.map((e) => e.target.fiscalYear))])).map(
      (r) => key(r),
    ),
  );
  const stamp = { entered_by: actor.user.id, entered_by_name: actor.user.displayName, entered_at: now() };
  const ids: number[] = [];
  const fresh = new Map<string, { target: EntryTarget; value: EntryValue }>();
  for (const e of entries) {
    if (existing.has(key(e.target))) {
      const written = await writeEntry(tx, actor, e.target, e.value, 'current');
      if (written) ids.push(written.id);
    } else fresh.set(key(e.target), e);
  }
  const list = [...fresh.values()].filter((e) => !sameValue(EMPTY_ENTRY, e.value));
  const empty = JSON.stringify(EMPTY_ENTRY);
  for (let i = 0; i < list.length; i += 300) {
    const chunk = list.slice(i, i + 300);
    const inserted = await repo.insertEntryRows(
      tx,
      chunk.map((e) => entryRow(e.target, e.value, stamp)),
    );
    await repo.insertHistoryRows(
      tx,
      inserted.map((row, k) => ({
        municipality_id: chunk[k]!.target.municipalityId,
        evaluation_id: row.id,
        version: 1,
        before: empty,
        after: JSON.stringify(chunk[k]!.value),
        user_id: actor.user.id,
        actor_name: actor.user.displayName,
        created_at: stamp.entered_at,
      })),
    );
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}
