import type { Generated, Kysely, Transaction } from 'kysely';
import type {
  ActualStatus,
  DepartmentKind,
  Direction,
  Era2019Code,
  GradeSource,
  HistoryAction,
  IndicatorKind,
  NumberingScope,
  NumberingStyle,
  Phase,
  RecordCommentKind,
  RecordStatus,
  ReorgKind,
  ReorgStatus,
  Role,
  RoundStatus,
} from '../../domain/enums.js';

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
    era2019: Era2019Code;
    created_at: Timestamp;
  };
  users: {
    id: Generated<number>;
    municipality_id: number | null;
    department_id: number | null;
    login_name: string;
    display_name: string;
    email: Generated<string>;
    role: Role;
    password_hash: string;
    active: Flag;
    /** 1: the password was set by someone else (new account, reset) and must be changed at the next login */
    must_change_password: Generated<Flag>;
    password_changed_at: Generated<Timestamp | null>;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  /** failed logins per account (`a:<login id>`) and per client address (`ip:<address>`), shared by every process */
  login_failures: {
    key: string;
    failures: number;
    window_started_at: Timestamp;
    locked_until: Timestamp | null;
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
    kind: DepartmentKind;
    active_from: number | null;
    active_to: number | null;
    position: number;
    created_at: Timestamp;
  };
  department_changes: {
    id: Generated<number>;
    municipality_id: number;
    kind: ReorgKind;
    effective_year: number;
    note: string;
    created_at: Timestamp;
    /** scheduled: registered, nothing moved yet; applied: users and assignments moved; cancelled */
    status: Generated<ReorgStatus>;
    applied_at: Timestamp | null;
    cancelled_at: Timestamp | null;
    /** JSON {departmentId: active_to} of the old units before the change */
    previous_active_to: Generated<string>;
    /** JSON {from: [names], to: [names]} */
    names: Generated<string>;
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
    /** JSON: [{ code, label }] — the grades departments choose from */
    grade_options: Generated<string>;
    /** raised by every change a department sheet shows; see modules/rounds/sheet-cache.ts */
    revision: Generated<number>;
    /** JSON of the evaluation scale (domain/evaluation.ts); '' grades by hand from grade_options */
    evaluation_scale: Generated<string>;
    /** archived plans open no rounds and leave the plan list; their reports and publications stay */
    archived_at: Generated<Timestamp | null>;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  plan_levels: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    depth: number;
    name: string;
    numbering_style: NumberingStyle;
    numbering_scope: NumberingScope;
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
    /** 0: an explicit number that takes no place in the count */
    counts_in_numbering: Generated<Flag>;
    priority: Flag;
    /** the fiscal years the node applies in; null = from the plan's start / to its end */
    first_year: Generated<number | null>;
    last_year: Generated<number | null>;
    archived_at: Generated<Timestamp | null>;
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
    first_year: Generated<number | null>;
    last_year: Generated<number | null>;
    archived_at: Generated<Timestamp | null>;
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
  indicators: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    project_id: number;
    department_id: number | null;
    name: string;
    unit: string;
    kind: IndicatorKind;
    direction: Direction;
    baseline_value: number | null;
    baseline_text: string;
    baseline_year: number | null;
    final_target_value: number | null;
    final_target_text: string;
    position: number;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  indicator_targets: {
    municipality_id: number;
    indicator_id: number;
    fiscal_year: number;
    value: number | null;
    text: string;
  };
  survey_rounds: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    fiscal_year: number;
    phase: Phase;
    deadline: string;
    instructions: string;
    status: RoundStatus;
    created_at: Timestamp;
    closed_at: Timestamp | null;
  };
  survey_round_departments: {
    municipality_id: number;
    round_id: number;
    department_id: number;
    reopened: Flag;
  };
  records: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    project_id: number;
    department_id: number;
    fiscal_year: number;
    plan_text: string;
    result_text: string;
    grade: string | null;
    grade_source: GradeSource | null;
    remarks: string;
    next_year_plan: string;
    same_as_department_id: number | null;
    /** whether the department led the project in this year, and its place among the project's departments */
    is_lead: Generated<Flag>;
    position: Generated<number>;
    status: RecordStatus;
    version: number;
    updated_at: Timestamp;
    updated_by: number | null;
    submitted_at: Timestamp | null;
  };
  indicator_actuals: {
    id: Generated<number>;
    municipality_id: number;
    indicator_id: number;
    department_id: number;
    fiscal_year: number;
    value: number | null;
    text: string;
    status: ActualStatus | null;
    reason: string;
    /** JSON: [{ label, value, text }] */
    parts: string;
    /** entered level (達成度) and grade of this line; null where the scale computes them */
    level: Generated<string | null>;
    grade: Generated<string | null>;
    grade_reason: Generated<string>;
  };
  report_layouts: {
    id: Generated<number>;
    municipality_id: number;
    name: string;
    /** JSON of a ReportLayout (domain/report/layout.ts) */
    definition: string;
    updated_at: Timestamp;
  };
  report_snapshots: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    fiscal_year: number;
    layout_name: string;
    title: string;
    /** YYYY-MM-DD */
    as_of: string;
    /** JSON of the rendered ReportDocument, never changed after publishing */
    document: string;
    published_at: Timestamp;
    published_by: number;
    superseded_by: number | null;
    /** 1: answers not yet approved were included on purpose (速報) */
    includes_unapproved: Generated<Flag>;
    /** JSON {status: count} of the year's answers when published */
    status_counts: Generated<string>;
    withdrawn_at: Generated<Timestamp | null>;
    withdrawn_by: Generated<number | null>;
    withdraw_reason: Generated<string>;
  };
  /** a year's tree as it was answered, fixed at its first approval or publication */
  year_nodes: {
    municipality_id: number;
    plan_id: number;
    fiscal_year: number;
    node_id: number;
    parent_id: number | null;
    depth: number;
    position: number;
    number: string;
    title: string;
  };
  year_projects: {
    municipality_id: number;
    plan_id: number;
    fiscal_year: number;
    project_id: number;
    node_id: number;
    position: number;
    number: string;
    name: string;
  };
  record_history: {
    id: Generated<number>;
    municipality_id: number;
    record_id: number;
    version: number;
    user_id: number | null;
    /** the editor's name as it was at the save */
    actor_name: Generated<string>;
    action: HistoryAction;
    before: string;
    after: string;
    message: string;
    created_at: Timestamp;
  };
  record_comments: {
    id: Generated<number>;
    municipality_id: number;
    record_id: number;
    user_id: number;
    kind: RecordCommentKind;
    body: string;
    created_at: Timestamp;
  };
  council_comments: {
    id: Generated<number>;
    municipality_id: number;
    project_id: number;
    fiscal_year: number;
    parent_id: number | null;
    user_id: number;
    department_id: number | null;
    body: string;
    created_at: Timestamp;
  };
  import_mappings: {
    id: Generated<number>;
    municipality_id: number;
    name: string;
    /** JSON of an ImportMapping */
    definition: string;
    updated_at: Timestamp;
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
    /** the actor as they were at the time: login ID and name, client address, user agent */
    actor_login: Generated<string>;
    actor_name: Generated<string>;
    ip: Generated<string>;
    user_agent: Generated<string>;
    created_at: Timestamp;
  };
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type DbOrTx = Db | Tx;
export type Dialect = 'sqlite' | 'postgres';
