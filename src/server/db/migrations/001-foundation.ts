import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Dialect } from '../types.js';

// Migrations work on Kysely<any>: they describe the schema as it was at their time, not as the
// current types say.
type Table = CreateTableBuilder<string, never>;

/** What each step creates tables with: the database and a table with its id column in the dialect's way. */
interface Schema {
  db: Kysely<any>;
  table: (name: string) => Table;
}

const ts = 'text';

/** The settings table: key and value. */
async function settings({ db }: Schema): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

/** Municipalities by their 全国地方公共団体コード. */
async function municipalities({ table }: Schema): Promise<void> {
  await table('municipalities')
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('era2019', 'text', (c) => c.notNull().defaultTo('reiwa1'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
}

/** Departments: the org tree of each municipality, with the years each unit was active. */
async function departments({ db, table }: Schema): Promise<void> {
  await table('departments')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('parent_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('active_from', 'integer')
    .addColumn('active_to', 'integer')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('departments_municipality')
    .on('departments')
    .columns(['municipality_id', 'parent_id'])
    .execute();
}

/** Users of a municipality (or system administrators), with their department. */
async function users({ db, table }: Schema): Promise<void> {
  await table('users')
    .addColumn('municipality_id', 'integer', (c) => c.references('municipalities.id'))
    .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('login_name', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_municipality').on('users').column('municipality_id').execute();
}

/** Sessions of signed-in users. */
async function sessions({ db }: Schema): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('last_seen_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
}

/** Reorganisations: a change and the departments it leads from and to. */
async function departmentChanges({ db, table }: Schema): Promise<void> {
  await table('department_changes')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('effective_year', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await table('department_change_links')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('change_id', 'integer', (c) => c.notNull().references('department_changes.id').onDelete('cascade'))
    .addColumn('from_department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('to_department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .execute();
  await db.schema
    .createIndex('department_change_links_to')
    .on('department_change_links')
    .column('to_department_id')
    .execute();
  await db.schema
    .createIndex('department_change_links_from')
    .on('department_change_links')
    .column('from_department_id')
    .execute();
}

/** Plans and their period. */
async function plans({ db, table }: Schema): Promise<void> {
  await table('plans')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('slogan', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('first_year', 'integer', (c) => c.notNull())
    .addColumn('last_year', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plans_municipality').on('plans').column('municipality_id').execute();
}

/** The levels of a plan, with their numbering. */
async function planLevels({ table }: Schema): Promise<void> {
  await table('plan_levels')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('numbering_style', 'text', (c) => c.notNull())
    .addColumn('numbering_scope', 'text', (c) => c.notNull())
    .addUniqueConstraint('plan_levels_plan_depth', ['plan_id', 'depth'])
    .execute();
}

/** Sub-plans a plan carries, for tagging nodes. */
async function planSubPlans({ table }: Schema): Promise<void> {
  await table('plan_sub_plans')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('plan_sub_plans_plan_name', ['plan_id', 'name'])
    .execute();
}

/** The nodes of a plan's tree and their sub-plan tags. */
async function planNodes({ db, table }: Schema): Promise<void> {
  await table('plan_nodes')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.references('plan_nodes.id'))
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('number_override', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('plan_nodes_plan_parent')
    .on('plan_nodes')
    .columns(['plan_id', 'parent_id', 'position'])
    .execute();

  await db.schema
    .createTable('plan_node_sub_plans')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('plan_nodes.id').onDelete('cascade'))
    .addColumn('sub_plan_id', 'integer', (c) => c.notNull().references('plan_sub_plans.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('plan_node_sub_plans_pk', ['node_id', 'sub_plan_id'])
    .execute();
}

/** Projects under the nodes, numbered uniquely per plan. */
async function projects({ db, table }: Schema): Promise<void> {
  await table('projects')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('plan_nodes.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('category', 'text')
    .addColumn('audience', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addUniqueConstraint('projects_plan_number', ['plan_id', 'number'])
    .execute();
  await db.schema.createIndex('projects_node').on('projects').columns(['node_id', 'position']).execute();
}

/** The departments of a project, the lead first. */
async function projectDepartments({ db }: Schema): Promise<void> {
  await db.schema
    .createTable('project_departments')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('is_lead', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_departments_pk', ['project_id', 'department_id'])
    .execute();
  await db.schema
    .createIndex('project_departments_department')
    .on('project_departments')
    .column('department_id')
    .execute();
}

/** Projects listed again under other nodes (再掲). */
async function projectListings({ db }: Schema): Promise<void> {
  await db.schema
    .createTable('project_listings')
    .addColumn('municipality_id', 'integer', (c) => c.notNull().references('municipalities.id'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('node_id', 'integer', (c) => c.notNull().references('plan_nodes.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_listings_pk', ['project_id', 'node_id'])
    .execute();
  await db.schema.createIndex('project_listings_node').on('project_listings').column('node_id').execute();
}

/** The audit log. */
async function auditLog({ db, table }: Schema): Promise<void> {
  await table('audit_log')
    .addColumn('municipality_id', 'integer', (c) => c.references('municipalities.id'))
    .addColumn('user_id', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_log_municipality')
    .on('audit_log')
    .columns(['municipality_id', 'created_at'])
    .execute();
}

// The steps in the order they have always run: a database migrated before keeps exactly this schema.
const STEPS = [
  settings,
  municipalities,
  departments,
  users,
  sessions,
  departmentChanges,
  plans,
  planLevels,
  planSubPlans,
  planNodes,
  projects,
  projectDepartments,
  projectListings,
  auditLog,
];

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const withId = (t: Table): Table =>
    dialect === 'postgres'
      ? t.addColumn('id', 'serial', (c) => c.primaryKey())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  const schema: Schema = { db, table: (name) => withId(db.schema.createTable(name)) };
  for (const step of STEPS) await step(schema);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'audit_log',
    'project_listings',
    'project_departments',
    'projects',
    'plan_node_sub_plans',
    'plan_nodes',
    'plan_sub_plans',
    'plan_levels',
    'plans',
    'department_change_links',
    'department_changes',
    'sessions',
    'users',
    'departments',
    'municipalities',
    'settings',
  ])
    await db.schema.dropTable(t).execute();
}
