import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import type { Department } from '../../lib/types.js';
import { ErrorAlert, ErrorSummary, Field, FieldScope, FiscalYearInput } from '../../components/forms.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { DEPARTMENT_KIND_LABELS, REORG_KIND_LABELS, type DepartmentKind } from '../../../domain/department.js';
import { formatEraYear } from '../../lib/dates.js';
import { ReorganiseForm } from './ReorganiseForm.js';
import { ReorganisationsSection } from './ReorganisationsSection.js';
import { departmentTree } from './department-tree.js';
import './departments.css';

type DepartmentBody = {
  name: string;
  kind: DepartmentKind;
  parentId: number | null;
  activeFrom: number | null;
  activeTo: number | null;
};

/** Saving and deleting units, with the list (and the reorganisations it shows) read again after each. */
function useDepartmentChanges(mid: number) {
  const client = useQueryClient();
  const [message, setMessage] = useState('');
  const [editing, setEditing] = useState<Department | null>(null);
  const [deleting, setDeleting] = useState<Department | null>(null);
  /** how many units were registered: a new form after each */
  const [created, setCreated] = useState(0);
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['departments', mid] }),
      client.invalidateQueries({ queryKey: ['reorganisations', mid] }),
    ]);
  const save = useMutation({
    mutationFn: (body: DepartmentBody) =>
      editing
        ? api.patch(`/api/m/${mid}/departments/${editing.id}`, body)
        : api.post(`/api/m/${mid}/departments`, body),
    onSuccess: async (_r, body) => {
      await refresh();
      setMessage(editing ? `「${body.name}」を保存しました` : `「${body.name}」を登録しました`);
      if (!editing) setCreated((n) => n + 1);
      setEditing(null);
    },
  });
  const remove = useMutation({
    mutationFn: (d: Department) => api.delete(`/api/m/${mid}/departments/${d.id}`),
    onSuccess: async (_r, d) => {
      await refresh();
      setDeleting(null);
      setMessage(`「${d.name}」を削除しました`);
    },
  });
  /** after a change made elsewhere on the page (a reorganisation): read again, then say what it did */
  const done = async (m: string) => {
    await refresh();
    setMessage(m);
  };
  return { message, editing, setEditing, deleting, setDeleting, created, save, remove, done };
}

export function DepartmentsPage() {
  usePageTitle('組織（部・課）');
  const mid = useMid();
  const q = useQuery({
    queryKey: ['departments', mid],
    queryFn: () => api.get<{ departments: Department[] }>(`/api/m/${mid}/departments`).then((r) => r.departments),
  });
  const changes = useDepartmentChanges(mid);
  const { editing, save, remove, done } = changes;
  // Bumped after each registered reorganisation: the form starts afresh, with nothing selected.
  const [reorgFormKey, setReorgFormKey] = useState(0);
  const all = q.data ?? [];

  return (
    <section className="departments-page">
      <h1>組織（部・課）</h1>
      <p className="muted">
        組織変更（名称変更・統合・分割）は年度を指定して登録します。その年度が来るまでは今の課のまま回答・報告を続けられ、以前の年度の記録は変更前の課を指したまま残ります。
      </p>
      <p role="status" aria-live="polite" className="status-message">
        {changes.message}
      </p>
      <ErrorAlert error={q.error} />
      <DepartmentsTable
        departments={all}
        onEdit={changes.setEditing}
        onDelete={(d) => {
          remove.reset();
          changes.setDeleting(d);
        }}
      />
      <ReorganisationsSection mid={mid} onDone={done} />
      <div className="two-columns">
        <DepartmentForm
          key={editing ? editing.id : `new-${changes.created}`}
          department={editing}
          departments={all}
          busy={save.isPending}
          error={save.error}
          onCancel={() => {
            save.reset();
            changes.setEditing(null);
          }}
          onSubmit={(body) => save.mutate(body)}
        />
        <ReorganiseForm
          key={reorgFormKey}
          startFocused={reorgFormKey > 0}
          mid={mid}
          departments={all}
          onDone={async (m) => {
            await done(m);
            setReorgFormKey((k) => k + 1);
          }}
        />
      </div>
      <DeleteDialog deleting={changes.deleting} remove={remove} onCancel={() => changes.setDeleting(null)} />
    </section>
  );
}

