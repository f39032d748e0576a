import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { Department, User } from '../../lib/types.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import { ROLES, ROLE_LABELS, isDepartmentRole, type Role } from '../../../domain/roles.js';

export function UsersPage() {
  usePageTitle('利用者');
  const mid = useMid();
  const { session } = useSession();
  const client = useQueryClient();
  const users = useQuery({ queryKey: ['users', mid], queryFn: () => api.get<{ users: User[] }>(`/api/users?municipalityId=${mid}`).then((r) => r.users) });
  const depts = useQuery({ queryKey: ['departments', mid], queryFn: () => api.get<{ departments: Department[] }>(`/api/m/${mid}/departments`).then((r) => r.departments) });
  const [message, setMessage] = useState('');
  const [editing, setEditing] = useState<User | null>(null);
  const mutation = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users', mid] }),
  });
  const deptName = new Map((depts.data ?? []).map((d) => [d.id, d.name]));
  const roles = ROLES.filter((r) => r !== 'system_admin');
  const units = (depts.data ?? []).filter((d) => d.kind === 'ka' && d.activeTo === null);

  return (
    <section>
      <h1>利用者</h1>
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
              <td>{u.active ? '有効' : '無効'}</td>
              <td>
                <button type="button" className="button secondary small" aria-label={`${u.displayName}を編集`} onClick={() => setEditing(u)} disabled={u.id === session.user!.id}>
                  編集
                </button>
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
            mutation.mutate(() => (editing ? api.patch(`/api/users/${editing.id}`, body) : api.post('/api/users', { ...body, municipalityId: mid })), {
              onSuccess: () => {
                setMessage(editing ? `${body.displayName ?? editing.displayName}さんの設定を保存しました` : `${body.displayName}さんを登録しました`);
                setEditing(null);
              },
            })
          }
        />
      </div>
    </section>
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
    if (user) {
      body.active = active;
      if (password) body.password = password;
    } else {
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
          {(p) => <input {...p} type="text" autoComplete="off" value={loginName} onChange={(e) => setLoginName(e.target.value)} />}
        </Field>
      )}
      <Field label="氏名" required error={err?.fieldError('displayName')}>
        {(p) => <input {...p} type="text" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
      </Field>
      <Field label="役割" required error={err?.fieldError('role')}>
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
      <Field label={user ? '新しいパスワード（変更するときだけ）' : '初期パスワード'} required={!user} hint="10文字以上" error={err?.fieldError('password')}>
        {(p) => <input {...p} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
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
