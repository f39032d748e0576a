import { Suspense, useEffect } from 'react';
import { NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../lib/api.js';
import { useSession } from '../lib/session.js';
import type { Municipality, Session } from '../lib/types.js';
import { ROLE_LABELS } from '../../domain/roles.js';
import { PageLoading } from './PageLoading.js';
import './layout.css';
import { isAdmin, isCoordinating, readsApprovedOnly } from '../../domain/policy.js';
import { helpTopicOf } from '../features/help/help-topics.js';

export function Layout() {
  const { session, refresh } = useSession();
  const user = session.user!;
  const params = useParams();
  const navigate = useNavigate();
  const admin = isAdmin(user);
  const municipalities = useQuery({
    queryKey: ['municipalities'],
    queryFn: () => api.get<{ municipalities: Municipality[] }>('/api/municipalities').then((r) => r.municipalities),
  });
  const mid = params.mid ? Number(params.mid) : (user.municipalityId ?? municipalities.data?.[0]?.id);
  const current = municipalities.data?.find((m) => m.id === mid);

  const help = useHelpAddress();
  useHelpKey(help);

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
          {admin && municipalities.data && municipalities.data.length > 0 ? (
            // The administrator's municipality is chosen where the others read its name.
            <label className="municipality-switch">
              <span className="visually-hidden">対象自治体</span>
              <select value={mid ?? ''} onChange={(e) => navigate(`/m/${e.target.value}/plans`)}>
                {municipalities.data.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            current && (
              <span className="municipality-name" title={current.name}>
                {current.name}
              </span>
            )
          )}
        </div>
        <MainNav user={user} mid={mid} />
        <div className="user-box">
          <span className="user-name" title={`${user.displayName}（${ROLE_LABELS[user.role]}）`}>
            <span className="user-display-name">{user.displayName}</span>
            {user.displayName !== ROLE_LABELS[user.role] && (
              <>
                <span className="visually-hidden">、</span>
                <span className="user-role">{ROLE_LABELS[user.role]}</span>
              </>
            )}
          </span>
          <span className="user-links">
            <NavLink to={help} className="help-link">
              ヘルプ
            </NavLink>
            <NavLink to="/account/password" className="account-link">
              パスワードの変更
            </NavLink>
          </span>
          <button type="button" className="button secondary small" onClick={logout}>
            ログアウト
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}

/** The help of the screen shown, which leads back to it. */
function useHelpAddress(): string {
  const { pathname, search } = useLocation();
  if (pathname.startsWith('/help')) return pathname + search;
  return `/help/${helpTopicOf(pathname)}?from=${encodeURIComponent(pathname + search)}`;
}

/** ? (outside a field, where it would be typed) or F1 opens the screen's help; not over an open dialog. */
function useHelpKey(help: string): void {
  const navigate = useNavigate();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || (e.key !== '?' && e.key !== 'F1')) return;
      const typing =
        e.target instanceof Element &&
        e.target.closest('input, textarea, select, [contenteditable="true"], [contenteditable=""]') !== null;
      if ((e.key === '?' && typing) || document.querySelector('dialog[open]')) return;
      if (window.location.pathname.startsWith('/help')) return;
      e.preventDefault();
      void navigate(help);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [help, navigate]);
}

/** The menu: a municipality's pages, those of the coordinating section, and the administrator's. */
function MainNav({ user, mid }: { user: NonNullable<Session['user']>; mid: number | undefined }) {
  const admin = isAdmin(user);
  const canManage = isCoordinating(user);
  // Council and committee members enter the evaluations of nodes; others reach them from the plan.
  const evaluates = readsApprovedOnly(user);
  return (
    <nav aria-label="メインメニュー" className="main-nav">
      <ul>
        {mid !== undefined && (
          <>
            <li>
              <NavLink to={`/m/${mid}/home`}>ホーム</NavLink>
            </li>
            {/* Council and committee members read approved answers on the 審議会 page; no round asks them anything. */}
            {!evaluates && (
              <li>
                <NavLink to={`/m/${mid}/rounds`}>照会</NavLink>
              </li>
            )}
            <li>
              <NavLink to={`/m/${mid}/council`}>審議会</NavLink>
            </li>
            <li>
              <NavLink to={`/m/${mid}/reports`}>報告</NavLink>
            </li>
            <li>
              <NavLink to={`/m/${mid}/summary`}>集計</NavLink>
            </li>
            <li>
              <NavLink to={`/m/${mid}/plans`}>計画</NavLink>
            </li>
          </>
        )}
        {evaluates && mid !== undefined && (
          <li>
            <NavLink to={`/m/${mid}/evaluations`}>評価</NavLink>
          </li>
        )}
        {canManage && mid !== undefined && (
          <>
            <li>
              <NavLink to={`/m/${mid}/imports`}>取り込み</NavLink>
            </li>
            <li>
              <NavLink to={`/m/${mid}/departments`}>組織</NavLink>
            </li>
            <li>
              <NavLink to={`/m/${mid}/users`}>利用者</NavLink>
            </li>
          </>
        )}
        {canManage && (
          <li>
            <NavLink to={admin ? '/admin/audit' : `/m/${user.municipalityId}/audit`}>監査記録</NavLink>
          </li>
        )}
        {admin && (
          <li>
            <NavLink to="/admin/municipalities">自治体</NavLink>
          </li>
        )}
      </ul>
    </nav>
  );
}
