import type { Kysely } from 'kysely';

// An answer's evaluation entries are read by their subject (the answer's project, or its indicators) on every
// autosave and every sheet. The unique index on evaluations leads with the slot, so those reads found the plan's
// year and filtered the rest; this one goes straight to the subject, and on PostgreSQL lets the prepared read
// keep one plan for every subject (db/prepared.ts). Evaluations are few per plan and year: building the index
// takes a moment on a large database (run `CREATE INDEX CONCURRENTLY` by hand first where that matters, see
// docs/operations.md, "Migrations without downtime"; IF NOT EXISTS then finds it).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('evaluations_kind_subject')
    .ifNotExists()
    .on('evaluations')
    .columns(['plan_id', 'fiscal_year', 'subject_kind', 'subject_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('evaluations_kind_subject').ifExists().execute();
}
