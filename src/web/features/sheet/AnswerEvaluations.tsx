import type { SheetItem } from '../../lib/types.js';
import { SlotControl, type EntryPatch } from './EvaluationControls.js';
import type { EntryRef, SlotView } from './sheet-evaluation.js';

/**
 * The evaluations of the answer itself: the department's own slots (a code of the legend, with last
 * year's beside it), and, on an answer without indicator lines, a hand code for a computed slot.
 */
export function AnswerEvaluations({
  idPrefix,
  item,
  views,
  errorOf,
  onEntry,
}: {
  idPrefix: string;
  item: SheetItem;
  views: SlotView[];
  errorOf(ref: EntryRef): string | undefined;
  onEntry(ref: EntryRef, patch: EntryPatch): void;
}) {
  if (views.length === 0) return null;
  const previous = (slotKey: string) =>
    item.previous?.entries.find((e) => e.slotKey === slotKey && e.subjectKind === 'record')?.code ?? null;
  return (
    <div className="answer-evaluations">
      {views.map((view) => (
        <SlotControl
          key={view.slot.key}
          id={`${idPrefix}-${view.slot.key}`}
          view={view}
          subject="この事業"
          label={view.mode === 'hand' ? `${view.slot.name}（活動指標がない事業）` : view.slot.name}
          previous={previous(view.slot.key)}
          error={errorOf(view.ref)}
          onEntry={(patch) => onEntry(view.ref, patch)}
        />
      ))}
    </div>
  );
}
