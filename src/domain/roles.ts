export const ROLES = [
  'system_admin',
  'coordinator',
  'department_editor',
  'department_viewer',
  'council_member',
  'committee_member',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  system_admin: 'システム管理者',
  // Said without brackets of their own: screens print a role in brackets after a name (山田 花子（担当課・入力者）).
  coordinator: '計画所管課・取りまとめ',
  department_editor: '担当課・入力者',
  department_viewer: '担当課・閲覧者',
  council_member: '審議会委員',
  committee_member: '評価委員',
};

/** Roles whose accounts belong to one department. */
export const DEPARTMENT_ROLES: readonly Role[] = ['department_editor', 'department_viewer'];

export function isDepartmentRole(role: Role): boolean {
  return DEPARTMENT_ROLES.includes(role);
}
