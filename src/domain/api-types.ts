import type {
  CheckFinding,
  EvaluationConfig,
  EvaluationSource,
  IndicatorPurpose,
  LineFacts,
  SubjectKind,
  TargetBasis,
} from './evaluation/index.js';
import type { Role } from './roles.js';
import type { NumberingScope, NumberingStyle } from './numbering.js';
import type { DepartmentKind, ReorgKind, ReorgOrigin } from './department.js';
import type { CategoryDef, CustomFieldDef, CustomValues } from './plan-fields.js';
import type { Era2019 } from './fiscal-year.js';
import type { Direction, IndicatorKind, Phase, RecordStatus } from './cycle.js';
import type { ActualStatus } from './values.js';
import type { ReportLayout } from './report/layout.js';
import type { ReportDocument } from './report/build.js';
import type { ReportSummary } from './report/summary.js';
import type { ImportMapping, ImportRow, ImportSummary } from './import/mapping.js';
import type { DocumentMeta, NameMatch, Repair, Suspect } from './import/read.js';

/** The shapes the API answers with: the contract between server and SPA, written once. */

export interface SessionUser {
  id: number;
  loginName: string;
  displayName: string;
  role: Role;
  municipalityId: number | null;
  departmentId: number | null;
  /** the departments this user answers for: their own and those it replaced in reorganisations that took effect */
  departmentIds: number[];
  /** the password was set by someone else: nothing but changing it is allowed until it is changed */
  mustChangePassword: boolean;
}

export interface Municipality {
  id: number;
  code: string;
  name: string;
  era2019: Era2019;
}

/** GET /municipalities */
export interface MunicipalityListResponse {
  municipalities: Municipality[];
}

export interface Session {
  user: SessionUser | null;
  municipality?: Municipality | null;
  csrfToken: string;
}

export interface User extends Omit<SessionUser, 'departmentIds'> {
  email: string;
  active: boolean;
}

export interface Department {
  id: number;
  parentId: number | null;
  name: string;
  kind: DepartmentKind;
  activeFrom: number | null;
  activeTo: number | null;
  position: number;
  /** the reorganisation that created this unit, if any */
  origin: (ReorgOrigin & { fromIds: number[] }) | null;
  /** the reorganisations that ended this unit */
  successors: { effectiveYear: number; kind: ReorgKind; toIds: number[]; toNames: string[] }[];
  /** name with the reorganisation note, as printed in reports */
  displayName: string;
}

/** GET /departments */
export interface DepartmentListResponse {
  departments: Department[];
}

export interface Reorganisation {
  id: number;
  kind: ReorgKind;
  effectiveYear: number;
  note: string;
  /** scheduled: registered, takes effect in its year; applied: in effect; cancelled */
  status: 'scheduled' | 'applied' | 'cancelled';
  createdAt: string;
  appliedAt: string | null;
  cancelledAt: string | null;
  /** the units before and after; ids are null for the new units of a cancelled change (they were removed) */
  from: { id: number | null; name: string }[];
  to: { id: number | null; name: string }[];
  /** accounts and projects that move when a scheduled change takes effect */
  pendingUsers: number;
  pendingProjects: number;
}

export interface Level {
  depth: number;
  name: string;
  numberingStyle: NumberingStyle;
  numberingScope: NumberingScope;
  /** the heading over the level's number in a column of its own; '' for 「{name}No.」 */
  numberHeading: string;
}

export interface PlanNode {
  id: number;
  parentId: number | null;
  depth: number;
  position: number;
  number: string;
  numberOverride: string | null;
  title: string;
  description: string;
  priority: boolean;
  /** sub-plans tagged on this node itself */
  subPlanIds: number[];
  /** tagged here or on an ancestor: a tag applies to everything below it */
  effectiveSubPlanIds: number[];
  /** fiscal years it applies in (null: from the plan's start / to its end) */
  startYear: number | null;
  endYear: number | null;
  /** false: an explicit number appended without renumbering the nodes after it */
  countsInNumbering: boolean;
  /** archived instead of deleted because answers hang on it: out of new rounds, kept in past reports */
  archived: boolean;
}

