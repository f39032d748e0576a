import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { Department, PlanSummary, Reorganisation, RoundDto } from '../../lib/types.js';
import {
  CheckboxPicker,
  ErrorAlert,
  ErrorSummary,
  Field,
  FieldScope,
  FiscalYearInput,
} from '../../components/forms.js';
import { PHASES, PHASE_LABELS, TEXT_LIMIT, type Phase } from '../../../domain/cycle-terms.js';
import { formatDate, formatFiscalYear } from '../../lib/dates.js';
import { fiscalYearInJapan } from '../../../domain/effective.js';
import { isActiveIn, REORG_KIND_LABELS } from '../../../domain/department.js';
import { isCoordinating, readsApprovedOnly } from '../../../domain/policy.js';
import { nextRoundYear } from './round-year.js';

export function RoundsPage() {
  usePageTitle('照会');
  const mid = useMid();
  const { session } = useSession();
  const user = session.user!;
  const coordinating = isCoordinating(user);
  const readsOnly = readsApprovedOnly(user);
  const rounds = useQuery({
    queryKey: ['rounds', mid],
    queryFn: () => api.get<{ rounds: RoundDto[] }>(`/api/m/${mid}/rounds`).then((r) => r.rounds),
    enabled: !readsOnly,
  });
  if (readsOnly)
    return (
      <section>
        <h1>照会（進捗状況の調査）</h1>
        <p>
          照会は、計画所管課が各課に実績を尋ね、各課が回答する作業です。確定した回答は
          <Link to={`/m/${mid}/council`}>審議会のページ</Link>で読めます。
        </p>
      </section>
    );
  return (
    <section>
      <h1>照会（進捗状況の調査）</h1>
      <ErrorAlert error={rounds.error} />
      {rounds.data && rounds.data.length === 0 && <p>照会はまだありません。</p>}
      {rounds.data && rounds.data.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">照会の一覧</caption>
          <thead>
            <tr>
              <th scope="col">計画</th>
              <th scope="col">年度</th>
              <th scope="col">時期</th>
              <th scope="col">開始日</th>
              <th scope="col">対象</th>
              <th scope="col">回答期限</th>
              <th scope="col">状態</th>
              <th scope="col">{coordinating ? '状況' : '回答'}</th>
            </tr>
          </thead>
          <tbody>
            {rounds.data.map((r) => (
              <RoundRow key={r.id} round={r} mid={mid} coordinating={coordinating} />
            ))}
          </tbody>
        </table>
      )}
      {coordinating && <OpenRoundForm mid={mid} rounds={rounds.data ?? []} />}
    </section>
  );
}

/** One round in the list: what it asks, of whom, until when, and the way to its board or the user's sheet. */
function RoundRow({ round: r, mid, coordinating }: { round: RoundDto; mid: number; coordinating: boolean }) {
  const era = useEra();
  const user = useSession().session.user!;
  // Their own 課 first; else a 課 theirs replaced in a reorganisation that took effect (its earlier sheets).
  const mine =
    r.departments.find((d) => d.departmentId === user.departmentId) ??
    r.departments.find((d) => user.departmentIds.includes(d.departmentId));
  return (
    <tr>
      <td>{r.planTitle}</td>
      <td>{formatFiscalYear(r.fiscalYear, era)}</td>
      <td>{PHASE_LABELS[r.phase]}</td>
      <td>{formatDate(r.createdAt)}</td>
      {/* Two rounds of one plan, year and phase (a second asking a few 課 again) differ by these two. */}
      <td>
        <span title={r.departments.map((d) => d.name).join('、')}>{r.departments.length}課</span>
      </td>
      <td>{formatDate(r.deadline)}</td>
      <td>
        {r.status === 'open'
          ? '回答受付中'
          : r.departments.some((d) => d.reopened)
            ? '締切（一部の課は再受付中）'
            : '締切'}
      </td>
      <td>
        {coordinating ? (
          <Link to={`/m/${mid}/rounds/${r.id}`}>状況を見る</Link>
        ) : mine ? (
          <Link to={`/m/${mid}/rounds/${r.id}/departments/${mine.departmentId}`}>回答シートを開く</Link>
        ) : null}
      </td>
    </tr>
  );
}

