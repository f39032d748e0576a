import type { SessionUser } from '../../../domain/api-types.js';
import * as policy from '../../../domain/policy.js';
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

// The rules are src/domain/policy.ts, shared with the SPA; here they are asked of the actor, and a
// "no" becomes a 403 whose message says who may.

export const isAdmin = (a: Actor) => policy.isAdmin(a.user);

/** Any signed-in user of this municipality, or a system administrator. */
export function assertCanRead(actor: Actor, municipalityId: number): void {
  if (!policy.canRead(actor.user, municipalityId)) throw forbidden('他の自治体のデータにはアクセスできません');
}

/** Plan structure and the org tree are edited by the coordinating section. */
export function assertCanEditPlans(actor: Actor, municipalityId: number): void {
  assertCanRead(actor, municipalityId);
  if (!policy.canCoordinate(actor.user, municipalityId)) throw forbidden('計画の編集は計画所管課の担当者のみ行えます');
}

export function assertCanManageDepartments(actor: Actor, municipalityId: number): void {
  assertCanRead(actor, municipalityId);
  if (!policy.canCoordinate(actor.user, municipalityId))
    throw forbidden('組織の管理は計画所管課の担当者またはシステム管理者のみ行えます');
}

export function assertCanManageUsers(actor: Actor, municipalityId: number | null): void {
  if (!policy.canManageUsers(actor.user, municipalityId))
    throw forbidden('利用者の管理は計画所管課の担当者またはシステム管理者のみ行えます');
}

/** Creating, changing or giving an account of this role. */
export function assertMayAssignRole(actor: Actor, role: SessionUser['role']): void {
  if (!policy.mayAssignRole(actor.user, role))
    throw forbidden(
      role === 'system_admin'
        ? 'システム管理者の登録・変更はシステム管理者のみ行えます'
        : '計画所管課の利用者の登録・変更はシステム管理者のみ行えます',
    );
}

/**
 * Whether a department user answers for this department: their own, or one their department
 * replaced in a reorganisation that has taken effect (its open sheets pass to the successor).
 */
export function actsFor(actor: Actor, departmentId: number): boolean {
  return policy.actsFor(actor.user, departmentId);
}

/** A department's sheet: its own editors and viewers, and the coordinating section. */
export function assertCanReadDepartment(actor: Actor, municipalityId: number, departmentId: number): void {
  assertCanRead(actor, municipalityId);
  if (!policy.canReadDepartment(actor.user, municipalityId, departmentId))
    throw forbidden('他の課の回答は表示できません');
}

/** Writing a department's answers: its own editors, and the coordinating section. */
export function assertCanWriteDepartment(actor: Actor, municipalityId: number, departmentId: number): void {
  assertCanRead(actor, municipalityId);
  if (policy.canWriteDepartment(actor.user, municipalityId, departmentId)) return;
  if (actor.user.role === 'department_editor') throw forbidden('他の課の回答は変更できません');
  throw forbidden('回答を入力する権限がありません');
}

/** Whether the actor may write this department's answers (for a sheet's `canEdit`; reading is checked already). */
export function mayWriteDepartment(actor: Actor, municipalityId: number, departmentId: number): boolean {
  return policy.canWriteDepartment(actor.user, municipalityId, departmentId);
}

/** Opening rounds, returning and approving: the coordinating section only. */
export function assertCoordinator(actor: Actor, municipalityId: number): void {
  assertCanRead(actor, municipalityId);
  if (!policy.canCoordinate(actor.user, municipalityId)) throw forbidden('この操作は計画所管課の担当者のみ行えます');
}

/** The trail of a municipality, or (null) the whole trail. */
export function assertCanReadAudit(actor: Actor, municipalityId: number | null): void {
  if (municipalityId !== null) assertCanRead(actor, municipalityId);
  if (policy.canReadAudit(actor.user, municipalityId)) return;
  throw forbidden(
    municipalityId === null
      ? '全体の監査記録はシステム管理者のみ閲覧できます'
      : '監査記録は計画所管課の担当者またはシステム管理者のみ閲覧できます',
  );
}

export function isCoordinatorOf(actor: Actor): boolean {
  return policy.isCoordinating(actor.user);
}

/** Editors and viewers, who see only their own department's part. */
export function isDepartmentUser(actor: Actor): boolean {
  return policy.isDepartmentUser(actor.user);
}
