import { useState, type FormEvent, type ReactElement } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import type { Department } from '../../lib/types.js';
import { CheckboxPicker, ErrorAlert, Field, FiscalYearInput } from '../../components/forms.js';
import { DEPARTMENT_KIND_LABELS, REORG_KINDS, REORG_KIND_LABELS, type DepartmentKind, type ReorgKind } from '../../../domain/department.js';
import { eraYearLabel } from '../../../domain/fiscal-year.js';

export function DepartmentsPage() {
  usePageTitle('組織（部・課）');
  const mid = useMid();
  const era = useEra();
  const q = useQuery({ queryKey: ['departments', mid], queryFn: () => api.get<{ departments: Department[] }>(`/api/m/${mid}/departments`).then((r) => r.departments) });
  const client = useQueryClient();
  const [message, setMessage] = useState('');
  const [editing, setEditing] = useState<Department | null>(null);
  const mutation = useMutation({
    mutationFn: (fn: () => Promise<unknown>) => fn(),
    onSuccess: () => client.invalidateQueries({ queryKey: ['departments', mid] }),
  });
  const run = (fn: () => Promise<unknown>, done: string) => mutation.mutate(fn, { onSuccess: () => setMessage(done) });
  const all = q.data ?? [];
  const top = all.filter((d) => d.parentId === null || !all.some((p) => p.id === d.parentId));
  const childrenOf = (id: number) => all.filter((d) => d.parentId === id);

  const span = (d: Department) =>
    d.activeFrom === null && d.activeTo === null ? '' : `${d.activeFrom ? eraYearLabel(d.activeFrom, era) : ''}〜${d.activeTo ? eraYearLabel(d.activeTo, era) : ''}`;

  const row = (d: Department, depth: number) => (
    <tr key={d.id} className={d.activeTo !== null ? 'inactive' : undefined}>
      <th scope="row" style={{ paddingInlineStart: `${depth * 1.5 + 0.5}rem` }}>
        {d.displayName}
      </th>
      <td>{DEPARTMENT_KIND_LABELS[d.kind]}</td>
      <td>{span(d)}</td>
      <td>
        {d.successors.map((s, i) => (
          <div key={i}>
            {eraYearLabel(s.effectiveYear, era)}から{s.toNames.join('・')}へ{REORG_KIND_LABELS[s.kind]}
          </div>
        ))}
      </td>
      <td className="actions">
        <button type="button" className="button secondary small" aria-label={`${d.name}を編集`} onClick={() => setEditing(d)}>
          編集
        </button>{' '}
        <button
          type="button"
          className="button danger small"
          aria-label={`${d.name}を削除`}
          onClick={() => {
            if (window.confirm(`「${d.name}」を削除します。よろしいですか。`)) run(() => api.delete(`/api/m/${mid}/departments/${d.id}`), `「${d.name}」を削除しました`);
          }}
        >
          削除
        </button>
      </td>
    </tr>
  );
  const rows: ReactElement[] = [];
  const walk = (list: Department[], depth: number) => {
    for (const d of list) {
      rows.push(row(d, depth));
      walk(childrenOf(d.id), depth + 1);
    }
  };
  walk(top, 0);

  return (
    <section>
      <h1>組織（部・課）</h1>
      <p className="muted">組織変更（名称変更・統合・分割）は年度を指定して登録します。以前の年度の記録は変更前の課を指したまま残ります。</p>
      <p role="status" aria-live="polite" className="status-message">
        {message}
      </p>
      <ErrorAlert error={q.error ?? mutation.error} />
      <table className="data-table">
        <caption className="visually-hidden">部・課の一覧</caption>
        <thead>
          <tr>
            <th scope="col">名称</th>
            <th scope="col">種別</th>
            <th scope="col">存続期間</th>
            <th scope="col">組織変更</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>{rows}</tbody>
      </table>
      <div className="two-columns">
        <DepartmentForm
          key={editing?.id ?? 'new'}
          department={editing}
          departments={all}
          busy={mutation.isPending}
          error={mutation.error}
          onCancel={() => setEditing(null)}
          onSubmit={(body) =>
            mutation.mutate(() => (editing ? api.patch(`/api/m/${mid}/departments/${editing.id}`, body) : api.post(`/api/m/${mid}/departments`, body)), {
              onSuccess: () => {
                setMessage(editing ? `「${body.name}」を保存しました` : `「${body.name}」を登録しました`);
                setEditing(null);
              },
            })
          }
        />
        <ReorganiseForm mid={mid} departments={all} busy={mutation.isPending} error={mutation.error} onSubmit={(body) => run(() => api.post(`/api/m/${mid}/departments/reorganisations`, body), '組織変更を登録しました')} />
      </div>
    </section>
  );
}

