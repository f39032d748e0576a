import { useEffect, useRef, useState } from 'react';
import { api } from '../../lib/api.js';
import { formatDateTime } from '../../lib/dates.js';
import { ErrorAlert } from '../../components/forms.js';
import type { ImportNodeMatch, ImportRemovals, ImportReplacePreview } from '../../../domain/api-types.js';
import { commitRequest, flaggedRows, type ImportState } from './import-reducer.js';
import './import-batches.css';

/**
 * Before the commit into an existing plan: where the file's nodes go in the plan's tree, and what
 * importing the same file again would remove (what the earlier import created and the file no longer
 * has), as the server computes it by doing the commit and keeping nothing.
 */
export function ImportReplaceCheck({ mid, state }: { mid: number; state: ImportState }) {
  const { planId, fiscalYear, createDepartments } = state.target;
  const ready = state.preview !== null && planId !== 'new' && fiscalYear !== null && flaggedRows(state).length === 0;
  const latest = useRef(state);
  latest.current = state;
  const [answer, setAnswer] = useState<{ preview?: ImportReplacePreview; error?: unknown } | null>(null);
  useEffect(() => {
    if (!ready) {
      setAnswer(null);
      return;
    }
    let current = true;
    setAnswer(null);
    api.post<ImportReplacePreview>(`/api/m/${mid}/imports/replace-preview`, commitRequest(latest.current)).then(
      (preview) => current && setAnswer({ preview }),
      (error: unknown) => current && setAnswer({ error }),
    );
    return () => {
      current = false;
    };
  }, [mid, ready, state.preview, planId, fiscalYear, createDepartments]);
  if (!ready) return null;
  if (!answer)
    return (
      <p role="status" className="muted">
        取り込み先の計画と照らし合わせています…
      </p>
    );
  if (answer.error) return <ErrorAlert error={answer.error} />;
  const { removals, nodeMatches } = answer.preview!;
  return (
    <div className="import-replace-check">
      <NodeMatches matches={nodeMatches} />
      <Removals removals={removals} />
    </div>
  );
}

function NodeMatches({ matches }: { matches: ImportNodeMatch[] }) {
  if (matches.length === 0) return null;
  const found = matches.filter((m) => m.existingNodeId !== null).length;
  return (
    <details className="import-node-matches">
      <summary>
        既存の体系に合わせる: {found}件一致・{matches.length - found}件新規
      </summary>
      <table className="data-table compact">
        <caption className="visually-hidden">ファイルの体系の項目と、計画の項目の対応</caption>
        <thead>
          <tr>
            <th scope="col">ファイルの項目</th>
            <th scope="col">計画の項目</th>
          </tr>
        </thead>
        <tbody>
          {matches.map((m, i) => (
            <tr key={i}>
              <td className={`import-node-level-${Math.min(m.level, 5)}`}>
                {m.number} {m.title}
              </td>
              <td>{m.existingLabel ?? <strong>新規</strong>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Removals({ removals: r }: { removals: ImportRemovals }) {
  if (!r.replaces) return null;
  const count = r.projects.length + r.records.length + r.nodes.length + r.others.length;
  return (
    <div className={count || r.kept.length ? 'notice import-removals' : 'import-removals'}>
      <p>
        {formatDateTime(r.replaces.createdAt)} に {r.replaces.userName} さんが取り込んだ「
        {r.replaces.sourceName || '貼り付けた表'}」を置き換えます。
        {count === 0 && ' その取り込みで追加したもののうち、削除されるものはありません。'}
      </p>
      {count > 0 && <p>その取り込みで追加し、今回の表にはないものを削除します:</p>}
      {r.projects.length > 0 && (
        <RemovedList
          title={`事業 ${r.projects.length}件`}
          items={r.projects.map((p) => `${p.number} ${p.name}`.trim())}
          open
        />
      )}
      {r.records.length > 0 && (
        <RemovedList
          title={`担当課の回答 ${r.records.length}件`}
          items={r.records.map((x) => `${x.project}（${x.department}）`)}
        />
      )}
      {r.nodes.length > 0 && (
        <RemovedList
          title={`体系の項目 ${r.nodes.length}件`}
          items={r.nodes.map((n) => `${n.number} ${n.title}`.trim())}
        />
      )}
      {r.others.length > 0 && (
        <RemovedList title={`活動指標・値・担当課の割当て ${r.others.length}件`} items={r.others.map((o) => o.label)} />
      )}
      {r.kept.length > 0 && (
        <RemovedList
          title={`削除できないもの ${r.kept.length}件（残ります）`}
          items={r.kept.map((k) => `${k.label}: ${k.reason}`)}
          open
        />
      )}
    </div>
  );
}

function RemovedList({ title, items, open }: { title: string; items: string[]; open?: boolean }) {
  return (
    <details className="import-removed-list" open={open}>
      <summary>{title}</summary>
      <ul>
        {items.map((item, i) => (
          <li key={i}>{item}</li>
        ))}
      </ul>
    </details>
  );
}
