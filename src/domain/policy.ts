import type { EntryRole } from './evaluation/terms.js';
import type { Role } from './roles.js';

/**
 * Who may do what: one set of rules for the server, which authorizes every request with them
 * (src/server/modules/auth/actor.ts turns a "no" into a 403 with its message), and for the SPA, which
 * only uses them to show or hide what a user cannot do. Pure: the user as the session describes them,
 * and the municipality or department at hand.
 *
 * - system_admin: everything, in every municipality; the only one who manages municipalities and
 *   coordinators' or administrators' accounts.
 * - coordinator (計画所管課): their own municipality: plans, the org tree, rounds and review, the audit
 *   trail, and the accounts of departments and council members.
 * - department_editor / department_viewer (担当課): read; editors answer for their own department
 *   and for units it replaced in a reorganisation (`departmentIds`).
 * - council_member (審議会委員): read approved answers; write remarks on them, and enter the evaluations
 *   of slots the plan gives the council.
 * - committee_member (評価委員, e.g. an internal or external evaluation committee): read approved answers;
 *   enter the evaluations of slots the plan gives a committee.
 */
export interface PolicyUser {
  role: Role;
  municipalityId: number | null;
  /** the department and the units it replaced in reorganisations that have taken effect */
  departmentIds: readonly number[];
}

export const isAdmin = (u: PolicyUser): boolean => u.role === 'system_admin';

/** The coordinating section (計画所管課) or a system administrator. */
export const isCoordinating = (u: PolicyUser): boolean => isAdmin(u) || u.role === 'coordinator';

/** Editors and viewers: accounts that belong to a department and see its answers. */
export const isDepartmentUser = (u: PolicyUser): boolean =>
  u.role === 'department_editor' || u.role === 'department_viewer';

/** Any signed-in user of this municipality, or a system administrator. */
export const canRead = (u: PolicyUser, municipalityId: number): boolean =>
  isAdmin(u) || u.municipalityId === municipalityId;

/** Plan structure, indicators, the org tree, rounds and review: the coordinating section. */
export const canCoordinate = (u: PolicyUser, municipalityId: number): boolean =>
  canRead(u, municipalityId) && isCoordinating(u);

/** A municipality's trail (`municipalityId`) to its coordinators; the whole trail (null) to administrators. */
export const canReadAudit = (u: PolicyUser, municipalityId: number | null): boolean =>
  municipalityId === null ? isAdmin(u) : canCoordinate(u, municipalityId);

/** Accounts of a municipality (null: administrators' own accounts). */
export const canManageUsers = (u: PolicyUser, municipalityId: number | null): boolean =>
  isAdmin(u) || (u.role === 'coordinator' && municipalityId !== null && u.municipalityId === municipalityId);

/** The roles a coordinator gives: their municipality's department and council accounts, never a peer's. */
const COORDINATOR_ASSIGNS: readonly Role[] = [
  'department_editor',
  'department_viewer',
  'council_member',
  'committee_member',
];

/** Whether the user may create, change or give an account of this role. */
export const mayAssignRole = (u: PolicyUser, role: Role): boolean => isAdmin(u) || COORDINATOR_ASSIGNS.includes(role);

/**
 * Whether a department user answers for this department: their own, or one their department
 * replaced in a reorganisation that has taken effect (its open sheets pass to the successor).
 */
export const actsFor = (u: PolicyUser, departmentId: number): boolean =>
  isDepartmentUser(u) && u.departmentIds.includes(departmentId);

/** A department's sheet: its own editors and viewers, and the coordinating section. */
export const canReadDepartment = (u: PolicyUser, municipalityId: number, departmentId: number): boolean =>
  canRead(u, municipalityId) && (isCoordinating(u) || actsFor(u, departmentId));

/** Writing a department's answers: its own editors, and the coordinating section. */
export const canWriteDepartment = (u: PolicyUser, municipalityId: number, departmentId: number): boolean =>
  canRead(u, municipalityId) && (isCoordinating(u) || (u.role === 'department_editor' && actsFor(u, departmentId)));

/** Comments on a record: anyone who reads it but a viewer. */
export const mayCommentOnRecords = (u: PolicyUser): boolean => u.role !== 'department_viewer';

/** Remarks on a year's approved answers: council members. */
export const mayRemarkInCouncil = (u: PolicyUser): boolean => u.role === 'council_member';

/** Answers to a council remark: the coordinating section, or an editor of the project's department. */
export const mayAnswerCouncil = (u: PolicyUser): boolean => isCoordinating(u) || u.role === 'department_editor';

/** Council and committee members read a year's approved answers only: drafts stay inside the city hall. */
export const readsApprovedOnly = (u: PolicyUser): boolean =>
  u.role === 'council_member' || u.role === 'committee_member';

/**
 * Entering an evaluation slot's value outside the departments' sheets: the role the plan names for it
 * (the coordinating section may also enter the council's and a committee's on their behalf, e.g. from
 * the minutes). Department slots are entered with the answer (`canWriteDepartment`), computed ones by nobody.
 */
export const mayEnterSlot = (u: PolicyUser, enteredBy: EntryRole, municipalityId: number): boolean => {
  if (!canRead(u, municipalityId)) return false;
  if (enteredBy === 'coordinator') return isCoordinating(u);
  if (enteredBy === 'council') return isCoordinating(u) || u.role === 'council_member';
  if (enteredBy === 'committee') return isCoordinating(u) || u.role === 'committee_member';
  return false;
};
