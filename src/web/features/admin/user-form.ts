import type { User } from '../../lib/types.js';
import type { Role } from '../../../domain/roles.js';

/** A user as the form holds it; the department is the select's value ('' for none). */
export interface UserDraft {
  loginName: string;
  displayName: string;
  /** where reminder mail reaches the user; '' for none */
  email: string;
  role: Role;
  departmentId: string;
  active: boolean;
  password: string;
}

/** What a save sends: a new user has its login name and first password, a changed one whether it is active. */
export interface UserBody {
  loginName?: string;
  displayName?: string;
  email?: string;
  role?: Role;
  departmentId?: number | null;
  active?: boolean;
  password?: string;
}

export function userDraft(user: User | null): UserDraft {
  return {
    loginName: user?.loginName ?? '',
    displayName: user?.displayName ?? '',
    email: user?.email ?? '',
    role: user?.role ?? 'department_editor',
    departmentId: user?.departmentId ? String(user.departmentId) : '',
    active: user?.active ?? true,
    password: '',
  };
}

export function userBody(d: UserDraft, existing: boolean): UserBody {
  const body: UserBody = {
    displayName: d.displayName,
    email: d.email.trim(),
    role: d.role,
    departmentId: d.departmentId ? Number(d.departmentId) : null,
  };
  if (existing) body.active = d.active;
  else {
    body.loginName = d.loginName;
    body.password = d.password;
  }
  return body;
}
