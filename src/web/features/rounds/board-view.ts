import type { BoardRow } from '../../lib/types.js';
import { RECORD_STATUSES, type RecordStatus } from '../../../domain/cycle-terms.js';
import { matchesSearch } from '../../lib/search.js';

/** Days before the deadline from which answers not yet given need the coordinator's attention. */
export const NEAR_DEADLINE_DAYS = 7;

/** What a 課's row asks of the coordinator now, most pressing first; none when nothing. */
export interface RowAction {
  /** 2: answers wait for the coordinator's review; 1: answers not given near (or after) the deadline */
  rank: 0 | 1 | 2;
  /** what is needed, in words (the text beside the highlight) */
  labels: string[];
}

/** Whether the round takes this 課's answers now. */
export const takesAnswers = (row: BoardRow, roundOpen: boolean) => roundOpen || row.reopened;

export function rowAction(row: BoardRow, daysLeft: number, roundOpen: boolean): RowAction {
  const labels: string[] = [];
  let rank: RowAction['rank'] = 0;
  if (row.counts.submitted > 0) {
    labels.push(`確認待ち ${row.counts.submitted}件`);
    rank = 2;
  }
  const pending = row.counts.not_started + row.counts.draft + row.counts.returned;
  if (pending > 0 && takesAnswers(row, roundOpen) && daysLeft <= NEAR_DEADLINE_DAYS) {
    const when = daysLeft < 0 ? '期限超過' : daysLeft === 0 ? '本日締切' : `締切まで${daysLeft}日`;
    const parts = [
      row.counts.returned > 0 && `差戻し中 ${row.counts.returned}件`,
      row.counts.not_started + row.counts.draft > 0 && `未提出 ${row.counts.not_started + row.counts.draft}件`,
    ].filter(Boolean);
    labels.push(`${parts.join('・')}（${when}）`);
    if (rank === 0) rank = 1;
  }
  return { rank, labels };
}

export const BOARD_SORTS = ['action', 'org', 'pending', 'name'] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];
export const BOARD_SORT_LABELS: Record<BoardSort, string> = {
  action: '対応が必要な順',
  org: '組織の順',
  pending: '未提出の多い順',
  name: '課名の順',
};

/** The board's filters, kept in the address. */
export interface BoardFilters {
  q: string;
  /** '' all; 'action' rows needing action; a status: rows with answers in it */
  status: RecordStatus | 'action' | '';
  sort: BoardSort;
}

export function readBoardFilters(params: URLSearchParams): BoardFilters {
  const status = params.get('status') ?? '';
  const sort = params.get('sort') ?? '';
  return {
    q: params.get('q') ?? '',
    status:
      status === 'action' || (RECORD_STATUSES as readonly string[]).includes(status)
        ? (status as BoardFilters['status'])
        : '',
    sort: (BOARD_SORTS as readonly string[]).includes(sort) ? (sort as BoardSort) : 'action',
  };
}

export function writeBoardFilters(f: BoardFilters): URLSearchParams {
  const out = new URLSearchParams();
  if (f.q) out.set('q', f.q);
  if (f.status) out.set('status', f.status);
  if (f.sort !== 'action') out.set('sort', f.sort);
  return out;
}

const pendingOf = (r: BoardRow) => r.counts.not_started + r.counts.draft + r.counts.returned;

/** The rows shown, in the order chosen, each with what it needs. */
export function boardView(
  rows: BoardRow[],
  f: BoardFilters,
  daysLeft: number,
  roundOpen: boolean,
): { row: BoardRow; action: RowAction }[] {
  const shown = rows
    .map((row, i) => ({ row, i, action: rowAction(row, daysLeft, roundOpen) }))
    .filter(({ row, action }) => {
      if (!matchesSearch(f.q, row.name)) return false;
      if (f.status === 'action') return action.rank > 0;
      if (f.status) return row.counts[f.status] > 0;
      return true;
    });
  const by: Record<BoardSort, (a: (typeof shown)[number], b: (typeof shown)[number]) => number> = {
    action: (a, b) => b.action.rank - a.action.rank || b.row.counts.submitted - a.row.counts.submitted || a.i - b.i,
    org: (a, b) => a.i - b.i,
    pending: (a, b) => pendingOf(b.row) - pendingOf(a.row) || a.i - b.i,
    name: (a, b) => a.row.name.localeCompare(b.row.name, 'ja') || a.i - b.i,
  };
  return shown.sort(by[f.sort]).map(({ row, action }) => ({ row, action }));
}