/** What opening a round chooses from: the plans, the departments, the reorganisations registered ahead. */
function useRoundChoices(mid: number) {
  const plans = useQuery({
    queryKey: ['plans', mid],
    queryFn: () => api.get<{ plans: PlanSummary[] }>(`/api/m/${mid}/plans`).then((r) => r.plans),
  });
  const depts = useQuery({
    queryKey: ['departments', mid],
    queryFn: () => api.get<{ departments: Department[] }>(`/api/m/${mid}/departments`).then((r) => r.departments),
  });
  const reorgs = useQuery({
    queryKey: ['reorganisations', mid],
    queryFn: () =>
      api
        .get<{ reorganisations: Reorganisation[] }>(`/api/m/${mid}/departments/reorganisations`)
        .then((r) => r.reorganisations),
  });
  return { plans: plans.data ?? [], departments: depts.data ?? [], reorganisations: reorgs.data ?? [] };
}

interface RoundInput {
  planId: number | undefined;
  fiscalYear: number | null;
  phase: Phase;
  deadline: string;
  instructions: string;
  departmentIds: number[];
}

/** Opens a round; the rounds, reorganisations and departments are read again (opening applies reorganisations). */
function useOpenRound(mid: number) {
  const client = useQueryClient();
  const [message, setMessage] = useState('');
  const open = useMutation({
    mutationFn: (input: RoundInput) => api.post<{ round: RoundDto }>(`/api/m/${mid}/rounds`, input),
    onSuccess: async (r) => {
      setMessage(`照会を開始しました（${r.round.planTitle}）`);
      await client.invalidateQueries({ queryKey: ['rounds', mid] });
      await client.invalidateQueries({ queryKey: ['reorganisations', mid] });
      await client.invalidateQueries({ queryKey: ['departments', mid] });
    },
  });
  return { open, message };
}

/** The plan and year of a new round: with one plan, it is the one; the year follows the plan until one is typed. */
function usePlanAndYear(plans: PlanSummary[], rounds: RoundDto[]) {
  const live = plans.filter((pl) => !pl.archived);
  const [picked, setPlanId] = useState('');
  const planId = picked || (live.length === 1 ? String(live[0]!.id) : '');
  const plan = live.find((pl) => String(pl.id) === planId);
  const [typedYear, setFiscalYear] = useState<number | null | undefined>(undefined);
  const suggested = plan ? nextRoundYear(plan, rounds) : null;
  const fiscalYear = typedYear !== undefined ? typedYear : suggested;
  return { live, planId, setPlanId, suggested, fiscalYear, setFiscalYear };
}

