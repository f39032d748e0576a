import { useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { CouncilComment, CouncilProject, PlanSummary, Session } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { CommentBox } from '../../components/CommentBox.js';
import { fiscalYearLabel, fiscalYearRange, type Era2019 } from '../../../domain/fiscal-year.js';
import { mayAnswerCouncil, mayRemarkInCouncil } from '../../../domain/policy.js';
import type { EvaluationConfig } from '../../../domain/evaluation/index.js';
import { CouncilEvaluations, useYearConfig } from './CouncilEvaluations.js';
import './council.css';

/** 審議会: approved answers per project, the council's remarks and the departments' answers. */
export function CouncilPage() {
  usePageTitle('審議会');
  const mid = useMid();
  const era = useEra();
  const { session } = useSession();
  const [params, setParams] = useSearchParams();
  const plans = useQuery({
    queryKey: ['plans', mid],
    queryFn: () => api.get<{ plans: PlanSummary[] }>(`/api/m/${mid}/plans`).then((r) => r.plans),
  });
  const planId = Number(params.get('planId')) || plans.data?.[0]?.id;
  const plan = plans.data?.find((p) => p.id === planId);
  const fiscalYear =
    Number(params.get('fiscalYear')) || (plan ? Math.min(plan.lastYear, new Date().getFullYear() - 1) : undefined);
  const key = ['council', mid, planId, fiscalYear];
  const client = useQueryClient();
  const q = useQuery({
    queryKey: key,
    enabled: planId !== undefined && fiscalYear !== undefined,
    queryFn: () =>
      api
        .get<{ projects: CouncilProject[] }>(`/api/m/${mid}/council?planId=${planId}&fiscalYear=${fiscalYear}`)
        .then((r) => r.projects),
  });
  const config = useYearConfig(mid, planId, fiscalYear);
  const refresh = () => client.invalidateQueries({ queryKey: key });
  const user = session.user!;
  return (
    <section>
      <h1>審議会の意見と回答</h1>
      <div className="field-row">
        <div className="field">
          <label htmlFor="council-plan">計画</label>
          <select
            id="council-plan"
            value={planId ?? ''}
            onChange={(e) => setParams({ planId: e.target.value, fiscalYear: String(fiscalYear ?? '') })}
          >
            {(plans.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
        {plan && (
          <div className="field">
            <label htmlFor="council-year">年度</label>
            <select
              id="council-year"
              value={fiscalYear}
              onChange={(e) => setParams({ planId: String(planId), fiscalYear: e.target.value })}
            >
              {fiscalYearRange(plan.firstYear, plan.lastYear).map((y) => (
                <option key={y} value={y}>
                  {fiscalYearLabel(y, era)}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <ErrorAlert error={q.error} />
      {q.data && q.data.length === 0 && <p>この年度に確定した回答はまだありません。</p>}
      {q.data?.map((p) => (
        <CouncilProjectCard
          key={p.project.id}
          mid={mid}
          item={p}
          user={user}
          era={era}
          fiscalYear={fiscalYear}
          config={config}
          onDone={refresh}
        />
      ))}
    </section>
  );
}

/** One project: the departments' approved answers, then the council's remarks with their answers. */
function CouncilProjectCard({
  mid,
  item: p,
  user,
  era,
  fiscalYear,
  config,
  onDone,
}: {
  mid: number;
  item: CouncilProject;
  user: NonNullable<Session['user']>;
  era: Era2019;
  fiscalYear: number | undefined;
  /** the plan's evaluations in the year, naming the slots */
  config: EvaluationConfig | undefined;
  onDone(): void;
}) {
  return (
    <article className="record-card" aria-labelledby={`council-${p.project.id}`}>
      <h2 id={`council-${p.project.id}`}>
        <span className="project-number">事業{p.project.number}</span> {p.project.name}
      </h2>
      <p className="breadcrumb">{p.project.path}</p>
      <table className="data-table compact">
        <caption className="visually-hidden">確定した回答</caption>
        <thead>
          <tr>
            <th scope="col">担当課</th>
            <th scope="col">実績・取組状況</th>
            <th scope="col">評価</th>
          </tr>
        </thead>
        <tbody>
          {p.records.map((r) => (
            <tr key={r.departmentId}>
              <th scope="row">{r.departmentName}</th>
              <td>
                {r.record.sameAsDepartmentId
                  ? `${p.records.find((x) => x.departmentId === r.record.sameAsDepartmentId)?.departmentName ?? '他課'}に同じ`
                  : r.record.resultText}
              </td>
              <td>
                <CouncilEvaluations mid={mid} projectId={p.project.id} config={config} evaluations={r.evaluations} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>意見と回答</h3>
      {p.comments.length === 0 && <p className="muted">まだ意見はありません。</p>}
      <ul className="council-thread">
        {p.comments.map((c) => (
          <CommentThread
            key={c.id}
            mid={mid}
            comment={c}
            canAnswer={mayAnswerCouncil(user)}
            era={era}
            onDone={onDone}
          />
        ))}
      </ul>
      {mayRemarkInCouncil(user) && fiscalYear !== undefined && (
        <NewComment mid={mid} projectId={p.project.id} fiscalYear={fiscalYear} onDone={onDone} />
      )}
    </article>
  );
}

function CommentThread({
  mid,
  comment,
  canAnswer,
  era,
  onDone,
}: {
  mid: number;
  comment: CouncilComment;
  canAnswer: boolean;
  era: 'reiwa1' | 'heisei31';
  onDone(): void;
}) {
  return (
    <li className="council-comment">
      <p>
        <strong>意見</strong>（{fiscalYearLabel(comment.fiscalYear, era)}・{comment.userName}）: {comment.body}
      </p>
      <ul>
        {comment.answers.map((a) => (
          <li key={a.id}>
            <strong>回答</strong>（{a.departmentName ?? '計画所管課'}・{a.userName}）: {a.body}
          </li>
        ))}
      </ul>
      {canAnswer && (
        <CommentBox
          label="この意見への回答"
          button="回答する"
          send={(body) => api.post(`/api/m/${mid}/council-comments/${comment.id}/answers`, { body })}
          onDone={onDone}
        />
      )}
    </li>
  );
}

function NewComment({
  mid,
  projectId,
  fiscalYear,
  onDone,
}: {
  mid: number;
  projectId: number;
  fiscalYear: number;
  onDone(): void;
}) {
  return (
    <CommentBox
      label="この事業への意見"
      button="意見を書き込む"
      primary
      send={(body) => api.post(`/api/m/${mid}/projects/${projectId}/council-comments`, { fiscalYear, body })}
      onDone={onDone}
    />
  );
}
