import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import type { AnswerEvaluations, EvaluationSettingsDto, IndicatorDto, SlotValueDto } from '../../lib/types.js';
import {
  codeSpeech,
  EVALUATION_SOURCE_LABELS,
  slotScale,
  versionFor,
  type EvaluationConfig,
} from '../../../domain/evaluation/index.js';

/** The plan's evaluations in force in a fiscal year, to name the slots of the answers shown. */
export function useYearConfig(mid: number, planId: number | undefined, fiscalYear: number | undefined) {
  const q = useQuery({
    queryKey: ['evaluation', mid, planId],
    enabled: planId !== undefined,
    queryFn: () => api.get<EvaluationSettingsDto>(`/api/m/${mid}/plans/${planId}/evaluation`),
  });
  if (!q.data || fiscalYear === undefined) return undefined;
  return versionFor(q.data.versions, fiscalYear)?.config;
}

interface Shown {
  key: string;
  slotKey: string;
  /** the indicator's name, for a line */
  line: string;
  value: SlotValueDto;
}

/**
 * The evaluations of an approved answer, as the reports print them: each by its slot's name (and the
 * indicator's, for a line), the code with its words, whether it was computed or entered, and the
 * reason or comment given.
 */
export function CouncilEvaluations({
  mid,
  projectId,
  config,
  evaluations,
  entered = [],
}: {
  mid: number;
  projectId: number;
  config: EvaluationConfig | undefined;
  evaluations: AnswerEvaluations;
  /** slots the user enters beside the list, shown in their forms instead */
  entered?: string[];
}) {
  const indicators = useQuery({
    queryKey: ['indicators', mid, projectId],
    enabled: evaluations.lines.length > 0,
    queryFn: () =>
      api
        .get<{ indicators: IndicatorDto[] }>(`/api/m/${mid}/projects/${projectId}/indicators`)
        .then((r) => r.indicators),
  });
  const nameOf = (id: number) => indicators.data?.find((i) => i.id === id)?.name ?? '活動指標';
  const shown: Shown[] = [
    ...Object.entries(evaluations.record).map(([slotKey, value]) => ({
      key: `r-${slotKey}`,
      slotKey,
      line: '',
      value,
    })),
    ...evaluations.lines.flatMap((l) =>
      Object.entries(l.values).map(([slotKey, value]) => ({
        key: `l-${l.indicatorId}-${slotKey}`,
        slotKey,
        line: `「${nameOf(l.indicatorId)}」`,
        value,
      })),
    ),
  ].filter((x) => !entered.includes(x.slotKey) && (x.value.code !== null || x.value.comment !== ''));
  if (shown.length === 0) return entered.length ? null : <span className="muted">—</span>;
  return (
    <ul className="council-evaluations">
      {shown.map(({ key, slotKey, line, value: v }) => {
        const slot = config?.slots.find((s) => s.key === slotKey);
        const scale = config && slot ? slotScale(config, slot) : undefined;
        return (
          <li key={key}>
            {slot?.name ?? slotKey}
            {line}:{' '}
            {v.code !== null && (
              <>
                <strong aria-hidden="true">{v.code}</strong>
                <span className="visually-hidden">{scale ? codeSpeech(scale, v.code) : v.code}</span>
                <span className="council-evaluation-source">（{EVALUATION_SOURCE_LABELS[v.source]}）</span>
              </>
            )}
            {v.source === 'override' && v.computedCode && (
              <span className="council-evaluation-note">計算では {v.computedCode}</span>
            )}
            {v.reason && <span className="council-evaluation-note">理由: {v.reason}</span>}
            {v.comment && <span className="council-evaluation-note">{v.comment}</span>}
          </li>
        );
      })}
    </ul>
  );
}
