import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../types.js';
import { normalizeLoginId } from '../../../domain/login-id.js';

/**
 * Logins that resist guessing and an audit trail that answers "who, when, from where":
 * - failed logins counted in the database, so every app process and a restart see the same counts;
 * - a password the user must change (new accounts, resets) and when it was last changed;
 * - the actor's login ID and name as they were, the client address and user agent on every audit row;
 * - record history keeps the editor's name as it was at the save;
 * - login IDs stored in one normal form (NFKC, no spaces, lower case).
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('login_failures')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('password_changed_at', 'text').execute();

  for (const column of ['actor_login', 'actor_name', 'ip', 'user_agent'])
    await db.schema
      .alterTable('audit_log')
      .addColumn(column, 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  await db.schema.createIndex('audit_log_created').on('audit_log').column('created_at').execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'created_at']).execute();
  // Rows written before: the actor as the user table names them today (the best there is).
  await sql`UPDATE audit_log SET actor_login = COALESCE((SELECT u.login_name FROM users u WHERE u.id = audit_log.user_id), ''), actor_name = COALESCE((SELECT u.display_name FROM users u WHERE u.id = audit_log.user_id), '')`.execute(
    db,
  );

  await db.schema
    .alterTable('record_history')
    .addColumn('actor_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`UPDATE record_history SET actor_name = COALESCE((SELECT u.display_name FROM users u WHERE u.id = record_history.user_id), '')`.execute(
    db,
  );

  // Migrations read through Kysely<any>: the columns as they are at this migration.
  const users: { id: number; login_name: string }[] = await db
    .selectFrom('users')
    .select(['id', 'login_name'])
    .execute();
  const taken = new Set(users.map((u) => u.login_name));
  for (const u of users) {
    const normal = normalizeLoginId(u.login_name);
    if (normal === u.login_name || taken.has(normal)) continue;
    await db.updateTable('users').set({ login_name: normal }).where('id', '=', u.id).execute();
    taken.add(normal);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('record_history').dropColumn('actor_name').execute();
  await db.schema.dropIndex('audit_log_action').execute();
  await db.schema.dropIndex('audit_log_created').execute();
  for (const column of ['user_agent', 'ip', 'actor_name', 'actor_login'])
    await db.schema.alterTable('audit_log').dropColumn(column).execute();
  await db.schema.alterTable('users').dropColumn('password_changed_at').execute();
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
  await db.schema.dropTable('login_failures').execute();
}
