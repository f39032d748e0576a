import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import type { AnswerEntryDto, EvaluationSettingsDto, IndicatorDto } from '../../lib/types.js';
import { codeSpeech, slotScale, versionFor, type EvaluationConfig } from '../../../domain/evaluation/index.js';

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

/**
 * A department's evaluations of its answer, as it entered them: each by its slot's name (and the
 * indicator's, for a line), the code with its words, and the reason or comment given.
 */
export function CouncilEvaluations({
  mid,
  projectId,
  config,
  entries,
}: {
  mid: number;
  projectId: number;
  config: EvaluationConfig | undefined;
  entries: AnswerEntryDto[];
}) {
  const lines = entries.some((e) => e.subjectKind === 'indicator');
  const indicators = useQuery({
    queryKey: ['indicators', mid, projectId],
    enabled: lines,
    queryFn: () =>
      api
        .get<{ indicators: IndicatorDto[] }>(`/api/m/${mid}/projects/${projectId}/indicators`)
        .then((r) => r.indicators),
  });
  const shown = entries.filter((e) => e.code !== null || e.comment !== '');
  if (shown.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="council-evaluations">
      {shown.map((e) => {
        const slot = config?.slots.find((s) => s.key === e.slotKey);
        const scale = config && slot ? slotScale(config, slot) : undefined;
        const line =
          e.subjectKind === 'indicator'
            ? `「${indicators.data?.find((i) => i.id === e.subjectId)?.name ?? '活動指標'}」`
            : '';
        return (
          <li key={`${e.slotKey}-${e.subjectKind}-${e.subjectId}`}>
            {slot?.name ?? e.slotKey}
            {line}:{' '}
            {e.code !== null && (
              <>
                <strong aria-hidden="true">{e.code}</strong>
                <span className="visually-hidden">{scale ? codeSpeech(scale, e.code) : e.code}</span>
              </>
            )}
            {e.reason && <span className="council-evaluation-note">理由: {e.reason}</span>}
            {e.comment && <span className="council-evaluation-note">{e.comment}</span>}
          </li>
        );
      })}
    </ul>
  );
}
