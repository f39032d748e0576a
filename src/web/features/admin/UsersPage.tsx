import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { Department, User } from '../../lib/types.js';
import { ErrorAlert, ErrorSummary, Field, FieldScope } from '../../components/forms.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { NewPasswordField, PASSWORD_RULE, passwordMessage } from '../../components/PasswordField.js';
import { ROLES, ROLE_LABELS, isDepartmentRole, type Role } from '../../../domain/roles.js';
import { userBody, userDraft, type UserBody, type UserDraft } from './user-form.js';
import './users.css';
import { isAdmin, mayAssignRole } from '../../../domain/policy.js';

/** A 403 is about who may be given which role: its message goes beside 役割. */
const roleRefusal = (err: ApiError | null) => (err?.status === 403 ? err.message : undefined);

/** Registering and changing users, with the list read again after each and a message saying what was done. */
function useUserChanges(mid: number) {
  const client = useQueryClient();
  const [message, setMessage] = useState('');
  const [editing, setEditing] = useState<User | null>(null);
  const mutation = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users', mid] }),
  });
  const save = (body: UserBody) =>
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
    );
  const cancel = () => {
    setEditing(null);
    mutation.reset();
  };
  const reread = () => void client.invalidateQueries({ queryKey: ['users', mid] });
  return { message, setMessage, editing, setEditing, mutation, save, cancel, reread };
}

export function UsersPage() {
  usePageTitle('利用者');
  const mid = useMid();
  const { session } = useSession();
  const me = session.user!;
  const users = useQuery({
    queryKey: ['users', mid],
    queryFn: () => api.get<{ users: User[] }>(`/api/users?municipalityId=${mid}`).then((r) => r.users),
  });
  const depts = useQuery({
    queryKey: ['departments', mid],
    queryFn: () => api.get<{ departments: Department[] }>(`/api/m/${mid}/departments`).then((r) => r.departments),
  });
  const changes = useUserChanges(mid);
  const { editing, mutation } = changes;
  const [resetting, setResetting] = useState<User | null>(null);
  // The roles this user may give, within a municipality (administrators belong to none).
  const roles: Role[] = ROLES.filter((r) => r !== 'system_admin' && mayAssignRole(me, r));
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
        {changes.message}
      </p>
      <ErrorAlert error={users.error} />
      <UsersTable
        users={users.data ?? []}
        departments={depts.data ?? []}
        meId={me.id}
        roles={roles}
        onEdit={changes.setEditing}
        onReset={setResetting}
      />
      <div className="two-columns">
        <UserForm
          key={editing?.id ?? 'new'}
          user={editing}
          roles={roles}
          units={units}
          busy={mutation.isPending}
          error={mutation.error}
          onCancel={changes.cancel}
          onSubmit={changes.save}
        />
      </div>
      {resetting && (
        <ResetPasswordDialog
          key={resetting.id}
          user={resetting}
          onClose={() => setResetting(null)}
          onDone={() => {
            changes.setMessage(
              `${resetting.displayName}さんのパスワードを再設定しました。次のログインで本人が新しいパスワードに変更します`,
            );
            setResetting(null);
            changes.reread();
          }}
        />
      )}
    </section>
  );
}

