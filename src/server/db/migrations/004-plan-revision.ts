import type { Kysely } from 'kysely';

// A counter raised by every change that shows on a department sheet, so that sheets can be
// served from memory while the counter stands.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('plans')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('plans').dropColumn('revision').execute();
}
