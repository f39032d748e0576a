import type { Generated, Kysely, Transaction } from 'kysely';

/** Booleans are stored as 0/1 integers so that SQLite and PostgreSQL read back the same. */
type Flag = number;
/** Timestamps are ISO-8601 text in UTC, identical on both databases. */
type Timestamp = string;

export interface Database {
  settings: { key: string; value: string };
  municipalities: {
    id: Generated<number>;
    code: string;
    name: string;
    era2019: string;
    created_at: Timestamp;
  };
  users: {
    id: Generated<number>;
    municipality_id: number | null;
    department_id: number | null;
    login_name: string;
    display_name: string;
    role: string;
    password_hash: string;
    active: Flag;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  sessions: {
    id: string;
    user_id: number;
    created_at: Timestamp;
    expires_at: Timestamp;
    last_seen_at: Timestamp;
  };
  departments: {
    id: Generated<number>;
    municipality_id: number;
    parent_id: number | null;
    name: string;
    kind: string;
    active_from: number | null;
    active_to: number | null;
    position: number;
    created_at: Timestamp;
  };
  department_changes: {
    id: Generated<number>;
    municipality_id: number;
    kind: string;
    effective_year: number;
    note: string;
    created_at: Timestamp;
  };
  department_change_links: {
    id: Generated<number>;
    municipality_id: number;
    change_id: number;
    from_department_id: number;
    to_department_id: number;
  };
  plans: {
    id: Generated<number>;
    municipality_id: number;
    title: string;
    slogan: string;
    first_year: number;
    last_year: number;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  plan_levels: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    depth: number;
    name: string;
    numbering_style: string;
    numbering_scope: string;
  };
  plan_sub_plans: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    name: string;
    position: number;
  };
  plan_nodes: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    parent_id: number | null;
    depth: number;
    position: number;
    title: string;
    description: string;
    number_override: string | null;
    priority: Flag;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  plan_node_sub_plans: {
    municipality_id: number;
    node_id: number;
    sub_plan_id: number;
  };
  projects: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    node_id: number;
    number: string;
    name: string;
    summary: string;
    category: string | null;
    audience: string;
    position: number;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  project_departments: {
    municipality_id: number;
    project_id: number;
    department_id: number;
    is_lead: Flag;
    position: number;
  };
  project_listings: {
    municipality_id: number;
    project_id: number;
    node_id: number;
    position: number;
  };
  audit_log: {
    id: Generated<number>;
    municipality_id: number | null;
    user_id: number | null;
    action: string;
    entity: string;
    entity_id: string | null;
    detail: string;
    request_id: string | null;
    created_at: Timestamp;
  };
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type DbOrTx = Db | Tx;
export type Dialect = 'sqlite' | 'postgres';
