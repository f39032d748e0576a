// The auth module's public surface: who acts and what they may do, passwords and sessions.
export {
  type Actor,
  type SessionUser,
  actsFor,
  assertCanEditPlans,
  assertCanManageDepartments,
  assertCanManageUsers,
  assertCanReadAudit,
  assertMayAssignRole,
  assertCanRead,
  assertCanReadDepartment,
  assertCanWriteDepartment,
  assertCoordinator,
  isAdmin,
  isCoordinatorOf,
  isDepartmentUser,
  mayWriteDepartment,
} from './actor.js';
export { checkNewPassword } from './auth.service.js';
export { hashPassword } from './password.js';
export { deleteUserSessions, findSessionUser, purgeExpiredSessions } from './sessions.js';
export { CSRF_COOKIE, SESSION_COOKIE, csrfValid } from './csrf.js';
export { authRoutes } from './auth.routes.js';
