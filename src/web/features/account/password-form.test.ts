import { describe, expect, it } from 'vitest';
import { hasProblems, passwordFormProblems } from './password-form.js';

describe('the password change form', () => {
  it('asks for each field and for a confirmation that matches', () => {
    const found = passwordFormProblems({ currentPassword: '', newPassword: '', confirm: 'x' }, undefined);
    expect(found).toEqual({
      currentPassword: '今のパスワードを入力してください',
      newPassword: '新しいパスワードを入力してください',
      confirm: '新しいパスワードと一致しません。もう一度入力してください',
    });
    expect(hasProblems(found)).toBe(true);
  });

  it('says the rule’s problem first, and refuses the current password as the new one', () => {
    const values = { currentPassword: 'old-pass-123', newPassword: 'short', confirm: 'short' };
    expect(passwordFormProblems(values, '12文字以上にしてください').newPassword).toBe('12文字以上にしてください');
    const same = { currentPassword: 'same-pass-1234', newPassword: 'same-pass-1234', confirm: 'same-pass-1234' };
    expect(passwordFormProblems(same, undefined).newPassword).toBe('今のパスワードと違うものにしてください');
  });

  it('has nothing to say about a good change', () => {
    const found = passwordFormProblems(
      { currentPassword: 'old-pass-123', newPassword: 'new-pass-4567', confirm: 'new-pass-4567' },
      undefined,
    );
    expect(hasProblems(found)).toBe(false);
  });
});
