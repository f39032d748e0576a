import type { ActualDto, IndicatorDto } from '../../lib/types.js';
import type { ActualStatus } from '../../../domain/values.js';

/** One indicator line's actual as typed on the sheet. */
export interface ActualDraft {
  indicatorId: number;
  text: string;
  status: ActualStatus | null;
  reason: string;
  parts: { label: string; text: string }[];
}

export function actualDraftsOf(indicators: IndicatorDto[], actuals: ActualDto[]): ActualDraft[] {
  return indicators.map((i) => {
    const a = actuals.find((x) => x.indicatorId === i.id);
    return {
      indicatorId: i.id,
      text: a?.text ?? '',
      status: a?.status ?? null,
      reason: a?.reason ?? '',
      parts: (a?.parts ?? []).map((p) => ({ label: p.label, text: p.text })),
    };
  });
}
