import { useId, useState, type Ref } from 'react';
import { Field } from './forms.js';
import { PASSWORD_MIN_LENGTH, passwordProblems, type PasswordContext } from '../../domain/password-policy.js';
import './password-field.css';

/** The password rule in one sentence, as the server applies it (src/domain/password-policy.ts). */
export const PASSWORD_RULE = `${PASSWORD_MIN_LENGTH}文字以上。よく使われるもの、同じ文字や並んだ文字の繰り返し、ログインIDや氏名を含むものは使えません`;

/** The problems of a password typed for an account, joined as the server joins them. */
export function passwordMessage(password: string, account: PasswordContext): string | undefined {
  const problems = passwordProblems(password, account);
  return problems.length ? problems.join('。') : undefined;
}

/**
 * A field for a new password with the rule shown above it and checked as it is typed, against the
 * account's own login ID and name. `error` is the message of a submission that was refused.
 */
export function NewPasswordField({
  label,
  value,
  onChange,
  account,
  error,
  required = true,
  hint = PASSWORD_RULE,
  inputRef,
  revealable,
  name,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  account: PasswordContext;
  error?: string;
  required?: boolean;
  hint?: string;
  inputRef?: Ref<HTMLInputElement>;
  /** offer to show the typed characters: for a temporary password that is to be told to its user */
  revealable?: boolean;
  /** the API's name for the field, as for Field */
  name?: string;
}) {
  const checkId = useId();
  const [shown, setShown] = useState(false);
  const problems = value ? passwordProblems(value, account) : [];
  return (
    <Field label={label} name={name} required={required} hint={hint} error={error}>
      {(p) => (
        <>
          <input
            {...p}
            ref={inputRef}
            type={shown ? 'text' : 'password'}
            autoComplete="new-password"
            spellCheck={false}
            value={value}
            aria-describedby={[p['aria-describedby'], checkId].filter(Boolean).join(' ')}
            onChange={(e) => onChange(e.target.value)}
          />
          {revealable && (
            <label className="password-reveal">
              <input type="checkbox" checked={shown} onChange={(e) => setShown(e.target.checked)} />
              入力した文字を表示する
            </label>
          )}
          <div id={checkId} className="password-check" aria-live="polite">
            {/* A refused submission lists the same problems beside the field: said once. */}
            {value === '' || (error && problems.length) ? null : problems.length ? (
              <>
                <p className="password-check-title">このままでは使えません:</p>
                <ul>
                  {problems.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="password-check-ok">
                <span aria-hidden="true">✓ </span>条件を満たしています
              </p>
            )}
          </div>
        </>
      )}
    </Field>
  );
}
