import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { PlanDetail, PlanSummary } from '../../lib/types.js';
import { ErrorAlert, Field, FiscalYearInput } from '../../components/forms.js';
import { formatFiscalYear } from '../../lib/dates.js';
import { DEFAULT_LEVELS, LevelsEditor, type LevelDraft } from './LevelsEditor.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import './plan-structure.css';
import { isCoordinating } from '../../../domain/policy.js';

type PlanAction = { kind: 'delete' | 'archive' | 'restore'; plan: PlanSummary; refused?: string };

/** Deleting, archiving or restoring a plan after a question; a refused deletion offers archiving instead. */
function usePlanChange(mid: number) {
  const client = useQueryClient();
  const [action, setAction] = useState<PlanAction | null>(null);
  const [notice, setNotice] = useState('');
  const change = useMutation({
    mutationFn: (a: PlanAction) =>
      a.kind === 'delete'
        ? api.delete(`/api/m/${mid}/plans/${a.plan.id}`)
        : api.post(`/api/m/${mid}/plans/${a.plan.id}/${a.kind}`),
    onSuccess: async (_r, a) => {
      setAction(null);
      setNotice(
        a.kind === 'delete'
          ? `「${a.plan.title}」を削除しました`
          : a.kind === 'archive'
            ? `「${a.plan.title}」をアーカイブしました。報告と公表はそのまま残ります。一覧には「アーカイブした計画も表示」で表示されます`
            : `「${a.plan.title}」を復元しました`,
      );
      await client.invalidateQueries({ queryKey: ['plans', mid] });
      await client.invalidateQueries({ queryKey: ['plan', mid, a.plan.id] });
    },
    onError: (e, a) => {
      // A plan with rounds or publications cannot be deleted: offer to archive it instead.
      if (a.kind === 'delete' && e instanceof ApiError && e.status === 409 && e.message.includes('アーカイブ'))
        setAction({ kind: 'archive', plan: a.plan, refused: e.message });
    },
  });
  const open = (a: PlanAction) => {
    change.reset();
    setNotice('');
    setAction(a);
  };
  return { action, notice, change, open, close: () => setAction(null) };
}

export function PlansPage() {
  usePageTitle('計画一覧');
  const mid = useMid();
  const { session } = useSession();
  const canEdit = isCoordinating(session.user!);
  const plans = useQuery({
    queryKey: ['plans', mid],
    queryFn: () => api.get<{ plans: PlanSummary[] }>(`/api/m/${mid}/plans`).then((r) => r.plans),
  });
  const [showArchived, setShowArchived] = useState(false);
  const planChange = usePlanChange(mid);
  const { notice } = planChange;
  const all = plans.data ?? [];
  const archivedCount = all.filter((p) => p.archived).length;
  const shown = all.filter((p) => showArchived || !p.archived);

  return (
    <section>
      <h1>計画一覧</h1>
      <ErrorAlert error={plans.error} />
      <p className={`editor-notice${notice ? ' done' : ' empty'}`} role="status">
        {notice}
      </p>
      {plans.data && all.length === 0 && (
        <p>まだ計画がありません。{canEdit && '下の「計画を作成」から登録してください。'}</p>
      )}
      {archivedCount > 0 && (
        <div className="plans-toolbar">
          <label className="inline-check">
            <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
            アーカイブした計画も表示（{archivedCount}件）
          </label>
        </div>
      )}
      {shown.length > 0 && <PlansTable mid={mid} plans={shown} canEdit={canEdit} onAction={planChange.open} />}
      {plans.data && all.length > 0 && shown.length === 0 && (
        <p>表示する計画がありません。すべてアーカイブされています。</p>
      )}
      {canEdit && <CreatePlanForm mid={mid} />}
      {canEdit && <ImportPlanForm mid={mid} />}
      <PlanActionDialog planChange={planChange} />
    </section>
  );
}

