import { useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type {
  CouncilComment,
  CouncilProject,
  CouncilYearsResponse,
  PlanListResponse,
  Session,
} from '../../lib/types.js';
import { ErrorAlert, Field } from '../../components/forms.js';
import { SearchBox } from '../../components/SearchBox.js';
import { matchesSearch } from '../../lib/search.js';
import { CommentBox } from '../../components/CommentBox.js';
import { type Era2019 } from '../../../domain/fiscal-year.js';
import { formatFiscalYear } from '../../lib/dates.js';
import { mayAnswerCouncil, mayRemarkInCouncil } from '../../../domain/policy.js';
import type { EvaluationConfig } from '../../../domain/evaluation/index.js';
import { CouncilEvaluations, useYearConfig } from './CouncilEvaluations.js';
import { CouncilEntries, councilSlots } from './CouncilEntries.js';
import './council.css';

/** The plan and year shown: from the address, else the newest year with approved answers (else the newest asked). */
function useCouncilChoice(mid: number) {
  const [params, setParams] = useSearchParams();
  const plans = useQuery({
    queryKey: ['plans', mid],
    queryFn: () => api.get<PlanListResponse>(`/api/m/${mid}/plans`).then((r) => r.plans),
  });
  const years = useQuery({
    queryKey: ['council-years', mid],
    queryFn: () => api.get<CouncilYearsResponse>(`/api/m/${mid}/council/years`).then((r) => r.years),
  });
  const all = years.data ?? [];
  const best = (list: typeof all) => list.find((y) => y.approvedProjects > 0) ?? list[0];
  const planId = Number(params.get('planId')) || best(all)?.planId || plans.data?.[0]?.id;
  const planYears = all.filter((y) => y.planId === planId);
  const asked = Number(params.get('fiscalYear'));
  const fiscalYear = planYears.some((y) => y.fiscalYear === asked) ? asked : best(planYears)?.fiscalYear;
  const set = (change: Record<string, string>) => {
    // over the address as the browser has it now: the router's lags a change by a render
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(change))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };
  return {
    plans: plans.data ?? [],
    loading: plans.isPending || years.isPending,
    error: plans.error ?? years.error,
    planId,
    planYears,
    fiscalYear,
    goal: Number(params.get('goal')) || null,
    query: params.get('q') ?? '',
    set,
  };
}

