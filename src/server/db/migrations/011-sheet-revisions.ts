import type { Kysely } from 'kysely';

// A counter per (plan, department), raised by the changes that show on that department's sheet only
// (its answers, their comments and statuses); the plan's own revision stays for changes every sheet
// shows (the tree, indicators, the evaluation settings). A cached sheet is good while both stand.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sheet_revisions')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('sheet_revisions_pk', ['plan_id', 'department_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sheet_revisions').execute();
}
