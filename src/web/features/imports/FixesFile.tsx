import { useId, type ChangeEvent, type Dispatch } from 'react';
import { fixesFileText, readFixesFile } from '../../../domain/import/fixes-file.js';
import type { ImportFixes } from '../../../domain/import/fixes.js';
import { fixesToSave, type CorrectionAction, type ImportAction, type ImportState } from './import-reducer.js';

function download(name: string, fixes: ImportFixes): void {
  const blob = new Blob([fixesFileText(fixes)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}

/** The name of the fixes file: the source's name (a paste: 貼り付け) and 修正内容. */
function fileName(s: ImportState): string {
  const base = s.mode === 'file' && s.file ? s.file.name.replace(/\.[^.]+$/, '') : '貼り付けた表';
  return `${base}.修正内容.json`;
}

/** In words: how many corrections of each kind are in effect. */
function fixesSummary(f: ImportFixes): string {
  const parts = [
    [f.moves.length, 'ずれの修正'],
    [f.edits.length, 'セルの修正'],
    [f.excluded.length, '除外'],
    [f.rejected.length, '元に戻した自動修正'],
    [Object.keys(f.names).length, '担当課の読み替え'],
    [Object.keys(f.words).length, '語の読み替え'],
  ] as const;
  const some = parts.filter(([n]) => n > 0).map(([n, label]) => `${label} ${n}件`);
  return some.length ? some.join('・') : 'まだありません';
}

/**
 * 修正内容: the corrections of the preview as a JSON file (the automatic repairs written in as moves),
 * to repeat the import next time or from the command line (`--fixes`), and read back in.
 */
export function FixesFile({
  state,
  dispatch,
  onCorrect,
}: {
  state: ImportState;
  dispatch: Dispatch<ImportAction>;
  onCorrect(action: CorrectionAction): void;
}) {
  const inputId = useId();
  const errorId = useId();
  const inEffect = fixesToSave(state);
  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const read = readFixesFile(await file.text());
    if (read.ok) onCorrect({ type: 'fixesLoaded', fixes: read.fixes });
    else dispatch({ type: 'fixesFileRefused', message: `${file.name} を読み込めません: ${read.message}` });
  };
  return (
    <div className="fixes-file">
      <p>
        <span className="fixes-label">修正内容:</span> {fixesSummary(inEffect)}
      </p>
      <div className="fixes-controls">
        <button type="button" className="button secondary small" onClick={() => download(fileName(state), inEffect)}>
          修正内容をファイルに保存
        </button>
        <span className="fixes-load">
          <label htmlFor={inputId}>修正内容を読み込む</label>
          <input
            id={inputId}
            type="file"
            accept=".json,application/json"
            aria-describedby={state.fixesFileError ? errorId : undefined}
            aria-invalid={state.fixesFileError ? true : undefined}
            onChange={(e) => void pick(e)}
          />
        </span>
      </div>
      {state.fixesFileError && (
        <p id={errorId} className="field-error" role="alert">
          {state.fixesFileError}
        </p>
      )}
    </div>
  );
}
