import type { Dispatch } from 'react';
import { useEra } from '../../lib/hooks.js';
import { formatEraYear } from '../../lib/dates.js';
import { FixesFile } from './FixesFile.js';
import { PreviewTable } from './PreviewTable.js';
import { ReadingReview } from './ReadingReview.js';
import {
  flaggedRows,
  type CorrectionAction,
  type ImportAction,
  type ImportState,
  type Preview,
} from './import-reducer.js';
import './preview.css';

/** One line of the summary: nodes per level, projects, answers, grades, and the encoding read. */
function summaryLine(preview: Preview): string {
  const { summary } = preview;
  const grades = Object.entries(summary.grades);
  return [
    Object.entries(summary.nodes)
      .map(([k, v]) => `${k} ${v}`)
      .join('・'),
    `・事業 ${summary.projects}件・担当課ごとの回答 ${summary.records}件`,
    grades.length > 0 ? `・評価 ${grades.map(([k, v]) => `${k}:${v}`).join(' ')}` : '',
    preview.encoding ? `（文字コード: ${preview.encoding}）` : '',
  ].join('');
}

/** What the document says about itself: its title, its year and the date it stands at. */
function DocumentMetaLine({ preview }: { preview: Preview }) {
  const era = useEra();
  const { title, fiscalYear, asOf } = preview.meta;
  return (
    <p className="document-meta">
      <span>文書の表題: {title ?? '（見つかりません）'}</span>／
      <span>
        年度: {fiscalYear === null ? '（文書にありません）' : `${formatEraYear(fiscalYear, era)}（文書から）`}
      </span>
      ／<span>時点: {asOf ?? '（文書にありません）'}</span>
    </p>
  );
}

/** 3. Every row as it will be stored; what the reading repaired, suggests and doubts; the corrections as a file. */
export function PreviewStep({
  mid,
  state,
  preview,
  dispatch,
  onCorrect,
}: {
  mid: number;
  state: ImportState;
  preview: Preview;
  dispatch: Dispatch<ImportAction>;
  onCorrect(action: CorrectionAction): void;
}) {
  const flagged = flaggedRows(state);
  return (
    <section className="panel preview-step" aria-labelledby="preview-title">
      <h2 id="preview-title">3. プレビュー</h2>
      <DocumentMetaLine preview={preview} />
      <p>{summaryLine(preview)}</p>
      <p role="status" className={flagged.length ? 'field-error' : 'status-message'}>
        {flagged.length
          ? `読み取れない行が${flagged.length}行あります。直すか、除外してください。`
          : 'すべての行を読み取れました。'}
      </p>
      <FixesFile state={state} dispatch={dispatch} onCorrect={onCorrect} />
      <ReadingReview mid={mid} state={state} preview={preview} onCorrect={onCorrect} />
      <h3 className="preview-table-title">取り込む行（保存される値）</h3>
      <PreviewTable
        preview={preview}
        createDepartments={state.target.createDepartments}
        fiscalYear={state.target.fiscalYear}
        editing={state.editing}
        dispatch={dispatch}
        onCorrect={onCorrect}
      />
      {state.fixes.excluded.length > 0 && <p className="muted">除外した行: {state.fixes.excluded.join('、')}</p>}
    </section>
  );
}
