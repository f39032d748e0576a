import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.js';
import { useMid, usePageTitle } from '../../lib/hooks.js';
import { useSession } from '../../lib/session.js';
import type { Task } from '../../lib/types.js';
import { ErrorAlert } from '../../components/forms.js';
import { DeadlineBadge } from '../../components/DeadlineBadge.js';
import { mayEnterSlot } from '../../../domain/policy.js';

const KIND_LABELS: Record<Task['kind'], string> = {
  sheet: '回答',
  returned: '差戻し',
  review: '確認',
  council_answer: '審議会',
  council_review: '審議会',
  evaluation: '評価',
};

export function HomePage() {
  usePageTitle('ホーム');
  const mid = useMid();
  const { session } = useSession();
  const q = useQuery({
    queryKey: ['tasks', mid],
    queryFn: () => api.get<{ tasks: Task[] }>(`/api/m/${mid}/tasks`).then((r) => r.tasks),
  });
  return (
    <section>
      <h1>{session.user!.displayName}さんのやること</h1>
      <ErrorAlert error={q.error} />
      {q.isPending && <p role="status">読み込み中…</p>}
      {q.data && q.data.length === 0 && <p>いま対応が必要なものはありません。</p>}
      {q.data && q.data.length > 0 && (
        <ul className="task-list">
          {q.data.map((t, i) => (
            <li key={i} className={`task task-${t.kind}`}>
              <span className="badge">{KIND_LABELS[t.kind]}</span>
              <Link to={t.link}>{t.title}</Link>
              <span className="muted">{t.detail}</span>
              {t.deadline && <DeadlineBadge deadline={t.deadline} daysLeft={t.daysLeft} />}
            </li>
          ))}
        </ul>
      )}
      {(['council', 'committee'] as const).some((r) => mayEnterSlot(session.user!, r, mid)) && (
        <p>
          <Link to={`/m/${mid}/evaluations`}>体系ごとの評価を入力する</Link>
          <span className="muted">（審議会・委員会が施策などに付ける評価とコメント、計画所管課の総評）</span>
        </p>
      )}
    </section>
  );
}
