import { StrayEvaluations } from './StrayEvaluations.js';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import type { NodeEvaluationRow, NodeEvaluationsDto, PlanSummary, SlotValueDto } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { ENTRY_ROLE_LABELS } from '../../../domain/evaluation/index.js';
import { fiscalYearRange } from '../../../domain/fiscal-year.js';
import { formatEraYear, formatFiscalYear } from '../../lib/dates.js';
import { isCoordinating } from '../../../domain/policy.js';
import { useSession } from '../../lib/session.js';
import { HistoryDialog } from './HistoryDialog.js';
import { EntryForm, ValueView, type CellMessage, type EntryDraft } from './NodeEvaluationCell.js';
import { evaluates, rowKey, rowTitle, shownRows, slotColumns, unsavedText, type SlotColumn } from './node-values.js';
import { OutcomeActuals, useOutcomes } from '../sheet/OutcomeActuals.js';
import './evaluations.css';

interface SaveArgs {
  row: NodeEvaluationRow;
  column: SlotColumn;
  value: SlotValueDto;
  draft: EntryDraft;
}

const cellKey = (row: NodeEvaluationRow, column: SlotColumn) => `${rowKey(row)}:${column.slot.key}`;

/** Loading the year's rows and saving one cell; a conflict reloads the rows and says who saved first. */
function useNodeEvaluations(mid: number, pid: number, year: number) {
  const client = useQueryClient();
  const key = ['node-evaluations', mid, pid, year];
  const q = useQuery({
    queryKey: key,
    queryFn: () => api.get<NodeEvaluationsDto>(`/api/m/${mid}/plans/${pid}/years/${year}/node-evaluations`),
  });
  const [messages, setMessages] = useState<Record<string, CellMessage>>({});
  const say = (k: string, m: CellMessage) => setMessages((prev) => ({ ...prev, [k]: m }));
  const save = useMutation({
    mutationFn: ({ row, column, value, draft }: SaveArgs) =>
      api.post<SlotValueDto>(`/api/m/${mid}/plans/${pid}/years/${year}/evaluations`, {
        slotKey: column.slot.key,
        subjectKind: row.subjectKind,
        subjectId: row.subjectId,
        departmentId: 0,
        code: draft.code || null,
        comment: draft.comment,
        reason: draft.reason,
        version: value.version,
      }),
    onSuccess: (saved, { row, column }) => {
      client.setQueryData<NodeEvaluationsDto>(key, (old) => old && withValue(old, row, column.slot.key, saved));
      say(cellKey(row, column), { tone: 'done', text: '保存しました' });
    },
    onError: (e, { row, column, draft }) => {
      const conflict = e instanceof ApiError && e.status === 409;
      // The row is read again; what was typed is said, to be entered again over what was saved first.
      const text = e instanceof ApiError ? e.message : String(e);
      say(cellKey(row, column), { tone: 'error', text: conflict ? `${text}。${unsavedText(draft)}` : text });
      if (conflict) void client.invalidateQueries({ queryKey: key });
    },
  });
  return { q, messages, save };
}

function withValue(dto: NodeEvaluationsDto, row: NodeEvaluationRow, slotKey: string, v: SlotValueDto) {
  return {
    ...dto,
    rows: dto.rows.map((r) =>
      r.subjectKind === row.subjectKind && r.subjectId === row.subjectId
        ? { ...r, values: { ...r.values, [slotKey]: v } }
        : r,
    ),
  };
}

/**
 * 体系ごとの評価: a year's tree with the evaluations of its nodes (and of the whole plan) — the
 * council's stars, a committee's grades, the coordinating section's 総評. Each person enters the
 * slots the plan gives their role; everyone else reads them.
 */
export function NodeEvaluationsPage() {
  const mid = useMid();
  const params = useParams();
  const pid = Number(params.pid);
  const year = Number(params.year);
  const era = useEra();
  const { q, messages, save } = useNodeEvaluations(mid, pid, year);
  const [history, setHistory] = useState<{ entryId: number; title: string; column: SlotColumn } | null>(null);
  const [allRows, setAllRows] = useState(false);
  usePageTitle(`${formatEraYear(year, era)}の体系ごとの評価`);
  const columns = q.data ? slotColumns(q.data) : [];
  return (
    <div className="node-evaluations">
      <Chooser mid={mid} pid={pid} year={year} />
      <ErrorAlert error={q.error} />
      {q.data && <StrayEvaluations stray={q.data.stray} />}
      {q.isPending && <p role="status">読み込み中…</p>}
      {q.data && columns.length === 0 && (
        <p>この年度の評価の方法には、体系（施策・基本目標など）や事業全体、計画全体の評価がありません。</p>
      )}
      {q.data && columns.length > 0 && (
        <label className="inline-check node-eval-all">
          <input type="checkbox" checked={allRows} onChange={(e) => setAllRows(e.target.checked)} />
          評価しない階層の項目も表示する
        </label>
      )}
      {q.data && columns.length > 0 && (
        <NodeTable
          rows={shownRows(q.data.rows, allRows)}
          columns={columns}
          messages={messages}
          busy={save.isPending}
          onSave={(a) => save.mutate(a)}
          onHistory={(entryId, title, column) => setHistory({ entryId, title, column })}
        />
      )}
      <NodeOutcomes mid={mid} pid={pid} year={year} />
      {history && (
        <HistoryDialog
          mid={mid}
          entryId={history.entryId}
          title={history.title}
          scale={history.column.scale}
          onClose={() => setHistory(null)}
        />
      )}
    </div>
  );
}