export interface Project {
  id: number;
  nodeId: number;
  number: string;
  name: string;
  summary: string;
  /** one of the plan's 区分 (PlanDetail.plan.categories) */
  category: string | null;
  audience: string;
  /** values of the plan's extra fields on projects, by key */
  custom: CustomValues;
  position: number;
  leadDepartmentId: number | null;
  coDepartmentIds: number[];
  crossListNodeIds: number[];
  startYear: number | null;
  endYear: number | null;
  archived: boolean;
}

export interface PlanDetail {
  plan: {
    id: number;
    title: string;
    slogan: string;
    firstYear: number;
    lastYear: number;
    subPlans: { id: number; name: string }[];
    updatedAt: string;
    archived: boolean;
    /** the year being worked on (open round, or the one after the latest); numbers are shown as of it */
    currentYear: number | null;
    /** the years already fixed (an answer approved or a report published): their structure and indicators stay */
    fixedYears: number[];
    /** the plan's 区分 list, in order */
    categories: CategoryDef[];
    /** the plan's extra fields on projects and answers */
    customFields: CustomFieldDef[];
  };
  levels: Level[];
  nodes: PlanNode[];
  projects: Project[];
}

/** One node whose printed number a structure change would alter in the plan's current year. */
export interface NumberingChange {
  nodeId: number;
  title: string;
  /** the level's name (施策) */
  level: string;
  from: string;
  to: string;
}

/** POST /plans/:id/numbering-preview: what a create, move or delete would renumber, and in which year. */
export interface NumberingPreview {
  /** the plan's current year; null while it has had no round (the whole period) */
  year: number | null;
  /** the plan's current year is fixed already: new nodes are appended in it, and what a move changes shows from `year` (the year after) */
  frozen: boolean;
  changes: NumberingChange[];
  /** for a create: the number the node takes when appended without renumbering */
  appendNumber?: string;
}

/** DELETE /nodes/:id and /projects/:id answer 204 when deleted, or this when archived instead. */
export interface ArchivedAnswer {
  archived: true;
  project?: Project;
}

export interface PlanSummary {
  id: number;
  title: string;
  slogan: string;
  firstYear: number;
  lastYear: number;
  nodeCount: number;
  projectCount: number;
  archived: boolean;
  /** the plan's extra fields (the import offers columns for them) */
  customFields: CustomFieldDef[];
}

/** GET /plans */
export interface PlanListResponse {
  plans: PlanSummary[];
}

export interface IndicatorDto {
  id: number;
  /** null for an indicator of a node (施策) rather than of a project */
  projectId: number | null;
  nodeId: number | null;
  purpose: IndicatorPurpose;
  targetBasis: TargetBasis;
  /** set when the indicator belongs to one department's row only */
  departmentId: number | null;
  name: string;
  unit: string;
  kind: IndicatorKind;
  direction: Direction;
  baseline: { value: number | null; text: string; fiscalYear: number | null };
  finalTarget: { value: number | null; text: string };
  targets: { fiscalYear: number; value: number | null; text: string }[];
  /** fiscal years it applies in (null: from the plan's start / to its end) */
  startYear: number | null;
  endYear: number | null;
  /**
   * the years from which the terms above (direction, purpose, basis, baseline, final target) changed, earlier
   * years keeping theirs: each with the terms in force before it and from it on
   */
  revisions: { fromYear: number; note: string; before: IndicatorTerms; after: IndicatorTerms }[];
}

/** What decides how an indicator is evaluated in a year. */
export interface IndicatorTerms {
  direction: Direction;
  purpose: IndicatorPurpose;
  targetBasis: TargetBasis;
  baseline: { text: string; fiscalYear: number | null };
  finalTarget: string;
}

