import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../lib/api.js';
import { useSession } from '../../lib/session.js';
import { usePageTitle } from '../../lib/hooks.js';
import { ErrorAlert, Field } from '../../components/forms.js';

export function LoginPage() {
  usePageTitle('ログイン');
  const { refresh } = useSession();
  const [loginName, setLoginName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/login', { loginName, password });
      await refresh();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === 'CSRF') await refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login-page">
      <div className="login-card">
        <h1>
          Shinchoku <span className="brand-sub">進捗管理システム</span>
        </h1>
        <p className="lead">計画の進捗状況を、照会から公表まで一つの記録で管理します。</p>
        <form onSubmit={submit} noValidate>
          <ErrorAlert error={error} />
          <Field label="ログインID" required>
            {(p) => (
              <input
                {...p}
                type="text"
                autoComplete="username"
                value={loginName}
                onChange={(e) => setLoginName(e.target.value)}
              />
            )}
          </Field>
          <Field label="パスワード" required>
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'ログイン中…' : 'ログイン'}
          </button>
        </form>
      </div>
    </main>
  );
}
