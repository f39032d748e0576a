import { useId, useState, type ChangeEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.js';
import type { LayoutListResponse, LayoutResponse } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';

/** A layout as a file: its JSON, read back as it was written (docs/reports.md describes it). */
function download(name: string, definition: unknown): void {
  const blob = new Blob([`${JSON.stringify(definition, null, 2)}\n`], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${name}.layout.json`;
  a.click();
  URL.revokeObjectURL(a.href);
}

/**
 * レイアウトのファイル: the coordinating section writes any layout out as JSON (to change it, or to
 * give it to another municipality) and reads one in as a layout of its own; a file that does not
 * hold together is refused with the column named.
 */
export function LayoutFiles({ mid, layout }: { mid: number; layout: string }) {
  const client = useQueryClient();
  const inputId = useId();
  const [saved, setSaved] = useState<string | null>(null);
  const layouts = useQuery({
    queryKey: ['report-layouts', mid],
    queryFn: () => api.get<LayoutListResponse>(`/api/m/${mid}/report-layouts`).then((r) => r.layouts),
  });
  const chosen = layouts.data?.find((l) => l.name === layout);
  const upload = useMutation({
    mutationFn: async (file: File) => {
      let body: unknown;
      try {
        body = JSON.parse(await file.text());
      } catch {
        throw new ApiError(400, 'VALIDATION', `${file.name} は JSON として読めません`);
      }
      return api.post<LayoutResponse>(`/api/m/${mid}/report-layouts`, body);
    },
    onSuccess: async (r) => {
      setSaved(r.layout.label || r.layout.name);
      await client.invalidateQueries({ queryKey: ['report-layouts', mid] });
    },
  });
  const pick = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setSaved(null);
    if (file) upload.mutate(file);
    e.target.value = '';
  };
  return (
    <details className="panel layout-files">
      <summary>レイアウトをファイルで書き出す・読み込む（JSON）</summary>
      <p>
        選んでいるレイアウト
        {chosen ? `「${chosen.label || chosen.name}」` : ''}を JSON
        ファイルに書き出せます。書き換えたファイルや他の自治体のファイルを読み込むと、この自治体のレイアウトとして保存されます（同じ名前は置き換え）。
      </p>
      <div className="button-row">
        <button
          type="button"
          className="button secondary"
          disabled={!chosen}
          onClick={() => chosen && download(chosen.name, chosen.definition)}
        >
          書き出す
        </button>
      </div>
      <label htmlFor={inputId}>読み込むファイル（JSON）</label>
      <input id={inputId} type="file" accept=".json,application/json" onChange={pick} />
      <ErrorAlert error={upload.error} />
      {saved && <p role="status">レイアウト「{saved}」を保存しました。レイアウトの一覧から選べます。</p>}
    </details>
  );
}
