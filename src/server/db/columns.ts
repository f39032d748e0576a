import type { Database } from './types.js';

/**
 * Every column of a table, named, for the statements the app runs most (an autosave's, a sheet's): a
 * statement that names its columns may be prepared and kept on its connection (prepared.ts), where one with
 * `*` may not, and it reads the same columns after a migration has added one. The lists are checked against
 * the table's type: a column added there and not here fails the type check.
 */
type Columns<T extends keyof Database, L extends readonly (keyof Database[T] & string)[]> =
  Exclude<keyof Database[T], L[number]> extends never ? L : { missing: Exclude<keyof Database[T], L[number]> };

function columns<T extends keyof Database>() {
  return <const L extends readonly (keyof Database[T] & string)[]>(list: L & Columns<T, L>) => ({
    /** the columns unqualified */
    all: list,
    /** the columns of the table under an alias (`r.id`, …) */
    of: <A extends string>(alias: A) => list.map((c) => `${alias}.${c}` as const) as `${A}.${L[number]}`[],
  });
}

export const RECORD_COLUMNS = columns<'records'>()([
  'id',
  'municipality_id',
  'plan_id',
  'project_id',
  'department_id',
  'fiscal_year',
  'plan_text',
  'result_text',
  'remarks',
  'next_year_plan',
  'same_as_department_id',
  'custom',
  'is_lead',
  'position',
  'status',
  'version',
  'updated_at',
  'updated_by',
  'submitted_at',
]);

export const ACTUAL_COLUMNS = columns<'indicator_actuals'>()([
  'id',
  'municipality_id',
  'indicator_id',
  'department_id',
  'fiscal_year',
  'value',
  'text',
  'status',
  'reason',
  'parts',
]);
