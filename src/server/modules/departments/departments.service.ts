import { fiscalYearLabel } from '../../../domain/fiscal-year.js';
import type { z } from 'zod';
import { departmentDisplayName, type ReorgKind } from '../../../domain/department.js';
import type { Department, Reorganisation } from '../../../domain/api-types.js';
import type {
  departmentInput,
  departmentUpdateInput,
  reorganisationInput,
  reorganisationUpdateInput,
} from '../../../domain/schemas.js';
import type { AppContext } from '../../context.js';
import { acrossMunicipalities, inMunicipality } from '../../db/tenant.js';
import type { Db, DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { read, type Read } from '../../db/reads.js';
import { fiscalYearInJapan } from '../../../domain/effective.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanManageDepartments, assertCanRead } from '../auth/index.js';
import {
  appliedLinks,
  appliedLinksQuery,
  changeUnits,
  deleteDepartmentRows,
  departmentUsage,
  dueChangeIds,
  findChange,
  findChangeEnding,
  findDepartmentRow,
  hasRecords,
  insertChange,
  insertChangeLink,
  insertDepartmentRow,
  latestRoundYear,
  listChangeLinks,
  listChanges,
  listDepartmentRows,
  markChangeApplied,
  markChangeCancelled,
  moveActuals,
  moveAssignments,
  moveRecords,
  moveRoundDepartments,
  moveUsers,
  municipalitiesWithDueChanges,
  nextPosition,
  pendingMoves,
  updateChange,
  updateDepartmentRows,
  type DepartmentRow,
} from './departments.repository.js';
import { bumpMunicipalityPlans } from '../plans/index.js';
import { municipalityEra } from '../municipalities/index.js';
import { readJson } from '../../db/json.js';

export async function loadDepartments(db: DbOrTx, municipalityId: number): Promise<Department[]> {
  const [rows, links, era] = await Promise.all([
    listDepartmentRows(db, municipalityId),
    listChangeLinks(db, municipalityId),
    municipalityEra(db, municipalityId),
  ]);
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const changes = new Map<number, { kind: ReorgKind; effectiveYear: number; from: number[]; to: number[] }>();
  for (const l of links) {
    const c = changes.get(l.change_id) ?? {
      kind: l.kind,
      effectiveYear: l.effective_year,
      from: [],
      to: [],
    };
    if (!c.from.includes(l.from_department_id)) c.from.push(l.from_department_id);
    if (!c.to.includes(l.to_department_id)) c.to.push(l.to_department_id);
    changes.set(l.change_id, c);
  }
  return rows.map((r) => {
    const created = [...changes.values()]
      .filter((c) => c.to.includes(r.id))
      .sort((a, b) => b.effectiveYear - a.effectiveYear)[0];
    const origin = created
      ? {
          kind: created.kind,
          effectiveYear: created.effectiveYear,
          fromIds: created.from,
          fromNames: created.from.map((id) => names.get(id) ?? ''),
        }
      : null;
    const successors = [...changes.values()]
      .filter((c) => c.from.includes(r.id))
      .map((c) => ({
        kind: c.kind,
        effectiveYear: c.effectiveYear,
        toIds: c.to,
        toNames: c.to.map((id) => names.get(id) ?? ''),
      }));
    return {
      id: r.id,
      parentId: r.parent_id,
      name: r.name,
      kind: r.kind,
      activeFrom: r.active_from,
      activeTo: r.active_to,
      position: r.position,
      origin,
      successors,
      displayName: departmentDisplayName(r.name, origin, era),
    };
  });
}

export async function listDepartments(ctx: AppContext, actor: Actor, municipalityId: number): Promise<Department[]> {
  assertCanRead(actor, municipalityId);
  return loadDepartments(ctx.db, municipalityId);
}

async function checkParent(
  db: DbOrTx,
  municipalityId: number,
  parentId: number | null,
  selfId?: number,
): Promise<void> {
  if (parentId === null) return;
  const all = await listDepartmentRows(db, municipalityId);
  const byId = new Map(all.map((d) => [d.id, d]));
  if (!byId.has(parentId)) throw invalid('parentId', 'この自治体の部・課を選んでください');
  // Walk up from the new parent: meeting the unit itself would make a loop.
  for (
    let p: DepartmentRow | undefined = byId.get(parentId);
    p;
    p = p.parent_id === null ? undefined : byId.get(p.parent_id)
  )
    if (p.id === selfId) throw invalid('parentId', '自分自身やその下の課を上位にはできません');
}

function checkSpan(activeFrom: number | null, activeTo: number | null): void {
  if (activeFrom !== null && activeTo !== null && activeTo < activeFrom)
    throw invalid('activeTo', '存続終了年度は開始年度以降にしてください');
}

export async function createDepartment(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  input: z.output<typeof departmentInput>,
): Promise<Department> {
  assertCanManageDepartments(actor, municipalityId);
  checkSpan(input.activeFrom, input.activeTo);
  return ctx.db.transaction().execute(async (tx) => {
    await checkParent(tx, municipalityId, input.parentId);
    const id = await insertDepartmentRow(tx, municipalityId, {
      parent_id: input.parentId,
      name: input.name,
      kind: input.kind,
      active_from: input.activeFrom,
      active_to: input.activeTo,
      position: await nextPosition(tx, municipalityId),
    });
    await bumpMunicipalityPlans(tx, municipalityId);
    await audit(tx, actor, { municipalityId, action: 'create', entity: 'department', entityId: id, detail: input });
    return (await loadDepartments(tx, municipalityId)).find((d) => d.id === id)!;
  });
}

export async function updateDepartment(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  id: number,
  input: z.output<typeof departmentUpdateInput>,
): Promise<Department> {
  assertCanManageDepartments(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await findDepartmentRow(tx, municipalityId, id);
    if (!before) throw notFound('部・課');
    if (input.parentId !== undefined) await checkParent(tx, municipalityId, input.parentId, id);
    checkSpan(
      input.activeFrom === undefined ? before.active_from : input.activeFrom,
      input.activeTo === undefined ? before.active_to : input.activeTo,
    );
    await updateDepartmentRows(tx, [id], {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
      ...(input.activeFrom !== undefined ? { active_from: input.activeFrom } : {}),
      ...(input.activeTo !== undefined ? { active_to: input.activeTo } : {}),
    });
    await bumpMunicipalityPlans(tx, municipalityId);
    await audit(tx, actor, {
      municipalityId,
      action: 'update',
      entity: 'department',
      entityId: id,
      detail: { before, after: input },
    });
    return (await loadDepartments(tx, municipalityId)).find((d) => d.id === id)!;
  });
}

