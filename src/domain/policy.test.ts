import { describe, expect, it } from 'vitest';
import { ENTRY_ROLES } from './evaluation/terms.js';
import type { Role } from './roles.js';
import {
  canCoordinate,
  canManageUsers,
  canRead,
  canReadAudit,
  canReadDepartment,
  canWriteDepartment,
  mayAnswerCouncil,
  mayAssignRole,
  mayEnterSlot,
  mayRemarkInCouncil,
} from './policy.js';

const user = (role: Role, municipalityId: number | null = 1, departmentIds: number[] = []) => ({
  role,
  municipalityId,
  departmentIds,
});

describe('policy', () => {
  it('keeps each municipality to itself, but for administrators', () => {
    expect(canRead(user('department_viewer'), 1)).toBe(true);
    expect(canRead(user('coordinator'), 2)).toBe(false);
    expect(canRead(user('system_admin', null), 2)).toBe(true);
    expect(canCoordinate(user('coordinator'), 1)).toBe(true);
    expect(canCoordinate(user('coordinator'), 2)).toBe(false);
    expect(canCoordinate(user('department_editor', 1, [5]), 1)).toBe(false);
  });

  it('lets a department read and write only its own answers (and those of units it replaced)', () => {
    const editor = user('department_editor', 1, [5, 3]);
    const viewer = user('department_viewer', 1, [5]);
    expect(canWriteDepartment(editor, 1, 3)).toBe(true);
    expect(canWriteDepartment(editor, 1, 4)).toBe(false);
    expect(canReadDepartment(viewer, 1, 5)).toBe(true);
    expect(canWriteDepartment(viewer, 1, 5)).toBe(false);
    expect(canWriteDepartment(user('coordinator'), 1, 4)).toBe(true);
    expect(canReadDepartment(user('council_member'), 1, 5)).toBe(false);
  });

  it('gives accounts: coordinators those of departments and the council, administrators any', () => {
    expect(canManageUsers(user('coordinator'), 1)).toBe(true);
    expect(canManageUsers(user('coordinator'), null)).toBe(false);
    expect(mayAssignRole(user('coordinator'), 'council_member')).toBe(true);
    expect(mayAssignRole(user('coordinator'), 'coordinator')).toBe(false);
    expect(mayAssignRole(user('system_admin', null), 'system_admin')).toBe(true);
  });

  it('shows the whole audit trail to administrators only', () => {
    expect(canReadAudit(user('coordinator'), 1)).toBe(true);
    expect(canReadAudit(user('coordinator'), null)).toBe(false);
    expect(canReadAudit(user('system_admin', null), null)).toBe(true);
  });

  it('lets the council remark and the departments and coordinators answer', () => {
    expect(mayRemarkInCouncil(user('council_member'))).toBe(true);
    expect(mayRemarkInCouncil(user('coordinator'))).toBe(false);
    expect(mayAnswerCouncil(user('department_editor', 1, [5]))).toBe(true);
    expect(mayAnswerCouncil(user('department_viewer', 1, [5]))).toBe(false);
    expect(mayAnswerCouncil(user('system_admin', null))).toBe(true);
  });

  it('lets each slot be entered by the role the plan names, the coordinating section on its behalf, nobody else', () => {
    /** The entry roles a user may enter in municipality 1, in the order of ENTRY_ROLES. */
    const enters = (u: ReturnType<typeof user>) => ENTRY_ROLES.filter((r) => mayEnterSlot(u, r, 1));
    expect(ENTRY_ROLES).toEqual(['department', 'coordinator', 'committee', 'council', 'computed']);
    expect(enters(user('system_admin', null))).toEqual(['coordinator', 'committee', 'council']);
    expect(enters(user('coordinator'))).toEqual(['coordinator', 'committee', 'council']);
    expect(enters(user('council_member'))).toEqual(['council']);
    expect(enters(user('committee_member'))).toEqual(['committee']);
    // A department enters its slots with its answers (canWriteDepartment), never through this rule.
    expect(enters(user('department_editor', 1, [5]))).toEqual([]);
    expect(enters(user('department_viewer', 1, [5]))).toEqual([]);
    // Nobody but an administrator enters another municipality's slots (computed ones nobody enters, above).
    for (const role of ['coordinator', 'council_member', 'committee_member'] as const)
      expect(enters(user(role, 2)), role).toEqual([]);
  });
});
