import { DIRECTION_LABELS } from '../../../domain/cycle-terms.js';
import { codeSpeech, type Scale } from '../../../domain/evaluation/index.js';
import { PREVIEW_COLUMN_LABELS, previewColumns, previewRows, rollupPreview, type PreviewRow } from './preview.js';

/**
 * What the scale being edited makes of sample values, computed as the server computes them, as it
 * is typed: the code, how it was reached and what a screen reader says for it.
 */
export function ScalePreview({ scale, childScale }: { scale: Scale; childScale: Scale | null }) {
  return (
    <section className="eval-preview" aria-labelledby="eval-preview-title">
      <h4 id="eval-preview-title">試算（見本の値での評価）</h4>
      {scale.rule.kind === 'manual' && <ManualPreview scale={scale} />}
      {scale.rule.kind === 'rollup' && <RollupPreview scale={scale} childScale={childScale} />}
      {scale.rule.kind !== 'manual' && scale.rule.kind !== 'rollup' && <LinePreview scale={scale} />}
    </section>
  );
}

function CodeCell({ code, excluded }: { code: string | null; excluded?: boolean }) {
  return <td className="eval-code">{excluded ? '（評価しない）' : (code ?? '（なし）')}</td>;
}

function LinePreview({ scale }: { scale: Scale }) {
  const columns = previewColumns(scale);
  const rows = previewRows(scale);
  return (
    <div className="table-scroll">
      <table className="data-table compact eval-preview-table">
        <caption className="visually-hidden">見本の値と、この尺度で計算される評価</caption>
        <thead>
          <tr>
            <th scope="col">見本</th>
            {columns.map((c) => (
              <th key={c} scope="col">
                {PREVIEW_COLUMN_LABELS[c]}
              </th>
            ))}
            <th scope="col">評価</th>
            <th scope="col">根拠</th>
            <th scope="col">読み上げ</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <th scope="row">{r.note}</th>
              {columns.map((c) => (
                <td key={c}>{cellText(r, c)}</td>
              ))}
              <CodeCell code={r.code} excluded={r.excluded} />
              <td>{r.basis}</td>
              <td>{r.speech}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const cellText = (r: PreviewRow, c: ReturnType<typeof previewColumns>[number]): string =>
  c === 'direction' ? DIRECTION_LABELS[r.direction] : r[c];

function ManualPreview({ scale }: { scale: Scale }) {
  return (
    <>
      <p>手入力の尺度です。計算はせず、次の記号から選びます。画面の読み上げでは右の言葉で伝えます。</p>
      <table className="data-table compact eval-preview-table">
        <caption className="visually-hidden">選べる記号と読み上げ</caption>
        <thead>
          <tr>
            <th scope="col">記号</th>
            <th scope="col">読み上げ</th>
            <th scope="col">集計</th>
            <th scope="col">点数</th>
          </tr>
        </thead>
        <tbody>
          {scale.grades.map((g, i) => (
            <tr key={i}>
              <td className="eval-code">{g.code}</td>
              <td>{codeSpeech(scale, g.code)}</td>
              <td>{g.tally ? '数える' : '数えない'}</td>
              <td>{g.points ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function RollupPreview({ scale, childScale }: { scale: Scale; childScale: Scale | null }) {
  if (!childScale) return <p>この尺度を使う評価の項目で「集約の元」を選ぶと、下位の評価の組み合わせで試算できます。</p>;
  const rows = rollupPreview(scale, childScale);
  return (
    <table className="data-table compact eval-preview-table">
      <caption className="visually-hidden">下位の評価の組み合わせと、集約した評価</caption>
      <thead>
        <tr>
          <th scope="col">下位の評価（{childScale.name}）</th>
          <th scope="col">評価</th>
          <th scope="col">根拠</th>
          <th scope="col">読み上げ</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            <th scope="row">{r.children.length ? r.children.join('・') : '（評価済みのものなし）'}</th>
            <CodeCell code={r.code} />
            <td>{r.basis}</td>
            <td>{r.speech}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