export async function deleteDepartment(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  id: number,
): Promise<void> {
  assertCanManageDepartments(actor, municipalityId);
  await ctx.db.transaction().execute(async (tx) => {
    const before = await findDepartmentRow(tx, municipalityId, id);
    if (!before) throw notFound('部・課');
    const u = await departmentUsage(tx, id);
    const reasons = [
      u.children && `下位の課が${u.children}件`,
      u.users && `所属する利用者が${u.users}人`,
      u.projects && `担当する事業が${u.projects}件`,
      u.history && '組織変更の履歴',
    ].filter(Boolean);
    if (reasons.length)
      throw conflict(
        `「${before.name}」には${reasons.join('、')}あるため削除できません。廃止する場合は存続終了年度を設定してください`,
      );
    await deleteDepartmentRows(tx, [id]);
    await bumpMunicipalityPlans(tx, municipalityId);
    await audit(tx, actor, { municipalityId, action: 'delete', entity: 'department', entityId: id, detail: before });
  });
}

/**
 * 組織変更, registered ahead and effective from a fiscal year. Registering creates the new units
 * (存続開始 = the effective year), ends the old ones the year before, and links which became which —
 * and moves nothing else. Accounts and project assignments follow a rename or merge to the new unit
 * only when the change takes effect (applyReorganisation): when a round of the effective year (or
 * later) is opened, or when that fiscal year begins, whichever is first. Until then the current
 * year's sheets, users and reports stay as they are, and the change can be edited or cancelled.
 * After a split the coordinator decides which new unit takes each project and account.
 */
export async function reorganise(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  input: z.output<typeof reorganisationInput>,
): Promise<Department[]> {
  const today = ctx.clock?.() ?? new Date();
  assertCanManageDepartments(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const from = await checkFrom(tx, municipalityId, input.fromIds, input.effectiveYear);
    const parentId = input.parentId ?? from[0]!.parent_id;
    await checkParent(tx, municipalityId, parentId);
    const t = now();
    const changeId = await insertChange(tx, {
      municipalityId,
      kind: input.kind,
      effectiveYear: input.effectiveYear,
      note: input.note,
      createdAt: t,
      previousActiveTo: JSON.stringify(Object.fromEntries(from.map((f) => [f.id, f.active_to]))),
      names: JSON.stringify({ from: from.map((f) => f.name), to: input.toNames }),
    });
    const toIds: number[] = [];
    for (const name of input.toNames)
      toIds.push(
        await insertDepartmentRow(
          tx,
          municipalityId,
          {
            parent_id: parentId,
            name,
            kind: from[0]!.kind,
            active_from: input.effectiveYear,
            active_to: null,
            position: from[0]!.position,
          },
          t,
        ),
      );
    for (const f of from) {
      await updateDepartmentRows(tx, [f.id], { active_to: input.effectiveYear - 1 });
      for (const to of toIds) await insertChangeLink(tx, municipalityId, changeId, f.id, to);
    }
    await bumpMunicipalityPlans(tx, municipalityId);
    await audit(tx, actor, {
      municipalityId,
      action: 'reorganise',
      entity: 'department_change',
      entityId: changeId,
      detail: { ...input, toIds },
    });
    // A change for a year that has already begun (or whose rounds are already open) takes effect now.
    if (input.effectiveYear <= (await dueYear(tx, municipalityId, today)))
      await applyReorganisation(tx, actor, municipalityId, changeId);
    return loadDepartments(tx, municipalityId);
  });
}