function PlansTable({
  mid,
  plans,
  canEdit,
  onAction,
}: {
  mid: number;
  plans: PlanSummary[];
  canEdit: boolean;
  onAction(a: PlanAction): void;
}) {
  const era = useEra();
  return (
    <table className="data-table">
      <caption className="visually-hidden">登録されている計画</caption>
      <thead>
        <tr>
          <th scope="col">計画名</th>
          <th scope="col">計画期間</th>
          <th scope="col">項目数</th>
          <th scope="col">事業数</th>
          {canEdit && <th scope="col">操作</th>}
        </tr>
      </thead>
      <tbody>
        {plans.map((p) => (
          <tr key={p.id} className={p.archived ? 'archived-plan' : undefined}>
            <td>
              <Link to={`/m/${mid}/plans/${p.id}`}>{p.title}</Link>
              {p.archived && <span className="badge archived">アーカイブ済み</span>}
              {p.slogan && <div className="muted">{p.slogan}</div>}
            </td>
            <td>
              {formatFiscalYear(p.firstYear, era)}〜{formatFiscalYear(p.lastYear, era)}
            </td>
            <td className="num">{p.nodeCount}</td>
            <td className="num">{p.projectCount}</td>
            {canEdit && (
              <td className="plan-actions-cell">
                <PlanActions plan={p} onAction={onAction} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PlanActions({ plan: p, onAction }: { plan: PlanSummary; onAction(a: PlanAction): void }) {
  return (
    <div className="plan-actions">
      {p.archived ? (
        <button
          type="button"
          className="button secondary small"
          onClick={() => onAction({ kind: 'restore', plan: p })}
          aria-label={`「${p.title}」を復元`}
        >
          復元
        </button>
      ) : (
        <button
          type="button"
          className="button secondary small"
          onClick={() => onAction({ kind: 'archive', plan: p })}
          aria-label={`「${p.title}」をアーカイブ`}
        >
          アーカイブ
        </button>
      )}
      <button
        type="button"
        className="button danger small"
        onClick={() => onAction({ kind: 'delete', plan: p })}
        aria-label={`「${p.title}」を削除`}
      >
        削除
      </button>
    </div>
  );
}

const ACTION_WORDS = { delete: '削除', archive: 'アーカイブ', restore: '復元' } as const;

function actionTitle(action: PlanAction | null): string {
  if (action === null) return '';
  if (action.refused) return `「${action.plan.title}」は削除できません`;
  return `「${action.plan.title}」を${ACTION_WORDS[action.kind]}します`;
}

function actionConfirmLabel(action: PlanAction | null): string {
  if (action?.kind === 'delete') return '削除する';
  if (action?.kind === 'archive') return action.refused ? '代わりにアーカイブする' : 'アーカイブする';
  return '復元する';
}

function PlanActionDialog({ planChange: { action, change, close } }: { planChange: ReturnType<typeof usePlanChange> }) {
  return (
    <ConfirmDialog
      open={action !== null}
      title={actionTitle(action)}
      confirmLabel={actionConfirmLabel(action)}
      danger={action?.kind === 'delete'}
      busy={change.isPending}
      onConfirm={() => action && change.mutate(action)}
      onCancel={close}
    >
      {action?.refused && (
        <div role="alert" className="error-banner">
          {action.refused}
        </div>
      )}
      <ErrorAlert error={change.variables?.kind === action?.kind ? change.error : null} />
      {action?.kind === 'delete' && (
        <p>
          計画と体系を削除します。照会や公表をしたことのある計画は削除できません（その場合はアーカイブしてください）。
        </p>
      )}
      {action?.kind === 'archive' && (
        <p>
          アーカイブした計画は一覧に表示されず、編集や新しい照会はできなくなります。これまでの回答・報告・公表はそのまま残り、いつでも復元できます。
        </p>
      )}
      {action?.kind === 'restore' && <p>計画を一覧に戻し、編集と照会をできるようにします。</p>}
    </ConfirmDialog>
  );
}

function CreatePlanForm({ mid }: { mid: number }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [title, setTitle] = useState('');
  const [slogan, setSlogan] = useState('');
  const [firstYear, setFirstYear] = useState<number | null>(null);
  const [lastYear, setLastYear] = useState<number | null>(null);
  const [levels, setLevels] = useState<LevelDraft[]>(DEFAULT_LEVELS);
  const [subPlans, setSubPlans] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.post<PlanDetail>(`/api/m/${mid}/plans`, {
        title,
        slogan,
        firstYear,
        lastYear,
        levels,
        subPlans: subPlans
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      }),
    onSuccess: async (plan) => {
      await client.invalidateQueries({ queryKey: ['plans', mid] });
      void navigate(`/m/${mid}/plans/${plan.plan.id}`);
    },
  });
  const err = create.error instanceof ApiError ? create.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <details className="panel">
      <summary>計画を作成</summary>
      <form onSubmit={submit} noValidate>
        <ErrorAlert error={create.error} />
        <Field label="計画名" required error={err?.fieldError('title')}>
          {(p) => <input {...p} type="text" value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field label="スローガン（めざす姿）" error={err?.fieldError('slogan')}>
          {(p) => <input {...p} type="text" value={slogan} onChange={(e) => setSlogan(e.target.value)} />}
        </Field>
        <div className="field-row">
          <FiscalYearInput
            label="計画期間（開始年度）"
            required
            value={firstYear}
            onChange={setFirstYear}
            error={err?.fieldError('firstYear')}
          />
          <FiscalYearInput
            label="計画期間（終了年度）"
            required
            value={lastYear}
            onChange={setLastYear}
            error={err?.fieldError('lastYear')}
          />
        </div>
        <LevelsEditor levels={levels} onChange={setLevels} />
        <Field
          label="関連計画（1行に1つ）"
          hint="この計画が兼ねる計画。例: 女性活躍推進計画、DV防止基本計画"
          error={err?.fieldError('subPlans')}
        >
          {(p) => <textarea {...p} rows={2} value={subPlans} onChange={(e) => setSubPlans(e.target.value)} />}
        </Field>
        <button type="submit" className="button primary" disabled={create.isPending}>
          作成する
        </button>
      </form>
    </details>
  );
}

function ImportPlanForm({ mid }: { mid: number }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const file = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const f = file.current?.files?.[0];
    if (!f) return setError(new Error('取り込むファイルを選んでください'));
    let body: unknown;
    try {
      body = JSON.parse(await f.text());
    } catch {
      return setError(new Error('JSON ファイルとして読めません'));
    }
    try {
      const plan = await api.post<PlanDetail>(`/api/m/${mid}/plans/import`, body);
      await client.invalidateQueries({ queryKey: ['plans', mid] });
      void navigate(`/m/${mid}/plans/${plan.plan.id}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <details className="panel">
      <summary>計画構造ファイル（JSON）から取り込む</summary>
      <form onSubmit={submit}>
        <ErrorAlert error={error} />
        <Field
          label="計画構造ファイル"
          hint="Shinchoku で書き出した計画構造の JSON ファイル。担当課は名称で照合します。"
        >
          {(p) => <input {...p} ref={file} type="file" accept="application/json,.json" />}
        </Field>
        <button type="submit" className="button secondary">
          取り込む
        </button>
      </form>
    </details>
  );
}
