import type { Kysely } from 'kysely';

// An indicator applies from `first_year` to `last_year` (null: the plan's first / last year), as nodes and
// projects do, so that an indicator added for next year does not appear in the sheets and reports of a
// year already approved or published, and one ended after a year keeps its place in that year's report.
// Indicators stored before this migration keep applying to every year of their plan, as they did: nothing
// recorded says when they were added relative to a year's approval.
// Two nullable columns added: no rewrite of the table on either database.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('indicators').addColumn('first_year', 'integer').execute();
  await db.schema.alterTable('indicators').addColumn('last_year', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('indicators').dropColumn('last_year').execute();
  await db.schema.alterTable('indicators').dropColumn('first_year').execute();
}