async function checkFrom(
  tx: DbOrTx,
  municipalityId: number,
  fromIds: number[],
  effectiveYear: number,
  changeId?: number,
): Promise<DepartmentRow[]> {
  const from: DepartmentRow[] = [];
  for (const fid of fromIds) {
    const d = await findDepartmentRow(tx, municipalityId, fid);
    if (!d) throw invalid('fromIds', 'この自治体の課を選んでください');
    // Another change already ends this unit (or, when editing, one other than this change).
    const other = await findChangeEnding(tx, fid, changeId);
    const era = await municipalityEra(tx, municipalityId);
    if (other)
      throw invalid(
        'fromIds',
        `「${d.name}」には${fiscalYearLabel(other.effective_year, era)}の組織変更がすでに登録されています`,
      );
    if (changeId === undefined && d.active_to !== null && d.active_to < effectiveYear)
      throw invalid(
        'fromIds',
        `「${d.name}」は${fiscalYearLabel(d.active_to, era)}で廃止されているため組織変更できません`,
      );
    if (d.active_from !== null && d.active_from >= effectiveYear)
      throw invalid('effectiveYear', `「${d.name}」の存続開始年度より後の年度を指定してください`);
    from.push(d);
  }
  return from;
}

/** The latest fiscal year whose changes are due: the year that has begun, or a later one whose round is already open. */
async function dueYear(db: DbOrTx, municipalityId: number, today: Date): Promise<number> {
  return Math.max(fiscalYearInJapan(today), (await latestRoundYear(db, municipalityId)) ?? 0);
}

/**
 * A change takes effect: after a rename or merge, the accounts of the old units belong to the new
 * one and so do the old units' project assignments (a project both old units had keeps one
 * assignment, the lead's). Records of earlier years keep pointing to the old units; their
 * successor's users read and answer them (see actingDepartments).
 */
export async function applyReorganisation(
  tx: DbOrTx,
  actor: Actor | null,
  municipalityId: number,
  changeId: number,
): Promise<void> {
  const change = await findChange(tx, municipalityId, changeId);
  if (!change || change.status !== 'scheduled') return;
  const { fromIds, toIds } = await changeUnits(tx, changeId);
  let users = 0;
  let projects = 0;
  let records = 0;
  if (change.kind !== 'split') {
    const target = toIds[0]!;
    records = await moveAnswersFrom(tx, fromIds, target, change.effective_year);
    users = await moveUsers(tx, fromIds, target);
    projects = await moveAssignments(tx, fromIds, target);
  }
  await markChangeApplied(tx, changeId);
  await bumpMunicipalityPlans(tx, municipalityId);
  await audit(tx, actor, {
    municipalityId,
    action: 'apply',
    entity: 'department_change',
    entityId: changeId,
    detail: { effectiveYear: change.effective_year, kind: change.kind, users, projects, records },
  });
}

/**
 * Answers of the effective year and later (a change registered for a year whose round has already
 * begun) belong to the new unit: its sheet shows them under its name. A project both old units
 * answered keeps the second answer under its old unit rather than losing either. Earlier years stay.
 */
async function moveAnswersFrom(tx: DbOrTx, fromIds: number[], target: number, fromYear: number): Promise<number> {
  const moved = await moveRecords(tx, fromIds, target, fromYear);
  await moveActuals(tx, fromIds, target, fromYear);
  // Rounds of those years ask the new unit.
  await moveRoundDepartments(tx, fromIds, target, fromYear);
  return moved;
}

