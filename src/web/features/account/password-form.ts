export type PasswordFieldName = 'currentPassword' | 'newPassword' | 'confirm';
export type PasswordValues = Record<PasswordFieldName, string>;
export type PasswordProblems = Partial<Record<PasswordFieldName, string>>;

export const PASSWORD_FIELDS: readonly PasswordFieldName[] = ['currentPassword', 'newPassword', 'confirm'];

/**
 * What is wrong with the form before it is sent: a missing field, the new password's own problem (as the
 * rule says it, `ruleMessage`), the new one being the current one, a confirmation that differs.
 */
export function passwordFormProblems(values: PasswordValues, ruleMessage: string | undefined): PasswordProblems {
  const found: PasswordProblems = {};
  if (!values.currentPassword) found.currentPassword = '今のパスワードを入力してください';
  found.newPassword = values.newPassword ? ruleMessage : '新しいパスワードを入力してください';
  if (!found.newPassword && values.newPassword === values.currentPassword)
    found.newPassword = '今のパスワードと違うものにしてください';
  if (values.confirm !== values.newPassword) found.confirm = '新しいパスワードと一致しません。もう一度入力してください';
  return found;
}

export function hasProblems(found: PasswordProblems): boolean {
  return PASSWORD_FIELDS.some((f) => found[f]);
}