/** 審議会: approved answers per project, the council's remarks and the departments' answers. */
export function CouncilPage() {
  usePageTitle('審議会');
  const mid = useMid();
  const era = useEra();
  const { session } = useSession();
  const choice = useCouncilChoice(mid);
  const { planId, fiscalYear } = choice;
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
  const projects = q.data ?? [];
  const shown = projects.filter(
    (p) =>
      (choice.goal === null || p.project.top?.id === choice.goal) &&
      matchesSearch(
        choice.query,
        p.project.number,
        p.project.name,
        p.project.path,
        ...p.records.map((r) => r.departmentName),
      ),
  );
  return (
    <section className="council-page">
      <h1>審議会の意見と回答</h1>
      <CouncilChoice choice={choice} era={era} />
      <ErrorAlert error={choice.error ?? q.error} />
      {!choice.loading && fiscalYear === undefined && (
        <p>この計画にはまだ照会がありません。照会を始めた年度から表示できます。</p>
      )}
      {q.data && q.data.length === 0 && <p>この年度に確定した回答はまだありません。</p>}
      {projects.length > 0 && <CouncilFilters choice={choice} projects={projects} shown={shown.length} />}
      {projects.length > 0 && shown.length === 0 && <p>条件に当てはまる事業はありません。</p>}
      {shown.map((p) => (
        <CouncilProjectCard
          key={p.project.id}
          mid={mid}
          planId={planId!}
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

/** 基本目標 (the top-level nodes the year's projects sit under) and the search, kept in the address. */
function CouncilFilters({
  choice,
  projects,
  shown,
}: {
  choice: ReturnType<typeof useCouncilChoice>;
  projects: CouncilProject[];
  shown: number;
}) {
  const goals = projects
    .map((p) => p.project.top)
    .filter((t, i, all): t is NonNullable<typeof t> => t !== null && all.findIndex((o) => o?.id === t.id) === i);
  return (
    <div className="council-filters">
      <Field label="基本目標で絞り込む">
        {(p) => (
          <select {...p} value={choice.goal ?? ''} onChange={(e) => choice.set({ goal: e.target.value })}>
            <option value="">（すべて）</option>
            {goals.map((g) => (
              <option key={g.id} value={g.id}>
                {g.number} {g.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <SearchBox
        label="事業を検索"
        hint="番号・事業名・体系・課名"
        value={choice.query}
        onChange={(v) => choice.set({ q: v })}
        shown={shown}
        total={projects.length}
      />
    </div>
  );
}

/** 計画 and 年度: only the years a round has asked, the newest with approved answers chosen first. */
function CouncilChoice({ choice, era }: { choice: ReturnType<typeof useCouncilChoice>; era: Era2019 }) {
  return (
    <div className="field-row">
      <Field label="計画">
        {(p) => (
          <select
            {...p}
            value={choice.planId ?? ''}
            onChange={(e) => choice.set({ planId: e.target.value, fiscalYear: '', goal: '' })}
          >
            {choice.plans.map((pl) => (
              <option key={pl.id} value={pl.id}>
                {pl.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      {choice.planYears.length > 0 && (
        <Field label="年度">
          {(p) => (
            <select
              {...p}
              value={choice.fiscalYear ?? ''}
              onChange={(e) => choice.set({ planId: String(choice.planId), fiscalYear: e.target.value, goal: '' })}
            >
              {choice.planYears.map((y) => (
                <option key={y.fiscalYear} value={y.fiscalYear}>
                  {formatFiscalYear(y.fiscalYear, era)}
                  {y.approvedProjects > 0 ? `（確定 ${y.approvedProjects}事業）` : '（確定した回答なし）'}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </div>
  );
}

/** One project: the departments' approved answers, then the council's remarks with their answers. */
function CouncilProjectCard({
  mid,
  planId,
  item: p,
  user,
  era,
  fiscalYear,
  config,
  onDone,
}: {
  mid: number;
  planId: number;
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
      <AnswersTable
        mid={mid}
        planId={planId}
        item={p}
        user={user}
        fiscalYear={fiscalYear}
        config={config}
        onDone={onDone}
      />
      {p.indicators.length > 0 && fiscalYear !== undefined && (
        <IndicatorLines item={p} fiscalYear={fiscalYear} era={era} />
      )}
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

/** The departments' approved answers with every evaluation, and the forms of the slots this user enters. */
function AnswersTable({
  mid,
  planId,
  item: p,
  user,
  fiscalYear,
  config,
  onDone,
}: {
  mid: number;
  planId: number;
  item: CouncilProject;
  user: NonNullable<Session['user']>;
  fiscalYear: number | undefined;
  config: EvaluationConfig | undefined;
  onDone(): void;
}) {
  // The council's and a committee's slots on answers that this user enters here.
  const slots = councilSlots(config, user, mid);
  return (
    <table className="data-table compact council-answers">
      <caption className="visually-hidden">確定した回答</caption>
      <thead>
        <tr>
          <th scope="col">担当課</th>
          <th scope="col">実績・取組状況</th>
          <th scope="col">翌年度予定</th>
          <th scope="col">評価</th>
        </tr>
      </thead>
      <tbody>
        {p.records.map((r) => {
          const same = r.record.sameAsDepartmentId
            ? `${p.records.find((x) => x.departmentId === r.record.sameAsDepartmentId)?.departmentName ?? '他課'}に同じ`
            : null;
          return (
            <tr key={r.departmentId}>
              <th scope="row">{r.departmentName}</th>
              <td className="council-text">{same ?? r.record.resultText}</td>
              <td className="council-text">{same ?? (r.record.nextYearPlan || '—')}</td>
              <td>
                <CouncilEvaluations
                  mid={mid}
                  projectId={p.project.id}
                  config={config}
                  evaluations={r.evaluations}
                  entered={slots.map((s) => s.key)}
                />
                {config && fiscalYear !== undefined && slots.length > 0 && (
                  <CouncilEntries
                    mid={mid}
                    planId={planId}
                    fiscalYear={fiscalYear}
                    project={p}
                    record={r}
                    config={config}
                    slots={slots}
                    onChanged={onDone}
                  />
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** 活動指標: each indicator's target of the year (or its final target) beside each department's actual. */
function IndicatorLines({ item: p, fiscalYear, era }: { item: CouncilProject; fiscalYear: number; era: Era2019 }) {
  return (
    <table className="data-table compact council-indicators">
      <caption>活動指標（{formatFiscalYear(fiscalYear, era)}）</caption>
      <thead>
        <tr>
          <th scope="col">指標</th>
          <th scope="col">目標</th>
          <th scope="col">実績</th>
        </tr>
      </thead>
      <tbody>
        {p.indicators.map((i) => {
          const target = i.targets.find((t) => t.fiscalYear === fiscalYear)?.text;
          const actuals = p.records
            .filter((r) => i.departmentId === null || r.departmentId === i.departmentId)
            .map((r) => ({ name: r.departmentName, a: r.record.actuals.find((x) => x.indicatorId === i.id) }))
            .filter((x) => x.a && (x.a.text || x.a.value !== null));
          return (
            <tr key={i.id}>
              <th scope="row">
                {i.name}
                {i.unit && <span className="muted">（{i.unit}）</span>}
              </th>
              <td>{target || (i.finalTarget.text ? `最終目標 ${i.finalTarget.text}` : '—')}</td>
              <td>
                {actuals.length === 0
                  ? '—'
                  : actuals.map((x) => (
                      <span key={x.name} className="council-actual">
                        {p.records.length > 1 && `${x.name}: `}
                        {x.a!.text || String(x.a!.value)}
                      </span>
                    ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
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
        <strong>意見</strong>（{formatFiscalYear(comment.fiscalYear, era)}・{comment.userName}）: {comment.body}
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