/** Every scheduled change of a municipality effective in `fiscalYear` or before takes effect, oldest first. */
export async function applyDueReorganisations(
  tx: DbOrTx,
  actor: Actor | null,
  municipalityId: number,
  fiscalYear: number,
): Promise<number> {
  const due = await dueChangeIds(tx, municipalityId, fiscalYear);
  for (const id of due) await applyReorganisation(tx, actor, municipalityId, id);
  return due.length;
}

/** At start-up and every hour: changes whose fiscal year has begun take effect in every municipality. */
export async function applyReorganisationsDueBy(db: Db, today: Date = new Date()): Promise<number> {
  const year = fiscalYearInJapan(today);
  let applied = 0;
  // Which municipalities have changes due is asked of all of them; each applies in its own scope.
  for (const m of await acrossMunicipalities('reorganisations', () => municipalitiesWithDueChanges(db, year)))
    applied += await inMunicipality(m, () =>
      db.transaction().execute((tx) => applyDueReorganisations(tx, null, m, year)),
    );
  return applied;
}

function requireScheduled<C extends { status: string; effective_year: number }>(change: C | undefined): C {
  if (!change) throw notFound('組織変更');
  if (change.status === 'applied')
    throw conflict(`この組織変更は${change.effective_year}年度からすでに適用されているため、変更・取消しできません`);
  if (change.status === 'cancelled') throw conflict('この組織変更は取り消されています');
  return change;
}

export async function updateReorganisation(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  changeId: number,
  input: z.output<typeof reorganisationUpdateInput>,
): Promise<Department[]> {
  const today = ctx.clock?.() ?? new Date();
  assertCanManageDepartments(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const change = requireScheduled(await findChange(tx, municipalityId, changeId));
    const { fromIds, toIds } = await changeUnits(tx, changeId);
    const year = input.effectiveYear ?? change.effective_year;
    await checkFrom(tx, municipalityId, fromIds, year, changeId);
    if (input.toNames && input.toNames.length !== toIds.length)
      throw invalid(
        'toNames',
        `組織変更後の課名は${toIds.length}つ入力してください（課の数を変えるときは取り消して登録し直してください）`,
      );
    if (input.effectiveYear !== undefined) {
      await updateDepartmentRows(tx, fromIds, { active_to: year - 1 });
      await updateDepartmentRows(tx, toIds, { active_from: year });
    }
    if (input.toNames) {
      for (const [i, to] of toIds.entries()) await updateDepartmentRows(tx, [to], { name: input.toNames[i]! });
      const names = readJson.reorgNames(change.names);
      await updateChange(tx, changeId, { names: JSON.stringify({ ...names, to: input.toNames }) });
    }
    await updateChange(tx, changeId, {
      effective_year: year,
      ...(input.note !== undefined ? { note: input.note } : {}),
    });
    await bumpMunicipalityPlans(tx, municipalityId);
    await audit(tx, actor, {
      municipalityId,
      action: 'update',
      entity: 'department_change',
      entityId: changeId,
      detail: { before: { effectiveYear: change.effective_year, note: change.note }, after: input },
    });
    if (year <= (await dueYear(tx, municipalityId, today)))
      await applyReorganisation(tx, actor, municipalityId, changeId);
    return loadDepartments(tx, municipalityId);
  });
}

/** Cancels a change that has not taken effect: the new units go, the old ones get their span back. */
export async function cancelReorganisation(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  changeId: number,
  reason: string,
): Promise<Department[]> {
  assertCanManageDepartments(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const change = requireScheduled(await findChange(tx, municipalityId, changeId));
    const { toIds } = await changeUnits(tx, changeId);
    for (const id of toIds) {
      const u = await departmentUsage(tx, id);
      const records = await hasRecords(tx, id);
      const name = (await findDepartmentRow(tx, municipalityId, id))?.name ?? '';
      const reasons = [
        u.children && `下位の課${u.children}件`,
        u.users && `利用者${u.users}人`,
        u.projects && `担当する事業${u.projects}件`,
        records && '回答',
      ].filter(Boolean);
      if (reasons.length)
        throw conflict(
          `新しい「${name}」に${reasons.join('、')}が登録されているため取り消せません。先に元の課へ戻してください`,
        );
    }
    const previous = readJson.previousActiveTo(change.previous_active_to);
    for (const [id, activeTo] of Object.entries(previous))
      await updateDepartmentRows(tx, [Number(id)], { active_to: activeTo });
    await markChangeCancelled(tx, changeId, `${change.note ? `${change.note}／` : ''}取消: ${reason}`);
    await deleteDepartmentRows(tx, toIds);
    await bumpMunicipalityPlans(tx, municipalityId);
    await audit(tx, actor, {
      municipalityId,
      action: 'cancel',
      entity: 'department_change',
      entityId: changeId,
      detail: { reason, effectiveYear: change.effective_year, kind: change.kind },
    });
    return loadDepartments(tx, municipalityId);
  });
}

