import type { NumberingChange, NumberingPreview } from '../../lib/types.js';
import { Dialog } from '../../components/Dialog.js';
import { useEra } from '../../lib/hooks.js';
import { formatEraYear } from '../../lib/dates.js';
import './plan-structure.css';

const SHOWN = 15;

/** 「施策 3 相談体制の充実 → 4」, at most 15 lines and then 「ほかN件」. */
export function NumberingChanges({ changes, label }: { changes: NumberingChange[]; label: string }) {
  const shown = changes.slice(0, SHOWN);
  return (
    <>
      <ul className="numbering-changes" aria-label={label}>
        {shown.map((c) => (
          <li key={c.nodeId}>
            <span className="level-tag">{c.level}</span> <span className="from">{c.from}</span> {c.title} →{' '}
            <strong className="to">{c.to}</strong>
          </li>
        ))}
      </ul>
      {changes.length > SHOWN && <p className="numbering-more">ほか{changes.length - SHOWN}件</p>}
    </>
  );
}

/** Which year a preview speaks of, and that the years before it keep their numbers. */
export function numberingYearNote(preview: NumberingPreview, era: ReturnType<typeof useEra>): string {
  if (preview.year === null) return 'まだ照会を始めていないため、計画期間を通じた番号が次のように変わります。';
  return `${formatEraYear(preview.year, era)}以降の番号が次のように変わります。${formatEraYear(preview.year - 1, era)}までの番号（回答や報告に使った番号）は変わりません。`;
}

/**
 * Asked before adding or moving a node when that would renumber others in the year being worked
 * on: renumber them, keep every number (append / keep as explicit numbers), or stop.
 */
export function NumberingDialog({
  open,
  op,
  subject,
  preview,
  busy,
  onRenumber,
  onKeep,
  onCancel,
}: {
  open: boolean;
  op: 'create' | 'move';
  /** 「施策「〇〇」」 */
  subject: string;
  preview: NumberingPreview | null;
  busy: boolean;
  onRenumber(): void;
  onKeep(): void;
  onCancel(): void;
}) {
  const era = useEra();
  const n = preview?.changes.length ?? 0;
  return (
    <Dialog
      open={open}
      title={`${subject}を${op === 'create' ? '追加' : '移動'}すると、${n}件の番号が変わります`}
      onClose={onCancel}
    >
      {preview && (
        <div className="numbering-dialog">
          <p>{numberingYearNote(preview, era)}</p>
          <NumberingChanges changes={preview.changes} label="変わる番号" />
          <ul className="numbering-choices">
            <li>
              <button type="button" className="button primary" disabled={busy} onClick={onRenumber}>
                番号を振り直す
              </button>
              <span className="hint">上のとおり番号を振り直します。</span>
            </li>
            <li>
              <button type="button" className="button secondary" disabled={busy} onClick={onKeep}>
                {op === 'create' ? '番号を変えずに追加する（末尾の番号を付ける）' : '番号を変えずに移動する'}
              </button>
              <span className="hint">
                {op === 'create'
                  ? `ほかの項目の番号はそのままで、新しい項目に空いている次の番号${preview.appendNumber ? `「${preview.appendNumber}」` : ''}を付けます。`
                  : '番号が変わるはずだった項目は、今の番号を手入力の番号として保ちます。'}
              </span>
            </li>
            <li>
              <button type="button" className="button secondary" onClick={onCancel}>
                やめる
              </button>
            </li>
          </ul>
        </div>
      )}
    </Dialog>
  );
}
