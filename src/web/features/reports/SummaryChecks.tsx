import { useId } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useSession } from '../../lib/session.js';
import type { RoundDto } from '../../lib/types.js';
import type { ReportSummary } from '../../../domain/report/summary.js';
import { CHECK_KINDS, CHECK_KIND_LABELS, type CheckKind } from '../../../domain/evaluation/checks.js';
import { isCoordinating, isDepartmentUser } from '../../../domain/policy.js';
import './summary-checks.css';

type CheckLine = NonNullable<ReportSummary['checks']>[number];

/**
 * The departments with something to look at first, then the others; each group in the organisation's
 * order as the API sends it (not ranked by count: these are warnings to follow up, not a score).
 */
export function checksFirst(lines: CheckLine[]): CheckLine[] {
  return [...lines.filter((l) => l.total > 0), ...lines.filter((l) => l.total === 0)];
}

/** The counts of every department added up, per kind and in all. */
export function checkTotals(lines: CheckLine[]): { counts: Record<CheckKind, number>; total: number } {
  const counts = Object.fromEntries(
    CHECK_KINDS.map((k) => [k, lines.reduce((n, l) => n + (l.counts[k] ?? 0), 0)]),
  ) as Record<CheckKind, number>;
  return { counts, total: lines.reduce((n, l) => n + l.total, 0) };
}

/**
 * Where a department's checks are followed up: for the coordinating section the review of the year's
 * round narrowed to that department and 確認事項あり, for a department its sheet; null without a round.
 */
function useCheckLinks(mid: number, planId: number, s: ReportSummary) {
  const { session } = useSession();
  const user = session.user!;
  const coordinating = isCoordinating(user);
  const rounds = useQuery({
    queryKey: ['rounds', mid],
    queryFn: () => api.get<{ rounds: RoundDto[] }>(`/api/m/${mid}/rounds`).then((r) => r.rounds),
    enabled: s.checks !== null && (coordinating || isDepartmentUser(user)),
  });
  // Every round of the year covering a department shows the same answers of the year: the latest is taken.
  const roundOf = (departmentId: number) =>
    (rounds.data ?? [])
      .filter(
        (r) =>
          r.planId === planId &&
          r.fiscalYear === s.fiscalYear &&
          r.departments.some((d) => d.departmentId === departmentId),
      )
      .sort((a, b) => b.id - a.id)[0];
  const linkTo = (departmentId: number): string | null => {
    const round = roundOf(departmentId);
    if (!round) return null;
    if (coordinating) return `/m/${mid}/rounds/${round.id}/review?department=${departmentId}&checks=1`;
    return `/m/${mid}/rounds/${round.id}/departments/${departmentId}`;
  };
  return { coordinating, linkTo };
}

const TITLE = '自己評価の確認事項（課別）';

/**
 * What the self-evaluation checks found in the year's answers, per department (課別): one column per kind
 * of check, a total column and row. Each department with checks links to where they are followed up.
 */
export function SummaryChecks({ mid, planId, s }: { mid: number; planId: number; s: ReportSummary }) {
  const id = useId();
  const { coordinating, linkTo } = useCheckLinks(mid, planId, s);
  // Readers who do not see them (the council) get no section at all.
  if (s.checks === null) return null;
  const lines = checksFirst(s.checks);
  const totals = checkTotals(lines);
  const flagged = lines.filter((l) => l.total > 0).length;
  return (
    <section aria-labelledby={id} className="summary-section summary-checks">
      <h2 id={id}>{TITLE}</h2>
      <p className="hint">
        {'回答の自己評価を点検して、見直しをおすすめする点（計算と食い違う評価、前年度と同じ実績の文章など）を課ごとに数えています。' +
          '誤りではなく確認のための警告で、このままでも提出・確定できます。'}
        {lines.some((l) => l.total > 0 && linkTo(l.departmentId) !== null) &&
          (coordinating
            ? '課名を選ぶと、その課の確認事項のある回答を「回答の確認」で開きます。'
            : '課名を選ぶと、回答シートを開きます。')}
      </p>
      {totals.total === 0 ? (
        <p className="summary-checks-none">
          {s.fiscalYearLabel}の回答{lines.length > 0 ? `（${lines.length}課）` : ''}に、確認事項はありません。
        </p>
      ) : (
        <>
          <p>
            {`確認事項 ${totals.total}件（${lines.length}課のうち${flagged}課）。`}
            1件の回答に複数の確認事項があることがあります。
          </p>
          <ChecksTable s={s} lines={lines} totals={totals} linkTo={linkTo} />
        </>
      )}
    </section>
  );
}

function ChecksTable({
  s,
  lines,
  totals,
  linkTo,
}: {
  s: ReportSummary;
  lines: CheckLine[];
  totals: ReturnType<typeof checkTotals>;
  linkTo: (departmentId: number) => string | null;
}) {
  const found = (n: number) => (n > 0 ? 'num summary-checks-found' : 'num');
  return (
    <div className="table-scroll summary-checks-scroll" tabIndex={0} role="region" aria-label={`${TITLE}の表`}>
      <table className="data-table compact">
        <caption>
          {TITLE}（{s.fiscalYearLabel}）
        </caption>
        <thead>
          <tr>
            <th scope="col">課名</th>
            {CHECK_KINDS.map((k) => (
              <th key={k} scope="col" className="num">
                {CHECK_KIND_LABELS[k]}
              </th>
            ))}
            <th scope="col" className="num">
              合計
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => {
            const to = l.total > 0 ? linkTo(l.departmentId) : null;
            return (
              <tr key={l.departmentId} className={l.total === 0 ? 'summary-checks-clear' : undefined}>
                <th scope="row">{to ? <Link to={to}>{l.label}</Link> : l.label}</th>
                {CHECK_KINDS.map((k) => (
                  <td key={k} className={found(l.counts[k] ?? 0)}>
                    {l.counts[k] ?? 0}
                  </td>
                ))}
                <td className={found(l.total)}>{l.total}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">合計</th>
            {CHECK_KINDS.map((k) => (
              <td key={k} className="num">
                {totals.counts[k]}
              </td>
            ))}
            <td className="num">{totals.total}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
