import type { DbOrTx } from '../../db/types.js';
import type { Era2019Code } from '../../../domain/enums.js';
import { now } from '../../db/util.js';

const columns = ['id', 'code', 'name', 'era2019'] as const;

export interface MunicipalityRow {
  id: number;
  code: string;
  name: string;
  era2019: Era2019Code;
}

/** Every municipality by code, or only the one given. */
export function listMunicipalityRows(db: DbOrTx, onlyId?: number): Promise<MunicipalityRow[]> {
  let q = db.selectFrom('municipalities').select(columns).orderBy('code');
  if (onlyId !== undefined) q = q.where('id', '=', onlyId);
  return q.execute();
}

export function findMunicipalityRow(db: DbOrTx, id: number): Promise<MunicipalityRow | undefined> {
  return db.selectFrom('municipalities').select(columns).where('id', '=', id).executeTakeFirst();
}

export async function codeTaken(db: DbOrTx, code: string): Promise<boolean> {
  return (await db.selectFrom('municipalities').select('id').where('code', '=', code).executeTakeFirst()) !== undefined;
}

export function insertMunicipality(
  db: DbOrTx,
  values: { code: string; name: string; era2019: Era2019Code },
): Promise<MunicipalityRow> {
  return db
    .insertInto('municipalities')
    .values({ ...values, created_at: now() })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

export async function updateMunicipalityRow(
  db: DbOrTx,
  id: number,
  values: { code?: string; name?: string; era2019?: Era2019Code },
): Promise<void> {
  await db.updateTable('municipalities').set(values).where('id', '=', id).execute();
}

export async function findEra(db: DbOrTx, municipalityId: number): Promise<Era2019Code | undefined> {
  const m = await db.selectFrom('municipalities').select('era2019').where('id', '=', municipalityId).executeTakeFirst();
  return m?.era2019;
}
