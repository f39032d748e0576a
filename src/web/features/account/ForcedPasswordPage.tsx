import { useNavigate } from 'react-router';
import { api } from '../../lib/api.js';
import { usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import { ROLE_LABELS } from '../../../domain/roles.js';
import { PasswordChangeForm } from './PasswordChangeForm.js';
import '../../components/layout.css';

/**
 * All a user sees while the password someone else set is still theirs (a new account, a reset):
 * the server refuses everything else until it is changed. After the change the session is read
 * again and the app appears.
 */
export function ForcedPasswordPage() {
  usePageTitle('パスワードの変更');
  const { session, refresh } = useSession();
  const navigate = useNavigate();
  const user = session.user!;
  const logout = async () => {
    await api.post('/api/auth/logout');
    await refresh();
    void navigate('/');
  };
  return (
    <>
      <a className="skip-link" href="#main">
        本文へ移動
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">Shinchoku</span>
          <span className="brand-sub">進捗管理</span>
          {session.municipality && <span className="municipality-name">{session.municipality.name}</span>}
        </div>
        <div className="user-box">
          <span className="user-name">
            {user.displayName}
            <span className="visually-hidden">、</span>
            <span className="user-role">{ROLE_LABELS[user.role]}</span>
          </span>
          <button type="button" className="button secondary small" onClick={logout}>
            ログアウト
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="account-page">
        <h1>パスワードの変更</h1>
        <div className="forced-notice">
          <p>初めてのログイン、またはパスワードが再設定されたため、新しいパスワードを決めてください。</p>
          <p>今のパスワードには、知らされた仮のパスワードを入力します。変更が終わるまで、ほかの画面は使えません。</p>
        </div>
        <PasswordChangeForm
          onChanged={async () => {
            void navigate('/', { replace: true });
            await refresh();
          }}
        />
      </main>
    </>
  );
}