function OpenRoundForm({ mid, rounds }: { mid: number; rounds: RoundDto[] }) {
  const choices = useRoundChoices(mid);
  const { live, planId, setPlanId, suggested, fiscalYear, setFiscalYear } = usePlanAndYear(choices.plans, rounds);
  const [phase, setPhase] = useState<Phase>('end');
  const [deadline, setDeadline] = useState('');
  const [instructions, setInstructions] = useState('');
  const [departmentIds, setDepartmentIds] = useState<number[] | null>(null);
  const { open, message } = useOpenRound(mid);
  // The 課 that exist in the round's year (this year until one is entered): ended and future units are not asked.
  const year = fiscalYear ?? fiscalYearInJapan();
  const units = choices.departments.filter((d) => d.kind === 'ka' && isActiveIn(d, year));
  const chosen = (departmentIds ?? units.map((d) => d.id)).filter((id) => units.some((u) => u.id === id));
  // Opening a round of a year takes the reorganisations of that year (and before) into effect.
  const pending =
    fiscalYear === null
      ? []
      : choices.reorganisations.filter((r) => r.status === 'scheduled' && r.effectiveYear <= fiscalYear);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    open.mutate({
      planId: Number(planId) || undefined,
      fiscalYear,
      phase,
      deadline,
      instructions,
      departmentIds: chosen,
    });
  };
  return (
    <FieldScope error={open.error}>
      <form onSubmit={submit} className="panel" noValidate aria-labelledby="open-round-title">
        <h2 id="open-round-title">照会を開始する</h2>
        <p className="hint">
          開始すると、選んだ課の担当事業ごとに今年度の回答欄が作られ、前年度の「翌年度予定」が「事業予定」に、前年度の目標値が今年度に引き継がれます。
        </p>
        <p role="status" className="status-message">
          {message}
        </p>
        <ErrorSummary />
        <PlanField
          plans={live}
          planId={planId}
          onChange={(id) => {
            setPlanId(id);
            setFiscalYear(undefined);
          }}
        />
        <div className="field-row">
          <FiscalYearInput
            // Shows the suggestion again when it changes (another plan chosen, the rounds read).
            key={`${planId}:${suggested ?? ''}`}
            label="年度"
            name="fiscalYear"
            required
            value={fiscalYear}
            onChange={setFiscalYear}
          />
          <PhaseAndDeadline phase={phase} deadline={deadline} onPhase={setPhase} onDeadline={setDeadline} />
        </div>
        <Field label="記入要領（各課へのお願い）" name="instructions" maxLength={TEXT_LIMIT} value={instructions}>
          {(p) => <textarea {...p} rows={3} value={instructions} onChange={(e) => setInstructions(e.target.value)} />}
        </Field>
        <CheckboxPicker
          name="departmentIds"
          legend="照会先の課"
          filterLabel="課名で絞り込み"
          options={units.map((d) => ({ value: d.id, label: d.name }))}
          selected={chosen}
          onChange={setDepartmentIds}
        />
        {pending.length > 0 && <PendingReorganisations pending={pending} />}
        <button type="submit" className="button primary" disabled={open.isPending}>
          {pending.length > 0 ? '組織変更を適用して照会を開始する' : '照会を開始する'}
        </button>
      </form>
    </FieldScope>
  );
}

function PlanField({
  plans,
  planId,
  onChange,
}: {
  plans: PlanSummary[];
  planId: string;
  onChange(planId: string): void;
}) {
  return (
    <Field label="計画" name="planId" required>
      {(p) => (
        <select {...p} value={planId} onChange={(e) => onChange(e.target.value)}>
          <option value="">選んでください</option>
          {plans.map((pl) => (
            <option key={pl.id} value={pl.id}>
              {pl.title}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function PhaseAndDeadline({
  phase,
  deadline,
  onPhase,
  onDeadline,
}: {
  phase: Phase;
  deadline: string;
  onPhase(phase: Phase): void;
  onDeadline(date: string): void;
}) {
  return (
    <>
      <Field label="時期" name="phase" required>
        {(p) => (
          // the options are the phases
          <select {...p} value={phase} onChange={(e) => onPhase(e.target.value as Phase)}>
            {PHASES.map((ph) => (
              <option key={ph} value={ph}>
                {PHASE_LABELS[ph]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="回答期限" name="deadline" required>
        {(p) => <input {...p} type="date" value={deadline} onChange={(e) => onDeadline(e.target.value)} />}
      </Field>
    </>
  );
}

/** The reorganisations that opening a round of the year will apply, and what each moves. */
function PendingReorganisations({ pending }: { pending: Reorganisation[] }) {
  const era = useEra();
  return (
    <div className="notice" role="note">
      <p>
        <strong>この照会を始めると、次の組織変更が適用されます。</strong>適用した後は変更も取消しもできません。
      </p>
      <ul>
        {pending.map((r) => (
          <li key={r.id}>
            {formatFiscalYear(r.effectiveYear, era)} {REORG_KIND_LABELS[r.kind]}：{r.from.map((f) => f.name).join('・')}{' '}
            → {r.to.map((t) => t.name).join('・')}
            {r.kind !== 'split' && `（利用者${r.pendingUsers}人・事業${r.pendingProjects}件が移ります）`}
          </li>
        ))}
      </ul>
    </div>
  );
}