/** A year's line of an indicator of a node or of the plan (成果指標): its target, actual and evaluations. */
export interface OutcomeLineDto {
  indicator: IndicatorDto;
  /** the node it measures as numbered in the year; null for the whole plan */
  node: { id: number; number: string; title: string; depth: number } | null;
  departmentName: string;
  /** the year's target as written (the final target where the year has none) */
  target: string;
  actual: { text: string; status: ActualStatus | null; reason: string };
  /** the previous fiscal year's actual as written; empty where there is none */
  previous: string;
  /** by slot key: the slots that evaluate indicator lines */
  values: Record<string, SlotValueDto>;
  /** whether the signed-in user may enter the actual */
  mayEnter: boolean;
  /** why the actual can no longer be changed, if it cannot */
  locked: string | null;
}

export interface OutcomeYearDto {
  planId: number;
  fiscalYear: number;
  /** the year's scales and the slots that evaluate indicator lines */
  config: EvaluationConfig;
  lines: OutcomeLineDto[];
}

export interface ActualDto {
  indicatorId: number;
  departmentId: number;
  fiscalYear: number;
  value: number | null;
  text: string;
  status: ActualStatus | null;
  reason: string;
  parts: { label: string; value: number | null; text: string }[];
}

/** An evaluation the department entered for its answer or one of its indicator lines. */
export interface AnswerEntryDto {
  slotKey: string;
  subjectKind: 'record' | 'indicator';
  /** the project (record) or the indicator */
  subjectId: number;
  code: string | null;
  reason: string;
  comment: string;
}

export interface RecordFields {
  planText: string;
  resultText: string;
  remarks: string;
  nextYearPlan: string;
  sameAsDepartmentId: number | null;
  /** values of the plan's extra fields on answers, by key */
  custom: CustomValues;
}

export interface RecordDto extends RecordFields {
  id: number;
  projectId: number;
  departmentId: number;
  fiscalYear: number;
  /** whether the department led the project in this year, and its place among the project's departments */
  isLead: boolean;
  position: number;
  status: RecordStatus;
  version: number;
  updatedAt: string;
  updatedByName: string | null;
  submittedAt: string | null;
  actuals: ActualDto[];
  /** the department's evaluations of this answer and its lines, as entered (computed values are not stored) */
  entries: AnswerEntryDto[];
}

export interface RoundDto {
  id: number;
  planId: number;
  planTitle: string;
  fiscalYear: number;
  phase: Phase;
  deadline: string;
  instructions: string;
  status: 'open' | 'closed';
  departments: { departmentId: number; name: string; reopened: boolean }[];
  createdAt: string;
  closedAt: string | null;
}

export interface RecordComment {
  id: number;
  kind: 'review' | 'return' | 'note';
  body: string;
  userName: string;
  at: string;
}

export interface SheetItem {
  project: {
    id: number;
    number: string;
    name: string;
    summary: string;
    category: string | null;
    audience: string;
    /** values of the plan's extra fields on projects */
    custom: CustomValues;
    path: string;
    leadDepartmentId: number | null;
    departmentIds: number[];
  };
  record: RecordDto;
  previous: RecordDto | null;
  indicators: IndicatorDto[];
  /** the other departments' records of the same project this year, for 「○○課に同じ」 */
  others: { departmentId: number; name: string; record: RecordDto }[];
  comments: RecordComment[];
  /** every slot's value for this answer and its lines, as the plan's rules resolve them now */
  evaluations: AnswerEvaluations;
}

/** An answer's evaluations: the record's slots, and each indicator line's with the facts its rule reads. */
export interface AnswerEvaluations {
  record: Record<string, SlotValueDto>;
  lines: {
    indicatorId: number;
    /** the target, baseline and previous values in force this year: the sheet recomputes as the actual is typed */
    facts: LineFacts;
    values: Record<string, SlotValueDto>;
  }[];
}

