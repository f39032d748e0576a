/** How long after a person's save their next save of the same answer still belongs to the same version. */
export const SAVE_SESSION_MINUTES = 10;

interface HistoryRow {
  action: string;
  user_id: number | null;
  created_at: string;
}

/**
 * The history's rows (newest first) gathered into versions (newest first): a person's consecutive saves
 * of one answer, each within SAVE_SESSION_MINUTES of the one before and with no other change between,
 * are one version; every other change is a version of its own. Each version lists its rows oldest first.
 */
export function groupSaves<T extends HistoryRow>(newestFirst: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (const row of [...newestFirst].reverse()) {
    const open = groups.at(-1);
    const last = open?.at(-1);
    const joins =
      last !== undefined &&
      row.action === 'save' &&
      last.action === 'save' &&
      row.user_id !== null &&
      row.user_id === last.user_id &&
      Date.parse(row.created_at) - Date.parse(last.created_at) <= SAVE_SESSION_MINUTES * 60_000;
    if (joins) open!.push(row);
    else groups.push([row]);
  }
  return groups.reverse();
}
