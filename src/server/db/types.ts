import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type {
  ActualStatus,
  DepartmentKind,
  Direction,
  Era2019Code,
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
import type { IndicatorPurpose, SubjectKind, TargetBasis } from '../../domain/evaluation/terms.js';

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
    /** raised by every change a department sheet shows; see modules/rounds/sheet-cache.ts */
    revision: Generated<number>;
    /** JSON: the plan's 区分 list (CategoryDef[], src/domain/plan-fields.ts) */
    categories: Generated<string>;
    /** JSON: the plan's extra fields on projects and answers (CustomFieldDef[]) */
    custom_fields: Generated<string>;
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
    /** the heading over the level's number in a column of its own; '' for 「{name}No.」 (migration 015) */
    number_heading: ColumnType<string, string | undefined, string>;
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
    /** JSON: the values of the plan's extra fields on projects (CustomValues) */
    custom: Generated<string>;
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
    /** the project the indicator measures; null for an indicator of a node (node_id) or of the whole plan */
    project_id: number | null;
    node_id: Generated<number | null>;
    department_id: number | null;
    /** 目標値 (graded), 期待値 (graded by the slots that take it), モニタリング (never graded) */
    purpose: Generated<IndicatorPurpose>;
    /** how a year's actual is compared: with the year's target, the sum of the years so far, or the final target */
    target_basis: Generated<TargetBasis>;
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
    /** the first and last fiscal year the indicator applies in; null: the plan's first / last year */
    first_year: Generated<number | null>;
    last_year: Generated<number | null>;
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
  /** an indicator's target, baseline and kind as revised from a fiscal year on (the years before keep theirs) */
  indicator_revisions: {
    id: Generated<number>;
    municipality_id: number;
    indicator_id: number;
    from_year: number;
    direction: Direction;
    purpose: IndicatorPurpose;
    target_basis: TargetBasis;
    baseline_value: number | null;
    baseline_text: string;
    baseline_year: number | null;
    final_target_value: number | null;
    final_target_text: string;
    note: string;
    created_at: Timestamp;
    created_by_name: string;
  };
  /** a plan's scales and slots (JSON of an EvaluationConfig), in force from a fiscal year until the next version */
  plan_evaluation_versions: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    from_year: number;
    definition: string;
    note: string;
    created_at: Timestamp;
    created_by: number | null;
    created_by_name: string;
  };
  /** what a person entered in a slot for one subject and year (computed values are not stored) */
  evaluations: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    fiscal_year: number;
    slot_key: string;
    subject_kind: SubjectKind;
    subject_id: number;
    /** the answering department for indicator lines and answers; 0 for projects, nodes and the plan */
    department_id: number;
    code: string | null;
    level: string | null;
    reason: string;
    comment: string;
    version: number;
    entered_by: number | null;
    entered_by_name: string;
    entered_at: Timestamp;
  };
  evaluation_history: {
    id: Generated<number>;
    municipality_id: number;
    evaluation_id: number;
    version: number;
    /** JSON {code, level, reason, comment} */
    before: string;
    after: string;
    user_id: number | null;
    actor_name: string;
    created_at: Timestamp;
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
    remarks: string;
    next_year_plan: string;
    same_as_department_id: number | null;
    /** JSON: the values of the plan's extra fields on answers (CustomValues) */
    custom: Generated<string>;
    /** whether the department led the project in this year, and its place among the project's departments */
    is_lead: Generated<Flag>;
    position: Generated<number>;
    status: RecordStatus;
    version: number;
    updated_at: Timestamp;
    updated_by: number | null;
    submitted_at: Timestamp | null;
  };
  /** a counter per plan and department, raised by changes that show on that department's sheet only */
  sheet_revisions: {
    municipality_id: number;
    plan_id: number;
    department_id: number;
    revision: Generated<number>;
  };
  sheet_project_revisions: {
    municipality_id: number;
    plan_id: number;
    project_id: number;
    revision: Generated<number>;
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
  /** an import of a file into a plan, as one unit: recorded, repeatable, undoable (migration 014) */
  import_batches: {
    id: Generated<number>;
    municipality_id: number;
    plan_id: number;
    fiscal_year: number;
    source_name: string;
    /** SHA-256 (hex) of the source's bytes, or of a pasted text */
    source_hash: string;
    /** JSON of the ImportMapping */
    mapping: string;
    /** JSON of the ImportFixes */
    fixes: string;
    user_id: number | null;
    /** the importer's name as it was at the time */
    user_name: string;
    created_at: Timestamp;
    created_plan: Flag;
    created_count: number;
    updated_count: number;
    removed_count: number;
    /** JSON: counts per kind and the rows that could not be removed */
    detail: string;
    /** JSON {kind: {key: hash}}: the plan's rows as the batch left them */
    after: string;
    replaced_by: number | null;
    replaced_at: Timestamp | null;
    undone_at: Timestamp | null;
    undone_by: number | null;
    undone_by_name: Generated<string>;
  };
  /** what a batch did to one row */
  import_batch_rows: {
    id: Generated<number>;
    municipality_id: number;
    batch_id: number;
    kind: string;
    row_key: string;
    action: 'created' | 'updated' | 'removed' | 'kept';
    /** JSON of the row before the batch (updated and removed rows) */
    before: string | null;
    owned: Flag;
  };
  /** an answer its import takes back, at the version taken back (the guard on answers lets it go) */
  import_releases: {
    id: Generated<number>;
    municipality_id: number;
    batch_id: number | null;
    record_id: number;
    version: number;
    created_at: Timestamp;
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
