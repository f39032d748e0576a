import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { Department, User } from '../../lib/types.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { NewPasswordField, PASSWORD_RULE, passwordMessage } from '../../components/PasswordField.js';
import { ROLES, ROLE_LABELS, isDepartmentRole, type Role } from '../../../domain/roles.js';
import './users.css';
import { isAdmin, mayAssignRole } from '../../../domain/policy.js';

/** A 403 is about who may be given which role: its message goes beside 役割. */
const roleRefusal = (err: ApiError | null) => (err?.status === 403 ? err.message : undefined);

export function UsersPage() {
  usePageTitle('利用者');
  const mid = useMid();
  const { session } = useSession();
  const me = session.user!;
  const client = useQueryClient();
  const users = useQuery({
    queryKey: ['users', mid],
    queryFn: () => api.get<{ users: User[] }>(`/api/users?municipalityId=${mid}`).then((r) => r.users),
  });
  const depts = useQuery({
    queryKey: ['departments', mid],
    queryFn: () => api.get<{ departments: Department[] }>(`/api/m/${mid}/departments`).then((r) => r.departments),
  });
  const [message, setMessage] = useState('');
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const mutation = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users', mid] }),
  });
  const deptName = new Map((depts.data ?? []).map((d) => [d.id, d.name]));
  // The roles this user may give, within a municipality (administrators belong to none).
  const roles: Role[] = ROLES.filter((r) => r !== 'system_admin' && mayAssignRole(me, r));
  const mayManage = (u: User) => u.id !== me.id && roles.includes(u.role);
  const units = (depts.data ?? []).filter((d) => d.kind === 'ka' && d.activeTo === null);

  return (
    <section className="users-page">
      <h1>利用者</h1>
      {!isAdmin(me) && (
        <p className="muted">
          計画所管課の担当者が登録・変更できるのは、担当課（入力者・閲覧者）と審議会委員の利用者です。計画所管課の利用者はシステム管理者に依頼してください。
        </p>
      )}
      <p role="status" aria-live="polite" className="status-message">
        {message}
      </p>
      <ErrorAlert error={users.error} />
      <table className="data-table">
        <caption className="visually-hidden">利用者の一覧</caption>
        <thead>
          <tr>
            <th scope="col">ログインID</th>
            <th scope="col">氏名</th>
            <th scope="col">役割</th>
            <th scope="col">所属課</th>
            <th scope="col">状態</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id} className={u.active ? undefined : 'inactive'}>
              <td>{u.loginName}</td>
              <td>{u.displayName}</td>
              <td>{ROLE_LABELS[u.role]}</td>
              <td>{u.departmentId ? deptName.get(u.departmentId) : ''}</td>
              <td>
                {u.active ? '有効' : '無効'}
                {u.active && u.mustChangePassword && (
                  <span className="hint must-change">（次のログインでパスワード変更）</span>
                )}
              </td>
              <td>
                {mayManage(u) ? (
                  <div className="user-actions">
                    <button
                      type="button"
                      className="button secondary small"
                      aria-label={`${u.displayName}を編集`}
                      onClick={() => setEditing(u)}
                    >
                      編集
                    </button>
                    <button
                      type="button"
                      className="button secondary small"
                      aria-label={`${u.displayName}のパスワードを再設定`}
                      onClick={() => setResetting(u)}
                    >
                      パスワードを再設定
                    </button>
                  </div>
                ) : (
                  <span className="muted user-note">
                    {u.id === me.id ? '自分のパスワードは右上の「パスワードの変更」から' : 'システム管理者が管理します'}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="two-columns">
        <UserForm
          key={editing?.id ?? 'new'}
          user={editing}
          roles={roles}
          units={units}
          busy={mutation.isPending}
          error={mutation.error}
          onCancel={() => {
            setEditing(null);
            mutation.reset();
          }}
          onSubmit={(body) =>
            mutation.mutate(
              () =>
                editing
                  ? api.patch(`/api/users/${editing.id}`, body)
                  : api.post('/api/users', { ...body, municipalityId: mid }),
              {
                onSuccess: () => {
                  setMessage(
                    editing
                      ? `${body.displayName ?? editing.displayName}さんの設定を保存しました`
                      : `${body.displayName}さんを登録しました。初期パスワードを本人に伝えてください（最初のログインで本人が変更します）`,
                  );
                  setEditing(null);
                },
              },
            )
          }
        />
      </div>
      {resetting && (
        <ResetPasswordDialog
          key={resetting.id}
          user={resetting}
          onClose={() => setResetting(null)}
          onDone={() => {
            setMessage(
              `${resetting.displayName}さんのパスワードを再設定しました。次のログインで本人が新しいパスワードに変更します`,
            );
            setResetting(null);
            void client.invalidateQueries({ queryKey: ['users', mid] });
          }}
        />
      )}
    </section>
  );
}

