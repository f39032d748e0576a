import type { Kysely } from 'kysely';
import type { Dialect } from '../types.js';
import { isolateTenantTable } from './012-tenant-isolation.js';

/** The tables this migration adds, each behind the tenant wall. */
export const SHEET_PROJECT_TABLES = ['sheet_project_revisions'] as const;

// A counter per (plan, project), raised with the department counters of 011 by every change to an answer
// of that project (a save, a comment, a status, in any year). A department's cached sheet keeps each
// project's line with the counter it was built at, so that after a save only the lines of the changed
// projects are built again, not the whole sheet.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('sheet_project_revisions')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('sheet_project_revisions_pk', ['plan_id', 'project_id'])
    .execute();
  for (const table of SHEET_PROJECT_TABLES) await isolateTenantTable(db, dialect, table);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sheet_project_revisions').execute();
}
