import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { Municipality, User } from '../../lib/types.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import { isAdmin } from '../../../domain/policy.js';

const ERA_LABELS = { reiwa1: '令和元年度', heisei31: '平成31年度' } as const;

export function MunicipalitiesPage() {
  usePageTitle('自治体');
  const { session } = useSession();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: ['municipalities'],
    queryFn: () => api.get<{ municipalities: Municipality[] }>('/api/municipalities').then((r) => r.municipalities),
  });
  const [message, setMessage] = useState('');
  const setEraOf = useMutation({
    mutationFn: (m: { id: number; era2019: string }) => api.patch(`/api/m/${m.id}`, { era2019: m.era2019 }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['municipalities'] }),
  });
  if (!isAdmin(session.user!)) return <p role="alert">このページはシステム管理者のみ利用できます。</p>;
  return (
    <section>
      <h1>自治体</h1>
      <p role="status" aria-live="polite" className="status-message">
        {message}
      </p>
      <ErrorAlert error={q.error ?? setEraOf.error} />
      <table className="data-table">
        <caption className="visually-hidden">登録されている自治体</caption>
        <thead>
          <tr>
            <th scope="col">団体コード</th>
            <th scope="col">名称</th>
            <th scope="col">2019年度の表記</th>
            <th scope="col">管理</th>
          </tr>
        </thead>
        <tbody>
          {(q.data ?? []).map((m) => (
            <tr key={m.id}>
              <td>{m.code}</td>
              <td>{m.name}</td>
              <td>
                <select
                  aria-label={`${m.name}の2019年度の表記`}
                  value={m.era2019}
                  onChange={(e) => setEraOf.mutate({ id: m.id, era2019: e.target.value })}
                >
                  <option value="reiwa1">{ERA_LABELS.reiwa1}</option>
                  <option value="heisei31">{ERA_LABELS.heisei31}</option>
                </select>
              </td>
              <td className="link-list">
                <Link to={`/m/${m.id}/plans`}>計画</Link> <Link to={`/m/${m.id}/departments`}>組織</Link>{' '}
                <Link to={`/m/${m.id}/users`}>利用者</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <MunicipalityForm onCreated={setMessage} />
      <SystemAdmins />
    </section>
  );
}

/** Registering a municipality by name, 団体コード (checked) and how it names fiscal 2019. */
function MunicipalityForm({ onCreated }: { onCreated(message: string): void }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [era2019, setEra] = useState<'reiwa1' | 'heisei31'>('reiwa1');
  const create = useMutation({
    mutationFn: () => api.post('/api/municipalities', { name, code, era2019 }),
    onSuccess: async () => {
      onCreated(`${name}を登録しました`);
      setName('');
      setCode('');
      await client.invalidateQueries({ queryKey: ['municipalities'] });
    },
  });
  const err = create.error instanceof ApiError ? create.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit} className="panel" noValidate aria-labelledby="add-m-title">
      <h2 id="add-m-title">自治体を登録</h2>
      <ErrorAlert error={create.error} />
      <Field label="名称" required error={err?.fieldError('name')}>
        {(p) => <input {...p} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field
        label="全国地方公共団体コード"
        required
        hint="検査数字を含む6桁（例: 132039）"
        error={err?.fieldError('code')}
      >
        {(p) => (
          <input
            {...p}
            type="text"
            inputMode="numeric"
            size={8}
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        )}
      </Field>
      <Field label="2019年度の表記">
        {(p) => (
          // the options are the two namings
          <select {...p} value={era2019} onChange={(e) => setEra(e.target.value as 'reiwa1' | 'heisei31')}>
            <option value="reiwa1">{ERA_LABELS.reiwa1}</option>
            <option value="heisei31">{ERA_LABELS.heisei31}</option>
          </select>
        )}
      </Field>
      <button type="submit" className="button primary" disabled={create.isPending}>
        登録する
      </button>
    </form>
  );
}

/** Accounts of system administrators, who belong to no municipality. */
function SystemAdmins() {
  const { session } = useSession();
  const client = useQueryClient();
  const admins = useQuery({
    queryKey: ['users', 'none'],
    queryFn: () => api.get<{ users: User[] }>('/api/users?municipalityId=none').then((r) => r.users),
  });
  const [message, setMessage] = useState('');
  const save = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users', 'none'] }),
  });
  return (
    <section aria-labelledby="admins-title">
      <h2 id="admins-title">システム管理者</h2>
      <p role="status" aria-live="polite" className="status-message">
        {message}
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">ログインID</th>
            <th scope="col">氏名</th>
            <th scope="col">状態</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {(admins.data ?? []).map((u) => (
            <tr key={u.id} className={u.active ? undefined : 'inactive'}>
              <td>{u.loginName}</td>
              <td>{u.displayName}</td>
              <td>{u.active ? '有効' : '無効'}</td>
              <td>
                <button
                  type="button"
                  className="button secondary small"
                  disabled={u.id === session.user!.id}
                  aria-label={`${u.displayName}を${u.active ? '無効にする' : '有効にする'}`}
                  onClick={() => save.mutate(() => api.patch(`/api/users/${u.id}`, { active: !u.active }))}
                >
                  {u.active ? '無効にする' : '有効にする'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AdminForm save={save} onCreated={setMessage} />
    </section>
  );
}

function AdminForm({
  save,
  onCreated,
}: {
  /** the section's one channel of changes, whose error this form shows */
  save: UseMutationResult<unknown, Error, () => Promise<unknown>>;
  onCreated(message: string): void;
}) {
  const [loginName, setLoginName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const err = save.error instanceof ApiError ? save.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      () => api.post('/api/users', { loginName, displayName, password, role: 'system_admin', municipalityId: null }),
      {
        onSuccess: () => {
          onCreated(`${displayName}さんをシステム管理者として登録しました`);
          setLoginName('');
          setDisplayName('');
          setPassword('');
        },
      },
    );
  };
  return (
    <form onSubmit={submit} className="panel" noValidate aria-labelledby="add-admin-title">
      <h3 id="add-admin-title">システム管理者を登録</h3>
      <ErrorAlert error={save.error} />
      <Field label="ログインID" required error={err?.fieldError('loginName')}>
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
      <Field label="氏名" required error={err?.fieldError('displayName')}>
        {(p) => <input {...p} type="text" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
      </Field>
      <Field label="初期パスワード" required hint="10文字以上" error={err?.fieldError('password')}>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="button primary" disabled={save.isPending}>
        登録する
      </button>
    </form>
  );
}
