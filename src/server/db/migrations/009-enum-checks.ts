import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../types.js';

/**
 * The database refuses a value outside its column's closed list (roles, statuses, kinds, phases…).
 * PostgreSQL has CHECK constraints (NOT VALID: rows written before are not re-read); SQLite cannot
 * add one to an existing table, so a trigger refuses the insert or update instead. The lists are
 * written out here, as they were when this migration was made; src/domain/enums.ts holds the
 * current ones, and a later change of a list comes with its own migration.
 */
const CHECKS: { table: string; column: string; values: readonly string[] }[] = [
  {
    table: 'users',
    column: 'role',
    values: ['system_admin', 'coordinator', 'department_editor', 'department_viewer', 'council_member'],
  },
  { table: 'municipalities', column: 'era2019', values: ['heisei31', 'reiwa1'] },
  { table: 'departments', column: 'kind', values: ['bu', 'ka'] },
  { table: 'department_changes', column: 'kind', values: ['rename', 'merge', 'split'] },
  { table: 'department_changes', column: 'status', values: ['scheduled', 'applied', 'cancelled'] },
  {
    table: 'plan_levels',
    column: 'numbering_style',
    values: ['roman', 'paren', 'circled', 'arabic', 'hyphen', 'none'],
  },
  { table: 'plan_levels', column: 'numbering_scope', values: ['parent', 'plan'] },
  { table: 'indicators', column: 'kind', values: ['number', 'percentage', 'flag', 'text'] },
  { table: 'indicators', column: 'direction', values: ['higher', 'lower', 'keep', 'none'] },
  { table: 'survey_rounds', column: 'phase', values: ['start', 'mid', 'end'] },
  { table: 'survey_rounds', column: 'status', values: ['open', 'closed'] },
  { table: 'records', column: 'status', values: ['not_started', 'draft', 'submitted', 'returned', 'approved'] },
  { table: 'records', column: 'grade_source', values: ['computed', 'entered'] },
  { table: 'indicator_actuals', column: 'status', values: ['not_done', 'not_applicable', 'cancelled', 'biennial'] },
  {
    table: 'record_history',
    column: 'action',
    values: ['create', 'save', 'submit', 'return', 'approve', 'reopen', 'rollover', 'undo', 'import'],
  },
  { table: 'record_comments', column: 'kind', values: ['review', 'return', 'note'] },
];

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  for (const c of CHECKS) {
    const name = `${c.table}_${c.column}_check`;
    if (dialect === 'postgres')
      await sql
        .raw(`ALTER TABLE ${c.table} ADD CONSTRAINT ${name} CHECK (${c.column} IN (${list(c.values)})) NOT VALID`)
        .execute(db);
    else
      for (const event of ['INSERT', `UPDATE OF ${c.column}`])
        await sql
          .raw(
            `CREATE TRIGGER ${name}_${event.startsWith('INSERT') ? 'insert' : 'update'} BEFORE ${event} ON ${c.table} FOR EACH ROW WHEN NEW.${c.column} IS NOT NULL AND NEW.${c.column} NOT IN (${list(c.values)}) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: ${name}'); END`,
          )
          .execute(db);
  }
}

export async function down(db: Kysely<any>, dialect: Dialect): Promise<void> {
  for (const c of CHECKS) {
    const name = `${c.table}_${c.column}_check`;
    if (dialect === 'postgres') await sql.raw(`ALTER TABLE ${c.table} DROP CONSTRAINT IF EXISTS ${name}`).execute(db);
    else
      for (const suffix of ['insert', 'update']) await sql.raw(`DROP TRIGGER IF EXISTS ${name}_${suffix}`).execute(db);
  }
}
