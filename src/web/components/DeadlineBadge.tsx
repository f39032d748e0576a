import { formatDate } from '../lib/dates.js';

/** A deadline with the days left in words, not colour alone. */
export function DeadlineBadge({ deadline, daysLeft }: { deadline: string; daysLeft: number | null }) {
  const text =
    daysLeft === null
      ? ''
      : daysLeft > 0
        ? `あと${daysLeft}日`
        : daysLeft === 0
          ? '本日締切'
          : `期限を${-daysLeft}日過ぎています`;
  return (
    <span
      className={`deadline${daysLeft !== null && daysLeft < 0 ? ' overdue' : daysLeft !== null && daysLeft <= 3 ? ' soon' : ''}`}
    >
      回答期限 {formatDate(deadline)}
      {text && `（${text}）`}
    </span>
  );
}