export interface Sheet {
  round: RoundDto;
  department: { id: number; name: string };
  /** the round takes answers from this department now */
  open: boolean;
  canEdit: boolean;
  /** the plan's evaluation configuration in force this year (its scales and slots) */
  evaluation: EvaluationConfig;
  /** the plan's extra fields: those on projects shown with each project, those on answers entered here */
  customFields: CustomFieldDef[];
  items: SheetItem[];
}

export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

export interface HistoryEntry {
  id: number;
  version: number;
  action: 'create' | 'save' | 'submit' | 'return' | 'approve' | 'reopen' | 'rollover' | 'undo';
  userName: string | null;
  at: string;
  message: string;
  changes: FieldChange[];
}

/**
 * A version of an answer as the history shows it: one change, or a person's consecutive saves of the
 * answer made close together (each within a few minutes of the one before, nobody else's change between),
 * shown as one version with what changed from the first to the last. The audit keeps every save.
 */
export interface HistoryVersion {
  /** the record's version after it */
  version: number;
  /** the record's version after its first change; the same as `version` for one change */
  fromVersion: number;
  action: HistoryEntry['action'];
  userName: string | null;
  /** when its first change was made */
  from: string;
  /** when its last change was made */
  at: string;
  /** how many changes it holds */
  saves: number;
  message: string;
  changes: FieldChange[];
}

/** Where an answer belongs: its project, 課 and year, and the round whose sheet shows it. */
export interface RecordSubject {
  planTitle: string;
  fiscalYear: number;
  projectNumber: string;
  projectName: string;
  departmentName: string;
  /** the latest round of the year that asks the 課 (for a link to its sheet), if any */
  roundId: number | null;
}

/** GET /records/:id/history */
export interface RecordHistoryResponse {
  record: RecordDto;
  subject: RecordSubject;
  /** every change, newest first, as stored */
  entries: HistoryEntry[];
  /** the same changes as versions, newest first: close saves by one person grouped */
  versions: HistoryVersion[];
  sinceSubmission: FieldChange[] | null;
  betweenSubmissions: FieldChange[] | null;
  comments: RecordComment[];
}

export interface BoardRow {
  departmentId: number;
  name: string;
  reopened: boolean;
  counts: Record<RecordStatus, number>;
  total: number;
}

/** A project and 課 of the round's year without an answer in the round (the project added, or given to the 課, in a way that made none). */
export interface MissingRecord {
  projectId: number;
  number: string;
  name: string;
  departmentId: number;
  departmentName: string;
  /** whether the round asks this 課 already; adding the answer adds the 課 to the round otherwise */
  asked: boolean;
}

/** GET /rounds/:id/board */
export interface BoardResponse {
  round: RoundDto;
  rows: BoardRow[];
  /** while the round takes answers: the projects and 課 it has no answer for yet */
  missing: MissingRecord[];
  /** whether reminder mail can be sent (the server has an SMTP server set up) */
  mailConfigured: boolean;
}

/** POST /rounds/:id/missing-records: the answers added to the open round (none when there were none to add). */
export interface AddedRecordsResponse {
  added: MissingRecord[];
}

export interface CouncilAnswer {
  id: number;
  body: string;
  departmentId: number | null;
  departmentName: string | null;
  userName: string;
  at: string;
}

export interface CouncilComment {
  id: number;
  fiscalYear: number;
  body: string;
  userName: string;
  at: string;
  answers: CouncilAnswer[];
}

export interface CouncilProject {
  project: {
    id: number;
    number: string;
    name: string;
    path: string;
    departmentIds: number[];
    /** the top-level node (基本目標) it sits under in the year, for the filter */
    top: { id: number; number: string; title: string } | null;
  };
  /** the project's 活動指標 with their targets: the records' actuals are their values of the year */
  indicators: IndicatorDto[];
  records: {
    departmentId: number;
    departmentName: string;
    record: RecordDto;
    /** every slot's value of the answer and of its indicator lines, computed ones included */
    evaluations: AnswerEvaluations;
  }[];
  /** the whole thread of the project, every year */
  comments: CouncilComment[];
}

