import { useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../lib/api.js';
import { useSession } from '../../lib/session.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import { NewPasswordField, passwordMessage } from '../../components/PasswordField.js';
import {
  hasProblems,
  PASSWORD_FIELDS,
  passwordFormProblems,
  type PasswordFieldName,
  type PasswordProblems,
  type PasswordValues,
} from './password-form.js';
import type { PasswordContext } from '../../../domain/password-policy.js';
import './account.css';

const EMPTY: PasswordValues = { currentPassword: '', newPassword: '', confirm: '' };

/** The form's values, what is wrong with them, and sending them; the focus goes to the first field refused. */
function usePasswordChange(account: PasswordContext, onChanged: () => Promise<void> | void) {
  const [values, setValues] = useState<PasswordValues>(EMPTY);
  const [errors, setErrors] = useState<PasswordProblems>({});
  const [alert, setAlert] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const refs = {
    currentPassword: useRef<HTMLInputElement>(null),
    newPassword: useRef<HTMLInputElement>(null),
    confirm: useRef<HTMLInputElement>(null),
  };

  const set = (field: PasswordFieldName) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const refuse = (found: PasswordProblems, message: unknown) => {
    setErrors(found);
    setAlert(message);
    const first = PASSWORD_FIELDS.find((f) => found[f]);
    if (first) refs[first].current?.focus();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = passwordFormProblems(values, passwordMessage(values.newPassword, account));
    if (hasProblems(found)) return refuse(found, new Error('入力内容を確認してください'));
    setBusy(true);
    setErrors({});
    setAlert(null);
    try {
      await api.post('/api/auth/password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      setValues(EMPTY);
      await onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.details.length)
        refuse(
          { currentPassword: err.fieldError('currentPassword'), newPassword: err.fieldError('newPassword') },
          err.fieldError('currentPassword') || err.fieldError('newPassword')
            ? new Error('入力内容を確認してください')
            : err,
        );
      else refuse({}, err);
    } finally {
      setBusy(false);
    }
  };
  return { values, errors, alert, busy, refs, set, submit };
}

/**
 * The user's own password change: the current one, the new one twice. The rule is checked as the
 * new one is typed and again before sending; what the server refuses is shown beside its field.
 */
export function PasswordChangeForm({ onChanged }: { onChanged(): Promise<void> | void }) {
  const { session } = useSession();
  const user = session.user!;
  const account = { loginName: user.loginName, displayName: user.displayName };
  const { values, errors, alert, busy, refs, set, submit } = usePasswordChange(account, onChanged);

  return (
    <form onSubmit={submit} className="panel password-form" noValidate aria-label="パスワードの変更">
      <ErrorAlert error={alert} />
      <Field label="今のパスワード" required error={errors.currentPassword}>
        {(p) => (
          <input
            {...p}
            ref={refs.currentPassword}
            type="password"
            autoComplete="current-password"
            value={values.currentPassword}
            onChange={(e) => set('currentPassword')(e.target.value)}
          />
        )}
      </Field>
      <NewPasswordField
        label="新しいパスワード"
        value={values.newPassword}
        onChange={set('newPassword')}
        account={account}
        error={errors.newPassword}
        inputRef={refs.newPassword}
      />
      <Field label="新しいパスワード（確認のためもう一度）" required error={errors.confirm}>
        {(p) => (
          <input
            {...p}
            ref={refs.confirm}
            type="password"
            autoComplete="new-password"
            value={values.confirm}
            onChange={(e) => set('confirm')(e.target.value)}
          />
        )}
      </Field>
      <div className="button-row">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? '変更中…' : 'パスワードを変更する'}
        </button>
      </div>
    </form>
  );
}
