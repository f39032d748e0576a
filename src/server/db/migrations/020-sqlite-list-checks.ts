import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../types.js';

/**
 * SQLite: a column's closed list (roles, statuses, kinds…) moves from a pair of triggers into the
 * table's own CHECK constraint. SQLite ran each trigger as a small program per row written, which a
 * large import paid for on every row (four on each indicator); a CHECK constraint costs a comparison.
 * SQLite adds a constraint only by building the table again: each table that has such triggers is
 * copied into a new one with the constraints, and its other indexes and triggers written again.
 * The lists are the ones the triggers hold when this runs (migrations 009, 010 and 018 wrote them),
 * so nothing is allowed or refused that was not before; the message stays 「CHECK constraint failed:
 * <table>_<column>_check」. PostgreSQL has had CHECK constraints all along: nothing changes there.
 */

interface ListCheck {
  /** `<table>_<column>_check`, the name of the constraint (and of the triggers, with _insert and _update) */
  name: string;
  column: string;
  /** the values as SQL, as the trigger wrote them: 'a', 'b' */
  values: string;
}

type Db = Kysely<any>;

const TRIGGER_LIST = /WHEN NEW\.(\w+) IS NOT NULL AND NEW\.\1 NOT IN \(([^)]*)\) BEGIN/;
const CONSTRAINT_LIST = /, CONSTRAINT "(\w+)" CHECK \("(\w+)" IN \(([^)]*)\)\)/g;

async function master(db: Db, where: ReturnType<typeof sql>) {
  const r = await sql<{ type: string; name: string; tbl_name: string; sql: string | null }>`
    SELECT type, name, tbl_name, sql FROM sqlite_master WHERE ${where}`.execute(db);
  return r.rows;
}

/**
 * The table built again from its own definition, with `define` applied to that definition: the rows
 * copied as they are (ids and the AUTOINCREMENT counter kept), then its indexes and the triggers
 * `keep` accepts written again. Foreign keys are off while migrating and checked after (migrateUpTo).
 */
async function rebuild(db: Db, table: string, define: (create: string) => string, keep: (trigger: string) => boolean) {
  const [own] = await master(db, sql`type = 'table' AND name = ${table}`);
  if (!own?.sql) throw new Error(`${table}: no such table`);
  const kept = (await master(db, sql`tbl_name = ${table} AND type IN ('index', 'trigger') AND sql IS NOT NULL`)).filter(
    (o) => o.type === 'index' || keep(o.name),
  );
  const columns = (await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db)).rows
    .map((c) => `"${c.name}"`)
    .join(', ');
  // (sqlite_sequence exists: every table here has an AUTOINCREMENT id)
  const counter = await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = ${table}`.execute(db);
  const head = /^CREATE TABLE\s+(?:"[^"]+"|\w+)\s*\(/i;
  if (!head.test(own.sql)) throw new Error(`${table}: unexpected definition`);
  const fresh = `${table}_rebuilt`;
  await sql.raw(define(own.sql).replace(head, `CREATE TABLE "${fresh}" (`)).execute(db);
  await sql.raw(`INSERT INTO "${fresh}" (${columns}) SELECT ${columns} FROM "${table}"`).execute(db);
  await sql.raw(`DROP TABLE "${table}"`).execute(db);
  // The other tables' triggers name this table: with the legacy rule the rename leaves them as they are
  // (they find the new table by its name), instead of checking them while the table is away.
  await sql`PRAGMA legacy_alter_table = ON`.execute(db);
  try {
    await sql.raw(`ALTER TABLE "${fresh}" RENAME TO "${table}"`).execute(db);
  } finally {
    await sql`PRAGMA legacy_alter_table = OFF`.execute(db);
  }
  const seq = counter.rows[0]?.seq;
  if (seq !== undefined) await sql`UPDATE sqlite_sequence SET seq = max(seq, ${seq}) WHERE name = ${table}`.execute(db);
  for (const o of kept) await sql.raw(o.sql!).execute(db);
}

/** The list checks SQLite holds as triggers now, by table. */
async function triggerChecks(db: Db): Promise<Map<string, ListCheck[]>> {
  const out = new Map<string, ListCheck[]>();
  for (const t of await master(db, sql`type = 'trigger' AND name LIKE '%\\_check\\_insert' ESCAPE '\\'`)) {
    const m = TRIGGER_LIST.exec(t.sql ?? '');
    if (!m) throw new Error(`${t.name}: unexpected trigger`);
    const list = out.get(t.tbl_name) ?? [];
    list.push({ name: t.name.replace(/_insert$/, ''), column: m[1]!, values: m[2]! });
    out.set(t.tbl_name, list);
  }
  return out;
}

export async function up(db: Db, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  for (const [table, checks] of await triggerChecks(db)) {
    const names = new Set(checks.flatMap((c) => [`${c.name}_insert`, `${c.name}_update`]));
    const constraints = checks.map((c) => `, CONSTRAINT "${c.name}" CHECK ("${c.column}" IN (${c.values}))`).join('');
    await rebuild(
      db,
      table,
      (create) => create.replace(/\)\s*$/, `${constraints})`),
      (trigger) => !names.has(trigger),
    );
  }
}

export async function down(db: Db, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  for (const t of await master(db, sql`type = 'table' AND sql LIKE '%CONSTRAINT "%\\_check" CHECK (%' ESCAPE '\\'`)) {
    const checks = [...(t.sql ?? '').matchAll(CONSTRAINT_LIST)].map((m) => ({
      name: m[1]!,
      column: m[2]!,
      values: m[3]!,
    }));
    await rebuild(
      db,
      t.name,
      (create) => create.replace(CONSTRAINT_LIST, ''),
      () => true,
    );
    for (const c of checks)
      for (const [suffix, event] of [
        ['insert', 'INSERT'],
        ['update', `UPDATE OF ${c.column}`],
      ])
        await sql
          .raw(
            `CREATE TRIGGER ${c.name}_${suffix} BEFORE ${event} ON ${t.name} FOR EACH ROW WHEN NEW.${c.column} IS NOT NULL AND NEW.${c.column} NOT IN (${c.values}) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: ${c.name}'); END`,
          )
          .execute(db);
  }
}
