import type { Kysely } from 'kysely';

// A plan's own 区分 list and extra typed fields (see src/domain/plan-fields.ts), kept as JSON on the
// plan; the values of the extra fields as JSON on the project and on each yearly answer. Every plan
// made before starts with the four 区分 it could use until now, so its projects keep theirs.
const DEFAULT_CATEGORIES = JSON.stringify(['新規', '継続', '充実', '見直し'].map((code) => ({ code, counted: true })));

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('plans')
    .addColumn('categories', 'text', (c) => c.notNull().defaultTo(DEFAULT_CATEGORIES))
    .execute();
  await db.schema
    .alterTable('plans')
    .addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('projects')
    .addColumn('custom', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .alterTable('records')
    .addColumn('custom', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('records').dropColumn('custom').execute();
  await db.schema.alterTable('projects').dropColumn('custom').execute();
  await db.schema.alterTable('plans').dropColumn('custom_fields').execute();
  await db.schema.alterTable('plans').dropColumn('categories').execute();
}