/** GET /council/years: the plans' years the council page can show (those with a round), newest first. */
export interface CouncilYearsResponse {
  years: {
    planId: number;
    fiscalYear: number;
    /** projects with an approved answer in the year (of the user's own 課, for a department) */
    approvedProjects: number;
  }[];
}

export interface Task {
  kind: 'sheet' | 'returned' | 'review' | 'council_answer' | 'council_review' | 'evaluation';
  title: string;
  detail: string;
  link: string;
  count: number;
  deadline: string | null;
  daysLeft: number | null;
}

/** One record in a round's review table. */
export interface ReviewRow {
  recordId: number;
  version: number;
  projectId: number;
  projectNumber: string;
  projectName: string;
  /** the printed path of the project's node in the round's year */
  path: string;
  departmentId: number;
  departmentName: string;
  status: RecordStatus;
  /** the answer's codes in the printed slots on answers and lines, each with its slot's key: its own, then its lines' */
  grades: { slot: string; code: string }[];
  /** what the self-evaluation checks found (warnings: a grade that contradicts the computation, a copied result…) */
  checks: CheckFinding[];
  submittedAt: string | null;
  updatedAt: string;
  updatedByName: string | null;
  /** fields changed since the submission before the last one; null on a first submission */
  changedSinceLastSubmission: string[] | null;
  comments: number;
}

export interface ReviewTable {
  round: RoundDto;
  /** each review slot's name and legend, in the plan's order */
  gradeOptions: { slot: string; slotName: string; code: string; label: string }[];
  rows: ReviewRow[];
}

/** What a bulk review action did, to undo it for a short while. */
export interface ReviewResult {
  action: 'approve' | 'return';
  records: { id: number; version: number }[];
  /** ISO time until which the action can be undone */
  undoUntil: string;
}

/** A report layout: one of the built-ins or the municipality's own. */
export interface LayoutEntry {
  name: string;
  label: string;
  builtin: boolean;
  definition: ReportLayout;
}

/** GET /report-layouts */
export interface LayoutListResponse {
  layouts: LayoutEntry[];
}

/** POST /report-layouts */
export interface LayoutResponse {
  layout: LayoutEntry;
}

/** GET /report (format json): the document every output renders. */
export interface ReportResponse {
  document: ReportDocument;
}

/** GET /report-summary */
export interface ReportSummaryResponse {
  summary: ReportSummary;
}

/** One indicator from its baseline through each year's target and actual (departments summed) to the final target. */
export interface IndicatorSeries {
  id: number;
  name: string;
  unit: string;
  direction: string;
  baseline: { year: number | null; value: number | null; text: string };
  finalTarget: { year: number; value: number | null; text: string };
  points: { fiscalYear: number; target: number | null; actual: number | null; actualText: string }[];
}

/** GET /indicators/:id/series */
export interface IndicatorSeriesResponse {
  series: IndicatorSeries;
}

/** One published version of a report. */
export interface SnapshotEntry {
  id: number;
  planId: number;
  planTitle: string;
  fiscalYear: number;
  layout: string;
  title: string;
  asOf: string;
  publishedAt: string;
  supersededBy: number | null;
  /** answers not yet approved were included on purpose: shown as 速報（未確定を含む） */
  includesUnapproved: boolean;
  /** the year's answers by status when it was published */
  statusCounts: Partial<Record<RecordStatus, number>>;
  withdrawnAt: string | null;
  withdrawReason: string;
}

export interface PublishPreview {
  planId: number;
  fiscalYear: number;
  /** the year's answers by status: what would be published (approved) and what would be left out */
  statusCounts: Record<RecordStatus, number>;
  total: number;
  /** publications of this plan and year that are on the public page now */
  current: SnapshotEntry[];
}

