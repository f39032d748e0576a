import type { Department, PlanDetail, PlanNode, Project } from '../../lib/types.js';
import { useEra } from '../../lib/hooks.js';
import { formatEraYear } from '../../lib/dates.js';
import { ErrorAlert } from '../../components/forms.js';
import './plan-structure.css';

export type ArchivedItem = { kind: 'node'; node: PlanNode } | { kind: 'project'; project: Project };

/**
 * What was archived instead of deleted (it has answers or printed numbers): out of the tree and of
 * new rounds, still in the reports of its years. Collapsed by default; each can be restored.
 */
export function ArchiveSection({
  plan,
  departments,
  canEdit,
  busy,
  error,
  onRestore,
}: {
  plan: PlanDetail;
  departments: Map<number, Department>;
  canEdit: boolean;
  busy: boolean;
  error: unknown;
  onRestore(item: ArchivedItem): void;
}) {
  const era = useEra();
  const nodes = plan.nodes.filter((n) => n.archived);
  const projects = plan.projects.filter((p) => p.archived);
  const count = nodes.length + projects.length;
  if (count === 0) return null;
  const lastYear = (y: number | null) => (y === null ? '' : `${formatEraYear(y, era)}まで`);
  const nodeById = new Map(plan.nodes.map((n) => [n.id, n]));
  return (
    <details className="archive-section">
      <summary>アーカイブ（{count}件）</summary>
      <p className="hint">
        回答や番号が過去の年度に使われているため、削除せずに残した項目と事業です。過去の年度の報告には表示されます。
      </p>
      <ErrorAlert error={error} />
      <ul className="archive-list">
        {nodes.map((n) => (
          <li key={`n${n.id}`}>
            <span className="archive-label">
              <span className="level-tag">{plan.levels[n.depth]?.name ?? '項目'}</span> {n.number} {n.title}
            </span>
            <span className="archive-year">{lastYear(n.endYear)}</span>
            {canEdit && (
              <button
                type="button"
                className="button secondary small"
                disabled={busy}
                onClick={() => onRestore({ kind: 'node', node: n })}
                aria-label={`「${n.title}」を復元`}
              >
                復元
              </button>
            )}
          </li>
        ))}
        {projects.map((p) => (
          <ArchivedProject
            key={`p${p.id}`}
            project={p}
            home={nodeById.get(p.nodeId)}
            lead={p.leadDepartmentId === null ? '' : (departments.get(p.leadDepartmentId)?.name ?? '')}
            until={lastYear(p.endYear)}
            canEdit={canEdit}
            busy={busy}
            onRestore={onRestore}
          />
        ))}
      </ul>
    </details>
  );
}

/** An archived project with where it sat and who led it. */
function ArchivedProject({
  project: p,
  home,
  lead,
  until,
  canEdit,
  busy,
  onRestore,
}: {
  project: Project;
  home: PlanNode | undefined;
  lead: string;
  /** 「令和7年度まで」, or '' */
  until: string;
  canEdit: boolean;
  busy: boolean;
  onRestore(item: ArchivedItem): void;
}) {
  return (
    <li>
      <span className="archive-label">
        <span className="level-tag">事業</span> {p.number} {p.name}
        {(home || lead) && (
          <span className="archive-meta">
            {home && `${home.number} ${home.title}`}
            {home && lead && '・'}
            {lead}
          </span>
        )}
      </span>
      <span className="archive-year">{until}</span>
      {canEdit && (
        <button
          type="button"
          className="button secondary small"
          disabled={busy}
          onClick={() => onRestore({ kind: 'project', project: p })}
          aria-label={`事業「${p.name}」を復元`}
        >
          復元
        </button>
      )}
    </li>
  );
}