function UsersTable({
  users,
  departments,
  meId,
  roles,
  onEdit,
  onReset,
}: {
  users: User[];
  departments: Department[];
  meId: number;
  /** the roles the viewer may give: users with another role are not theirs to manage */
  roles: Role[];
  onEdit(u: User): void;
  onReset(u: User): void;
}) {
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const mayManage = (u: User) => u.id !== meId && roles.includes(u.role);
  return (
    <table className="data-table">
      <caption className="visually-hidden">利用者の一覧</caption>
      <thead>
        <tr>
          <th scope="col">ログインID</th>
          <th scope="col">氏名・メールアドレス</th>
          <th scope="col">役割</th>
          <th scope="col">所属課</th>
          <th scope="col">状態</th>
          <th scope="col">操作</th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={u.id} className={u.active ? undefined : 'inactive'}>
            <td>{u.loginName}</td>
            <td>
              {u.displayName}
              <span className="user-email">{u.email || 'メールアドレス未登録'}</span>
            </td>
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
                    onClick={() => onEdit(u)}
                  >
                    編集
                  </button>
                  <button
                    type="button"
                    className="button secondary small"
                    aria-label={`${u.displayName}のパスワードを再設定`}
                    onClick={() => onReset(u)}
                  >
                    パスワードを再設定
                  </button>
                </div>
              ) : (
                <span className="muted user-note">
                  {u.id === meId ? '自分のパスワードは右上の「パスワードの変更」から' : 'システム管理者が管理します'}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
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
  const [draft, setDraft] = useState<UserDraft>(() => userDraft(user));
  const change = (patch: Partial<UserDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const { loginName, displayName } = draft;
  const err = error instanceof ApiError ? error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(userBody(draft, user !== null));
  };
  return (
    <FieldScope error={error}>
      <form onSubmit={submit} className="panel" noValidate aria-labelledby="user-form-title">
        <h2 id="user-form-title">{user ? `${user.displayName}さんを編集` : '利用者を登録'}</h2>
        <ErrorSummary />
        {!user && (
          <Field label="ログインID" name="loginName" required hint="半角英数字と . _ @ - の3〜64文字" maxLength={64}>
            {(p) => (
              <input
                {...p}
                type="text"
                autoComplete="off"
                value={loginName}
                onChange={(e) => change({ loginName: e.target.value })}
              />
            )}
          </Field>
        )}
        <Field label="氏名" name="displayName" required maxLength={60} value={displayName}>
          {(p) => (
            <input {...p} type="text" value={displayName} onChange={(e) => change({ displayName: e.target.value })} />
          )}
        </Field>
        <EmailField value={draft.email} onChange={(email) => change({ email })} />
        <RoleFields roles={roles} units={units} draft={draft} err={err} onChange={change} />
        {!user && (
          <NewPasswordField
            label="初期パスワード"
            hint={`${PASSWORD_RULE}。本人は最初のログインで自分のパスワードに変更します`}
            value={draft.password}
            onChange={(password) => change({ password })}
            account={{ loginName, displayName }}
            name="password"
            revealable
          />
        )}
        <UserFormEnd
          user={user}
          busy={busy}
          active={draft.active}
          onActive={(active) => change({ active })}
          onCancel={onCancel}
        />
      </form>
    </FieldScope>
  );
}

/** Where reminder mail reaches the user (the API accepts none). */
function EmailField({ value, onChange }: { value: string; onChange(email: string): void }) {
  return (
    <Field
      label="メールアドレス"
      name="email"
      hint="督促メールの宛先です。入力者に登録がないと、その課には督促メールが届きません"
      maxLength={254}
    >
      {(p) => <input {...p} type="email" autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** The account's 有効 (when editing) and the buttons. */
function UserFormEnd({
  user,
  busy,
  active,
  onActive,
  onCancel,
}: {
  user: User | null;
  busy: boolean;
  active: boolean;
  onActive(active: boolean): void;
  onCancel(): void;
}) {
  return (
    <>
      {user && (
        <div className="field checkbox">
          <label>
            <input type="checkbox" checked={active} onChange={(e) => onActive(e.target.checked)} />
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
    </>
  );
}

/** 役割 among those the viewer may give, and 所属課 (required for a department's roles). */
function RoleFields({
  roles,
  units,
  draft: { role, departmentId },
  err,
  onChange,
}: {
  roles: Role[];
  units: Department[];
  draft: UserDraft;
  err: ApiError | null;
  onChange(patch: Partial<UserDraft>): void;
}) {
  return (
    <>
      <Field label="役割" name="role" required error={err?.fieldError('role') ?? roleRefusal(err)}>
        {(p) => (
          // the options are the roles given
          <select {...p} value={role} onChange={(e) => onChange({ role: e.target.value as Role })}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="所属課" name="departmentId" required={isDepartmentRole(role)}>
        {(p) => (
          <select {...p} value={departmentId} onChange={(e) => onChange({ departmentId: e.target.value })}>
            <option value="">（なし）</option>
            {units.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
