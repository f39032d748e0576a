import { useEffect, useState } from 'react';
import { api } from '../../lib/api.js';
import { ErrorAlert } from '../../components/forms.js';
import {
  IMPORT_FIELDS,
  IMPORT_FIELD_LABELS,
  type ImportField,
  type ImportMapping,
} from '../../../domain/import/mapping.js';

type Source = { kind: 'paste'; text: string } | { kind: 'file'; name: string; base64: string; sheet?: string } | null;
type Use = '' | `level${number}` | ImportField;

/** A new mapping: pick the header row, then say what each column holds. */
export function MappingEditor({
  mid,
  source,
  onChange,
}: {
  mid: number;
  source: Source;
  onChange(m: ImportMapping | null): void;
}) {
  const [rows, setRows] = useState<{ line: number; cells: string[] }[]>([]);
  const [headerLine, setHeaderLine] = useState<number | null>(null);
  const [uses, setUses] = useState<Use[]>([]);
  const [levelNames, setLevelNames] = useState(['基本目標', '施策', '']);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');

  const load = async () => {
    setError(null);
    if (!source) return setError(new Error('先に表を選ぶか貼り付けてください'));
    try {
      const r = await api.post<{ rows: { line: number; cells: string[] }[] }>(`/api/m/${mid}/imports/source`, {
        source,
      });
      setRows(r.rows.filter((x) => x.cells.some((c) => c.trim())));
    } catch (e) {
      setError(e);
    }
  };

  const header = rows.find((r) => r.line === headerLine);
  const mapping: ImportMapping | null = header
    ? {
        name: name || '新しい取り込み設定',
        label: '',
        headerWords: header.cells
          .map((c) => c.trim())
          .filter(Boolean)
          .slice(0, 8),
        extraHeaderRows: 0,
        levels: levelNames
          .map((n, i) => ({ name: n.trim(), column: uses.findIndex((u) => u === `level${i}`) }))
          .filter((l) => l.name && l.column >= 0),
        columns: Object.fromEntries(uses.flatMap((u, column) => (u && !u.startsWith('level') ? [[u, column]] : []))),
        numberInName: false,
      }
    : null;
  const json = JSON.stringify(mapping);
  useEffect(() => onChange(JSON.parse(json) as ImportMapping | null), [json, onChange]);

  return (
    <div className="mapping-editor">
      <ErrorAlert error={error} />
      <button type="button" className="button secondary small" onClick={load}>
        表の先頭を表示して列を対応づける
      </button>
      {rows.length > 0 && (
        <>
          <div className="field">
            <label htmlFor="header-line">見出し行（行番号）</label>
            <select
              id="header-line"
              value={headerLine ?? ''}
              onChange={(e) => setHeaderLine(Number(e.target.value) || null)}
            >
              <option value="">選んでください</option>
              {rows.slice(0, 30).map((r) => (
                <option key={r.line} value={r.line}>
                  {r.line}行目: {r.cells.filter(Boolean).join(' | ').slice(0, 60)}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field">
            <legend>階層の名前（上から）</legend>
            {levelNames.map((n, i) => (
              <label key={i} className="inline-check">
                第{i + 1}階層
                <input
                  type="text"
                  size={10}
                  value={n}
                  onChange={(e) => setLevelNames(levelNames.map((x, j) => (j === i ? e.target.value : x)))}
                />
              </label>
            ))}
          </fieldset>
          {header && (
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
                        onChange={(e) => setUses(Object.assign([...uses], { [i]: e.target.value as Use }))}
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
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="field-row">
            <div className="field">
              <label htmlFor="mapping-name">この設定の名前（保存して次回も使う）</label>
              <input id="mapping-name" type="text" value={name} onChange={(e) => setName(e.target.value)} />
            </div>
            <button
              type="button"
              className="button secondary small"
              disabled={!mapping || !name.trim()}
              onClick={async () => {
                try {
                  await api.post(`/api/m/${mid}/import-mappings`, { ...mapping, name });
                  setSaved(`「${name}」を保存しました`);
                } catch (e) {
                  setError(e);
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
      )}
    </div>
  );
}
