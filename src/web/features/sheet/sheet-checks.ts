import type { SheetItem } from '../../lib/types.js';
import {
  checkAnswer,
  slotScale,
  type CheckFinding,
  type EvaluationConfig,
  type Judgement,
} from '../../../domain/evaluation/index.js';
import type { AnswerViews } from './sheet-evaluation.js';
import type { Draft } from './record-edit-state.js';

/**
 * The self-evaluation checks of an answer as it is typed, by the rules the review and 集計 apply
 * (src/domain/evaluation/checks.ts): the department's own grade against the lines computed from the
 * actuals being typed, the result against last year's, a grade below the top without a reason or
 * remarks, a grade with an actual missing. Warnings only: they never keep the answer from being saved
 * or submitted.
 */
export function liveChecks(
  config: EvaluationConfig,
  item: Pick<SheetItem, 'previous' | 'indicators' | 'evaluations' | 'record'>,
  views: AnswerViews,
  draft: Pick<Draft, 'resultText' | 'remarks' | 'actuals'>,
): CheckFinding[] {
  const lines = item.evaluations.lines
    .filter((l) => l.facts.purpose !== 'monitoring')
    .map((l) => {
      const typed = draft.actuals.find((a) => a.indicatorId === l.indicatorId);
      const actualMissing = typed
        ? typed.text.trim() === '' && typed.status === null
        : l.facts.actual.value === null && l.facts.actual.text === '' && l.facts.actual.status === null;
      return { name: item.indicators.find((i) => i.id === l.indicatorId)?.name ?? '', actualMissing };
    });
  return config.slots
    .filter((s) => s.enteredBy === 'department' && s.subject === 'record')
    .flatMap((s) => {
      const own = views.record.find((v) => v.slot.key === s.key)?.entry;
      const against = s.checkAgainst ? config.slots.find((o) => o.key === s.checkAgainst) : undefined;
      const judgements = against
        ? [...views.lines.values()]
            .flat()
            .filter((v) => v.slot.key === against.key)
            .map((v) => v.judgement)
            .filter((j): j is Judgement => j !== null)
        : [];
      return checkAnswer({
        slotName: s.name,
        scale: slotScale(config, s),
        code: own?.code ?? null,
        reason: own?.reason ?? '',
        against: against ? { name: against.name, scale: slotScale(config, against), judgements } : null,
        resultText: draft.resultText,
        lastYearResultText: item.previous?.resultText ?? null,
        remarks: draft.remarks,
        lines,
      });
    });
}
