import type { z } from 'zod';
import type { municipalityInput, municipalityUpdateInput } from '../../../domain/schemas.js';
import type { Municipality } from '../../../domain/api-types.js';
import type { Era2019 } from '../../../domain/fiscal-year.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { now } from '../../db/util.js';
import { conflict, forbidden, notFound } from '../../http/errors.js';
import { audit } from '../audit/audit.js';
import { type Actor, assertCanRead, isAdmin } from '../auth/actor.js';

const toDto = (r: { id: number; code: string; name: string; era2019: string }): Municipality => ({
  id: r.id,
  code: r.code,
  name: r.name,
  era2019: r.era2019 === 'heisei31' ? 'heisei31' : 'reiwa1',
});

export async function listMunicipalities(ctx: AppContext, actor: Actor): Promise<Municipality[]> {
  let q = ctx.db.selectFrom('municipalities').select(['id', 'code', 'name', 'era2019']).orderBy('code');
  if (!isAdmin(actor)) q = q.where('id', '=', actor.user.municipalityId ?? -1);
  return (await q.execute()).map(toDto);
}

export async function getMunicipality(db: DbOrTx, actor: Actor, id: number): Promise<Municipality> {
  assertCanRead(actor, id);
  const row = await db
    .selectFrom('municipalities')
    .select(['id', 'code', 'name', 'era2019'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('自治体');
  return toDto(row);
}

export async function createMunicipality(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof municipalityInput>,
): Promise<Municipality> {
  if (!isAdmin(actor)) throw forbidden('自治体の登録はシステム管理者のみ行えます');
  return ctx.db.transaction().execute(async (tx) => {
    const dup = await tx.selectFrom('municipalities').select('id').where('code', '=', input.code).executeTakeFirst();
    if (dup) throw conflict(`団体コード ${input.code} の自治体はすでに登録されています`);
    const row = await tx
      .insertInto('municipalities')
      .values({ code: input.code, name: input.name, era2019: input.era2019, created_at: now() })
      .returning(['id', 'code', 'name', 'era2019'])
      .executeTakeFirstOrThrow();
    await audit(tx, actor, {
      municipalityId: row.id,
      action: 'create',
      entity: 'municipality',
      entityId: row.id,
      detail: input,
    });
    return toDto(row);
  });
}

export async function updateMunicipality(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: z.output<typeof municipalityUpdateInput>,
): Promise<Municipality> {
  if (!isAdmin(actor)) throw forbidden('自治体の設定はシステム管理者のみ変更できます');
  return ctx.db.transaction().execute(async (tx) => {
    const before = await getMunicipality(tx, actor, id);
    if (input.code && input.code !== before.code) {
      const dup = await tx.selectFrom('municipalities').select('id').where('code', '=', input.code).executeTakeFirst();
      if (dup) throw conflict(`団体コード ${input.code} の自治体はすでに登録されています`);
    }
    await tx.updateTable('municipalities').set(input).where('id', '=', id).execute();
    await audit(tx, actor, {
      municipalityId: id,
      action: 'update',
      entity: 'municipality',
      entityId: id,
      detail: { before, after: input },
    });
    return getMunicipality(tx, actor, id);
  });
}

/** How the municipality names fiscal 2019 (令和元年度 or 平成31年度), for labels the server writes. */
export async function municipalityEra(db: DbOrTx, municipalityId: number): Promise<Era2019> {
  const m = await db.selectFrom('municipalities').select('era2019').where('id', '=', municipalityId).executeTakeFirst();
  return m?.era2019 === 'heisei31' ? 'heisei31' : 'reiwa1';
}
