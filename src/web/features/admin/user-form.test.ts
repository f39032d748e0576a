import { describe, expect, it } from 'vitest';
import { userBody, userDraft } from './user-form.js';

describe('the user form', () => {
  it('registers a new department editor with a login name and first password', () => {
    const d = {
      ...userDraft(null),
      loginName: 'tanaka',
      displayName: '田中',
      email: ' tanaka@example.lg.jp ',
      departmentId: '5',
      password: 'pw-123456789',
    };
    expect(userBody(d, false)).toEqual({
      displayName: '田中',
      email: 'tanaka@example.lg.jp',
      role: 'department_editor',
      departmentId: 5,
      loginName: 'tanaka',
      password: 'pw-123456789',
    });
  });

  it('changes an existing user without its login name or password, saying whether it stays active', () => {
    const d = { ...userDraft(null), displayName: '田中', role: 'council_member' as const, active: false };
    expect(userBody(d, true)).toEqual({
      displayName: '田中',
      email: '',
      role: 'council_member',
      departmentId: null,
      active: false,
    });
  });
});
