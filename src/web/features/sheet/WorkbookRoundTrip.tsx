import { useState } from 'react';
import { api } from '../../lib/api.js';
import { toBase64 } from '../../lib/files.js';
import type { FieldChange } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { ChangesTable } from '../../components/ChangesTable.js';

interface Check {
  changes: (FieldChange & { recordId: number; project: string })[];
  problems: { sheet: string; line: number; message: string }[];
  saved: number;
}

/** Excel for departments who answer offline: download the sheet pre-filled, upload it, check the changes, apply. */
export function WorkbookRoundTrip({ url, onApplied }: { url: string; onApplied(): void }) {
  const [base64, setBase64] = useState<string | null>(null);
  const [check, setCheck] = useState<Check | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  const send = async (apply: boolean) => {
    setError(null);
    try {
      const r = await api.post<Check>(url, { base64, apply });
      setCheck(apply ? null : r);
      if (apply) {
        setMessage(`${r.saved}件の回答に反映しました`);
        setBase64(null);
        onApplied();
      }
    } catch (e) {
      setError(e);
    }
  };
  return (
    <details className="panel workbook">
      <summary>Excel で入力する</summary>
      <p>
        <a href={url} download>
          この課の回答シートを Excel でダウンロード
        </a>
      </p>
      <div className="field">
        <label htmlFor="workbook-upload">入力した Excel ファイル</label>
        <input
          id="workbook-upload"
          type="file"
          accept=".xlsx"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            setCheck(null);
            setBase64(f ? await toBase64(f) : null);
          }}
        />
      </div>
      <button type="button" className="button secondary" disabled={!base64} onClick={() => send(false)}>
        変更点を確認する
      </button>
      <ErrorAlert error={error} />
      <p role="status" className="status-message">
        {message}
      </p>
      {check && (
        <div>
          {check.problems.length > 0 && (
            <ul className="error-list">
              {check.problems.map((p, i) => (
                <li key={i}>
                  {p.sheet}シート {p.line}行目: {p.message}
                </li>
              ))}
            </ul>
          )}
          {check.changes.length === 0 ? (
            <p>変更はありません。</p>
          ) : (
            <ChangesTable changes={check.changes} caption={`反映される変更（${check.changes.length}件）`} project />
          )}
          <button
            type="button"
            className="button primary"
            disabled={check.problems.length > 0 || check.changes.length === 0}
            onClick={() => send(true)}
          >
            反映する
          </button>
        </div>
      )}
    </details>
  );
}
