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
import type { Db, DbOrTx } from '../../db/types.js';
import { now, toNumber } from '../../db/util.js';
import { fiscalYearInJapan } from '../../../domain/effective.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanManageDepartments, assertCanRead } from '../auth/index.js';
import {
  departmentUsage,
  findDepartmentRow,
  listChangeLinks,
  listDepartmentRows,
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
      kind: l.kind as ReorgKind,
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
    const siblings = await tx
      .selectFrom('departments')
      .select('position')
      .where('municipality_id', '=', municipalityId)
      .orderBy('position', 'desc')
      .limit(1)
      .executeTakeFirst();
    const row = await tx
      .insertInto('departments')
      .values({
        municipality_id: municipalityId,
        parent_id: input.parentId,
        name: input.name,
        kind: input.kind,
        active_from: input.activeFrom,
        active_to: input.activeTo,
        position: (siblings?.position ?? 0) + 1,
        created_at: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await bumpMunicipalityPlans(tx, municipalityId);
    await audit(tx, actor, { municipalityId, action: 'create', entity: 'department', entityId: row.id, detail: input });
    return (await loadDepartments(tx, municipalityId)).find((d) => d.id === row.id)!;
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
    await tx
      .updateTable('departments')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
        ...(input.activeFrom !== undefined ? { active_from: input.activeFrom } : {}),
        ...(input.activeTo !== undefined ? { active_to: input.activeTo } : {}),
      })
      .where('id', '=', id)
      .execute();
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
    await tx.deleteFrom('departments').where('id', '=', id).execute();
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
    const change = await tx
      .insertInto('department_changes')
      .values({
        municipality_id: municipalityId,
        kind: input.kind,
        effective_year: input.effectiveYear,
        note: input.note,
        created_at: t,
        status: 'scheduled',
        applied_at: null,
        cancelled_at: null,
        previous_active_to: JSON.stringify(Object.fromEntries(from.map((f) => [f.id, f.active_to]))),
        names: JSON.stringify({ from: from.map((f) => f.name), to: input.toNames }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const toIds: number[] = [];
    for (const name of input.toNames) {
      const row = await tx
        .insertInto('departments')
        .values({
          municipality_id: municipalityId,
          parent_id: parentId,
          name,
          kind: from[0]!.kind,
          active_from: input.effectiveYear,
          active_to: null,
          position: from[0]!.position,
          created_at: t,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      toIds.push(row.id);
    }
    for (const f of from) {
      await tx
        .updateTable('departments')
        .set({ active_to: input.effectiveYear - 1 })
        .where('id', '=', f.id)
        .execute();
      for (const to of toIds)
        await tx
          .insertInto('department_change_links')
          .values({
            municipality_id: municipalityId,
            change_id: change.id,
            from_department_id: f.id,
            to_department_id: to,
          })
          .execute();
    }
    await bumpMunicipalityPlans(tx, municipalityId);
    await audit(tx, actor, {
      municipalityId,
      action: 'reorganise',
      entity: 'department_change',
      entityId: change.id,
      detail: { ...input, toIds },
    });
    // A change for a year that has already begun (or whose rounds are already open) takes effect now.
    if (input.effectiveYear <= (await dueYear(tx, municipalityId, today)))
      await applyReorganisation(tx, actor, municipalityId, change.id);
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
    const other = await tx
      .selectFrom('department_change_links as l')
      .innerJoin('department_changes as c', 'c.id', 'l.change_id')
      .select(['c.id', 'c.effective_year'])
      .where('l.from_department_id', '=', fid)
      .where('c.status', '!=', 'cancelled')
      .$if(changeId !== undefined, (q) => q.where('c.id', '!=', changeId!))
      .executeTakeFirst();
    if (other)
      throw invalid('fromIds', `「${d.name}」には${other.effective_year}年度の組織変更がすでに登録されています`);
    if (changeId === undefined && d.active_to !== null && d.active_to < effectiveYear)
      throw invalid('fromIds', `「${d.name}」は${d.active_to}年度で廃止されているため組織変更できません`);
    if (d.active_from !== null && d.active_from >= effectiveYear)
      throw invalid('effectiveYear', `「${d.name}」の存続開始年度より後の年度を指定してください`);
    from.push(d);
  }
  return from;
}

/** The latest fiscal year whose changes are due: the year that has begun, or a later one whose round is already open. */
async function dueYear(db: DbOrTx, municipalityId: number, today: Date): Promise<number> {
  const latest = await db
    .selectFrom('survey_rounds')
    .select((eb) => eb.fn.max('fiscal_year').as('y'))
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  return Math.max(fiscalYearInJapan(today), latest?.y === null || latest?.y === undefined ? 0 : toNumber(latest.y));
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
  const change = await tx
    .selectFrom('department_changes')
    .selectAll()
    .where('id', '=', changeId)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!change || change.status !== 'scheduled') return;
  const links = await tx
    .selectFrom('department_change_links')
    .select(['from_department_id', 'to_department_id'])
    .where('change_id', '=', changeId)
    .orderBy('id')
    .execute();
  const fromIds = [...new Set(links.map((l) => l.from_department_id))];
  const toIds = [...new Set(links.map((l) => l.to_department_id))];
  let users = 0;
  let projects = 0;
  let records = 0;
  if (change.kind !== 'split') {
    const target = toIds[0]!;
    records = await moveAnswersFrom(tx, fromIds, target, change.effective_year);
    users = Number(
      (
        await tx
          .updateTable('users')
          .set({ department_id: target })
          .where('department_id', 'in', fromIds)
          .executeTakeFirst()
      ).numUpdatedRows,
    );
    const assignments = await tx
      .selectFrom('project_departments')
      .selectAll()
      .where('department_id', 'in', fromIds)
      .orderBy('is_lead', 'desc')
      .execute();
    await tx.deleteFrom('project_departments').where('department_id', 'in', fromIds).execute();
    const seen = new Set<number>();
    for (const a of assignments) {
      if (seen.has(a.project_id)) continue;
      seen.add(a.project_id);
      const existing = await tx
        .selectFrom('project_departments')
        .select('is_lead')
        .where('project_id', '=', a.project_id)
        .where('department_id', '=', target)
        .executeTakeFirst();
      if (existing) continue;
      await tx
        .insertInto('project_departments')
        .values({ ...a, department_id: target })
        .execute();
      projects++;
    }
  }
  await tx
    .updateTable('department_changes')
    .set({ status: 'applied', applied_at: now() })
    .where('id', '=', changeId)
    .execute();
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
  let moved = 0;
  const records = await tx
    .selectFrom('records')
    .select(['id', 'project_id', 'fiscal_year'])
    .where('department_id', 'in', fromIds)
    .where('fiscal_year', '>=', fromYear)
    .execute();
  for (const r of records) {
    const taken = await tx
      .selectFrom('records')
      .select('id')
      .where('project_id', '=', r.project_id)
      .where('department_id', '=', target)
      .where('fiscal_year', '=', r.fiscal_year)
      .executeTakeFirst();
    if (taken) continue;
    await tx.updateTable('records').set({ department_id: target }).where('id', '=', r.id).execute();
    moved++;
  }
  const actuals = await tx
    .selectFrom('indicator_actuals')
    .select(['id', 'indicator_id', 'fiscal_year'])
    .where('department_id', 'in', fromIds)
    .where('fiscal_year', '>=', fromYear)
    .execute();
  for (const a of actuals) {
    const taken = await tx
      .selectFrom('indicator_actuals')
      .select('id')
      .where('indicator_id', '=', a.indicator_id)
      .where('department_id', '=', target)
      .where('fiscal_year', '=', a.fiscal_year)
      .executeTakeFirst();
    if (!taken)
      await tx.updateTable('indicator_actuals').set({ department_id: target }).where('id', '=', a.id).execute();
  }
  await tx
    .updateTable('records')
    .set({ same_as_department_id: target })
    .where('same_as_department_id', 'in', fromIds)
    .where('fiscal_year', '>=', fromYear)
    .execute();
  // Rounds of those years ask the new unit.
  const rounds = await tx
    .selectFrom('survey_round_departments as d')
    .innerJoin('survey_rounds as r', 'r.id', 'd.round_id')
    .select(['d.round_id', 'd.department_id', 'd.reopened'])
    .where('d.department_id', 'in', fromIds)
    .where('r.fiscal_year', '>=', fromYear)
    .execute();
  for (const rd of rounds) {
    const still = await tx
      .selectFrom('records')
      .select('id')
      .where('department_id', '=', rd.department_id)
      .where('fiscal_year', '>=', fromYear)
      .limit(1)
      .executeTakeFirst();
    const has = await tx
      .selectFrom('survey_round_departments')
      .select('department_id')
      .where('round_id', '=', rd.round_id)
      .where('department_id', '=', target)
      .executeTakeFirst();
    if (!has)
      await tx
        .insertInto('survey_round_departments')
        .values({
          municipality_id: (
            await tx
              .selectFrom('survey_rounds')
              .select('municipality_id')
              .where('id', '=', rd.round_id)
              .executeTakeFirstOrThrow()
          ).municipality_id,
          round_id: rd.round_id,
          department_id: target,
          reopened: rd.reopened,
        })
        .execute();
    // The old unit stays asked only while it still holds an answer of those years.
    if (!still)
      await tx
        .deleteFrom('survey_round_departments')
        .where('round_id', '=', rd.round_id)
        .where('department_id', '=', rd.department_id)
        .execute();
  }
  return moved;
}

/** Every scheduled change of a municipality effective in `fiscalYear` or before takes effect, oldest first. */
export async function applyDueReorganisations(
  tx: DbOrTx,
  actor: Actor | null,
  municipalityId: number,
  fiscalYear: number,
): Promise<number> {
  const due = await tx
    .selectFrom('department_changes')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('status', '=', 'scheduled')
    .where('effective_year', '<=', fiscalYear)
    .orderBy('effective_year')
    .orderBy('id')
    .execute();
  for (const c of due) await applyReorganisation(tx, actor, municipalityId, c.id);
  return due.length;
}

/** At start-up and every hour: changes whose fiscal year has begun take effect in every municipality. */
export async function applyReorganisationsDueBy(db: Db, today: Date = new Date()): Promise<number> {
  const year = fiscalYearInJapan(today);
  const municipalities = await db
    .selectFrom('department_changes')
    .select('municipality_id')
    .where('status', '=', 'scheduled')
    .where('effective_year', '<=', year)
    .distinct()
    .execute();
  let applied = 0;
  for (const m of municipalities)
    applied += await db.transaction().execute((tx) => applyDueReorganisations(tx, null, m.municipality_id, year));
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
    const change = requireScheduled(
      await tx
        .selectFrom('department_changes')
        .selectAll()
        .where('id', '=', changeId)
        .where('municipality_id', '=', municipalityId)
        .executeTakeFirst(),
    );
    const links = await tx
      .selectFrom('department_change_links')
      .select(['from_department_id', 'to_department_id'])
      .where('change_id', '=', changeId)
      .orderBy('id')
      .execute();
    const fromIds = [...new Set(links.map((l) => l.from_department_id))];
    const toIds = [...new Set(links.map((l) => l.to_department_id))];
    const year = input.effectiveYear ?? change.effective_year;
    await checkFrom(tx, municipalityId, fromIds, year, changeId);
    if (input.toNames && input.toNames.length !== toIds.length)
      throw invalid(
        'toNames',
        `組織変更後の課名は${toIds.length}つ入力してください（課の数を変えるときは取り消して登録し直してください）`,
      );
    if (input.effectiveYear !== undefined) {
      await tx
        .updateTable('departments')
        .set({ active_to: year - 1 })
        .where('id', 'in', fromIds)
        .execute();
      await tx.updateTable('departments').set({ active_from: year }).where('id', 'in', toIds).execute();
    }
    if (input.toNames) {
      for (const [i, to] of toIds.entries())
        await tx.updateTable('departments').set({ name: input.toNames[i]! }).where('id', '=', to).execute();
      const names = readJson.reorgNames(change.names);
      await tx
        .updateTable('department_changes')
        .set({ names: JSON.stringify({ ...names, to: input.toNames }) })
        .where('id', '=', changeId)
        .execute();
    }
    await tx
      .updateTable('department_changes')
      .set({ effective_year: year, ...(input.note !== undefined ? { note: input.note } : {}) })
      .where('id', '=', changeId)
      .execute();
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
    const change = requireScheduled(
      await tx
        .selectFrom('department_changes')
        .selectAll()
        .where('id', '=', changeId)
        .where('municipality_id', '=', municipalityId)
        .executeTakeFirst(),
    );
    const links = await tx
      .selectFrom('department_change_links')
      .select(['from_department_id', 'to_department_id'])
      .where('change_id', '=', changeId)
      .execute();
    const toIds = [...new Set(links.map((l) => l.to_department_id))];
    for (const id of toIds) {
      const u = await departmentUsage(tx, id);
      const records = await tx
        .selectFrom('records')
        .select('id')
        .where('department_id', '=', id)
        .limit(1)
        .executeTakeFirst();
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
      await tx.updateTable('departments').set({ active_to: activeTo }).where('id', '=', Number(id)).execute();
    await tx.deleteFrom('department_change_links').where('change_id', '=', changeId).execute();
    if (toIds.length) await tx.deleteFrom('departments').where('id', 'in', toIds).execute();
    await tx
      .updateTable('department_changes')
      .set({
        status: 'cancelled',
        cancelled_at: now(),
        note: `${change.note ? `${change.note}／` : ''}取消: ${reason}`,
      })
      .where('id', '=', changeId)
      .execute();
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
  const changes = await ctx.db
    .selectFrom('department_changes')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .orderBy('effective_year', 'desc')
    .orderBy('id', 'desc')
    .execute();
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
  const [u, p] = await Promise.all([
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('department_id', 'in', fromIds)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('project_departments')
      .select((eb) => eb.fn.count('project_id').distinct().as('n'))
      .where('department_id', 'in', fromIds)
      .executeTakeFirstOrThrow(),
  ]);
  return { users: toNumber(u.n), projects: toNumber(p.n) };
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
  const change = requireScheduled(
    await ctx.db
      .selectFrom('department_changes')
      .selectAll()
      .where('id', '=', changeId)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst(),
  );
  const fromIds = [
    ...new Set(
      (
        await ctx.db
          .selectFrom('department_change_links')
          .select('from_department_id')
          .where('change_id', '=', changeId)
          .execute()
      ).map((l) => l.from_department_id),
    ),
  ];
  await checkFrom(ctx.db, municipalityId, fromIds, effectiveYear, changeId);
  const moves = change.kind === 'split' ? { users: 0, projects: 0 } : await movesOf(ctx.db, fromIds);
  return { effectiveYear, appliesNow: effectiveYear <= (await dueYear(ctx.db, municipalityId, today)), ...moves };
}

/**
 * The departments a user answers for: their own and, through reorganisations that have taken
 * effect, the units it came from (a merged 課 answers the open sheets of the 課 it replaced).
 */
export async function actingDepartments(db: DbOrTx, municipalityId: number, departmentId: number): Promise<number[]> {
  const links = await db
    .selectFrom('department_change_links as l')
    .innerJoin('department_changes as c', 'c.id', 'l.change_id')
    .select(['l.from_department_id', 'l.to_department_id'])
    .where('l.municipality_id', '=', municipalityId)
    .where('c.status', '=', 'applied')
    .execute();
  const out = [departmentId];
  for (let i = 0; i < out.length; i++)
    for (const l of links)
      if (l.to_department_id === out[i] && !out.includes(l.from_department_id)) out.push(l.from_department_id);
  return out;
}
