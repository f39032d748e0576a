import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useEra, useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { EvaluationSettingsDto, PlanDetail } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { isCoordinating } from '../../../domain/policy.js';
import { ConfigEditor } from './ConfigEditor.js';
import { VersionList } from './VersionList.js';
import { versionRange } from './versions.js';
import './evaluations.css';

/** The version in force in the plan's current year (or the last one), shown first. */
function initialVersion(settings: EvaluationSettingsDto, currentYear: number | null): number | undefined {
  const year = currentYear ?? settings.lastYear;
  const inForce = settings.versions.filter((v) => v.fromYear <= year).pop() ?? settings.versions[0];
  return inForce?.id;
}

/**
 * 評価の方法: the plan's evaluation settings by fiscal year — the versions and the years they apply
 * in, and for the chosen one its slots and scales, edited in a panel with a live preview and saved
 * from a year. Everyone who reads the plan sees it; the coordinating section changes it.
 */
export function EvaluationSettingsPage() {
  const mid = useMid();
  const pid = Number(useParams().pid);
  const era = useEra();
  const { session } = useSession();
  const client = useQueryClient();
  const plan = useQuery({
    queryKey: ['plan', mid, pid],
    queryFn: () => api.get<PlanDetail>(`/api/m/${mid}/plans/${pid}`),
  });
  const key = ['evaluation-settings', mid, pid];
  const settings = useQuery({
    queryKey: key,
    queryFn: () => api.get<EvaluationSettingsDto>(`/api/m/${mid}/plans/${pid}/evaluation`),
  });
  const [selected, setSelected] = useState<number | null>(null);
  const [done, setDone] = useState('');
  usePageTitle(plan.data ? `${plan.data.plan.title}の評価の方法` : '評価の方法');
  if (plan.error || settings.error) return <ErrorAlert error={plan.error ?? settings.error} />;
  if (!plan.data || !settings.data) return <p role="status">読み込み中…</p>;
  const s = settings.data;
  const canEdit = isCoordinating(session.user!) && !plan.data.plan.archived;
  const versionId = selected ?? initialVersion(s, plan.data.plan.currentYear);
  const version = s.versions.find((v) => v.id === versionId) ?? s.versions[0];
  const levelNames = plan.data.levels.map((l) => l.name);
  const update = (next: EvaluationSettingsDto) => {
    client.setQueryData(key, next);
    void client.invalidateQueries({ queryKey: ['plan', mid, pid] });
  };
  return (
    <div className="evaluation-settings">
      <p className="breadcrumb">
        <Link to={`/m/${mid}/plans`}>計画一覧</Link> › <Link to={`/m/${mid}/plans/${pid}`}>体系</Link> › 評価の方法
      </p>
      <h1>{plan.data.plan.title}の評価の方法</h1>
      <p className="muted">
        どの対象を、誰が、どの尺度で評価するかを年度ごとの版で決めます。確定・公表した年度は、その年度の版のまま変わりません。
        {!canEdit && '（閲覧のみ）'}
      </p>
      <p role="status" className="status-message">
        {done}
      </p>
      <VersionList
        mid={mid}
        pid={pid}
        settings={s}
        selectedId={version?.id ?? 0}
        onSelect={(id) => {
          setSelected(id);
          setDone('');
        }}
        canEdit={canEdit}
        onDeleted={(next, range) => {
          update(next);
          setSelected(null);
          setDone(`${range}の版を削除しました。`);
        }}
      />
      {version && (
        <ConfigEditor
          key={`${version.id}:${version.createdAt}`}
          mid={mid}
          pid={pid}
          settings={s}
          version={version}
          canEdit={canEdit}
          levelNames={levelNames}
          onSaved={(next, fromYear) => {
            update(next);
            const saved = next.versions.find((v) => v.fromYear === fromYear);
            setSelected(saved?.id ?? null);
            setDone(saved ? `${versionRange(saved, era)}の版を保存しました。` : '保存しました。');
          }}
        />
      )}
    </div>
  );
}