function DepartmentForm({
  department,
  departments,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  department: Department | null;
  departments: Department[];
  busy: boolean;
  error: unknown;
  onSubmit(body: { name: string; kind: DepartmentKind; parentId: number | null; activeFrom: number | null; activeTo: number | null }): void;
  onCancel(): void;
}) {
  const [name, setName] = useState(department?.name ?? '');
  const [kind, setKind] = useState<DepartmentKind>(department?.kind ?? 'ka');
  const [parentId, setParentId] = useState(department?.parentId ? String(department.parentId) : '');
  const [activeFrom, setActiveFrom] = useState<number | null>(department?.activeFrom ?? null);
  const [activeTo, setActiveTo] = useState<number | null>(department?.activeTo ?? null);
  const err = error instanceof ApiError ? error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ name, kind, parentId: parentId ? Number(parentId) : null, activeFrom, activeTo });
  };
  return (
    <form onSubmit={submit} className="panel" noValidate aria-labelledby="dept-form-title">
      <h2 id="dept-form-title">{department ? `「${department.name}」を編集` : '部・課を登録'}</h2>
      <Field label="名称" required error={err?.fieldError('name')}>
        {(p) => <input {...p} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="種別">
        {(p) => (
          <select {...p} value={kind} onChange={(e) => setKind(e.target.value as DepartmentKind)}>
            <option value="bu">{DEPARTMENT_KIND_LABELS.bu}</option>
            <option value="ka">{DEPARTMENT_KIND_LABELS.ka}</option>
          </select>
        )}
      </Field>
      <Field label="上位の部" error={err?.fieldError('parentId')}>
        {(p) => (
          <select {...p} value={parentId} onChange={(e) => setParentId(e.target.value)}>
            <option value="">（なし）</option>
            {departments
              .filter((d) => d.kind === 'bu' && d.activeTo === null && d.id !== department?.id)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
          </select>
        )}
      </Field>
      <div className="field-row">
        <FiscalYearInput label="存続開始年度（任意）" value={activeFrom} onChange={setActiveFrom} error={err?.fieldError('activeFrom')} />
        <FiscalYearInput label="存続終了年度（廃止した場合）" value={activeTo} onChange={setActiveTo} error={err?.fieldError('activeTo')} />
      </div>
      <div className="button-row">
        <button type="submit" className="button primary" disabled={busy}>
          {department ? '保存する' : '登録する'}
        </button>
        {department && (
          <button type="button" className="button secondary" onClick={onCancel}>
            取り消す
          </button>
        )}
      </div>
    </form>
  );
}

function ReorganiseForm({
  departments,
  busy,
  error,
  onSubmit,
}: {
  mid: number;
  departments: Department[];
  busy: boolean;
  error: unknown;
  onSubmit(body: { kind: ReorgKind; effectiveYear: number | null; fromIds: number[]; toNames: string[] }): void;
}) {
  const [kind, setKind] = useState<ReorgKind>('rename');
  const [effectiveYear, setEffectiveYear] = useState<number | null>(null);
  const [fromIds, setFromIds] = useState<number[]>([]);
  const [toNames, setToNames] = useState('');
  const err = error instanceof ApiError ? error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ kind, effectiveYear, fromIds, toNames: toNames.split('\n').map((s) => s.trim()).filter(Boolean) });
  };
  return (
    <form onSubmit={submit} className="panel" noValidate aria-labelledby="reorg-title">
      <h2 id="reorg-title">組織変更を登録</h2>
      <Field label="種類">
        {(p) => (
          <select {...p} value={kind} onChange={(e) => setKind(e.target.value as ReorgKind)}>
            {REORG_KINDS.map((k) => (
              <option key={k} value={k}>
                {REORG_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FiscalYearInput label="変更後の課が始まる年度" required value={effectiveYear} onChange={setEffectiveYear} error={err?.fieldError('effectiveYear')} />
      <CheckboxPicker
        legend="変更前の課"
        filterLabel="課名で絞り込み"
        options={departments.filter((d) => d.kind === 'ka' && d.activeTo === null).map((d) => ({ value: d.id, label: d.name }))}
        selected={fromIds}
        onChange={setFromIds}
      />
      {err?.fieldError('fromIds') && <p className="field-error">{err.fieldError('fromIds')}</p>}
      <Field label="変更後の課名（分割のときは1行に1つ）" required error={err?.fieldError('toNames')}>
        {(p) => <textarea {...p} rows={2} value={toNames} onChange={(e) => setToNames(e.target.value)} />}
      </Field>
      <button type="submit" className="button primary" disabled={busy}>
        組織変更を登録する
      </button>
    </form>
  );
}
