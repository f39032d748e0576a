import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { PlanSummary } from '../../lib/types.js';
import { api } from '../../lib/api.js';
import { ErrorAlert } from '../../components/forms.js';
import { IMPORT_FIELDS, IMPORT_FIELD_LABELS, type ImportMapping } from '../../../domain/import/mapping.js';
import type { ImportSource } from './import-reducer.js';
import { draftMapping, type ColumnUse } from './mapping-draft.js';

interface SourceRow {
  line: number;
  cells: string[];
}

/** A new mapping: pick the header row, then say what each column holds. */
export function MappingEditor({
  mid,
  source,
  onChange,
}: {
  mid: number;
  source: ImportSource | null;
  onChange(m: ImportMapping | null): void;
}) {
  const [rows, setRows] = useState<SourceRow[]>([]);
  const [headerLine, setHeaderLine] = useState<number | null>(null);
  const [uses, setUses] = useState<ColumnUse[]>([]);
  const [levelNames, setLevelNames] = useState(['基本目標', '施策', '']);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');
  const extraFields = useExtraFields(mid);

  const load = async () => {
    setError(null);
    if (!source) return setError(new Error('先に表を選ぶか貼り付けてください'));
    try {
      const r = await api.post<{ rows: SourceRow[] }>(`/api/m/${mid}/imports/source`, { source });
      setRows(r.rows.filter((x) => x.cells.some((c) => c.trim())));
    } catch (e) {
      setError(e);
    }
  };

  const header = rows.find((r) => r.line === headerLine);
  const mapping = header ? draftMapping(header.cells, name, levelNames, uses) : null;
  const json = JSON.stringify(mapping);
  // The parse gives back the mapping just serialised: the effect runs only when its content changes.
  useEffect(() => onChange(JSON.parse(json) as ImportMapping | null), [json, onChange]);

  return (
    <div className="mapping-editor">
      <ErrorAlert error={error} />
      <button type="button" className="button secondary small" onClick={load}>
        表の先頭を表示して列を対応づける
      </button>
      {rows.length > 0 && (
        <>
          <HeaderLineField rows={rows} headerLine={headerLine} onChange={setHeaderLine} />
          <LevelNamesField levelNames={levelNames} onChange={setLevelNames} />
          {header && (
            <ColumnUsesTable
              header={header}
              levelNames={levelNames}
              extraFields={extraFields}
              uses={uses}
              onChange={setUses}
            />
          )}
          <SaveMapping
            mid={mid}
            mapping={mapping}
            name={name}
            saved={saved}
            onName={setName}
            onSaved={setSaved}
            onError={setError}
          />
        </>
      )}
    </div>
  );
}

/** A plan's extra field a column can hold, with the plans that have it (the target plan's are read at the preview). */
interface ExtraField {
  key: string;
  label: string;
  plans: string[];
}

function useExtraFields(mid: number): ExtraField[] {
  const plans = useQuery({
    queryKey: ['plans', mid],
    queryFn: () => api.get<{ plans: PlanSummary[] }>(`/api/m/${mid}/plans`).then((r) => r.plans),
  });
  const out = new Map<string, ExtraField>();
  for (const p of plans.data ?? [])
    if (!p.archived)
      for (const f of p.customFields) {
        const e = out.get(f.key) ?? { key: f.key, label: f.label, plans: [] };
        e.plans.push(p.title);
        out.set(f.key, e);
      }
  return [...out.values()];
}

function HeaderLineField({
  rows,
  headerLine,
  onChange,
}: {
  rows: SourceRow[];
  headerLine: number | null;
  onChange(line: number | null): void;
}) {
  return (
    <div className="field">
      <label htmlFor="header-line">見出し行（行番号）</label>
      <select id="header-line" value={headerLine ?? ''} onChange={(e) => onChange(Number(e.target.value) || null)}>
        <option value="">選んでください</option>
        {rows.slice(0, 30).map((r) => (
          <option key={r.line} value={r.line}>
            {r.line}行目: {r.cells.filter(Boolean).join(' | ').slice(0, 60)}
          </option>
        ))}
      </select>
    </div>
  );
}

function LevelNamesField({ levelNames, onChange }: { levelNames: string[]; onChange(names: string[]): void }) {
  return (
    <fieldset className="field">
      <legend>階層の名前（上から）</legend>
      {levelNames.map((n, i) => (
        <label key={i} className="inline-check">
          第{i + 1}階層
          <input
            type="text"
            size={10}
            value={n}
            onChange={(e) => onChange(levelNames.map((x, j) => (j === i ? e.target.value : x)))}
          />
        </label>
      ))}
    </fieldset>
  );
}

function ColumnUsesTable({
  header,
  levelNames,
  extraFields,
  uses,
  onChange,
}: {
  header: SourceRow;
  levelNames: string[];
  extraFields: ExtraField[];
  uses: ColumnUse[];
  onChange(uses: ColumnUse[]): void;
}) {
  return (
    <table className="data-table compact">
      <caption>各列の内容</caption>
      <thead>
        <tr>
          <th scope="col">列</th>
          <th scope="col">見出し</th>
          <th scope="col">取り込む項目</th>
        </tr>
      </thead>
      <tbody>
        {header.cells.map((c, i) => (
          <tr key={i}>
            <th scope="row">{i + 1}</th>
            <td>{c}</td>
            <td>
              <select
                aria-label={`${i + 1}列目（${c || '見出しなし'}）の取り込む項目`}
                value={uses[i] ?? ''}
                // the options below are all column uses: '', level<n> or a field
                onChange={(e) => onChange(Object.assign([...uses], { [i]: e.target.value as ColumnUse }))}
              >
                <option value="">取り込まない</option>
                {levelNames.map((n, l) =>
                  n.trim() ? (
                    <option key={`l${l}`} value={`level${l}`}>
                      階層: {n}（番号と名称）
                    </option>
                  ) : null,
                )}
                {IMPORT_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {IMPORT_FIELD_LABELS[f]}
                  </option>
                ))}
                {extraFields.map((f) => (
                  <option key={f.key} value={`custom:${f.key}`}>
                    追加の項目: {f.label}（{f.plans.join('・')}）
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The new mapping's name, and saving it for next time. */
function SaveMapping({
  mid,
  mapping,
  name,
  saved,
  onName,
  onSaved,
  onError,
}: {
  mid: number;
  mapping: ImportMapping | null;
  name: string;
  /** what the last save said */
  saved: string;
  onName(name: string): void;
  onSaved(message: string): void;
  onError(error: unknown): void;
}) {
  return (
    <>
      <div className="field-row">
        <div className="field">
          <label htmlFor="mapping-name">この設定の名前（保存して次回も使う）</label>
          <input id="mapping-name" type="text" value={name} onChange={(e) => onName(e.target.value)} />
        </div>
        <button
          type="button"
          className="button secondary small"
          disabled={!mapping || !name.trim()}
          onClick={async () => {
            try {
              await api.post(`/api/m/${mid}/import-mappings`, { ...mapping, name });
              onSaved(`「${name}」を保存しました`);
            } catch (e) {
              onError(e);
            }
          }}
        >
          設定を保存する
        </button>
      </div>
      <p role="status" className="status-message">
        {saved}
      </p>
    </>
  );
}