/** An administrator or coordinator sets a temporary password; its user must replace it at the next login. */
function ResetPasswordDialog({ user, onClose, onDone }: { user: User; onClose(): void; onDone(): void }) {
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const reset = useMutation({
    mutationFn: (pw: string) => api.patch(`/api/users/${user.id}`, { password: pw }),
    onSuccess: onDone,
  });
  const err = reset.error instanceof ApiError ? reset.error : null;
  const confirm = () => {
    const local = password ? passwordMessage(password, user) : '仮のパスワードを入力してください';
    setProblem(local);
    if (!local) reset.mutate(password);
  };
  return (
    <ConfirmDialog
      open
      title={`${user.displayName}さんのパスワードを再設定`}
      confirmLabel="再設定する"
      busy={reset.isPending}
      onConfirm={confirm}
      onCancel={onClose}
    >
      <p>
        仮のパスワードを決めて、{user.displayName}さん（{user.loginName}）に伝えてください。{user.displayName}さんは
        <strong>次のログインでこの仮のパスワードを入力し、自分で新しいパスワードに変更します</strong>。
        いまログインしている端末やブラウザからはログアウトされます。
      </p>
      {err && !err.fieldError('password') && <ErrorAlert error={err} />}
      <NewPasswordField
        label="仮のパスワード"
        value={password}
        onChange={(v) => {
          setPassword(v);
          setProblem(undefined);
        }}
        account={user}
        error={problem ?? err?.fieldError('password')}
        revealable
      />
    </ConfirmDialog>
  );
}

interface UserBody {
  loginName?: string;
  displayName?: string;
  role?: Role;
  departmentId?: number | null;
  active?: boolean;
  password?: string;
}

function UserForm({
  user,
  roles,
  units,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  user: User | null;
  roles: Role[];
  units: Department[];
  busy: boolean;
  error: unknown;
  onSubmit(body: UserBody): void;
  onCancel(): void;
}) {
  const [loginName, setLoginName] = useState(user?.loginName ?? '');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'department_editor');
  const [departmentId, setDepartmentId] = useState<string>(user?.departmentId ? String(user.departmentId) : '');
  const [active, setActive] = useState(user?.active ?? true);
  const [password, setPassword] = useState('');
  const err = error instanceof ApiError ? error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: UserBody = { displayName, role, departmentId: departmentId ? Number(departmentId) : null };
    if (user) body.active = active;
    else {
      body.loginName = loginName;
      body.password = password;
    }
    onSubmit(body);
  };
  return (
    <form onSubmit={submit} className="panel" noValidate aria-labelledby="user-form-title">
      <h2 id="user-form-title">{user ? `${user.displayName}さんを編集` : '利用者を登録'}</h2>
      <ErrorAlert error={error} />
      {!user && (
        <Field label="ログインID" required hint="半角英数字と . _ @ - の3〜64文字" error={err?.fieldError('loginName')}>
          {(p) => (
            <input
              {...p}
              type="text"
              autoComplete="off"
              value={loginName}
              onChange={(e) => setLoginName(e.target.value)}
            />
          )}
        </Field>
      )}
      <Field label="氏名" required error={err?.fieldError('displayName')}>
        {(p) => <input {...p} type="text" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
      </Field>
      <Field label="役割" required error={err?.fieldError('role') ?? roleRefusal(err)}>
        {(p) => (
          <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="所属課" required={isDepartmentRole(role)} error={err?.fieldError('departmentId')}>
        {(p) => (
          <select {...p} value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
            <option value="">（なし）</option>
            {units.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {!user && (
        <NewPasswordField
          label="初期パスワード"
          hint={`${PASSWORD_RULE}。本人は最初のログインで自分のパスワードに変更します`}
          value={password}
          onChange={setPassword}
          account={{ loginName, displayName }}
          error={err?.fieldError('password')}
          revealable
        />
      )}
      {user && (
        <div className="field checkbox">
          <label>
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
            有効（外すとログインできなくなります）
          </label>
        </div>
      )}
      <div className="button-row">
        <button type="submit" className="button primary" disabled={busy}>
          {user ? '保存する' : '登録する'}
        </button>
        {user && (
          <button type="button" className="button secondary" onClick={onCancel}>
            取り消す
          </button>
        )}
      </div>
    </form>
  );
}