/** GET /report-snapshots */
export interface SnapshotListResponse {
  snapshots: SnapshotEntry[];
}

/** POST /report-snapshots and /report-snapshots/:id/withdraw: the version as it is now. */
export interface SnapshotResponse {
  snapshot: SnapshotEntry;
}

/** GET /report-snapshots/preview */
export interface PublishPreviewResponse {
  preview: PublishPreview;
}

/** One row of the audit trail, with the actor as they were named when they acted. */
export interface AuditEntry {
  id: number;
  at: string;
  municipalityId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  actorLogin: string;
  actorName: string;
  ip: string;
  userAgent: string;
  detail: unknown;
}

/** A page of the audit trail, newest first; `next` is the `before` of the following page. */
export interface AuditPage {
  entries: AuditEntry[];
  next: number | null;
}

// ---- Evaluation slots (docs/evaluation.md) ----

/** One slot's value for one subject: what prints, where it came from, and the entry behind it (if any). */
export interface SlotValueDto {
  code: string | null;
  level: string | null;
  source: EvaluationSource;
  /** the reason entered with it (overrides print it); empty for computed values */
  reason: string;
  comment: string;
  /** how the rule computed (or why it could not), in words */
  basis: string;
  /** what the rule computed, where it did */
  computedCode: string | null;
  entryId: number | null;
  /** the entry's version for optimistic locking; 0 where nothing was entered yet */
  version: number;
  /** who saved the entry last (named as at the time) and when; empty and null where nothing was entered */
  enteredByName: string;
  enteredAt: string | null;
}

export interface EvaluationVersionDto {
  id: number;
  fromYear: number;
  /** the last year it applies in; null: until the plan's end */
  toYear: number | null;
  config: EvaluationConfig;
  note: string;
  createdAt: string;
  createdByName: string;
  /** fixed (approved or published) years it covers: its contents can no longer change */
  fixedYears: number[];
}

export interface EvaluationSettingsDto {
  planId: number;
  firstYear: number;
  lastYear: number;
  versions: EvaluationVersionDto[];
  fixedYears: number[];
  presets: { name: string; label: string; config: EvaluationConfig }[];
}

export interface NodeEvaluationRow {
  /** a node of the tree, a project under its node (where a slot evaluates projects), or the whole plan */
  subjectKind: 'node' | 'project' | 'plan';
  subjectId: number;
  depth: number;
  number: string;
  title: string;
  /** by slot key; only the slots that evaluate this node */
  values: Record<string, SlotValueDto>;
}

export interface NodeEvaluationsDto {
  planId: number;
  fiscalYear: number;
  /** the year's scales and its slots on nodes and on the plan */
  config: EvaluationConfig;
  /** the slot keys the signed-in user may enter */
  mayEnter: string[];
  rows: NodeEvaluationRow[];
  /** entered evaluations of the year whose subject the year no longer has (for the coordinating section; else empty) */
  stray: StrayEvaluationDto[];
}

/** An entered evaluation neither printed nor counted, because the year no longer has what it was entered on. */
export interface StrayEvaluationDto {
  slotKey: string;
  slotName: string;
  subjectKind: SubjectKind;
  subjectId: number;
  /** what it was entered on, in words: 「事業3 講座」, a node's title, an indicator's name, 計画全体 */
  subject: string;
  department: string | null;
  code: string | null;
  comment: string;
}

export interface EvaluationHistoryEntryDto {
  version: number;
  at: string;
  actorName: string;
  before: { code: string | null; reason: string; comment: string };
  after: { code: string | null; reason: string; comment: string };
}

