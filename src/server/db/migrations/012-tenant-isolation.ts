import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../types.js';
import { APP_ROLE } from '../tenant.js';

/**
 * Tenant isolation in PostgreSQL as a second wall (src/server/db/tenant.ts explains the runtime):
 *
 * - the role `shinchoku_app` (NOLOGIN, no BYPASSRLS, owns nothing), which the server switches to
 *   at the start of every transaction (`SET LOCAL ROLE`); the connecting role, which owns the
 *   tables and runs the migrations, is made a member so that it may;
 * - on every table holding municipal data, row-level security with one policy for that role:
 *   a row is seen, inserted and updated only where its `municipality_id` is the transaction's
 *   `app.municipality_id`; no setting, no rows. Every such table carries its own
 *   `municipality_id` (children such as records' history or a round's departments too), so each
 *   policy is one indexed comparison and never a join to a parent;
 * - `municipalities` itself by its id;
 * - the role may not touch `sessions` and `login_failures` at all (only the cross-tenant account
 *   paths do, as the owner), nor `settings` (the cookie secret) nor the migration bookkeeping.
 *
 * The owner is deliberately not subject to the policies (no FORCE ROW LEVEL SECURITY): it is the
 * explicit cross-tenant path, taken only through `acrossMunicipalities()`.
 *
 * Nothing of this exists on SQLite, which keeps the application's own checks.
 */

/** Every table with municipal rows, by its `municipality_id`. A new one joins this wall with `isolateTenantTable`. */
export const TENANT_TABLES = [
  'users',
  'departments',
  'department_changes',
  'department_change_links',
  'plans',
  'plan_levels',
  'plan_sub_plans',
  'plan_nodes',
  'plan_node_sub_plans',
  'projects',
  'project_departments',
  'project_listings',
  'indicators',
  'indicator_targets',
  'indicator_revisions',
  'plan_evaluation_versions',
  'evaluations',
  'evaluation_history',
  'survey_rounds',
  'survey_round_departments',
  'records',
  'sheet_revisions',
  'indicator_actuals',
  'report_layouts',
  'report_snapshots',
  'year_nodes',
  'year_projects',
  'record_history',
  'record_comments',
  'council_comments',
  'import_mappings',
  'audit_log',
] as const;

const MUNICIPALITY = `NULLIF(current_setting('app.municipality_id', true), '')::integer`;

/**
 * Puts a table holding municipal rows behind the wall: the app role may read and write it, only
 * rows of the transaction's municipality. For later migrations that add such a table.
 */
export async function isolateTenantTable(
  db: Kysely<any>,
  dialect: Dialect,
  table: string,
  column = 'municipality_id',
): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql.raw(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${APP_ROLE}`).execute(db);
  await sql.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`).execute(db);
  await sql
    .raw(
      `CREATE POLICY ${table}_tenant ON ${table} FOR ALL TO ${APP_ROLE} USING (${column} = ${MUNICIPALITY}) WITH CHECK (${column} = ${MUNICIPALITY})`,
    )
    .execute(db);
}

/** The role, created once per PostgreSQL cluster (several databases, and parallel test databases, share it). */
async function appRole(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by another database's migration
      END $$`,
    )
    .execute(db);
  // The connecting role switches to it per transaction; a superuser may anyway, others need the membership
  // (which a superuser may have granted beforehand, where the connecting role may not create roles).
  await sql
    .raw(
      `DO $$ BEGIN
        IF NOT pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN
          EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
        END IF;
      END $$`,
    )
    .execute(db);
  await sql.raw(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`).execute(db);
  await sql.raw(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`).execute(db);
}

/**
 * Indexes for the per-tenant query paths that docs/postgres-plans.md showed reading every
 * municipality's rows: a plan's indicators (the report dataset and the summary read them by plan),
 * and the reorganisations of a municipality (every sheet and report asks which units replaced which).
 */
async function indexes(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('indicators_plan').on('indicators').column('plan_id').execute();
  await db.schema
    .createIndex('department_changes_municipality')
    .on('department_changes')
    .columns(['municipality_id', 'status'])
    .execute();
  await db.schema
    .createIndex('department_change_links_change')
    .on('department_change_links')
    .column('change_id')
    .execute();
}

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await indexes(db);
  if (dialect !== 'postgres') return;
  await appRole(db);
  await sql.raw(`GRANT SELECT ON municipalities TO ${APP_ROLE}`).execute(db);
  await sql.raw(`ALTER TABLE municipalities ENABLE ROW LEVEL SECURITY`).execute(db);
  await sql
    .raw(
      `CREATE POLICY municipalities_tenant ON municipalities FOR ALL TO ${APP_ROLE} USING (id = ${MUNICIPALITY}) WITH CHECK (id = ${MUNICIPALITY})`,
    )
    .execute(db);
  for (const table of TENANT_TABLES) await isolateTenantTable(db, dialect, table);
}

export async function down(db: Kysely<any>, dialect: Dialect): Promise<void> {
  for (const index of ['indicators_plan', 'department_changes_municipality', 'department_change_links_change'])
    await db.schema.dropIndex(index).ifExists().execute();
  if (dialect === 'postgres') {
    for (const table of ['municipalities', ...TENANT_TABLES]) {
      await sql.raw(`DROP POLICY IF EXISTS ${table}_tenant ON ${table}`).execute(db);
      await sql.raw(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`).execute(db);
      await sql.raw(`REVOKE ALL ON ${table} FROM ${APP_ROLE}`).execute(db);
    }
    await sql.raw(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${APP_ROLE}`).execute(db);
    await sql.raw(`REVOKE USAGE ON SCHEMA public FROM ${APP_ROLE}`).execute(db);
    // The role stays: it belongs to the cluster, which other databases may share.
  }
}
