import { useId } from 'react';
import type { StrayEvaluationDto } from '../../../domain/api-types.js';

/**
 * Evaluations entered on something the year no longer has (a project ended or archived since): they are
 * kept, but neither printed nor counted, so the coordinating section is told which, and what they say.
 */
const STRAY_TEXT =
  '入力したあとで事業や項目が終了・廃止されたため、報告にも集計にも入っていません。入力は消えていません。対象を戻すか、今の項目に入力し直してください。';

export function StrayEvaluations({ stray }: { stray: StrayEvaluationDto[] }) {
  const id = useId();
  if (stray.length === 0) return null;
  return (
    <section className="node-eval-stray" aria-labelledby={id}>
      <h2 id={id}>この年度の体系にない対象への入力済みの評価（{stray.length}件）</h2>
      <p>{STRAY_TEXT}</p>
      <ul>
        {stray.map((e) => (
          <li key={`${e.slotKey}-${e.subjectKind}-${e.subjectId}-${e.department ?? ''}`}>
            {e.slotName}：{e.subject || '（名称不明）'}
            {e.department ? `（${e.department}）` : ''} — {e.code ?? '記号なし'}
            {e.comment ? `「${e.comment}」` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
