import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { PlanDetail, PlanSummary } from '../../lib/types.js';
import { ErrorAlert, Field, FiscalYearInput } from '../../components/forms.js';
import { fiscalYearLabel } from '../../../domain/fiscal-year.js';
import { DEFAULT_LEVELS, LevelsEditor, type LevelDraft } from './LevelsEditor.js';

export function PlansPage() {
  usePageTitle('計画一覧');
  const mid = useMid();
  const era = useEra();
  const { session } = useSession();
  const canEdit = session.user!.role === 'system_admin' || session.user!.role === 'coordinator';
  const plans = useQuery({ queryKey: ['plans', mid], queryFn: () => api.get<{ plans: PlanSummary[] }>(`/api/m/${mid}/plans`).then((r) => r.plans) });

  return (
    <section>
      <h1>計画一覧</h1>
      <ErrorAlert error={plans.error} />
      {plans.data && plans.data.length === 0 && <p>まだ計画がありません。{canEdit && '下の「計画を作成」から登録してください。'}</p>}
      {plans.data && plans.data.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">登録されている計画</caption>
          <thead>
            <tr>
              <th scope="col">計画名</th>
              <th scope="col">計画期間</th>
              <th scope="col">項目数</th>
              <th scope="col">事業数</th>
            </tr>
          </thead>
          <tbody>
            {plans.data.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/m/${mid}/plans/${p.id}`}>{p.title}</Link>
                  {p.slogan && <div className="muted">{p.slogan}</div>}
                </td>
                <td>
                  {fiscalYearLabel(p.firstYear, era)}〜{fiscalYearLabel(p.lastYear, era)}
                </td>
                <td className="num">{p.nodeCount}</td>
                <td className="num">{p.projectCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && <CreatePlanForm mid={mid} />}
      {canEdit && <ImportPlanForm mid={mid} />}
    </section>
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
        subPlans: subPlans.split('\n').map((s) => s.trim()).filter(Boolean),
      }),
    onSuccess: async (plan) => {
      await client.invalidateQueries({ queryKey: ['plans', mid] });
      navigate(`/m/${mid}/plans/${plan.plan.id}`);
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
          <FiscalYearInput label="計画期間（開始年度）" required value={firstYear} onChange={setFirstYear} error={err?.fieldError('firstYear')} />
          <FiscalYearInput label="計画期間（終了年度）" required value={lastYear} onChange={setLastYear} error={err?.fieldError('lastYear')} />
        </div>
        <LevelsEditor levels={levels} onChange={setLevels} />
        <Field label="関連計画（1行に1つ）" hint="この計画が兼ねる計画。例: 女性活躍推進計画、DV防止基本計画" error={err?.fieldError('subPlans')}>
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
      navigate(`/m/${mid}/plans/${plan.plan.id}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <details className="panel">
      <summary>計画構造ファイル（JSON）から取り込む</summary>
      <form onSubmit={submit}>
        <ErrorAlert error={error} />
        <Field label="計画構造ファイル" hint="Shinchoku で書き出した計画構造の JSON ファイル。担当課は名称で照合します。">
          {(p) => <input {...p} ref={file} type="file" accept="application/json,.json" />}
        </Field>
        <button type="submit" className="button secondary">
          取り込む
        </button>
      </form>
    </details>
  );
}