/** The 成果指標 of the year's nodes and of the plan, with their actuals (entered here by the coordinating section). */
function NodeOutcomes({ mid, pid, year }: { mid: number; pid: number; year: number }) {
  const q = useOutcomes(mid, pid, year, null);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  return <OutcomeActuals mid={mid} data={q.data} />;
}

/** The plan and the year shown, and the way to the plan's evaluation settings. */
function Chooser({ mid, pid, year }: { mid: number; pid: number; year: number }) {
  const era = useEra();
  const navigate = useNavigate();
  const { session } = useSession();
  const plans = useQuery({
    queryKey: ['plans', mid],
    queryFn: () => api.get<{ plans: PlanSummary[] }>(`/api/m/${mid}/plans`).then((r) => r.plans),
  });
  const plan = plans.data?.find((p) => p.id === pid);
  const go = (p: number, y: number) => void navigate(`/m/${mid}/evaluations/${p}/${y}`);
  return (
    <>
      <h1>
        {plan ? `${plan.title} ` : ''}
        {formatEraYear(year, era)}の体系ごとの評価
      </h1>
      <div className="node-eval-choose">
        <div className="field">
          <label htmlFor="node-eval-plan">計画</label>
          <select id="node-eval-plan" value={pid} onChange={(e) => go(Number(e.target.value), year)}>
            {(plans.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
        {plan && (
          <div className="field">
            <label htmlFor="node-eval-year">年度</label>
            <select id="node-eval-year" value={year} onChange={(e) => go(pid, Number(e.target.value))}>
              {fiscalYearRange(plan.firstYear, plan.lastYear).map((y) => (
                <option key={y} value={y}>
                  {formatFiscalYear(y, era)}
                </option>
              ))}
            </select>
          </div>
        )}
        <p className="field">
          <Link to={`/m/${mid}/plans/${pid}/evaluation`}>
            評価の方法{isCoordinating(session.user!) ? 'を設定する' : 'を見る'}
          </Link>
        </p>
      </div>
    </>
  );
}

function NodeTable({
  rows,
  columns,
  messages,
  busy,
  onSave,
  onHistory,
}: {
  rows: NodeEvaluationRow[];
  columns: SlotColumn[];
  messages: Record<string, CellMessage>;
  busy: boolean;
  onSave(a: SaveArgs): void;
  onHistory(entryId: number, title: string, column: SlotColumn): void;
}) {
  return (
    <table className="data-table node-eval-table">
      <caption className="visually-hidden">体系の項目ごとの評価</caption>
      <thead>
        <tr>
          <th scope="col" className="node-eval-node">
            項目
          </th>
          {columns.map((c) => (
            <th key={c.slot.key} scope="col">
              {c.slot.name}
              <span className="hint"> （{ENTRY_ROLE_LABELS[c.slot.enteredBy]}）</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            <th scope="row" className="node-eval-node">
              <div className={`depth-${row.depth}`}>
                {row.number && <span className="node-number">{row.number}</span>}
                {row.title}
              </div>
            </th>
            {columns.map((c) => (
              <SlotCell
                key={c.slot.key}
                row={row}
                column={c}
                message={messages[cellKey(row, c)]}
                busy={busy}
                onSave={onSave}
                onHistory={onHistory}
              />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SlotCell({
  row,
  column,
  message,
  busy,
  onSave,
  onHistory,
}: {
  row: NodeEvaluationRow;
  column: SlotColumn;
  message: CellMessage | undefined;
  busy: boolean;
  onSave(a: SaveArgs): void;
  onHistory(entryId: number, title: string, column: SlotColumn): void;
}) {
  const value = row.values[column.slot.key];
  if (!evaluates(row, column.slot) || !value)
    return (
      <td className="not-evaluated">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">対象外</span>
      </td>
    );
  const title = `${rowTitle(row)}の${column.slot.name}`;
  const history = () => value.entryId !== null && onHistory(value.entryId, `${title}の履歴`, column);
  return (
    <td>
      {column.mayEnter ? (
        <EntryForm
          key={value.version}
          column={column}
          value={value}
          rowLabel={rowTitle(row)}
          busy={busy}
          message={message}
          onSave={(draft) => onSave({ row, column, value, draft })}
          onHistory={history}
        />
      ) : (
        <>
          <ValueView scale={column.scale} value={value} />
          {value.entryId !== null && (
            <button type="button" className="link-button" onClick={history}>
              <span className="visually-hidden">{rowTitle(row)}の</span>
              {column.slot.name}の履歴
            </button>
          )}
        </>
      )}
    </td>
  );
}