function DepartmentsTable({
  departments,
  onEdit,
  onDelete,
}: {
  departments: Department[];
  onEdit(d: Department): void;
  onDelete(d: Department): void;
}) {
  const era = useEra();
  const span = (d: Department) =>
    d.activeFrom === null && d.activeTo === null
      ? ''
      : `${d.activeFrom ? formatEraYear(d.activeFrom, era) : ''}〜${d.activeTo ? formatEraYear(d.activeTo, era) : ''}`;
  return (
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
      <tbody>
        {departmentTree(departments).map(({ department: d, depth }) => (
          <tr key={d.id} className={d.activeTo !== null ? 'inactive' : undefined}>
            <th scope="row" className={`depth-${Math.min(depth, 4)}`}>
              {d.displayName}
            </th>
            <td>{DEPARTMENT_KIND_LABELS[d.kind]}</td>
            <td>{span(d)}</td>
            <td>
              {d.successors.map((s, i) => (
                <div key={i}>
                  {formatEraYear(s.effectiveYear, era)}から{s.toNames.join('・')}へ{REORG_KIND_LABELS[s.kind]}
                </div>
              ))}
            </td>
            <td className="row-actions">
              <button
                type="button"
                className="button secondary small"
                aria-label={`${d.name}を編集`}
                onClick={() => onEdit(d)}
              >
                編集
              </button>{' '}
              <button
                type="button"
                className="button danger small"
                aria-label={`${d.name}を削除`}
                onClick={() => onDelete(d)}
              >
                削除
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DeleteDialog({
  deleting,
  remove,
  onCancel,
}: {
  deleting: Department | null;
  remove: ReturnType<typeof useDepartmentChanges>['remove'];
  onCancel(): void;
}) {
  return (
    <ConfirmDialog
      open={deleting !== null}
      title={deleting ? `「${deleting.name}」を削除しますか` : ''}
      confirmLabel="削除する"
      danger
      busy={remove.isPending}
      onCancel={onCancel}
      onConfirm={() => deleting && remove.mutate(deleting)}
    >
      <p>
        まだ使われていない部・課だけを削除できます。事業・利用者・組織変更の履歴がある課は、削除せずに存続終了年度を設定してください。
      </p>
      <ErrorAlert error={remove.error} />
    </ConfirmDialog>
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
  onSubmit(body: DepartmentBody): void;
  onCancel(): void;
}) {
  const [name, setName] = useState(department?.name ?? '');
  const [kind, setKind] = useState<DepartmentKind>(department?.kind ?? 'ka');
  const [parentId, setParentId] = useState(department?.parentId ? String(department.parentId) : '');
  const [activeFrom, setActiveFrom] = useState<number | null>(department?.activeFrom ?? null);
  const [activeTo, setActiveTo] = useState<number | null>(department?.activeTo ?? null);
  // 部 that exist now, other than the one edited
  const parents = departments.filter((d) => d.kind === 'bu' && d.activeTo === null && d.id !== department?.id);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ name, kind, parentId: parentId ? Number(parentId) : null, activeFrom, activeTo });
  };
  return (
    <FieldScope error={error}>
      <form onSubmit={submit} className="panel" noValidate aria-labelledby="dept-form-title">
        <h2 id="dept-form-title">{department ? `「${department.name}」を編集` : '部・課を登録'}</h2>
        <ErrorSummary />
        <Field label="名称" name="name" required maxLength={60} value={name}>
          {(p) => <input {...p} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="種別" name="kind">
          {(p) => (
            // the options are the department kinds
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as DepartmentKind)}>
              <option value="bu">{DEPARTMENT_KIND_LABELS.bu}</option>
              <option value="ka">{DEPARTMENT_KIND_LABELS.ka}</option>
            </select>
          )}
        </Field>
        <Field label="上位の部" name="parentId">
          {(p) => (
            <select {...p} value={parentId} onChange={(e) => setParentId(e.target.value)}>
              <option value="">（なし）</option>
              {parents.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field-row">
          <FiscalYearInput label="存続開始年度（任意）" name="activeFrom" value={activeFrom} onChange={setActiveFrom} />
          <FiscalYearInput
            label="存続終了年度（廃止した場合）"
            name="activeTo"
            value={activeTo}
            onChange={setActiveTo}
          />
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
    </FieldScope>
  );
}
