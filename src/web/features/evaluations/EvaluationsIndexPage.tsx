import { Navigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useMid, usePageTitle } from '../../lib/hooks.js';
import type { PlanSummary } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { evaluatedYear } from './node-values.js';

/** 評価 in the menu: the node evaluations of the first plan in use, for the year just ended. */
export function EvaluationsIndexPage() {
  usePageTitle('体系ごとの評価');
  const mid = useMid();
  const plans = useQuery({
    queryKey: ['plans', mid],
    queryFn: () => api.get<{ plans: PlanSummary[] }>(`/api/m/${mid}/plans`).then((r) => r.plans),
  });
  if (plans.error) return <ErrorAlert error={plans.error} />;
  if (!plans.data) return <p role="status">読み込み中…</p>;
  const plan = plans.data.find((p) => !p.archived) ?? plans.data[0];
  if (!plan)
    return (
      <section>
        <h1>体系ごとの評価</h1>
        <p>まだ計画がありません。</p>
      </section>
    );
  return <Navigate to={`/m/${mid}/evaluations/${plan.id}/${evaluatedYear(plan)}`} replace />;
}