/** POST /imports/preview: a file read through its mapping with the user's fixes, every row as it would be stored. */
export interface ImportPreview {
  mapping: ImportMapping;
  sheets?: string[];
  encoding?: string;
  /** the corrected source rows, for editing cells in the preview */
  source: { line: number; cells: string[] }[];
  /** excluded lines left out; a row with flags is not stored */
  rows: ImportRow[];
  summary: ImportSummary;
  /** 自動修正: whole-line moves made without asking (autoRepair), each undoable by its line */
  repairs: Repair[];
  /** probable misreads, for the user to accept as fixes.words */
  suspects: Suspect[];
  /** how each department name as written was matched (kind 'new': not registered) */
  names: NameMatch[];
  /** what the document says about itself: title, fiscal year, as-of date */
  meta: DocumentMeta;
  /** with a target plan: where the file's nodes go in it */
  nodeMatches?: ImportNodeMatch[];
}

// ---- imports as batches

/** Where a file's node goes in an existing plan: the node it matches (by number in any style, or by title), or a new one. */
export interface ImportNodeMatch {
  /** the level, 0 for the top */
  level: number;
  /** the number as the file prints it */
  number: string;
  title: string;
  existingNodeId: number | null;
  /** the existing node as the plan prints it (「Ⅰ 男女共同参画の意識づくり」); null: 新規 */
  existingLabel: string | null;
}

/** A row a re-import would remove (or could not). */
export interface ImportRemovedRow {
  kind: 'node' | 'project' | 'assignment' | 'indicator' | 'record' | 'target' | 'actual';
  label: string;
}

/** What importing the same source again removes: what the earlier import created and the file no longer has. */
export interface ImportRemovals {
  /** the earlier import of the same source this one replaces; null: none */
  replaces: { id: number; sourceName: string; createdAt: string; userName: string } | null;
  projects: { number: string; name: string }[];
  /** department answers: 「12 DV相談事業」 of 「人権推進課」 */
  records: { project: string; department: string }[];
  nodes: { number: string; title: string }[];
  /** indicators, their values, department assignments */
  others: ImportRemovedRow[];
  /** rows that cannot be removed, each with why (a year fixed or published, edited since …) */
  kept: (ImportRemovedRow & { reason: string })[];
}

/** POST /imports/commit */
export interface ImportCommitResult {
  planId: number;
  created: { nodes: number; projects: number; records: number; departments: number; indicators: number };
  updated: { records: number };
  skipped: { line: number; reason: string }[];
  /** the batch this commit was recorded as */
  batch: { id: number; replaced: number | null } | null;
  removals: ImportRemovals;
  nodeMatches: ImportNodeMatch[];
}

/** POST /imports/replace-preview: what a commit into the plan would do, computed and not kept. */
export interface ImportReplacePreview {
  created: ImportCommitResult['created'];
  updated: ImportCommitResult['updated'];
  removals: ImportRemovals;
  nodeMatches: ImportNodeMatch[];
}

export type ImportBatchStatus = 'live' | 'replaced' | 'undone';

/** One import of a file into a plan. */
export interface ImportBatch {
  id: number;
  planId: number;
  fiscalYear: number;
  sourceName: string;
  createdAt: string;
  userName: string;
  /** the plan was created by this import */
  createdPlan: boolean;
  /** rows the import created, changed and removed */
  counts: { created: number; updated: number; removed: number };
  /** what the file holds: its projects and department answers */
  file: { projects: number; records: number };
  status: ImportBatchStatus;
  replacedBy: number | null;
  undoneAt: string | null;
  undoneByName: string;
  /** why it cannot be undone now, null when it can (and for undone imports) */
  undoProblem: string | null;
  /** rows a replacement could not remove */
  kept: (ImportRemovedRow & { reason: string })[];
}

/** GET /plans/:id/import-batches */
export interface ImportBatchList {
  batches: ImportBatch[];
}

/** POST /import-batches/:id/undo */
export interface ImportUndoResult {
  batch: ImportBatch;
  restored: { removed: number; restored: number; reinserted: number };
  /** the departments the import had added: removed, or kept (by name) because something else uses them now */
  departments: { removed: number; kept: string[] };
}
