import type { SessionUser } from '../../../domain/api-types.js';
import { forbidden } from '../../http/errors.js';

export type { SessionUser };

/** Who acts, passed first to every service function. */
export interface Actor {
  user: SessionUser;
  requestId: string;
  /** where the request came from, for the audit trail */
  ip?: string;
  userAgent?: string;
}

export const isAdmin = (a: Actor) => a.user.role === 'system_admin';

/** Any signed-in user of this municipality, or a system administrator. */
export function assertCanRead(actor: Actor, municipalityId: number): void {
  if (isAdmin(actor)) return;
  if (actor.user.municipalityId !== municipalityId) throw forbidden('他の自治体のデータにはアクセスできません');
}

/** Plan structure and the org tree are edited by the coordinating section. */
export function assertCanEditPlans(actor: Actor, municipalityId: number): void {
  assertCanRead(actor, municipalityId);
  if (!isAdmin(actor) && actor.user.role !== 'coordinator')
    throw forbidden('計画の編集は計画所管課の担当者のみ行えます');
}

export function assertCanManageDepartments(actor: Actor, municipalityId: number): void {
  assertCanRead(actor, municipalityId);
  if (!isAdmin(actor) && actor.user.role !== 'coordinator')
    throw forbidden('組織の管理は計画所管課の担当者またはシステム管理者のみ行えます');
}

export function assertCanManageUsers(actor: Actor, municipalityId: number | null): void {
  if (isAdmin(actor)) return;
  if (actor.user.role !== 'coordinator' || municipalityId === null || actor.user.municipalityId !== municipalityId)
    throw forbidden('利用者の管理は計画所管課の担当者またはシステム管理者のみ行えます');
}

const isCoordinating = (a: Actor) => isAdmin(a) || a.user.role === 'coordinator';

/**
 * Whether a department user answers for this department: their own, or one their department
 * replaced in a reorganisation that has taken effect (its open sheets pass to the successor).
 */
export function actsFor(actor: Actor, departmentId: number): boolean {
  return (
    (actor.user.role === 'department_editor' || actor.user.role === 'department_viewer') &&
    actor.user.departmentIds.includes(departmentId)
  );
}

/** A department's sheet: its own editors and viewers, and the coordinating section. */
export function assertCanReadDepartment(actor: Actor, municipalityId: number, departmentId: number): void {
  assertCanRead(actor, municipalityId);
  if (isCoordinating(actor)) return;
  if (actsFor(actor, departmentId)) return;
  throw forbidden('他の課の回答は表示できません');
}

/** Writing a department's answers: its own editors, and the coordinating section. */
export function assertCanWriteDepartment(actor: Actor, municipalityId: number, departmentId: number): void {
  assertCanRead(actor, municipalityId);
  if (isCoordinating(actor)) return;
  if (actor.user.role === 'department_editor' && actsFor(actor, departmentId)) return;
  if (actor.user.role === 'department_editor') throw forbidden('他の課の回答は変更できません');
  throw forbidden('回答を入力する権限がありません');
}

/** Opening rounds, returning and approving: the coordinating section only. */
export function assertCoordinator(actor: Actor, municipalityId: number): void {
  assertCanRead(actor, municipalityId);
  if (!isCoordinating(actor)) throw forbidden('この操作は計画所管課の担当者のみ行えます');
}

export function isCoordinatorOf(actor: Actor): boolean {
  return isCoordinating(actor);
}
