import type { FieldChange } from '../lib/types.js';

/** Before → after, field by field; removed and added text marked up, not only coloured. */
export function ChangesTable({
  changes,
  caption,
  hideCaption = false,
  project,
  beforeLabel = '変更前',
  afterLabel = '変更後',
}: {
  changes: (FieldChange & { project?: string })[];
  caption: string;
  hideCaption?: boolean;
  project?: boolean;
  beforeLabel?: string;
  afterLabel?: string;
}) {
  if (changes.length === 0) return <p className="muted">内容の変更はありません。</p>;
  return (
    <table className="data-table compact changes">
      <caption className={hideCaption ? 'visually-hidden' : undefined}>{caption}</caption>
      <thead>
        <tr>
          {project && <th scope="col">事業</th>}
          <th scope="col">項目</th>
          <th scope="col">{beforeLabel}</th>
          <th scope="col">{afterLabel}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c, i) => (
          <tr key={`${c.field}-${i}`}>
            {project && <td>{c.project}</td>}
            <th scope="row">{c.label}</th>
            <td>
              <del>{c.before || '（空欄）'}</del>
            </td>
            <td>
              <ins>{c.after || '（空欄）'}</ins>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
