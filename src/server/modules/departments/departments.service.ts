import type { z } from 'zod';
import { departmentDisplayName, type DepartmentKind, type ReorgKind } from '../../../domain/department.js';
import type { Department } from '../../../domain/api-types.js';
import type { departmentInput, departmentUpdateInput, reorganisationInput } from '../../../domain/schemas.js';
import type { AppContext } from '../../app.js';
import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { conflict, invalid, notFound } from '../../http/errors.js';
import { audit } from '../audit/audit.js';
import { type Actor, assertCanManageDepartments, assertCanRead } from '../auth/actor.js';
import { departmentUsage, findDepartmentRow, listChangeLinks, listDepartmentRows, type DepartmentRow } from './departments.repository.js';
import { bumpMunicipalityPlans } from '../rounds/sheet-cache.js';
import { municipalityEra } from '../municipalities/municipalities.service.js';


export async function loadDepartments(db: DbOrTx, municipalityId: number): Promise<Department[]> {
  const [rows, links, era] = await Promise.all([listDepartmentRows(db, municipalityId), listChangeLinks(db, municipalityId), municipalityEra(db, municipalityId)]);
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const changes = new Map<number, { kind: ReorgKind; effectiveYear: number; from: number[]; to: number[] }>();
  for (const l of links) {
    const c = changes.get(l.change_id) ?? { kind: l.kind as ReorgKind, effectiveYear: l.effective_year, from: [], to: [] };
    if (!c.from.includes(l.from_department_id)) c.from.push(l.from_department_id);
    if (!c.to.includes(l.to_department_id)) c.to.push(l.to_department_id);
    changes.set(l.change_id, c);
  }
  return rows.map((r) => {
    const created = [...changes.values()].filter((c) => c.to.includes(r.id)).sort((a, b) => b.effectiveYear - a.effectiveYear)[0];
    const origin = created
      ? { kind: created.kind, effectiveYear: created.effectiveYear, fromIds: created.from, fromNames: created.from.map((id) => names.get(id) ?? '') }
      : null;
    const successors = [...changes.values()]
      .filter((c) => c.from.includes(r.id))
      .map((c) => ({ kind: c.kind, effectiveYear: c.effectiveYear, toIds: c.to, toNames: c.to.map((id) => names.get(id) ?? '') }));
    return {
      id: r.id,
      parentId: r.parent_id,
      name: r.name,
      kind: r.kind as DepartmentKind,
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

async function checkParent(db: DbOrTx, municipalityId: number, parentId: number | null, selfId?: number): Promise<void> {
  if (parentId === null) return;
  const all = await listDepartmentRows(db, municipalityId);
  const byId = new Map(all.map((d) => [d.id, d]));
  if (!byId.has(parentId)) throw invalid('parentId', 'この自治体の部・課を選んでください');
  // Walk up from the new parent: meeting the unit itself would make a loop.
  for (let p: DepartmentRow | undefined = byId.get(parentId); p; p = p.parent_id === null ? undefined : byId.get(p.parent_id))
    if (p.id === selfId) throw invalid('parentId', '自分自身やその下の課を上位にはできません');
}

function checkSpan(activeFrom: number | null, activeTo: number | null): void {
  if (activeFrom !== null && activeTo !== null && activeTo < activeFrom) throw invalid('activeTo', '存続終了年度は開始年度以降にしてください');
}

export async function createDepartment(ctx: AppContext, actor: Actor, municipalityId: number, input: z.output<typeof departmentInput>): Promise<Department> {
  assertCanManageDepartments(actor, municipalityId);
  checkSpan(input.activeFrom, input.activeTo);
  return ctx.db.transaction().execute(async (tx) => {
    await checkParent(tx, municipalityId, input.parentId);
    const siblings = await tx.selectFrom('departments').select('position').where('municipality_id', '=', municipalityId).orderBy('position', 'desc').limit(1).executeTakeFirst();
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
    checkSpan(input.activeFrom === undefined ? before.active_from : input.activeFrom, input.activeTo === undefined ? before.active_to : input.activeTo);
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
    await audit(tx, actor, { municipalityId, action: 'update', entity: 'department', entityId: id, detail: { before, after: input } });
    return (await loadDepartments(tx, municipalityId)).find((d) => d.id === id)!;
  });
}

export async function deleteDepartment(ctx: AppContext, actor: Actor, municipalityId: number, id: number): Promise<void> {
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
      throw conflict(`「${before.name}」には${reasons.join('、')}あるため削除できません。廃止する場合は存続終了年度を設定してください`);
    await tx.deleteFrom('departments').where('id', '=', id).execute();
    await bumpMunicipalityPlans(tx, municipalityId);
    await audit(tx, actor, { municipalityId, action: 'delete', entity: 'department', entityId: id, detail: before });
  });
}

/**
 * 組織変更: the old units end the year before `effectiveYear`, new units begin in it, and links
 * record which became which. Records of earlier years keep pointing to the old units; current
 * project assignments and accounts follow a rename or merge to the new unit. After a split the
 * coordinator decides which new unit takes each project, so those stay where they were.
 */
export async function reorganise(ctx: AppContext, actor: Actor, municipalityId: number, input: z.output<typeof reorganisationInput>): Promise<Department[]> {
  assertCanManageDepartments(actor, municipalityId);
  return ctx.db.transaction().execute(async (tx) => {
    const from: DepartmentRow[] = [];
    for (const fid of input.fromIds) {
      const d = await findDepartmentRow(tx, municipalityId, fid);
      if (!d) throw invalid('fromIds', 'この自治体の課を選んでください');
      if (d.active_to !== null && d.active_to < input.effectiveYear)
        throw invalid('fromIds', `「${d.name}」は${d.active_to}年度で廃止されているため組織変更できません`);
      if (d.active_from !== null && d.active_from >= input.effectiveYear)
        throw invalid('effectiveYear', `「${d.name}」の存続開始年度より後の年度を指定してください`);
      from.push(d);
    }
    const parentId = input.parentId ?? from[0]!.parent_id;
    await checkParent(tx, municipalityId, parentId);
    const change = await tx
      .insertInto('department_changes')
      .values({ municipality_id: municipalityId, kind: input.kind, effective_year: input.effectiveYear, note: input.note, created_at: now() })
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
          created_at: now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      toIds.push(row.id);
    }
    for (const f of from) {
      await tx.updateTable('departments').set({ active_to: input.effectiveYear - 1 }).where('id', '=', f.id).execute();
      for (const t of toIds)
        await tx.insertInto('department_change_links').values({ municipality_id: municipalityId, change_id: change.id, from_department_id: f.id, to_department_id: t }).execute();
    }
    if (input.kind !== 'split') {
      const target = toIds[0]!;
      await tx.updateTable('users').set({ department_id: target }).where('department_id', 'in', input.fromIds).execute();
      const assignments = await tx.selectFrom('project_departments').selectAll().where('department_id', 'in', input.fromIds).orderBy('is_lead', 'desc').execute();
      await tx.deleteFrom('project_departments').where('department_id', 'in', input.fromIds).execute();
      const seen = new Set<number>();
      for (const a of assignments) {
        if (seen.has(a.project_id)) continue;
        seen.add(a.project_id);
        const existing = await tx.selectFrom('project_departments').select('is_lead').where('project_id', '=', a.project_id).where('department_id', '=', target).executeTakeFirst();
        if (existing) continue;
        await tx.insertInto('project_departments').values({ ...a, department_id: target }).execute();
      }
    }
    await bumpMunicipalityPlans(tx, municipalityId);
    await audit(tx, actor, { municipalityId, action: 'reorganise', entity: 'department', entityId: change.id, detail: { ...input, toIds } });
    return loadDepartments(tx, municipalityId);
  });
}
