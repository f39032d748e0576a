import type { Kysely } from 'kysely';

// Every request reads the applied reorganisation links of its user's municipality with the session
// (auth.repository.ts findSessionWithUser): found by the municipality, not by scanning every municipality's.
// A new index on a small table: no lock worth mentioning on either database.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('department_change_links_municipality')
    .on('department_change_links')
    .column('municipality_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('department_change_links_municipality').execute();
}
