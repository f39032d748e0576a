import { sql } from 'kysely';
import {
  DEFAULT_CATEGORIES,
  readCustomValues,
  type CategoryDef,
  type CustomFieldDef,
  type CustomFieldPlace,
  type CustomValues,
} from '../../../domain/plan-fields.js';
import type { DbOrTx } from '../../db/types.js';
import { readJson } from '../../db/json.js';
import { AppError, conflict, invalid } from '../../http/errors.js';

/** The plan's 区分 list and extra fields as stored. */
export function planFieldsOf(row: { categories: string; custom_fields: string }): {
  categories: CategoryDef[];
  customFields: CustomFieldDef[];
} {
  return { categories: readJson.categories(row.categories), customFields: readJson.customFields(row.custom_fields) };
}

export async function readPlanFields(db: DbOrTx, planId: number) {
  const row = await db
    .selectFrom('plans')
    .select(['categories', 'custom_fields'])
    .where('id', '=', planId)
    .executeTakeFirstOrThrow();
  return planFieldsOf(row);
}

/** How many of the plan's projects carry each 区分. */
async function categoryUse(db: DbOrTx, planId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('projects')
    .select(['category', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('plan_id', '=', planId)
    .where('category', 'is not', null)
    .groupBy('category')
    .execute();
  return new Map(rows.map((r) => [r.category ?? '', Number(r.n)]));
}

/** Whether any project or answer of the plan holds a value of the field. */
async function fieldInUse(db: DbOrTx, planId: number, def: CustomFieldDef): Promise<boolean> {
  const table = def.on === 'project' ? 'projects' : 'records';
  // The values are a JSON object per row; a key is present only when a value was stored.
  const row = await db
    .selectFrom(table)
    .select('id')
    .where('plan_id', '=', planId)
    .where(sql<boolean>`custom like ${`%${JSON.stringify(def.key)}:%`}`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A new 区分 list and field list for the plan, checked against what is stored: a 区分 that projects
 * carry cannot leave the list, a field holding values cannot be removed or change its type or place
 * (the values would be misread or lost). Returns the columns to write.
 */
export async function checkedPlanFields(
  db: DbOrTx,
  planId: number,
  input: { categories?: CategoryDef[] | undefined; customFields?: CustomFieldDef[] | undefined },
): Promise<{ categories?: string; custom_fields?: string }> {
  const before = await readPlanFields(db, planId);
  const out: { categories?: string; custom_fields?: string } = {};
  if (input.categories) {
    const use = await categoryUse(db, planId);
    for (const [code, n] of use)
      if (!input.categories.some((c) => c.code === code))
        throw conflict(`区分「${code}」は${n}件の事業に設定されているため外せません。先に事業の区分を変えてください`);
    out.categories = JSON.stringify(input.categories);
  }
  if (input.customFields) {
    for (const old of before.customFields) {
      const now = input.customFields.find((f) => f.key === old.key);
      if (now && now.type === old.type && now.on === old.on) continue;
      if (await fieldInUse(db, planId, old))
        throw conflict(
          now
            ? `追加の項目「${old.label}」には入力された値があるため、種類や入力する場所を変えられません`
            : `追加の項目「${old.label}」には入力された値があるため削除できません`,
        );
    }
    out.custom_fields = JSON.stringify(input.customFields);
  }
  return out;
}

/** A project's 区分 and extra field values, checked against the plan's lists: the columns to write. */
export async function checkedProjectFields(
  db: DbOrTx,
  planId: number,
  input: { category: string | null; custom?: Record<string, unknown> | undefined },
  storedCustom: string | null,
): Promise<{ category: string | null; custom: string }> {
  const { categories, customFields } = await readPlanFields(db, planId);
  if (input.category !== null && !categories.some((c) => c.code === input.category))
    throw invalid(
      'category',
      `区分は「${categories.map((c) => c.code).join('」「')}」から選んでください（「${input.category}」は計画の区分にありません）`,
    );
  if (input.custom === undefined) return { category: input.category, custom: storedCustom ?? '{}' };
  return { category: input.category, custom: JSON.stringify(checkedValues(customFields, 'project', input.custom)) };
}

/** Values read against the fields of one place; every problem named beside its field (`custom.<key>`). */
export function checkedValues(
  defs: CustomFieldDef[],
  on: CustomFieldPlace,
  input: Record<string, unknown>,
): CustomValues {
  const { values, problems } = readCustomValues(defs, on, input);
  if (problems.length)
    throw new AppError(
      'VALIDATION',
      problems.map((p) => p.message).join('／'),
      problems.map((p) => ({
        field: `custom.${p.key}`,
        label: defs.find((d) => d.key === p.key)?.label ?? p.key,
        message: p.message,
      })),
    );
  return values;
}

/** A plan's 区分 list and extra fields, read within the municipality (a plan not made yet: the default list, none). */
export async function planFieldsIn(db: DbOrTx, municipalityId: number, planId: number | null) {
  const row =
    planId === null
      ? undefined
      : await db
          .selectFrom('plans')
          .select(['categories', 'custom_fields'])
          .where('municipality_id', '=', municipalityId)
          .where('id', '=', planId)
          .executeTakeFirst();
  return row ? planFieldsOf(row) : { categories: DEFAULT_CATEGORIES, customFields: [] };
}

/** The extra fields of the plan's answers (for the sheet and the record save). */
export async function recordFieldsOf(db: DbOrTx, planId: number): Promise<CustomFieldDef[]> {
  return (await readPlanFields(db, planId)).customFields.filter((f) => f.on === 'record');
}
