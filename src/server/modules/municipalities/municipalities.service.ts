import type { z } from 'zod';
import type { municipalityInput, municipalityUpdateInput } from '../../../domain/schemas.js';
import type { Municipality } from '../../../domain/api-types.js';
import type { Era2019 } from '../../../domain/fiscal-year.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/types.js';
import { acrossMunicipalities } from '../../db/tenant.js';
import { conflict, forbidden, notFound } from '../../http/errors.js';
import { audit } from '../audit/index.js';
import { type Actor, assertCanRead, isAdmin } from '../auth/index.js';
import {
  codeTaken,
  findEra,
  findMunicipalityRow,
  insertMunicipality,
  listMunicipalityRows,
  updateMunicipalityRow,
  type MunicipalityRow,
} from './municipalities.repository.js';

const toDto = (r: MunicipalityRow): Municipality => ({
  id: r.id,
  code: r.code,
  name: r.name,
  era2019: r.era2019 === 'heisei31' ? 'heisei31' : 'reiwa1',
});

export async function listMunicipalities(ctx: AppContext, actor: Actor): Promise<Municipality[]> {
  // The administrator's list is of every municipality; anyone else's is their own, in its scope.
  const rows = isAdmin(actor)
    ? await acrossMunicipalities('municipality-admin', () => listMunicipalityRows(ctx.db, undefined))
    : await listMunicipalityRows(ctx.db, actor.user.municipalityId ?? -1);
  return rows.map(toDto);
}

export async function getMunicipality(db: DbOrTx, actor: Actor, id: number): Promise<Municipality> {
  assertCanRead(actor, id);
  const row = await findMunicipalityRow(db, id);
  if (!row) throw notFound('自治体');
  return toDto(row);
}

/** A municipality without a policy check: the caller has already decided (the signed-in user's own). */
export async function findMunicipality(db: DbOrTx, id: number): Promise<Municipality | null> {
  const row = await findMunicipalityRow(db, id);
  return row ? toDto(row) : null;
}

export async function createMunicipality(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof municipalityInput>,
): Promise<Municipality> {
  if (!isAdmin(actor)) throw forbidden('自治体の登録はシステム管理者のみ行えます');
  // 団体コード are unique across all, and the new municipality is no one's scope yet.
  return acrossMunicipalities('municipality-admin', () =>
    ctx.db.transaction().execute(async (tx) => {
      if (await codeTaken(tx, input.code)) throw conflict(`団体コード ${input.code} の自治体はすでに登録されています`);
      const row = await insertMunicipality(tx, { code: input.code, name: input.name, era2019: input.era2019 });
      await audit(tx, actor, {
        municipalityId: row.id,
        action: 'create',
        entity: 'municipality',
        entityId: row.id,
        detail: input,
      });
      return toDto(row);
    }),
  );
}

export async function updateMunicipality(
  ctx: AppContext,
  actor: Actor,
  id: number,
  input: z.output<typeof municipalityUpdateInput>,
): Promise<Municipality> {
  if (!isAdmin(actor)) throw forbidden('自治体の設定はシステム管理者のみ変更できます');
  // A changed 団体コード is checked against every municipality's.
  return acrossMunicipalities('municipality-admin', () =>
    ctx.db.transaction().execute(async (tx) => {
      const before = await getMunicipality(tx, actor, id);
      if (input.code && input.code !== before.code && (await codeTaken(tx, input.code)))
        throw conflict(`団体コード ${input.code} の自治体はすでに登録されています`);
      await updateMunicipalityRow(tx, id, input);
      await audit(tx, actor, {
        municipalityId: id,
        action: 'update',
        entity: 'municipality',
        entityId: id,
        detail: { before, after: input },
      });
      return getMunicipality(tx, actor, id);
    }),
  );
}

/** How the municipality names fiscal 2019 (令和元年度 or 平成31年度), for labels the server writes. */
export async function municipalityEra(db: DbOrTx, municipalityId: number): Promise<Era2019> {
  return (await findEra(db, municipalityId)) === 'heisei31' ? 'heisei31' : 'reiwa1';
}
