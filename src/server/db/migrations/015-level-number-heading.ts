import type { Kysely } from 'kysely';

// A level's heading over its number where a layout prints the number in a column of its own
// (「施策 No.」 beside 「施策の内容」). Empty: the level's name followed by 「No.」.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('plan_levels')
    .addColumn('number_heading', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('plan_levels').dropColumn('number_heading').execute();
}