export async function listReorganisations(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
): Promise<Reorganisation[]> {
  assertCanRead(actor, municipalityId);
  const changes = await listChanges(ctx.db, municipalityId);
  const links = await listChangeLinks(ctx.db, municipalityId);
  const rows = await listDepartmentRows(ctx.db, municipalityId);
  const name = new Map(rows.map((r) => [r.id, r.name]));
  const out: Reorganisation[] = [];
  for (const c of changes) {
    const own = links.filter((l) => l.change_id === c.id);
    const fromIds = [...new Set(own.map((l) => l.from_department_id))];
    const toIds = [...new Set(own.map((l) => l.to_department_id))];
    const moves =
      c.status === 'scheduled' && c.kind !== 'split' ? await movesOf(ctx.db, fromIds) : { users: 0, projects: 0 };
    // A cancelled change's new units are gone: its names are read from what it said.
    const said = readJson.reorgNames(c.names);
    out.push({
      id: c.id,
      kind: c.kind,
      effectiveYear: c.effective_year,
      note: c.note,
      status: c.status,
      createdAt: c.created_at,
      appliedAt: c.applied_at,
      cancelledAt: c.cancelled_at,
      from: fromIds.length
        ? fromIds.map((id) => ({ id, name: name.get(id) ?? '' }))
        : said.from.map((n) => ({ id: null, name: n })),
      to: toIds.length
        ? toIds.map((id) => ({ id, name: name.get(id) ?? '' }))
        : said.to.map((n) => ({ id: null, name: n })),
      pendingUsers: moves.users,
      pendingProjects: moves.projects,
    });
  }
  return out;
}

async function movesOf(db: DbOrTx, fromIds: number[]): Promise<{ users: number; projects: number }> {
  if (fromIds.length === 0) return { users: 0, projects: 0 };
  return pendingMoves(db, fromIds);
}

/** What registering a change would do, for the confirmation before it is registered. */
export async function previewReorganisation(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  input: z.output<typeof reorganisationInput>,
) {
  const today = ctx.clock?.() ?? new Date();
  assertCanManageDepartments(actor, municipalityId);
  await checkFrom(ctx.db, municipalityId, input.fromIds, input.effectiveYear);
  const moves = input.kind === 'split' ? { users: 0, projects: 0 } : await movesOf(ctx.db, input.fromIds);
  return {
    effectiveYear: input.effectiveYear,
    appliesNow: input.effectiveYear <= (await dueYear(ctx.db, municipalityId, today)),
    ...moves,
  };
}

/** What changing a scheduled change's year would do: whether it would then take effect at once. */
export async function previewReorganisationUpdate(
  ctx: AppContext,
  actor: Actor,
  municipalityId: number,
  changeId: number,
  effectiveYear: number,
) {
  assertCanManageDepartments(actor, municipalityId);
  const today = ctx.clock?.() ?? new Date();
  const change = requireScheduled(await findChange(ctx.db, municipalityId, changeId));
  const { fromIds } = await changeUnits(ctx.db, changeId);
  await checkFrom(ctx.db, municipalityId, fromIds, effectiveYear, changeId);
  const moves = change.kind === 'split' ? { users: 0, projects: 0 } : await movesOf(ctx.db, fromIds);
  return { effectiveYear, appliesNow: effectiveYear <= (await dueYear(ctx.db, municipalityId, today)), ...moves };
}

/**
 * The departments a user answers for: their own and, through reorganisations that have taken
 * effect, the units it came from (a merged 課 answers the open sheets of the 課 it replaced).
 */
export async function actingDepartments(db: DbOrTx, municipalityId: number, departmentId: number): Promise<number[]> {
  return actingDepartmentsBy(departmentId, await appliedLinks(db, municipalityId));
}

/** actingDepartments as a read that can share its round trip. */
export function actingDepartmentsRead(db: DbOrTx, municipalityId: number, departmentId: number): Read<number[]> {
  return read([appliedLinksQuery(db, municipalityId)], ([links]) => actingDepartmentsBy(departmentId, links));
}

/** actingDepartments, from the municipality's applied links already read. */
export function actingDepartmentsBy(
  departmentId: number,
  links: { from_department_id: number; to_department_id: number }[],
): number[] {
  const out = [departmentId];
  for (let i = 0; i < out.length; i++)
    for (const l of links)
      if (l.to_department_id === out[i] && !out.includes(l.from_department_id)) out.push(l.from_department_id);
  return out;
}
