import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Dialect } from '../types.js';

type Table = CreateTableBuilder<string, never>;

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t: Table = db.schema.createTable('import_mappings');
  await (
    dialect === 'postgres'
      ? t.addColumn('id', 'serial', (c) => c.primaryKey())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('import_mappings_name', ['municipality_id', 'name'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_mappings').execute();
}
